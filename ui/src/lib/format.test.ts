import { describe, expect, it } from "vitest";
import { groupCode, passwordStrength } from "./format";

describe("groupCode", () => {
  it.each([
    ["123456", "123 456"],
    ["1234567", "1234 567"],
    ["12345678", "1234 5678"],
    ["123456789", "123 456 789"],
    ["1234567890", "1234 567 890"],
    ["2BXKQ", "2BXKQ"],
    ["1234", "1234"],
    ["123 456", "123 456"],
  ])("%s -> %s", (input, expected) => {
    expect(groupCode(input)).toBe(expected);
  });
});

describe("passwordStrength", () => {
  it("is empty for an empty password", () => {
    expect(passwordStrength("")).toEqual({ score: 0, label: "" });
  });
  it("rates short and repeated passwords as too weak", () => {
    expect(passwordStrength("abc").score).toBe(0);
    expect(passwordStrength("aaaaaaaaaaaaaaaa").score).toBe(0);
  });
  it("rates long passphrases higher than short mixed ones", () => {
    expect(passwordStrength("correct horse battery staple").score).toBeGreaterThan(passwordStrength("Ab1!efgh").score);
    expect(passwordStrength("correct horse battery staple").label).toBe("good");
  });
});
