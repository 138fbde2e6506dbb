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

    /// Issue 13 point 7: a drop reaches the page as a token and a name, never as a path.
    #[test]
    fn drops_reach_the_page_as_tokens() {
        use std::sync::{Arc, Mutex};
        use tauri::Listener as _;
        let h = crate::testing::harness("drops");
        let drop = |paths: &[&str]| {
            let paths = paths.iter().map(PathBuf::from).collect();
            let event = WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, position: Default::default() });
            on_drop(&h.window.as_ref().window(), &event);
        };
        let got: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
        for name in [EVENT_IMPORT_FILE_DROPPED, EVENT_IMAGE_DROPPED] {
            let got = got.clone();
            h._app.listen_any(name, move |e| got.lock().unwrap().push((name.to_string(), e.payload().to_string())));
        }
        drop(&["/home/ann/aegis.json"]);
        assert!(got.lock().unwrap().is_empty(), "nothing is sent while the vault is locked");
        h.invoke("create_vault", serde_json::json!({"password": "correct horse battery"})).unwrap();
        drop(&["/home/ann/aegis.json"]);
        drop(&["/home/ann/shot.png"]);
        let got = got.lock().unwrap().clone();
        assert_eq!(got.len(), 2, "{got:?}");
        let files = h._app.state::<Files>();
        for ((event, payload), (want_event, path)) in got
            .iter()
            .zip([(EVENT_IMPORT_FILE_DROPPED, "/home/ann/aegis.json"), (EVENT_IMAGE_DROPPED, "/home/ann/shot.png")])
        {
            assert_eq!(event, want_event);
            let view: crate::ipc::ChosenFile = serde_json::from_str(payload).unwrap();
            assert_eq!(files.get(&view.token, Kind::Read).unwrap().path, PathBuf::from(path));
            assert!(!view.token.contains('/'), "{payload}");
        }
    }
}
