//! Adding accounts from QR codes: the webcam, image files, the clipboard and the screen.
//!
//! Every intake ends the same way: the QR payloads it found are *staged* ([`stage`]) — parsed by the core
//! into accounts kept here, in Rust, as [`ScanState`]'s pending list — and the webview gets a [`ScanFound`]
//! that describes them (issuer, name, type; never a key) by index. `add_pending` adds the chosen indices.
//! A Google Authenticator transfer export spread over several QR codes is collected across scans
//! ([`BatchCollector`]) until every part is in. Locking the vault stops the camera and forgets everything
//! pending ([`forget`]).
//!
//! The camera runs in `twofold-camera`: JPEG previews go to the webview as raw bytes over a
//! [`Channel`] (the UI shows them through a blob URL), decoding runs on the camera crate's own thread, and
//! the first payload that stages is accepted, which closes the camera. A monitor thread reports how the
//! scan ended once the device is closed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use serde::Serialize;
use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;
use twofold_camera::{CameraError, CameraId, ScanEnd, ScanHandle, ScanOptions, Scanner, Verdict};
use twofold_core::migration::{self, BatchCollector, BatchProgress};
use twofold_core::qr::{self, Payload, QrError};
use twofold_core::{Account, uri};

use crate::commands::{algorithm_view, blocking, duplicates_of, insert_account, kind_view, mutate_and_save, now_s};
use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{AlgorithmView, OtpKindView};
use crate::state::{self as app_state, AppState};

/// The image files the Image tab and window drops accept (lower-case extensions).
pub const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "webp", "gif"];

// ---- IPC types ---------------------------------------------------------------------------------------------

/// A camera the picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CameraView {
    /// `device:N` or `fake:PATH`: what `start_camera` takes.
    pub id: String,
    pub name: String,
}

/// Every camera, and the one to preselect (the remembered one if still present, else the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CameraList {
    pub cameras: Vec<CameraView>,
    pub selected: Option<String>,
}

/// An account found in a QR code, waiting for the user's confirmation. Its key stays in the shell.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct PendingAccount {
    /// What `add_pending` takes to add this one.
    pub index: u32,
    pub issuer: String,
    pub name: String,
    pub kind: OtpKindView,
    pub algorithm: AlgorithmView,
    pub digits: u8,
    pub period: Option<u32>,
    /// Names of existing accounts with the same key and parameters (the UI leaves these unchecked).
    pub duplicates: Vec<String>,
}

/// How far a multi-part Google Authenticator export has been scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BatchView {
    pub received: u32,
    pub total: u32,
}

/// What a scan found. With `batch` set and incomplete, `accounts` is empty: show the next code.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScanFound {
    pub accounts: Vec<PendingAccount>,
    /// Set when the codes were a Google Authenticator transfer export.
    pub batch: Option<BatchView>,
    /// Remarks for the user: link warnings, transfer entries that cannot be imported, codes that were not
    /// authenticator links.
    pub notes: Vec<String>,
}

impl ScanFound {
    pub fn complete(&self) -> bool {
        self.batch.is_none_or(|b| b.received >= b.total)
    }
}

/// What the camera tells the dialog besides preview frames (those go over their own channel, as JPEG bytes).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum CameraEvent {
    /// A code was read but cannot be used; scanning goes on.
    Notice { code: ErrorCode, message: String },
    /// A part of a transfer export was read; scanning goes on for the next.
    Progress { received: u32, total: u32 },
    /// A code was accepted and the camera is closed: confirm `found`.
    Found { found: ScanFound },
    /// The camera failed while capturing (it is closed).
    Failed { code: ErrorCode, message: String },
}

// ---- state -------------------------------------------------------------------------------------------------

