import { describe, expect, it } from "vitest";
import type { AccountView } from "./ipc/AccountView";
import type { ListSort } from "./ipc/ListSort";
import { allGroups, filterAccounts, filterIndex, fold, manualPlaces, moveTargets, searchIndex, sortAccounts } from "./search";
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

// Issue 19: the list sorts and folds once per list and filters per keystroke. These are the functions it had
// before, which sorted the matches at every keystroke; the new ones must give exactly what they gave.
function oldSort(accounts: readonly AccountView[], sort: ListSort): AccountView[] {
  const collator = new Intl.Collator("en", { sensitivity: "base", numeric: true });
  const primary = (a: AccountView, b: AccountView): number => {
    switch (sort) {
      case "name":
        return collator.compare(a.name || a.issuer, b.name || b.issuer);
      case "issuer":
        return collator.compare(a.issuer || a.name, b.issuer || b.name);
      case "mostUsed":
        return b.useCount - a.useCount;
      case "recentlyUsed":
        return (b.lastUsed ?? -Infinity) - (a.lastUsed ?? -Infinity);
      case "manual":
        return a.order - b.order;
    }
  };
  return [...accounts].sort(
    (a, b) =>
      Number(b.favorite) - Number(a.favorite) ||
      primary(a, b) ||
      a.issuer.localeCompare(b.issuer) ||
      a.name.localeCompare(b.name),
  );
}

function oldFilter(accounts: readonly AccountView[], query: string, group: string | null, sort: ListSort): AccountView[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const matches = accounts.filter((a) => {
    if (group !== null && !a.groups.includes(group)) return false;
    if (words.length === 0) return true;
    const haystack = fold([a.issuer, a.name, ...a.groups].join(" "));
    return words.every((w) => haystack.includes(w));
  });
  return oldSort(matches, sort);
}

function oldMoveTargets(all: readonly AccountView[], shown: readonly AccountView[]): (id: string, step: -1 | 1) => number | null {
  const manual = new Map(
    [...all].sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((a, i) => [a.id, i]),
  );
  const place = new Map(shown.map((a, i) => [a.id, i]));
  return (id, step) => {
    const at = place.get(id);
    const me = at === undefined ? undefined : shown[at];
    const neighbour = at === undefined ? undefined : shown[at + step];
    if (!me || !neighbour || neighbour.favorite !== me.favorite) return null;
    return manual.get(neighbour.id) ?? null;
  };
}

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Few distinct pieces, so that names, orders and counts tie often and accents and case vary.
const PIECES = ["Zürich", "zurich", "GitHub", "git", "Ærø", "Éte", "ete", "bank", "Bank", "10", "9", "ñu", "nu", ""];
const GROUPS = ["Work", "Money", "Éte", "work"];
const QUERIES = ["", " ", "z", "zu", "ZUR", "zür", "git hub", "git", "e", "éte", "ae", "9", "1", "work", "ank b", "xyz", "ñ", "u g"];
const SORTS: ListSort[] = ["manual", "name", "issuer", "mostUsed", "recentlyUsed"];

function randomList(next: () => number, count: number): AccountView[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  return Array.from({ length: count }, (_, i) =>
    fakeAccount({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      issuer: `${pick(PIECES)} ${pick(PIECES)}`.trim(),
      name: next() < 0.2 ? "" : `${pick(PIECES)}@${pick(PIECES)}`,
      groups: GROUPS.filter(() => next() < 0.25),
      favorite: next() < 0.2,
      order: Math.floor(next() * count),
      useCount: Math.floor(next() * 3),
      lastUsed: next() < 0.4 ? null : Math.floor(next() * 3),
    }),
  );
}

describe("the sorted index gives what filtering and then sorting gave", () => {
  it("on random lists, for every order, query and group", () => {
    const next = random(19);
    for (let round = 0; round < 20; round++) {
      const list = randomList(next, 1 + Math.floor(next() * 60));
      for (const sort of SORTS) {
        const index = searchIndex(list, sort);
        for (const query of QUERIES) {
          for (const group of [null, ...GROUPS]) {
            const ids = (l: readonly AccountView[]) => l.map((a) => a.id);
            expect(ids(filterIndex(index, query, group)), `${sort} "${query}" ${group}`).toEqual(ids(oldFilter(list, query, group, sort)));
          }
        }
      }
    }
  });

  it("moves cards to the same places as before", () => {
    const next = random(7);
    for (let round = 0; round < 20; round++) {
      const list = randomList(next, 1 + Math.floor(next() * 40));
      const query = QUERIES[round % QUERIES.length] as string;
      const shown = filterIndex(searchIndex(list), query, null);
      const now = moveTargets(manualPlaces(list), shown);
      const before = oldMoveTargets(list, shown);
      for (const a of list) {
        for (const step of [-1, 1] as const) expect(now(a.id, step), `${a.id} ${step}`).toBe(before(a.id, step));
      }
    }
  });
});
