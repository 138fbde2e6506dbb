import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setInvoker } from "./api";
import SettingsPage from "./components/SettingsPage.svelte";
import { t } from "./i18n";
import type { Settings } from "./ipc/Settings";
import { defaultSettings } from "./settings";

afterEach(() => cleanup());

function mockSave() {
  const saved: Settings[] = [];
  setInvoker(async (cmd, args) => {
    if (cmd === "update_settings") {
      saved.push((args as { settings: Settings }).settings);
      return null;
    }
    throw { code: "not_available", message: `no mock for ${cmd}` };
  });
  return saved;
}

describe("close to tray on the Settings page", () => {
  it("is off by default and is saved on when ticked", async () => {
    const saved = mockSave();
    const onSaved = vi.fn();
    render(SettingsPage, { settings: defaultSettings(), onSaved, onCancel: () => {} });
    const box = screen.getByRole("checkbox", { name: t("tray.closeToTray") }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(screen.getByText(t("tray.closeToTrayHint"))).toBeTruthy();
    await fireEvent.click(box);
    await fireEvent.click(screen.getByRole("button", { name: "Save settings" }));
    await vi.waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(saved).toHaveLength(1);
    expect(saved[0]?.closeToTray).toBe(true);
    expect(onSaved.mock.calls[0]?.[0]).toMatchObject({ closeToTray: true });
  });

  it("shows a saved choice and can turn it off again", async () => {
    const saved = mockSave();
    render(SettingsPage, { settings: { ...defaultSettings(), closeToTray: true }, onSaved: () => {}, onCancel: () => {} });
    const box = screen.getByRole("checkbox", { name: t("tray.closeToTray") }) as HTMLInputElement;
    expect(box.checked).toBe(true);
    await fireEvent.click(box);
    await fireEvent.click(screen.getByRole("button", { name: "Save settings" }));
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.closeToTray).toBe(false);
    // Nothing else changed.
    expect(saved[0]).toEqual({ ...defaultSettings(), closeToTray: false });
  });

  it("is unavailable, and says why, when no tray host runs", async () => {
    setInvoker(async (cmd) => {
      if (cmd === "tray_status") return { host: false };
      throw { code: "not_available", message: `no mock for ${cmd}` };
    });
    render(SettingsPage, { settings: defaultSettings(), onSaved: () => {}, onCancel: () => {} });
    const box = screen.getByRole("checkbox", { name: t("tray.closeToTray") }) as HTMLInputElement;
    await vi.waitFor(() => expect(box.disabled).toBe(true));
    expect(screen.getByText(t("tray.closeToTrayUnavailable"))).toBeTruthy();
  });
});
