//! Twofold's webcam: list cameras, open one, and run the scan loop the *Add account* dialog shows.
//!
//! ```no_run
//! use twofold_camera::{list_cameras, ScanEnd, ScanOptions, Scanner, Verdict};
//!
//! let camera = list_cameras().into_iter().next().ok_or(twofold_camera::CameraError::NoCamera)?;
//! let mut handle = Scanner::start(
//!     &camera.id,
//!     ScanOptions::default(),
//!     |preview| { /* send preview.jpeg to the UI */ },
//!     |payload| if payload.is_authenticator_link() { Verdict::Accept } else { Verdict::Continue },
//! )?;
//! // The dialog closes: `handle.stop()` (or drop the handle). A code was accepted: the loop stopped itself.
//! match handle.wait() {
//!     ScanEnd::Accepted(payload) => { /* confirm and add */ }
//!     ScanEnd::Stopped => {}
//!     ScanEnd::Failed(error) => eprintln!("{error}"),
//! }
//! # Ok::<(), twofold_camera::CameraError>(())
//! ```
//!
//! How it runs: [`Scanner::start`] opens the camera on the calling thread's behalf (so "no camera", "busy" and
//! "permission denied" come back from `start` itself) and then two threads work. The capture thread reads
//! frames at the camera's pace, hands every one to `on_preview` as a JPEG (never held up by decoding) and
//! leaves it in a one-frame mailbox for the decoder thread, which decodes the newest frame each time it is
//! free (older undecoded frames are replaced, not queued). Each payload not offered before goes to
//! `on_payload`; [`Verdict::Accept`] ends the scan, and the capture thread closes the device before the
//! outcome is published: when [`ScanHandle::wait`] returns, the camera light is off.
//!
//! The fake camera (see [`fake`]) is chosen with `TWOFOLD_FAKE_CAMERA=<path>` (listed first by
//! [`list_cameras`]) or directly with [`CameraId::Fake`]; the tests and demos use it on machines without a
//! webcam.

pub mod fake;
mod frame;
#[cfg(feature = "native")]
mod native;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::thread::JoinHandle;

pub use frame::{Frame, PREVIEW_MAX_WIDTH, PreviewFrame};
/// nokhwa's frame buffer and the types that describe one, for building buffers without a device.
#[cfg(feature = "native")]
pub use nokhwa::{
    Buffer,
    utils::{FrameFormat, Resolution},
};
pub use twofold_core::qr::Payload;

/// The environment variable naming a file or folder to play as a camera.
pub const FAKE_CAMERA_ENV: &str = "TWOFOLD_FAKE_CAMERA";

/// Why a camera could not be listed, opened or read. Messages are written for the person at the dialog.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CameraError {
    /// No camera is connected (or the chosen one has gone).
    #[error("no camera found")]
    NoCamera,
    /// Another program is using the camera.
    #[error("the camera ({camera}) is in use by another program")]
    Busy { camera: String },
    /// The system refused access (Linux: not in the `video` group; macOS/Windows: privacy settings).
    #[error("permission to use the camera ({camera}) was denied")]
    PermissionDenied { camera: String },
    /// Any other failure of a real device.
    #[error("the camera ({camera}) failed: {reason}")]
    Device { camera: String, reason: String },
    /// The fake camera's file cannot be played.
    #[error("fake camera {}: {reason}", path.display())]
    Fake { path: PathBuf, reason: String },
    /// A camera id that is not `device:N` or `fake:PATH`.
    #[error("not a camera id: {0:?}")]
    BadId(String),
    /// The capture or decoder thread could not be started or died.
    #[error("camera thread failed: {0}")]
    Thread(String),
}

/// Which camera: a device number (V4L2 `/dev/videoN` on Linux) or a fake camera's file.
///
/// Its `Display` form (`device:0`, `fake:/path/frames.y4m`) parses back with `FromStr`: the app stores it to
/// remember the chosen camera.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CameraId {
    Device(u32),
    Fake(PathBuf),
}

impl fmt::Display for CameraId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CameraId::Device(i) => write!(f, "device:{i}"),
            CameraId::Fake(path) => write!(f, "fake:{}", path.display()),
        }
    }
}

