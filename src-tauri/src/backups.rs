//! The Backups page: our own verified backups, testing and restoring them, exports to other apps, and
//! automatic backups after every change.
//!
//! Every command that reads or writes a file takes an optional `path`; without one it opens the system's file
//! chooser from Rust (the webview has no file-system access), and a cancelled chooser returns `null`.
//! Nothing secret crosses IPC: passwords come in, counts, names, dates and QR *images* go out.
//!
//! [`AutoBackups`] owns automatic backups: the vault's save hook ([`crate::backend::SaveHook`]) hands it the
//! saved contents, the core's pure [`Schedule`] says when the next backup is due (at once, then at most one a
//! minute while changes keep coming), and a background thread writes it with [`auto::run`] (verified, with
//! rotation) using a [`BackupKey`] derived from the vault password when the vault was unlocked. The status
//! (last success, last failure and its reason) is kept beside the vault and shown by the UI's status line.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_dialog::{Dialog, DialogExt};
use ts_rs::TS;
use twofold_core::backup::auto::{self, AutoBackupSettings, BackupStatus, Health, Schedule};
use twofold_core::backup::{self, BackupError, BackupKey, RestoreMode, RestoreStatus, RestoreSummary};
use twofold_core::export::{self, Format, PlaintextAck, Protection};
use twofold_core::vault::{KdfParams, VaultContents};
use zeroize::Zeroizing;

use crate::backend::{self, OpenVault};
use crate::error::{ShellError, ShellResult};
use crate::ipc::Settings;
use crate::state::{self as app_state, AppState};

// ---- IPC types ---------------------------------------------------------------------------------------------

/// A backup that was written and read back.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupDone {
    pub path: String,
    /// How many accounts the backup holds, counted when it was read back.
    pub account_count: u32,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created: i64,
}

/// What a backup file says about itself (after it was opened with its password).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupInfoView {
    pub path: String,
    pub account_count: u32,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created: i64,
}

/// How one backup account relates to the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RestoreItemStatus {
    /// Not in the vault: a restore adds it.
    New,
    /// The vault has the same key already.
    Duplicate,
    /// The vault has this account with another key.
    Changed,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreItem {
    pub name: String,
    pub status: RestoreItemStatus,
}

/// What a restore did, or would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreCounts {
    pub added: u32,
    pub skipped: u32,
    pub replaced: u32,
    pub removed: u32,
}

/// The preview of a restore, before anything changes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestorePreview {
    pub path: String,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created: i64,
    pub items: Vec<RestoreItem>,
    pub merge: RestoreCounts,
    pub replace: RestoreCounts,
}

/// Merge (keep everything in the vault, add what is new) or replace (make the vault the backup).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RestoreModeView {
    Merge,
    Replace,
}

/// The formats the page exports to, by their CLI names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ExportFormatView {
    Aegis,
    AegisPlain,
    Otpauth,
    Paper,
}

/// A verified export file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportDone {
    pub path: String,
    pub count: u32,
    /// Data the format could not carry, one line per account and kind.
    pub losses: Vec<String>,
}

/// One Google Authenticator transfer code, as an image only (the link it holds never crosses IPC as text).
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransferCodeView {
    /// A `data:image/png;base64,…` URL of the QR code.
    pub image: String,
    /// The accounts in this code.
    pub names: Vec<String>,
}

impl std::fmt::Debug for TransferCodeView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransferCodeView").field("image", &"<redacted>").field("names", &self.names).finish()
    }
}

/// Every transfer code, and the accounts Google Authenticator cannot take.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransferView {
    pub codes: Vec<TransferCodeView>,
    /// "Name — reason" per account left out.
    pub skipped: Vec<String>,
}

/// Which sentence the status line shows; the UI words it (through its translation layer) from this and the times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum BackupStatusKind {
    /// Automatic backups are off.
    Off,
    /// On, but the key is gone (e.g. turned on from the settings file): the password must be given again.
    NeedsPassword,
    /// On, and no automatic backup was ever made.
    NeverMade,
    /// The last attempt succeeded at `last_success`.
    Ok,
    /// The last attempt failed at `failed_at` because of `failure`.
    Failed,
}

