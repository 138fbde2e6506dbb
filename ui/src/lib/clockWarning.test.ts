import { describe, expect, it } from "vitest";
import { clockWarning } from "./clockWarning";
import { pieces } from "./i18n/pieces";

describe("the clock warning", () => {
  // The same sentences as `clock::warning` in src-tauri/src/clock.rs and its tests.
  it("words the offset like the shell does", () => {
    expect(clockWarning(-42_000)).toBe("Your clock is 42 s slow; codes may be rejected");
    expect(clockWarning(42_000)).toBe("Your clock is 42 s fast; codes may be rejected");
    expect(clockWarning(5_600)).toBe("Your clock is 6 s fast; codes may be rejected");
    expect(clockWarning(-119_000)).toBe("Your clock is 119 s slow; codes may be rejected");
  });

  it("switches to minutes, hours and days for large offsets", () => {
    expect(clockWarning(120_000)).toBe("Your clock is 2 min fast; codes may be rejected");
    expect(clockWarning(-3 * 3600_000)).toBe("Your clock is 3 h slow; codes may be rejected");
    expect(clockWarning(3 * 86_400_000)).toBe("Your clock is 3 days fast; codes may be rejected");
  });
});

describe("message pieces", () => {
  it("splits a message into text and placeholders", () => {
    expect(pieces("Add one by pasting its {link} link.")).toEqual([
      { text: "Add one by pasting its " },
      { name: "link" },
      { text: " link." },
    ]);
    expect(pieces("{a}{b}")).toEqual([{ name: "a" }, { name: "b" }]);
    expect(pieces("plain")).toEqual([{ text: "plain" }]);
  });
});
