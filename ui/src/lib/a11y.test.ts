// A fast accessibility check: axe-core on jsdom renders of the main screens. jsdom has no layout, so colour
// contrast is left to the end-to-end scan (tests/e2e/src/a11y.rs), which runs axe in the real window.
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import axe from "axe-core";
import { afterEach, describe, expect, it, vi } from "vitest";
import AccountList from "./components/AccountList.svelte";
import CreateVault from "./components/CreateVault.svelte";
import EditAccount from "./components/EditAccount.svelte";
import SettingsPage from "./components/SettingsPage.svelte";
import ShortcutsSheet from "./components/ShortcutsSheet.svelte";
import Unlock from "./components/Unlock.svelte";
import { defaultSettings } from "./settings";
import { accountListProps, fakeAccount, mockIpc } from "./testing";

afterEach(() => cleanup());

/** The serious and critical violations in `container`, as `rule: selectors` lines. */
async function serious(container: Element): Promise<string[]> {
  const result = await axe.run(container, {
    resultTypes: ["violations"],
    rules: { "color-contrast": { enabled: false }, region: { enabled: false } },
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(" | ")}`);
}

describe("axe on the main screens", () => {
  it("reports a field without a label (the check can fail)", async () => {
    const div = document.createElement("div");
    div.innerHTML = '<input type="text"><button type="button"></button>';
    document.body.appendChild(div);
    expect((await serious(div)).map((line) => line.split(":")[0])).toEqual(["button-name", "label"]);
    div.remove();
  });

  it("finds nothing serious on Create vault and Unlock", async () => {
    mockIpc({});
    const create = render(CreateVault, { onCreated: vi.fn() });
    expect(await serious(create.container)).toEqual([]);
    cleanup();
    const unlock = render(Unlock, { onUnlocked: vi.fn() });
    expect(await serious(unlock.container)).toEqual([]);
  });

  it("finds nothing serious on the account list", async () => {
    const now = Date.now();
    const accounts = [
      fakeAccount({ id: "a", issuer: "GitHub", name: "alice", groups: ["Work"], validFrom: now, validUntil: now + 30_000 }),
      fakeAccount({ id: "b", issuer: "Mastodon", name: "bob", favorite: true, validFrom: now, validUntil: now + 30_000 }),
      fakeAccount({ id: "c", issuer: "Forge", name: "carol", kind: "hotp", counter: 3, code: "111111" }),
    ];
    mockIpc({ list_accounts: () => ({ now, accounts }), backup_status: () => ({ enabled: false }) });
    const list = render(AccountList, accountListProps());
    await screen.findAllByRole("button", { name: /^Copy code for/ });
    expect(await serious(list.container)).toEqual([]);
  });

  it("finds nothing serious on Edit account and Settings", async () => {
    mockIpc({});
    const edit = render(EditAccount, { account: fakeAccount(), onDone: vi.fn(), onCancel: vi.fn() });
    expect(await serious(edit.container)).toEqual([]);
    cleanup();
    const settings = render(SettingsPage, { settings: defaultSettings(), onSaved: vi.fn(), onCancel: vi.fn() });
    expect(await serious(settings.container)).toEqual([]);
  });

  it("finds nothing serious in the questions, move buttons, group chips, backup suggestion and shortcuts sheet (issue 21)", async () => {
    const off = { enabled: false, kind: "off", message: "", lastSuccess: null, failure: null, failedAt: null };
    mockIpc({
      list_accounts: () => ({ now: Date.now(), accounts: [fakeAccount({ id: "a", groups: ["Work"] }), fakeAccount({ id: "b", order: 1 })] }),
      backup_status: () => off,
      list_recovery_codes: () => [{ index: 0, code: "alpha-1234", used: false }, { index: 1, code: "bravo-5678", used: true }],
    });
    const create = render(CreateVault, { onCreated: vi.fn() });
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "password" } });
    await fireEvent.input(screen.getByLabelText("Repeat password"), { target: { value: "password" } });
    await fireEvent.click(screen.getByLabelText(/I understand/));
    await fireEvent.click(screen.getByRole("button", { name: "Create vault" }));
    screen.getByRole("alertdialog");
    expect(await serious(create.container)).toEqual([]);
    cleanup();
    const edit = render(EditAccount, { account: fakeAccount(), onDone: vi.fn(), onCancel: vi.fn() });
    await fireEvent.input(screen.getByLabelText("Account name"), { target: { value: "changed" } });
    await fireEvent.click(screen.getByRole("button", { name: "Back to accounts" }));
    screen.getByRole("alertdialog");
    const details = screen.getByText(/^Recovery codes \(/).closest("details") as HTMLDetailsElement;
    details.open = true;
    await fireEvent(details, new Event("toggle"));
    await fireEvent.click(await screen.findByRole("button", { name: "Remove recovery code alpha-1234" }));
    screen.getByRole("button", { name: "Remove alpha-1234 for good" });
    expect(await serious(edit.container)).toEqual([]);
    cleanup();
    const list = render(AccountList, accountListProps());
    await fireEvent.click((await screen.findAllByRole("button", { name: /^Move / }))[0] as HTMLElement);
    screen.getByRole("button", { name: "Move up" });
    await screen.findByRole("button", { name: "Back up…" });
    screen.getByRole("group", { name: "Filter by group" });
    expect(await serious(list.container)).toEqual([]);
    cleanup();
    const sheet = render(ShortcutsSheet, { onClose: vi.fn() });
    expect(await serious(sheet.container)).toEqual([]);
  });
});
