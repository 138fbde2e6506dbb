import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import QuickSwitcher from "./components/QuickSwitcher.svelte";
import ShortcutField from "./components/ShortcutField.svelte";
import { comboFromEvent } from "./shortcut";
import { fakeAccount, mockIpc } from "./testing";

afterEach(() => cleanup());

const accounts = [
  fakeAccount({ id: "a", issuer: "GitHub", name: "alice", code: "492039", order: 0 }),
  fakeAccount({ id: "b", issuer: "GitLab", name: "bob", code: "118822", order: 1 }),
  fakeAccount({ id: "c", issuer: "Mastodon", name: "carol", code: "554433", order: 2 }),
];

function ipc(overrides: Record<string, (args?: Record<string, unknown>) => unknown> = {}) {
  return mockIpc({
    list_accounts: () => ({ now: Date.now(), accounts }),
    copy_code: () => null,
    hide_window: () => null,
    ...overrides,
  });
}

/** The commands sent, leaving out the list reloads a slow test machine may fit in. */
function sent(calls: Array<{ cmd: string; args?: Record<string, unknown> }>) {
  return calls.filter((c) => c.cmd !== "list_accounts");
}

function options(): string[] {
  return screen.getAllByRole("option").map((o) => o.querySelector(".issuer")?.textContent ?? "");
}

function selected(): string {
  return screen.getByRole("option", { selected: true }).querySelector(".issuer")?.textContent ?? "";
}

describe("QuickSwitcher", () => {
  it("focuses the search box and narrows the matches as one types", async () => {
    ipc();
    render(QuickSwitcher, { onClose: vi.fn() });
    const box = screen.getByRole("combobox", { name: "Search accounts" });
    expect(document.activeElement).toBe(box);
    await waitFor(() => expect(options()).toEqual(["GitHub", "GitLab", "Mastodon"]));
    expect(screen.getAllByRole("option")[0]?.textContent).toContain("492 039");
    await fireEvent.input(box, { target: { value: "git" } });
    expect(options()).toEqual(["GitHub", "GitLab"]);
    await fireEvent.input(box, { target: { value: "carol" } });
    expect(options()).toEqual(["Mastodon"]);
    await fireEvent.input(box, { target: { value: "nothing like it" } });
    expect(screen.queryAllByRole("option")).toEqual([]);
    expect(screen.getByText("No account matches “nothing like it”")).toBeTruthy();
  });

  it("Enter copies the top match's code, then hides the window and closes", async () => {
    const calls = ipc();
    const onClose = vi.fn();
    render(QuickSwitcher, { onClose });
    const box = screen.getByRole("combobox", { name: "Search accounts" });
    await waitFor(() => expect(options()).toHaveLength(3));
    await fireEvent.input(box, { target: { value: "gitl" } });
    await fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(sent(calls)).toEqual([{ cmd: "copy_code", args: { id: "b" } }, { cmd: "hide_window", args: undefined }]);
  });

  it("arrow keys move the selection, wrapping, and Enter copies the selected match", async () => {
    const calls = ipc();
    const onClose = vi.fn();
    render(QuickSwitcher, { onClose });
    const box = screen.getByRole("combobox", { name: "Search accounts" });
    await waitFor(() => expect(options()).toHaveLength(3));
    expect(selected()).toBe("GitHub");
    await fireEvent.keyDown(box, { key: "ArrowDown" });
    await fireEvent.keyDown(box, { key: "ArrowDown" });
    expect(selected()).toBe("Mastodon");
    expect(box.getAttribute("aria-activedescendant")).toBe("switcher-option-2");
    await fireEvent.keyDown(box, { key: "ArrowDown" });
    expect(selected()).toBe("GitHub");
    await fireEvent.keyDown(box, { key: "ArrowUp" });
    expect(selected()).toBe("Mastodon");
    await fireEvent.keyDown(box, { key: "Enter" });
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(sent(calls)).toEqual([{ cmd: "copy_code", args: { id: "c" } }, { cmd: "hide_window", args: undefined }]);
  });

  it("a failed copy is shown and neither hides the window nor closes", async () => {
    const calls = ipc({
      copy_code: () => {
        throw { code: "invalid_input", message: "press “next code” first" };
      },
    });
    const onClose = vi.fn();
    render(QuickSwitcher, { onClose });
    const box = screen.getByRole("combobox", { name: "Search accounts" });
    await waitFor(() => expect(options()).toHaveLength(3));
    await fireEvent.keyDown(box, { key: "Enter" });
    expect((await screen.findByRole("alert")).textContent).toMatch(/press “next code” first/);
    expect(onClose).not.toHaveBeenCalled();
    expect(sent(calls).map((c) => c.cmd)).toEqual(["copy_code"]);
  });

  it("Esc closes; it hides the window again only when the shortcut brought it up from hidden", async () => {
    let calls = ipc();
    const onClose = vi.fn();
    render(QuickSwitcher, { onClose });
    await fireEvent.keyDown(screen.getByRole("combobox"), { key: "Escape" });
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
    expect(calls.map((c) => c.cmd)).not.toContain("hide_window");
    cleanup();

    calls = ipc();
    const onHiddenClose = vi.fn();
    render(QuickSwitcher, { fromHidden: true, onClose: onHiddenClose });
    await fireEvent.keyDown(screen.getByRole("combobox"), { key: "Escape" });
    await waitFor(() => expect(onHiddenClose).toHaveBeenCalledTimes(1));
    expect(calls.map((c) => c.cmd)).toContain("hide_window");
    expect(calls.map((c) => c.cmd)).not.toContain("copy_code");
  });

  it("keeps its keys from the page below (Esc there would leave the current page)", async () => {
    ipc();
    const onWindowKey = vi.fn();
    window.addEventListener("keydown", onWindowKey);
    render(QuickSwitcher, { onClose: vi.fn() });
    await fireEvent.keyDown(screen.getByRole("combobox"), { key: "Escape" });
    window.removeEventListener("keydown", onWindowKey);
    expect(onWindowKey).not.toHaveBeenCalled();
  });
});

