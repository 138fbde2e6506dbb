import { describe, expect, it } from "vitest";
import { URGENT_MS, anyExpired, nextWake, phase, secondsLeft } from "./countdown";

describe("phase", () => {
  const from = 1_700_000_010_000;
  const until = from + 30_000;

  it("is full at the start of the window", () => {
    expect(phase(from, from, until)).toEqual({ remainingMs: 30_000, elapsedMs: 0, fraction: 1, urgent: false, expired: false });
  });

  it("turns urgent in the last seconds", () => {
    expect(phase(until - URGENT_MS - 1, from, until).urgent).toBe(false);
    expect(phase(until - URGENT_MS, from, until).urgent).toBe(true);
  });

  it("is expired at and after the end, never negative", () => {
    expect(phase(until, from, until)).toMatchObject({ remainingMs: 0, fraction: 0, expired: true });
    expect(phase(until + 5_000, from, until)).toMatchObject({ remainingMs: 0, elapsedMs: 30_000 });
  });

  it("clamps a clock that is before the window", () => {
    expect(phase(from - 1_000, from, until)).toMatchObject({ elapsedMs: 0, remainingMs: 31_000 });
  });
});

describe("secondsLeft", () => {
  it("rounds up partial seconds", () => {
    expect(secondsLeft(1_000, 30_000)).toBe(29);
    expect(secondsLeft(1_001, 30_000)).toBe(29);
    expect(secondsLeft(999, 30_000)).toBe(30);
    expect(secondsLeft(40_000, 30_000)).toBe(0);
  });
});

describe("nextWake", () => {
  it("wakes when the earliest card turns urgent", () => {
    expect(nextWake([{ validUntil: 30_000 }, { validUntil: 60_000 }], 1_000)).toBe(30_000 - URGENT_MS);
  });
  it("wakes at expiry once a card is already urgent", () => {
    expect(nextWake([{ validUntil: 30_000 }], 27_000)).toBe(30_000);
  });
  it("wakes now when a card has expired", () => {
    expect(nextWake([{ validUntil: 30_000 }], 30_000)).toBe(30_000);
  });
  it("does not wake for counter-based accounts only", () => {
    expect(nextWake([{ validUntil: null }], 0)).toBeNull();
  });
  it("knows when a refresh is due", () => {
    expect(anyExpired([{ validUntil: null }, { validUntil: 10 }], 9)).toBe(false);
    expect(anyExpired([{ validUntil: 10 }], 10)).toBe(true);
  });
});
