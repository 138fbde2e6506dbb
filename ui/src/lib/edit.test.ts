// Issue 21, item 9: the Edit page's recovery codes and its one save model.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import EditAccount from "./components/EditAccount.svelte";
import type { RecoveryCodeView } from "./ipc/RecoveryCodeView";
import { parseNewCodes } from "./recovery";
import { fakeAccount, mockIpc } from "./testing";

afterEach(() => cleanup());

/** A shell holding one account's recovery codes, with the commands the Edit page sends: the list is masked,
 * the codes come with the vault password ("vault pass"). */
function shell(initial: string[]) {
  const hint = (code: string) => (code.length >= 8 ? code.slice(-2) : "");
  let codes: RecoveryCodeView[] = initial.map((code, index) => ({ index, code, hint: hint(code), used: false }));
  const reindex = () => (codes = codes.map((c, index) => ({ ...c, index })));
  return mockIpc({
    list_recovery_codes: () => codes.map((c) => ({ ...c, code: null })),
    reveal_recovery_codes: (a) => {
      if (a?.password !== "vault pass") throw { code: "wrong_password", message: "wrong password" };
      return codes.map((c) => ({ ...c }));
    },
    add_recovery_codes: (a) => {
      const lines = String(a?.codes).split("\n").filter(Boolean);
      codes.push(...lines.map((code) => ({ index: 0, code, hint: hint(code), used: false })));
      reindex();
      return lines.length;
    },
    mark_recovery_code: (a) => {
      const c = codes[Number(a?.index)];
      if (c) c.used = Boolean(a?.used);
      return null;
    },
    remove_recovery_code: (a) => {
      codes = codes.filter((c) => c.index !== Number(a?.index));
      reindex();
      return null;
    },
    update_account: () => null,
  });
}

function open(overrides = {}) {
  const props = { account: fakeAccount({ recoveryTotal: 0, recoveryUnused: 0, ...overrides }), onDone: vi.fn(), onCancel: vi.fn() };
  const view = render(EditAccount, props);
  return { ...props, view };
}

