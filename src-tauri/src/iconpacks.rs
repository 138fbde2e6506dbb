//! The icon packs service (issue 19 point 4): Aegis icon packs imported into `icon-packs/` beside the settings
//! (`twofold_core::iconpack::store`), listed, removed, and matched to accounts by their issuer lists. Packs are
//! not secrets and live outside the vault; a pack icon chosen for an account is copied into the account's
//! vault `icon`, so backups and sync carry it. All file work runs on a blocking thread.

use std::path::PathBuf;

use twofold_core::icon::Icon;
use twofold_core::iconpack::store::{ExactIndex, PackStore, StoredPack, suggestions};
use twofold_core::iconpack::{self, PackError};
use uuid::Uuid;

use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{AccountPackIcon, IconPackImport, IconPackView, PackIconView};
use crate::rt::blocking;
use crate::state::AppState;
use crate::text::{self, Key, Text};

/// The folder of imported packs, beside the settings file.
pub const FOLDER: &str = "icon-packs";

/// The store of this app's packs.
pub fn store(state: &AppState) -> PackStore {
    PackStore::new(state.paths.settings.with_file_name(FOLDER))
}

fn shell_error(e: PackError) -> ShellError {
    let code = match e {
        PackError::NotFound(_) => ErrorCode::NotFound,
        PackError::Io { .. } | PackError::StoredDamaged { .. } => ErrorCode::Io,
        _ => ErrorCode::InvalidInput,
    };
    ShellError::coded(code, text::pack_error(&e))
}

fn parse_uuid(pack: &str) -> ShellResult<Uuid> {
    Uuid::parse_str(pack.trim())
        .map_err(|_| ShellError::coded(ErrorCode::NotFound, Text::new(Key::PackNotFound).with("uuid", pack.to_owned())))
}

/// Reads the pack file at `path` and stores it, replacing a pack with the same uuid. A file that is not a pack
/// we accept is an `IconPackImport::Refused` with the core's code, not an error.
pub async fn import_file(store: PackStore, path: PathBuf) -> ShellResult<IconPackImport> {
    blocking(move || {
        let refused =
            |e: PackError| IconPackImport::Refused { reason: e.code().to_owned(), detail: text::pack_error(&e) };
        let unreadable = |e: std::io::Error| ShellError::coded(ErrorCode::Io, text::io_failed("read", &path, &e));
        let size = std::fs::metadata(&path).map_err(unreadable)?.len();
        if size > iconpack::MAX_PACK_FILE as u64 {
            return Ok(refused(PackError::FileTooLarge));
        }
        let bytes = std::fs::read(&path).map_err(unreadable)?;
        let pack = match iconpack::parse(&bytes) {
            Ok(pack) => pack,
            Err(e) => return Ok(refused(e)),
        };
        drop(bytes);
        let replaced = store.save(&pack).map_err(shell_error)?;
        let stored = store.list().map_err(shell_error)?;
        let view = stored.iter().find(|p| p.uuid == pack.uuid).map(IconPackView::from).ok_or_else(|| {
            ShellError::coded(ErrorCode::Io, Text::new(Key::PackReadBackFailed).with("name", pack.name))
        })?;
        Ok(IconPackImport::Imported { pack: view, replaced })
    })
    .await
}

/// The imported packs, by name.
pub async fn list(store: PackStore) -> ShellResult<Vec<IconPackView>> {
    blocking(move || Ok(store.list().map_err(shell_error)?.iter().map(IconPackView::from).collect())).await
}

/// Removes a pack and its folder.
pub async fn remove(store: PackStore, pack: String) -> ShellResult<()> {
    let uuid = parse_uuid(&pack)?;
    blocking(move || store.remove(uuid).map_err(shell_error)).await
}

/// Every icon of every pack, those whose issuer list matches `issuer` first (exact matches before partial).
pub async fn icons_for(store: PackStore, issuer: String) -> ShellResult<Vec<PackIconView>> {
    blocking(move || {
        let packs = store.list().map_err(shell_error)?;
        let view = |pack: &StoredPack, icon: &iconpack::store::StoredIcon, matches: bool| PackIconView {
            pack: pack.uuid.to_string(),
            pack_name: pack.name.clone(),
            id: icon.id,
            name: icon.name.clone(),
            matches,
        };
        let found = suggestions(&packs, &issuer);
        let mut out: Vec<PackIconView> = found.iter().map(|s| view(s.pack, s.icon, true)).collect();
        let taken: std::collections::HashSet<(Uuid, u32)> = found.iter().map(|s| (s.pack.uuid, s.icon.id)).collect();
        for pack in &packs {
            for icon in &pack.icons {
                if !taken.contains(&(pack.uuid, icon.id)) {
                    out.push(view(pack, icon, false));
                }
            }
        }
        Ok(out)
    })
    .await
}

/// One pack icon's PNG.
pub async fn icon(store: PackStore, pack: String, id: u32) -> ShellResult<Icon> {
    let uuid = parse_uuid(&pack)?;
    blocking(move || store.icon(uuid, id).map_err(shell_error)).await
}

/// For each account (id, issuer), the first pack icon whose issuer list equals its issuer (an exact match
/// only: a card shows a logo it is sure of; partial matches are offered in Edit).
pub async fn account_matches(store: PackStore, accounts: Vec<(String, String)>) -> ShellResult<Vec<AccountPackIcon>> {
    blocking(move || {
        let packs = store.list().map_err(shell_error)?;
        if packs.is_empty() {
            return Ok(Vec::new());
        }
        let index = ExactIndex::new(&packs);
        Ok(accounts
            .into_iter()
            .filter_map(|(account, issuer)| {
                let (pack, icon) = index.get(&issuer)?;
                Some(AccountPackIcon { account, pack: pack.uuid.to_string(), id: icon.id })
            })
            .collect())
    })
    .await
}
