//! Creating, unlocking and locking the vault; its password; restoring a lone previous copy; reporting use for
//! the idle auto-lock.

use tauri::{AppHandle, Manager, Runtime, State};

use crate::error::ShellResult;
use crate::ipc::{RollbackWarning, VaultStatus};
use crate::keyring_unlock;
use crate::state::AppState;
use crate::vault::{self, Opening};

#[tauri::command]
pub fn vault_status(state: State<'_, AppState>) -> VaultStatus {
    state.status()
}

#[tauri::command]
pub async fn create_vault<R: Runtime>(app: AppHandle<R>, password: String) -> ShellResult<Option<RollbackWarning>> {
    vault::open(&app, password, Opening::Create).await
}

/// Unlocks the vault; returns a warning (not an error) when the file is older than the newest this computer saw.
#[tauri::command]
pub async fn unlock_vault<R: Runtime>(app: AppHandle<R>, password: String) -> ShellResult<Option<RollbackWarning>> {
    let warning = vault::open(&app, password, Opening::Unlock).await?;
    // Typing the password renews the keyring unlock when it is on (a fresh key, the N days counted again).
    keyring_unlock::after_password_unlock(&app).await;
    Ok(warning)
}

#[tauri::command]
pub fn lock_vault<R: Runtime>(app: AppHandle<R>) {
    vault::lock(&app);
}

/// The user pressed a key or clicked in the window (the UI sends this at most every few seconds): the idle
/// auto-lock's deadline moves.
#[tauri::command]
pub fn report_activity(state: State<'_, AppState>) {
    state.idle.used();
}

/// Settings → Change password: the current password, then the new one (the UI asks for it twice and rates
/// it); the data key is replaced too, and every keyring slot dropped (the next unlock asks for the password).
#[tauri::command]
pub async fn change_vault_password<R: Runtime>(app: AppHandle<R>, current: String, new: String) -> ShellResult<()> {
    vault::change_password(&app.state::<AppState>(), current, new).await?;
    keyring_unlock::after_password_change(&app).await;
    Ok(())
}

/// The unlock screen's "Restore the previous copy", offered when the vault file is gone (`previous_only`).
#[tauri::command]
pub async fn restore_previous_vault(state: State<'_, AppState>) -> ShellResult<()> {
    vault::restore_previous(&state).await
}
