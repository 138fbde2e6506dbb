import type { Settings } from "./ipc/Settings";

/** The settings the shell starts with (the same defaults as `ipc::Settings::default` in Rust). */
export function defaultSettings(): Settings {
  return {
    clipboardClearSeconds: 30,
    autoLockMinutes: 5,
    privacyMode: false,
    contentProtection: true,
    autoBackup: false,
    autoBackupFolder: "",
    autoBackupKeep: 10,
    clockCheck: false,
    clockServer: "pool.ntp.org",
    closeToTray: false,
    listSort: "manual",
    compactList: false,
    sync: false,
    syncFolder: "",
    syncWebdav: false,
  };
}
