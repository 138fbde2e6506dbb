// The Add account dialog's own form and tabs (QR reading itself is in scan.test.ts).
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import AddAccount from "./components/AddAccount.svelte";
import type { StagedAccountView } from "./ipc/StagedAccountView";
import type { ScanFound } from "./ipc/ScanFound";
import { mockIpc } from "./testing";

function pending(index: number): StagedAccountView {
  return { index, issuer: `Service ${index}`, name: "", kind: "totp", algorithm: "SHA1", digits: 6, period: 30, duplicate: false, duplicates: [], warnings: [] };
}
const four: ScanFound = { accounts: [0, 1, 2, 3].map(pending), batch: null, notes: [] };

afterEach(() => cleanup());

function open() {
  render(AddAccount, { onDone: vi.fn(), onCancel: vi.fn() });
}

describe("Add account: the key field", () => {
  // Issue 21, item 6: the key was masked with no way to check what was typed.
  it("is masked until the user asks to see it, and can be masked again", async () => {
    mockIpc({});
    open();
    await fireEvent.click(screen.getByRole("tab", { name: "Enter a key" }));
    const key = screen.getByLabelText("Secret key") as HTMLInputElement;
    await fireEvent.input(key, { target: { value: "JBSWY3DPEHPK3PXP" } });
    expect(key.type).toBe("password");
    await fireEvent.click(screen.getByRole("button", { name: "Show key" }));
    expect(key.type).toBe("text");
    expect(key.value).toBe("JBSWY3DPEHPK3PXP");
    expect(screen.getByRole("button", { name: "Hide key" }).getAttribute("aria-controls")).toBe(key.id);
    await fireEvent.click(screen.getByRole("button", { name: "Hide key" }));
    expect(key.type).toBe("password");
  });
});

// Issue 21, item 13: after scanning an image, the Clipboard tab still showed "4 accounts in this code".
describe("Add account: each tab keeps its own results", () => {
  it("does not show one tab's scan under another", async () => {
    mockIpc({ scan_image: () => four, discard_pending: () => null });
    open();
    await fireEvent.click(screen.getByRole("tab", { name: "Image" }));
    await fireEvent.click(screen.getByRole("button", { name: "Choose an image…" }));
    expect(await screen.findByText("4 accounts in this code")).toBeTruthy();
    await fireEvent.click(screen.getByRole("tab", { name: "Clipboard" }));
    expect(screen.queryByText("4 accounts in this code")).toBeNull();
    expect(screen.getByRole("button", { name: "Paste from clipboard" })).toBeTruthy();
    await fireEvent.click(screen.getByRole("tab", { name: "Image" }));
    expect(screen.queryByText("4 accounts in this code")).toBeNull();
    expect(screen.getByRole("button", { name: "Choose an image…" })).toBeTruthy();
  });

  it("does not show one tab's error under another", async () => {
    mockIpc({
      scan_screen: () => {
        throw { code: "no_qr_code", message: "no QR code found on the screen" };
      },
    });
    open();
    await fireEvent.click(screen.getByRole("tab", { name: "Screen" }));
    await fireEvent.click(screen.getByRole("button", { name: "Scan the screen" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Nothing to scan: no QR code found on the screen. A sharper or larger code may help.",
    );
    await fireEvent.click(screen.getByRole("tab", { name: "Image" }));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("does not suggest a sharper code when the clipboard is empty", async () => {
    const empty = "the clipboard holds neither an image nor an otpauth:// link: copy a QR code image or a link first";
    mockIpc({
      scan_clipboard: () => {
        throw { code: "no_qr_code", message: empty };
      },
    });
    open();
    await fireEvent.click(screen.getByRole("tab", { name: "Clipboard" }));
    await fireEvent.click(screen.getByRole("button", { name: "Paste from clipboard" }));
    expect((await screen.findByRole("alert")).textContent).toBe(`Nothing to scan: ${empty}.`);
  });
});
