// The one translation layer. Every string the user can read goes through `t`.
//
// Catalogs live in `en/<area>.json` (one file per screen or area, so work on
// different screens does not collide) and are gathered in `en/index.ts`. A key
// is `<area>.<name>`; `t` is typed so that a key missing from the English
// catalog is a type error (`npm run check`).
//
// A message may hold `{name}` placeholders, filled from `params`. A message
// whose text depends on a number is an object of plural forms
// (`{"one": "{count} account", "other": "{count} accounts"}`), chosen by
// `params.count` with the locale's plural rules.
import { en } from "./en";

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

const catalogs: Record<string, Catalog> = { en };
let locale = "en";
let plurals = new Intl.PluralRules(locale);
let numbers = new Intl.NumberFormat(locale);

/** The locale messages are shown in. English is complete; others fall back to it key by key. */
export function currentLocale(): string {
  return locale;
}

/** Picks the best available catalog for `wanted` (e.g. `navigator.language`). */
export function setLocale(wanted: string): string {
  const base = wanted.toLowerCase().split("-")[0] ?? "en";
  locale = base in catalogs ? base : "en";
  plurals = new Intl.PluralRules(locale);
  numbers = new Intl.NumberFormat(locale);
  if (typeof document !== "undefined") document.documentElement.lang = locale;
  return locale;
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
  const message = lookup(catalogs[locale], key) ?? lookup(en, key);
  if (message === undefined) return key;
  if (typeof message === "string") return fill(message, params);
  const count = Number(params?.count ?? 0);
  const form = plurals.select(count) as keyof Plural;
  return fill(message[form] ?? message.other, params);
}

/** Like `t`, for keys built at run time (e.g. from an error code); `undefined` when the catalog has none. */
export function tryT(key: string, params?: Params): string | undefined {
  const message = lookup(catalogs[locale], key) ?? lookup(en, key);
  return message === undefined ? undefined : t(key as MessageKey, params);
}
