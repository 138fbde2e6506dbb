import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import AddAccount from "./components/AddAccount.svelte";
import type { ScanFound } from "./ipc/ScanFound";
import { mockIpc } from "./testing";

afterEach(() => cleanup());

/** What the shell hands over for an opened link: a description of the staged account, never the link. */
const opened: ScanFound = {
  accounts: [
    { index: 0, issuer: "Example", name: "alice@example.com", kind: "totp", algorithm: "SHA1", digits: 6, period: 30, duplicate: false, duplicates: [], warnings: [] },
  ],
  batch: null,
  notes: [],
};

describe("AddAccount opened with a link", () => {
  it("shows the staged account and saves it only when the user clicks Add", async () => {
    const calls = mockIpc({ add_pending: () => [{ id: "00000000-0000-4000-8000-000000000001" }] });
    const onDone = vi.fn();
    render(AddAccount, { opened, onDone, onCancel: vi.fn() });
    expect(screen.getByText(/A link was opened with Twofold/)).toBeTruthy();
    expect(screen.getByText("Example")).toBeTruthy();
    expect(screen.getByText("TOTP · SHA1 · 6 digits · 30 s")).toBeTruthy();
    expect(calls).toEqual([]);

    await fireEvent.click(screen.getByRole("button", { name: "Add" }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith("Account added"));
    expect(calls.map((c) => c.cmd)).toEqual(["add_pending"]);
    expect(calls[0]?.args).toEqual({ indices: [0] });
  });

  it("without a link, the link field starts empty and says nothing about links opened", () => {
    render(AddAccount, { onDone: vi.fn(), onCancel: vi.fn() });
    expect(screen.getByLabelText("otpauth:// link")).toHaveProperty("value", "");
    expect(screen.queryByText(/A link was opened with Twofold/)).toBeNull();
    expect(screen.getByRole("button", { name: "Add" })).toHaveProperty("disabled", true);
  });
});