impl std::str::FromStr for CameraId {
    type Err = CameraError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(n) = s.strip_prefix("device:") {
            return n.parse().map(CameraId::Device).map_err(|_| CameraError::BadId(s.to_string()));
        }
        match s.strip_prefix("fake:") {
            Some(path) if !path.is_empty() => Ok(CameraId::Fake(PathBuf::from(path))),
            _ => Err(CameraError::BadId(s.to_string())),
        }
    }
}

/// A camera to offer in the picker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CameraInfo {
    pub id: CameraId,
    /// A name for people ("Integrated Camera", "Fake camera (frames.y4m)").
    pub name: String,
}

/// Every camera: the fake camera from `TWOFOLD_FAKE_CAMERA` first when set, then the real devices. An empty
/// list means "no camera found".
pub fn list_cameras() -> Vec<CameraInfo> {
    let fake = std::env::var_os(FAKE_CAMERA_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
    list_cameras_with(fake.as_deref())
}

/// [`list_cameras`] with the fake camera given explicitly (a command-line flag) instead of from the
/// environment.
pub fn list_cameras_with(fake: Option<&Path>) -> Vec<CameraInfo> {
    let mut cameras = Vec::new();
    if let Some(path) = fake {
        let file = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
        cameras.push(CameraInfo { id: CameraId::Fake(path.to_path_buf()), name: format!("Fake camera ({file})") });
    }
    #[cfg(feature = "native")]
    cameras.extend(native::list());
    cameras
}

/// Converts one webcam buffer (MJPEG, YUYV, NV12, grey, RGB or BGR) exactly as the scan loop does before it
/// decodes the frame and encodes its preview. A buffer too short for its stated size is an error.
#[cfg(feature = "native")]
pub fn convert_buffer(buffer: &Buffer) -> Result<Frame, CameraError> {
    native::convert(buffer).map_err(|reason| CameraError::Device { camera: "buffer".into(), reason })
}

/// How to open the camera.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScanOptions {
    /// The capture size asked of a real camera (it picks the closest it has). 1280×720 reads dense transfer
    /// codes that 640×480 cannot; the preview is halved to 640×360 either way. Ignored by the fake camera.
    pub resolution: (u32, u32),
}

impl Default for ScanOptions {
    fn default() -> Self {
        Self { resolution: (1280, 720) }
    }
}

/// What `on_payload` answers for a QR code the camera saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// This is the code: stop the camera and end the scan with it.
    Accept,
    /// Keep scanning (say, a code that is not an authenticator link: the UI shows why and waits). The same
    /// payload is not offered again during this scan.
    Continue,
}

/// How a scan ended.
#[derive(Debug)]
pub enum ScanEnd {
    /// `on_payload` accepted this payload.
    Accepted(Payload),
    /// [`ScanHandle::stop`] was called or the handle dropped.
    Stopped,
    /// The camera failed while capturing.
    Failed(CameraError),
}

/// Counters for a running or finished scan.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ScanStats {
    /// Frames read from the camera (each one was also offered as a preview).
    pub frames_captured: u64,
    /// Frames the decoder looked at (fewer than captured when decoding is slower than the camera).
    pub frames_decoded: u64,
    /// Distinct payloads offered to `on_payload`.
    pub payloads_offered: u64,
}

/// The scan loop's entry point.
pub struct Scanner;

struct Shared {
    stop: AtomicBool,
    camera_open: AtomicBool,
    captured: AtomicU64,
    decoded: AtomicU64,
    offered: AtomicU64,
    /// The newest undecoded frame, or `None`; `closed` once capture has ended.
    mailbox: Mutex<Mailbox>,
    wake: Condvar,
    outcome: Mutex<Option<ScanEnd>>,
}

#[derive(Default)]
struct Mailbox {
    frame: Option<frame::Frame>,
    closed: bool,
}

