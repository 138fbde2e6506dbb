import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import AccountList from "./components/AccountList.svelte";
import CreateVault from "./components/CreateVault.svelte";
import Unlock from "./components/Unlock.svelte";
import { accountListProps, fakeAccount, mockIpc } from "./testing";

afterEach(() => cleanup());

describe("Unlock", () => {
  it("shows `Wrong password` when the shell says so", async () => {
    mockIpc({
      unlock_vault: () => {
        throw { code: "wrong_password", message: "wrong password" };
      },
    });
    const onUnlocked = vi.fn();
    render(Unlock, { onUnlocked });
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "nope" } });
    await fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    expect(await screen.findByRole("alert")).toHaveProperty("textContent", "Wrong password");
    expect(onUnlocked).not.toHaveBeenCalled();
  });

  it("sends the password and reports success", async () => {
    const calls = mockIpc({ unlock_vault: () => null });
    const onUnlocked = vi.fn();
    render(Unlock, { onUnlocked });
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "hunter2hunter2" } });
    await fireEvent.click(screen.getByRole("button", { name: "Unlock" }));
    await waitFor(() => expect(onUnlocked).toHaveBeenCalled());
    // The screen asks whether the keyring unlock is on (issue 16); with no answer it offers the password only.
    expect(calls.filter((c) => c.cmd !== "keyring_status")).toEqual([
      { cmd: "unlock_vault", args: { password: "hunter2hunter2" } },
    ]);
  });
});

describe("CreateVault", () => {
  it("needs matching passwords and the recovery warning acknowledged", async () => {
    const calls = mockIpc({ create_vault: () => null });
    const onCreated = vi.fn();
    render(CreateVault, { onCreated });
    const button = screen.getByRole("button", { name: "Create vault" }) as HTMLButtonElement;
    expect(screen.getByText(/no way to recover a lost password/i)).toBeTruthy();
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "correct horse battery" } });
    await fireEvent.input(screen.getByLabelText("Repeat password"), { target: { value: "correct horse batterx" } });
    expect(screen.getByText("The passwords do not match.")).toBeTruthy();
    await fireEvent.input(screen.getByLabelText("Repeat password"), { target: { value: "correct horse battery" } });
    expect(button.disabled).toBe(true);
    await fireEvent.click(screen.getByLabelText(/I understand/));
    expect(button.disabled).toBe(false);
    await fireEvent.click(button);
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(calls).toEqual([{ cmd: "create_vault", args: { password: "correct horse battery" } }]);
  });
});

describe("AccountList", () => {
  const now = Date.now();
  const accounts = [
    fakeAccount({ id: "a", issuer: "GitHub", name: "alice", code: "492039", validFrom: now - 1000, validUntil: now + 29_000 }),
    fakeAccount({ id: "b", issuer: "Mastodon", name: "bob", code: "1234567", digits: 7, validFrom: now, validUntil: now + 30_000, favorite: true }),
  ];

  const props = accountListProps;

  it("shows grouped codes, favourites first, and copies on click", async () => {
    const calls = mockIpc({ list_accounts: () => ({ now, accounts }), copy_code: () => null });
    const p = props();
    render(AccountList, p);
    const buttons = await screen.findAllByRole("button", { name: /^Copy code for/ });
    expect(buttons.map((b) => b.closest("li")?.dataset.issuer)).toEqual(["Mastodon", "GitHub"]);
    expect(screen.getByRole("button", { name: "Copy code for GitHub alice" })).toBe(buttons[1]);
    expect(screen.getByText("492 039")).toBeTruthy();
    expect(screen.getByText("1234 567")).toBeTruthy();
    await fireEvent.click(buttons[1]!);
    await waitFor(() => expect(p.onToast).toHaveBeenCalledWith("Copied code for GitHub"));
    expect(calls.at(-1)).toEqual({ cmd: "copy_code", args: { id: "a" } });
  });

  it("filters as the user types", async () => {
    mockIpc({ list_accounts: () => ({ now, accounts }) });
    render(AccountList, props());
    await screen.findAllByRole("button", { name: /^Copy code for/ });
    await fireEvent.input(screen.getByLabelText("Search accounts"), { target: { value: "git" } });
    const left = screen.getAllByRole("button", { name: /^Copy code for/ });
    expect(left.map((b) => b.closest("li")?.dataset.issuer)).toEqual(["GitHub"]);
  });

  it("shows the shell's error when the list cannot load", async () => {
    mockIpc({
      list_accounts: () => {
        throw { code: "locked", message: "the vault is locked" };
      },
    });
    render(AccountList, props());
    expect((await screen.findByRole("alert")).textContent).toBe("The vault is locked. Unlock it and try again.");
  });
});

// Issue 21, item 7: "password" (rated too weak) was accepted with one click.
describe("CreateVault with a too-weak password", () => {
  async function fill(password: string) {
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: password } });
    await fireEvent.input(screen.getByLabelText("Repeat password"), { target: { value: password } });
    await fireEvent.click(screen.getByLabelText(/I understand/));
  }

  it("asks a second, explicit time before using it", async () => {
    const calls = mockIpc({ create_vault: () => null });
    const onCreated = vi.fn();
    render(CreateVault, { onCreated });
    await fill("password");
    expect(screen.getByText("Strength: too weak")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Create vault" }));
    const question = screen.getByRole("alertdialog", { name: "This password is too weak." });
    expect(document.activeElement).toBe(question);
    expect(calls).toEqual([]);
    await fireEvent.click(screen.getByRole("button", { name: "Use this weak password" }));
    await waitFor(() => expect(onCreated).toHaveBeenCalled());
    expect(calls).toEqual([{ cmd: "create_vault", args: { password: "password" } }]);
  });

  it("goes back to the password field, and asks again for another weak one", async () => {
    const calls = mockIpc({ create_vault: () => null });
    render(CreateVault, { onCreated: vi.fn() });
    await fill("password");
    await fireEvent.click(screen.getByRole("button", { name: "Create vault" }));
    await fireEvent.click(screen.getByRole("button", { name: "Choose another password" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText("Password"));
    // Typing another password withdraws the question; a weak one is asked about again.
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "aaaaaaaa" } });
    await fireEvent.input(screen.getByLabelText("Repeat password"), { target: { value: "aaaaaaaa" } });
    await fireEvent.click(screen.getByRole("button", { name: "Create vault" }));
    expect(screen.getByRole("alertdialog")).toBeTruthy();
    await fireEvent.input(screen.getByLabelText("Password"), { target: { value: "aaaaaaab" } });
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect(calls).toEqual([]);
  });
});