/// What the scan commands remember between calls.
#[derive(Default)]
pub struct ScanState {
    /// `--fake-camera FILE`: a fake camera offered even without `TWOFOLD_FAKE_CAMERA`.
    fake_camera: OnceLock<PathBuf>,
    camera: Mutex<Option<RunningCamera>>,
    generation: AtomicU64,
    pending: Mutex<Pending>,
}

struct RunningCamera {
    generation: u64,
    handle: ScanHandle,
}

#[derive(Default)]
struct Pending {
    accounts: Vec<Account>,
    /// Parts of a transfer export scanned so far.
    batch: Option<BatchCollector>,
}

impl ScanState {
    /// Offers `path` as a fake camera (the `--fake-camera` flag); only the first call counts.
    pub fn set_fake_camera(&self, path: PathBuf) {
        let _ = self.fake_camera.set(path);
    }

    fn pending(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn camera(&self) -> MutexGuard<'_, Option<RunningCamera>> {
        self.camera.lock().unwrap_or_else(PoisonError::into_inner)
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

    /// Forgets the pending accounts and any partly scanned transfer export.
    pub fn clear_pending(&self) {
        *self.pending() = Pending::default();
    }

    /// How many accounts wait for confirmation.
    pub fn pending_count(&self) -> usize {
        self.pending().accounts.len()
    }

    fn fake(&self) -> Option<PathBuf> {
        self.fake_camera
            .get()
            .cloned()
            .or_else(|| std::env::var_os(twofold_camera::FAKE_CAMERA_ENV).filter(|v| !v.is_empty()).map(PathBuf::from))
    }
}

/// On lock: stop the camera and forget every pending account.
pub fn forget<R: Runtime>(app: &AppHandle<R>) {
    if let Some(scan) = app.try_state::<ScanState>() {
        scan.stop_camera();
        scan.clear_pending();
    }
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

// ---- errors ------------------------------------------------------------------------------------------------

fn scan_error(code: ErrorCode, message: impl Into<String>) -> ShellError {
    ShellError::Scan { code, message: message.into() }
}

fn no_code(what: &str) -> ShellError {
    scan_error(ErrorCode::NoQrCode, format!("no QR code found in {what}"))
}

fn not_authenticator(count: usize) -> ShellError {
    let message = if count == 1 {
        "this QR code is not an authenticator code (it holds no otpauth:// link)".to_string()
    } else {
        format!("none of these {count} QR codes is an authenticator code (no otpauth:// link)")
    };
    scan_error(ErrorCode::NotAuthenticator, message)
}

impl From<CameraError> for ShellError {
    fn from(error: CameraError) -> Self {
        let code = match error {
            CameraError::NoCamera => ErrorCode::NoCamera,
            CameraError::Busy { .. } => ErrorCode::CameraBusy,
            CameraError::PermissionDenied { .. } => ErrorCode::CameraDenied,
            _ => ErrorCode::Io,
        };
        scan_error(code, error.to_string())
    }
}

fn qr_error(error: QrError, what: &str) -> ShellError {
    match error {
        QrError::NoCode { .. } => no_code(what),
        QrError::NoAuthenticatorLink { count, .. } => not_authenticator(count),
        other => ShellError::InvalidInput(other.to_string()),
    }
}

// ---- staging -----------------------------------------------------------------------------------------------

fn pending_view(index: usize, account: &Account, existing: &[Account]) -> PendingAccount {
    PendingAccount {
        index: u32::try_from(index).unwrap_or(u32::MAX),
        issuer: account.issuer.clone(),
        name: account.name.clone(),
        kind: kind_view(&account.otp.kind),
        algorithm: algorithm_view(account.otp.algorithm),
        digits: account.otp.digits,
        period: account.otp.period(),
        duplicates: duplicates_of(existing, account),
    }
}

/// Parses the authenticator links among `payloads` into pending accounts. Plain `otpauth://` links replace
/// whatever was pending; transfer links join the export being collected, and its accounts become pending
/// once every part is in. Needs an unlocked vault (to mark duplicates).
pub fn stage(app: &AppState, scan: &ScanState, payloads: &[&str], what: &str) -> ShellResult<ScanFound> {
    if payloads.is_empty() {
        return Err(no_code(what));
    }
    let links: Vec<&str> = payloads.iter().copied().filter(|p| qr::is_authenticator_link(p)).collect();
    if links.is_empty() {
        return Err(not_authenticator(payloads.len()));
    }
    let mut notes = Vec::new();
    let ignored = payloads.len() - links.len();
    if ignored > 0 {
        notes.push(format!("{ignored} other QR code(s) ignored: not authenticator links"));
    }
    let now = now_s();
    let mut accounts = Vec::new();
    let mut parts = Vec::new();
    let mut errors = Vec::new();
    for link in links {
        if link.trim_start().get(..MIGRATION_SCHEME.len()).is_some_and(|h| h.eq_ignore_ascii_case(MIGRATION_SCHEME)) {
            match migration::decode(link) {
                Ok(part) => parts.push(part),
                Err(e) => errors.push(format!("transfer code: {e}")),
            }
            continue;
        }
        match uri::parse(link.trim()) {
            Ok(parsed) => {
                notes.extend(parsed.warnings.iter().map(ToString::to_string));
                accounts.push(parsed.into_account(now));
            }
            Err(e) => errors.push(e.to_string()),
        }
    }
    if accounts.is_empty() && parts.is_empty() {
        let first = errors.into_iter().next().unwrap_or_else(|| "unreadable link".into());
        return Err(ShellError::InvalidInput(format!("the QR code holds a broken authenticator link: {first}")));
    }
    notes.extend(errors);
    app.with_unlocked(|open| {
        let existing = open.vault.accounts();
        let mut pending = scan.pending();
        let mut batch_view = None;
        if !parts.is_empty() {
            let collector = pending.batch.get_or_insert_with(BatchCollector::new);
            let mut progress = BatchProgress::Partial { received: 0, total: 1 };
            for part in parts {
                progress = match collector.add(part.clone()) {
                    BatchProgress::OtherBatch => {
                        // A code from another export: start over with it.
                        *collector = BatchCollector::new();
                        notes.push("a code from a different export: started over with it".into());
                        collector.add(part)
                    }
                    other => other,
                };
            }
            match progress {
                BatchProgress::Partial { received, total } => {
                    let view = BatchView {
                        received: u32::try_from(received).unwrap_or(u32::MAX),
                        total: u32::try_from(total).unwrap_or(u32::MAX),
                    };
                    if accounts.is_empty() {
                        return Ok(ScanFound { accounts: Vec::new(), batch: Some(view), notes });
                    }
                    // Plain links arrived with a partial export: offer the links, keep collecting.
                    batch_view = Some(view);
                }
                BatchProgress::Complete | BatchProgress::OtherBatch => {
                    let collector = pending.batch.take().unwrap_or_default();
                    let (found, rejected) = collector.finish();
                    notes.extend(rejected.iter().map(|r| format!("cannot import {r}")));
                    let total = u32::try_from(found.len()).unwrap_or(u32::MAX);
                    accounts.extend(found.into_iter().map(|a| a.into_account(now)));
                    batch_view = Some(BatchView { received: total.max(1), total: total.max(1) });
                    // `received`/`total` count codes while collecting; once complete, only "complete" matters.
                }
            }
        }
        let views = accounts.iter().enumerate().map(|(i, a)| pending_view(i, a, existing)).collect();
        pending.accounts = accounts;
        Ok(ScanFound { accounts: views, batch: batch_view, notes })
    })
}

const MIGRATION_SCHEME: &str = "otpauth-migration://";

/// Decodes an RGBA picture (clipboard images, screen captures) and returns its payloads.
fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> ShellResult<Vec<Payload>> {
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8) as u8)
        .collect();
    qr::decode_luma(width, height, width, &luma).map_err(|e| ShellError::InvalidInput(e.to_string()))
}

