// The translations: every locale holds exactly the English keys with the same placeholders and the plural
// forms its language needs, and is really translated; the system's language is the default, and the picker
// in Settings switches the window's language at once.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import SettingsPage from "./components/SettingsPage.svelte";
import { applyLanguage, currentLanguage, currentLocale, LANGUAGES, resolveLocale, setLocale, t } from "./i18n";
import { sortAccounts } from "./search";
import { defaultSettings } from "./settings";
import { fakeAccount, mockIpc } from "./testing";

type Message = string | Record<string, string>;
type Area = Record<string, Message>;
const files = import.meta.glob<Area>("./i18n/*/*.json", { eager: true, import: "default" });

/** locale → area → messages, from the files themselves (so a file the index does not gather still counts). */
const byLocale: Record<string, Record<string, Area>> = {};
for (const [path, messages] of Object.entries(files)) {
  const [, , locale = "", file = ""] = path.split("/");
  (byLocale[locale] ??= {})[file.replace(/\.json$/, "")] = messages;
}
const english = byLocale.en ?? {};
const locales = Object.keys(byLocale).filter((l) => l !== "en");

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const withoutCount = (text: string) => placeholders(text).filter((p) => p !== "count");

// Values that stay as in English, each for a reason: brand and standard names, unit symbols, key names that
// the language writes the English way, and words the language shares with English.
const SAME_AS_ENGLISH: Record<string, string[]> = {
  "*": [
    "common.appName", "tray.tooltip", "add.steam", "import.kindSteam", "import.kindTotp", "import.kindHotp",
    "add.sha1", "add.sha256", "add.sha512", "settings.clockServerPlaceholder",
    "clock.seconds", "clock.minutes", "clock.hours", "shortcuts.keysEscape", "shortcuts.keysMove",
  ],
  fr: ["shortcuts.keysSwitcher", "shortcuts.keysLock", "shortcuts.keysImport", "add.service", "edit.service", "view.sortIssuer", "iconpacks.version"],
  es: ["shortcuts.keysSwitcher", "shortcuts.keysLock", "shortcuts.keysImport"],
  it: ["shortcuts.keysSwitcher", "shortcuts.keysLock", "shortcuts.keysImport", "create.password", "unlock.password"],
  de: ["view.sortName"],
};
/** A message with no word in it (a separator, `{issuer} ({name})`, `⚠ {text}`) has nothing to translate. */
const wordless = (text: string) => !/\p{L}/u.test(text.replace(/\{\w+\}/g, ""));

afterEach(async () => {
  cleanup();
  vi.restoreAllMocks();
  await setLocale("en");
});

