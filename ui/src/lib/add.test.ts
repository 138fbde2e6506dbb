// The Add account dialog's own form and tabs (QR reading itself is in scan.test.ts).
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import AddAccount from "./components/AddAccount.svelte";
import type { StagedAccountView } from "./ipc/StagedAccountView";
import type { ScanFound } from "./ipc/ScanFound";
import type { KeyCheck } from "./ipc/KeyCheck";
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

describe("Add account: the key is checked as it is typed", () => {
  async function typeKey(value: string) {
    await fireEvent.click(screen.getByRole("tab", { name: "Enter a key" }));
    await fireEvent.input(screen.getByLabelText("Secret key"), { target: { value } });
  }

  // Issue 21, item 6: "character 10" for the 11th character, counted from 0 with spaces, and no word about
  // the slip. The shell's verdict is worded here: the character, its place from 1, and the likely letter.
  it("names the wrong character, its place among what was typed and the likely slip", async () => {
    const verdict: KeyCheck = {
      problem: { code: "invalid_character", position: 11, character: "1", likely: "I" },
      duplicates: [],
    };
    const calls = mockIpc({ check_key: () => verdict });
    open();
    await typeKey("abcd efgh 1234");
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toBe(
      "Character 11, “1”, cannot be in a key: keys use only the letters A–Z and the digits 2–7. " +
        "0, 1 and 8 are not used in keys: did you mean “I”?",
    );
    expect(calls.map((c) => c.cmd)).toEqual(["check_key"]);
    expect((calls[0]?.args?.account as { secret: string }).secret).toBe("abcd efgh 1234");
    expect((screen.getByRole("button", { name: "Add" }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByLabelText("Secret key").getAttribute("aria-invalid")).toBe("true");
  });

  // Issue 21, item 1: `AB` gave "Account added" and became `AA`; a too-short key was accepted.
  it("refuses a key that does not end on a whole byte or is too short, before Add", async () => {
    let verdict: KeyCheck = { problem: { code: "not_whole_bytes", characters: 2 }, duplicates: [] };
    mockIpc({ check_key: () => verdict });
    open();
    await typeKey("AB");
    expect((await screen.findByRole("alert")).textContent).toBe(
      "This key does not end on a whole byte (2 characters): a character is missing or one too many. " +
        "Check it against the service's setup page.",
    );
    expect((screen.getByRole("button", { name: "Add" }) as HTMLButtonElement).disabled).toBe(true);
    verdict = { problem: { code: "too_short", bits: 40, min: 80 }, duplicates: [] };
    await fireEvent.input(screen.getByLabelText("Secret key"), { target: { value: "JBSWY3DP" } });
    await waitFor(() =>
      expect(screen.getByRole("alert").textContent).toBe(
        "This key is too short (40 bits; services issue at least 80): a part of it is missing.",
      ),
    );
    verdict = { problem: null, duplicates: [] };
    await fireEvent.input(screen.getByLabelText("Secret key"), { target: { value: "JBSWY3DPEHPK3PXP" } });
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
    expect((screen.getByRole("button", { name: "Add" }) as HTMLButtonElement).disabled).toBe(false);
  });

  // Issue 21, item 2: typing a key the vault has added a third copy of GitHub and only said so afterwards.
  it("says the key is already there before Add", async () => {
    mockIpc({ check_key: () => ({ problem: null, duplicates: ["GitHub (alice)", "GitHub"] }) });
    open();
    await typeKey("JBSWY3DPEHPK3PXP");
    expect((await screen.findByRole("status")).textContent).toBe("You already have this key: GitHub (alice), GitHub.");
  });
});

// Issue 21, item 11: a Google Authenticator transfer link pasted in the link field was refused, though the
// Clipboard and Image tabs accept it.
describe("Add account: a pasted transfer link", () => {
  it("is staged and offers its batch to pick from", async () => {
    const batch: ScanFound = {
      accounts: [pending(0), { ...pending(1), duplicate: true, duplicates: ["Service 1"] }],
      batch: { received: 2, total: 2 },
      notes: [],
    };
    const onDone = vi.fn();
    const calls = mockIpc({ stage_link: () => batch, add_pending: () => [{ id: "x", warnings: [], duplicates: [] }] });
    render(AddAccount, { onDone, onCancel: vi.fn() });
    const link = "otpauth-migration://offline?data=CgA%3D";
    await fireEvent.input(screen.getByLabelText("otpauth:// link"), { target: { value: link } });
    const first = await screen.findByRole("checkbox", { name: /Service 0/ });
    expect((first as HTMLInputElement).checked).toBe(true);
    expect((screen.getByRole("checkbox", { name: /Service 1/ }) as HTMLInputElement).checked).toBe(false);
    expect(calls).toEqual([{ cmd: "stage_link", args: { link } }]);
    await fireEvent.click(screen.getByRole("button", { name: "Add 1 account" }));
    await waitFor(() => expect(onDone).toHaveBeenCalled());
    expect(calls.at(-1)).toEqual({ cmd: "add_pending", args: { indices: [0] } });
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
