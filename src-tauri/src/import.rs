//! Importing another app's export or backup: the IPC verbs of the Import page and the window's file drop.
//!
//! The flow has the core's two phases. [`choose_import_file`] reads a file (the path given, or one chosen in
//! the native dialog opened from here) and inspects it; a plain file is converted at once. An encrypted one
//! waits for [`unlock_import_file`]. The converted accounts stay in the shell, in the pending-import slot of
//! the open vault ([`Unlocked::import`](crate::state::Unlocked)): the webview sees issuer, name and type of
//! each entry and refers to them by index in [`import_accounts`]. The slot (file bytes and decrypted
//! accounts, zeroized on drop) is emptied by [`cancel_import`], after an import, and on lock — locking drops
//! the whole open vault with it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager, Runtime, State, Window, WindowEvent};
use ts_rs::TS;
use twofold_core::import::{self, Format, ImportError, ImportReport};
use zeroize::Zeroizing;

use crate::commands::{blocking, kind_view, mutate_and_save, now_s};
use crate::error::{ShellError, ShellResult};
use crate::ipc::{OtpKindView, VaultStatus};
use crate::state::{AppState, Unlocked};

/// Sent to the webview when a file that is not an image is dropped on the window while the vault is open;
/// the payload is an [`ImportDrop`]. Images are left to the QR-code intake.
pub const EVENT_IMPORT_FILE_DROPPED: &str = "import-file-dropped";

/// A file waiting to be imported. Holds the file's bytes (they may be a plain export) and, once read, the
/// decrypted accounts; both are zeroized when this is dropped.
pub struct PendingImport {
    /// Tells apart files chosen one after the other, so a slow decryption never lands on a newer file.
    token: u64,
    file_name: String,
    bytes: Zeroizing<Vec<u8>>,
    format: Format,
    encrypted: bool,
    report: Option<ImportReport>,
}

// ---- IPC types ---------------------------------------------------------------------------------------------

/// A file chosen for import: which app wrote it and, once it could be read, the preview.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportFileView {
    pub file_name: String,
    /// The app as the user knows it (`Aegis`, `2FAS`…).
    pub app: String,
    /// The format's stable id (`aegis`, `2fas`…).
    pub format: String,
    pub encrypted: bool,
    /// `None` until the file's password has been given (encrypted files).
    pub preview: Option<ImportPreview>,
}

/// What the file holds: one row per account that can be imported, and the entries that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreview {
    pub entries: Vec<ImportEntryView>,
    pub problems: Vec<ImportProblemView>,
}

/// One account of the file: metadata only, never the key.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportEntryView {
    /// What [`import_accounts`] takes to choose this entry.
    pub index: u32,
    pub issuer: String,
    pub name: String,
    pub kind: OtpKindView,
    /// The vault (or an earlier entry of the file) already has this account: unchecked by default.
    pub duplicate: bool,
    /// Remarks to check after importing (an unusual key length).
    pub warnings: Vec<String>,
}

/// An entry that could not be read, named so the user can find it in the other app.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProblemView {
    pub label: String,
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportOutcome {
    /// Names of the accounts added.
    pub added: Vec<String>,
    /// Names of the duplicates that were not imported.
    pub skipped_duplicates: Vec<String>,
    /// How many other accounts were left unchecked.
    pub left_out: u32,
    /// The entries that could not be read, with the reason.
    pub problems: Vec<ImportProblemView>,
    /// Remarks about added accounts (`Issuer (name): …`).
    pub warnings: Vec<String>,
}

/// The payload of [`EVENT_IMPORT_FILE_DROPPED`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportDrop {
    pub path: String,
}

// ---- helpers -----------------------------------------------------------------------------------------------

fn next_token() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn import_error(file_name: &str, error: ImportError) -> ShellError {
    match error {
        ImportError::WrongPassword => ShellError::WrongPassword,
        other => ShellError::InvalidInput(format!("{file_name}: {other}")),
    }
}

fn no_pending() -> ShellError {
    ShellError::InvalidInput("no file is being imported: choose one first".into())
}

/// The file's bytes, refusing anything larger than an export can be before reading it. *Slow.*
fn read_file(path: &Path) -> ShellResult<Zeroizing<Vec<u8>>> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| ShellError::Io(format!("cannot read {shown}: {e}")))?;
    if !meta.is_file() {
        return Err(ShellError::InvalidInput(format!("{shown} is not a file")));
    }
    let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    if len > import::MAX_FILE_LEN {
        return Err(ShellError::InvalidInput(format!(
            "{shown}: {}",
            ImportError::TooLarge { len, max: import::MAX_FILE_LEN }
        )));
    }
    Ok(Zeroizing::new(std::fs::read(path).map_err(|e| ShellError::Io(format!("cannot read {shown}: {e}")))?))
}

