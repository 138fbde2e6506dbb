import { describe, expect, it } from "vitest";
import { allGroups, filterAccounts, fold, sortAccounts } from "./search";
import { fakeAccount } from "./testing";

const accounts = [
  fakeAccount({ id: "1", issuer: "GitHub", name: "alice", order: 2, groups: ["Work"] }),
  fakeAccount({ id: "2", issuer: "Zürich Bank", name: "alice", order: 0, groups: ["Money"] }),
  fakeAccount({ id: "3", issuer: "Mastodon", name: "bob@social", order: 1, favorite: true }),
  fakeAccount({ id: "4", issuer: "GitLab", name: "work-account", order: 3, groups: ["Work"] }),
];

describe("fold", () => {
  it("drops case and accents", () => {
    expect(fold("Zürich ÉTÉ")).toBe("zurich ete");
  });
});

describe("sortAccounts", () => {
  it("puts favourites first, then manual order", () => {
    expect(sortAccounts(accounts).map((a) => a.id)).toEqual(["3", "2", "1", "4"]);
  });
});

describe("filterAccounts", () => {
  it("returns everything for an empty query", () => {
    expect(filterAccounts(accounts, "  ", null)).toHaveLength(4);
  });
  it("matches issuer, name and groups, ignoring case and accents", () => {
    expect(filterAccounts(accounts, "zurich", null).map((a) => a.id)).toEqual(["2"]);
    expect(filterAccounts(accounts, "BOB", null).map((a) => a.id)).toEqual(["3"]);
    expect(filterAccounts(accounts, "work", null).map((a) => a.id)).toEqual(["1", "4"]);
  });
  it("needs every word to match", () => {
    expect(filterAccounts(accounts, "git alice", null).map((a) => a.id)).toEqual(["1"]);
  });
  it("filters by group", () => {
    expect(filterAccounts(accounts, "", "Money").map((a) => a.id)).toEqual(["2"]);
    expect(filterAccounts(accounts, "lab", "Work").map((a) => a.id)).toEqual(["4"]);
  });
  it("lists the groups in use", () => {
    expect(allGroups(accounts)).toEqual(["Money", "Work"]);
  });
});
