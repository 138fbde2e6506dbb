/** Whether to suggest a first backup under the account list. The answer "Not now" and a backup made on the
 * Backups page are remembered until Twofold quits (the page is never reloaded while it runs), across locks. */
import type { BackupStatusView } from "./ipc/BackupStatusView";

let dismissed = false;
let madeThisSession = false;

/** With accounts and no backup ever made: automatic backups off and none recorded, none made this session. */
export function suggestBackup(status: BackupStatusView | null, accounts: number): boolean {
  return !!status && !status.enabled && status.lastSuccess === null && accounts > 0 && !dismissed && !madeThisSession;
}

export function dismissBackupSuggestion(): void {
  dismissed = true;
}

/** The Backups page wrote and checked a backup (the shell records only automatic ones). */
export function noteBackupMade(): void {
  madeThisSession = true;
}

/** Tests start each case afresh; the app never calls this. */
export function resetBackupSuggestion(): void {
  dismissed = false;
  madeThisSession = false;
}
