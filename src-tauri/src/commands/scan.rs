//! The *Add account* dialog's QR intakes: the webcam (through `camera`), image files, the clipboard and the
//! screen. Every intake stages what it read (`vault::stage`) and the webview gets a [`ScanFound`] that
//! describes it by index; `add_pending` adds the chosen ones.

use std::path::Path;
use std::sync::Arc;

use tauri::ipc::{Channel, InvokeResponseBody};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use twofold_camera::CameraId;
use twofold_core::qr::{self, Payload};

use crate::camera::{self, CameraState, ChannelSink};
use crate::dialog::{self, Purpose};
use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{AddOutcome, CameraEvent, CameraList, ScanFound};
use crate::rt::blocking;
use crate::staging::{self, Origin, Staged, StagedAccount};
use crate::state::AppState;
use crate::text::{self, Key, Param, Text};
use crate::vault;

/// Decodes an RGBA picture (clipboard images, screen captures) and returns its payloads.
fn decode_rgba(width: usize, height: usize, rgba: &[u8]) -> ShellResult<Vec<Payload>> {
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .map(|p| ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8) as u8)
        .collect();
    qr::decode_luma(width, height, width, &luma)
        .map_err(|e| ShellError::coded(ErrorCode::InvalidInput, text::qr_error(&e)))
}

fn stage_payloads(state: &AppState, payloads: &[Payload], what: Param) -> ShellResult<ScanFound> {
    let texts: Vec<&str> = payloads.iter().map(Payload::as_str).collect();
    vault::stage(state, &texts, what)
}

/// Reads the QR codes of an image file and stages them. *Slow.*
fn scan_image_file(state: &AppState, path: &Path) -> ShellResult<ScanFound> {
    if !dialog::is_image(path) {
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::NotAnImage).with("name", name)));
    }
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let payloads = qr::scan_file(path).map_err(|e| ShellError::from_qr(e, name.as_str().into()))?;
    stage_payloads(state, &payloads, name.into())
}

/// Reads the QR codes of an image: `file` (a token from a drop or `choose_file`) when given, else a file
/// chosen in a dialog now. `None` when the dialog was cancelled.
#[tauri::command]
pub async fn scan_image<R: Runtime>(app: AppHandle<R>, file: Option<String>) -> ShellResult<Option<ScanFound>> {
    app.state::<AppState>().with_unlocked(|_| Ok(()))?;
    let Some(path) = dialog::resolve(&app, file, Purpose::QrImage).await?.map(|c| c.path) else { return Ok(None) };
    let handle = app.clone();
    blocking(move || scan_image_file(&handle.state::<AppState>(), &path).map(Some)).await
}

/// Reads the clipboard: an `otpauth://` link as text, or an image holding QR codes.
#[tauri::command]
pub async fn scan_clipboard<R: Runtime>(app: AppHandle<R>) -> ShellResult<ScanFound> {
    let handle = app.clone();
    blocking(move || {
        let state = handle.state::<AppState>();
        let clipboard = handle.clipboard();
        let text = clipboard.read_text().ok().map(zeroize::Zeroizing::new);
        if let Some(text) = text.as_deref().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            if qr::is_authenticator_link(text) {
                return vault::stage(&state, &[text], Text::new(Key::SourceClipboard).into());
            }
        }
        match clipboard.read_image() {
            Ok(image) => {
                let payloads = decode_rgba(image.width() as usize, image.height() as usize, image.rgba())?;
                stage_payloads(&state, &payloads, Text::new(Key::SourceClipboardImage).into())
            }
            Err(_) if text.as_deref().is_some_and(|t| !t.trim().is_empty()) => {
                Err(ShellError::coded(ErrorCode::NotAuthenticator, Text::new(Key::ClipboardNotLink)))
            }
            Err(_) => Err(ShellError::coded(ErrorCode::NoQrCode, Text::new(Key::ClipboardEmpty))),
        }
    })
    .await
}

