import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import AccountList from "./components/AccountList.svelte";
import BackupsPage from "./components/BackupsPage.svelte";
import type { Settings } from "./ipc/Settings";
import { defaultSettings } from "./settings";
import { accountListProps, mockIpc } from "./testing";

const settings: Settings = defaultSettings();
const off = {
  enabled: false,
  kind: "off",
  message: "Automatic backups are off",
  lastSuccess: null,
  failure: null,
  failedAt: null,
};

function page() {
  const props = { settings, onSettings: vi.fn(), onBack: vi.fn() };
  render(BackupsPage, props);
  return props;
}

afterEach(() => cleanup());

describe("BackupsPage", () => {
  it("backs up with the vault password and says it was verified", async () => {
    const calls = mockIpc({
      backup_status: () => off,
      backup_now: () => ({ path: "/b/my.twofold-backup", accountCount: 12, created: 1_700_000_000_000 }),
    });
    page();
    const button = screen.getByRole("button", { name: "Back up now" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "vault pass" } });
    await fireEvent.click(button);
    expect((await screen.findByRole("status")).textContent).toBe("Verified: 12 accounts in /b/my.twofold-backup");
    expect(calls.at(-1)).toEqual({ cmd: "backup_now", args: { path: null, password: "vault pass", ownPassword: false } });
  });

  it("needs its own password twice, and passes a typed file path", async () => {
    const calls = mockIpc({
      backup_status: () => off,
      backup_now: () => ({ path: "/x.twofold-backup", accountCount: 1, created: 0 }),
    });
    page();
    await fireEvent.click(screen.getByLabelText("A separate backup password"));
    const button = screen.getByRole("button", { name: "Back up now" }) as HTMLButtonElement;
    await fireEvent.input(screen.getByLabelText("Backup password"), { target: { value: "backup pass" } });
    await fireEvent.input(screen.getByLabelText("Repeat backup password"), { target: { value: "backup pasx" } });
    expect(screen.getByText("The passwords do not match.")).toBeTruthy();
    expect(button.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText("Repeat backup password"), { target: { value: "backup pass" } });
    await fireEvent.input(screen.getByLabelText("Save to"), { target: { value: " /x.twofold-backup " } });
    await fireEvent.click(button);
    expect((await screen.findByRole("status")).textContent).toBe("Verified: 1 account in /x.twofold-backup");
    expect(calls.at(-1)?.args).toEqual({ path: "/x.twofold-backup", password: "backup pass", ownPassword: true });
  });

  it("tests a backup and shows a wrong password as an error", async () => {
    let attempts = 0;
    mockIpc({
      backup_status: () => off,
      check_backup_file: () => {
        attempts++;
        if (attempts === 1) throw { code: "wrong_password", message: "wrong password" };
        return { path: "/b", accountCount: 3, created: Date.UTC(2026, 0, 2, 3, 4) };
      },
    });
    page();
    await fireEvent.click(screen.getByRole("tab", { name: "Test" }));
    await fireEvent.input(screen.getByLabelText("Backup password"), { target: { value: "nope" } });
    await fireEvent.click(screen.getByRole("button", { name: "Test backup" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong password. Check it and try again.");
    await fireEvent.click(screen.getByRole("button", { name: "Test backup" }));
    expect((await screen.findByRole("status")).textContent).toMatch(/^This backup opens: 3 accounts, made /);
  });

  it("previews a restore with duplicates marked and confirms a replace naming what it removes", async () => {
    const calls = mockIpc({
      backup_status: () => off,
      preview_restore: () => ({
        path: "/b",
        created: 0,
        items: [
          { name: "Alpha (me)", status: "duplicate" },
          { name: "Beta (me)", status: "new" },
        ],
        merge: { added: 1, skipped: 1, replaced: 0, removed: 0 },
        replace: { added: 1, skipped: 0, replaced: 1, removed: 2 },
      }),
      restore_backup: () => ({ added: 1, skipped: 0, replaced: 1, removed: 2 }),
    });
    page();
    await fireEvent.click(screen.getByRole("tab", { name: "Restore" }));
    await fireEvent.input(screen.getByLabelText("Backup password"), { target: { value: "pw" } });
    await fireEvent.click(screen.getByRole("button", { name: "Preview restore" }));
    const items = await screen.findByRole("list", { name: "Accounts in the backup" });
    expect(items.textContent).toContain("Alpha (me)Already in the vault");
    expect(items.textContent).toContain("Beta (me)New");
    expect((screen.getByLabelText(/^Merge/) as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByLabelText(/^Replace/));
    await fireEvent.click(screen.getByRole("button", { name: "Restore accounts" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Replacing removes 2 accounts");
    expect(calls.some((c) => c.cmd === "restore_backup")).toBe(false);
    await fireEvent.click(screen.getByRole("button", { name: "Remove 2 and replace" }));
    expect((await screen.findByRole("status")).textContent).toBe("Restored: 1 account added, 1 replaced, 2 removed.");
    expect(calls.at(-1)).toEqual({ cmd: "restore_backup", args: { path: "/b", password: "pw", mode: "replace" } });
  });

  it("exports plain formats only after the warning is acknowledged", async () => {
    const calls = mockIpc({ backup_status: () => off, export_accounts: () => ({ path: "/e.txt", count: 2, losses: [] }) });
    page();
    await fireEvent.click(screen.getByRole("tab", { name: "Export" }));
    await fireEvent.change(screen.getByLabelText("Format"), { target: { value: "otpauth" } });
    const button = screen.getByRole("button", { name: "Export" }) as HTMLButtonElement;
    expect(screen.getByText(/every account's key in the clear/)).toBeTruthy();
    expect(button.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText(/I understand/));
    await fireEvent.click(button);
    await waitFor(() => expect(calls.at(-1)?.cmd).toBe("export_accounts"));
    expect(calls.at(-1)?.args).toEqual({ path: null, format: "otpauth", password: null, acknowledged: true });
  });

  it("shows transfer codes one by one, as images, after the vault password", async () => {
    const image = (n: number) => `data:image/png;base64,${n}`;
    const calls = mockIpc({
      backup_status: () => off,
      show_transfer_codes: () => ({
        codes: [1, 2, 3].map((n) => ({ image: image(n), names: [`Account ${n}`] })),
        skipped: ["Steam (me) — steam codes cannot travel"],
      }),
    });
    page();
    await fireEvent.click(screen.getByRole("tab", { name: "Export" }));
    await fireEvent.change(screen.getByLabelText("Format"), { target: { value: "transfer" } });
    await fireEvent.click(screen.getByLabelText(/I understand/));
    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "vault pass" } });
    await fireEvent.click(screen.getByRole("button", { name: "Show QR codes" }));
    expect(await screen.findByText("Code 1 of 3")).toBeTruthy();
    expect(calls.at(-1)).toEqual({ cmd: "show_transfer_codes", args: { password: "vault pass" } });
    const img = screen.getByRole("img", { name: "Transfer code 1 of 3" }) as HTMLImageElement;
    expect(img.getAttribute("src")).toBe(image(1));
    expect((screen.getByRole("button", { name: "Previous" }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await fireEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(screen.getByText("Code 3 of 3")).toBeTruthy();
    expect((screen.getByRole("button", { name: "Next" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText(/Steam \(me\)/)).toBeTruthy();
  });

  it("turns automatic backups on with a folder and the vault password", async () => {
    const saved = { ...settings, autoBackup: true, autoBackupFolder: "/backups", autoBackupKeep: 5 };
    const calls = mockIpc({ backup_status: () => off, set_auto_backup: () => saved, choose_backup_folder: () => "/backups" });
    const props = page();
    await fireEvent.click(screen.getByRole("tab", { name: "Automatic" }));
    await fireEvent.click(screen.getByLabelText("Back up automatically"));
    await fireEvent.click(screen.getByRole("button", { name: "Choose…" }));
    await waitFor(() => expect((screen.getByLabelText("Folder") as HTMLInputElement).value).toBe("/backups"));
    await fireEvent.input(screen.getByLabelText("Backups to keep"), { target: { value: "5" } });
    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "vault pass" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(props.onSettings).toHaveBeenCalledWith(saved));
    expect(calls.find((c) => c.cmd === "set_auto_backup")?.args).toEqual({
      enabled: true,
      folder: "/backups",
      keep: 5,
      password: "vault pass",
    });
  });
});

describe("the backup status line", () => {
  const props = accountListProps;

  it("warns plainly when the last automatic backup failed, and opens the page", async () => {
    const p = props();
    mockIpc({
      list_accounts: () => ({ now: 0, accounts: [] }),
      backup_status: () => ({
        enabled: true,
        kind: "failed",
        message: "Backup failed 2026-11-23 00:40:00 UTC: could not create the backup folder /x: not a directory",
        lastSuccess: null,
        failure: "could not create the backup folder /x: not a directory",
        failedAt: Date.UTC(2026, 10, 23, 0, 40),
      }),
    });
    render(AccountList, p);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(
      /^Backup failed .*2026.*: could not create the backup folder \/x: not a directory; no backup has been made yet$/,
    );
    await fireEvent.click(screen.getByRole("button", { name: /^Backups: Backup failed/ }));
    expect(p.onBackups).toHaveBeenCalled();
  });

  it("says nothing while automatic backups are off", async () => {
    mockIpc({ list_accounts: () => ({ now: 0, accounts: [] }), backup_status: () => off });
    render(AccountList, props());
    await screen.findByText("No accounts yet");
    expect(screen.queryByText("Automatic backups are off")).toBeNull();
  });
});
