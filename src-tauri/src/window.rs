//! The main window: showing it (tray, second launch, links), keeping it out of screen captures, and files
//! dropped on it (exports go to the Import page; images are left to the QR intake in the UI).

use std::path::PathBuf;

use tauri::{AppHandle, Emitter, Manager, Runtime, Window, WindowEvent};

use crate::dialog;
use crate::ipc::{EVENT_IMPORT_FILE_DROPPED, ImportDrop, VaultStatus};
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

/// Sends a dropped export file to the Import page while the vault is open; anything else is left alone.
pub fn on_drop<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event else { return };
    let Some(path) = dropped_import_file(paths) else { return };
    let unlocked = window.try_state::<AppState>().is_some_and(|s| s.status() == VaultStatus::Unlocked);
    if unlocked {
        let _ = window.emit(EVENT_IMPORT_FILE_DROPPED, ImportDrop { path: path.display().to_string() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_of_images_are_left_to_the_qr_intake() {
        let paths = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(dropped_import_file(&paths(&["/a/aegis.json"])), Some(&PathBuf::from("/a/aegis.json")));
        assert_eq!(dropped_import_file(&paths(&["/a/qr.PNG", "/a/b.jpeg", "/c.webp", "/d.gif", "/e.jpg"])), None);
        assert_eq!(
            dropped_import_file(&paths(&["/a/qr.png", "/a/backup.2fas"])),
            Some(&PathBuf::from("/a/backup.2fas"))
        );
        assert_eq!(dropped_import_file(&paths(&["/a/no-extension"])), Some(&PathBuf::from("/a/no-extension")));
        assert_eq!(dropped_import_file(&[]), None);
    }
}
