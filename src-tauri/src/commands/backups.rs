//! The Backups page: our own verified backups, testing and restoring them, exports to other apps, and turning
//! automatic backups on or off (the backups themselves are `auto_backup`'s).
//!
//! Every command that reads or writes a file takes an optional `path`; without one the system's file chooser
//! opens from Rust (`dialog::choose`), and a cancelled chooser returns `null`. Nothing secret crosses IPC:
//! passwords come in, counts, names, dates and QR *images* go out.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager, Runtime, State};
use twofold_core::backup::{self, BackupKey, RestoreMode, RestoreStatus, RestoreSummary};
use twofold_core::export::{self, Format, PlaintextAck, Protection};
use twofold_core::vault::KdfParams;

use crate::dialog::{self, Purpose};
use crate::error::{ShellError, ShellResult};
use crate::ipc::{
    BackupDone, BackupInfoView, BackupStatusView, ExportDone, ExportFormatView, RestoreCounts, RestoreItem,
    RestoreItemStatus, RestoreModeView, RestorePreview, Settings, TransferCodeView, TransferView,
};
use crate::rt::{blocking, now_s};
use crate::staging;
use crate::state::AppState;
use crate::vault;

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Writes a file only the owner can read (exports may hold secrets in the clear).
fn write_private(path: &Path, bytes: &[u8]) -> ShellResult<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = options.open(path).and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()));
    result.map_err(|e| ShellError::Io(format!("cannot write {}: {e}", path.display())))
}

fn counts(s: RestoreSummary) -> RestoreCounts {
    RestoreCounts {
        added: count(s.added),
        skipped: count(s.skipped),
        replaced: count(s.replaced),
        removed: count(s.removed),
    }
}

/// Opens the chooser for a backup folder; `null` when cancelled.
#[tauri::command]
pub async fn choose_backup_folder<R: Runtime>(app: AppHandle<R>) -> ShellResult<Option<String>> {
    Ok(dialog::choose(&app, None, Purpose::BackupFolder).await?.map(|p| p.display().to_string()))
}

/// Writes a backup of the vault and reads it back before reporting success. `ownPassword` false: `password`
/// is the vault's (checked); true: the backup's own (the page asks for it twice).
#[tauri::command]
pub async fn backup_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: Option<String>,
    password: String,
    own_password: bool,
) -> ShellResult<Option<BackupDone>> {
    let password = vault::password(password)?;
    if own_password && password.chars().count() < 8 {
        return Err(ShellError::InvalidInput("the backup password must have at least 8 characters".into()));
    }
    if own_password {
        state.with_unlocked(|_| Ok(()))?;
    } else {
        vault::after_password(&state, password.to_string()).await?;
    }
    let Some(path) = dialog::choose(&app, path, Purpose::SaveBackup).await? else { return Ok(None) };
    // The copy is taken only now, after the chooser returned, and only if the vault is still open: a lock
    // while the chooser was up cancels the backup.
    let contents = state.with_unlocked(|open| Ok(open.vault.contents().clone()))?;
    let now = now_s();
    blocking(move || {
        let key = BackupKey::derive(&password, KdfParams::DEFAULT).map_err(ShellError::from)?;
        let info = backup::write_backup(&path, &contents, &key, now).map_err(ShellError::from)?;
        Ok(Some(BackupDone {
            path: path.display().to_string(),
            account_count: count(info.account_count),
            created: info.created.saturating_mul(1000),
        }))
    })
    .await
}

/// Opens a backup and says how many accounts it holds and when it was made; the vault is not touched.
#[tauri::command]
pub async fn check_backup_file<R: Runtime>(
    app: AppHandle<R>,
    path: Option<String>,
    password: String,
) -> ShellResult<Option<BackupInfoView>> {
    let password = vault::password(password)?;
    let Some(path) = dialog::choose(&app, path, Purpose::OpenBackup).await? else { return Ok(None) };
    blocking(move || {
        let info = backup::check_backup(&path, &password).map_err(|e| staging::backup_error(&path, e))?;
        Ok(Some(BackupInfoView {
            path: path.display().to_string(),
            account_count: count(info.account_count),
            created: info.created.saturating_mul(1000),
        }))
    })
    .await
}

/// What restoring a backup would do: each account marked new, duplicate or changed, and the counts of a
/// merge and of a replace. Nothing changes.
#[tauri::command]
pub async fn preview_restore<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: Option<String>,
    password: String,
) -> ShellResult<Option<RestorePreview>> {
    let password = vault::password(password)?;
    let vault = state.with_unlocked(|open| Ok(open.vault.contents().clone()))?;
    let Some(path) = dialog::choose(&app, path, Purpose::OpenBackup).await? else { return Ok(None) };
    blocking(move || {
        let opened = backup::open_backup(&path, &password).map_err(|e| staging::backup_error(&path, e))?;
        let plan = backup::preview(&vault, &opened.contents);
        let items = plan
            .items
            .iter()
            .map(|item| RestoreItem {
                name: item.display_name.clone(),
                status: match item.status {
                    RestoreStatus::New => RestoreItemStatus::New,
                    RestoreStatus::Duplicate { .. } => RestoreItemStatus::Duplicate,
                    RestoreStatus::Changed => RestoreItemStatus::Changed,
                },
            })
            .collect();
        Ok(Some(RestorePreview {
            path: path.display().to_string(),
            created: opened.info.created.saturating_mul(1000),
            items,
            merge: counts(plan.summary(RestoreMode::Merge)),
            replace: counts(plan.summary(RestoreMode::Replace)),
        }))
    })
    .await
}

