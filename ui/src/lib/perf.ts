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

/** The list shows its first codes: measures from the unlock press (when there was one) to the next paint. */
export function firstCodesShown(): void {
  const pressed = performance.getEntriesByName("twofold:unlock", "mark")[0];
  if (!pressed) return;
  performance.clearMarks("twofold:unlock");
  afterPaint(() => measure("twofold:unlock-to-first-code", pressed.startTime));
}

/** The unlock screen is on screen: its paint, counted from the page's time origin. */
export function unlockScreenShown(): void {
  afterPaint(() => performance.mark("twofold:unlock-screen"));
}

/** A key typed in the search field at `start` (`performance.now()`): measures to the paint of the filtered list. */
export function filterTyped(start: number): void {
  afterPaint(() => measure("twofold:filter", start));
}

// A timing never gets in the way: an engine without user timing just records nothing.
function measure(name: string, start: number): void {
  try {
    performance.measure(name, { start });
  } catch {
    // nothing to record
  }
}
