// Issue 16 in the UI: the unlock screen offers the keyring first when it can open the vault, keeps the
// password field, and says why when the keyring fails; Settings turns it on only with the password and says
// why it is unavailable.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import KeyringSettings from "./components/KeyringSettings.svelte";
import Unlock from "./components/Unlock.svelte";
import { mockIpc } from "./testing";

afterEach(() => cleanup());

const ready = { enabled: true, days: 7, ready: true };

describe("Unlock with the keyring", () => {
  it("is offered first and opens the vault with no password typed", async () => {
    const calls = mockIpc({ keyring_status: () => ready, unlock_with_keyring: () => ({ unlocked: true }) });
    const onUnlocked = vi.fn();
    render(Unlock, { onUnlocked });
    await fireEvent.click(await screen.findByRole("button", { name: "Unlock with the keyring" }));
    await waitFor(() => expect(onUnlocked).toHaveBeenCalledWith(null));
    expect(calls.map((c) => c.cmd)).toEqual(["keyring_status", "unlock_with_keyring"]);
    expect(screen.getByLabelText("Password")).toBeTruthy();
  });

  it("falls back to the password with the reason when the item was deleted", async () => {
    mockIpc({
      keyring_status: () => ready,
      unlock_with_keyring: () => ({ unlocked: false, reason: { code: "item_missing" } }),
    });
    const onUnlocked = vi.fn();
    render(Unlock, { onUnlocked });
    await fireEvent.click(await screen.findByRole("button", { name: "Unlock with the keyring" }));
    expect(await screen.findByText(/the key was deleted from the keyring\. Type the password instead\./)).toBeTruthy();
    expect(onUnlocked).not.toHaveBeenCalled();
    expect(screen.queryByRole("button", { name: "Unlock with the keyring" })).toBeNull();
    expect(screen.getByLabelText("Password")).toBeTruthy();
  });

  it("says why before anything is clicked when the days have passed, and which way was used last", async () => {
    mockIpc({
      keyring_status: () => ({
        enabled: true,
        days: 7,
        ready: false,
        reason: { code: "expired", days: 7 },
        lastUnlock: "keyring",
      }),
    });
    render(Unlock, { onUnlocked: vi.fn() });
    expect(await screen.findByText(/7 days have passed since the password was typed/)).toBeTruthy();
    expect(screen.getByText("Last unlocked with this computer's keyring.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Unlock with the keyring" })).toBeNull();
  });
});

describe("Settings → Unlock with this computer's keyring", () => {
  it("is turned on only with the password, with the days chosen", async () => {
    const calls = mockIpc({
      keyring_status: () => ({ enabled: false, days: 7, ready: false }),
      enable_keyring_unlock: () => ({ enabled: true, days: 3, ready: true }),
    });
    render(KeyringSettings);
    const button = (await screen.findByRole("button", { name: "Turn on" })) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText("Ask for the password every (days)"), { target: { value: "3" } });
    await fireEvent.input(screen.getByLabelText("Type the vault password to turn it on"), {
      target: { value: "correct horse" },
    });
    await fireEvent.click(button);
    expect(await screen.findByText(/opens with the keyring for 3 days/)).toBeTruthy();
    expect(calls.at(-1)).toEqual({ cmd: "enable_keyring_unlock", args: { password: "correct horse", days: 3 } });
  });

  it("explains why it is off when no keyring service answers", async () => {
    mockIpc({
      keyring_status: () => ({ enabled: false, days: 7, ready: false, reason: { code: "no_service" } }),
    });
    render(KeyringSettings);
    expect(
      await screen.findByText("Not available on this computer: no keyring service answers on this computer."),
    ).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Turn on" })).toBeNull();
  });
});