/// Restores the backup at `path` (as previewed) with merge or replace, and says what it did.
#[tauri::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    path: String,
    password: String,
    mode: RestoreModeView,
) -> ShellResult<RestoreCounts> {
    let password = vault::password(password)?;
    let path = PathBuf::from(path);
    let opened = blocking(move || backup::open_backup(&path, &password).map_err(ShellError::from)).await?;
    let mode = match mode {
        RestoreModeView::Merge => RestoreMode::Merge,
        RestoreModeView::Replace => RestoreMode::Replace,
    };
    let summary = vault::save_with(&state, move |vault| {
        backup::restore_into(vault, &opened.contents, mode).map_err(ShellError::from)
    })
    .await?;
    let _ = state.with_unlocked(|open| {
        open.hotp_shown.clear();
        Ok(())
    });
    Ok(counts(summary))
}

/// Exports every account for another app. `aegis` needs `password` (the export's own); the plain formats need
/// `acknowledged`: the user confirmed that anyone with the file can copy every account.
#[tauri::command]
pub async fn export_accounts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: Option<String>,
    format: ExportFormatView,
    password: Option<String>,
    acknowledged: bool,
) -> ShellResult<Option<ExportDone>> {
    let format = match format {
        ExportFormatView::Aegis => Format::AegisEncrypted,
        ExportFormatView::AegisPlain => Format::AegisPlain,
        ExportFormatView::Otpauth => Format::OtpauthList,
        ExportFormatView::Paper => Format::PaperHtml,
    };
    let password = match (format.is_plaintext(), password) {
        (false, Some(p)) => Some(vault::password(p)?),
        (false, None) => return Err(ShellError::InvalidInput("an encrypted export needs a password".into())),
        (true, _) if !acknowledged => {
            return Err(ShellError::InvalidInput(
                "this export holds every key in the clear: confirm that you understand first".into(),
            ));
        }
        (true, _) => None,
    };
    state.with_unlocked(|_| Ok(()))?;
    let Some(path) = dialog::choose(&app, path, Purpose::SaveExport(format)).await? else { return Ok(None) };
    // The copy is taken only now, after the chooser returned, and only if the vault is still open: a lock
    // while the chooser was up cancels the export.
    let accounts = state.with_unlocked(|open| Ok(open.accounts().to_vec()))?;
    let now = now_s();
    blocking(move || {
        let protection = match &password {
            Some(p) => Protection::Password(p),
            None => Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets()),
        };
        let exported = export::export(&accounts, format, protection, now).map_err(ShellError::from)?;
        write_private(&path, &exported.bytes)?;
        Ok(Some(ExportDone {
            path: path.display().to_string(),
            count: count(exported.count),
            losses: exported.losses.iter().map(|l| format!("{}: {}", l.account, l.kind)).collect(),
        }))
    })
    .await
}

/// Google Authenticator transfer codes as PNG images, after the vault password was typed again.
#[tauri::command]
pub async fn show_transfer_codes(state: State<'_, AppState>, password: String) -> ShellResult<TransferView> {
    let vault = vault::after_password(&state, password).await?;
    blocking(move || {
        let accounts = &vault.contents().accounts;
        let transfer = export::google_transfer(accounts, PlaintextAck::user_accepted_unencrypted_secrets())
            .map_err(ShellError::from)?;
        let name_of = |id| accounts.iter().find(|a| a.id == id).map(|a| a.display_name()).unwrap_or_default();
        let codes = transfer
            .codes
            .iter()
            .map(|code| {
                let png = code.png(6).map_err(ShellError::from)?;
                let image = format!("data:image/png;base64,{}", data_encoding::BASE64.encode(&png));
                Ok(TransferCodeView { image, names: code.accounts.iter().map(|id| name_of(*id)).collect() })
            })
            .collect::<ShellResult<Vec<_>>>()?;
        let skipped = transfer.skipped.iter().map(|s| format!("{} — {}", s.account, s.reason)).collect();
        Ok(TransferView { codes, skipped })
    })
    .await
}

#[tauri::command]
pub fn backup_status(state: State<'_, AppState>) -> BackupStatusView {
    state.backups.status_view()
}

/// Turns automatic backups on (into `folder`, keeping `keep`; the vault password is asked again to seal
/// them) or off. Returns the saved settings. Turning them on makes the first backup at once.
#[tauri::command]
pub async fn set_auto_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    enabled: bool,
    folder: String,
    keep: u32,
    password: Option<String>,
) -> ShellResult<Settings> {
    let change = move |settings: &mut Settings| {
        settings.auto_backup = enabled;
        settings.auto_backup_folder = folder.trim().to_string();
        settings.auto_backup_keep = keep;
        Ok(())
    };
    // Checked before the password is: a folder or count the settings refuse is said first.
    let mut candidate = state.settings();
    change(&mut candidate)?;
    candidate.validate().map_err(ShellError::InvalidInput)?;
    let key = if enabled {
        let password = vault::password(password.unwrap_or_default())?;
        let vault = vault::after_password(&state, password.to_string()).await?;
        let key = blocking(move || BackupKey::derive(&password, KdfParams::DEFAULT).map_err(ShellError::from)).await?;
        Some((key, vault.contents().clone()))
    } else {
        None
    };
    let handle = app.clone();
    let settings = blocking(move || handle.state::<AppState>().replace_settings(change)).await?;
    if let Some((key, contents)) = key {
        state.backups.set_key(Some(key));
        state.backups.request(&contents, now_s());
    }
    Ok(settings)
}
