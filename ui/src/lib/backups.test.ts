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

const formats = [
  { format: "aegis", plaintext: false, suggestedName: "twofold-export-aegis-2026-12-07.json", leavesOut: ["recovery_codes", "usage_history"] },
  { format: "aegis-plain", plaintext: true, suggestedName: "twofold-export-aegis-plain-2026-12-07.json", leavesOut: ["recovery_codes", "usage_history"] },
  {
    format: "otpauth",
    plaintext: true,
    suggestedName: "twofold-export-otpauth-2026-12-07.txt",
    leavesOut: ["recovery_codes", "notes", "groups", "favorite", "icons", "usage_history"],
  },
  {
    format: "paper",
    plaintext: true,
    suggestedName: "twofold-export-paper-2026-12-07.html",
    leavesOut: ["recovery_codes", "notes", "groups", "favorite", "icons", "usage_history"],
  },
  {
    format: "google-transfer",
    plaintext: true,
    suggestedName: "twofold-export-google-transfer-2026-12-07.html",
    leavesOut: ["recovery_codes", "notes", "groups", "favorite", "icons", "usage_history"],
  },
];

/** The chooser of the shell answering with a token for `location`. */
const chosen = (location: string) => ({
  token: `token:${location}`,
  name: location.split("/").pop(),
  location,
  replaceConfirmed: false,
});

