//! Creating, unlocking and locking the vault.

use tauri::{AppHandle, Runtime, State};

use crate::error::ShellResult;
use crate::ipc::VaultStatus;
use crate::state::AppState;
use crate::vault::{self, Opening};

#[tauri::command]
pub fn vault_status(state: State<'_, AppState>) -> VaultStatus {
    state.status()
}

#[tauri::command]
pub async fn create_vault<R: Runtime>(app: AppHandle<R>, password: String) -> ShellResult<()> {
    vault::open(&app, password, Opening::Create).await
}

#[tauri::command]
pub async fn unlock_vault<R: Runtime>(app: AppHandle<R>, password: String) -> ShellResult<()> {
    vault::open(&app, password, Opening::Unlock).await
}

#[tauri::command]
pub fn lock_vault<R: Runtime>(app: AppHandle<R>) {
    vault::lock(&app);
}