impl Shared {
    fn lock_mailbox(&self) -> std::sync::MutexGuard<'_, Mailbox> {
        self.mailbox.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records the first outcome only: an accepted code wins over the stop it triggers.
    fn finish(&self, end: ScanEnd) {
        let mut outcome = self.outcome.lock().unwrap_or_else(PoisonError::into_inner);
        if outcome.is_none() {
            *outcome = Some(end);
        }
        self.stop.store(true, Ordering::SeqCst);
        self.wake.notify_all();
    }
}

/// A camera opened for capture: a closed set, so an enum.
enum Device {
    Fake(fake::FakeCamera),
    #[cfg(feature = "native")]
    Native(native::NativeCamera),
}

impl Device {
    fn open(id: &CameraId, options: ScanOptions) -> Result<Self, CameraError> {
        match id {
            CameraId::Fake(path) => Ok(Device::Fake(fake::FakeCamera::open(path)?)),
            #[cfg(feature = "native")]
            CameraId::Device(index) => Ok(Device::Native(native::NativeCamera::open(*index, options.resolution)?)),
            #[cfg(not(feature = "native"))]
            CameraId::Device(_) => {
                let _ = options;
                Err(CameraError::NoCamera)
            }
        }
    }

    fn next_frame(&mut self) -> Result<frame::Frame, CameraError> {
        match self {
            Device::Fake(camera) => camera.next_frame(),
            #[cfg(feature = "native")]
            Device::Native(camera) => camera.next_frame(),
        }
    }
}

impl Scanner {
    /// Opens `camera` and starts scanning; returns once the camera is open (or with why it could not be).
    ///
    /// `on_preview` runs on the capture thread for every frame; keep it short (send the JPEG and return).
    /// `on_payload` runs on the decoder thread for each payload not offered before in this scan.
    pub fn start(
        camera: &CameraId,
        options: ScanOptions,
        on_preview: impl FnMut(PreviewFrame) + Send + 'static,
        on_payload: impl FnMut(&Payload) -> Verdict + Send + 'static,
    ) -> Result<ScanHandle, CameraError> {
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            camera_open: AtomicBool::new(false),
            captured: AtomicU64::new(0),
            decoded: AtomicU64::new(0),
            offered: AtomicU64::new(0),
            mailbox: Mutex::new(Mailbox::default()),
            wake: Condvar::new(),
            outcome: Mutex::new(None),
        });
        // The device is opened on the capture thread (some backends tie a device to its thread); the open
        // result comes back over this channel so `start` can return it.
        let (opened_tx, opened_rx) = std::sync::mpsc::sync_channel::<Result<(), CameraError>>(1);
        let capture = {
            let shared = Arc::clone(&shared);
            let camera = camera.clone();
            std::thread::Builder::new()
                .name("twofold-camera-capture".into())
                .spawn(move || capture_loop(&camera, options, &shared, opened_tx, on_preview))
                .map_err(|e| CameraError::Thread(e.to_string()))?
        };
        match opened_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(error)) => {
                let _ = capture.join();
                return Err(error);
            }
            Err(_) => {
                let _ = capture.join();
                return Err(CameraError::Thread("capture thread ended before opening the camera".into()));
            }
        }
        let decoder = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("twofold-camera-decode".into())
                .spawn(move || decode_loop(&shared, on_payload))
        };
        let decoder = match decoder {
            Ok(decoder) => decoder,
            Err(e) => {
                shared.finish(ScanEnd::Stopped);
                let _ = capture.join();
                return Err(CameraError::Thread(e.to_string()));
            }
        };
        Ok(ScanHandle { shared, capture: Some(capture), decoder: Some(decoder) })
    }
}

