//! The optional clock check, run when the webview asks (after unlock, after the setting is turned on).

use tauri::State;

use crate::clock;
use crate::error::ShellResult;
use crate::ipc::ClockCheck;
use crate::state::AppState;

/// Runs a check now when it is turned on (off: `null`).
#[tauri::command]
pub async fn check_clock(state: State<'_, AppState>) -> ShellResult<Option<ClockCheck>> {
    clock::check_now(&state).await
}
