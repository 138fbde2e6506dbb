import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import { setInvoker } from "./api";
import SyncSettings from "./components/SyncSettings.svelte";
import WebDavSettings from "./components/WebDavSettings.svelte";
import { t } from "./i18n";
import type { SyncStatusView } from "./ipc/SyncStatusView";
import { statusLine } from "./syncStatus";
import { checkLine } from "./webdavStatus";

afterEach(() => cleanup());

const URL = "https://cloud.example/remote.php/dav/files/me/Twofold/twofold.vault";

function status(over: Partial<SyncStatusView> = {}): SyncStatusView {
  return {
    state: "in_step",
    folder: URL,
    lastInStep: 1_000_000,
    message: null,
    skipped: [],
    lastChange: null,
    thisDevice: "aaaaaaaa-0000-4000-8000-000000000001",
    devices: [],
    webdav: true,
    problem: null,
    ...over,
  };
}

describe("WebDAV in words", () => {
  it("says where sync stands, and why not with one sentence per problem", () => {
    expect(statusLine(status(), 1_012_000)).toBe(`In step via ${URL}, 12 s ago.`);
    const failed = status({ state: "failed", problem: "unauthorized", message: "the server refused … (401)" });
    expect(statusLine(failed, 0)).toBe(`Not in step: ${t("webdav.problemUnauthorized")}`);
    expect(statusLine(status({ state: "failed", problem: "no_space" }), 0)).toContain("(507)");
    expect(statusLine(status({ state: "failed", problem: "unreachable" }), 0)).toContain("cannot be reached");
    expect(statusLine(status({ state: "failed", problem: "not_allowed" }), 0)).toContain("https://");
  });

  it("words the Test button's answer", () => {
    const ok = { ok: true, fileUrl: URL, exists: false, problem: null, message: null };
    expect(checkLine(ok)).toBe(t("webdav.checkEmpty", { url: URL }));
    expect(checkLine({ ...ok, ok: false, problem: "tls", message: "x" })).toBe(
      t("webdav.checkFailed", { reason: t("webdav.problemTls") }),
    );
  });
});

describe("Settings → Sync → WebDAV", () => {
  it("keeps the stored password without reading it, tests and turns WebDAV on", async () => {
    const calls: [string, unknown][] = [];
    setInvoker(async (cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "sync_status") return status({ state: "off", webdav: false, folder: "" });
      if (cmd === "webdav_settings") return { url: URL, user: "me", passwordSet: true, enabled: false };
      if (cmd === "check_webdav") return { ok: false, fileUrl: URL, exists: false, problem: "unauthorized", message: "(401)" };
      if (cmd === "set_webdav_sync") return status({ lastInStep: Date.now() });
      throw { code: "not_available", message: `no mock for ${cmd}` };
    });
    render(SyncSettings);
    const address = (await screen.findByLabelText(t("webdav.url"))) as HTMLInputElement;
    await vi.waitFor(() => expect(address.value).toBe(URL));
    expect(screen.getByText(t("webdav.passwordSet"))).toBeTruthy();
    expect((screen.getByLabelText(t("webdav.appPassword")) as HTMLInputElement).value).toBe("");

    await fireEvent.click(screen.getByRole("button", { name: t("webdav.test") }));
    await screen.findByText(t("webdav.checkFailed", { reason: t("webdav.problemUnauthorized") }));
    expect(calls.find(([cmd]) => cmd === "check_webdav")?.[1]).toEqual({ url: URL, user: "me", appPassword: null });

    await fireEvent.click(screen.getByRole("checkbox", { name: t("webdav.keepInStep") }));
    expect(screen.getByText(t("webdav.oneAtATime"))).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: t("webdav.apply") }));
    await screen.findByText(`In step via ${URL}, just now.`);
    expect(calls.find(([cmd]) => cmd === "set_webdav_sync")?.[1]).toEqual({
      enabled: true,
      url: URL,
      user: "me",
      appPassword: null,
    });
    // The folder's own switch stays off: one way at a time.
    expect((screen.getByRole("checkbox", { name: t("sync.keepInStep") }) as HTMLInputElement).checked).toBe(false);
  });

  it("sends a typed password once and forgets it, and asks for one when none is kept", async () => {
    const calls: [string, unknown][] = [];
    setInvoker(async (cmd, args) => {
      calls.push([cmd, args]);
      if (cmd === "webdav_settings") return { url: "", user: "", passwordSet: false, enabled: false };
      if (cmd === "set_webdav_sync") return status();
      throw { code: "not_available", message: `no mock for ${cmd}` };
    });
    render(WebDavSettings);
    expect(await screen.findByText(t("webdav.appPasswordHint"))).toBeTruthy();
    // The settings have loaded before anything is typed.
    await vi.waitFor(() => expect(calls.some(([cmd]) => cmd === "webdav_settings")).toBe(true));
    await tick();
    await fireEvent.click(screen.getByRole("checkbox", { name: t("webdav.keepInStep") }));
    await fireEvent.input(screen.getByLabelText(t("webdav.url")), { target: { value: "https://nas.local/dav/" } });
    await fireEvent.input(screen.getByLabelText(t("webdav.user")), { target: { value: "ada" } });
    const apply = screen.getByRole("button", { name: t("webdav.apply") }) as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    const field = screen.getByLabelText(t("webdav.appPassword")) as HTMLInputElement;
    await fireEvent.input(field, { target: { value: "app-pw-123" } });
    expect(apply.disabled).toBe(false);
    await fireEvent.click(apply);
    await screen.findByText(t("webdav.passwordSet"));
    expect(field.value).toBe("");
    expect(calls.find(([cmd]) => cmd === "set_webdav_sync")?.[1]).toEqual({
      enabled: true,
      url: "https://nas.local/dav/",
      user: "ada",
      appPassword: "app-pw-123",
    });
  });
});
