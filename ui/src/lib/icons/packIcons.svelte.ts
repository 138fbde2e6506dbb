/**
 * Icons from imported Aegis icon packs (issue 19 point 4). The shell matches accounts to pack icons (an exact
 * issuer match, for accounts without their own picture) and serves each icon as a PNG `data:` URL; this module
 * keeps the matches for the list and caches the URLs for the run. A pack the person imported wins over the
 * bundled brand icon; an account's own picture wins over both.
 */
import { SvelteMap } from "svelte/reactivity";
import { api } from "../api";

export type PackIconRef = { pack: string; id: number };

/** account id → the pack icon its card shows. */
const matches = new SvelteMap<string, PackIconRef>();
/** `pack/id` → data URL, or null when it could not be fetched. */
const urls = new SvelteMap<string, string | null>();
// Bookkeeping of fetches started, never read by the page: not reactive on purpose.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const asked = new Set<string>();

let lastSignature: string | null = null;

/**
 * Asks the shell which accounts show a pack icon when the accounts' ids, issuers or pictures changed since the
 * last call (the list refetches at every code step; the matches change only with these).
 */
export function syncPackMatches(accounts: readonly { id: string; issuer: string; icon: string | null }[]): void {
  const signature = accounts.map((a) => `${a.id}\u0000${a.issuer}\u0000${a.icon ?? ""}`).join("\u0001");
  if (signature === lastSignature) return;
  lastSignature = signature;
  void refreshPackMatches();
}

/** Asks the shell again which accounts show a pack icon (the packs changed). */
export async function refreshPackMatches(): Promise<void> {
  let found: { account: string; pack: string; id: number }[];
  try {
    found = await api.iconPacks.matches();
  } catch {
    found = [];
  }
  // A local look-up, never read by the page.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  const seen = new Set(found.map((m) => m.account));
  for (const key of [...matches.keys()]) if (!seen.has(key)) matches.delete(key);
  for (const m of found) {
    const old = matches.get(m.account);
    if (!old || old.pack !== m.pack || old.id !== m.id) matches.set(m.account, { pack: m.pack, id: m.id });
  }
}

/** Forgets cached pictures (a pack was replaced or removed: its numbers may now name other icons). */
export function forgetPackPictures(): void {
  urls.clear();
  asked.clear();
}

/** The pack icon an account's card shows, if any. */
export function packMatch(accountId: string): PackIconRef | undefined {
  return matches.get(accountId);
}

/** A pack icon's URL, or undefined while it is being fetched (the first call starts the fetch). */
export function packIconUrl(ref: PackIconRef): string | undefined {
  const key = `${ref.pack}/${ref.id}`;
  const known = urls.get(key);
  if (known !== undefined) return known ?? undefined;
  if (!asked.has(key)) {
    asked.add(key);
    api.iconPacks.picture(ref.pack, ref.id).then(
      (url) => urls.set(key, url),
      () => urls.set(key, null),
    );
  }
  return undefined;
}
