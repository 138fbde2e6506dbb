// The pseudo-locale `x-pseudo`, made at run time from English for tests: every letter becomes an accented
// look-alike (so an English letter left on screen shows a string that does not come from the catalog), words
// grow by about 40% (so a layout that only fits English shows it), and the whole message sits in ⟦ ⟧ (so a
// message cut short or glued to another shows it). `{placeholders}` are kept as they are.
import type { Plural } from "./index";

const PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ACCENTED = "áƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ";
const MAP = new Map([...PLAIN].map((c, i) => [c, [...ACCENTED][i] ?? c]));

/** One word, accented and lengthened: the 2nd and 4th letter of every five is doubled (+40%). */
function word(w: string): string {
  return [...w].map((c, i) => {
    const a = MAP.get(c) ?? c;
    return i % 5 === 1 || i % 5 === 3 ? a + a : a;
  }).join("");
}

function text(part: string): string {
  return part.replace(/[A-Za-z]+/g, word);
}

/** `message` pseudo-localised, its `{name}` placeholders untouched. */
export function pseudoMessage(message: string): string {
  const parts = message.split(/(\{\w+\})/);
  const out = parts.map((part, i) => (i % 2 === 1 ? part : text(part))).join("");
  // Symbols only (a separator, an arrow, "{warning}."): nothing to translate, so nothing to mark.
  const words = parts.some((part, i) => i % 2 === 0 && /[A-Za-z]/.test(part));
  return words ? `⟦${out}⟧` : out;
}

type Catalog = Record<string, Record<string, string | Plural>>;

/** The whole English catalog, pseudo-localised. */
export function pseudoCatalog(en: Catalog): Catalog {
  return Object.fromEntries(
    Object.entries(en).map(([area, messages]) => [
      area,
      Object.fromEntries(
        Object.entries(messages).map(([key, m]) => [
          key,
          typeof m === "string"
            ? pseudoMessage(m)
            : (Object.fromEntries(Object.entries(m).map(([form, s]) => [form, pseudoMessage(s as string)])) as Plural),
        ]),
      ),
    ]),
  );
}
