//! Sync verbs: where sync stands, turning it on and off with a folder chosen through the chooser, a round now,
//! and the password of a copy locked with another one (the service is `crate::sync`).

use tauri::{AppHandle, Manager, Runtime};

use crate::dialog;
use crate::error::ShellResult;
use crate::ipc::{Settings, SyncStatusView};
use crate::sync;

#[tauri::command]
pub fn sync_status<R: Runtime>(app: AppHandle<R>) -> SyncStatusView {
    sync::status(&app)
}

/// Turns sync on or off; `folder` is a token from `choose_file` with `sync_folder` (none keeps the folder set
/// before). Turning sync off deletes nothing.
#[tauri::command]
pub async fn set_sync<R: Runtime>(app: AppHandle<R>, enabled: bool, folder: Option<String>) -> ShellResult<Settings> {
    let folder = match folder.filter(|t| !t.trim().is_empty()) {
        Some(token) => Some(app.state::<dialog::Files>().get(token.trim(), dialog::Kind::Folder)?.path),
        None => None,
    };
    sync::configure(&app, enabled, folder).await
}

#[tauri::command]
pub async fn sync_now<R: Runtime>(app: AppHandle<R>) -> SyncStatusView {
    sync::round(&app).await
}

/// The password of a synced copy locked with another one; kept for this session.
#[tauri::command]
pub async fn sync_copy_password<R: Runtime>(app: AppHandle<R>, password: String) -> ShellResult<SyncStatusView> {
    sync::copy_password(&app, password).await
}

/// The person confirmed: this computer's vault takes the synced copy's password (typed again).
#[tauri::command]
pub async fn adopt_sync_password<R: Runtime>(app: AppHandle<R>, password: String) -> ShellResult<SyncStatusView> {
    sync::adopt_password(&app, password).await
}
