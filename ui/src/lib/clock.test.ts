import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setInvoker } from "./api";
import ClockBanner from "./components/ClockBanner.svelte";

// No Tauri runtime in jsdom: events are never delivered here.
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn(async () => () => {}) }));

afterEach(() => cleanup());

function mockCheck(result: unknown) {
  const calls: string[] = [];
  setInvoker(async (cmd) => {
    calls.push(cmd);
    if (cmd === "check_clock") {
      if (result instanceof Error) throw { code: "io", message: result.message };
      return result;
    }
    throw { code: "not_available", message: `no mock for ${cmd}` };
  });
  return calls;
}

describe("ClockBanner", () => {
  it("shows the shell's warning, calmly, and can be dismissed", async () => {
    mockCheck({ aheadMs: 42_000, warning: "Your clock is 42 s fast; codes may be rejected" });
    render(ClockBanner, { enabled: true, server: "pool.ntp.org" });
    const banner = await screen.findByRole("status");
    expect(banner.textContent).toContain("Your clock is 42 s fast; codes may be rejected.");
    await fireEvent.click(screen.getByRole("button", { name: "Dismiss the clock warning" }));
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("shows nothing when the clock is right", async () => {
    const calls = mockCheck({ aheadMs: 1_200, warning: null });
    render(ClockBanner, { enabled: true, server: "pool.ntp.org" });
    await vi.waitFor(() => expect(calls).toEqual(["check_clock"]));
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("asks nothing when the check is off", () => {
    const calls = mockCheck(null);
    render(ClockBanner, { enabled: false, server: "pool.ntp.org" });
    expect(calls).toEqual([]);
    expect(screen.queryByRole("status")).toBeNull();
  });

  it("stays quiet when the server cannot be reached", async () => {
    const calls = mockCheck(new Error("cannot ask the time server pool.ntp.org: timed out"));
    render(ClockBanner, { enabled: true, server: "pool.ntp.org" });
    await vi.waitFor(() => expect(calls).toEqual(["check_clock"]));
    expect(screen.queryByRole("status")).toBeNull();
  });
});