fn capture_loop(
    id: &CameraId,
    options: ScanOptions,
    shared: &Shared,
    opened: std::sync::mpsc::SyncSender<Result<(), CameraError>>,
    mut on_preview: impl FnMut(PreviewFrame),
) {
    let mut device = match Device::open(id, options) {
        Ok(device) => device,
        Err(error) => {
            let _ = opened.send(Err(error));
            return;
        }
    };
    shared.camera_open.store(true, Ordering::SeqCst);
    let _ = opened.send(Ok(()));
    let mut failure = None;
    while !shared.stop.load(Ordering::SeqCst) {
        let frame = match device.next_frame() {
            Ok(frame) => frame,
            Err(error) => {
                failure = Some(error);
                break;
            }
        };
        // A stop that arrived while the frame was being read drops it unseen. Checked before counting, so
        // that every counted frame is also previewed (a stop after this point still delivers this frame).
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let sequence = shared.captured.fetch_add(1, Ordering::SeqCst) + 1;
        if let Ok(preview) = frame.preview(sequence) {
            on_preview(preview);
        }
        let mut mailbox = shared.lock_mailbox();
        mailbox.frame = Some(frame);
        drop(mailbox);
        shared.wake.notify_all();
    }
    // Close the device before anyone hears the scan is over: the light is off when `wait` returns.
    drop(device);
    shared.camera_open.store(false, Ordering::SeqCst);
    shared.finish(failure.map_or(ScanEnd::Stopped, ScanEnd::Failed));
    shared.lock_mailbox().closed = true;
    shared.wake.notify_all();
}

fn decode_loop(shared: &Shared, mut on_payload: impl FnMut(&Payload) -> Verdict) {
    let mut offered: Vec<Payload> = Vec::new();
    loop {
        let frame = {
            let mut mailbox = shared.lock_mailbox();
            loop {
                if mailbox.closed || shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                if let Some(frame) = mailbox.frame.take() {
                    break frame;
                }
                mailbox = shared.wake.wait(mailbox).unwrap_or_else(PoisonError::into_inner);
            }
        };
        let payloads = frame.decode();
        shared.decoded.fetch_add(1, Ordering::SeqCst);
        for payload in payloads {
            if shared.stop.load(Ordering::SeqCst) {
                return;
            }
            if offered.contains(&payload) {
                continue;
            }
            shared.offered.fetch_add(1, Ordering::SeqCst);
            let verdict = on_payload(&payload);
            offered.push(payload.clone());
            if verdict == Verdict::Accept {
                shared.finish(ScanEnd::Accepted(payload));
                return;
            }
        }
    }
}

/// A running scan. Dropping it stops the scan and closes the camera.
pub struct ScanHandle {
    shared: Arc<Shared>,
    capture: Option<JoinHandle<()>>,
    decoder: Option<JoinHandle<()>>,
}

impl ScanHandle {
    /// Stops scanning (the dialog closed) and closes the camera; returns how the scan ended (an accepted
    /// code that raced the stop is still returned).
    pub fn stop(&mut self) -> ScanEnd {
        self.shared.finish(ScanEnd::Stopped);
        self.join()
    }

    /// Waits until the scan ends by itself (a code accepted, or the camera failed) and the camera is closed.
    /// With no code in view this waits for ever: the dialog calls [`ScanHandle::stop`] when it closes.
    /// After the first call, `stop` and `wait` return [`ScanEnd::Stopped`].
    pub fn wait(&mut self) -> ScanEnd {
        self.join()
    }

    /// Whether the scan is still running.
    pub fn is_running(&self) -> bool {
        !self.shared.stop.load(Ordering::SeqCst)
    }

    /// Whether the device is open (its light on).
    pub fn camera_open(&self) -> bool {
        self.shared.camera_open.load(Ordering::SeqCst)
    }

    /// Frames captured, decoded and payloads offered so far.
    pub fn stats(&self) -> ScanStats {
        ScanStats {
            frames_captured: self.shared.captured.load(Ordering::SeqCst),
            frames_decoded: self.shared.decoded.load(Ordering::SeqCst),
            payloads_offered: self.shared.offered.load(Ordering::SeqCst),
        }
    }

    fn join(&mut self) -> ScanEnd {
        if let Some(capture) = self.capture.take() {
            let _ = capture.join();
        }
        if let Some(decoder) = self.decoder.take() {
            let _ = decoder.join();
        }
        self.shared.outcome.lock().unwrap_or_else(PoisonError::into_inner).take().unwrap_or(ScanEnd::Stopped)
    }
}

impl Drop for ScanHandle {
    fn drop(&mut self) {
        if self.capture.is_some() || self.decoder.is_some() {
            self.shared.finish(ScanEnd::Stopped);
            let _ = self.join();
        }
    }
}
