/** The QR intakes of the Add account dialog: camera, image, clipboard, screen. Keys never come here: a scan
 * returns descriptions of pending accounts, held by the shell, added by index. */
import { Channel } from "@tauri-apps/api/core";
import { errorMessage, invoke, IpcError } from "./api";
import { t } from "./i18n";
import type { AddOutcome } from "./ipc/AddOutcome";
import type { CameraEvent } from "./ipc/CameraEvent";
import type { CameraList } from "./ipc/CameraList";
import type { ScanFound } from "./ipc/ScanFound";

/** The receiving ends of the camera's two channels: JPEG preview frames and everything else. */
export interface CameraChannels {
  preview: unknown;
  events: unknown;
}

type ChannelFactory = (onPreview: (jpeg: ArrayBuffer) => void, onEvent: (event: CameraEvent) => void) => CameraChannels;

let makeChannels: ChannelFactory = (onPreview, onEvent) => {
  const preview = new Channel<ArrayBuffer>();
  preview.onmessage = onPreview;
  const events = new Channel<CameraEvent>();
  events.onmessage = onEvent;
  return { preview, events };
};

/** Tests replace the channels (they need Tauri's internals); the app never calls this. */
export function setChannelFactory(factory: ChannelFactory): void {
  makeChannels = factory;
}

export const scanApi = {
  listCameras: () => invoke<CameraList>("list_cameras"),
  startCamera: (camera: string, onPreview: (jpeg: ArrayBuffer) => void, onEvent: (event: CameraEvent) => void) =>
    invoke<void>("start_camera", { camera, ...makeChannels(onPreview, onEvent) }),
  stopCamera: () => invoke<void>("stop_camera"),
  /** `file`: a token (a drop, or `api.files.choose`); without it the shell opens a file chooser. `null` =
   * chooser cancelled. */
  image: (file?: string) => invoke<ScanFound | null>("scan_image", { file: file ?? null }),
  clipboard: () => invoke<ScanFound>("scan_clipboard"),
  screen: () => invoke<ScanFound>("scan_screen"),
  addPending: (indices: number[]) => invoke<AddOutcome[]>("add_pending", { indices }),
  discardPending: () => invoke<void>("discard_pending"),
};

/** The QR intakes of the dialog (besides typing a key or pasting a link). */
export type Source = "camera" | "image" | "clipboard" | "screen";

/** The sentence for a failed read. "A sharper or larger code may help" follows only a picture that held no
 * readable code (an image, the screen, the camera), not a clipboard with nothing to read. */
export function scanFailure(error: unknown, source: Source): string {
  const sentence = errorMessage(error);
  const picture = source !== "clipboard";
  return picture && error instanceof IpcError && error.code === "no_qr_code" ? t("scan.unreadable", { error: sentence }) : sentence;
}

/** "2 of 3 codes scanned" while a transfer export is incomplete, else null. */
export function batchProgress(found: ScanFound): string | null {
  const b = found.batch;
  if (!b || b.received >= b.total) return null;
  return t("scan.batchProgress", { received: b.received, total: b.total });
}
