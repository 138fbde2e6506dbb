// Issue 19 point 3: an account's own picture in Edit and on the card. The page names a picture by its
// fingerprint and fetches the PNG the shell encoded; the brand icon steps aside while one is set.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import EditAccount from "./components/EditAccount.svelte";
import ServiceIcon from "./components/ServiceIcon.svelte";
import { fakeAccount, mockIpc } from "./testing";

afterEach(() => cleanup());

const PNG = "data:image/png;base64,iVBORw0KGgo=";

/** A shell whose one account gets fingerprint `fp-N` for the N-th picture set. */
function shell() {
  let icon: string | null = null;
  let set = 0;
  const calls = mockIpc({
    account_icon: () => (icon ? `${PNG}#${icon}` : null),
    set_account_icon: () => {
      set += 1;
      icon = `fp-${set}`;
      return true;
    },
    remove_account_icon: () => {
      icon = null;
      return null;
    },
    list_accounts: () => ({ now: 0, accounts: [fakeAccount({ icon })] }),
  });
  return calls;
}

describe("ServiceIcon", () => {
  it("shows the account's own picture, fetched once per fingerprint, instead of the brand icon", async () => {
    const calls = shell();
    await (await import("./api")).api.icons.set("x");
    const view = render(ServiceIcon, { issuer: "GitHub", name: "alice", picture: { id: "a", fingerprint: "fp-1" } });
    const img = await waitFor(() => {
      const found = view.container.querySelector("img");
      if (!found) throw new Error("no picture yet");
      return found;
    });
    expect(img.getAttribute("src")).toBe(`${PNG}#fp-1`);
    expect(view.container.querySelector("[data-icon]")?.getAttribute("data-icon")).toBe("picture");
    expect(view.container.querySelector("svg")).toBeNull();
    render(ServiceIcon, { issuer: "GitHub", name: "bob", picture: { id: "a", fingerprint: "fp-1" } });
    await waitFor(() => expect(calls.filter((c) => c.cmd === "account_icon")).toHaveLength(1));
  });
});

describe("Edit → Picture", () => {
  it("sets a picture at once, shows it, and removes it", async () => {
    const calls = shell();
    render(EditAccount, { account: fakeAccount(), onDone: vi.fn(), onCancel: vi.fn() });
    expect(screen.queryByRole("button", { name: "Remove picture" })).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Choose picture…" }));
    await screen.findByRole("button", { name: "Remove picture" });
    expect(calls.some((c) => c.cmd === "set_account_icon")).toBe(true);
    await waitFor(() => expect(document.querySelector(".picture img")?.getAttribute("src")).toMatch(/#fp-\d$/));
    await fireEvent.click(screen.getByRole("button", { name: "Remove picture" }));
    await waitFor(() => expect(screen.queryByRole("button", { name: "Remove picture" })).toBeNull());
    expect(calls.some((c) => c.cmd === "remove_account_icon")).toBe(true);
  });

  it("says why a picture was refused", async () => {
    mockIpc({
      set_account_icon: () => {
        throw { code: "invalid_input", message: "notes.txt: the picture is not a PNG, JPEG, WebP, GIF or SVG image" };
      },
    });
    render(EditAccount, { account: fakeAccount(), onDone: vi.fn(), onCancel: vi.fn() });
    await fireEvent.click(screen.getByRole("button", { name: "Choose picture…" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("notes.txt");
  });
});
