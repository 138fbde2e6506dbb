import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setInvoker } from "./api";
import AddAccount from "./components/AddAccount.svelte";

const LINK = "otpauth://totp/Example:alice@example.com?secret=GEZDGNBVGY3TQOJQ&issuer=Example";

afterEach(() => cleanup());

describe("AddAccount opened with a link", () => {
  it("prefills and previews the link, and saves only when the user clicks Add", async () => {
    const calls: string[] = [];
    setInvoker(async (cmd) => {
      calls.push(cmd);
      if (cmd === "preview_link") {
        return { issuer: "Example", name: "alice@example.com", kind: "totp", algorithm: "SHA1", digits: 6, period: 30, warnings: [], duplicates: [] };
      }
      if (cmd === "add_account_link") return { id: "00000000-0000-4000-8000-000000000001", warnings: [], duplicates: [] };
      throw { code: "not_available", message: `no mock for ${cmd}` };
    });
    const onDone = vi.fn();
    render(AddAccount, { initialLink: LINK, onDone, onCancel: vi.fn() });
    expect(screen.getByLabelText("otpauth:// link")).toHaveProperty("value", LINK);
    expect(screen.getByText(/A link was opened with Twofold/)).toBeTruthy();
    expect(await screen.findByText("6 digits · 30 s", { exact: false })).toBeTruthy();
    expect(calls).toEqual(["preview_link"]);
    expect(onDone).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByRole("button", { name: "Add" }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith("Account added"));
    expect(calls).toEqual(["preview_link", "add_account_link"]);
  });

  it("without a link, the field starts empty and says nothing about links opened", () => {
    render(AddAccount, { onDone: vi.fn(), onCancel: vi.fn() });
    expect(screen.getByLabelText("otpauth:// link")).toHaveProperty("value", "");
    expect(screen.queryByText(/A link was opened with Twofold/)).toBeNull();
    expect(screen.getByRole("button", { name: "Add" })).toHaveProperty("disabled", true);
  });
});