fn stage_payloads(app: &AppState, scan: &ScanState, payloads: &[Payload], what: &str) -> ShellResult<ScanFound> {
    let texts: Vec<&str> = payloads.iter().map(Payload::as_str).collect();
    stage(app, scan, &texts, what)
}

fn is_image_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads the QR codes of an image file and stages them. *Slow.*
pub fn scan_image_file(app: &AppState, scan: &ScanState, path: &Path) -> ShellResult<ScanFound> {
    if !is_image_path(path) {
        return Err(ShellError::InvalidInput(format!(
            "{} is not a PNG, JPEG, WebP or GIF image",
            path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
        )));
    }
    let name = path.file_name().map_or_else(|| "the image".to_string(), |n| n.to_string_lossy().into_owned());
    let payloads = qr::scan_file(path).map_err(|e| qr_error(e, &name))?;
    stage_payloads(app, scan, &payloads, &name)
}

// ---- commands: image, clipboard, screen, pending ----------------------------------------------------------

/// Reads the QR codes of an image: `path` when given (drops, tests), else a file chosen in a dialog.
/// `None` when the dialog was cancelled.
#[tauri::command]
pub async fn scan_image<R: Runtime>(app: AppHandle<R>, path: Option<String>) -> ShellResult<Option<ScanFound>> {
    let path = match path {
        Some(path) => PathBuf::from(path),
        None => {
            let dialog = app.dialog().file().set_title("Open a QR code image").add_filter("Images", &IMAGE_EXTENSIONS);
            let chosen = blocking(move || Ok(dialog.blocking_pick_file())).await?;
            match chosen.and_then(|p| p.into_path().ok()) {
                Some(path) => path,
                None => return Ok(None),
            }
        }
    };
    let handle = app.clone();
    blocking(move || {
        let state = handle.state::<AppState>();
        let scan = handle.state::<ScanState>();
        scan_image_file(&state, &scan, &path).map(Some)
    })
    .await
}

