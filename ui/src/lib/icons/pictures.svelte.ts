/**
 * Accounts' own pictures (issue 19): the list names each by a fingerprint only; the picture itself, a PNG the
 * core encoded, is fetched once per fingerprint as a `data:` URL (the CSP allows `data:` images) and kept for
 * the run. A new picture has a new fingerprint, so nothing stale is shown.
 */
import { SvelteMap } from "svelte/reactivity";
import { api } from "../api";

/** fingerprint → data URL, or null when the account no longer has it (or it could not be fetched). */
const urls = new SvelteMap<string, string | null>();
// Bookkeeping of fetches started, never read by the page: not reactive on purpose.
// eslint-disable-next-line svelte/prefer-svelte-reactivity
const asked = new Set<string>();

/** The picture's URL, or undefined while it is being fetched (the first call starts the fetch). */
export function pictureUrl(id: string, fingerprint: string): string | undefined {
  const known = urls.get(fingerprint);
  if (known !== undefined) return known ?? undefined;
  if (!asked.has(fingerprint)) {
    asked.add(fingerprint);
    api.icons.get(id).then(
      (url) => urls.set(fingerprint, url),
      () => urls.set(fingerprint, null),
    );
  }
  return undefined;
}
