//! An account's own picture (issue 19 point 3): chosen in Edit with the file chooser, made into a small PNG by
//! the core (`twofold_core::icon`: SVG rasterised in Rust, never sent to the page as markup), kept in the vault,
//! and fetched by the page as a `data:` PNG by the fingerprint `AccountView::icon` names. Reading and decoding
//! the picture run on a blocking thread.

use std::path::Path;

use tauri::{AppHandle, Manager, Runtime, State};
use twofold_core::icon::{self, Icon};

use crate::dialog::{self, Purpose};
use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::rt::blocking;
use crate::state::AppState;
use crate::text;
use crate::vault::{self, find, parse_id};

/// The account's picture as a `data:image/png` URL, or `None` when it has none.
#[tauri::command]
pub fn account_icon(state: State<'_, AppState>, id: String) -> ShellResult<Option<String>> {
    let id = parse_id(&id)?;
    state.with_unlocked(|open| Ok(find(open.accounts(), id)?.icon.as_ref().map(Icon::data_url)))
}

/// Sets the account's picture from an image file: `file` (a token from a drop or `choose_file`) when given,
/// else one chosen in a dialog now. `false` when the dialog was cancelled.
#[tauri::command]
pub async fn set_account_icon<R: Runtime>(app: AppHandle<R>, id: String, file: Option<String>) -> ShellResult<bool> {
    let id = parse_id(&id)?;
    let state = app.state::<AppState>();
    state.with_unlocked(|open| find(open.accounts(), id).map(drop))?;
    let Some(path) = dialog::resolve(&app, file, Purpose::AccountIcon).await?.map(|c| c.path) else {
        return Ok(false);
    };
    let picture = blocking(move || {
        let name = path.file_name().map_or_else(|| "the picture".to_string(), |n| n.to_string_lossy().into_owned());
        let too_large = |len: u64| len > icon::MAX_INPUT as u64;
        let unreadable =
            |e: std::io::Error| ShellError::coded(ErrorCode::Io, text::io_failed("read", Path::new(&name), &e));
        let unusable = |e: &icon::IconError| ShellError::coded(ErrorCode::InvalidInput, text::icon_error(&name, e));
        let size = std::fs::metadata(&path).map_err(unreadable)?.len();
        if too_large(size) {
            return Err(unusable(&icon::IconError::TooLarge));
        }
        let bytes = std::fs::read(&path).map_err(unreadable)?;
        let svg = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg"));
        Icon::from_picture(&bytes, svg).map_err(|e| unusable(&e))
    })
    .await?;
    vault::set_account_icon(&state, id, Some(picture)).await?;
    Ok(true)
}

/// Removes the account's picture: the list shows the service's brand icon or its initial again.
#[tauri::command]
pub async fn remove_account_icon(state: State<'_, AppState>, id: String) -> ShellResult<()> {
    let id = parse_id(&id)?;
    vault::set_account_icon(&state, id, None).await
}