/// Reads the clipboard: an `otpauth://` link as text, or an image holding QR codes.
#[tauri::command]
pub async fn scan_clipboard<R: Runtime>(app: AppHandle<R>) -> ShellResult<ScanFound> {
    let handle = app.clone();
    blocking(move || {
        let state = handle.state::<AppState>();
        let scan = handle.state::<ScanState>();
        let clipboard = handle.clipboard();
        let text = clipboard.read_text().ok().map(zeroize::Zeroizing::new);
        if let Some(text) = text.as_deref().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if qr::is_authenticator_link(text) {
                return stage(&state, &scan, &[text], "the clipboard");
            }
        }
        match clipboard.read_image() {
            Ok(image) => {
                let payloads = decode_rgba(image.width() as usize, image.height() as usize, image.rgba())?;
                stage_payloads(&state, &scan, &payloads, "the image on the clipboard")
            }
            Err(_) if text.as_deref().is_some_and(|t| !t.trim().is_empty()) => {
                Err(scan_error(ErrorCode::NotAuthenticator, "the clipboard holds text that is not an otpauth:// link"))
            }
            Err(_) => Err(scan_error(
                ErrorCode::NoQrCode,
                "the clipboard holds neither an image nor an otpauth:// link: copy a QR code image or a link first",
            )),
        }
    })
    .await
}

/// Captures every screen and reads every QR code on them.
#[tauri::command]
pub async fn scan_screen<R: Runtime>(app: AppHandle<R>) -> ShellResult<ScanFound> {
    let handle = app.clone();
    blocking(move || {
        let state = handle.state::<AppState>();
        let scan = handle.state::<ScanState>();
        let payloads = capture_screens()?;
        stage_payloads(&state, &scan, &payloads, "the screen")
    })
    .await
}

