//! The Backups page: our own verified backups, testing and restoring them, exports to other apps, and turning
//! automatic backups on or off (the backups themselves are `auto_backup`'s).
//!
//! Files are named by `dialog` tokens (`choose_file`), never by paths; without a token the system's file
//! chooser opens from Rust, and a cancelled chooser returns `null`. Whatever takes every key out (a backup, an
//! export, a replacing restore) asks for the vault password again, the check `reveal_secret` makes. Nothing is
//! written over an existing file unless the save dialog asked or the call says `replace` (else `file_exists`).
//! Nothing secret crosses IPC: passwords come in, counts, names, dates and QR *images* go out.

use tauri::{AppHandle, Manager, Runtime, State};
use twofold_core::atomic::{self, Existing};
use twofold_core::backup::{self, BackupKey, RestoreMode, RestoreStatus, RestoreSummary};
use twofold_core::export::{self, PlaintextAck, Protection};
use twofold_core::vault::KdfParams;

use crate::dialog::{self, Chosen, Purpose};
use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{
    BackupDone, BackupInfoView, BackupStatusView, ExportDone, ExportFormatInfo, ExportFormatView, ExportLossView,
    LossKindView, RestoreCounts, RestoreItem, RestoreItemStatus, RestoreModeView, RestorePreview, Settings,
    TransferCodeView, TransferView,
};
use crate::rt::{blocking, now_ms, now_s};
use crate::staging;
use crate::state::AppState;
use crate::text::{self, Key, Text};
use crate::vault;

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn counts(s: RestoreSummary) -> RestoreCounts {
    RestoreCounts {
        added: count(s.added),
        skipped: count(s.skipped),
        replaced: count(s.replaced),
        removed: count(s.removed),
    }
}

/// Replace an existing file when the save dialog already asked or the person answered "Replace".
fn existing(chosen: &Chosen, replace: bool) -> Existing {
    if chosen.replace_confirmed || replace { Existing::Replace } else { Existing::Refuse }
}

