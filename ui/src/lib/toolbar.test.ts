// Issue 21, items 5 and 14: the list's toolbar at the default 440 px, its buttons' words, and the suggestion
// to make a first backup. jsdom has no layout: these check structure and the components' own CSS; the
// layout itself was checked in Chromium at 440 px (see the commit message).
import { cleanup, fireEvent, render, screen, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { resetBackupSuggestion } from "./backupSuggestion";
import AccountList from "./components/AccountList.svelte";
import listSource from "./components/AccountList.svelte?raw";
import BackupsPage from "./components/BackupsPage.svelte";
import type { BackupStatusView } from "./ipc/BackupStatusView";
import { defaultSettings } from "./settings";
import { accountListProps, applyComponentCss, fakeAccount, mockIpc } from "./testing";

beforeEach(() => resetBackupSuggestion());
afterEach(() => cleanup());

const off: BackupStatusView = { enabled: false, kind: "off", message: "Automatic backups are off", lastSuccess: null, failure: null, failedAt: null };
const grouped = [
  fakeAccount({ id: "a", issuer: "GitHub", name: "alice", groups: ["Work"] }),
  fakeAccount({ id: "b", issuer: "Mastodon", name: "bob", groups: ["Social", "Personal"], order: 1 }),
];

async function list(accounts = grouped, status: BackupStatusView = off) {
  mockIpc({ list_accounts: () => ({ now: Date.now(), accounts }), backup_status: () => status });
  const props = accountListProps();
  const view = render(AccountList, props);
  if (accounts.length > 0) await screen.findAllByRole("button", { name: /^Copy code for/ });
  else await screen.findByText("No accounts yet");
  return { props, view };
}

describe("the toolbar", () => {
  it("gives the groups their own row of buttons instead of a menu beside the search box", async () => {
    await list();
    const toolbar = screen.getByRole("banner");
    // The one menu is the sort order (issue 19); the groups are never a menu.
    expect(within(toolbar).getAllByRole("combobox")).toEqual([within(toolbar).getByRole("combobox", { name: "Sort" })]);
    const groups = within(toolbar).getByRole("group", { name: "Filter by group" });
    const search = screen.getByLabelText("Search accounts");
    // Not in the row the search box shares with Add.
    expect(groups.contains(search)).toBe(false);
    expect(search.closest(".row")?.contains(groups)).toBe(false);
    const chips = within(groups).getAllByRole("button");
    expect(chips.map((c) => [c.textContent, c.getAttribute("aria-pressed")])).toEqual([
      ["All groups", "true"],
      ["Personal", "false"],
      ["Social", "false"],
      ["Work", "false"],
    ]);
    await fireEvent.click(within(groups).getByRole("button", { name: "Work" }));
    expect(within(groups).getByRole("button", { name: "Work" }).getAttribute("aria-pressed")).toBe("true");
    expect(screen.getAllByRole("button", { name: /^Copy code for/ }).map((b) => b.closest("li")?.dataset.issuer)).toEqual(["GitHub"]);
    await fireEvent.click(within(groups).getByRole("button", { name: "All groups" }));
    expect(screen.getAllByRole("button", { name: /^Copy code for/ })).toHaveLength(2);
  });

  it("never wraps a button's words and keeps the search box usable", async () => {
    const { view } = await list();
    const toolbar = screen.getByRole("banner");
    const removeCss = applyComponentCss(listSource, toolbar);
    const buttons = within(toolbar).getAllByRole("button");
    expect(buttons.length).toBeGreaterThanOrEqual(10);
    for (const button of buttons) expect(getComputedStyle(button).whiteSpace, button.textContent ?? "").toBe("nowrap");
    const search = view.container.querySelector(".search") as HTMLElement;
    expect(getComputedStyle(search).minWidth).toBe("8rem");
    // The other actions wrap as whole buttons onto another line when words are long or text is large.
    expect(getComputedStyle(screen.getByRole("button", { name: "Settings" }).parentElement as HTMLElement).flexWrap).toBe("wrap");
    removeCss();
  });

  // Issue 21, item 14: "⇅" read as sorting, "⚙" as nothing in particular.
  it("names Backups and Settings in words on the buttons", async () => {
    const { props } = await list();
    const backups = screen.getByRole("button", { name: "Backups" });
    const settings = screen.getByRole("button", { name: "Settings" });
    expect(backups.textContent?.trim()).toBe("Backups");
    expect(settings.textContent?.trim()).toBe("Settings");
    await fireEvent.click(backups);
    expect(props.onBackups).toHaveBeenCalled();
  });
});

describe("the backup suggestion", () => {
  const text = /^No backup yet\./;

  it("appears with accounts and no backup ever made, opens Backups, and stays dismissed for the session", async () => {
    const first = await list();
    const line = await screen.findByText(text);
    await fireEvent.click(screen.getByRole("button", { name: "Back up…" }));
    expect(first.props.onBackups).toHaveBeenCalled();
    await fireEvent.click(screen.getByRole("button", { name: /^Not now/ }));
    expect(line.isConnected).toBe(false);
    expect(screen.queryByText(text)).toBeNull();
    // The list is shown again (after another page, or a lock): still dismissed.
    cleanup();
    await list();
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByText(text)).toBeNull();
  });

  it("is not shown without accounts, with automatic backups on, or after an automatic backup", async () => {
    await list([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByText(text)).toBeNull();
    cleanup();
    await list(grouped, { ...off, lastSuccess: Date.UTC(2026, 10, 1) });
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByText(text)).toBeNull();
    cleanup();
    await list(grouped, { ...off, enabled: true, kind: "ok", message: "", lastSuccess: Date.UTC(2026, 10, 1) });
    expect(await screen.findByText(/^Last backup/)).toBeTruthy();
    expect(screen.queryByText(text)).toBeNull();
  });

  it("goes away once a backup was made on the Backups page", async () => {
    await list();
    expect(await screen.findByText(text)).toBeTruthy();
    cleanup();
    mockIpc({
      backup_now: () => ({ path: "/b/twofold.backup", accountCount: 2, created: Date.UTC(2026, 10, 1) }),
      backup_status: () => off,
    });
    render(BackupsPage, { settings: defaultSettings(), onSettings: vi.fn(), onBack: vi.fn() });
    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "correct horse" } });
    await fireEvent.click(screen.getByRole("button", { name: "Back up now" }));
    expect(await screen.findByText(/^Verified: 2 accounts/)).toBeTruthy();
    cleanup();
    await list();
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.queryByText(text)).toBeNull();
  });
});
