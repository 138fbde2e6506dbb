// How often the UI tells the shell that someone pressed a key or clicked (`report_activity`): the idle
// auto-lock's delay is whole minutes, so a report every few seconds is plenty and costs nothing.
export const ACTIVITY_EVERY_MS = 5_000;
