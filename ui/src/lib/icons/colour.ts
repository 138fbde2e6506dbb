/**
 * Colours of the icon tiles. A brand icon is drawn in white or black on its brand colour, whichever reads
 * better; an account without an icon gets its initial in white on one of `INITIAL_COLOURS`, all of which give
 * white text at least WCAG AA contrast (4.5:1), so the tile reads the same in the light and the dark theme.
 */

/** Relative luminance (WCAG 2) of `#rrggbb` or `rrggbb`. */
export function luminance(hex: string): number {
  const h = hex.replace(/^#/, "");
  const channel = (i: number) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The glyph colour on a brand tile of colour `hex`: white or near-black, the one with more contrast. */
export function glyphOn(hex: string): string {
  return contrast(hex, "#ffffff") >= contrast(hex, "#111111") ? "#ffffff" : "#111111";
}

/** Tile colours for initials; each holds white text at ≥ 4.5:1 (checked by `colour.test.ts`). */
export const INITIAL_COLOURS = ["#1565c0", "#2e7d32", "#6a1b9a", "#ad1457", "#c62828", "#00695c", "#4e342e", "#37474f", "#283593", "#bf360c"];

/** The initial shown for a title (its first letter or digit, upper case; "?" when it has none). */
export function initialOf(title: string): string {
  const first = [...title.normalize("NFC")].find((c) => /[\p{L}\p{N}]/u.test(c));
  return first ? first.toLocaleUpperCase() : "?";
}

/** A stable tile colour for a title, so an account keeps its colour across runs. */
export function initialColour(title: string): string {
  let h = 0;
  for (const c of title.toLowerCase()) h = (h * 31 + (c.codePointAt(0) ?? 0)) >>> 0;
  return INITIAL_COLOURS[h % INITIAL_COLOURS.length] ?? "#37474f";
}
