// The whole app on a mocked shell: keys that belong to App.svelte.
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import App from "../App.svelte";
import { defaultSettings } from "./settings";
import { fakeAccount, mockIpc } from "./testing";

// Shell events need Tauri; here nothing is ever sent.
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => undefined) }));

afterEach(() => cleanup());

function unlockedShell() {
  const accounts = [fakeAccount({ id: "a", issuer: "GitHub", name: "alice" })];
  return mockIpc({
    vault_status: () => "unlocked",
    get_settings: () => defaultSettings(),
    list_accounts: () => ({ now: Date.now(), accounts }),
    backup_status: () => ({ enabled: false, kind: "off", message: "", lastSuccess: null, failure: null, failedAt: null }),
    take_pending_link: () => null,
  });
}

describe("App", () => {
  // Issue 21, item 9: Esc on the Edit page went back to the list and dropped a rename silently.
  it("asks before Esc drops unsaved edits, and Esc again keeps editing", async () => {
    unlockedShell();
    render(App);
    await fireEvent.click(await screen.findByRole("button", { name: "Edit GitHub" }));
    await fireEvent.input(await screen.findByLabelText("Account name"), { target: { value: "alice@work.example" } });
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.getByRole("alertdialog", { name: "Discard your changes?" })).toBeTruthy();
    expect(screen.getByRole("heading", { name: "Edit GitHub" })).toBeTruthy();
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect((screen.getByLabelText("Account name") as HTMLInputElement).value).toBe("alice@work.example");
    await fireEvent.keyDown(window, { key: "Escape" });
    await fireEvent.click(screen.getByRole("button", { name: "Discard changes" }));
    expect(await screen.findByRole("button", { name: "Copy code for GitHub alice" })).toBeTruthy();
  });

  // Issue 21, item 10: the shortcuts were only in the README.
  it("opens the Keyboard shortcuts sheet with ? and from the toolbar, listing every shortcut", async () => {
    unlockedShell();
    render(App);
    const search = await screen.findByLabelText("Search accounts");
    await fireEvent.keyDown(search, { key: "?" });
    expect(screen.queryByRole("dialog")).toBeNull();
    await fireEvent.keyDown(window, { key: "?" });
    // The sheet is loaded when first opened (it is not in the start-up script).
    const sheet = await screen.findByRole("dialog", { name: "Keyboard shortcuts" });
    const keys = [...sheet.querySelectorAll("kbd")].map((k) => k.textContent);
    for (const key of ["Ctrl+K", "Ctrl+L", "Ctrl+I", "?", "Esc", "/ or Ctrl+F", "Enter", "↓", "Enter or Space", "Alt+↑ / Alt+↓", "↑ / ↓"]) {
      expect(keys).toContain(key);
    }
    expect(sheet.textContent).toContain("On a card: move it up or down");
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Close" }));
    await fireEvent.keyDown(document.activeElement as Element, { key: "Escape" });
    expect(screen.queryByRole("dialog")).toBeNull();

    const button = screen.getByRole("button", { name: "Keyboard shortcuts" });
    button.focus();
    await fireEvent.click(button);
    expect(await screen.findByRole("dialog", { name: "Keyboard shortcuts" })).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Close" }));
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(document.activeElement).toBe(button);

    // The other shortcuts still work while the sheet is open: Ctrl+K swaps it for the quick switcher.
    await fireEvent.keyDown(window, { key: "?" });
    await screen.findByRole("dialog", { name: "Keyboard shortcuts" });
    await fireEvent.keyDown(screen.getByRole("button", { name: "Close" }), { key: "k", ctrlKey: true });
    expect(screen.getByRole("dialog", { name: "Quick switcher" })).toBeTruthy();
    expect(screen.queryByRole("dialog", { name: "Keyboard shortcuts" })).toBeNull();
  });
});
