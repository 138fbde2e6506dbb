import type { AccountView } from "./ipc/AccountView";
import type { ListSort } from "./ipc/ListSort";
import { currentLocale } from "./i18n";

/** Lowercase without accents, so `zurich` finds `Zürich`. */
export function fold(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Compares by `sort` only (0 when it cannot tell two accounts apart). */
function bySort(sort: ListSort, collator: Intl.Collator): (a: AccountView, b: AccountView) => number {
  switch (sort) {
    case "name":
      return (a, b) => collator.compare(a.name || a.issuer, b.name || b.issuer);
    case "issuer":
      return (a, b) => collator.compare(a.issuer || a.name, b.issuer || b.name);
    case "mostUsed":
      return (a, b) => b.useCount - a.useCount;
    case "recentlyUsed":
      return (a, b) => (b.lastUsed ?? -Infinity) - (a.lastUsed ?? -Infinity);
    case "manual":
      return (a, b) => a.order - b.order;
  }
}

/** Favourites first, then by `sort` (the user's manual order unless chosen otherwise), then by names for ties. */
export function sortAccounts(accounts: readonly AccountView[], sort: ListSort = "manual"): AccountView[] {
  // Names sort the way the window's language does (Spanish puts ñ after n).
  const collator = new Intl.Collator(currentLocale(), { sensitivity: "base", numeric: true });
  const primary = bySort(sort, collator);
  return [...accounts].sort(
    (a, b) =>
      Number(b.favorite) - Number(a.favorite) ||
      primary(a, b) ||
      a.issuer.localeCompare(b.issuer) ||
      a.name.localeCompare(b.name),
  );
}

/** Every group used by some account, sorted. */
export function allGroups(accounts: readonly AccountView[]): string[] {
  return [...new Set(accounts.flatMap((a) => a.groups))].sort((a, b) => a.localeCompare(b));
}

/**
 * Where `move_account` should put `id` to swap it with its neighbour above (`step` -1) or below (+1) in the
 * list as shown (`shown`, filtered and sorted): that neighbour's index in the manual order of `all` (the
 * shell's: by `order`, then id). `null` when there is no neighbour, or it is on the other side of the
 * favourites line (favourites always come first, so moving across it would change nothing on screen).
 */
export function moveTarget(all: readonly AccountView[], shown: readonly AccountView[], id: string, step: -1 | 1): number | null {
  return moveTargets(manualPlaces(all), shown)(id, step);
}

/** Each account's index in the manual order of `all` (the shell's: by `order`, then id), for `moveTargets`. */
export function manualPlaces(all: readonly AccountView[]): ReadonlyMap<string, number> {
  return new Map(
    [...all].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((a, i) => [a.id, i]),
  );
}

/**
 * `moveTarget` for every card of one render, from the manual places of the whole list (`manualPlaces`, worked
 * out once per list, not per keystroke). The shown places are looked up only when a card first asks, so
 * typing in the search field does not index 10,000 accounts for the few cards in view.
 */
export function moveTargets(manual: ReadonlyMap<string, number>, shown: readonly AccountView[]): (id: string, step: -1 | 1) => number | null {
  let place: Map<string, number> | undefined;
  return (id, step) => {
    place ??= new Map(shown.map((a, i) => [a.id, i]));
    const at = place.get(id);
    const me = at === undefined ? undefined : shown[at];
    const neighbour = at === undefined ? undefined : shown[at + step];
    if (!me || !neighbour || neighbour.favorite !== me.favorite) return null;
    return manual.get(neighbour.id) ?? null;
  };
}

/**
 * The accounts of one list in display order for `sort`, each with its searchable text folded: worked out when
 * the list or the order changes, so that a keystroke only filters (issue 19: 10,000 accounts within a frame).
 * Filtering keeps the order, so filtering the sorted list gives what sorting the matches would.
 */
export type SearchIndex = {
  readonly sorted: readonly AccountView[];
  /** `fold` of each sorted account's issuer, name and groups, at the same places as `sorted`. */
  readonly haystacks: readonly string[];
};

export function searchIndex(accounts: readonly AccountView[], sort: ListSort = "manual"): SearchIndex {
  const sorted = sortAccounts(accounts, sort);
  return { sorted, haystacks: sorted.map((a) => fold([a.issuer, a.name, ...a.groups].join(" "))) };
}

/** The accounts of `index` matching every word of `query` (in issuer, name or groups) and in `group` when one
 * is chosen, in the index's order. */
export function filterIndex(index: SearchIndex, query: string, group: string | null): readonly AccountView[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0 && group === null) return index.sorted;
  const matches: AccountView[] = [];
  const { sorted, haystacks } = index;
  for (let i = 0; i < sorted.length; i++) {
    const a = sorted[i];
    if (!a || (group !== null && !a.groups.includes(group))) continue;
    const haystack = haystacks[i] ?? "";
    if (words.every((w) => haystack.includes(w))) matches.push(a);
  }
  return matches;
}

/**
 * Accounts matching every word of `query` (in issuer, name or groups) and in `group` when one is chosen,
 * sorted for display by `sort`. For one list filtered again and again, keep its `searchIndex` instead.
 */
export function filterAccounts(
  accounts: readonly AccountView[],
  query: string,
  group: string | null,
  sort: ListSort = "manual",
): readonly AccountView[] {
  return filterIndex(searchIndex(accounts, sort), query, group);
}
