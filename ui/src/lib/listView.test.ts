// Issue 19: the list's order, density, virtualised window and brand icons.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import AccountList from "./components/AccountList.svelte";
import QuickSwitcher from "./components/QuickSwitcher.svelte";
import ServiceIcon from "./components/ServiceIcon.svelte";
import { iconPack, usePackSource } from "./icons/pack.svelte";
import { unlockPressed } from "./perf";
import type { BackupStatusView } from "./ipc/BackupStatusView";
import type { AccountView } from "./ipc/AccountView";
import { sortAccounts } from "./search";
import { accountListProps, fakeAccount, mockIpc } from "./testing";

const off: BackupStatusView = { enabled: false, kind: "off", message: "Automatic backups are off", lastSuccess: null, failure: null, failedAt: null };
const GITHUB_PATH = "M12 .3a12 12 0 0 0-3.8 23.4";

beforeEach(() =>
  usePackSource({
    index: async () => [
      ["github", "GitHub", "181717", []],
      ["google", "Google", "4285F4", []],
    ],
    shard: async () => ({ github: GITHUB_PATH, google: "M1 1h22v22H1z" }),
  }),
);
afterEach(() => cleanup());

function many(n: number): AccountView[] {
  return Array.from({ length: n }, (_, i) =>
    fakeAccount({ id: `id-${i}`, issuer: `Service ${String(i).padStart(5, "0")}`, name: `user${i}`, order: i }),
  );
}

async function list(accounts: AccountView[], props: Partial<ReturnType<typeof accountListProps>> & Record<string, unknown> = {}) {
  mockIpc({ list_accounts: () => ({ now: Date.now(), accounts }), backup_status: () => off });
  const all = { ...accountListProps(), ...props };
  const view = render(AccountList, all);
  await waitFor(() => expect(view.container.querySelector("li[data-id]")).not.toBeNull());
  return { view, props: all };
}

describe("sortAccounts", () => {
  const a = fakeAccount({ id: "a", issuer: "beta", name: "zed", order: 2, useCount: 5, lastUsed: 100 });
  const b = fakeAccount({ id: "b", issuer: "Alpha", name: "yak", order: 1, useCount: 9, lastUsed: null });
  const c = fakeAccount({ id: "c", issuer: "gamma", name: "xen", order: 0, useCount: 1, lastUsed: 300 });
  const fav = fakeAccount({ id: "f", issuer: "zulu", name: "w", order: 3, favorite: true });
  const ids = (sort: Parameters<typeof sortAccounts>[1]) => sortAccounts([a, b, c, fav], sort).map((x) => x.id);

  it("keeps favourites first in every order", () => {
    expect(ids("manual")).toEqual(["f", "c", "b", "a"]);
    expect(ids("issuer")).toEqual(["f", "b", "a", "c"]);
    expect(ids("name")).toEqual(["f", "c", "b", "a"]);
    expect(ids("mostUsed")).toEqual(["f", "b", "a", "c"]);
    expect(ids("recentlyUsed")).toEqual(["f", "c", "a", "b"]);
  });
});

