//! The Import page: another app's export or backup, in the core's two phases. [`choose_import_file`] reads a
//! file (a `dialog` token from the chooser or a drop, or one chosen in the native dialog now) and inspects
//! it; a plain file is converted at once, an encrypted one waits for [`unlock_import_file`]. The file and its
//! accounts are staged in the open vault (`staging::Origin::Import`): the webview sees each entry's
//! description and refers to it by index in [`import_accounts`]. Cancelling, importing and locking drop them
//! (zeroized).

use std::path::Path;

use tauri::{AppHandle, Runtime, State};
use twofold_core::duplicates::KnownKeys;
use twofold_core::import::{self, Cancel, Format, ImportError, ImportReport};
use zeroize::Zeroizing;

use crate::dialog::{self, Purpose};
use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{ImportFileView, ImportOutcome};
use crate::rt::{blocking, now_s};
use crate::staging::{self, ImportFile, Origin, Staged};
use crate::state::AppState;
use crate::text::{self, Key, Text};
use crate::vault;

fn no_pending() -> ShellError {
    ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::NoImport))
}

/// The file's bytes, refusing anything larger than an export can be before reading it. *Slow.*
fn read_file(path: &Path) -> ShellResult<Zeroizing<Vec<u8>>> {
    let unreadable = |e: std::io::Error| ShellError::coded(ErrorCode::Io, text::io_failed("read", path, &e));
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::NotAFile).with("path", path)));
    }
    let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
    if len > import::MAX_FILE_LEN {
        let reason = text::import_error(&ImportError::TooLarge { len, max: import::MAX_FILE_LEN });
        let detail = Text::new(Key::InFile).with("file", path).with("reason", reason);
        return Err(ShellError::coded(ErrorCode::InvalidInput, detail));
    }
    Ok(Zeroizing::new(std::fs::read(path).map_err(unreadable)?))
}

/// Reads `bytes` as `format`; `Ok(None)` when the file turns out to need a password. *Slow.*
fn convert(
    file_name: &str,
    bytes: &[u8],
    format: Format,
    password: Option<&str>,
    now: i64,
    cancel: &Cancel,
) -> ShellResult<Option<ImportReport>> {
    match import::import_cancellable(bytes, format, password, now, cancel) {
        Ok(report) => Ok(Some(report)),
        Err(ImportError::PasswordRequired) if password.is_none() => Ok(None),
        Err(error) => Err(ShellError::from_import(file_name, error)),
    }
}

/// The staged import file and its accounts, as the page sees them: what is copied out under the lock (the
/// entries' descriptions and the vault's key prints); [`Described::view`] marks duplicates after releasing it.
fn describe(staged: &Staged, existing: &[twofold_core::Account]) -> ShellResult<Described> {
    let file = staged.import_file().ok_or_else(no_pending)?;
    let shell = file.view(Vec::new());
    Ok(Described { shell, entries: staged.unmarked(), known: staging::known_keys(existing) })
}

/// [`describe`]'s result.
struct Described {
    shell: ImportFileView,
    entries: staging::Unmarked,
    known: KnownKeys<String>,
}

impl Described {
    fn view(self) -> ImportFileView {
        let Described { mut shell, entries, known } = self;
        if let Some(preview) = &mut shell.preview {
            preview.entries = entries.mark(&known);
        }
        shell
    }
}

/// Reads and inspects a file to import: `file` (a token from a drop or `choose_file`) if given, else the one
/// the user picks in the native dialog (`None` when the dialog is cancelled). A plain file is read at once; an
/// encrypted one waits for [`unlock_import_file`]. Replaces any file chosen before.
#[tauri::command]
pub async fn choose_import_file<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    file: Option<String>,
) -> ShellResult<Option<ImportFileView>> {
    state.with_unlocked(|_| Ok(()))?;
    let Some(chosen) = dialog::resolve(&app, file, Purpose::ImportFile).await? else { return Ok(None) };
    let path = chosen.path;
    let file_name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let now = now_s();
    let name = file_name.clone();
    let (bytes, inspection, report) = blocking(move || {
        let bytes = read_file(&path)?;
        let inspection = import::inspect(&bytes, Some(&name)).map_err(|e| ShellError::from_import(&name, e))?;
        let report = if inspection.encrypted {
            None
        } else {
            convert(&name, &bytes, inspection.format, None, now, &Cancel::new())?
        };
        Ok((bytes, inspection, report))
    })
    .await?;
    let described = state.with_unlocked(move |open| {
        let encrypted = inspection.encrypted || report.is_none();
        let staged = Staged::import(ImportFile::new(file_name, bytes, inspection.format, encrypted), report);
        let described = describe(&staged, open.accounts())?;
        open.staged = Some(staged);
        Ok(described)
    })?;
    Ok(Some(described.view()))
}

