import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import ImportPage from "./components/ImportPage.svelte";
import type { ImportFileView } from "./ipc/ImportFileView";
import type { ImportOutcome } from "./ipc/ImportOutcome";
import { errorMessage, IpcError } from "./api";
import { mockIpc } from "./testing";

afterEach(() => cleanup());

// What the shell sends: the remarks and problems as keys with parameters, worded by the UI.
const unusual = { key: "detail.warn_unusual_key_length", params: { count: 7 } };
const motp = {
  label: "Motp (Motp)",
  line: null,
  reason: "mOTP entries are not supported",
  detail: { key: "detail.entry_unsupported_type", params: { kind: "mOTP" } },
};

const locked: ImportFileView = {
  fileName: "aegis-export.json",
  app: "Aegis",
  format: "aegis",
  encrypted: true,
  preview: null,
};

const totp = { kind: "totp", algorithm: "SHA1", digits: 6, period: 30 } as const;

const opened: ImportFileView = {
  ...locked,
  preview: {
    entries: [
      { index: 0, issuer: "Deno", name: "Mason", ...totp, duplicate: false, duplicates: [], warnings: [] },
      { index: 1, issuer: "SPDX", name: "James", ...totp, duplicate: true, duplicates: ["SPDX (James)"], warnings: [] },
      {
        index: 2,
        issuer: "Boeing",
        name: "Sophia",
        kind: "steam",
        algorithm: "SHA1",
        digits: 5,
        period: 30,
        duplicate: false,
        duplicates: [],
        warnings: [unusual],
      },
    ],
    problems: [motp, { label: "", line: 3, reason: "", detail: { key: "detail.why_not_a_link", params: {} } }],
  },
};

const outcome: ImportOutcome = {
  added: ["Deno (Mason)", "Boeing (Sophia)"],
  skippedDuplicates: ["SPDX (James)"],
  leftOut: 0,
  problems: [motp],
  warnings: [{ key: "detail.entry_warning", params: { label: "Boeing (Sophia)", warning: unusual } }],
};

function props() {
  return { onDone: vi.fn(), onCancel: vi.fn() };
}

