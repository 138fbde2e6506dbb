// The pseudo-locale proves nothing on the main screens is left untranslated: every message of `x-pseudo` has
// only accented letters (see i18n/pseudo.ts), and the fixtures below have none either, so any plain letter
// a screen shows (text, aria-label, placeholder, title, alt) was written into a component or came from a
// catalog that missed the key.
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import App from "../App.svelte";
import { currentLanguage, LANGUAGES, setLocale, t } from "./i18n";
import { pseudoMessage } from "./i18n/pseudo";
import { defaultSettings } from "./settings";
import { fakeAccount, mockIpc } from "./testing";

vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => undefined) }));

const READ = ["aria-label", "aria-description", "placeholder", "title", "alt"];

/** Every plain (unaccented) Latin letter a person can read or hear in the window, with where it is. */
function plainText(): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    // Languages in the picker are named in themselves, on purpose (`lang` says which).
    if (!parent || parent.closest("script, style, option[lang]")) continue;
    // Languages are named in themselves on purpose, also in "System default (English)".
    const text = LANGUAGES.reduce((rest, l) => rest.replaceAll(l.name, ""), node.textContent ?? "");
    if (/[A-Za-z]/.test(text)) found.push(`<${parent.tagName.toLowerCase()}> ${text.trim()}`);
  }
  for (const element of document.body.querySelectorAll("*")) {
    if (element.closest("option[lang]")) continue;
    for (const name of READ) {
      const value = element.getAttribute(name);
      if (value && /[A-Za-z]/.test(value)) found.push(`<${element.tagName.toLowerCase()} ${name}> ${value}`);
    }
  }
  return found;
}

// Fixtures without a plain Latin letter, so whatever shows one is the UI's own text.
const now = Date.now();
const accounts = [
  fakeAccount({ id: "a", issuer: "Ğïţħûƀ", name: "åļîçé", groups: ["Ŵöŕķ"], validFrom: now, validUntil: now + 30_000 }),
  fakeAccount({ id: "b", issuer: "Ṁåšţöðöñ", name: "ƀöƀ", favorite: true, validFrom: now, validUntil: now + 30_000 }),
  fakeAccount({ id: "c", issuer: "Ƒöŕĝé", name: "çåŕöļ", kind: "hotp", counter: 3, code: "111111", recoveryTotal: 2, recoveryUnused: 1 }),
];
const backupOff = { enabled: false, kind: "off", message: "", lastSuccess: null, failure: null, failedAt: null };

function shell(status: string) {
  return mockIpc({
    vault_status: () => status,
    get_settings: () => ({ ...defaultSettings(), language: "x-pseudo" }),
    update_settings: () => undefined,
    list_accounts: () => ({ now: Date.now(), accounts }),
    backup_status: () => backupOff,
    take_pending_link: () => null,
    keyring_status: () => ({ enabled: false, days: 7, ready: false }),
    tray_status: () => ({ host: true }),
    follow_status: () => [],
    sync_status: () => ({ state: "off", devices: [], lastChange: null }),
    webdav_settings: () => ({ url: "", user: "", passwordSet: false }),
    quick_switcher_status: () => ({ wayland: false, error: null }),
    export_formats: () => [
      { format: "aegis", plaintext: false, suggestedName: "ţŵöƒöļð.ĵšöñ", leavesOut: ["recovery_codes", "usage_history"] },
      { format: "otpauth", plaintext: true, suggestedName: "ţŵöƒöļð.ţẋţ", leavesOut: ["notes", "groups"] },
    ],
    account_icon: () => null,
    list_recovery_codes: () => [],
    check_clock: () => null,
  });
}

beforeEach(async () => {
  expect(await setLocale("x-pseudo")).toBe("x-pseudo");
});

afterEach(async () => {
  cleanup();
  await setLocale("en");
});

describe("the pseudo-locale", () => {
  it("accents every letter, keeps placeholders, lengthens by about 40% and marks the ends", () => {
    expect(pseudoMessage("Copy code for {name}")).toBe("⟦Çööþýý çööðéé ƒööŕ {name}⟧");
    expect(pseudoMessage(", ")).toBe(", ");
    const english = "Keep the window out of screenshots and screen sharing";
    const pseudo = pseudoMessage(english);
    expect(pseudo).not.toMatch(/[A-Za-z]/);
    expect(pseudo.length / english.length).toBeGreaterThan(1.3);
    expect(t("common.accounts", { count: 2 })).toBe("⟦2 áçççööûñţţš⟧");
    expect(currentLanguage()).toBe("x-pseudo");
  });

  it("catches text written into a component (the check can fail)", () => {
    const p = document.createElement("p");
    p.innerHTML = `${t("common.cancel")} <button title="Close">×</button>`;
    document.body.appendChild(p);
    expect(plainText()).toEqual(["<button title> Close"]);
    p.remove();
  });

  it("leaves no plain text on Create vault and Unlock", async () => {
    shell("no_vault");
    render(App);
    await screen.findByRole("heading", { name: t("create.title") });
    expect(plainText()).toEqual([]);
    cleanup();
    shell("locked");
    render(App);
    await screen.findByRole("heading", { name: t("unlock.title") });
    expect(plainText()).toEqual([]);
  });

  it("leaves no plain text on the list, Add, Edit, Settings, Backups and Import", async () => {
    shell("unlocked");
    render(App);
    await screen.findAllByRole("button", { name: new RegExp(`^${t("card.copyCodeFor")}`) });
    expect(plainText()).toEqual([]);

    await fireEvent.click(screen.getByRole("button", { name: t("list.addLabel") }));
    await screen.findByRole("heading", { name: t("add.title") });
    expect(plainText()).toEqual([]);
    await fireEvent.click(screen.getByRole("button", { name: t("common.back") }));

    await fireEvent.click(await screen.findByRole("button", { name: t("card.editLabel", { title: "Ğïţħûƀ" }) }));
    await screen.findByRole("heading", { name: t("edit.title", { name: "Ğïţħûƀ" }) });
    expect(plainText()).toEqual([]);
    await fireEvent.click(screen.getByRole("button", { name: t("common.back") }));

    await fireEvent.click(await screen.findByRole("button", { name: t("list.settingsLabel") }));
    await screen.findByRole("heading", { name: t("settings.title"), level: 2 }, { timeout: 10_000 });
    expect(plainText()).toEqual([]);
    await fireEvent.click(screen.getByRole("button", { name: t("common.back") }));

    await fireEvent.click(await screen.findByRole("button", { name: t("list.backupsLabel") }));
    await screen.findByRole("heading", { name: t("backups.title"), level: 2 }, { timeout: 10_000 });
    for (const tab of ["tabBackup", "tabTest", "tabRestore", "tabExport", "tabAuto"] as const) {
      await fireEvent.click(screen.getByRole("tab", { name: t(`backups.${tab}`) }));
      expect(plainText(), tab).toEqual([]);
    }
    await fireEvent.click(screen.getByRole("button", { name: t("common.back") }));

    await fireEvent.click(await screen.findByRole("button", { name: t("list.importLabel") }));
    await screen.findByRole("heading", { name: t("import.title"), level: 2 }, { timeout: 10_000 });
    expect(plainText()).toEqual([]);
  });
});