/// The status line of automatic backups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupStatusView {
    pub enabled: bool,
    pub kind: BackupStatusKind,
    /// Show it as a warning: the last attempt failed, or none was ever made while automatic backups are on.
    pub warning: bool,
    /// One plain sentence.
    pub message: String,
    /// Unix milliseconds of the last good automatic backup.
    #[ts(type = "number | null")]
    pub last_success: Option<i64>,
    /// Why the last attempt failed, if it did.
    pub failure: Option<String>,
    /// Unix milliseconds of the last failed attempt, when it is newer than the last success.
    #[ts(type = "number | null")]
    pub failed_at: Option<i64>,
}

// ---- automatic backups -------------------------------------------------------------------------------------

/// Automatic backups: configuration, key, the latest saved contents, the schedule and the status.
pub struct AutoBackups {
    inner: Mutex<Inner>,
    wake: Condvar,
    /// Held across one whole attempt, so two attempts never overlap.
    runner: Mutex<()>,
    status_path: PathBuf,
}

struct Inner {
    /// `None` while automatic backups are off.
    config: Option<AutoBackupSettings>,
    key: Option<BackupKey>,
    /// A key is being derived from the password the vault was just unlocked with.
    deriving: bool,
    /// The contents of the last save not yet backed up.
    snapshot: Option<VaultContents>,
    schedule: Schedule,
    status: BackupStatus,
    /// The vault is locked: forget the key and contents once nothing is pending.
    locked: bool,
}

fn config_of(settings: &Settings) -> Option<AutoBackupSettings> {
    (settings.auto_backup && !settings.auto_backup_folder.trim().is_empty()).then(|| AutoBackupSettings {
        folder: PathBuf::from(settings.auto_backup_folder.trim()),
        keep: settings.auto_backup_keep.max(1) as usize,
    })
}

impl AutoBackups {
    /// Loads the status kept beside `vault_path` and starts the background thread.
    pub fn start(vault_path: &Path, settings: &Settings) -> Arc<Self> {
        let this = Self::without_thread(vault_path, settings);
        let weak = Arc::downgrade(&this);
        let _ = std::thread::Builder::new().name("auto-backup".into()).spawn(move || worker(weak));
        this
    }

