import { describe, expect, it } from "vitest";
import { contrast, glyphOn, initialColour, initialOf, INITIAL_COLOURS } from "./colour";

describe("icon tile colours", () => {
  it("gives white initials AA contrast on every tile colour", () => {
    for (const colour of INITIAL_COLOURS) expect(contrast(colour, "#ffffff"), colour).toBeGreaterThanOrEqual(4.5);
  });

  it("draws a brand glyph in the colour that reads better", () => {
    expect(glyphOn("181717")).toBe("#ffffff"); // GitHub
    expect(glyphOn("FFFC00")).toBe("#111111"); // Snapchat
    expect(glyphOn("4285F4")).toBe("#111111"); // Google's blue: black reads better than white
  });

  it("takes the first letter or digit, upper case, and a stable colour", () => {
    expect(initialOf("github")).toBe("G");
    expect(initialOf("  (work) ölbank")).toBe("W");
    expect(initialOf("123")).toBe("1");
    expect(initialOf("—")).toBe("?");
    expect(initialColour("Company VPN")).toBe(initialColour("company vpn"));
  });
});
