// The shell's texts (issue 18): every key the shell can send is in the catalog, every language words every
// key with the same placeholders and the plural forms it needs, and the UI words them, nested ones too.
import { describe, expect, it } from "vitest";
import { errorMessage, IpcError, shellMessage } from "./api";
import { wordText } from "./detail";
import { en } from "./i18n/en";
import type { Text } from "./ipc/Text";

type Catalog = Record<string, string | Record<string, string>>;
const locales: Record<string, Catalog> = import.meta.glob("./i18n/*/detail.json", { import: "default", eager: true });
const rust: Record<string, string> = import.meta.glob("../../../src-tauri/src/text.rs", { query: "?raw", import: "default", eager: true });

/** The key names listed in the shell's `keys!` table (`Name = "name",`). */
function shellKeys(): string[] {
  const source = Object.values(rust)[0] ?? "";
  const table = source.slice(source.indexOf("keys! {"), source.indexOf("\n}\n", source.indexOf("keys! {")));
  return [...table.matchAll(/^\s+\w+ = "(\w+)",$/gm)].map((m) => m[1] ?? "");
}

function placeholders(message: string | Record<string, string>): string[][] {
  const forms = typeof message === "string" ? [message] : Object.values(message);
  return forms.map((text) => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ""))].sort());
}

describe("the shell's texts", () => {
  it("has an English message for every key the shell can send, and no other", () => {
    const keys = shellKeys();
    expect(keys.length).toBeGreaterThan(100);
    expect(keys.filter((key) => !(key in en.detail))).toEqual([]);
    expect(Object.keys(en.detail).filter((key) => !keys.includes(key))).toEqual([]);
  });

  it("is translated in every language with the same placeholders and that language's plural forms", () => {
    const languages = Object.keys(locales).map((path) => path.split("/")[2] ?? "");
    expect(languages.sort()).toEqual(["de", "en", "es", "fr", "it"]);
    for (const [path, catalog] of Object.entries(locales)) {
      const language = path.split("/")[2] ?? "";
      expect(Object.keys(catalog), language).toEqual(Object.keys(en.detail));
      const needed = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
      for (const [key, english] of Object.entries(en.detail as Catalog)) {
        const message = catalog[key] ?? "";
        const wanted = placeholders(english)[0] ?? [];
        for (const found of placeholders(message)) expect(found, `${language} ${key}`).toEqual(wanted);
        if (typeof english !== "string") {
          expect(typeof message, `${language} ${key}`).toBe("object");
          for (const form of needed) expect(message, `${language} ${key}`).toHaveProperty(form);
        }
      }
    }
  });

  it("words a text with its parameters, nested texts and plurals, in English", () => {
    const unusual: Text = { key: "detail.warn_unusual_key_length", params: { count: 9 } };
    expect(wordText({ key: "detail.entry_warning", params: { label: "Ex (ann)", warning: unusual } })).toBe(
      "Ex (ann): the key is 9 base32 characters long, which is unusual: its last bits were dropped, as other apps do; check that the codes match the service",
    );
    expect(wordText({ key: "detail.other_codes_ignored", params: { count: 1 } })).toBe(
      "1 other QR code ignored: not an authenticator link",
    );
    // A key this build does not know shows itself: never an empty line.
    expect(wordText({ key: "detail.from_the_future", params: {} })).toBe("detail.from_the_future");
  });

  it("words an error's detail inside the sentence for its code", () => {
    const detail: Text = {
      key: "detail.io_write",
      params: { path: "/home/ann/b.twofold", reason: { key: "detail.os_disk_full", params: {} } },
    };
    const error = new IpcError("io", "could not write /home/ann/b.twofold: No space left on device (os error 28)", detail);
    expect(errorMessage(error)).toBe("Twofold could not finish this: could not write /home/ann/b.twofold: the disk is full.");
    // Without a detail (an error that did not come from the shell) the message is the detail.
    expect(shellMessage("io", "boom")).toBe("Twofold could not finish this: boom.");
  });
});
