/** The typed front door to the shell: one `invoke` wrapper, one-line wrappers grouped by domain. */
import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AccountEdit } from "./ipc/AccountEdit";
import type { AccountList } from "./ipc/AccountList";
import type { AddOutcome } from "./ipc/AddOutcome";
import type { ClockCheck } from "./ipc/ClockCheck";
import type { ErrorPayload } from "./ipc/ErrorPayload";
import type { LinkPreview } from "./ipc/LinkPreview";
import type { NewAccount } from "./ipc/NewAccount";
import type { RecoveryCodeView } from "./ipc/RecoveryCodeView";
import type { RevealedSecret } from "./ipc/RevealedSecret";
import type { Settings } from "./ipc/Settings";
import type { VaultStatus } from "./ipc/VaultStatus";

/** Every failed command rejects with this, whatever went wrong underneath. */
export class IpcError extends Error {
  readonly code: ErrorPayload["code"] | "ipc";
  constructor(code: ErrorPayload["code"] | "ipc", message: string) {
    super(message);
    this.code = code;
  }
}

function isPayload(value: unknown): value is ErrorPayload {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

type Invoker = (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;
let invoker: Invoker = tauriInvoke;

/** Tests replace the transport; the app never calls this. */
export function setInvoker(fn: Invoker): void {
  invoker = fn;
}

export async function invoke<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return (await invoker(cmd, args)) as T;
  } catch (error) {
    if (isPayload(error)) throw new IpcError(error.code, error.message);
    throw new IpcError("ipc", String(error));
  }
}

export const api = {
  vault: {
    status: () => invoke<VaultStatus>("vault_status"),
    create: (password: string) => invoke<void>("create_vault", { password }),
    unlock: (password: string) => invoke<void>("unlock_vault", { password }),
    lock: () => invoke<void>("lock_vault"),
  },
  accounts: {
    list: () => invoke<AccountList>("list_accounts"),
    add: (account: NewAccount) => invoke<AddOutcome>("add_account", { account }),
    previewLink: (link: string) => invoke<LinkPreview>("preview_link", { link }),
    addLink: (link: string) => invoke<AddOutcome>("add_account_link", { link }),
    update: (id: string, edit: AccountEdit) => invoke<void>("update_account", { id, edit }),
    remove: (id: string) => invoke<void>("delete_account", { id }),
    move: (id: string, to: number) => invoke<void>("move_account", { id, to }),
    nextHotp: (id: string) => invoke<string>("next_hotp_code", { id }),
    copyCode: (id: string) => invoke<void>("copy_code", { id }),
    revealSecret: (id: string, password: string) => invoke<RevealedSecret>("reveal_secret", { id, password }),
  },
  recovery: {
    list: (id: string) => invoke<RecoveryCodeView[]>("list_recovery_codes", { id }),
    add: (id: string, codes: string) => invoke<number>("add_recovery_codes", { id, codes }),
    mark: (id: string, index: number, used: boolean) => invoke<void>("mark_recovery_code", { id, index, used }),
  },
  settings: {
    get: () => invoke<Settings>("get_settings"),
    update: (settings: Settings) => invoke<void>("update_settings", { settings }),
  },
  links: {
    /** The oldest otpauth:// link opened with Twofold and not yet shown; null while locked or when none. */
    takePending: () => invoke<string | null>("take_pending_link"),
    /** Calls `handler` when a link arrives while the vault is open; resolves to the unsubscribe function. */
    onReceived: (handler: () => void) => listen("link-received", handler),
  },
  clock: {
    /** Compares the system clock with the configured SNTP server (null when the check is off). */
    check: () => invoke<ClockCheck | null>("check_clock"),
    /** The hourly check's results; resolves to the unsubscribe function. */
    onChecked: (handler: (check: ClockCheck) => void) =>
      listen<ClockCheck>("clock-checked", (event) => handler(event.payload)),
  },
};

/** A message for the user from any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof IpcError) return error.message;
  return String(error);
}