/// Captures every screen and reads every QR code on them.
#[tauri::command]
pub async fn scan_screen<R: Runtime>(app: AppHandle<R>) -> ShellResult<ScanFound> {
    let handle = app.clone();
    blocking(move || {
        let payloads = capture_screens()?;
        stage_payloads(&handle.state::<AppState>(), &payloads, Text::new(Key::SourceScreen).into())
    })
    .await
}

fn capture_forbidden(reason: impl std::fmt::Display) -> ShellError {
    let wayland = std::env::var_os("WAYLAND_DISPLAY").is_some();
    // The reason is the capture library's own words (English): the sentence around it is ours.
    let key = if wayland { Key::CaptureWayland } else { Key::CaptureFailed };
    ShellError::coded(ErrorCode::CaptureUnavailable, Text::new(key).with("reason", reason.to_string()))
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

/// Adds the staged accounts at `indices` (the others are dropped) and forgets what was staged.
#[tauri::command]
pub async fn add_pending(state: State<'_, AppState>, indices: Vec<u32>) -> ShellResult<Vec<AddOutcome>> {
    let chosen = state.with_unlocked(|open| {
        let scanned =
            matches!(open.staged, Some(Staged { origin: Origin::Scan { .. }, ref accounts }) if !accounts.is_empty());
        if !scanned {
            return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::NothingToAddScan)));
        }
        if let Some(bad) = open.staged.as_ref().and_then(|s| indices.iter().find(|&&i| i as usize >= s.accounts.len()))
        {
            return Err(ShellError::coded(
                ErrorCode::InvalidInput,
                Text::new(Key::NoScannedNumber).with("number", bad.to_string()),
            ));
        }
        let staged = open
            .staged
            .take()
            .ok_or_else(|| ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::NothingToAdd)))?;
        staged.take(&indices).map_err(|_| ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::NoAccountChosen)))
    })?;
    vault::update_accounts(&state, move |list| {
        let copies = chosen.iter().map(|s| StagedAccount { account: s.account.clone(), warnings: Vec::new() });
        Ok(staging::insert(list, copies))
    })
    .await
}

/// Forgets the pending accounts and any partly scanned transfer export (the dialog closed or started over).
#[tauri::command]
pub fn discard_pending(state: State<'_, AppState>) {
    let _ = state.with_unlocked(|open| {
        staging::discard_scan(&mut open.staged);
        Ok(())
    });
}

/// Every camera (the fake one first when configured) and the one to preselect.
#[tauri::command]
pub async fn list_cameras<R: Runtime>(app: AppHandle<R>) -> ShellResult<CameraList> {
    let handle = app.clone();
    blocking(move || {
        let cameras = camera::list(&handle);
        let remembered = handle.state::<AppState>().settings().camera;
        let selected =
            remembered.filter(|r| cameras.iter().any(|c| &c.id == r)).or_else(|| cameras.first().map(|c| c.id.clone()));
        Ok(CameraList { cameras, selected })
    })
    .await
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
    blocking(move || camera::start_scan(&handle, &id, Arc::new(ChannelSink { preview, events }))).await
}

async fn remember_camera<R: Runtime>(app: &AppHandle<R>, camera: &str) -> ShellResult<()> {
    if app.state::<AppState>().settings().camera.as_deref() == Some(camera) {
        return Ok(());
    }
    let (handle, camera) = (app.clone(), camera.to_string());
    blocking(move || {
        handle.state::<AppState>().replace_settings(|settings| {
            settings.camera = Some(camera);
            Ok(())
        })
    })
    .await
    .map(drop)
}

/// Stops the camera (the dialog closed or the tab changed); returns once the device is closed.
#[tauri::command]
pub async fn stop_camera<R: Runtime>(app: AppHandle<R>) -> ShellResult<()> {
    blocking(move || {
        app.state::<CameraState>().stop_camera();
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests;
