// Issue 21, item 8: an account with neither a service nor a name read "Edit " and "Delete ?". One fallback,
// `accountTitle`, names it everywhere.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import AccountList from "./components/AccountList.svelte";
import EditAccount from "./components/EditAccount.svelte";
import QuickSwitcher from "./components/QuickSwitcher.svelte";
import { problemLabel } from "./detail";
import { accountTitle, nameList, shownName } from "./names";
import { accountListProps, fakeAccount, mockIpc } from "./testing";

afterEach(() => cleanup());

const nameless = fakeAccount({ id: "n", issuer: "", name: "" });

describe("accountTitle", () => {
  it("uses the service, else the account name, else says the account is unnamed", () => {
    expect(accountTitle({ issuer: "GitHub", name: "alice" })).toBe("GitHub");
    expect(accountTitle({ issuer: "GitHub", name: "" })).toBe("GitHub");
    expect(accountTitle({ issuer: "", name: "alice" })).toBe("alice");
    expect(accountTitle({ issuer: " ", name: "" })).toBe("Unnamed account");
  });
});

describe("labels from the shell", () => {
  // Issue 18: the core sent "(unnamed account)" in English; it now sends an empty label for the UI to word.
  it("word an empty label as an unnamed account", () => {
    expect(shownName("Ex (ann)")).toBe("Ex (ann)");
    expect(shownName("")).toBe("Unnamed account");
    expect(nameList(["Ex (ann)", ""])).toBe("Ex (ann), Unnamed account");
    expect(problemLabel({ label: "", line: null })).toBe("Unnamed account");
    expect(problemLabel({ label: "", line: 3 })).toBe("Line 3");
  });
});

describe("an account without a name", () => {
  it("is named on the Edit page, in the delete question and under its QR code", async () => {
    mockIpc({ show_account_qr: () => ({ image: "data:image/png;base64,iVBORw0KGgo=", size: 10 }) });
    render(EditAccount, { account: nameless, onDone: vi.fn(), onCancel: vi.fn() });
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Edit Unnamed account");
    await fireEvent.click(screen.getByRole("button", { name: "Delete…" }));
    expect(screen.getByText("Delete Unnamed account?")).toBeTruthy();
    await fireEvent.input(screen.getByLabelText("Vault password", { selector: "#qr-password" }), { target: { value: "pw" } });
    await fireEvent.click(screen.getByRole("button", { name: "Show QR code" }));
    expect(await screen.findByRole("img", { name: "QR code for Unnamed account" })).toBeTruthy();
  });

  it("is told apart by its service when it has one", () => {
    mockIpc({});
    render(EditAccount, { account: fakeAccount({ issuer: "GitHub", name: "" }), onDone: vi.fn(), onCancel: vi.fn() });
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Edit GitHub");
  });

  it("is named on its card, in the copy toast and in the quick switcher", async () => {
    mockIpc({ list_accounts: () => ({ now: Date.now(), accounts: [nameless] }), copy_code: () => null, backup_status: () => ({ enabled: false }) });
    const props = accountListProps();
    render(AccountList, props);
    const copy = await screen.findByRole("button", { name: "Copy code for Unnamed account" });
    await fireEvent.click(copy);
    await waitFor(() => expect(props.onToast).toHaveBeenCalledWith("Copied code for Unnamed account"));
    cleanup();
    render(QuickSwitcher, { onClose: vi.fn() });
    expect((await screen.findByRole("option")).textContent).toContain("Unnamed account");
  });
});
