import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setInvoker } from "./api";
import SyncSettings from "./components/SyncSettings.svelte";
import { t } from "./i18n";
import type { SyncStatusView } from "./ipc/SyncStatusView";
import { changeReport, statusLine } from "./syncStatus";

afterEach(() => cleanup());

function status(over: Partial<SyncStatusView> = {}): SyncStatusView {
  return {
    state: "in_step",
    folder: "~/Sync/Twofold",
    lastInStep: 1_000_000,
    message: null,
    skipped: [],
    lastChange: null,
    thisDevice: "aaaaaaaa-0000-4000-8000-000000000001",
    devices: [],
    webdav: false,
    problem: null,
    ...over,
  };
}

describe("sync status in words", () => {
  it("says where sync stands and how long ago", () => {
    expect(statusLine(status(), 1_012_000)).toBe("In step via ~/Sync/Twofold, 12 s ago.");
    expect(statusLine(status(), 1_000_200)).toBe("In step via ~/Sync/Twofold, just now.");
    expect(statusLine(status(), 1_000_000 + 180_000)).toBe("In step via ~/Sync/Twofold, 3 min ago.");
    expect(statusLine(status({ state: "failed", message: "the disk is full" }), 0)).toBe("Not in step: the disk is full");
    // The shell's detail is worded here; its English message is only the fallback.
    const detail = { key: "detail.sync_no_folder", params: { path: "/media/usb/Twofold" } };
    expect(statusLine(status({ state: "failed", message: "gone", detail }), 0)).toBe(
      "Not in step: the sync folder /media/usb/Twofold does not exist or is not a folder",
    );
    expect(statusLine(status({ state: "password_needed" }), 0)).toContain("locked with another password");
    expect(statusLine(status({ state: "off" }), 0)).toBe(t("sync.stateOff"));
  });

  it("reports what a merge brought", () => {
    const change = { at: 1, arrived: 2, changed: 1, removed: 0, keptAfterDeletion: 0, conflictCopies: 1 };
    expect(changeReport(change)).toBe(
      "2 accounts arrived from another computer, 1 changed, 1 conflict copy merged and removed",
    );
    expect(changeReport({ ...change, arrived: 0, changed: 0, conflictCopies: 0 })).toBe("");
  });
});

describe("Settings → Sync", () => {
  it("shows the status and turns sync off without a folder", async () => {
    const calls: [string, unknown][] = [];
    setInvoker(async (cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "sync_status" || cmd === "sync_now") return status({ lastInStep: Date.now() });
      if (cmd === "set_sync") return {};
      throw { code: "not_available", message: `no mock for ${cmd}` };
    });
    render(SyncSettings);
    await screen.findByText("In step via ~/Sync/Twofold, just now.");
    const box = screen.getByRole("checkbox", { name: t("sync.keepInStep") }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    await fireEvent.click(box);
    expect(screen.getByText(t("sync.offNote"))).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: t("sync.save") }));
    await vi.waitFor(() => expect(calls.some(([cmd]) => cmd === "set_sync")).toBe(true));
    expect(calls.find(([cmd]) => cmd === "set_sync")?.[1]).toEqual({ enabled: false, folder: null });
  });

  it("asks for the copy's password, then offers to use it here only when asked", async () => {
    const calls: [string, unknown][] = [];
    setInvoker(async (cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "sync_status") return status({ state: "password_needed" });
      if (cmd === "sync_copy_password" || cmd === "adopt_sync_password") return status();
      throw { code: "not_available", message: `no mock for ${cmd}` };
    });
    render(SyncSettings);
    const field = (await screen.findByLabelText(t("sync.copyPasswordLabel"))) as HTMLInputElement;
    await fireEvent.input(field, { target: { value: "laptop pw" } });
    await fireEvent.click(screen.getByRole("button", { name: t("sync.usePassword") }));
    await screen.findByText(t("sync.adoptQuestion"));
    expect(calls.some(([cmd]) => cmd === "adopt_sync_password")).toBe(false);
    await fireEvent.click(screen.getByRole("button", { name: t("sync.adopt") }));
    await screen.findByText(t("sync.adopted"));
    expect(calls.find(([cmd]) => cmd === "adopt_sync_password")?.[1]).toEqual({ password: "laptop pw" });
  });
});
