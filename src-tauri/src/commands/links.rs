//! `otpauth://` links opened with Twofold: the webview takes the one waiting, staged (see `deeplink`); and
//! Google Authenticator transfer links pasted in the Add dialog, staged like a scanned transfer code.

use tauri::{AppHandle, Runtime, State};

use crate::deeplink;
use crate::error::ShellResult;
use crate::ipc::ScanFound;
use crate::state::AppState;
use crate::text::{Key, Text};
use crate::vault;

/// The oldest link waiting to be added, staged for confirmation (only its description crosses IPC).
#[tauri::command]
pub fn take_pending_link<R: Runtime>(app: AppHandle<R>) -> ShellResult<Option<ScanFound>> {
    deeplink::take(&app)
}

/// Stages a pasted link (an `otpauth-migration://` transfer link holds a batch) through the same path as the
/// Clipboard and Image tabs: the webview picks from the batch and adds with `add_pending`.
#[tauri::command]
pub fn stage_link(state: State<'_, AppState>, link: String) -> ShellResult<ScanFound> {
    vault::stage(&state, &[link.trim()], Text::new(Key::SourcePastedLink).into())
}
