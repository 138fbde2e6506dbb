import { describe, expect, it } from "vitest";
import { backupWarning } from "./backupStatus";

describe("backupWarning", () => {
  it("warns only when automatic backups are on and the last attempt is not a success", () => {
    expect(backupWarning({ enabled: false, kind: "off" })).toBe(false);
    expect(backupWarning({ enabled: true, kind: "ok" })).toBe(false);
    expect(backupWarning({ enabled: true, kind: "failed" })).toBe(true);
    expect(backupWarning({ enabled: true, kind: "neverMade" })).toBe(true);
    expect(backupWarning({ enabled: true, kind: "needsPassword" })).toBe(true);
  });
});