fn capture_forbidden(reason: impl std::fmt::Display) -> ShellError {
    let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some();
    let message = if wayland {
        format!(
            "this desktop does not let Twofold capture the screen ({reason}); take a screenshot yourself and \
             use the Image or Clipboard tab"
        )
    } else {
        format!("cannot capture the screen ({reason}); take a screenshot and use the Image or Clipboard tab")
    };
    scan_error(ErrorCode::CaptureUnavailable, message)
}

/// Captures each monitor with `xcap` and decodes them in turn. *Slow.*
fn capture_screens() -> ShellResult<Vec<Payload>> {
    let monitors = xcap::Monitor::all().map_err(capture_forbidden)?;
    if monitors.is_empty() {
        return Err(capture_forbidden("no screen found"));
    }
    let mut payloads: Vec<Payload> = Vec::new();
    let mut captured = 0usize;
    let mut last_error = None;
    for monitor in monitors {
        match monitor.capture_image() {
            Ok(image) => {
                captured += 1;
                let (w, h) = (image.width() as usize, image.height() as usize);
                for payload in decode_rgba(w, h, image.as_raw())? {
                    if !payloads.contains(&payload) {
                        payloads.push(payload);
                    }
                }
            }
            Err(e) => last_error = Some(e.to_string()),
        }
    }
    if captured == 0 {
        return Err(capture_forbidden(last_error.unwrap_or_else(|| "no screen captured".into())));
    }
    Ok(payloads)
}

/// Adds the pending accounts at `indices` (the others are dropped) and forgets the pending list.
#[tauri::command]
pub async fn add_pending(
    state: State<'_, AppState>,
    scan: State<'_, ScanState>,
    indices: Vec<u32>,
) -> ShellResult<Vec<crate::ipc::AddOutcome>> {
    let accounts = {
        let mut pending = scan.pending();
        if pending.accounts.is_empty() {
            return Err(ShellError::InvalidInput("nothing to add: scan a code first".into()));
        }
        if let Some(bad) = indices.iter().find(|&&i| i as usize >= pending.accounts.len()) {
            return Err(ShellError::InvalidInput(format!("no scanned account number {bad}")));
        }
        let mut chosen = Vec::new();
        for (i, account) in std::mem::take(&mut pending.accounts).into_iter().enumerate() {
            if indices.contains(&(i as u32)) {
                chosen.push(account);
            }
        }
        chosen
    };
    if accounts.is_empty() {
        return Err(ShellError::InvalidInput("no account chosen".into()));
    }
    mutate_and_save(&state, move |list| {
        Ok(accounts.iter().map(|a| insert_account(list, a.clone(), Vec::new())).collect())
    })
    .await
}

/// Forgets the pending accounts and any partly scanned transfer export (the dialog closed or started over).
#[tauri::command]
pub fn discard_pending(scan: State<'_, ScanState>) {
    scan.clear_pending();
}

// ---- commands: camera ------------------------------------------------------------------------------------

/// Every camera (the fake one first when configured) and the one to preselect.
#[tauri::command]
pub async fn list_cameras<R: Runtime>(app: AppHandle<R>) -> ShellResult<CameraList> {
    let handle = app.clone();
    blocking(move || {
        let fake = handle.state::<ScanState>().fake();
        let cameras: Vec<CameraView> = twofold_camera::list_cameras_with(fake.as_deref())
            .into_iter()
            .map(|c| CameraView { id: c.id.to_string(), name: c.name })
            .collect();
        let remembered = handle.state::<AppState>().settings().camera;
        let selected =
            remembered.filter(|r| cameras.iter().any(|c| &c.id == r)).or_else(|| cameras.first().map(|c| c.id.clone()));
        Ok(CameraList { cameras, selected })
    })
    .await
}

/// Where the camera's output goes: the webview's channels in the app, a recorder in tests.
pub trait CameraSink: Send + Sync + 'static {
    fn preview(&self, jpeg: Vec<u8>);
    fn event(&self, event: CameraEvent);
}

