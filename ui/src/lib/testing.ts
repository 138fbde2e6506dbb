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
  };
}
