//! The quick switcher's verbs: hiding the window after a copy, and the shortcut's status for Settings.

use tauri::{AppHandle, Runtime, State};

use crate::error::ShellResult;
use crate::ipc::QuickSwitcherStatus;
use crate::switcher::{self, SwitcherState};

/// Hides the main window (the switcher copied a code, or was closed after the shortcut brought it up).
#[tauri::command]
pub fn hide_window<R: Runtime>(app: AppHandle<R>) -> ShellResult<()> {
    switcher::hide(&app)
}

#[tauri::command]
pub fn quick_switcher_status(state: State<'_, SwitcherState>) -> QuickSwitcherStatus {
    switcher::status(&state)
}
