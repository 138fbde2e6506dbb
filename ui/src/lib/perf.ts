// In-page timings for `cargo xtask bench app` (issues 16 and 19): `performance` marks and measures, taken up
// to the paint that shows the result, read by the benchmark from the page. A WebDriver round trip would add
// its own polling to every figure. Nothing here changes what the app does; the entries are tiny and
// replaced at each unlock.

/** Calls `then` once the frame being prepared now has been painted: a `requestAnimationFrame` callback runs
 * just before the paint, and a task queued from it runs after. */
export function afterPaint(then: () => void): void {
  requestAnimationFrame(() => setTimeout(then, 0));
}

/** The unlock button was pressed (`way`: password or keyring): the start of "unlock to first code". */
export function unlockPressed(way: "password" | "keyring"): void {
  performance.clearMarks("twofold:unlock");
  performance.clearMeasures("twofold:unlock-to-first-code");
  performance.mark("twofold:unlock", { detail: way });
}

/**
 * The list received its first accounts at `arrived` (`performance.now()`) and shows their codes: after an
 * unlock press, measures from the press to the next paint, and "all cards" (`cardsShown`) in `list()`.
 */
export function firstCodesShown(arrived: number, list: () => Element | null | undefined): void {
  const pressed = performance.getEntriesByName("twofold:unlock", "mark")[0];
  if (!pressed) return;
  performance.clearMarks("twofold:unlock");
  afterPaint(() => measure("twofold:unlock-to-first-code", pressed.startTime));
  cardsShown(arrived, list);
}

/** The unlock screen is on screen: its paint, counted from the page's time origin. */
export function unlockScreenShown(): void {
  afterPaint(() => performance.mark("twofold:unlock-screen"));
}

/** A key typed in the search field at `start` (`performance.now()`): measures to the paint of the filtered list. */
export function filterTyped(start: number): void {
  afterPaint(() => measure("twofold:filter", start));
}

/**
 * The list received its accounts at `start` (`performance.now()`): measures to the paint after the cards in
 * `list()` (only those in view are in the page) show their icons, pictures or initials. Checked before each
 * frame, so the measure ends with the paint of the first complete frame; given up after 10 s.
 */
function cardsShown(start: number, list: () => Element | null | undefined): void {
  performance.clearMeasures("twofold:all-cards");
  const check = () => {
    const root = list();
    if (root && cardsComplete(root)) setTimeout(() => measure("twofold:all-cards", start), 0);
    else if (performance.now() - start < 10_000) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

/** Some card is in `root` and every icon tile in it has its picture, brand icon or initial drawn. */
function cardsComplete(root: Element): boolean {
  if (!root.querySelector("li[data-id]")) return false;
  for (const tile of root.querySelectorAll("[data-icon]")) {
    if (tile.getAttribute("data-icon") === "loading" || !tile.firstElementChild) return false;
    const picture = tile.querySelector("img");
    if (picture && !picture.complete) return false;
  }
  return true;
}

// A timing never gets in the way: an engine without user timing just records nothing.
function measure(name: string, start: number): void {
  try {
    performance.measure(name, { start });
  } catch {
    // nothing to record
  }
}
