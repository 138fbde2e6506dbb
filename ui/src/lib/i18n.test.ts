import { describe, it, expect, afterEach } from "vitest";
import { t, tryT, setLocale, currentLocale } from "./i18n";

describe("translation layer", () => {
  afterEach(async () => {
    await setLocale("en");
  });

  it("returns the English message for a key", () => {
    expect(t("common.cancel")).toBe("Cancel");
  });

  it("fills placeholders and picks plural forms by count", () => {
    expect(t("common.accounts", { count: 1 })).toBe("1 account");
    expect(t("common.accounts", { count: 0 })).toBe("0 accounts");
    expect(t("common.accounts", { count: 12 })).toBe("12 accounts");
    expect(t("common.accounts", { count: 1234 })).toBe("1,234 accounts");
  });

  it("falls back to English for a locale it does not have", async () => {
    expect(await setLocale("xx-YY")).toBe("en");
    expect(currentLocale()).toBe("en");
    expect(document.documentElement.lang).toBe("en");
    expect(t("common.cancel")).toBe("Cancel");
  });

  it("answers undefined for a run-time key the catalog lacks", () => {
    expect(tryT("common.noSuchKey")).toBeUndefined();
    expect(tryT("nosuch")).toBeUndefined();
    expect(tryT("common.cancel")).toBe("Cancel");
  });
});
