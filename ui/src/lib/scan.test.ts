import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import AddAccount from "./components/AddAccount.svelte";
import type { CameraEvent } from "./ipc/CameraEvent";
import type { StagedAccountView } from "./ipc/StagedAccountView";
import type { ScanFound } from "./ipc/ScanFound";
import { batchProgress, setChannelFactory } from "./scan";
import { mockIpc } from "./testing";

function pending(index: number, overrides: Partial<StagedAccountView> = {}): StagedAccountView {
  return {
    index,
    issuer: `Service ${index}`,
    name: `user${index}@example.com`,
    kind: "totp",
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    duplicate: false,
    duplicates: [],
    warnings: [],
    ...overrides,
  };
}

const one: ScanFound = { accounts: [pending(0, { issuer: "Example", name: "alice" })], batch: null, notes: [] };

let camera: { preview: (jpeg: ArrayBuffer) => void; event: (e: CameraEvent) => void } | null = null;

beforeEach(() => {
  camera = null;
  setChannelFactory((preview, event) => {
    camera = { preview, event };
    return { preview: "__CHANNEL__:1", events: "__CHANNEL__:2" };
  });
  let n = 0;
  URL.createObjectURL = vi.fn(() => `blob:frame-${++n}`);
  URL.revokeObjectURL = vi.fn();
});

afterEach(() => cleanup());

function open(props: Record<string, unknown> = {}) {
  const onDone = vi.fn();
  render(AddAccount, { onDone, onCancel: vi.fn(), ...props });
  return onDone;
}

