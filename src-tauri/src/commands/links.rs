//! `otpauth://` links opened with Twofold: the webview takes the one waiting, staged (see `deeplink`).

use tauri::{AppHandle, Runtime};

use crate::deeplink;
use crate::error::ShellResult;
use crate::ipc::ScanFound;

/// The oldest link waiting to be added, staged for confirmation (only its description crosses IPC).
#[tauri::command]
pub fn take_pending_link<R: Runtime>(app: AppHandle<R>) -> ShellResult<Option<ScanFound>> {
    deeplink::take(&app)
}