    /// Loads the status; nothing runs until [`run_pending`](Self::run_pending) is called (tests drive time).
    fn without_thread(vault_path: &Path, settings: &Settings) -> Arc<Self> {
        let status_path = BackupStatus::path_beside(vault_path);
        let status = BackupStatus::load(&status_path).unwrap_or_default();
        Arc::new(Self {
            inner: Mutex::new(Inner {
                config: config_of(settings),
                key: None,
                deriving: false,
                snapshot: None,
                schedule: Schedule::new(),
                status,
                locked: true,
            }),
            wake: Condvar::new(),
            runner: Mutex::new(()),
            status_path,
        })
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// New settings: on, off, another folder or count.
    pub fn configure(&self, settings: &Settings) {
        let mut inner = self.inner();
        inner.config = config_of(settings);
        if inner.config.is_none() {
            inner.key = None;
            inner.snapshot = None;
            inner.schedule = Schedule::new();
        }
        drop(inner);
        self.wake.notify_all();
    }

    /// The vault was opened (or created) with `password`: hook its saves, and derive the backup key in the
    /// background when automatic backups are on.
    pub fn attach(self: &Arc<Self>, vault: &mut OpenVault, password: &Zeroizing<String>) {
        let weak = Arc::downgrade(self);
        vault.add_on_save(Arc::new(move |contents: &VaultContents| {
            if let Some(this) = weak.upgrade() {
                this.changed(contents, now_s());
            }
        }));
        let mut inner = self.inner();
        inner.locked = false;
        if inner.config.is_none() || inner.key.is_some() {
            return;
        }
        inner.deriving = true;
        drop(inner);
        let this = Arc::clone(self);
        let password = password.clone();
        let _ = std::thread::Builder::new().name("auto-backup-key".into()).spawn(move || {
            let key = BackupKey::derive(&password, KdfParams::DEFAULT).ok();
            this.set_key(key);
        });
    }

    /// Sets (or forgets) the key automatic backups are sealed with.
    pub fn set_key(&self, key: Option<BackupKey>) {
        let mut inner = self.inner();
        inner.deriving = false;
        inner.key = key;
        drop(inner);
        self.wake.notify_all();
    }

    /// The vault was saved at `now` with `contents`.
    pub fn changed(&self, contents: &VaultContents, now: i64) {
        let mut inner = self.inner();
        if inner.config.is_none() {
            return;
        }
        inner.snapshot = Some(contents.clone());
        inner.schedule.changed(now);
        drop(inner);
        self.wake.notify_all();
    }

    /// Asks for a backup of `contents` as soon as the schedule allows (automatic backups were just turned on).
    pub fn request(&self, contents: &VaultContents, now: i64) {
        self.changed(contents, now);
    }

    /// The vault was locked: the key and contents are forgotten once a pending backup is written.
    pub fn vault_locked(&self) {
        let mut inner = self.inner();
        inner.locked = true;
        if !inner.schedule.pending() {
            inner.key = None;
            inner.snapshot = None;
        }
        drop(inner);
        self.wake.notify_all();
    }

    /// Writes the pending backup if one is due at `now` (or pending at all, with `force`). Returns whether an
    /// attempt was made. The background thread calls this; tests and quitting call it directly.
    pub fn run_pending(&self, now: i64, force: bool) -> bool {
        let _run = self.runner.lock().unwrap_or_else(|p| p.into_inner());
        let (config, key, snapshot, attempt) = {
            let mut inner = self.inner();
            let ready = if force { inner.schedule.pending() } else { inner.schedule.is_due(now) };
            let (Some(config), Some(key), Some(snapshot), true) =
                (inner.config.clone(), inner.key.clone(), inner.snapshot.clone(), ready)
            else {
                return false;
            };
            let attempt = inner.schedule.started(now);
            (config, key, snapshot, attempt)
        };
        let result = auto::run(&config.folder, config.keep, &snapshot, &key, now);
        let mut inner = self.inner();
        inner.status.record(now, &result);
        if result.is_err() {
            inner.schedule.failed(attempt);
        }
        if inner.locked && !inner.schedule.pending() {
            inner.key = None;
            inner.snapshot = None;
        }
        let status = inner.status.clone();
        drop(inner);
        // The status file is a convenience for the next start; the status in memory is what the app shows.
        let _ = status.save(&self.status_path);
        true
    }

    /// How long the background thread may sleep.
    fn sleep_for(inner: &Inner, now: i64) -> Duration {
        let ready = inner.config.is_some() && inner.key.is_some() && inner.snapshot.is_some();
        match inner.schedule.due_at() {
            Some(due) if ready => Duration::from_secs(due.saturating_sub(now).clamp(0, 60) as u64),
            _ => Duration::from_secs(60),
        }
    }

    /// The status line.
    pub fn status_view(&self) -> BackupStatusView {
        let inner = self.inner();
        let enabled = inner.config.is_some();
        let last_success = inner.status.last_success.as_ref().map(|s| s.at.saturating_mul(1000));
        let health = inner.status.health();
        let (failure, failed_at) = match &health {
            Health::Failed { reason, at, .. } => (Some(reason.clone()), Some(at.saturating_mul(1000))),
            _ => (None, None),
        };
        let waiting_for_key =
            enabled && !inner.locked && inner.key.is_none() && !inner.deriving && inner.schedule.pending();
        let (kind, message) = if !enabled {
            (BackupStatusKind::Off, "Automatic backups are off".to_string())
        } else if waiting_for_key {
            (
                BackupStatusKind::NeedsPassword,
                "Automatic backups need the vault password: turn them on again on the Backups page".to_string(),
            )
        } else {
            let kind = match health {
                Health::NeverMade => BackupStatusKind::NeverMade,
                Health::Ok { .. } => BackupStatusKind::Ok,
                Health::Failed { .. } => BackupStatusKind::Failed,
            };
            (kind, capitalize(&inner.status.message()))
        };
        let warning = enabled && kind != BackupStatusKind::Ok;
        BackupStatusView { enabled, kind, warning, message, last_success, failure, failed_at }
    }
}

fn worker(weak: Weak<AutoBackups>) {
    loop {
        let Some(this) = weak.upgrade() else { return };
        this.run_pending(now_s(), false);
        let inner = this.inner();
        let sleep = AutoBackups::sleep_for(&inner, now_s());
        if sleep.is_zero() {
            continue;
        }
        let _ = this.wake.wait_timeout(inner, sleep);
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

// ---- helpers -----------------------------------------------------------------------------------------------

fn now_s() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> ShellResult<T> + Send + 'static) -> ShellResult<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| ShellError::Io(format!("background task failed: {e}")))?
}

fn password(text: String) -> ShellResult<Zeroizing<String>> {
    let text = Zeroizing::new(text);
    if text.is_empty() {
        return Err(ShellError::InvalidInput("the password is empty".into()));
    }
    Ok(text)
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn backup_error(error: BackupError) -> ShellError {
    match error {
        BackupError::WrongPassword => ShellError::WrongPassword,
        BackupError::EmptyPassword => ShellError::InvalidInput("the password is empty".into()),
        BackupError::Io { .. } | BackupError::NotFound { .. } | BackupError::AlreadyExists { .. } => {
            ShellError::Io(error.to_string())
        }
        BackupError::Vault(error) => ShellError::from(error),
        other => ShellError::Vault(other.to_string()),
    }
}

fn export_error(error: export::ExportError) -> ShellError {
    match error {
        export::ExportError::EmptyPassword | export::ExportError::NothingToExport { .. } => {
            ShellError::InvalidInput(error.to_string())
        }
        other => ShellError::Vault(other.to_string()),
    }
}

/// What a file chooser is for.
#[derive(Debug, Clone, Copy)]
enum Choose {
    SaveBackup,
    OpenBackup,
    SaveExport(Format),
    Folder,
}

/// `path` when given, else the system's chooser (on a blocking thread). `None` = cancelled.
async fn path_or_choose<R: Runtime>(
    app: &AppHandle<R>,
    path: Option<String>,
    purpose: Choose,
) -> ShellResult<Option<PathBuf>> {
    if let Some(path) = path.map(|p| p.trim().to_string()).filter(|p| !p.is_empty()) {
        return Ok(Some(PathBuf::from(path)));
    }
    if app.try_state::<Dialog<R>>().is_none() {
        return Err(ShellError::NotAvailable("the file chooser"));
    }
    let app = app.clone();
    blocking(move || {
        let dialog = app.dialog().file();
        let chosen = match purpose {
            Choose::SaveBackup => dialog
                .set_title("Save a Twofold backup")
                .add_filter("Twofold backup", &[backup::BACKUP_EXTENSION])
                .set_file_name(format!(
                    "twofold-{}.{}",
                    twofold_core::time::date_utc(now_s()),
                    backup::BACKUP_EXTENSION
                ))
                .blocking_save_file(),
            Choose::OpenBackup => dialog
                .set_title("Choose a Twofold backup")
                .add_filter("Twofold backup", &[backup::BACKUP_EXTENSION])
                .blocking_pick_file(),
            Choose::SaveExport(format) => dialog
                .set_title("Export accounts")
                .set_file_name(format!("twofold-{}.{}", format.name(), format.extension()))
                .blocking_save_file(),
            Choose::Folder => dialog.set_title("Folder for automatic backups").blocking_pick_folder(),
        };
        chosen.map(|p| p.into_path().map_err(|e| ShellError::Io(e.to_string()))).transpose()
    })
    .await
}

/// The open vault, after the vault password was typed again.
async fn vault_after_password(state: &AppState, password: Zeroizing<String>) -> ShellResult<OpenVault> {
    let vault = state.with_unlocked(|open| Ok(open.vault.clone()))?;
    blocking(move || backend::check_password(&vault, &password).map(|()| vault)).await
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

// ---- commands ----------------------------------------------------------------------------------------------

/// Opens the chooser for a backup folder; `null` when cancelled.
#[tauri::command]
pub async fn choose_backup_folder<R: Runtime>(app: AppHandle<R>) -> ShellResult<Option<String>> {
    Ok(path_or_choose(&app, None, Choose::Folder).await?.map(|p| p.display().to_string()))
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
    let password = self::password(password)?;
    if own_password && password.chars().count() < 8 {
        return Err(ShellError::InvalidInput("the backup password must have at least 8 characters".into()));
    }
    let contents = if own_password {
        state.with_unlocked(|open| Ok(open.vault.contents().clone()))?
    } else {
        vault_after_password(&state, password.clone()).await?.contents().clone()
    };
    let Some(path) = path_or_choose(&app, path, Choose::SaveBackup).await? else { return Ok(None) };
    let now = now_s();
    blocking(move || {
        let key = BackupKey::derive(&password, KdfParams::DEFAULT).map_err(backup_error)?;
        let info = backup::write_backup(&path, &contents, &key, now).map_err(backup_error)?;
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
    let password = self::password(password)?;
    let Some(path) = path_or_choose(&app, path, Choose::OpenBackup).await? else { return Ok(None) };
    blocking(move || {
        let info = backup::check_backup(&path, &password).map_err(backup_error)?;
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
    let password = self::password(password)?;
    let vault = state.with_unlocked(|open| Ok(open.vault.contents().clone()))?;
    let Some(path) = path_or_choose(&app, path, Choose::OpenBackup).await? else { return Ok(None) };
    blocking(move || {
        let opened = backup::open_backup(&path, &password).map_err(backup_error)?;
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
    let password = self::password(password)?;
    let path = PathBuf::from(path);
    let opened = blocking(move || backup::open_backup(&path, &password).map_err(backup_error)).await?;
    let mode = match mode {
        RestoreModeView::Merge => RestoreMode::Merge,
        RestoreModeView::Replace => RestoreMode::Replace,
    };
    let _order = state.save_order.lock().await;
    let mut vault = state.with_unlocked(|open| Ok(open.vault.clone()))?;
    let (vault, summary) = blocking(move || {
        let summary = backend::restore(&mut vault, &opened.contents, mode)?;
        Ok((vault, summary))
    })
    .await?;
    let _ = state.with_unlocked(|open| {
        open.vault = vault;
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
        (false, Some(p)) => Some(self::password(p)?),
        (false, None) => return Err(ShellError::InvalidInput("an encrypted export needs a password".into())),
        (true, _) if !acknowledged => {
            return Err(ShellError::InvalidInput(
                "this export holds every key in the clear: confirm that you understand first".into(),
            ));
        }
        (true, _) => None,
    };
    let accounts = state.with_unlocked(|open| Ok(open.vault.accounts().to_vec()))?;
    let Some(path) = path_or_choose(&app, path, Choose::SaveExport(format)).await? else { return Ok(None) };
    let now = now_s();
    blocking(move || {
        let protection = match &password {
            Some(p) => Protection::Password(p),
            None => Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets()),
        };
        let exported = export::export(&accounts, format, protection, now).map_err(export_error)?;
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
    let password = self::password(password)?;
    let vault = vault_after_password(&state, password).await?;
    blocking(move || {
        let accounts = vault.accounts();
        let transfer = export::google_transfer(accounts, PlaintextAck::user_accepted_unencrypted_secrets())
            .map_err(export_error)?;
        let name_of = |id| accounts.iter().find(|a| a.id == id).map(|a| a.display_name()).unwrap_or_default();
        let codes = transfer
            .codes
            .iter()
            .map(|code| {
                let png = code.png(6).map_err(export_error)?;
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
pub async fn set_auto_backup(
    state: State<'_, AppState>,
    enabled: bool,
    folder: String,
    keep: u32,
    password: Option<String>,
) -> ShellResult<Settings> {
    let mut settings = state.settings();
    settings.auto_backup = enabled;
    settings.auto_backup_folder = folder.trim().to_string();
    settings.auto_backup_keep = keep;
    settings.validate().map_err(ShellError::InvalidInput)?;
    let key = if enabled {
        let password = self::password(password.unwrap_or_default())?;
        let vault = vault_after_password(&state, password.clone()).await?;
        let key = blocking(move || BackupKey::derive(&password, KdfParams::DEFAULT).map_err(backup_error)).await?;
        Some((key, vault.contents().clone()))
    } else {
        None
    };
    let path = state.paths.settings.clone();
    let to_write = settings.clone();
    blocking(move || app_state::save_settings(&path, &to_write)).await?;
    *state.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings.clone();
    state.backups.configure(&settings);
    if let Some((key, contents)) = key {
        state.backups.set_key(Some(key));
        state.backups.request(&contents, now_s());
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use twofold_core::{Account, OtpParams, Secret};

    fn contents(n: usize) -> VaultContents {
        let mut c = VaultContents::new();
        for i in 0..n {
            let secret = Secret::from_bytes(format!("backup-test-key-{i:04}").into_bytes()).unwrap();
            c.accounts.push(Account::new(format!("Service {i}"), "me", secret, OtpParams::default_totp(), 0));
        }
        c
    }

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("twofold-autobackup-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn settings(folder: &Path) -> Settings {
        Settings { auto_backup: true, auto_backup_folder: folder.display().to_string(), ..Settings::default() }
    }

    fn key() -> BackupKey {
        BackupKey::derive("correct horse battery", KdfParams::MINIMUM).unwrap()
    }

    #[test]
    fn an_unwritable_folder_raises_the_warning_with_the_reason() {
        let dir = temp("unwritable");
        // A folder "inside" a regular file cannot be created, whoever runs the test (root included).
        std::fs::write(dir.join("a-file"), b"x").unwrap();
        let folder = dir.join("a-file").join("backups");
        let auto = AutoBackups::without_thread(&dir.join("twofold.vault"), &settings(&folder));
        auto.set_key(Some(key()));
        auto.changed(&contents(2), 1_000);
        auto.run_pending(1_000, true);
        let status = auto.status_view();
        assert!(status.warning, "{status:?}");
        assert!(status.message.starts_with("Backup failed"), "{status:?}");
        assert_eq!(status.kind, BackupStatusKind::Failed, "{status:?}");
        assert!(status.failed_at.is_some(), "{status:?}");
        let reason = status.failure.unwrap();
        assert!(reason.contains("create the backup folder"), "{reason}");
        assert!(reason.contains("a-file"), "{reason}");
        // The status survives a restart of the app.
        let again = AutoBackups::without_thread(&dir.join("twofold.vault"), &settings(&folder));
        assert!(again.status_view().warning);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_good_folder_gets_verified_backups_coalesced_to_one_a_minute_and_rotated() {
        let dir = temp("good");
        let folder = dir.join("backups");
        let mut s = settings(&folder);
        s.auto_backup_keep = 2;
        let auto = AutoBackups::without_thread(&dir.join("twofold.vault"), &s);
        let on = auto.status_view();
        assert!(on.enabled && on.warning && on.message == "No backup has been made yet", "{on:?}");
        auto.inner().locked = false;
        auto.set_key(Some(key()));
        auto.changed(&contents(1), 1_000);
        assert!(auto.run_pending(1_000, false));
        // Changes keep coming: nothing is due until a minute after the last attempt.
        auto.changed(&contents(2), 1_010);
        auto.changed(&contents(3), 1_020);
        assert!(!auto.run_pending(1_030, false));
        assert!(auto.run_pending(1_060, false));
        auto.changed(&contents(4), 1_200);
        assert!(auto.run_pending(1_200, false));
        let files = auto::list(&folder).unwrap();
        assert_eq!(files.len(), 2, "keep 2: {files:?}");
        let status = auto.status_view();
        assert!(!status.warning, "{status:?}");
        assert_eq!(status.last_success, Some(1_200_000));
        assert!(status.message.starts_with("Last backup 1970-01-01"), "{status:?}");
        let newest = files.iter().max().unwrap();
        let info = backup::check_backup(newest, "correct horse battery").unwrap();
        assert_eq!((info.account_count, info.created), (4, 1_200));
        // Locking forgets the key and the contents once nothing is pending.
        auto.vault_locked();
        assert!(auto.inner().key.is_none() && auto.inner().snapshot.is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn off_means_no_backup_and_no_warning() {
        let dir = temp("off");
        let auto = AutoBackups::without_thread(&dir.join("twofold.vault"), &Settings::default());
        auto.set_key(Some(key()));
        auto.changed(&contents(1), 5);
        assert!(!auto.run_pending(5, true));
        let status = auto.status_view();
        assert_eq!((status.enabled, status.warning), (false, false));
        assert_eq!(status.message, "Automatic backups are off");
        assert!(auto::list(&dir).unwrap().is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
