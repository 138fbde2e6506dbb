// Issue 21, item 10: reordering could only be found in the README (Alt+↑/↓). Cards now offer Move up/Move down.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it } from "vitest";
import AccountList from "./components/AccountList.svelte";
import type { AccountView } from "./ipc/AccountView";
import { moveTarget } from "./search";
import { accountListProps, fakeAccount, mockIpc } from "./testing";

afterEach(() => cleanup());

const ids = ["00000000-0000-4000-8000-00000000000a", "00000000-0000-4000-8000-00000000000b", "00000000-0000-4000-8000-00000000000c"];

/** A shell that keeps the manual order and moves like `move_account` (remove, then insert at `to`). */
function shell(start: AccountView[]) {
  let accounts = start;
  const calls = mockIpc({
    list_accounts: () => ({ now: Date.now(), accounts }),
    move_account: (a) => {
      const ordered = [...accounts].sort((x, y) => x.order - y.order);
      const from = ordered.findIndex((x) => x.id === a?.id);
      const [moved] = ordered.splice(from, 1);
      if (moved) ordered.splice(Math.min(Number(a?.to), ordered.length), 0, moved);
      accounts = ordered.map((x, order) => ({ ...x, order }));
      return null;
    },
    backup_status: () => ({ enabled: false }),
  });
  return calls;
}

const three = () => [
  fakeAccount({ id: ids[0], issuer: "Alpha", order: 0 }),
  fakeAccount({ id: ids[1], issuer: "Bravo", order: 1 }),
  fakeAccount({ id: ids[2], issuer: "Charlie", order: 2 }),
];

const shown = () => screen.getAllByRole("button", { name: /^Copy code for/ }).map((b) => b.closest("li")?.dataset.issuer);

describe("moving a card", () => {
  it("has Move up and Move down under the card's ⇅ button", async () => {
    const calls = shell(three());
    render(AccountList, accountListProps());
    await screen.findAllByRole("button", { name: /^Copy code for/ });
    const toggle = screen.getByRole("button", { name: "Move Charlie" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(toggle);
    expect(toggle.getAttribute("aria-expanded")).toBe("true");
    const group = screen.getByRole("group", { name: "Move Charlie" });
    expect((within(group).getByRole("button", { name: "Move down" }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(within(group).getByRole("button", { name: "Move up" }));
    await waitFor(() => expect(shown()).toEqual(["Alpha", "Charlie", "Bravo"]));
    expect(calls.filter((c) => c.cmd === "move_account")).toEqual([{ cmd: "move_account", args: { id: ids[2], to: 1 } }]);
    // The focus stays on the button, so it can be pressed again.
    expect(document.activeElement?.textContent).toBe("Move up");
    await fireEvent.click(screen.getByRole("button", { name: "Move up" }));
    await waitFor(() => expect(shown()).toEqual(["Charlie", "Alpha", "Bravo"]));
    expect((screen.getByRole("button", { name: "Move up" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("keeps the focus in the moved card when other cards show their move buttons too", async () => {
    shell(three());
    render(AccountList, accountListProps());
    await screen.findAllByRole("button", { name: /^Copy code for/ });
    await fireEvent.click(screen.getByRole("button", { name: "Move Alpha" }));
    await fireEvent.click(screen.getByRole("button", { name: "Move Charlie" }));
    const charlie = screen.getByRole("group", { name: "Move Charlie" });
    await fireEvent.click(within(charlie).getByRole("button", { name: "Move up" }));
    await waitFor(() => expect(shown()).toEqual(["Alpha", "Charlie", "Bravo"]));
    expect(document.activeElement?.closest("li")?.dataset.issuer).toBe("Charlie");
    expect(document.activeElement?.textContent).toBe("Move up");
  });

  it("moves with Alt+↓ through the same rule", async () => {
    const calls = shell(three());
    render(AccountList, accountListProps());
    const alpha = await screen.findByRole("button", { name: "Copy code for Alpha alice@example.com" });
    await fireEvent.keyDown(alpha, { key: "ArrowDown", altKey: true });
    await waitFor(() => expect(shown()).toEqual(["Bravo", "Alpha", "Charlie"]));
    expect(calls.find((c) => c.cmd === "move_account")?.args).toEqual({ id: ids[0], to: 1 });
  });
});

describe("moveTarget", () => {
  it("swaps with the neighbour as shown, past accounts a search hides", () => {
    const all = three();
    const [a, , c] = all as [AccountView, AccountView, AccountView];
    // Searching hides Bravo: Charlie's neighbour above is Alpha, at manual index 0.
    expect(moveTarget(all, [a, c], c.id, -1)).toBe(0);
    expect(moveTarget(all, [a, c], a.id, 1)).toBe(2);
    expect(moveTarget(all, [a, c], a.id, -1)).toBeNull();
    expect(moveTarget(all, [a, c], c.id, 1)).toBeNull();
  });

  it("does not move across the favourites line, which would change nothing on screen", () => {
    const all = [fakeAccount({ id: ids[0], order: 0, favorite: true }), fakeAccount({ id: ids[1], order: 1 })];
    expect(moveTarget(all, all, ids[1] as string, -1)).toBeNull();
    expect(moveTarget(all, all, ids[0] as string, 1)).toBeNull();
  });
});
