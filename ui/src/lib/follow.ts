// The sentence for a round of following the phone's backups ("Aegis backup of 10:42: 1 new, 2 changed").
import { t } from "./i18n";
import type { FollowRoundView } from "./ipc/FollowRoundView";

export function followSentence(round: FollowRoundView): string {
  if (round.kind === "passwordNeeded") return t("follow.passwordNeeded", { app: round.appName, file: round.file });
  const parts: string[] = [];
  if (round.added > 0) parts.push(t("follow.partNew", { count: round.added }));
  if (round.changed > 0) parts.push(t("follow.partChanged", { count: round.changed }));
  if (round.removed > 0) parts.push(t("follow.partRemoved", { count: round.removed }));
  const text = parts.length > 0 ? parts.join(", ") : t("follow.noChanges");
  return t("follow.report", { app: round.appName, clock: round.clock, parts: text });
}
