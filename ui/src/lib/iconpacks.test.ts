// Issue 19 point 4: Aegis icon packs. Settings imports, lists and removes packs and words a refused pack from
// its code; Edit → Picture offers the matching pack icons first and a search over all of them; a card without
// its own picture shows the pack icon its issuer matches, before the bundled brand icon.
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import EditAccount from "./components/EditAccount.svelte";
import IconPackSettings from "./components/IconPackSettings.svelte";
import ServiceIcon from "./components/ServiceIcon.svelte";
import { refreshPackMatches } from "./icons/packIcons.svelte";
import { fakeAccount, mockIpc } from "./testing";

afterEach(() => cleanup());

const PACK = { uuid: "3f0b8c2e-6d1a-4b5e-9f7c-2a4d6e8b0c13", name: "Aegis Icons", version: 4, icons: 2 };
const PNG = "data:image/png;base64,iVBORw0KGgo=";

describe("Settings → Icon packs", () => {
  it("imports a pack, lists it with its version and icon count, and removes it", async () => {
    let packs: (typeof PACK)[] = [];
    const calls = mockIpc({
      list_icon_packs: () => packs,
      import_icon_pack: () => {
        packs = [PACK];
        return { outcome: "imported", pack: PACK };
      },
      remove_icon_pack: () => {
        packs = [];
        return null;
      },
      pack_icon_matches: () => [],
    });
    render(IconPackSettings);
    await screen.findByText("No icon packs imported.");
    await fireEvent.click(screen.getByRole("button", { name: "Import a pack…" }));
    expect((await screen.findByRole("status")).textContent).toBe("Imported Aegis Icons: 2 icons.");
    await screen.findByText("version 4 · 2 icons");
    expect(calls.find((c) => c.cmd === "import_icon_pack")?.args).toEqual({ file: null });
    const remove = screen.getByRole("button", { name: "Remove the icon pack Aegis Icons" }) as HTMLButtonElement;
    await waitFor(() => expect(remove.disabled).toBe(false));
    await fireEvent.click(remove);
    await screen.findByText("No icon packs imported.");
    expect(calls.find((c) => c.cmd === "remove_icon_pack")?.args).toEqual({ pack: PACK.uuid });
  });

  it("words a refused pack from its code, with the shell's detail beneath", async () => {
    mockIpc({
      list_icon_packs: () => [],
      import_icon_pack: () => ({
        outcome: "refused",
        reason: "unsafeName",
        detail: { key: "detail.pack_unsafe_name", params: { name: "../evil.png" } },
      }),
    });
    render(IconPackSettings);
    await fireEvent.click(await screen.findByRole("button", { name: "Import a pack…" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("(a path traversal)");
    expect(alert.textContent).toContain("the archive has a file named “../evil.png”: names that leave the pack’s folder are refused");
  });

  it("falls back to a general sentence for a code it does not know", async () => {
    mockIpc({ list_icon_packs: () => [], import_icon_pack: () => ({ outcome: "refused", reason: "new", detail: { key: "detail.pack_not_zip", params: {} } }) });
    render(IconPackSettings);
    await fireEvent.click(await screen.findByRole("button", { name: "Import a pack…" }));
    expect((await screen.findByRole("alert")).textContent).toContain("not an icon pack Twofold can use");
  });
});

describe("Edit → Picture → From an icon pack", () => {
  it("shows the matching icons first, searches all of them, and uses the one clicked", async () => {
    const icons = [
      { pack: PACK.uuid, packName: PACK.name, id: 0, name: "GitHub", matches: true },
      { pack: PACK.uuid, packName: PACK.name, id: 1, name: "GitLab", matches: false },
    ];
    const calls = mockIpc({
      account_pack_icons: () => icons,
      pack_icon: (args) => `${PNG}#${(args as { icon: number }).icon}`,
      set_account_icon_from_pack: () => null,
      list_accounts: () => ({ now: 0, accounts: [fakeAccount({ icon: "fp-pack" })] }),
      account_icon: () => `${PNG}#copied`,
    });
    render(EditAccount, { account: fakeAccount(), onDone: vi.fn(), onCancel: vi.fn() });
    const details = screen.getByText("From an icon pack").closest("details") as HTMLDetailsElement;
    details.open = true;
    await fireEvent(details, new Event("toggle"));
    await screen.findByRole("button", { name: "Use GitHub (Aegis Icons)" });
    expect(screen.queryByRole("button", { name: "Use GitLab (Aegis Icons)" })).toBeNull();
    await fireEvent.input(screen.getByLabelText("Search all pack icons"), { target: { value: "git" } });
    await fireEvent.click(await screen.findByRole("button", { name: "Use GitLab (Aegis Icons)" }));
    await waitFor(() =>
      expect(calls.find((c) => c.cmd === "set_account_icon_from_pack")?.args).toMatchObject({ pack: PACK.uuid, icon: 1 }),
    );
    await waitFor(() => expect(document.querySelector(".picture-row img")?.getAttribute("src")).toBe(`${PNG}#copied`));
  });
});

describe("a card without its own picture", () => {
  it("shows the pack icon its issuer matches instead of the brand icon", async () => {
    mockIpc({
      pack_icon_matches: () => [{ account: "acc-1", pack: PACK.uuid, id: 3 }],
      pack_icon: () => `${PNG}#pack`,
    });
    await refreshPackMatches();
    const view = render(ServiceIcon, { issuer: "GitHub", name: "alice", accountId: "acc-1" });
    await waitFor(() => expect(view.container.querySelector("img")?.getAttribute("src")).toBe(`${PNG}#pack`));
    expect(view.container.querySelector("[data-icon]")?.getAttribute("data-icon")).toBe("pack");
    const other = render(ServiceIcon, { issuer: "GitHub", name: "bob", accountId: "acc-2" });
    expect(other.container.querySelector("img")).toBeNull();
  });
});
