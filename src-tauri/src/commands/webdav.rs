//! WebDAV sync verbs: the settings as the webview may see them, the Test button, and turning WebDAV sync on
//! and off (the service is `crate::sync::webdav`). The app password only ever travels into the shell.

use tauri::{AppHandle, Runtime};

use crate::error::ShellResult;
use crate::ipc::{SyncStatusView, WebDavCheck, WebDavView};
use crate::sync::webdav;

/// The address and user kept in the vault and whether an app password is set (never the password).
#[tauri::command]
pub fn webdav_settings<R: Runtime>(app: AppHandle<R>) -> ShellResult<WebDavView> {
    webdav::view(&app)
}

/// Tries the server with what was typed (`app_password` null: the one kept in the vault).
#[tauri::command]
pub async fn check_webdav<R: Runtime>(
    app: AppHandle<R>,
    url: String,
    user: String,
    app_password: Option<String>,
) -> ShellResult<WebDavCheck> {
    webdav::check(&app, url, user, app_password).await
}

/// Turns WebDAV sync on (saving the settings in the vault; `app_password` null keeps the one set) or off
/// (deletes nothing), then runs a round.
#[tauri::command]
pub async fn set_webdav_sync<R: Runtime>(
    app: AppHandle<R>,
    enabled: bool,
    url: String,
    user: String,
    app_password: Option<String>,
) -> ShellResult<SyncStatusView> {
    webdav::configure(&app, enabled, url, user, app_password).await
}
