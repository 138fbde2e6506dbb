/**
 * Matching an account to a brand icon (issue 19). Pure: the pack's index comes in as data, so the matcher is
 * tested on the real package's data without a webview.
 *
 * Kept in the UI rather than in `twofold-core`: the pack is built from an npm package at UI build time and is
 * only ever shown here; the core decides about keys and codes and has no use for logos, and a Rust matcher would
 * need the index copied into the shell or an IPC round trip per card.
 *
 * Order, first hit wins: the issuer's folded text as a title, slug or other name; the alias table; a domain in
 * the issuer; the issuer's leading words, longest first ("GitHub Enterprise Server" → GitHub); a domain in the
 * account name (`alice@github.com`). An issuer-less account tries its name the same way.
 */
import { ALIASES } from "./aliases";

/** One icon of the pack's index: slug, title, brand colour (hex without `#`), other names. */
export type IndexEntry = [slug: string, title: string, hex: string, aliases: string[]];

export type IconIndex = {
  /** Folded name → slug. */
  readonly keys: ReadonlyMap<string, string>;
  /** Slug → entry. */
  readonly bySlug: ReadonlyMap<string, IndexEntry>;
};

/**
 * Folds a name for comparison the way Simple Icons makes slugs: no accents, lower case, `+` → "plus",
 * `&` → "and", and only letters and digits kept ("Proton Mail" and "proton-mail" → "protonmail").
 */
export function iconKey(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/\+/g, "plus")
    .replace(/&/g, "and")
    .replace(/[^a-z0-9]/g, "");
}

/** The index from the pack's entries; aliases point at slugs the pack has, or are dropped. */
export function buildIndex(entries: readonly IndexEntry[]): IconIndex {
  const keys = new Map<string, string>();
  const bySlug = new Map<string, IndexEntry>();
  const add = (key: string, slug: string) => {
    if (key && !keys.has(key)) keys.set(key, slug);
  };
  for (const entry of entries) bySlug.set(entry[0], entry);
  // Titles and slugs first, so another icon's alias never hides a title.
  for (const [slug, title] of entries) {
    add(iconKey(title), slug);
    add(slug, slug);
  }
  for (const [alias, slug] of Object.entries(ALIASES)) if (bySlug.has(slug)) add(iconKey(alias), slug);
  for (const [slug, , , aliases] of entries) for (const alias of aliases) add(iconKey(alias), slug);
  return { keys, bySlug };
}

/** Host names in `text` ("accounts.google.com", "alice@github.com"'s "github.com"), lower case. */
function domains(text: string): string[] {
  return [...text.toLowerCase().matchAll(/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}/g)].map((m) => m[0]);
}

/** The slug a domain names: its labels right to left, the top-level one skipped ("mail.proton.me" → proton). */
function byDomain(index: IconIndex, domain: string): string | null {
  const labels = domain.split(".");
  // "github.io" or "gog.com" as a whole first, then each label from the one before the TLD leftwards.
  const whole = index.keys.get(iconKey(domain));
  if (whole) return whole;
  for (let i = labels.length - 2; i >= 0; i--) {
    const label = labels[i] ?? "";
    if (label === "www" || label.length < 2) continue;
    const hit = index.keys.get(label);
    if (hit) return hit;
  }
  return null;
}

/** The slug `text` names as a whole, by a domain in it, or by its leading words (longest first). */
function byText(index: IconIndex, text: string): string | null {
  const whole = index.keys.get(iconKey(text));
  if (whole) return whole;
  for (const domain of domains(text)) {
    const hit = byDomain(index, domain);
    if (hit) return hit;
  }
  const words = text.split(/[\s,:;()[\]/|–—-]+/).filter(Boolean);
  for (let n = words.length - 1; n >= 1; n--) {
    const key = iconKey(words.slice(0, n).join(" "));
    // A lone letter or two ("A", "My") names no brand by accident.
    if (key.length < 3 && n === 1) continue;
    const hit = index.keys.get(key);
    if (hit) return hit;
  }
  return null;
}

/** The icon for an account, or `null` (then the card shows its initial). */
export function matchIcon(index: IconIndex, issuer: string, name: string): IndexEntry | null {
  const slug =
    (issuer.trim() ? byText(index, issuer) : null) ??
    domains(name)
      .map((d) => byDomain(index, d))
      .find((s) => s !== null) ??
    (!issuer.trim() && name.trim() ? byText(index, name) : null);
  return slug ? (index.bySlug.get(slug) ?? null) : null;
}
