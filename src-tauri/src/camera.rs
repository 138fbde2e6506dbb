//! The webcam scan: the camera runs in `twofold-camera`; JPEG previews go to a [`CameraSink`] (in the app, the
//! webview's [`Channel`] as raw bytes, shown through a blob URL), decoding runs on the camera crate's own
//! thread, and the first payload that stages is accepted, which closes the camera. A monitor thread reports
//! how the scan ended once the device is closed. Locking the vault stops the camera ([`watch`]).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::{AppHandle, Manager, Runtime};
use twofold_camera::{CameraId, ScanEnd, ScanHandle, ScanOptions, Scanner, Verdict};
use twofold_core::qr::Payload;

use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{CameraEvent, CameraView, ScanFound};
use crate::rt::Guarded;
use crate::staging;
use crate::state::{AppState, VaultEvent};
use crate::text::{self, Key, Text};
use crate::vault;

/// The camera: which one is running, and the fake one offered; managed by `configure`.
#[derive(Default)]
pub struct CameraState {
    /// `--fake-camera FILE`: a fake camera offered even without `TWOFOLD_FAKE_CAMERA`.
    fake_camera: OnceLock<PathBuf>,
    camera: Mutex<Option<RunningCamera>>,
    generation: AtomicU64,
}

struct RunningCamera {
    generation: u64,
    handle: ScanHandle,
}

impl CameraState {
    /// Offers `path` as a fake camera (the `--fake-camera` flag); only the first call counts.
    pub fn set_fake_camera(&self, path: PathBuf) {
        let _ = self.fake_camera.set(path);
    }

    fn camera(&self) -> MutexGuard<'_, Option<RunningCamera>> {
        self.camera.guard()
    }

    /// Stops the running camera, if any; returns once the device is closed.
    pub fn stop_camera(&self) {
        let running = self.camera().take();
        if let Some(mut running) = running {
            let _ = running.handle.stop();
        }
    }

    /// Whether a camera scan is running (its device open).
    pub fn camera_running(&self) -> bool {
        self.camera().as_ref().is_some_and(|c| c.handle.camera_open())
    }

    fn fake(&self) -> Option<PathBuf> {
        self.fake_camera
            .get()
            .cloned()
            .or_else(|| std::env::var_os(twofold_camera::FAKE_CAMERA_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
    }
}

/// Stops the camera whenever the vault locks.
pub fn watch<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    app.state::<AppState>().listen(Arc::new(move |event| {
        if matches!(event, VaultEvent::Locked) {
            if let Some(camera) = handle.try_state::<CameraState>() {
                camera.stop_camera();
            }
        }
    }));
}

/// `--fake-camera FILE` (or `--fake-camera=FILE`): play FILE as a camera.
pub fn fake_camera_arg(mut args: impl Iterator<Item = String>) -> Result<Option<PathBuf>, String> {
    while let Some(arg) = args.next() {
        if arg == "--fake-camera" {
            return args.next().map(|d| Some(d.into())).ok_or_else(|| "--fake-camera needs a file".to_string());
        }
        if let Some(file) = arg.strip_prefix("--fake-camera=") {
            return Ok(Some(file.into()));
        }
    }
    Ok(None)
}

/// Every camera (the fake one first when configured). *Slow* (asks the system).
pub fn list<R: Runtime>(app: &AppHandle<R>) -> Vec<CameraView> {
    let fake = app.state::<CameraState>().fake();
    twofold_camera::list_cameras_with(fake.as_deref())
        .into_iter()
        .map(|c| CameraView { id: c.id.to_string(), name: c.name })
        .collect()
}

/// Where the camera's output goes: the webview's channels in the app, a recorder in tests.
pub trait CameraSink: Send + Sync + 'static {
    fn preview(&self, jpeg: Vec<u8>);
    fn event(&self, event: CameraEvent);
}

/// The webview's two channels: preview frames as raw JPEG bytes, and everything else.
pub struct ChannelSink {
    pub preview: Channel<InvokeResponseBody>,
    pub events: Channel<CameraEvent>,
}

impl CameraSink for ChannelSink {
    fn preview(&self, jpeg: Vec<u8>) {
        let _ = self.preview.send(InvokeResponseBody::Raw(jpeg));
    }

    fn event(&self, event: CameraEvent) {
        let _ = self.events.send(event);
    }
}

