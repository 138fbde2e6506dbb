//! The one file chooser. Every command that reads or writes a file takes an optional path: a path given (a
//! drop, a test) is used as it is; none, or an empty one, opens the system's chooser from Rust (the webview
//! has no file-system access). A cancelled chooser is `None`.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{Dialog, DialogExt};
use twofold_core::backup;
use twofold_core::export::Format;

use crate::error::{ShellError, ShellResult};
use crate::rt::{blocking, now_s};

/// What a file is chosen for: the chooser's title, filters and suggested name.
#[derive(Debug, Clone, Copy)]
pub enum Purpose {
    /// Another app's export, for the Import page.
    ImportFile,
    /// An image holding QR codes.
    QrImage,
    SaveBackup,
    OpenBackup,
    SaveExport(Format),
    BackupFolder,
}

/// The image files the Image tab and window drops accept (lower-case extensions).
pub const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "webp", "gif"];

/// Whether `path` names an image the QR intake reads (by its extension).
pub fn is_image(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|i| e.eq_ignore_ascii_case(i)))
}

/// `path` when given and not blank, else the file (or folder) the user picks for `purpose`; `None` when the
/// chooser was cancelled. The chooser runs on a blocking thread: it waits for the user.
pub async fn choose<R: Runtime>(
    app: &AppHandle<R>,
    path: Option<String>,
    purpose: Purpose,
) -> ShellResult<Option<PathBuf>> {
    if let Some(path) = path.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()) {
        return Ok(Some(PathBuf::from(path)));
    }
    #[cfg(test)]
    if let Some(chooser) = app.try_state::<TestChooser>() {
        return Ok((chooser.0)());
    }
    if app.try_state::<Dialog<R>>().is_none() {
        return Err(ShellError::NotAvailable("the file chooser"));
    }
    let app = app.clone();
    blocking(move || {
        let mut dialog = app.dialog().file();
        if let Some(window) = app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        let chosen = match purpose {
            Purpose::ImportFile => dialog.set_title("Import accounts from another app").blocking_pick_file(),
            Purpose::QrImage => {
                dialog.set_title("Open a QR code image").add_filter("Images", &IMAGE_EXTENSIONS).blocking_pick_file()
            }
            Purpose::SaveBackup => dialog
                .set_title("Save a Twofold backup")
                .add_filter("Twofold backup", &[backup::BACKUP_EXTENSION])
                .set_file_name(format!(
                    "twofold-{}.{}",
                    twofold_core::time::date_utc(now_s()),
                    backup::BACKUP_EXTENSION
                ))
                .blocking_save_file(),
            Purpose::OpenBackup => dialog
                .set_title("Choose a Twofold backup")
                .add_filter("Twofold backup", &[backup::BACKUP_EXTENSION])
                .blocking_pick_file(),
            Purpose::SaveExport(format) => dialog
                .set_title("Export accounts")
                .set_file_name(format!("twofold-{}.{}", format.name(), format.extension()))
                .blocking_save_file(),
            Purpose::BackupFolder => dialog.set_title("Folder for automatic backups").blocking_pick_folder(),
        };
        chosen.map(|p| p.into_path().map_err(|e| ShellError::Io(format!("cannot open the file: {e}")))).transpose()
    })
    .await
}

/// Stands in for the user at the chooser in tests: what it returns is what they picked (it may lock the vault
/// first, as a user could while the chooser is open).
#[cfg(test)]
pub(crate) struct TestChooser(pub(crate) Box<dyn Fn() -> Option<PathBuf> + Send + Sync>);
