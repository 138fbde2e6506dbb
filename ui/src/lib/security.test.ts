// Issue 13's screens: the lone previous copy offered for restore (point 9), the rollback banner after unlock
// (point 12), the password change in Settings (point 5) and activity reported to the shell's idle lock
// instead of a timer in the page (point 2).
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import App from "../App.svelte";
import ChangePassword from "./components/ChangePassword.svelte";
import Unlock from "./components/Unlock.svelte";
import { defaultSettings } from "./settings";
import { fakeAccount, mockIpc } from "./testing";

vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => undefined) }));

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("Unlock when only the previous copy is left", () => {
  it("offers to restore it, with no password field and no way to create a vault", async () => {
    const calls = mockIpc({ restore_previous_vault: () => null });
    const onRestored = vi.fn();
    render(Unlock, { previousOnly: true, onRestored, onUnlocked: vi.fn() });
    expect(screen.getByRole("heading", { name: "The vault file is missing" })).toBeTruthy();
    expect(screen.queryByLabelText("Password")).toBeNull();
    expect(screen.queryByRole("button", { name: /create/i })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Restore the previous copy" }));
    await waitFor(() => expect(onRestored).toHaveBeenCalled());
    expect(calls).toEqual([{ cmd: "restore_previous_vault", args: undefined }]);
  });

  it("says why a restore failed", async () => {
    mockIpc({
      restore_previous_vault: () => {
        throw { code: "vault", message: "could not restore the previous copy to /v: disk full" };
      },
    });
    render(Unlock, { previousOnly: true, onRestored: vi.fn(), onUnlocked: vi.fn() });
    await fireEvent.click(screen.getByRole("button", { name: "Restore the previous copy" }));
    expect((await screen.findByRole("alert")).textContent).toContain("disk full");
  });

  it("is what the app shows for the status previous_only, then the unlock screen", async () => {
    let status = "previous_only";
    mockIpc({
      vault_status: () => status,
      get_settings: () => defaultSettings(),
      restore_previous_vault: () => {
        status = "locked";
        return null;
      },
    });
    render(App);
    await fireEvent.click(await screen.findByRole("button", { name: "Restore the previous copy" }));
    expect(await screen.findByRole("heading", { name: "Unlock Twofold" })).toBeTruthy();
    expect(screen.queryByRole("heading", { name: "Create your vault" })).toBeNull();
  });
});

function lockedShell(unlock: () => unknown) {
  const accounts = [fakeAccount({ id: "a", issuer: "GitHub", name: "alice" })];
  return mockIpc({
    vault_status: () => "locked",
    get_settings: () => defaultSettings(),
    unlock_vault: unlock,
    list_accounts: () => ({ now: Date.now(), accounts }),
    backup_status: () => ({ enabled: false, kind: "off", message: "", lastSuccess: null, failure: null, failedAt: null }),
    take_pending_link: () => null,
    report_activity: () => null,
    lock_vault: () => null,
  });
}

async function unlockApp() {
  render(App);
  await fireEvent.input(await screen.findByLabelText("Password"), { target: { value: "hunter2hunter2" } });
  await fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
  await screen.findByRole("button", { name: "Copy code for GitHub alice" });
}

describe("The rollback warning", () => {
  it("shows the shell's counters after an unlock, until dismissed", async () => {
    lockedShell(() => ({ saved: 12, seen: 40 }));
    await unlockApp();
    const banner = screen.getByRole("alert");
    expect(banner.textContent).toContain(
      "This vault is older than the last one this computer saw (save 12, seen 40): it may have been replaced by an old copy.",
    );
    await fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByText(/older than the last one/)).toBeNull();
  });

  it("is not shown for the newest vault", async () => {
    lockedShell(() => null);
    await unlockApp();
    expect(screen.queryByText(/older than the last one/)).toBeNull();
  });
});

describe("The idle lock lives in the shell", () => {
  it("reports keys and clicks (throttled), not pointer movement, and never locks from a page timer", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const calls = lockedShell(() => null);
    await unlockApp();
    const reports = () => calls.filter((c) => c.cmd === "report_activity").length;
    const before = reports();
    await fireEvent.pointerMove(window);
    await fireEvent.wheel(window);
    expect(reports()).toBe(before);
    await fireEvent.keyDown(window, { key: "a" });
    await fireEvent.pointerDown(window);
    expect(reports()).toBe(before + 1);
    vi.advanceTimersByTime(6_000);
    await fireEvent.pointerDown(window);
    expect(reports()).toBe(before + 2);
    // Far past the default 5 minutes: only the shell may lock; the page never calls lock_vault by itself.
    vi.advanceTimersByTime(60 * 60_000);
    expect(calls.some((c) => c.cmd === "lock_vault")).toBe(false);
  });
});

describe("Settings → Change password", () => {
  async function fill(current: string, next: string, repeat = next) {
    await fireEvent.input(screen.getByLabelText("Current password"), { target: { value: current } });
    await fireEvent.input(screen.getByLabelText("New password"), { target: { value: next } });
    await fireEvent.input(screen.getByLabelText("Repeat new password"), { target: { value: repeat } });
  }

  it("sends the current and the new password once both new ones match", async () => {
    const calls = mockIpc({ change_vault_password: () => null });
    render(ChangePassword);
    const button = screen.getByRole("button", { name: "Change password" }) as HTMLButtonElement;
    await fill("old password", "correct horse battery", "correct horse batterx");
    expect(screen.getByText("The passwords do not match.")).toBeTruthy();
    expect(button.disabled).toBe(true);
    await fill("old password", "correct horse battery");
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);
    expect(await screen.findByText("Password changed.")).toBeTruthy();
    expect(calls).toEqual([{ cmd: "change_vault_password", args: { current: "old password", new: "correct horse battery" } }]);
    expect((screen.getByLabelText("Current password") as HTMLInputElement).value).toBe("");
  });

  it("asks the weak-password question of vault creation before using a too-weak one", async () => {
    const calls = mockIpc({ change_vault_password: () => null });
    render(ChangePassword);
    await fill("old password", "password");
    expect(screen.getByText("Strength: too weak")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    const question = screen.getByRole("alertdialog", { name: "This password is too weak." });
    expect(document.activeElement).toBe(question);
    expect(calls).toEqual([]);
    await fireEvent.click(screen.getByRole("button", { name: "Use this weak password" }));
    await waitFor(() => expect(calls).toEqual([{ cmd: "change_vault_password", args: { current: "old password", new: "password" } }]));
  });

  it("says when the current password is wrong", async () => {
    mockIpc({
      change_vault_password: () => {
        throw { code: "wrong_password", message: "wrong password" };
      },
    });
    render(ChangePassword);
    await fill("not it", "correct horse battery");
    await fireEvent.click(screen.getByRole("button", { name: "Change password" }));
    expect((await screen.findByRole("alert")).textContent).toBe("The current password is wrong.");
  });
});