/// Writes a backup of the vault and reads it back before reporting success. The vault password is checked
/// first (a backup holds every key); `backupPassword` seals the backup with its own password instead of the
/// vault's (the page asks for it twice). An existing file is replaced only with `replace` (or when the save
/// dialog asked); else the answer is `file_exists`.
#[tauri::command]
pub async fn backup_now<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    file: Option<String>,
    replace: bool,
    vault_password: String,
    backup_password: Option<String>,
) -> ShellResult<Option<BackupDone>> {
    let vault_password = vault::password(vault_password)?;
    let password = match backup_password {
        Some(own) => {
            let own = vault::password(own)?;
            if own.chars().count() < 8 {
                return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::BackupPasswordTooShort)));
            }
            own
        }
        None => vault_password.clone(),
    };
    vault::after_password(&state, vault_password.to_string()).await?;
    let Some(chosen) = dialog::resolve(&app, file, Purpose::SaveBackup).await? else { return Ok(None) };
    atomic::check_destination(&chosen.path, existing(&chosen, replace))?;
    // Taken after the chooser returned: a vault locked meanwhile is not backed up.
    let contents = state.with_unlocked(|open| Ok(open.vault.contents().clone()))?;
    let now = now_s();
    blocking(move || {
        let key = BackupKey::derive(&password, KdfParams::DEFAULT).map_err(ShellError::from)?;
        let info = backup::write_backup_with(&chosen.path, &contents, &key, now, existing(&chosen, replace))
            .map_err(ShellError::from)?;
        Ok(Some(BackupDone {
            path: chosen.path.display().to_string(),
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
    file: Option<String>,
    password: String,
) -> ShellResult<Option<BackupInfoView>> {
    let password = vault::password(password)?;
    let Some(chosen) = dialog::resolve(&app, file, Purpose::OpenBackup).await? else { return Ok(None) };
    blocking(move || {
        let info = backup::check_backup(&chosen.path, &password).map_err(|e| staging::backup_error(&chosen.path, e))?;
        Ok(Some(BackupInfoView {
            path: chosen.path.display().to_string(),
            account_count: count(info.account_count),
            created: info.created.saturating_mul(1000),
        }))
    })
    .await
}

/// What restoring a backup would do: each account marked new, duplicate or changed, and the counts of a
/// merge and of a replace. Nothing changes. The preview names the file by its token for `restore_backup`.
#[tauri::command]
pub async fn preview_restore<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    file: Option<String>,
    password: String,
) -> ShellResult<Option<RestorePreview>> {
    let password = vault::password(password)?;
    state.with_unlocked(|_| Ok(()))?;
    let (token, chosen) = match file.filter(|t| !t.trim().is_empty()) {
        Some(token) => {
            let chosen = app.state::<dialog::Files>().get(token.trim(), dialog::Kind::Read)?;
            (token.trim().to_string(), chosen)
        }
        None => {
            let Some(view) = dialog::choose(&app, Purpose::OpenBackup).await? else { return Ok(None) };
            let chosen = app.state::<dialog::Files>().get(&view.token, dialog::Kind::Read)?;
            (view.token, chosen)
        }
    };
    let vault = state.with_unlocked(|open| Ok(open.vault.contents().clone()))?;
    blocking(move || {
        let opened =
            backup::open_backup(&chosen.path, &password).map_err(|e| staging::backup_error(&chosen.path, e))?;
        let plan = backup::preview(&vault, &opened.contents);
        let items = plan
            .items
            .iter()
            .map(|item| RestoreItem {
                name: item.label.clone(),
                status: match item.status {
                    RestoreStatus::New => RestoreItemStatus::New,
                    RestoreStatus::Duplicate { .. } => RestoreItemStatus::Duplicate,
                    RestoreStatus::Changed => RestoreItemStatus::Changed,
                },
            })
            .collect();
        Ok(Some(RestorePreview {
            file: token,
            path: chosen.path.display().to_string(),
            created: opened.info.created.saturating_mul(1000),
            items,
            merge: counts(plan.summary(RestoreMode::Merge)),
            replace: counts(plan.summary(RestoreMode::Replace)),
        }))
    })
    .await
}

/// Restores the backup `file` (the token of the preview) with merge or replace, and says what it did. A
/// replace can remove every account of the vault, so it asks for the vault password again (`vaultPassword`).
#[tauri::command]
pub async fn restore_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    file: String,
    password: String,
    mode: RestoreModeView,
    vault_password: Option<String>,
) -> ShellResult<RestoreCounts> {
    let password = vault::password(password)?;
    let mode = match mode {
        RestoreModeView::Merge => RestoreMode::Merge,
        RestoreModeView::Replace => RestoreMode::Replace,
    };
    if mode == RestoreMode::Replace {
        vault::after_password(&state, vault_password.unwrap_or_default()).await?;
    }
    let path = app.state::<dialog::Files>().get(file.trim(), dialog::Kind::Read)?.path;
    let opened = blocking(move || backup::open_backup(&path, &password).map_err(ShellError::from)).await?;
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

/// The export formats with what each leaves out and the file name it suggests, for the format choice.
#[tauri::command]
pub fn export_formats() -> Vec<ExportFormatInfo> {
    let today = twofold_core::time::date_utc(now_s());
    ExportFormatView::ALL.iter().map(|f| ExportFormatInfo::new(*f, &today)).collect()
}

/// Exports every account for another app, after the vault password was typed again (`vaultPassword`). `aegis`
/// needs `password` (the export's own); the plain formats need `acknowledged`: the user confirmed that anyone
/// with the file can copy every account. The file is written like a backup (`atomic::write_verified`: temp
/// file 0600, read back and verified, renamed; a symbolic link refused); an existing one is replaced only
/// with `replace` (or when the save dialog asked), else the answer is `file_exists`.
#[tauri::command]
#[allow(clippy::too_many_arguments)] // the IPC verb's named arguments, each one a field the page sends
pub async fn export_accounts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    file: Option<String>,
    replace: bool,
    format: ExportFormatView,
    password: Option<String>,
    vault_password: String,
    acknowledged: bool,
) -> ShellResult<Option<ExportDone>> {
    let view = format;
    let format = format.core();
    let password = match (format.is_plaintext(), password) {
        (false, Some(p)) => Some(vault::password(p)?),
        (false, None) => return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::ExportNeedsPassword))),
        (true, _) if !acknowledged => {
            return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::ExportConfirmPlain)));
        }
        (true, _) => None,
    };
    vault::after_password(&state, vault_password).await?;
    let Some(chosen) = dialog::resolve(&app, file, Purpose::SaveExport(format)).await? else { return Ok(None) };
    let existing = existing(&chosen, replace);
    atomic::check_destination(&chosen.path, existing)?;
    // Taken after the chooser returned: a vault locked meanwhile exports nothing.
    let accounts = state.with_unlocked(|open| Ok(open.accounts().to_vec()))?;
    let now = now_s();
    blocking(move || {
        let protection = match &password {
            Some(p) => Protection::Password(p),
            None => Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets()),
        };
        let exported = export::export(&accounts, format, protection, now).map_err(ShellError::from)?;
        atomic::write_verified(&chosen.path, &exported.bytes, existing, |_, back| {
            export::verify(back, format, protection, &accounts).map(drop).map_err(ShellError::from)
        })?;
        Ok(Some(ExportDone {
            path: chosen.path.display().to_string(),
            format: view,
            count: count(exported.count),
            written: now_ms(),
            leaves_out: format.leaves_out().iter().map(|k| LossKindView::from(*k)).collect(),
            losses: exported
                .losses
                .iter()
                .map(|l| ExportLossView { account: l.account.clone(), kind: l.kind.into() })
                .collect(),
            skipped: exported.skipped.iter().map(text::export_skipped).collect(),
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
        let name_of = |id| accounts.iter().find(|a| a.id == id).map(|a| a.label()).unwrap_or_default();
        let codes = transfer
            .codes
            .iter()
            .map(|code| {
                let png = code.png(6).map_err(ShellError::from)?;
                let image = format!("data:image/png;base64,{}", data_encoding::BASE64.encode(&png));
                Ok(TransferCodeView { image, names: code.accounts.iter().map(|id| name_of(*id)).collect() })
            })
            .collect::<ShellResult<Vec<_>>>()?;
        let skipped = transfer.skipped.iter().map(text::export_skipped).collect();
        Ok(TransferView { codes, skipped })
    })
    .await
}

#[tauri::command]
pub fn backup_status(state: State<'_, AppState>) -> BackupStatusView {
    state.backups.status_view()
}

/// Turns automatic backups on (keeping `keep`; the vault password is asked again to seal them) or off, into
/// the folder `folder` (a token from `choose_file` with `backup_folder`; none keeps the folder set before).
/// Returns the saved settings. Turning them on makes the first backup at once.
#[tauri::command]
pub async fn set_auto_backup<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    enabled: bool,
    folder: Option<String>,
    keep: u32,
    password: Option<String>,
) -> ShellResult<Settings> {
    let folder = match folder.filter(|t| !t.trim().is_empty()) {
        Some(token) => Some(app.state::<dialog::Files>().get(token.trim(), dialog::Kind::Folder)?.path),
        None => None,
    };
    let change = move |settings: &mut Settings| {
        settings.auto_backup = enabled;
        if let Some(folder) = &folder {
            settings.auto_backup_folder = folder.display().to_string();
        }
        settings.auto_backup_keep = keep;
        Ok(())
    };
    // Checked before the password is: a folder or count the settings refuse is said first.
    let mut candidate = state.settings();
    change(&mut candidate)?;
    candidate.validate().map_err(|detail| ShellError::coded(ErrorCode::InvalidInput, detail))?;
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
