/** The typed front door to the shell: one `invoke` wrapper, one-line wrappers grouped by domain. */
import { invoke as tauriInvoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { tryT } from "./i18n";
import { wordText } from "./detail";
import type { AccountEdit } from "./ipc/AccountEdit";
import type { AccountQr } from "./ipc/AccountQr";
import type { AccountList } from "./ipc/AccountList";
import type { AddOutcome } from "./ipc/AddOutcome";
import type { BackupDone } from "./ipc/BackupDone";
import type { BackupInfoView } from "./ipc/BackupInfoView";
import type { BackupStatusView } from "./ipc/BackupStatusView";
import type { ExportDone } from "./ipc/ExportDone";
import type { ExportFormatInfo } from "./ipc/ExportFormatInfo";
import type { ExportFormatView } from "./ipc/ExportFormatView";
import type { ChosenFile } from "./ipc/ChosenFile";
import type { FilePurpose } from "./ipc/FilePurpose";
import type { FollowDetected } from "./ipc/FollowDetected";
import type { FollowRoundView } from "./ipc/FollowRoundView";
import type { FollowSourceView } from "./ipc/FollowSourceView";
import type { RestoreCounts } from "./ipc/RestoreCounts";
import type { RestoreModeView } from "./ipc/RestoreModeView";
import type { RestorePreview } from "./ipc/RestorePreview";
import type { TransferView } from "./ipc/TransferView";
import type { ClockCheck } from "./ipc/ClockCheck";
import type { RollbackWarning } from "./ipc/RollbackWarning";
import type { ErrorPayload } from "./ipc/ErrorPayload";
import type { AccountPackIcon } from "./ipc/AccountPackIcon";
import type { IconPackImport } from "./ipc/IconPackImport";
import type { IconPackView } from "./ipc/IconPackView";
import type { PackIconView } from "./ipc/PackIconView";
import type { ImportFileView } from "./ipc/ImportFileView";
import type { ImportOutcome } from "./ipc/ImportOutcome";
import type { KeyCheck } from "./ipc/KeyCheck";
import type { KeyringStatus } from "./ipc/KeyringStatus";
import type { KeyringUnlock } from "./ipc/KeyringUnlock";
import type { StagedAccountView } from "./ipc/StagedAccountView";
import type { TrayStatus } from "./ipc/TrayStatus";
import type { NewAccount } from "./ipc/NewAccount";
import type { QuickSwitcherOpen } from "./ipc/QuickSwitcherOpen";
import type { QuickSwitcherStatus } from "./ipc/QuickSwitcherStatus";
import type { RecoveryCodeView } from "./ipc/RecoveryCodeView";
import type { RevealedSecret } from "./ipc/RevealedSecret";
import type { ScanFound } from "./ipc/ScanFound";
import type { Settings } from "./ipc/Settings";
import type { SyncStatusView } from "./ipc/SyncStatusView";
import type { Text } from "./ipc/Text";
import type { WebDavCheck } from "./ipc/WebDavCheck";
import type { WebDavView } from "./ipc/WebDavView";
import type { VaultStatus } from "./ipc/VaultStatus";

/** Every failed command rejects with this, whatever went wrong underneath. */
export class IpcError extends Error {
  readonly code: ErrorPayload["code"] | "ipc";
  /** What went wrong, for the UI to word (the `message` is the shell's English, for logs). */
  readonly detail: Text | null;
  constructor(code: ErrorPayload["code"] | "ipc", message: string, detail: Text | null = null) {
    super(message);
    this.code = code;
    this.detail = detail;
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
    if (isPayload(error)) throw new IpcError(error.code, error.message, "detail" in error ? error.detail : null);
    throw new IpcError("ipc", String(error));
  }
}

export const api = {
  vault: {
    status: () => invoke<VaultStatus>("vault_status"),
    create: (password: string) => invoke<RollbackWarning | null>("create_vault", { password }),
    /** Resolves to a warning (the file is older than the newest this computer saw) or null. */
    unlock: (password: string) => invoke<RollbackWarning | null>("unlock_vault", { password }),
    lock: () => invoke<void>("lock_vault"),
    /** A key press or click in the window: the shell's idle auto-lock counts from now (the UI throttles it). */
    reportActivity: () => invoke<void>("report_activity"),
    /** Checks `current`, sets `next` and replaces the data key. */
    changePassword: (current: string, next: string) => invoke<void>("change_vault_password", { current, new: next }),
    /** Puts the previous copy back when the vault file is gone (status `previous_only`). */
    restorePrevious: () => invoke<void>("restore_previous_vault"),
  },
  keyring: {
    /** On or off, whether it can open the vault now (or why not), and how the vault was last opened. */
    status: () => invoke<KeyringStatus>("keyring_status"),
    /** Opens the vault with this computer's keyring; `unlocked: false` with the reason when it cannot. */
    unlock: () => invoke<KeyringUnlock>("unlock_with_keyring"),
    /** Turns it on after the password is typed again. */
    enable: (password: string, days: number) => invoke<KeyringStatus>("enable_keyring_unlock", { password, days }),
    /** Turns it off: the slot leaves the vault and the item the keyring. */
    disable: () => invoke<KeyringStatus>("disable_keyring_unlock"),
  },
  accounts: {
    list: () => invoke<AccountList>("list_accounts"),
    add: (account: NewAccount) => invoke<AddOutcome>("add_account", { account }),
    /** The verdict on a key as it is typed: its problem (code, position, character) or the accounts that have it. */
    checkKey: (account: NewAccount) => invoke<KeyCheck>("check_key", { account }),
    previewLink: (link: string) => invoke<StagedAccountView>("preview_link", { link }),
    /** Stages a pasted link like a scanned code (a transfer link holds a batch); add with `scanApi.addPending`. */
    stageLink: (link: string) => invoke<ScanFound>("stage_link", { link }),
    addLink: (link: string) => invoke<AddOutcome>("add_account_link", { link }),
    update: (id: string, edit: AccountEdit) => invoke<void>("update_account", { id, edit }),
    remove: (id: string) => invoke<void>("delete_account", { id }),
    move: (id: string, to: number) => invoke<void>("move_account", { id, to }),
    nextHotp: (id: string) => invoke<string>("next_hotp_code", { id }),
    copyCode: (id: string) => invoke<void>("copy_code", { id }),
    revealSecret: (id: string, password: string) => invoke<RevealedSecret>("reveal_secret", { id, password }),
    showQr: (id: string, password: string) => invoke<AccountQr>("show_account_qr", { id, password }),
  },
  icons: {
    /** The account's own picture as a `data:image/png` URL, or null. */
    get: (id: string) => invoke<string | null>("account_icon", { id }),
    /** Sets it from an image file (a token, or a chooser opened now); false when the chooser was cancelled. */
    set: (id: string, file?: string) => invoke<boolean>("set_account_icon", { id, file: file ?? null }),
    remove: (id: string) => invoke<void>("remove_account_icon", { id }),
  },
  iconPacks: {
    /** Imports an Aegis icon pack (a token, or a chooser opened now); a refusal is an outcome, not an error. */
    import: (file?: string) => invoke<IconPackImport>("import_icon_pack", { file: file ?? null }),
    list: () => invoke<IconPackView[]>("list_icon_packs"),
    remove: (pack: string) => invoke<void>("remove_icon_pack", { pack }),
    /** Every pack icon, those matching the account's issuer first. */
    forAccount: (id: string) => invoke<PackIconView[]>("account_pack_icons", { id }),
    /** A pack icon as a `data:image/png` URL. */
    picture: (pack: string, icon: number) => invoke<string>("pack_icon", { pack, icon }),
    /** The pack icon each account without its own picture shows. */
    matches: () => invoke<AccountPackIcon[]>("pack_icon_matches"),
    /** Copies a pack icon into the vault as the account's picture. */
    use: (id: string, pack: string, icon: number) => invoke<void>("set_account_icon_from_pack", { id, pack, icon }),
  },
  recovery: {
    /** Masked: each code's `code` is null until `reveal`. */
    list: (id: string) => invoke<RecoveryCodeView[]>("list_recovery_codes", { id }),
    reveal: (id: string, password: string) => invoke<RecoveryCodeView[]>("reveal_recovery_codes", { id, password }),
    add: (id: string, codes: string) => invoke<number>("add_recovery_codes", { id, codes }),
    mark: (id: string, index: number, used: boolean) => invoke<void>("mark_recovery_code", { id, index, used }),
    remove: (id: string, index: number) => invoke<void>("remove_recovery_code", { id, index }),
  },
  settings: {
    get: () => invoke<Settings>("get_settings"),
    update: (settings: Settings) => invoke<void>("update_settings", { settings }),
  },
  files: {
    /** Opens the system's chooser in the shell; the webview gets a token, the name and the full path to show
     * (never to send back). `null` when the chooser was cancelled. */
    choose: (purpose: FilePurpose, format: ExportFormatView | null = null) =>
      invoke<ChosenFile | null>("choose_file", { purpose, format }),
  },
  import: {
    /** Without a token the shell opens the native file dialog; `null` when the user cancels it. */
    choose: (file?: string) => invoke<ImportFileView | null>("choose_import_file", { file: file ?? null }),
    unlock: (password: string) => invoke<ImportFileView>("unlock_import_file", { password }),
    run: (indices: number[]) => invoke<ImportOutcome>("import_accounts", { indices }),
    cancel: () => invoke<void>("cancel_import"),
    /** A non-image file dropped on the window while the vault is open, as a token. */
    onFileDropped: (handler: (file: ChosenFile) => void) =>
      listen<ChosenFile>("import-file-dropped", (event) => handler(event.payload)),
    /** An image dropped on the window while the vault is open, as a token. */
    onImageDropped: (handler: (file: ChosenFile) => void) =>
      listen<ChosenFile>("image-dropped", (event) => handler(event.payload)),
  },
  // Files are tokens from `files.choose`; a `file` of null opens the system's chooser in the shell, and a
  // cancelled chooser resolves to null. `replace` answers the `file_exists` question. Whatever takes the keys
  // out asks for the vault password again.
  backups: {
    backUpNow: (file: string | null, replace: boolean, vaultPassword: string, backupPassword: string | null) =>
      invoke<BackupDone | null>("backup_now", { file, replace, vaultPassword, backupPassword }),
    check: (file: string | null, password: string) => invoke<BackupInfoView | null>("check_backup_file", { file, password }),
    previewRestore: (file: string | null, password: string) =>
      invoke<RestorePreview | null>("preview_restore", { file, password }),
    restore: (file: string, password: string, mode: RestoreModeView, vaultPassword: string | null) =>
      invoke<RestoreCounts>("restore_backup", { file, password, mode, vaultPassword }),
    formats: () => invoke<ExportFormatInfo[]>("export_formats"),
    export: (
      file: string | null,
      replace: boolean,
      format: ExportFormatView,
      password: string | null,
      vaultPassword: string,
      acknowledged: boolean,
    ) => invoke<ExportDone | null>("export_accounts", { file, replace, format, password, vaultPassword, acknowledged }),
    transferCodes: (password: string) => invoke<TransferView>("show_transfer_codes", { password }),
    status: () => invoke<BackupStatusView>("backup_status"),
    /** `folder`: a token from `files.choose("backup_folder")`, or null to keep the folder set before. */
    setAuto: (enabled: boolean, folder: string | null, keep: number, password: string | null) =>
      invoke<Settings>("set_auto_backup", { enabled, folder, keep, password }),
  },
  follow: {
    /** The folders of the phone's backups the vault follows. */
    status: () => invoke<FollowSourceView[]>("follow_status"),
    /** Which app's backups the folder (a token from `files.choose("follow_folder")`) holds. */
    detect: (folder: string) => invoke<FollowDetected>("detect_follow_folder", { folder }),
    /** Follows the folder; the password is checked against the newest backup, then kept in the vault. */
    add: (folder: string, appId: string, password: string | null) =>
      invoke<FollowSourceView[]>("follow_folder", { folder, appId, password }),
    setPassword: (id: string, password: string) => invoke<FollowSourceView[]>("set_follow_password", { id, password }),
    setEnabled: (id: string, enabled: boolean) => invoke<FollowSourceView[]>("set_follow_enabled", { id, enabled }),
    stop: (id: string) => invoke<FollowSourceView[]>("stop_following", { id }),
    now: () => invoke<FollowRoundView[]>("follow_now"),
    /** A round that changed accounts or needs the backup password; resolves to the unsubscribe function. */
    onRound: (handler: (round: FollowRoundView) => void) =>
      listen<FollowRoundView>("follow-round", (event) => handler(event.payload)),
  },
  links: {
    /** The oldest otpauth:// link opened with Twofold, staged for confirmation (no key crosses); null while
     * locked or when none. */
    takePending: () => invoke<ScanFound | null>("take_pending_link"),
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
  sync: {
    status: () => invoke<SyncStatusView>("sync_status"),
    /** `folder`: a token from `files.choose("sync_folder")`, or null to keep the folder set before. */
    set: (enabled: boolean, folder: string | null) => invoke<Settings>("set_sync", { enabled, folder }),
    now: () => invoke<SyncStatusView>("sync_now"),
    /** The password of a synced copy locked with another one (kept for this session). */
    copyPassword: (password: string) => invoke<SyncStatusView>("sync_copy_password", { password }),
    /** This computer's vault takes the synced copy's password (the person confirmed and typed it). */
    adoptPassword: (password: string) => invoke<SyncStatusView>("adopt_sync_password", { password }),
    /** After a round that changed the vault or the status; resolves to the unsubscribe function. */
    onSynced: (handler: (status: SyncStatusView) => void) =>
      listen<SyncStatusView>("vault-synced", (event) => handler(event.payload)),
  },
  webdav: {
    /** The server's address and user kept in the vault, and whether an app password is set (never the password). */
    settings: () => invoke<WebDavView>("webdav_settings"),
    /** Tries the server; `appPassword` null uses the one kept in the vault. Never rejects for a server problem. */
    check: (url: string, user: string, appPassword: string | null) =>
      invoke<WebDavCheck>("check_webdav", { url, user, appPassword }),
    /** Turns WebDAV sync on (saving the settings in the vault) or off (deletes nothing), then syncs once. */
    set: (enabled: boolean, url: string, user: string, appPassword: string | null) =>
      invoke<SyncStatusView>("set_webdav_sync", { enabled, url, user, appPassword }),
  },
  tray: {
    /** Whether a tray host runs here (close to tray needs one to bring the window back). */
    status: () => invoke<TrayStatus>("tray_status"),
  },
  switcher: {
    /** Hides the main window (after the quick switcher copied a code, or when it closes). */
    hideWindow: () => invoke<void>("hide_window"),
    /** Whether this is a Wayland session and why the saved shortcut could not be set up at start. */
    status: () => invoke<QuickSwitcherStatus>("quick_switcher_status"),
    /** The global shortcut was pressed (the shell has shown the window); resolves to the unsubscribe function. */
    onOpen: (handler: (open: QuickSwitcherOpen) => void) =>
      listen<QuickSwitcherOpen>("quick-switcher", (event) => handler(event.payload)),
  },
};

/** Events the shell sends on its own (names as in `src-tauri/src/ipc.rs`). */
export const events = {
  /** The shell locked the vault (idle, session locked, machine going to sleep, quit). Resolves to an unsubscribe. */
  onVaultLocked: (handler: () => void) => listen("vault-locked", handler),
};

/** The sentence for a shell error: `errors.<code>` from the catalog with its detail (which names the file, the
 * camera, the reason) worded in the current language as `{message}`, or the detail alone for a code the
 * catalog lacks. Without a detail (an error that did not come from the shell), the message is the detail. */
export function shellMessage(code: string, message: string, detail: Text | null = null): string {
  const worded = detail ? wordText(detail) : message;
  return tryT(`errors.${code}`, { message: worded }) ?? worded;
}

/** A message for the user from any thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof IpcError) return shellMessage(error.code, error.message, error.detail);
  return String(error);
}