/// Whether `id` is a camera [`list`] offers: the webview names a camera, never a file to play, so a fake camera
/// opens only when the app was started with that very file (`--fake-camera` or `TWOFOLD_FAKE_CAMERA`), and a
/// device only when the system lists it. *Slow* for devices (asks the system).
pub fn check_listed<R: Runtime>(app: &AppHandle<R>, id: &CameraId) -> ShellResult<()> {
    let fake = app.state::<CameraState>().fake();
    match id {
        CameraId::Fake(path) if fake.as_deref() == Some(path.as_path()) => Ok(()),
        CameraId::Fake(path) => {
            Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::CameraBadId).with("id", path)))
        }
        CameraId::Device(_) if twofold_camera::list_cameras_with(None).iter().any(|c| &c.id == id) => Ok(()),
        CameraId::Device(_) => Err(twofold_camera::CameraError::NoCamera.into()),
    }
}

/// Starts a camera scan feeding `sink` from a camera [`check_listed`] accepts; any scan already running is
/// stopped first, and what a scan staged before is dropped. *Slow* (opens a device).
pub fn start_scan<R: Runtime>(app: &AppHandle<R>, id: &CameraId, sink: Arc<dyn CameraSink>) -> ShellResult<()> {
    check_listed(app, id)?;
    app.state::<AppState>().with_unlocked(|open| {
        staging::discard_scan(&mut open.staged);
        Ok(())
    })?;
    let scan = app.state::<CameraState>();
    scan.stop_camera();
    let generation = scan.generation.fetch_add(1, Ordering::SeqCst) + 1;
    let found: Arc<Mutex<Option<ScanFound>>> = Arc::default();
    // Held across `start` so the monitor cannot look before the handle is stored.
    let mut slot = scan.camera();
    let handle = {
        let preview_sink = Arc::clone(&sink);
        let event_sink = Arc::clone(&sink);
        let found = Arc::clone(&found);
        let app = app.clone();
        Scanner::start(
            id,
            ScanOptions::default(),
            move |frame| preview_sink.preview(frame.jpeg),
            move |payload| on_camera_payload(&app, payload, event_sink.as_ref(), &found),
        )?
    };
    *slot = Some(RunningCamera { generation, handle });
    drop(slot);
    let app = app.clone();
    std::thread::Builder::new()
        .name("twofold-camera-monitor".into())
        .spawn(move || monitor(&app, generation, sink.as_ref(), &found))
        .map_err(|e| {
            ShellError::coded(ErrorCode::Io, Text::new(Key::CameraThread).with("reason", text::os_error(&e)))
        })?;
    Ok(())
}

fn on_camera_payload<R: Runtime>(
    app: &AppHandle<R>,
    payload: &Payload,
    sink: &dyn CameraSink,
    found: &Mutex<Option<ScanFound>>,
) -> Verdict {
    let state = app.state::<AppState>();
    match vault::stage(&state, &[payload.as_str()], Text::new(Key::SourceCamera).into()) {
        Ok(result) if result.complete() => {
            *found.guard() = Some(result);
            Verdict::Accept
        }
        Ok(result) => {
            if let Some(batch) = result.batch {
                sink.event(CameraEvent::Progress { received: batch.received, total: batch.total });
            }
            Verdict::Continue
        }
        Err(error) => {
            let payload = error.payload();
            sink.event(CameraEvent::Notice { code: payload.code, message: payload.message, detail: payload.detail });
            Verdict::Continue
        }
    }
}

/// Waits for scan `generation` to end by itself, then reports how (once the camera is closed). A scan stopped
/// by `stop_camera`, a newer scan or a lock is not reported: nobody is waiting for it.
fn monitor<R: Runtime>(app: &AppHandle<R>, generation: u64, sink: &dyn CameraSink, found: &Mutex<Option<ScanFound>>) {
    let scan = app.state::<CameraState>();
    let mut running = loop {
        std::thread::sleep(Duration::from_millis(20));
        let mut slot = scan.camera();
        match slot.as_ref() {
            Some(c) if c.generation == generation => {
                if !c.handle.is_running() {
                    break slot.take();
                }
            }
            _ => return,
        }
    };
    let Some(running) = running.as_mut() else { return };
    match running.handle.wait() {
        ScanEnd::Accepted(_) => {
            if let Some(found) = found.guard().take() {
                sink.event(CameraEvent::Found { found });
            }
        }
        ScanEnd::Failed(error) => {
            let payload = ShellError::from(error).payload();
            sink.event(CameraEvent::Failed { code: payload.code, message: payload.message, detail: payload.detail });
        }
        ScanEnd::Stopped => {}
    }
}
