import { describe, expect, it } from "vitest";
import { followSentence } from "./follow";

describe("followSentence", () => {
  it("says what a backup changed, leaving out what it did not", () => {
    const round = { kind: "applied" as const, source: "s", appName: "Aegis", clock: "10:42", added: 1, changed: 2, removed: 1 };
    expect(followSentence(round)).toBe("Aegis backup of 10:42: 1 new, 2 changed, 1 removed on the phone");
    expect(followSentence({ ...round, changed: 0, removed: 0 })).toBe("Aegis backup of 10:42: 1 new");
  });

  it("asks for the backup password with the file it could not open", () => {
    const round = { kind: "passwordNeeded" as const, source: "s", appName: "Aegis", file: "aegis-backup-20261207-104200.json" };
    expect(followSentence(round)).toContain("does not open the Aegis backup aegis-backup-20261207-104200.json");
  });
});
