// The account card on its own: what "Hide codes" (privacy mode) hides.
import { cleanup, render } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import AccountCard from "./components/AccountCard.svelte";
import cardSource from "./components/AccountCard.svelte?raw";
import { applyComponentCss, fakeAccount } from "./testing";

afterEach(() => cleanup());

function renderCard(privacy: boolean) {
  const now = Date.now();
  // Three seconds left: the card is urgent and shows the next code.
  const account = fakeAccount({ code: "492039", nextCode: "279876", validFrom: now - 27_000, validUntil: now + 3_000 });
  const view = render(AccountCard, { account, now, privacy, onCopy: vi.fn(), onEdit: vi.fn(), onNextHotp: vi.fn(), onToggleFavorite: vi.fn() });
  const card = view.container.querySelector("li.card") as HTMLElement;
  const removeCss = applyComponentCss(cardSource, card);
  return { card, removeCss };
}

/** The text a sighted person sees in `root`: hidden (visibility or display) parts left out. */
function seen(root: Element): string {
  let text = "";
  const walk = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) {
      const parent = node.parentElement;
      if (parent && getComputedStyle(parent).visibility !== "hidden") text += node.textContent;
      return;
    }
    if (node instanceof Element && getComputedStyle(node).display === "none") return;
    node.childNodes.forEach(walk);
  };
  walk(root);
  return text.replace(/\s+/g, " ").trim();
}

describe("Hide codes", () => {
  it("shows both codes when off (the check sees plain codes)", () => {
    const { card, removeCss } = renderCard(false);
    const line = card.querySelector(".code-line") as HTMLElement;
    expect(seen(line)).toBe("492 039 next 279 876");
    removeCss();
  });

  // Issue 21, item 3: in the last seconds the card showed `••• •••` beside `next 279 876` in plain text.
  it("hides the next code as well as the current one", () => {
    const { card, removeCss } = renderCard(true);
    const line = card.querySelector(".code-line") as HTMLElement;
    expect(seen(line)).toBe("••• ••• next ••• •••");
    expect(seen(line)).not.toMatch(/\d/);
    removeCss();
  });
});

describe("Removed on the phone", () => {
  it("marks an account a followed backup no longer has, and deletes it in one click", () => {
    const onDeleteRemoved = vi.fn();
    const account = fakeAccount({ issuer: "Mail", removedOnPhone: true });
    const props = { account, now: Date.now(), onCopy: vi.fn(), onEdit: vi.fn(), onNextHotp: vi.fn(), onToggleFavorite: vi.fn() };
    const view = render(AccountCard, { ...props, onDeleteRemoved });
    expect(view.getByText("Removed on the phone")).toBeTruthy();
    view.getByRole("button", { name: /^Delete Mail.*removed on the phone$/ }).click();
    expect(onDeleteRemoved).toHaveBeenCalledWith(account);
  });

  it("shows no mark on other accounts", () => {
    const props = { account: fakeAccount(), now: Date.now(), onCopy: vi.fn(), onEdit: vi.fn(), onNextHotp: vi.fn(), onToggleFavorite: vi.fn() };
    const view = render(AccountCard, props);
    expect(view.queryByText("Removed on the phone")).toBeNull();
  });
});
