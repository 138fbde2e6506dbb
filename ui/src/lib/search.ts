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
  const at = shown.findIndex((a) => a.id === id);
  const me = shown[at];
  const neighbour = at < 0 ? undefined : shown[at + step];
  if (!me || !neighbour || neighbour.favorite !== me.favorite) return null;
  const manual = [...all].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return manual.findIndex((a) => a.id === neighbour.id);
}

/**
 * `moveTarget` for every card of one render: the manual order and the shown places are worked out once, so a
 * list of 10,000 does not sort all accounts again for each card in view.
 */
export function moveTargets(all: readonly AccountView[], shown: readonly AccountView[]): (id: string, step: -1 | 1) => number | null {
  const manual = new Map(
    [...all].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((a, i) => [a.id, i]),
  );
  const place = new Map(shown.map((a, i) => [a.id, i]));
  return (id, step) => {
    const at = place.get(id);
    const me = at === undefined ? undefined : shown[at];
    const neighbour = at === undefined ? undefined : shown[at + step];
    if (!me || !neighbour || neighbour.favorite !== me.favorite) return null;
    return manual.get(neighbour.id) ?? null;
  };
}

/**
 * Accounts matching every word of `query` (in issuer, name or groups) and in `group` when one is chosen,
 * sorted for display by `sort`.
 */
export function filterAccounts(
  accounts: readonly AccountView[],
  query: string,
  group: string | null,
  sort: ListSort = "manual",
): AccountView[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const matches = accounts.filter((a) => {
    if (group !== null && !a.groups.includes(group)) return false;
    if (words.length === 0) return true;
    const haystack = fold([a.issuer, a.name, ...a.groups].join(" "));
    return words.every((w) => haystack.includes(w));
  });
  return sortAccounts(matches, sort);
}