struct ChannelSink {
    preview: Channel<InvokeResponseBody>,
    events: Channel<CameraEvent>,
}

impl CameraSink for ChannelSink {
    fn preview(&self, jpeg: Vec<u8>) {
        let _ = self.preview.send(InvokeResponseBody::Raw(jpeg));
    }

    fn event(&self, event: CameraEvent) {
        let _ = self.events.send(event);
    }
}

/// Opens `camera` (remembering the choice) and scans until a code is accepted or `stop_camera`. Previews
/// arrive on `preview` as JPEG bytes, everything else on `events`. Returns once the camera is open.
#[tauri::command]
pub async fn start_camera<R: Runtime>(
    app: AppHandle<R>,
    camera: String,
    preview: Channel<InvokeResponseBody>,
    events: Channel<CameraEvent>,
) -> ShellResult<()> {
    let id: CameraId = camera.parse().map_err(ShellError::from)?;
    remember_camera(&app, &camera).await?;
    let handle = app.clone();
    blocking(move || start_scan(&handle, &id, Arc::new(ChannelSink { preview, events }))).await
}

async fn remember_camera<R: Runtime>(app: &AppHandle<R>, camera: &str) -> ShellResult<()> {
    let state = app.state::<AppState>();
    let mut settings = state.settings();
    if settings.camera.as_deref() == Some(camera) {
        return Ok(());
    }
    settings.camera = Some(camera.to_string());
    let path = state.paths.settings.clone();
    let to_write = settings.clone();
    blocking(move || app_state::save_settings(&path, &to_write)).await?;
    *state.settings.lock().unwrap_or_else(PoisonError::into_inner) = settings;
    Ok(())
}

/// Starts a camera scan feeding `sink`; any scan already running is stopped first. *Slow* (opens a device).
pub fn start_scan<R: Runtime>(app: &AppHandle<R>, id: &CameraId, sink: Arc<dyn CameraSink>) -> ShellResult<()> {
    app.state::<AppState>().with_unlocked(|_| Ok(()))?;
    let scan = app.state::<ScanState>();
    scan.stop_camera();
    scan.clear_pending();
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
        .map_err(|e| ShellError::Io(format!("cannot start the camera monitor: {e}")))?;
    Ok(())
}

fn on_camera_payload<R: Runtime>(
    app: &AppHandle<R>,
    payload: &Payload,
    sink: &dyn CameraSink,
    found: &Mutex<Option<ScanFound>>,
) -> Verdict {
    let state = app.state::<AppState>();
    let scan = app.state::<ScanState>();
    match stage(&state, &scan, &[payload.as_str()], "the camera picture") {
        Ok(result) if result.complete() => {
            *found.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
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
            sink.event(CameraEvent::Notice { code: payload.code, message: payload.message });
            Verdict::Continue
        }
    }
}

/// Waits for scan `generation` to end by itself, then reports how (once the camera is closed). A scan stopped
/// by `stop_camera`, a newer scan or a lock is not reported: nobody is waiting for it.
fn monitor<R: Runtime>(app: &AppHandle<R>, generation: u64, sink: &dyn CameraSink, found: &Mutex<Option<ScanFound>>) {
    let scan = app.state::<ScanState>();
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
            if let Some(found) = found.lock().unwrap_or_else(PoisonError::into_inner).take() {
                sink.event(CameraEvent::Found { found });
            }
        }
        ScanEnd::Failed(error) => {
            let payload = ShellError::from(error).payload();
            sink.event(CameraEvent::Failed { code: payload.code, message: payload.message });
        }
        ScanEnd::Stopped => {}
    }
}

/// Stops the camera (the dialog closed or the tab changed); returns once the device is closed.
#[tauri::command]
pub async fn stop_camera<R: Runtime>(app: AppHandle<R>) -> ShellResult<()> {
    blocking(move || {
        app.state::<ScanState>().stop_camera();
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests;
