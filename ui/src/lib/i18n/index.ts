// The one translation layer. Every string the user can read goes through `t`.
//
// Catalogs live in `<locale>/<area>.json` (one file per screen or area, so work on different screens does
// not collide). English (`en/`, gathered in `en/index.ts`) is in the start-up script and complete by
// definition; a key is `<area>.<name>`, and `t` is typed so that a key missing from the English catalog is a
// type error (`npm run check`). Every other locale is its own chunk (`<locale>/index.ts` gathers its folder),
// loaded by `setLocale` before it is shown; a key it lacks falls back to English, key by key.
//
// A message may hold `{name}` placeholders, filled from `params`. A message
// whose text depends on a number is an object of plural forms
// (`{"one": "{count} account", "other": "{count} accounts"}`), chosen by
// `params.count` with the locale's plural rules.
import { en } from "./en";
import { active } from "./state.svelte";

export type Plural = { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string };
type Message = string | Plural;

type Leaves<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K}`
    : T[K] extends { other: string }
      ? `${P}${K}`
      : Leaves<T[K], `${P}${K}.`>;
}[keyof T & string];

/** Every key of the English catalog, e.g. `"unlock.title"`. */
export type MessageKey = Leaves<typeof en>;
export type Params = Record<string, string | number>;

type Catalog = Record<string, Record<string, Message>>;

/** The languages the picker offers, each named in itself. */
export const LANGUAGES: ReadonlyArray<{ tag: string; name: string }> = [
  { tag: "en", name: "English" },
  { tag: "de", name: "Deutsch" },
  { tag: "fr", name: "Français" },
  { tag: "es", name: "Español" },
  { tag: "it", name: "Italiano" },
];

/** The pseudo-locale for tests (see `pseudo.ts`): chosen only through settings.json, never offered. */
export const PSEUDO = "x-pseudo";

// Each locale folder but English is a chunk of its own, fetched the first time that language is chosen.
const loaders: Record<string, () => Promise<Catalog>> = {
  ...Object.fromEntries(
    Object.entries(import.meta.glob<{ default: Catalog }>(["./*/index.ts", "!./en/index.ts"])).map(([path, load]) => [
      path.split("/")[1] ?? "",
      async () => (await load()).default,
    ]),
  ),
  [PSEUDO]: async () => (await import("./pseudo")).pseudoCatalog(en),
};

const catalogs: Record<string, Catalog> = { en };
// The tag dates and numbers are written for: the system's own (`de-AT`) when it picked the catalog, else the
// catalog's; English for the pseudo-locale, which Intl does not know.
let intl = "en";
let plurals = new Intl.PluralRules(intl);
let numbers = new Intl.NumberFormat(intl);
let requested = 0;

/** The locale dates and numbers are formatted for (`Intl`), e.g. `de-AT`. */
export function currentLocale(): string {
  return intl;
}

/** The catalog shown: `en`, `de`, … or `x-pseudo`. */
export function currentLanguage(): string {
  return active.locale;
}

/** The languages the system asks for, most wanted first (`navigator.languages`). */
export function systemLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** The catalog for the first of `wanted` that we have (`de-AT` → `de`), or English; and the Intl tag. */
export function resolveLocale(wanted: readonly string[]): { locale: string; intl: string } {
  for (const tag of wanted) {
    const lower = tag.toLowerCase().replace(/_/g, "-");
    if (lower === PSEUDO) return { locale: PSEUDO, intl: "en" };
    const base = lower.split("-")[0] ?? "";
    if (base === "en" || base in loaders) return { locale: base, intl: validTag(tag) ?? base };
  }
  return { locale: "en", intl: "en" };
}

function validTag(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag.replace(/_/g, "-"))[0];
  } catch {
    return undefined;
  }
}

/** Shows `wanted` (a tag or the system's list), loading its catalog first; answers the catalog chosen. A
 * catalog that cannot be loaded leaves English. When calls overlap, the last one wins. */
export async function setLocale(wanted: string | readonly string[]): Promise<string> {
  const ticket = ++requested;
  let chosen = resolveLocale(typeof wanted === "string" ? [wanted] : wanted);
  if (!catalogs[chosen.locale]) {
    try {
      const load = loaders[chosen.locale];
      if (load) catalogs[chosen.locale] = await load();
    } catch {
      chosen = { locale: "en", intl: "en" };
    }
  }
  if (ticket !== requested) return active.locale;
  if (!catalogs[chosen.locale]) chosen = { locale: "en", intl: "en" };
  intl = chosen.intl;
  plurals = new Intl.PluralRules(intl);
  numbers = new Intl.NumberFormat(intl);
  active.locale = chosen.locale;
  if (typeof document !== "undefined") {
    document.documentElement.lang = chosen.locale === PSEUDO ? "en" : intl;
    document.title = t("common.appName");
  }
  return chosen.locale;
}

/** Applies the `language` setting: the chosen language, or (none, or one we lack) the system's. */
export function applyLanguage(setting: string | undefined | null): Promise<string> {
  return setLocale(setting ? [setting, ...systemLanguages()] : systemLanguages());
}

function lookup(catalog: Catalog | undefined, key: string): Message | undefined {
  if (!catalog) return undefined;
  const dot = key.indexOf(".");
  if (dot < 0) return undefined;
  return catalog[key.slice(0, dot)]?.[key.slice(dot + 1)];
}

// Numbers are written the locale's way (1,234 in English); strings go in as they are.
function format(value: string | number | undefined): string {
  return typeof value === "number" ? numbers.format(value) : String(value);
}

function fill(text: string, params: Params | undefined): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? format(params[name]) : whole,
  );
}

/** The message for `key` in the current locale, with `params` filled in. */
export function t(key: MessageKey, params?: Params): string {
  const message = lookup(catalogs[active.locale], key) ?? lookup(en, key);
  if (message === undefined) return key;
  if (typeof message === "string") return fill(message, params);
  const count = Number(params?.count ?? 0);
  const form = plurals.select(count) as keyof Plural;
  return fill(message[form] ?? message.other, params);
}

/** Like `t`, for keys built at run time (e.g. from an error code); `undefined` when the catalog has none. */
export function tryT(key: string, params?: Params): string | undefined {
  const message = lookup(catalogs[active.locale], key) ?? lookup(en, key);
  return message === undefined ? undefined : t(key as MessageKey, params);
}
