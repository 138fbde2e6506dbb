//! Icon packs in Aegis's format (issue 19 point 4): import one from a file the person chooses (the path stays in
//! the shell), list and remove packs, the pack icons for an account, a pack icon's picture as a `data:` PNG,
//! the pack icon each account without a picture shows, and an account's picture set from a pack icon (copied
//! into the vault like a picture from a file).

use tauri::{AppHandle, Manager, Runtime, State};

use crate::dialog::{self, Purpose};
use crate::error::ShellResult;
use crate::iconpacks;
use crate::ipc::{AccountPackIcon, IconPackImport, IconPackView, PackIconView};
use crate::state::AppState;
use crate::vault::{self, find, parse_id};

/// Imports a pack: `file` (a token) when given, else one chosen in a dialog now.
#[tauri::command]
pub async fn import_icon_pack<R: Runtime>(app: AppHandle<R>, file: Option<String>) -> ShellResult<IconPackImport> {
    let Some(chosen) = dialog::resolve(&app, file, Purpose::IconPack).await? else {
        return Ok(IconPackImport::Cancelled);
    };
    let store = iconpacks::store(&app.state::<AppState>());
    iconpacks::import_file(store, chosen.path).await
}

#[tauri::command]
pub async fn list_icon_packs(state: State<'_, AppState>) -> ShellResult<Vec<IconPackView>> {
    iconpacks::list(iconpacks::store(&state)).await
}

#[tauri::command]
pub async fn remove_icon_pack(state: State<'_, AppState>, pack: String) -> ShellResult<()> {
    iconpacks::remove(iconpacks::store(&state), pack).await
}

/// Every pack icon, those matching the account's issuer first.
#[tauri::command]
pub async fn account_pack_icons(state: State<'_, AppState>, id: String) -> ShellResult<Vec<PackIconView>> {
    let id = parse_id(&id)?;
    let issuer = state.with_unlocked(|open| Ok(find(open.accounts(), id)?.issuer.clone()))?;
    iconpacks::icons_for(iconpacks::store(&state), issuer).await
}

/// A pack icon as a `data:image/png` URL.
#[tauri::command]
pub async fn pack_icon(state: State<'_, AppState>, pack: String, icon: u32) -> ShellResult<String> {
    Ok(iconpacks::icon(iconpacks::store(&state), pack, icon).await?.data_url())
}

/// The pack icon each account without its own picture shows.
#[tauri::command]
pub async fn pack_icon_matches(state: State<'_, AppState>) -> ShellResult<Vec<AccountPackIcon>> {
    let accounts = state.with_unlocked(|open| {
        Ok(open
            .accounts()
            .iter()
            .filter(|a| a.icon.is_none())
            .map(|a| (a.id.to_string(), a.issuer.clone()))
            .collect::<Vec<_>>())
    })?;
    iconpacks::account_matches(iconpacks::store(&state), accounts).await
}

/// Sets the account's picture to a pack icon: its PNG is copied into the vault.
#[tauri::command]
pub async fn set_account_icon_from_pack(
    state: State<'_, AppState>,
    id: String,
    pack: String,
    icon: u32,
) -> ShellResult<()> {
    let id = parse_id(&id)?;
    state.with_unlocked(|open| find(open.accounts(), id).map(drop))?;
    let picture = iconpacks::icon(iconpacks::store(&state), pack, icon).await?;
    vault::set_account_icon(&state, id, Some(picture)).await
}