describe("BackupsPage", () => {
  it("backs up with the vault password and names the full path and the time", async () => {
    const calls = mockIpc({
      backup_status: () => off,
      export_formats: () => formats,
      backup_now: () => ({ path: "/home/ann/my.twofold-backup", accountCount: 12, created: 1_700_000_000_000 }),
    });
    page();
    const button = screen.getByRole("button", { name: "Back up now" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "vault pass" } });
    await fireEvent.click(button);
    const message = (await screen.findByRole("status")).textContent ?? "";
    expect(message).toMatch(/^Verified: 12 accounts written to \/home\/ann\/my\.twofold-backup at .*2023.*\.$/);
    expect(calls.at(-1)).toEqual({
      cmd: "backup_now",
      args: { file: null, replace: false, vaultPassword: "vault pass", backupPassword: null },
    });
  });

  // Issue 21 point 12: the file is chosen with a button that opens the shell's chooser; nothing is typed.
  it("chooses the file with a button, needs its own password twice and the vault password", async () => {
    const calls = mockIpc({
      backup_status: () => off,
      export_formats: () => formats,
      choose_file: () => chosen("/home/ann/x.twofold-backup"),
      backup_now: () => ({ path: "/home/ann/x.twofold-backup", accountCount: 1, created: 0 }),
    });
    page();
    expect(screen.queryByRole("textbox")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Choose file…" }));
    await waitFor(() => expect(screen.getByText("/home/ann/x.twofold-backup")).toBeTruthy());
    expect(calls.find((c) => c.cmd === "choose_file")?.args).toEqual({ purpose: "save_backup", format: null });
    await fireEvent.click(screen.getByLabelText("A separate backup password"));
    const button = screen.getByRole("button", { name: "Back up now" }) as HTMLButtonElement;
    await fireEvent.input(screen.getByLabelText("Backup password"), { target: { value: "backup pass" } });
    await fireEvent.input(screen.getByLabelText("Repeat backup password"), { target: { value: "backup pasx" } });
    expect(screen.getByText("The passwords do not match.")).toBeTruthy();
    expect(button.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText("Repeat backup password"), { target: { value: "backup pass" } });
    expect(button.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "vault pass" } });
    await fireEvent.click(button);
    expect((await screen.findByRole("status")).textContent).toMatch(/^Verified: 1 account written to \/home\/ann\/x\.twofold-backup at /);
    expect(calls.at(-1)?.args).toEqual({
      file: "token:/home/ann/x.twofold-backup",
      replace: false,
      vaultPassword: "vault pass",
      backupPassword: "backup pass",
    });
  });

  // Issue 21 point 4: an existing file is replaced only after the person says so.
  it("asks before replacing an existing file, and Keep writes nothing", async () => {
    let tries = 0;
    const calls = mockIpc({
      backup_status: () => off,
      export_formats: () => formats,
      backup_now: (a) => {
        tries++;
        if (!a?.replace) throw { code: "file_exists", message: "/home/ann/old.twofold-backup already exists" };
        return { path: "/home/ann/old.twofold-backup", accountCount: 2, created: 0 };
      },
    });
    page();
    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "vault pass" } });
    await fireEvent.click(screen.getByRole("button", { name: "Back up now" }));
    const question = await screen.findByRole("alertdialog", { name: "Replace the existing file?" });
    expect(question.textContent).toContain("/home/ann/old.twofold-backup already exists.");
    await fireEvent.click(screen.getByRole("button", { name: "Keep it" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(tries).toBe(1);
    await fireEvent.click(screen.getByRole("button", { name: "Back up now" }));
    await screen.findByRole("alertdialog");
    await fireEvent.click(screen.getByRole("button", { name: "Replace" }));
    expect((await screen.findByRole("status")).textContent).toMatch(/^Verified: 2 accounts written to \/home\/ann\/old/);
    expect(calls.filter((c) => c.cmd === "backup_now").map((c) => c.args?.replace)).toEqual([false, false, true]);
  });

  it("tests a backup and shows a wrong password as an error", async () => {
    let attempts = 0;
    mockIpc({
      backup_status: () => off,
      export_formats: () => formats,
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
    expect((await screen.findByRole("status")).textContent).toMatch(/^This backup opens: 3 accounts, made .* \(\/b\)\.$/);
  });

  it("previews a restore and asks for the vault password and a confirmation before a replace", async () => {
    const calls = mockIpc({
      backup_status: () => off,
      export_formats: () => formats,
      preview_restore: () => ({
        file: "token:/b",
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
    expect(screen.queryByLabelText("Vault password")).toBeNull();
    await fireEvent.click(screen.getByLabelText(/^Replace/));
    const restoreButton = screen.getByRole("button", { name: "Restore accounts" }) as HTMLButtonElement;
    expect(restoreButton.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "vault pass" } });
    await fireEvent.click(restoreButton);
    expect((await screen.findByRole("alert")).textContent).toContain("Replacing removes 2 accounts");
    expect(calls.some((c) => c.cmd === "restore_backup")).toBe(false);
    await fireEvent.click(screen.getByRole("button", { name: "Remove 2 and replace" }));
    expect((await screen.findByRole("status")).textContent).toBe("Restored: 1 account added, 1 replaced, 2 removed.");
    expect(calls.at(-1)).toEqual({
      cmd: "restore_backup",
      args: { file: "token:/b", password: "pw", mode: "replace", vaultPassword: "vault pass" },
    });
  });

  // Issue 21 point 15: what a format leaves out is said before and after.
  it("exports plain formats after the warning and the vault password, saying what the file leaves out", async () => {
    const calls = mockIpc({
      backup_status: () => off,
      export_formats: () => formats,
      export_accounts: () => ({
        path: "/home/ann/twofold-export-otpauth-2026-12-07.txt",
        format: "otpauth",
        count: 2,
        written: Date.UTC(2026, 11, 7, 5, 0),
        leavesOut: ["recovery_codes", "notes", "groups", "favorite", "icons", "usage_history"],
        losses: [{ account: "GitHub (ann)", kind: "recovery_codes" }],
        skipped: [],
      }),
    });
    page();
    await fireEvent.click(screen.getByRole("tab", { name: "Export" }));
    expect((await screen.findByText(/^This format leaves out/)).textContent).toBe(
      "This format leaves out: recovery codes, dates added and last used.",
    );
    await fireEvent.change(screen.getByLabelText("Format"), { target: { value: "otpauth" } });
    expect(screen.getByText(/^This format leaves out/).textContent).toBe(
      "This format leaves out: recovery codes, notes, groups, favourite marks, account pictures, dates added and last used.",
    );
    expect(screen.getByText(/twofold-export-otpauth-2026-12-07\.txt/)).toBeTruthy();
    const button = screen.getByRole("button", { name: "Export" }) as HTMLButtonElement;
    expect(screen.getByText(/every account's key in the clear/)).toBeTruthy();
    expect(button.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText(/I understand/));
    expect(button.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "vault pass" } });
    await fireEvent.click(button);
    const message = (await screen.findByRole("status")).textContent ?? "";
    expect(message).toMatch(/^Exported and checked: 2 accounts written to \/home\/ann\/twofold-export-otpauth-2026-12-07\.txt at .*2026/);
    expect(message).toContain("Not in this file: recovery codes, notes, groups, favourite marks, account pictures, dates added and last used.");
    expect(message).toContain("Left out of your accounts: GitHub (ann) (recovery codes).");
    expect(calls.at(-1)?.args).toEqual({
      file: null,
      replace: false,
      format: "otpauth",
      password: null,
      vaultPassword: "vault pass",
      acknowledged: true,
    });
  });

  // Issue 21 point 4: a file chosen for one format is not kept when the format changes.
  it("forgets the chosen file when the format changes, and asks the chooser for the format's name", async () => {
    const calls = mockIpc({
      backup_status: () => off,
      export_formats: () => formats,
      choose_file: (a) => chosen(a?.format === "aegis" ? "/home/ann/exp-aegis-enc.json" : "/home/ann/other"),
    });
    page();
    await fireEvent.click(screen.getByRole("tab", { name: "Export" }));
    await fireEvent.click(screen.getByRole("button", { name: "Choose file…" }));
    await waitFor(() => expect(screen.getByText("/home/ann/exp-aegis-enc.json")).toBeTruthy());
    expect(calls.find((c) => c.cmd === "choose_file")?.args).toEqual({ purpose: "save_export", format: "aegis" });
    await fireEvent.change(screen.getByLabelText("Format"), { target: { value: "aegis-plain" } });
    expect(screen.queryByText("/home/ann/exp-aegis-enc.json")).toBeNull();
    expect(screen.getByText("No file chosen yet")).toBeTruthy();
  });

  it("shows transfer codes one by one, as images, after the vault password", async () => {
    const image = (n: number) => `data:image/png;base64,${n}`;
    const calls = mockIpc({
      backup_status: () => off,
      export_formats: () => formats,
      show_transfer_codes: () => ({
        codes: [1, 2, 3].map((n) => ({ image: image(n), names: [`Account ${n}`] })),
        skipped: [
          {
            key: "detail.export_skipped",
            params: { account: "Steam (me)", reason: { key: "detail.transfer_no_steam", params: {} } },
          },
        ],
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
    expect(screen.getByText(/Steam \(me\) — a Google Authenticator transfer cannot hold Steam Guard accounts/)).toBeTruthy();
  });

  // Issue 13 point 7: the folder comes from the chooser as a token; no path is typed.
  it("turns automatic backups on with a chosen folder and the vault password", async () => {
    const saved = { ...settings, autoBackup: true, autoBackupFolder: "/home/ann/backups", autoBackupKeep: 5 };
    const calls = mockIpc({
      backup_status: () => off,
      export_formats: () => formats,
      set_auto_backup: () => saved,
      choose_file: () => chosen("/home/ann/backups"),
    });
    const props = page();
    await fireEvent.click(screen.getByRole("tab", { name: "Automatic" }));
    await fireEvent.click(screen.getByLabelText("Back up automatically"));
    expect(screen.queryByRole("textbox")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Choose folder…" }));
    await waitFor(() => expect(screen.getByText("/home/ann/backups")).toBeTruthy());
    expect(calls.find((c) => c.cmd === "choose_file")?.args).toEqual({ purpose: "backup_folder", format: null });
    await fireEvent.input(screen.getByLabelText("Backups to keep"), { target: { value: "5" } });
    await fireEvent.input(screen.getByLabelText("Vault password"), { target: { value: "vault pass" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(props.onSettings).toHaveBeenCalledWith(saved));
    expect(calls.find((c) => c.cmd === "set_auto_backup")?.args).toEqual({
      enabled: true,
      folder: "token:/home/ann/backups",
      keep: 5,
      password: "vault pass",
    });
    expect(screen.getByRole("status").textContent).toBe("Automatic backups are on, into /home/ann/backups.");
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

  it("words the failure from the shell's detail, not its English words", async () => {
    mockIpc({
      list_accounts: () => ({ now: 0, accounts: [] }),
      backup_status: () => ({
        enabled: true,
        kind: "failed",
        message: "Backup failed",
        lastSuccess: null,
        failure: "could not create the backup folder /x: No space left on device (os error 28)",
        failureDetail: {
          key: "detail.io_create_folder",
          params: { path: "/x", reason: { key: "detail.os_disk_full", params: {} } },
        },
        failedAt: Date.UTC(2026, 10, 23, 0, 40),
      }),
    });
    render(AccountList, props());
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toMatch(/: could not create the folder \/x: the disk is full; no backup has been made yet$/);
  });

  it("says nothing while automatic backups are off", async () => {
    mockIpc({ list_accounts: () => ({ now: 0, accounts: [] }), backup_status: () => off });
    render(AccountList, props());
    await screen.findByText("No accounts yet");
    expect(screen.queryByText("Automatic backups are off")).toBeNull();
  });
});