describe("Add account: image, clipboard and screen", () => {
  it("offers every intake and keeps the key-or-link form first", () => {
    mockIpc({});
    open();
    const tabs = screen.getAllByRole("tab").map((t) => t.textContent?.trim());
    expect(tabs.slice(0, 5)).toEqual(["Key or link", "Camera", "Image", "Clipboard", "Screen"]);
    expect(screen.getByLabelText("otpauth:// link")).toBeTruthy();
  });

  it("confirms an account read from an image, then adds it by index", async () => {
    const calls = mockIpc({ scan_image: () => one, add_pending: () => [{ id: "x", warnings: [], duplicates: [] }] });
    const onDone = open();
    await fireEvent.click(screen.getByRole("tab", { name: "Image" }));
    await fireEvent.click(screen.getByRole("button", { name: "Choose an image…" }));
    expect(await screen.findByText("Add this account?")).toBeTruthy();
    expect(screen.getByText("Example")).toBeTruthy();
    expect(screen.getByText("TOTP · SHA1 · 6 digits · 30 s")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Add" }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith("Account added"));
    expect(calls.filter((c) => c.cmd !== "discard_pending")).toEqual([
      { cmd: "scan_image", args: { file: null } },
      { cmd: "add_pending", args: { indices: [0] } },
    ]);
  });

  it("says when an image holds no QR code", async () => {
    mockIpc({
      scan_image: () => {
        throw { code: "no_qr_code", message: "no QR code found in blank.png" };
      },
    });
    open();
    await fireEvent.click(screen.getByRole("tab", { name: "Image" }));
    await fireEvent.click(screen.getByRole("button", { name: "Choose an image…" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Nothing to scan: no QR code found in blank.png. A sharper or larger code may help.",
    );
  });

  it("reads a dropped image at once", async () => {
    const calls = mockIpc({ scan_image: () => one });
    open({ dropped: { token: "drop-token" } });
    expect(await screen.findByText("Add this account?")).toBeTruthy();
    expect(calls[0]).toEqual({ cmd: "scan_image", args: { file: "drop-token" } });
  });

  it("lists a transfer export with duplicates unchecked and adds the chosen ones", async () => {
    const found: ScanFound = {
      accounts: [pending(0), pending(1, { duplicate: true, duplicates: ["Service 1 (user1@example.com)"] }), pending(2)],
      batch: { received: 2, total: 2 },
      notes: [],
    };
    const calls = mockIpc({ scan_clipboard: () => found, add_pending: (a) => (a?.indices as number[]).map(() => ({})) });
    const onDone = open();
    await fireEvent.click(screen.getByRole("tab", { name: "Clipboard" }));
    await fireEvent.click(screen.getByRole("button", { name: "Paste from clipboard" }));
    expect(await screen.findByText("3 accounts in this code")).toBeTruthy();
    const boxes = screen.getAllByRole("checkbox") as HTMLInputElement[];
    expect(boxes.map((b) => b.checked)).toEqual([true, false, true]);
    expect(screen.getByText("Already added")).toBeTruthy();
    const duplicate = boxes[1] as HTMLInputElement;
    await fireEvent.click(duplicate);
    expect(screen.getByRole("button", { name: "Add 3 accounts" })).toBeTruthy();
    await fireEvent.click(duplicate);
    await fireEvent.click(screen.getByRole("button", { name: "Add 2 accounts" }));
    await waitFor(() => expect(onDone).toHaveBeenCalledWith("2 accounts added"));
    expect(calls.find((c) => c.cmd === "add_pending")?.args).toEqual({ indices: [0, 2] });
  });

  it("asks for the next code of an incomplete export", async () => {
    mockIpc({ scan_screen: () => ({ accounts: [], batch: { received: 2, total: 3 }, notes: [] }) });
    open();
    await fireEvent.click(screen.getByRole("tab", { name: "Screen" }));
    await fireEvent.click(screen.getByRole("button", { name: "Scan the screen" }));
    expect((await screen.findByText(/2 of 3 codes scanned/)).textContent).toContain("Show the next code");
  });
});

describe("Add account: camera", () => {
  it("says so when there is no camera", async () => {
    mockIpc({ list_cameras: () => ({ cameras: [], selected: null }), stop_camera: () => null });
    open();
    await fireEvent.click(screen.getByRole("tab", { name: "Camera" }));
    expect(await screen.findByText("No camera found")).toBeTruthy();
  });

  it("shows camera errors in their own words", async () => {
    mockIpc({
      list_cameras: () => ({ cameras: [{ id: "device:0", name: "Webcam" }], selected: "device:0" }),
      start_camera: () => {
        throw { code: "camera_busy", message: "the camera (Webcam) is in use by another program" };
      },
      stop_camera: () => null,
    });
    open();
    await fireEvent.click(screen.getByRole("tab", { name: "Camera" }));
    expect((await screen.findByRole("alert")).textContent).toBe(
      "The camera is busy: the camera (Webcam) is in use by another program. Close the other program, then try again.",
    );
  });

  it("previews frames, reports unusable codes, and confirms the code it found", async () => {
    const calls = mockIpc({
      list_cameras: () => ({ cameras: [{ id: "fake:/f.y4m", name: "Fake camera (f.y4m)" }], selected: "fake:/f.y4m" }),
      start_camera: () => null,
      stop_camera: () => null,
      discard_pending: () => null,
    });
    open();
    await fireEvent.click(screen.getByRole("tab", { name: "Camera" }));
    await waitFor(() => expect(camera).not.toBeNull());
    expect(calls.find((c) => c.cmd === "start_camera")?.args).toMatchObject({ camera: "fake:/f.y4m" });
    camera?.preview(new Uint8Array([0xff, 0xd8]).buffer);
    camera?.preview(new Uint8Array([0xff, 0xd8]).buffer);
    const viewport = await screen.findByRole("img", { name: "Camera preview" });
    await waitFor(() => expect(viewport.getAttribute("data-frames")).toBe("2"));
    expect(viewport.querySelector("img")?.getAttribute("src")).toBe("blob:frame-2");
    // The notice is worded from its detail (the English message is for logs).
    camera?.event({
      kind: "notice",
      code: "not_authenticator",
      message: "ignored",
      detail: { key: "detail.qr_not_authenticator_one", params: {} },
    });
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Nothing to add: this QR code is not an authenticator code (it holds no otpauth:// link).",
    );
    camera?.event({ kind: "found", found: one });
    expect(await screen.findByText("Add this account?")).toBeTruthy();
  });

  it("stops the camera when the tab changes", async () => {
    const calls = mockIpc({
      list_cameras: () => ({ cameras: [{ id: "fake:/f.y4m", name: "Fake camera (f.y4m)" }], selected: "fake:/f.y4m" }),
      start_camera: () => null,
      stop_camera: () => null,
      discard_pending: () => null,
    });
    open();
    await fireEvent.click(screen.getByRole("tab", { name: "Camera" }));
    await waitFor(() => expect(camera).not.toBeNull());
    expect(calls.some((c) => c.cmd === "stop_camera")).toBe(false);
    await fireEvent.click(screen.getByRole("tab", { name: "Image" }));
    await waitFor(() => expect(calls.some((c) => c.cmd === "stop_camera")).toBe(true));
  });
});

describe("scan helpers", () => {
  it("words transfer progress", () => {
    expect(batchProgress({ accounts: [], batch: { received: 1, total: 3 }, notes: [] })).toBe("1 of 3 codes scanned");
    expect(batchProgress(one)).toBeNull();
  });
});