/// Opens the native file dialog (on a blocking thread: it waits for the user). `None` when cancelled.
async fn pick_file<R: Runtime>(app: &AppHandle<R>) -> ShellResult<Option<PathBuf>> {
    let dialog = app
        .try_state::<tauri_plugin_dialog::Dialog<R>>()
        .map(|d| d.inner().clone())
        .ok_or(ShellError::NotAvailable("the file dialog"))?;
    let window = app.get_webview_window("main");
    blocking(move || {
        let mut builder = dialog.file().set_title("Import accounts from another app");
        if let Some(window) = &window {
            builder = builder.set_parent(window);
        }
        match builder.blocking_pick_file() {
            None => Ok(None),
            Some(file) => file.into_path().map(Some).map_err(|e| ShellError::Io(format!("cannot open the file: {e}"))),
        }
    })
    .await
}

/// The preview of a read report, duplicates judged against the open vault.
fn preview(open: &Unlocked, report: &ImportReport) -> ImportPreview {
    let duplicates = report.duplicates_of(open.vault.accounts());
    let entries = report
        .accounts
        .iter()
        .enumerate()
        .map(|(i, account)| ImportEntryView {
            index: u32::try_from(i).unwrap_or(u32::MAX),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            kind: kind_view(&account.otp.kind),
            duplicate: duplicates.contains(&i),
            warnings: report.warnings.iter().filter(|w| w.index == i).map(|w| w.warning.to_string()).collect(),
        })
        .collect();
    ImportPreview { entries, problems: problems(report) }
}

fn problems(report: &ImportReport) -> Vec<ImportProblemView> {
    report.problems.iter().map(|p| ImportProblemView { label: p.label.clone(), reason: p.kind.to_string() }).collect()
}

fn file_view(pending: &PendingImport, preview: Option<ImportPreview>) -> ImportFileView {
    ImportFileView {
        file_name: pending.file_name.clone(),
        app: pending.format.app_name().to_string(),
        format: pending.format.id().to_string(),
        encrypted: pending.encrypted,
        preview,
    }
}

/// Reads `bytes` as `format`; `Ok(None)` when the file turns out to need a password.
fn convert(
    file_name: &str,
    bytes: &[u8],
    format: Format,
    password: Option<&str>,
    now: i64,
) -> ShellResult<Option<ImportReport>> {
    match import::import(bytes, format, password, now) {
        Ok(report) => Ok(Some(report)),
        Err(ImportError::PasswordRequired) if password.is_none() => Ok(None),
        Err(error) => Err(import_error(file_name, error)),
    }
}

// ---- commands ----------------------------------------------------------------------------------------------

/// Reads and inspects a file to import: `path` if given (drag and drop, tests), else the one the user picks
/// in the native dialog (`None` when the dialog is cancelled). A plain file is read at once; an encrypted one
/// waits for [`unlock_import_file`]. Replaces any file chosen before.
#[tauri::command]
pub async fn choose_import_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    path: Option<String>,
) -> ShellResult<Option<ImportFileView>> {
    state.with_unlocked(|_| Ok(()))?;
    let path = match path {
        Some(p) if p.trim().is_empty() => return Err(ShellError::InvalidInput("the file path is empty".into())),
        Some(p) => PathBuf::from(p),
        None => match pick_file(&app).await? {
            Some(p) => p,
            None => return Ok(None),
        },
    };
    let file_name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let now = now_s();
    let name = file_name.clone();
    let (bytes, inspection, report) = blocking(move || {
        let bytes = read_file(&path)?;
        let inspection = import::inspect(&bytes, Some(&name)).map_err(|e| import_error(&name, e))?;
        let report = if inspection.encrypted { None } else { convert(&name, &bytes, inspection.format, None, now)? };
        Ok((bytes, inspection, report))
    })
    .await?;
    state.with_unlocked(move |open| {
        let pending = PendingImport {
            token: next_token(),
            file_name,
            bytes,
            format: inspection.format,
            encrypted: inspection.encrypted || report.is_none(),
            report,
        };
        let preview = pending.report.as_ref().map(|r| preview(open, r));
        let view = file_view(&pending, preview);
        open.import = Some(pending);
        Ok(Some(view))
    })
}

