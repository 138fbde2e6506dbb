/** Where a time-based code is in its validity window. Pure: `now` is always passed in (Unix ms). */

/** The last seconds of a window, when the ring and code turn urgent and the next code is shown. */
export const URGENT_MS = 5_000;

export type Phase = {
  /** Milliseconds left until the code expires (never negative). */
  remainingMs: number;
  /** Milliseconds since the code became valid. */
  elapsedMs: number;
  /** Fraction of the window left, 1 at the start and 0 at expiry. */
  fraction: number;
  urgent: boolean;
  expired: boolean;
};

export function phase(now: number, validFrom: number, validUntil: number): Phase {
  const span = Math.max(1, validUntil - validFrom);
  const remainingMs = Math.max(0, validUntil - now);
  const elapsedMs = Math.min(span, Math.max(0, now - validFrom));
  return {
    remainingMs,
    elapsedMs,
    fraction: remainingMs / span,
    urgent: remainingMs <= URGENT_MS,
    expired: remainingMs === 0,
  };
}

/** Whole seconds left, as shown next to the ring. */
export function secondsLeft(now: number, validUntil: number): number {
  return Math.max(0, Math.ceil((validUntil - now) / 1000));
}

/**
 * When the shared ticker must wake next: the earliest moment any card changes state (turns urgent or expires).
 * Returns `null` when no card is time-based.
 */
export function nextWake(windows: ReadonlyArray<{ validUntil: number | null }>, now: number): number | null {
  let best: number | null = null;
  for (const w of windows) {
    if (w.validUntil === null) continue;
    const urgentAt = w.validUntil - URGENT_MS;
    const candidate = urgentAt > now ? urgentAt : w.validUntil;
    if (candidate <= now) return now;
    if (best === null || candidate < best) best = candidate;
  }
  return best;
}

/** True when at least one code has expired at `now`, so the list must be fetched again. */
export function anyExpired(windows: ReadonlyArray<{ validUntil: number | null }>, now: number): boolean {
  return windows.some((w) => w.validUntil !== null && w.validUntil <= now);
}
