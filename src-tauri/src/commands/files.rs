//! Choosing a file or folder: the system's chooser opens from Rust and the webview gets a token for the
//! answer (its name and full path only to show); every command that reads or writes a file takes the token.

use tauri::{AppHandle, Runtime};

use crate::dialog::{self, Purpose};
use crate::error::ShellResult;
use crate::ipc::{ChosenFile, ExportFormatView, FilePurpose};

/// Opens the chooser for `purpose` (`format`: the export a save is for, which suggests the file name and
/// extension); `null` when it was cancelled.
#[tauri::command]
pub async fn choose_file<R: Runtime>(
    app: AppHandle<R>,
    purpose: FilePurpose,
    format: Option<ExportFormatView>,
) -> ShellResult<Option<ChosenFile>> {
    let purpose = Purpose::from_view(purpose, format.map(ExportFormatView::core))?;
    dialog::choose(&app, purpose).await
}