/// Decrypts the chosen file with its password. A wrong password is `wrong_password`: the file stays chosen
/// and the user may try again.
#[tauri::command]
pub async fn unlock_import_file(state: State<'_, AppState>, password: String) -> ShellResult<ImportFileView> {
    let password = Zeroizing::new(password);
    if password.is_empty() {
        return Err(ShellError::InvalidInput("the password is empty".into()));
    }
    let (token, file_name, bytes, format) = state.with_unlocked(|open| {
        let pending = open.import.as_ref().ok_or_else(no_pending)?;
        Ok((pending.token, pending.file_name.clone(), pending.bytes.clone(), pending.format))
    })?;
    let now = now_s();
    let name = file_name.clone();
    let report =
        blocking(move || convert(&name, &bytes, format, Some(password.as_str()), now)?.ok_or_else(no_pending)).await?;
    state.with_unlocked(|open| {
        let pending = open.import.as_mut().filter(|p| p.token == token).ok_or_else(no_pending)?;
        pending.report = Some(report);
        let pending = open.import.as_ref().ok_or_else(no_pending)?;
        let preview = pending.report.as_ref().map(|r| preview(open, r));
        Ok(file_view(pending, preview))
    })
}

/// Adds the chosen entries (indices into the preview) to the vault and empties the pending slot.
#[tauri::command]
pub async fn import_accounts(state: State<'_, AppState>, indices: Vec<u32>) -> ShellResult<ImportOutcome> {
    let (token, chosen, outcome) = state.with_unlocked(|open| {
        let pending = open.import.as_ref().ok_or_else(no_pending)?;
        let report =
            pending.report.as_ref().ok_or_else(|| ShellError::InvalidInput("give the file's password first".into()))?;
        let mut picked = vec![false; report.accounts.len()];
        for &i in &indices {
            *picked.get_mut(i as usize).ok_or_else(|| {
                ShellError::InvalidInput(format!("the file has no entry number {}", u64::from(i) + 1))
            })? = true;
        }
        if !picked.contains(&true) {
            return Err(ShellError::InvalidInput("choose at least one account to import".into()));
        }
        let duplicates = report.duplicates_of(open.vault.accounts());
        let mut outcome = ImportOutcome {
            added: Vec::new(),
            skipped_duplicates: Vec::new(),
            left_out: 0,
            problems: problems(report),
            warnings: Vec::new(),
        };
        let mut chosen = Vec::new();
        for (i, account) in report.accounts.iter().enumerate() {
            if picked[i] {
                outcome.added.push(account.display_name());
                outcome.warnings.extend(report.warnings.iter().filter(|w| w.index == i).map(ToString::to_string));
                chosen.push(account.clone());
            } else if duplicates.contains(&i) {
                outcome.skipped_duplicates.push(account.display_name());
            } else {
                outcome.left_out = outcome.left_out.saturating_add(1);
            }
        }
        Ok((pending.token, chosen, outcome))
    })?;
    mutate_and_save(&state, move |accounts| {
        let mut next = accounts.iter().map(|a| a.order).max().map_or(0, |m| m.saturating_add(1));
        for account in &chosen {
            let mut account = account.clone();
            account.order = next;
            next = next.saturating_add(1);
            accounts.push(account);
        }
        Ok(())
    })
    .await?;
    let _ = state.with_unlocked(|open| {
        if open.import.as_ref().is_some_and(|p| p.token == token) {
            open.import = None;
        }
        Ok(())
    });
    Ok(outcome)
}

/// Forgets the chosen file and what was read from it.
#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    let _ = state.with_unlocked(|open| {
        open.import = None;
        Ok(())
    });
}

// ---- drag and drop -----------------------------------------------------------------------------------------

/// Files that are images belong to the QR-code intake, not to import.
fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["png", "jpg", "jpeg", "webp", "gif"].iter().any(|i| e.eq_ignore_ascii_case(i)))
}

/// The file of a drop that import takes: the first that is not an image.
pub fn dropped_import_file(paths: &[PathBuf]) -> Option<&PathBuf> {
    paths.iter().find(|p| !is_image(p))
}

/// Sends a dropped export file to the Import page while the vault is open; anything else is left alone.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event else { return };
    let Some(path) = dropped_import_file(paths) else { return };
    let unlocked = window.try_state::<AppState>().is_some_and(|s| s.status() == VaultStatus::Unlocked);
    if unlocked {
        let _ = window.emit(EVENT_IMPORT_FILE_DROPPED, ImportDrop { path: path.display().to_string() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_of_images_are_left_to_the_qr_intake() {
        let paths = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(dropped_import_file(&paths(&["/a/aegis.json"])), Some(&PathBuf::from("/a/aegis.json")));
        assert_eq!(dropped_import_file(&paths(&["/a/qr.PNG", "/a/b.jpeg", "/c.webp", "/d.gif", "/e.jpg"])), None);
        assert_eq!(
            dropped_import_file(&paths(&["/a/qr.png", "/a/backup.2fas"])),
            Some(&PathBuf::from("/a/backup.2fas"))
        );
        assert_eq!(dropped_import_file(&paths(&["/a/no-extension"])), Some(&PathBuf::from("/a/no-extension")));
        assert_eq!(dropped_import_file(&[]), None);
    }
}