describe("ImportPage", () => {
  it("opens a typed path, retries a wrong password, previews, imports the checked entries and reports", async () => {
    let tries = 0;
    const calls = mockIpc({
      choose_import_file: () => locked,
      unlock_import_file: () => {
        tries++;
        if (tries === 1) throw { code: "wrong_password", message: "wrong password" };
        return opened;
      },
      import_accounts: () => outcome,
    });
    const p = props();
    render(ImportPage, p);

    // Issue 13 point 7: no path can be typed; the shell's chooser answers with a token.
    expect(screen.queryByRole("textbox")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Choose file…" }));
    const password = await screen.findByLabelText("File password");
    expect(screen.getByText("Aegis")).toBeTruthy();
    expect(screen.getByText("Encrypted")).toBeTruthy();
    expect(screen.getByText("aegis-export.json")).toBeTruthy();

    await fireEvent.input(password, { target: { value: "nope" } });
    await fireEvent.click(screen.getByRole("button", { name: "Decrypt" }));
    expect((await screen.findByRole("alert")).textContent).toBe("Wrong password. Check it and try again.");

    await fireEvent.input(screen.getByLabelText("File password"), { target: { value: "test" } });
    await fireEvent.click(screen.getByRole("button", { name: "Decrypt" }));
    const list = await screen.findByRole("list", { name: "Accounts in the file" });
    const boxes = within(list).getAllByRole("checkbox") as HTMLInputElement[];
    expect(boxes.map((b) => [b.getAttribute("aria-label"), b.checked])).toEqual([
      ["Import Deno (Mason)", true],
      ["Import SPDX (James)", false],
      ["Import Boeing (Sophia)", true],
    ]);
    expect(within(list).getByText("Already in vault")).toBeTruthy();
    expect(within(list).getByText("Steam")).toBeTruthy();
    expect(within(list).getByText(/7 base32 characters/)).toBeTruthy();
    expect(screen.getByText("3 accounts found, 1 already in your vault")).toBeTruthy();
    expect(screen.getByRole("note").textContent).toContain("Motp (Motp): mOTP entries are not supported");
    // A line of a text file of links is named by its number, worded by the UI.
    expect(screen.getByRole("note").textContent).toContain("Line 3: not an otpauth:// or otpauth-migration:// link");

    await fireEvent.click(screen.getByRole("button", { name: "Import 2 accounts" }));
    expect(await screen.findByRole("heading", { name: "Import finished" })).toBeTruthy();
    expect(screen.getByText("Skipped: already in your vault")).toBeTruthy();
    expect(screen.getByText("SPDX (James)")).toBeTruthy();
    expect(screen.getByText("Could not read")).toBeTruthy();
    expect(screen.getByText(/Boeing \(Sophia\): the key is 7/)).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(p.onDone).toHaveBeenCalledWith("Imported 2 accounts");

    expect(calls).toEqual([
      { cmd: "choose_import_file", args: { file: null } },
      { cmd: "unlock_import_file", args: { password: "nope" } },
      { cmd: "unlock_import_file", args: { password: "test" } },
      { cmd: "import_accounts", args: { indices: [0, 2] } },
    ]);
  });

  it("lets the user check a duplicate and uncheck everything", async () => {
    const calls = mockIpc({ choose_import_file: () => ({ ...opened, encrypted: false }), import_accounts: () => outcome });
    render(ImportPage, { ...props(), file: "drop-token" });
    await screen.findByRole("list", { name: "Accounts in the file" });
    expect(screen.getByText("Not encrypted")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "None" }));
    const button = screen.getByRole("button", { name: "Import 0 accounts" }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText("Import SPDX (James)"));
    await fireEvent.click(screen.getByRole("button", { name: "Import 1 account" }));
    await screen.findByRole("heading", { name: "Import finished" });
    expect(calls).toEqual([
      { cmd: "choose_import_file", args: { file: "drop-token" } },
      { cmd: "import_accounts", args: { indices: [1] } },
    ]);
  });

  it("opens the native chooser, and a cancelled chooser changes nothing", async () => {
    const calls = mockIpc({ choose_import_file: () => null });
    render(ImportPage, props());
    await fireEvent.click(screen.getByRole("button", { name: "Choose file…" }));
    await waitFor(() => expect(calls).toEqual([{ cmd: "choose_import_file", args: { file: null } }]));
    expect(screen.queryByRole("alert")).toBeNull();
    expect(screen.getByRole("button", { name: "Choose file…" })).toBeTruthy();
  });

  it("shows why a file cannot be imported", async () => {
    mockIpc({
      choose_import_file: () => {
        throw { code: "invalid_input", message: "notes.txt: this file is not an export of any app we can import from" };
      },
    });
    render(ImportPage, { ...props(), file: "notes-token" });
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Twofold cannot use this: notes.txt: this file is not an export of any app we can import from.",
    );
  });

  it("forgets the file in the shell when the page is left", async () => {
    const calls = mockIpc({ choose_import_file: () => locked, cancel_import: () => null });
    const p = props();
    const view = render(ImportPage, { ...p, file: "aegis-token" });
    await screen.findByLabelText("File password");
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(p.onCancel).toHaveBeenCalled();
    view.unmount();
    await waitFor(() => expect(calls.at(-1)).toEqual({ cmd: "cancel_import", args: undefined }));
  });

  // Issue 21, item 11: our own backup here said "not an export of any app we can import from", a dead end.
  it("sends our own backup to Backups → Restore, with a button that goes there", async () => {
    mockIpc({
      choose_import_file: () => {
        throw { code: "twofold_backup", message: "mine.twofold-backup" };
      },
    });
    const onBackups = vi.fn();
    render(ImportPage, { ...props(), onBackups, file: "dropped-token" });
    expect((await screen.findByRole("alert")).textContent).toBe(
      "mine.twofold-backup is a Twofold backup, not another app's export: restore it from Backups → Restore.",
    );
    await fireEvent.click(screen.getByRole("button", { name: "Open Backups to restore it" }));
    expect(onBackups).toHaveBeenCalled();
  });
});

// Issue 21, item 11: an Aegis export on Backups → Test said "The vault file could not be read or saved".
describe("Another app's export given as a backup", () => {
  it("is named and pointed to Import", () => {
    expect(errorMessage(new IpcError("foreign_export", "Aegis"))).toBe(
      "This is an export of Aegis, not a Twofold backup: add its accounts with Import.",
    );
  });
});