describe("every locale", () => {
  it("exists for German, French, Spanish and Italian, and the picker offers each", () => {
    expect(locales.sort()).toEqual(["de", "es", "fr", "it"]);
    expect(LANGUAGES.map((l) => l.tag).sort()).toEqual(["de", "en", "es", "fr", "it"]);
  });

  it.each(locales)("%s has exactly the English areas and keys", (locale) => {
    const mine = byLocale[locale] ?? {};
    expect(Object.keys(mine).sort()).toEqual(Object.keys(english).sort());
    for (const [area, messages] of Object.entries(english)) {
      expect(Object.keys(mine[area] ?? {}).sort(), `${locale}/${area}.json`).toEqual(Object.keys(messages).sort());
    }
  });

  it.each(locales)("%s keeps every placeholder and has every plural form its language needs", (locale) => {
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories.slice().sort();
    const problems: string[] = [];
    for (const [area, messages] of Object.entries(english)) {
      for (const [key, source] of Object.entries(messages)) {
        const target = byLocale[locale]?.[area]?.[key];
        const name = `${area}.${key}`;
        if (typeof source === "string") {
          if (typeof target !== "string") problems.push(`${name}: not a plain message`);
          else if (placeholders(target).join() !== placeholders(source).join()) problems.push(`${name}: placeholders`);
          continue;
        }
        if (typeof target !== "object") {
          problems.push(`${name}: not a plural message`);
          continue;
        }
        if (Object.keys(target).sort().join() !== categories.join()) problems.push(`${name}: forms ${Object.keys(target)}`);
        const other = source.other ?? "";
        for (const [form, text] of Object.entries(target)) {
          // A form may leave the number out ("Account added"); every other placeholder stays.
          if (withoutCount(text).join() !== withoutCount(other).join()) problems.push(`${name}.${form}: placeholders`);
          const counted = placeholders(other).includes("count");
          if (counted && form !== "one" && !placeholders(text).includes("count")) problems.push(`${name}.${form}: no {count}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each(locales)("%s is translated: nothing reads as the English but names, symbols and units", (locale) => {
    const allowed = new Set([...(SAME_AS_ENGLISH["*"] ?? []), ...(SAME_AS_ENGLISH[locale] ?? [])]);
    const same: string[] = [];
    for (const [area, messages] of Object.entries(english)) {
      for (const [key, source] of Object.entries(messages)) {
        const target = byLocale[locale]?.[area]?.[key];
        const a = typeof source === "string" ? source : (source.other ?? "");
        const b = typeof target === "string" ? target : target?.other;
        if (a === b && !wordless(a) && !allowed.has(`${area}.${key}`)) same.push(`${area}.${key}: ${a}`);
      }
    }
    expect(same).toEqual([]);
  });

  it("picks the plural form by the language's rules and writes numbers its way", async () => {
    await setLocale("fr");
    expect(t("common.accounts", { count: 0 })).toBe("0 compte");
    expect(t("common.accounts", { count: 2 })).toBe("2 comptes");
    expect(t("common.accounts", { count: 1_000_000 })).toBe("1\u202f000\u202f000 de comptes");
    await setLocale("de");
    expect(t("common.accounts", { count: 1234 })).toBe("1.234 Konten");
  });
});

describe("the window's language", () => {
  it("sorts names the language's way", async () => {
    const names = () =>
      sortAccounts([fakeAccount({ id: "1", name: "Ñandú" }), fakeAccount({ id: "2", name: "Nube" })], "name").map((a) => a.name);
    expect(names()).toEqual(["Ñandú", "Nube"]);
    await setLocale("es-ES");
    expect(names()).toEqual(["Nube", "Ñandú"]);
  });

  it("is the system's by default: de-AT gets German, with Austrian dates", async () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["de-AT", "en-US"]);
    expect(await applyLanguage(undefined)).toBe("de");
    expect(t("common.cancel")).toBe("Abbrechen");
    expect(currentLocale()).toBe("de-AT");
    expect(document.documentElement.lang).toBe("de-AT");
    expect(new Date(Date.UTC(2026, 0, 5, 12)).toLocaleDateString(currentLocale(), { month: "long", timeZone: "UTC" })).toBe("Jänner");
  });

  it("falls back to English for a language it does not have, and takes the next one the system asks for", async () => {
    expect(resolveLocale(["xx-YY"]).locale).toBe("en");
    expect(resolveLocale(["pt-BR", "it-IT"]).locale).toBe("it");
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["tlh"]);
    expect(await applyLanguage(undefined)).toBe("en");
    expect(t("common.cancel")).toBe("Cancel");
  });

  it("is the chosen one when settings.json names one, over the system's", async () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["de-DE"]);
    expect(await applyLanguage("es")).toBe("es");
    expect(t("common.cancel")).toBe("Cancelar");
    // A tag we lack in the file: the system's language, not English.
    expect(await applyLanguage("pt")).toBe("de");
  });

  it("switches at once from the Settings picker, and is saved in settings.json", async () => {
    vi.spyOn(navigator, "languages", "get").mockReturnValue(["fr-CA"]);
    await applyLanguage(undefined);
    const saved: unknown[] = [];
    mockIpc({
      update_settings: (args) => void saved.push(args?.settings),
      tray_status: () => ({ host: true }),
      keyring_status: () => ({ enabled: false, days: 7, ready: false }),
      follow_status: () => null,
      sync_status: () => ({ state: "off", devices: [] }),
    });
    const onSettings = vi.fn();
    render(SettingsPage, { settings: defaultSettings(), onSaved: vi.fn(), onCancel: vi.fn(), onSettings });
    expect(screen.getByRole("heading", { level: 2, name: "Paramètres" })).toBeTruthy();
    const picker = screen.getByLabelText("Langue") as HTMLSelectElement;
    expect([...picker.options].map((o) => o.text)).toEqual([
      "Langue du système (Français)", "English", "Deutsch", "Français", "Español", "Italiano",
    ]);
    expect(picker.value).toBe("");

    await fireEvent.change(picker, { target: { value: "de" } });
    await waitFor(() => expect(screen.getByRole("heading", { level: 2, name: "Einstellungen" })).toBeTruthy());
    expect(currentLanguage()).toBe("de");
    expect(screen.getByRole("button", { name: "Einstellungen speichern" })).toBeTruthy();
    expect(screen.getByLabelText("Sprache")).toBe(picker);
    expect(saved).toEqual([{ ...defaultSettings(), language: "de" }]);
    expect(onSettings).toHaveBeenCalledWith({ ...defaultSettings(), language: "de" });

    // Back to the system's: the setting is dropped from the file again.
    await fireEvent.change(picker, { target: { value: "" } });
    await waitFor(() => expect(screen.getByRole("heading", { level: 2, name: "Paramètres" })).toBeTruthy());
    expect(saved[1]).toEqual({ ...defaultSettings(), language: undefined });
  });
});
