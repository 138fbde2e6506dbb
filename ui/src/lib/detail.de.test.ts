// The shell's texts worded in German: the `detail` area of the catalog is replaced by the German file, so the
// real lookup (placeholders, nesting, plural rules) runs on it.
import { describe, expect, it, vi } from "vitest";
import { wordText } from "./detail";
import type { Text } from "./ipc/Text";

vi.mock("./i18n/en", async (importOriginal) => {
  const actual = await importOriginal<typeof import("./i18n/en")>();
  const de = await import("./i18n/de/detail.json");
  return { en: { ...actual.en, detail: de.default } };
});

describe("the shell's texts in German", () => {
  it("words an import problem, a link warning in its entry, a scan note and an export loss", () => {
    expect(wordText({ key: "detail.entry_unsupported_type", params: { kind: "mOTP" } })).toBe(
      "Einträge vom Typ mOTP werden nicht unterstützt",
    );
    const short: Text = { key: "detail.warn_short_key", params: { bits: "40", min: "80" } };
    expect(wordText({ key: "detail.entry_warning", params: { label: "Ex (ann)", warning: short } })).toBe(
      "Ex (ann): der Schlüssel ist nur 40 Bit lang (Dienste vergeben mindestens 80); prüfen Sie, ob die Codes mit dem Dienst übereinstimmen",
    );
    expect(wordText({ key: "detail.other_codes_ignored", params: { count: 1 } })).toBe(
      "1 weiterer QR-Code ignoriert: kein Authenticator-Link",
    );
    expect(wordText({ key: "detail.other_codes_ignored", params: { count: 3 } })).toBe(
      "3 weitere QR-Codes ignoriert: keine Authenticator-Links",
    );
    const steam: Text = { key: "detail.transfer_no_steam", params: {} };
    expect(wordText({ key: "detail.export_skipped", params: { account: "Steam (me)", reason: steam } })).toBe(
      "Steam (me) – eine Übertragung von Google Authenticator kann keine Steam-Guard-Konten enthalten",
    );
  });

  it("words a refused icon pack with its entry name, sizes and a nested picture problem", () => {
    // Issue 18: these were the core's English sentences before.
    expect(wordText({ key: "detail.pack_unsafe_name", params: { name: "../evil.svg" } })).toBe(
      "das Archiv enthält eine Datei namens „../evil.svg“: Namen, die aus dem Ordner des Pakets herausführen, werden abgelehnt",
    );
    expect(wordText({ key: "detail.pack_bomb", params: { name: "a.svg", ratio: "100" } })).toBe(
      "„a.svg“ ist stärker als 100 zu 1 komprimiert: eine ZIP-Bombe wird abgelehnt",
    );
    // Counts are formatted by the UI's locale (English here: only the detail area is German).
    expect(wordText({ key: "detail.pack_too_many_entries", params: { count: 10000, max: "5000" } })).toBe(
      "das Archiv enthält 10,000 Dateien; ein Symbolpaket darf höchstens 5000 enthalten",
    );
    const pixels: Text = { key: "detail.icon_too_many_pixels", params: { name: "big.png", max: "8192" } };
    expect(wordText({ key: "detail.pack_bad_icon", params: { reason: pixels } })).toBe(
      "ein Symbol des Pakets ist nicht verwendbar: big.png: das Bild ist zu groß zum Dekodieren (über 8192 Pixel pro Seite)",
    );
  });

  it("words an account with neither service nor name in German, not the core's English", () => {
    // Issue 18: the shell sent "(unnamed account)" before; now a key in a sentence and an empty label.
    const unnamed: Text = { key: "detail.unnamed_account", params: {} };
    const steam: Text = { key: "detail.transfer_no_steam", params: {} };
    expect(wordText({ key: "detail.export_skipped", params: { account: unnamed, reason: steam } })).toBe(
      "(unbenanntes Konto) – eine Übertragung von Google Authenticator kann keine Steam-Guard-Konten enthalten",
    );
  });

  it("words what is invalid in a vault's contents", () => {
    const field: Text = { key: "detail.invalid_account_field", params: { number: "3", field: "digits" } };
    expect(wordText({ key: "detail.vault_invalid_contents", params: { reason: field } })).toBe(
      "der Inhalt des Tresors ist ungültig: Konto 3: das Feld „digits“ fehlt oder ist ungültig",
    );
  });

  it("words an error detail with an operating-system reason", () => {
    const detail: Text = {
      key: "detail.io_read",
      params: { path: "/home/ann/a.json", reason: { key: "detail.os_permission_denied", params: {} } },
    };
    expect(wordText(detail)).toBe("/home/ann/a.json konnte nicht gelesen werden: Zugriff verweigert");
  });
});