async function openRecovery() {
  const details = screen.getByText(/^Recovery codes \(/).closest("details") as HTMLDetailsElement;
  details.open = true;
  await fireEvent(details, new Event("toggle"));
  return details;
}

const summary = () => screen.getByText(/^Recovery codes \(/).textContent;

/** Shows the codes themselves: the vault password, then "Show codes". */
async function showCodes(password = "vault pass") {
  await fireEvent.input(await screen.findByLabelText("Vault password", { selector: "#codes-password" }), {
    target: { value: password },
  });
  await fireEvent.click(screen.getByRole("button", { name: "Show codes" }));
}

describe("recovery codes on the Edit page", () => {
  it("counts the codes as soon as they are added and ticked", async () => {
    shell([]);
    open();
    await openRecovery();
    expect(await screen.findByText("No recovery codes saved for this account.")).toBeTruthy();
    expect(summary()).toBe("Recovery codes (0 of 0 unused)");
    await fireEvent.input(screen.getByLabelText("Add codes (one per line)"), { target: { value: "a1\nb2\nc3\nd4\ne5" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add codes" }));
    await waitFor(() => expect(summary()).toBe("Recovery codes (5 of 5 unused)"));
    await showCodes();
    await fireEvent.click(await screen.findByRole("checkbox", { name: "c3" }));
    await waitFor(() => expect(summary()).toBe("Recovery codes (4 of 5 unused)"));
  });

  it("refuses a code that is already saved or typed twice, before sending anything", async () => {
    const calls = shell(["ab12-cd34"]);
    open({ recoveryTotal: 1, recoveryUnused: 1 });
    await openRecovery();
    await showCodes();
    await screen.findByRole("checkbox", { name: "ab12-cd34" });
    const box = screen.getByLabelText("Add codes (one per line)") as HTMLTextAreaElement;
    await fireEvent.input(box, { target: { value: "new-1\nAB12-CD34" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add codes" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Already saved or typed twice: AB12-CD34. Nothing was added; remove it from the box and try again.",
    );
    await fireEvent.input(box, { target: { value: "new-1\nnew-2\nnew-1" } });
    await fireEvent.click(screen.getByRole("button", { name: "Add codes" }));
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("twice: new-1."));
    expect(calls.some((c) => c.cmd === "add_recovery_codes")).toBe(false);
    expect(box.value).toBe("new-1\nnew-2\nnew-1");
    expect(summary()).toBe("Recovery codes (1 of 1 unused)");
  });

  // Issue 13 point 1: the list never holds a code until the vault password was typed.
  it("lists the codes masked and shows them only after the vault password", async () => {
    const calls = shell(["ab12-cd34-ef56", "short"]);
    open({ recoveryTotal: 2, recoveryUnused: 2 });
    await openRecovery();
    await screen.findByRole("checkbox", { name: "•••• 56" });
    expect(document.body.textContent).not.toContain("ab12");
    expect(screen.getByRole("button", { name: "Remove recovery code number 2" })).toBeTruthy();
    await showCodes("nope");
    expect((await screen.findByRole("alert")).textContent).toContain("Wrong password");
    expect(document.body.textContent).not.toContain("ab12");
    await showCodes();
    await screen.findByRole("checkbox", { name: "ab12-cd34-ef56" });
    expect(calls.filter((c) => c.cmd === "reveal_recovery_codes").map((c) => c.args)).toEqual([
      { id: fakeAccount().id, password: "nope" },
      { id: fakeAccount().id, password: "vault pass" },
    ]);
    await fireEvent.click(screen.getByRole("button", { name: "Hide codes" }));
    await screen.findByRole("checkbox", { name: "•••• 56" });
  });

  it("spots repeats among the typed codes, ignoring spaces and letter case", () => {
    expect(parseNewCodes(" x1 \n\nY 2\nx1\ny2", [])).toEqual({ codes: ["x1", "Y 2", "x1", "y2"], repeated: ["x1", "y2"] });
  });

  it("removes a mistyped code after a second click (through the assumed remove_recovery_code command)", async () => {
    const calls = shell(["good-1", "typo-2", "good-3"]);
    open({ recoveryTotal: 3, recoveryUnused: 3 });
    await openRecovery();
    await showCodes();
    await fireEvent.click(await screen.findByRole("button", { name: "Remove recovery code typo-2" }));
    // A second click confirms; "Keep" takes it back.
    await fireEvent.click(screen.getByRole("button", { name: "Keep" }));
    expect(calls.some((c) => c.cmd === "remove_recovery_code")).toBe(false);
    await fireEvent.click(screen.getByRole("button", { name: "Remove recovery code typo-2" }));
    await fireEvent.click(screen.getByRole("button", { name: "Remove typo-2 for good" }));
    await waitFor(() => expect(screen.queryByRole("checkbox", { name: "typo-2" })).toBeNull());
    // The list is masked again after a removal; shown once more, the other two remain.
    await showCodes();
    await screen.findByRole("checkbox", { name: "good-1" });
    expect(screen.getAllByRole("checkbox", { name: /^(good|typo)-/ }).map((c) => c.closest("label")?.textContent?.trim())).toEqual(["good-1", "good-3"]);
    expect(summary()).toBe("Recovery codes (2 of 2 unused)");
    expect(calls.find((c) => c.cmd === "remove_recovery_code")?.args).toEqual({ id: fakeAccount().id, index: 1 });
  });
});

describe("leaving the Edit page", () => {
  it("leaves at once when nothing changed", async () => {
    shell([]);
    const p = open();
    await fireEvent.click(screen.getByRole("button", { name: "Back to accounts" }));
    expect(p.onCancel).toHaveBeenCalled();
  });

  it("asks before dropping a rename, from ← and from Cancel; Esc asks too, and Esc again keeps editing", async () => {
    const calls = shell([]);
    const p = open();
    await fireEvent.input(screen.getByLabelText("Account name"), { target: { value: "alice@work.example" } });
    await fireEvent.click(screen.getByRole("button", { name: "Back to accounts" }));
    const question = screen.getByRole("alertdialog", { name: "Discard your changes?" });
    expect(document.activeElement).toBe(question);
    expect(p.onCancel).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByRole("button", { name: "Keep editing" }));
    expect(screen.queryByRole("alertdialog")).toBeNull();
    expect((screen.getByLabelText("Account name") as HTMLInputElement).value).toBe("alice@work.example");

    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.getByRole("alertdialog")).toBeTruthy();
    // Pressing ← again while asked keeps asking.
    await fireEvent.click(screen.getByRole("button", { name: "Back to accounts" }));
    expect(screen.getByRole("alertdialog")).toBeTruthy();
    p.view.component.onEscape();
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    p.view.component.onEscape();
    await fireEvent.click(await screen.findByRole("button", { name: "Discard changes" }));
    expect(p.onCancel).toHaveBeenCalled();
    expect(calls.some((c) => c.cmd === "update_account")).toBe(false);
  });

  it("does not count an undone change, or spaces around groups, as unsaved", async () => {
    shell([]);
    const p = open({ groups: ["Work", "Code"] });
    await fireEvent.input(screen.getByLabelText("Groups (comma separated)"), { target: { value: "Work ,Code" } });
    await fireEvent.input(screen.getByLabelText("Service"), { target: { value: "Other" } });
    await fireEvent.input(screen.getByLabelText("Service"), { target: { value: "Example" } });
    await fireEvent.click(screen.getByRole("button", { name: "Back to accounts" }));
    expect(p.onCancel).toHaveBeenCalled();
  });
});
