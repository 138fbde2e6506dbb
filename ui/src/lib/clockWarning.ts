/** The clock warning in the user's language, from the measured offset (the shell decides whether to warn; its
 * own English sentence, `clock::warning` in Rust, uses the same rounding). */
import { t } from "./i18n";

export function clockWarning(aheadMs: number): string {
  const seconds = Math.round(Math.abs(aheadMs) / 1000);
  const amount =
    seconds < 120
      ? t("clock.seconds", { count: seconds })
      : seconds < 2 * 3600
        ? t("clock.minutes", { count: Math.floor((seconds + 30) / 60) })
        : seconds < 2 * 86_400
          ? t("clock.hours", { count: Math.floor((seconds + 1800) / 3600) })
          : t("clock.days", { count: Math.floor((seconds + 43_200) / 86_400) });
  return aheadMs > 0 ? t("clock.fast", { amount }) : t("clock.slow", { amount });
}