describe("shortcut recording", () => {
  const press = (init: KeyboardEventInit) => comboFromEvent(new KeyboardEvent("keydown", init));

  it("spells combinations like the shell stores them", () => {
    expect(press({ code: "KeyK", key: "k", ctrlKey: true, altKey: true })).toBe("Ctrl+Alt+K");
    expect(press({ code: "Digit1", key: "!", metaKey: true, shiftKey: true })).toBe("Shift+Super+1");
    expect(press({ code: "Space", key: " ", ctrlKey: true })).toBe("Ctrl+Space");
    expect(press({ code: "F5", key: "F5" })).toBe("F5");
  });

  it("leaves plain typing, lone modifiers and unmodified keys alone", () => {
    expect(press({ code: "KeyK", key: "k" })).toBeNull();
    expect(press({ code: "KeyK", key: "K", shiftKey: true })).toBeNull();
    expect(press({ code: "ControlLeft", key: "Control", ctrlKey: true })).toBeNull();
    expect(press({ code: "Backspace", key: "Backspace" })).toBeNull();
    expect(press({ code: "Tab", key: "Tab" })).toBeNull();
  });

  it("the settings field records pressed keys, accepts typed text and can be cleared", async () => {
    mockIpc({ quick_switcher_status: () => ({ wayland: true, error: null }) });
    render(ShortcutField, { value: undefined });
    const field = screen.getByLabelText("Quick switcher shortcut") as HTMLInputElement;
    await fireEvent.keyDown(field, { code: "KeyJ", key: "j", ctrlKey: true, altKey: true });
    expect(field.value).toBe("Ctrl+Alt+J");
    await fireEvent.input(field, { target: { value: "Super+F2" } });
    expect(field.value).toBe("Super+F2");
    await fireEvent.click(screen.getByRole("button", { name: "Clear" }));
    expect(field.value).toBe("");
    expect(await screen.findByText(/This is a Wayland session/)).toBeTruthy();
  });
});
