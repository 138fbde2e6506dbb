import { compile } from "svelte/compiler";
import { vi } from "vitest";
import { setInvoker } from "./api";
import type { AccountView } from "./ipc/AccountView";

type Handler = (args?: Record<string, unknown>) => unknown;

/** Replaces the IPC transport with handlers per command; unknown commands reject like the shell would.
 * Returns the calls made, in order. */
export function mockIpc(handlers: Record<string, Handler>) {
  const calls: Array<{ cmd: string; args?: Record<string, unknown> }> = [];
  setInvoker(async (cmd, args) => {
    calls.push({ cmd, args });
    const handler = handlers[cmd];
    if (!handler) throw { code: "not_available", message: `no mock for ${cmd}` };
    return handler(args);
  });
  return calls;
}

/** An account view for tests, with overridable fields. */
export function fakeAccount(overrides: Partial<AccountView> = {}): AccountView {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    issuer: "Example",
    name: "alice@example.com",
    groups: [],
    favorite: false,
    order: 0,
    kind: "totp",
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    counter: null,
    code: "123456",
    validFrom: 1_700_000_010_000,
    validUntil: 1_700_000_040_000,
    nextCode: "654321",
    recoveryTotal: 0,
    recoveryUnused: 0,
    note: "",
    useCount: 0,
    lastUsed: null,
    removedOnPhone: false,
    icon: null,
    ...overrides,
  };
}

/** The account list's props, every callback a spy. */
export function accountListProps() {
  return {
    privacy: false,
    refreshKey: 0,
    onToast: vi.fn(),
    onAdd: vi.fn(),
    onImport: vi.fn(),
    onEdit: vi.fn(),
    onSettings: vi.fn(),
    onLock: vi.fn(),
    onBackups: vi.fn(),
    onShortcuts: vi.fn(),
  };
}

/** Applies a component's own `<style>` to what it rendered, so `getComputedStyle` sees it (Vitest leaves
 * component CSS out). `source` is the component's text (`import x from "./X.svelte?raw"`), `rendered` any
 * element it rendered. Returns a function that removes the style again. */
export function applyComponentCss(source: string, rendered: Element): () => void {
  const scope = [...rendered.classList].find((c) => c.startsWith("svelte-"));
  if (!scope) throw new Error("the element has no scoped class");
  const { css } = compile(source, { filename: "Component.svelte", cssHash: () => "svelte-under-test" });
  const style = document.createElement("style");
  style.textContent = (css?.code ?? "").replaceAll("svelte-under-test", scope);
  document.head.appendChild(style);
  return () => style.remove();
}
