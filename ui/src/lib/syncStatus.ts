/** Sync status in words (pure, unit-tested): the status line and the report of what the last merge brought. */
import { t } from "./i18n";
import type { SyncChangeView } from "./ipc/SyncChangeView";
import type { SyncStatusView } from "./ipc/SyncStatusView";
import { problemSentence } from "./webdavStatus";
import { wordText } from "./detail";

/** "12 s ago", "3 min ago", "2 h ago". */
export function ago(ms: number, now: number): string {
  const seconds = Math.max(0, Math.round((now - ms) / 1000));
  if (seconds < 60) return t("sync.secondsAgo", { count: seconds });
  if (seconds < 3600) return t("sync.minutesAgo", { count: Math.floor(seconds / 60) });
  return t("sync.hoursAgo", { count: Math.floor(seconds / 3600) });
}

/** "In step via ~/Sync/Twofold, 12 s ago." or the reason it is not. */
export function statusLine(s: SyncStatusView, now: number): string {
  const folder = s.folder;
  switch (s.state) {
    case "off":
      return t("sync.stateOff");
    case "locked":
      return t("sync.stateLocked");
    case "waiting":
      return t("sync.stateWaiting", { folder });
    case "in_step":
      if (s.lastInStep === null || now - s.lastInStep < 1000) return t("sync.stateInStepNow", { folder });
      return t("sync.stateInStep", { folder, ago: ago(s.lastInStep, now) });
    case "password_needed":
      return t("sync.statePasswordNeeded", { folder });
    case "failed":
      return t("sync.stateFailed", {
        reason: s.problem ? problemSentence(s.problem) : s.detail ? wordText(s.detail) : (s.message ?? ""),
      });
  }
}

/** "2 accounts arrived from another computer, 1 changed" (empty when the merge brought nothing). */
export function changeReport(c: SyncChangeView): string {
  const parts: string[] = [];
  if (c.arrived > 0) parts.push(t("sync.arrived", { count: c.arrived }));
  if (c.changed > 0) parts.push(t("sync.changed", { count: c.changed }));
  if (c.removed > 0) parts.push(t("sync.removed", { count: c.removed }));
  if (c.keptAfterDeletion > 0) parts.push(t("sync.keptAfterDeletion", { count: c.keptAfterDeletion }));
  if (c.conflictCopies > 0) parts.push(t("sync.conflictCopies", { count: c.conflictCopies }));
  return parts.join(", ");
}
