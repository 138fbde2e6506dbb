import type { BackupStatusView } from "./ipc/BackupStatusView";

/** Whether the backup status line is a warning: automatic backups are on and the last one is not a success. */
export function backupWarning(status: Pick<BackupStatusView, "enabled" | "kind">): boolean {
  return status.enabled && status.kind !== "ok";
}
