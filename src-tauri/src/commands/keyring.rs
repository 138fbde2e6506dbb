//! The keyring unlock's verbs: its status (unlock screen and Settings), unlocking through it, turning it on
//! (with the password) and off. The rules are in `keyring_unlock`.

use tauri::{AppHandle, Runtime};

use crate::error::ShellResult;
use crate::ipc::{KeyringStatus, KeyringUnlock};
use crate::keyring_unlock;

#[tauri::command]
pub async fn keyring_status<R: Runtime>(app: AppHandle<R>) -> ShellResult<KeyringStatus> {
    keyring_unlock::status(&app).await
}

/// Opens the vault with this computer's keyring; when it cannot, `unlocked` is false and `reason` says why.
#[tauri::command]
pub async fn unlock_with_keyring<R: Runtime>(app: AppHandle<R>) -> ShellResult<KeyringUnlock> {
    keyring_unlock::unlock(&app).await
}

/// Settings → "Unlock with this computer's keyring": on, after the password is typed again.
#[tauri::command]
pub async fn enable_keyring_unlock<R: Runtime>(
    app: AppHandle<R>,
    password: String,
    days: u16,
) -> ShellResult<KeyringStatus> {
    keyring_unlock::enable(&app, password, days).await
}

/// Settings → off: the slot leaves the vault and the item the keyring.
#[tauri::command]
pub async fn disable_keyring_unlock<R: Runtime>(app: AppHandle<R>) -> ShellResult<KeyringStatus> {
    keyring_unlock::disable(&app).await
}
