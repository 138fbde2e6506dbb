//! The main window: showing it (tray, second launch, links), keeping it out of screen captures, and files
//! dropped on it (exports go to the Import page, images to the Add dialog's Image tab), handed to the webview
//! as `dialog` tokens, never as paths.

use std::path::PathBuf;

use tauri::{AppHandle, Emitter, Manager, Runtime, Window, WindowEvent};

use crate::dialog::{self, Files, Kind};
use crate::ipc::{EVENT_IMAGE_DROPPED, EVENT_IMPORT_FILE_DROPPED, VaultStatus};
use crate::state::AppState;

/// Brings the main window back (from hidden, minimized or behind others) and focuses it.
pub fn show<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Asks the platform to keep the windows out of screen captures (a no-op where it cannot).
pub fn apply_content_protection<R: Runtime>(app: &AppHandle<R>, on: bool) {
    for window in app.webview_windows().values() {
        let _ = window.set_content_protected(on);
    }
}

/// The file of a drop that import takes: the first that is not an image.
pub fn dropped_import_file(paths: &[PathBuf]) -> Option<&PathBuf> {
    paths.iter().find(|p| !dialog::is_image(p))
}

/// Sends a dropped export file to the Import page, or a dropped image to the Add dialog, while the vault is
/// open (as a token); anything else is left alone.
pub fn on_drop<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event else { return };
    let unlocked = window.try_state::<AppState>().is_some_and(|s| s.status() == VaultStatus::Unlocked);
    let Some(files) = window.try_state::<Files>() else { return };
    if !unlocked {
        return;
    }
    let (event, path) = match dropped_import_file(paths) {
        Some(path) => (EVENT_IMPORT_FILE_DROPPED, path),
        None => match paths.iter().find(|p| dialog::is_image(p)) {
            Some(path) => (EVENT_IMAGE_DROPPED, path),
            None => return,
        },
    };
    if let Ok(file) = files.register(path.clone(), Kind::Read, false) {
        let _ = window.emit(event, file);
    }
}

#[cfg(test)]
mod tests;
