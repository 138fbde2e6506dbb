//! Settings → "Follow backups from my phone": which folders the vault follows, choosing one (by a `dialog`
//! folder token), its app detected from the files, its backup password (checked by opening the newest backup,
//! then kept inside the vault), on/off, stop, and a round now. The rounds themselves are the `follow` service's.
//! No password goes out; file I/O and key derivations run on blocking threads.

use tauri::{AppHandle, Manager, Runtime, State};
use twofold_core::follow::{self as core, Source};
use twofold_core::import::Format;

use crate::dialog::{self, Kind};
use crate::error::{ShellError, ShellResult};
use crate::ipc::{FollowDetected, FollowRoundView, FollowSourceView};
use crate::rt::blocking;
use crate::state::AppState;
use crate::{follow, vault};

fn parse_id(id: &str) -> ShellResult<uuid::Uuid> {
    uuid::Uuid::parse_str(id.trim()).map_err(|_| ShellError::InvalidInput(format!("no followed folder {id:?}")))
}

fn source_of(state: &AppState, id: uuid::Uuid) -> ShellResult<Source> {
    state.with_unlocked(|open| {
        core::source(open.vault.contents(), id)
            .ok_or_else(|| ShellError::InvalidInput("no such followed folder".into()))
    })
}

/// The folders the open vault follows.
#[tauri::command]
pub fn follow_status(state: State<'_, AppState>) -> ShellResult<Vec<FollowSourceView>> {
    follow::sources(&state)
}

/// Which app's backups the chosen folder holds (from its newest file).
#[tauri::command]
pub async fn detect_follow_folder<R: Runtime>(app: AppHandle<R>, folder: String) -> ShellResult<FollowDetected> {
    let chosen = app.state::<dialog::Files>().get(folder.trim(), Kind::Folder)?;
    blocking(move || {
        let found = core::detect(&chosen.path)?;
        Ok(FollowDetected {
            app: found.app.id().to_string(),
            app_name: core::app_short_name(found.app).to_string(),
            encrypted: found.encrypted,
            file: found.file,
        })
    })
    .await
}

/// Follows the chosen folder (or updates the source already following it): the password is checked against
/// the newest backup first, then kept in the vault; a round follows at once.
#[tauri::command]
pub async fn follow_folder<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    folder: String,
    app_id: String,
    password: Option<String>,
) -> ShellResult<Vec<FollowSourceView>> {
    let chosen = app.state::<dialog::Files>().get(folder.trim(), Kind::Folder)?;
    let format = Format::from_id(&app_id).ok_or_else(|| ShellError::InvalidInput(format!("unknown app {app_id:?}")))?;
    let password = password.filter(|p| !p.is_empty()).map(vault::password).transpose()?;
    let existing = state
        .with_unlocked(|open| Ok(core::sources(open.vault.contents()).into_iter().find(|s| s.folder == chosen.path)))?;
    let mut source = existing.unwrap_or_else(|| Source::new(chosen.path.clone(), format, None));
    source.app = format;
    source.password = password;
    source.password_failed = false;
    source.enabled = true;
    follow::check(source.clone()).await?;
    follow::change_sources(&app, move |c| {
        core::put_source(c, &source);
        Ok(())
    })
    .await
}

/// A new backup password for a followed folder (the phone's was changed), checked against the newest backup.
#[tauri::command]
pub async fn set_follow_password<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    password: String,
) -> ShellResult<Vec<FollowSourceView>> {
    let id = parse_id(&id)?;
    let password = vault::password(password)?;
    let mut source = source_of(&state, id)?;
    source.password = Some(password.clone());
    source.password_failed = false;
    follow::check(source).await?;
    follow::change_sources(&app, move |c| core::set_password(c, id, Some(&password))).await
}

/// Turns following a folder on or off.
#[tauri::command]
pub async fn set_follow_enabled<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: String,
    enabled: bool,
) -> ShellResult<Vec<FollowSourceView>> {
    let id = parse_id(&id)?;
    let mut source = source_of(&state, id)?;
    source.enabled = enabled;
    follow::change_sources(&app, move |c| {
        core::put_source(c, &source);
        Ok(())
    })
    .await
}

/// Stops following a folder: its accounts stay, as ordinary accounts.
#[tauri::command]
pub async fn stop_following<R: Runtime>(app: AppHandle<R>, id: String) -> ShellResult<Vec<FollowSourceView>> {
    let id = parse_id(&id)?;
    follow::change_sources(&app, move |c| {
        core::remove_source(c, id);
        Ok(())
    })
    .await
}

/// Runs a round now and says what it did.
#[tauri::command]
pub async fn follow_now<R: Runtime>(app: AppHandle<R>) -> ShellResult<Vec<FollowRoundView>> {
    follow::round(&app).await
}