describe("the account list's view", () => {
  it("puts only the cards in view in the page, with their place in the whole list", async () => {
    const { view } = await list(many(10_000));
    const cards = view.container.querySelectorAll("li[data-id]");
    expect(cards.length).toBeGreaterThan(5);
    expect(cards.length).toBeLessThan(60);
    const ul = view.container.querySelector("ul.accounts") as HTMLUListElement;
    expect(ul.dataset.shown).toBe("10000");
    expect(cards[0]?.getAttribute("aria-posinset")).toBe("1");
    expect(cards[0]?.getAttribute("aria-setsize")).toBe("10000");
    // Scrolled far down: other cards, and the first of them at its place.
    Object.defineProperty(ul, "scrollTop", { value: 500_000, configurable: true });
    await fireEvent.scroll(ul);
    const after = view.container.querySelectorAll("li[data-id]");
    expect(after.length).toBeLessThan(60);
    const first = Number(after[0]?.getAttribute("aria-posinset"));
    expect(first).toBeGreaterThan(5000);
    expect(after[0]?.getAttribute("data-issuer")).toBe(`Service ${String(first - 1).padStart(5, "0")}`);
  });

  it("remembers the order and the density through onViewChange, and hides Move outside my order", async () => {
    const changes: unknown[] = [];
    const { view } = await list(many(3), { onViewChange: (v: unknown) => changes.push(v) });
    expect(screen.getAllByRole("button", { name: /^Move / }).length).toBe(3);
    await fireEvent.change(screen.getByRole("combobox", { name: "Sort" }), { target: { value: "mostUsed" } });
    await fireEvent.click(screen.getByRole("button", { name: "Compact" }));
    expect(changes).toEqual([
      { listSort: "mostUsed", compactList: false },
      { listSort: "manual", compactList: true },
    ]);
    await view.rerender({ sort: "name", compact: true });
    expect(screen.queryAllByRole("button", { name: /^Move / })).toEqual([]);
    expect(screen.getByRole("button", { name: "Compact" }).getAttribute("aria-pressed")).toBe("true");
    expect(view.container.querySelector("ul.accounts.compact")).not.toBeNull();
  });

  it("shows GitHub's and Google's icons and an unknown service's initial on the cards", async () => {
    const { view } = await list([
      fakeAccount({ id: "1", issuer: "GitHub", name: "alice" }),
      fakeAccount({ id: "2", issuer: "", name: "bob@google.com", order: 1 }),
      fakeAccount({ id: "3", issuer: "Acme Intranet", name: "carol", order: 2 }),
    ]);
    await iconPack.settled();
    await waitFor(() => expect(view.container.querySelector('li[data-id="1"] path')).not.toBeNull());
    await iconPack.settled();
    await waitFor(() => expect(view.container.querySelector('li[data-id="2"] path')).not.toBeNull());
    const icon = (id: string) => view.container.querySelector(`li[data-id="${id}"] [data-icon]`) as HTMLElement;
    expect(icon("1").dataset.icon).toBe("github");
    expect(icon("1").querySelector("path")?.getAttribute("d")).toBe(GITHUB_PATH);
    expect(icon("2").dataset.icon).toBe("google");
    expect(icon("3").dataset.icon).toBe("initial");
    expect(icon("3").textContent?.trim()).toBe("A");
    // Decorative: the copy button's name is still the account's.
    expect(icon("1").getAttribute("aria-hidden")).toBe("true");
    expect(screen.getByRole("button", { name: /^Copy code for GitHub/ })).toBeTruthy();
  });
});

describe("the list's own timing (cargo xtask bench app)", () => {
  it("measures all cards after an unlock only once every card in view shows its icon", async () => {
    // GitHub's path data is held back, so its card shows an empty tile until it is released.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    usePackSource({
      index: async () => [["github", "GitHub", "181717", []]],
      shard: async () => {
        await held;
        return { github: GITHUB_PATH };
      },
    });
    const measures = () => performance.getEntriesByName("twofold:all-cards", "measure");
    performance.clearMeasures("twofold:all-cards");
    unlockPressed("password");
    const { view } = await list([fakeAccount({ id: "1", issuer: "GitHub", name: "alice" }), fakeAccount({ id: "2", issuer: "Acme", order: 1 })]);
    await waitFor(() => expect(view.container.querySelector('[data-icon="github"]')).not.toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(measures()).toEqual([]);
    release();
    await waitFor(() => expect(measures()).toHaveLength(1));
  });
});

describe("ServiceIcon", () => {
  it("draws path data as an attribute, never as markup", async () => {
    usePackSource({
      index: async () => [["evil", "Evil", "000000", []]],
      shard: async () => ({ evil: '"/><script>alert(1)</script>' }),
    });
    const view = render(ServiceIcon, { issuer: "Evil", name: "" });
    await iconPack.settled();
    await waitFor(() => expect(view.container.querySelector("path")).not.toBeNull());
    await iconPack.settled();
    await waitFor(() => expect(view.container.querySelector("path")?.getAttribute("d")).toContain("script"));
    expect(view.container.querySelector("script")).toBeNull();
  });
});

describe("the quick switcher", () => {
  it("shows each account's icon", async () => {
    mockIpc({
      list_accounts: () => ({ now: Date.now(), accounts: [fakeAccount({ id: "1", issuer: "GitHub", name: "alice" })] }),
    });
    const view = render(QuickSwitcher, { onClose: () => {}, fromHidden: false });
    await screen.findByText("GitHub");
    await iconPack.settled();
    await waitFor(() => expect(view.container.querySelector('[data-icon="github"]')).not.toBeNull());
  });
});