/// Decrypts the chosen file with its password. A wrong password is `wrong_password`: the file stays chosen
/// and the user may try again.
#[tauri::command]
pub async fn unlock_import_file(state: State<'_, AppState>, password: String) -> ShellResult<ImportFileView> {
    let password = vault::password(password)?;
    let (token, file_name, bytes, format, cancel) = state.with_unlocked(|open| {
        let file = open.staged.as_ref().and_then(Staged::import_file).ok_or_else(no_pending)?;
        Ok((file.token, file.file_name.clone(), file.bytes.clone(), file.format, file.cancel.clone()))
    })?;
    let now = now_s();
    let name = file_name.clone();
    let report =
        blocking(move || convert(&name, &bytes, format, Some(password.as_str()), now, &cancel)?.ok_or_else(no_pending))
            .await?;
    let described = state.with_unlocked(|open| {
        let staged = open.staged.as_mut().ok_or_else(no_pending)?;
        let Origin::Import(file) = &mut staged.origin else { return Err(no_pending()) };
        if file.token != token {
            return Err(no_pending());
        }
        staged.accounts = file.take_report(report);
        let existing = &open.vault.contents().accounts;
        let staged = open.staged.as_ref().ok_or_else(no_pending)?;
        describe(staged, existing)
    })?;
    Ok(described.view())
}

/// Adds the chosen entries (indices into the preview) to the vault and drops the staged file.
#[tauri::command]
pub async fn import_accounts(state: State<'_, AppState>, indices: Vec<u32>) -> ShellResult<ImportOutcome> {
    let (chosen, outcome) = state.with_unlocked(|open| {
        let staged = open.staged.as_ref().ok_or_else(no_pending)?;
        let file = staged.import_file().ok_or_else(no_pending)?;
        if !file.read {
            return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::GiveFilePassword)));
        }
        if let Some(bad) = indices.iter().find(|&&i| i as usize >= staged.accounts.len()) {
            return Err(ShellError::coded(
                ErrorCode::InvalidInput,
                Text::new(Key::NoEntryNumber).with("number", (u64::from(*bad) + 1).to_string()),
            ));
        }
        if indices.is_empty() {
            return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::ChooseAtLeastOne)));
        }
        let views = staged.views(open.accounts());
        let wanted: std::collections::HashSet<u32> = indices.iter().copied().collect();
        let mut outcome = ImportOutcome {
            added: Vec::new(),
            skipped_duplicates: Vec::new(),
            left_out: 0,
            problems: file.problems.clone(),
            warnings: Vec::new(),
        };
        for (i, entry) in staged.accounts.iter().enumerate() {
            let name = entry.account.label();
            if wanted.contains(&(i as u32)) {
                outcome.warnings.extend(
                    entry
                        .warnings
                        .iter()
                        .map(|w| Text::new(Key::EntryWarning).with("label", name.as_str()).with("warning", w.clone())),
                );
                outcome.added.push(name);
            } else if views[i].duplicate {
                outcome.skipped_duplicates.push(name);
            } else {
                outcome.left_out = outcome.left_out.saturating_add(1);
            }
        }
        let staged = open.staged.take().ok_or_else(no_pending)?;
        Ok((staged.take(&indices)?, outcome))
    })?;
    vault::update_accounts(&state, move |accounts| {
        let copies =
            chosen.iter().map(|s| staging::StagedAccount { account: s.account.clone(), warnings: s.warnings.clone() });
        staging::insert(accounts, copies);
        Ok(())
    })
    .await?;
    Ok(outcome)
}

/// Forgets the chosen file and what was read from it.
#[tauri::command]
pub fn cancel_import(state: State<'_, AppState>) {
    let _ = state.with_unlocked(|open| {
        staging::discard_import(&mut open.staged);
        Ok(())
    });
}
