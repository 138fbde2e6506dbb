//! The one file chooser, and the tokens the webview names files by.
//!
//! The webview never names a path. [`choose`] opens the system's chooser from Rust (the webview has no
//! file-system access) and registers the answer in [`Files`] under a random token; a file dropped on the
//! window is registered the same way (`window`). The webview gets a [`ChosenFile`] (token, name, and the full
//! path as text to read) and commands take the token back ([`resolve`]; none opens the chooser). A token is
//! bound to what it was chosen for: a file picked to be read cannot be named as an export's destination.
//!
//! Tests hand paths in two ways, neither reachable from the webview: shell tests call [`Files::register`]
//! directly, and the end-to-end runner starts the app with `--choose-files FILE`: then no system chooser
//! opens and each choice is the first line of FILE, read at that moment (a blank file is a cancelled
//! chooser). Such a typed line goes through `atomic::typed_path`: `~` is the home folder and a relative
//! path is refused.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_dialog::{Dialog, DialogExt};
use twofold_core::atomic;
use twofold_core::backup;
use twofold_core::export::Format;

use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{ChosenFile, FilePurpose};
use crate::rt::{Guarded as _, blocking, now_s};
use crate::text::{self, Key, Text};

/// What a file is chosen for: the chooser's title, filters and suggested name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Another app's export, for the Import page.
    ImportFile,
    /// An image holding QR codes.
    QrImage,
    /// A picture for an account (Edit → Picture).
    AccountIcon,
    /// An Aegis icon pack (Settings → Icon packs).
    IconPack,
    SaveBackup,
    OpenBackup,
    SaveExport(Format),
    BackupFolder,
    FollowFolder,
    SyncFolder,
}

impl Purpose {
    /// The purpose the webview asked for (`format` says which export a save is for).
    pub fn from_view(purpose: FilePurpose, format: Option<Format>) -> ShellResult<Self> {
        Ok(match purpose {
            FilePurpose::ImportFile => Purpose::ImportFile,
            FilePurpose::QrImage => Purpose::QrImage,
            FilePurpose::AccountIcon => Purpose::AccountIcon,
            FilePurpose::SaveBackup => Purpose::SaveBackup,
            FilePurpose::OpenBackup => Purpose::OpenBackup,
            FilePurpose::BackupFolder => Purpose::BackupFolder,
            FilePurpose::FollowFolder => Purpose::FollowFolder,
            FilePurpose::SyncFolder => Purpose::SyncFolder,
            FilePurpose::SaveExport => Purpose::SaveExport(
                format.ok_or_else(|| ShellError::InvalidInput("say which export format the file is for".into()))?,
            ),
        })
    }

    /// What a token chosen for this purpose may be used as.
    pub fn kind(self) -> Kind {
        match self {
            Purpose::ImportFile | Purpose::QrImage | Purpose::AccountIcon | Purpose::IconPack | Purpose::OpenBackup => {
                Kind::Read
            }
            Purpose::SaveBackup | Purpose::SaveExport(_) => Kind::Write,
            Purpose::BackupFolder | Purpose::FollowFolder | Purpose::SyncFolder => Kind::Folder,
        }
    }
}

/// What a chosen path may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A file to read (import, image, backup to test or restore).
    Read,
    /// A file to write (backup, export).
    Write,
    /// A folder (automatic backups).
    Folder,
}

/// A path behind a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    pub path: PathBuf,
    pub kind: Kind,
    /// The system's save dialog asked before this existing file was chosen, so writing replaces it.
    pub replace_confirmed: bool,
}

/// How many tokens are remembered; older ones stop working (a page holds one or two at a time).
const KEPT: usize = 64;

/// The tokens handed to the webview, newest last; and the scripted chooser of a test run.
#[derive(Default)]
pub struct Files {
    chosen: Mutex<VecDeque<(String, Chosen)>>,
    script: OnceLock<PathBuf>,
}

impl Files {
    /// Registers `path` for `kind` and returns what the webview may know of it. Shell tests call this to hand
    /// a path in; the app calls it for chooser answers and drops.
    pub fn register(&self, path: PathBuf, kind: Kind, replace_confirmed: bool) -> ShellResult<ChosenFile> {
        let token = token()?;
        let view = view(&token, &path, replace_confirmed);
        let mut chosen = self.chosen.guard();
        if chosen.len() >= KEPT {
            chosen.pop_front();
        }
        chosen.push_back((token, Chosen { path, kind, replace_confirmed }));
        Ok(view)
    }

    /// The path behind `token`, if it was chosen for `kind`.
    pub fn get(&self, token: &str, kind: Kind) -> ShellResult<Chosen> {
        let chosen = self.chosen.guard();
        let found = chosen.iter().rev().find(|(t, _)| t == token).map(|(_, c)| c.clone());
        match found {
            Some(c) if c.kind == kind => Ok(c),
            Some(_) => Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::FileChoiceOther))),
            None => Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::FileChoiceExpired))),
        }
    }

    /// `--choose-files FILE`: answer every chooser from FILE instead of opening one (end-to-end tests).
    pub fn set_script(&self, file: PathBuf) {
        let _ = self.script.set(file);
    }
}

/// A random token (128 bits, hex): it cannot be guessed, so only a token the shell handed out names a file.
fn token() -> ShellResult<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| ShellError::coded(ErrorCode::Io, Text::new(Key::NoRandom)))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// What the webview sees of a chosen path.
pub fn view(token: &str, path: &Path, replace_confirmed: bool) -> ChosenFile {
    ChosenFile {
        token: token.to_string(),
        name: path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        location: path.display().to_string(),
        replace_confirmed,
    }
}

/// `--choose-files FILE` (or `--choose-files=FILE`): the scripted chooser of the end-to-end tests.
pub fn choose_files_arg(mut args: impl Iterator<Item = String>) -> Result<Option<PathBuf>, String> {
    while let Some(arg) = args.next() {
        if arg == "--choose-files" {
            return args.next().map(|f| Some(f.into())).ok_or_else(|| "--choose-files needs a file".to_string());
        }
        if let Some(file) = arg.strip_prefix("--choose-files=") {
            return Ok(Some(file.into()));
        }
    }
    Ok(None)
}

/// The image files the Image tab and window drops accept (lower-case extensions).
pub const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "webp", "gif"];

/// Whether `path` names an image the QR intake reads (by its extension).
pub fn is_image(path: &std::path::Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|i| e.eq_ignore_ascii_case(i)))
}

/// The path behind `token` when one is given (it must have been chosen for `purpose`'s kind), else the file
/// (or folder) the user picks now; `None` when the chooser was cancelled.
pub async fn resolve<R: Runtime>(
    app: &AppHandle<R>,
    token: Option<String>,
    purpose: Purpose,
) -> ShellResult<Option<Chosen>> {
    let files = app.state::<Files>();
    if let Some(token) = token.filter(|t| !t.trim().is_empty()) {
        return files.get(token.trim(), purpose.kind()).map(Some);
    }
    let Some(view) = choose(app, purpose).await? else { return Ok(None) };
    files.get(&view.token, purpose.kind()).map(Some)
}

/// Opens the chooser for `purpose` (or reads the scripted one) and registers the answer; `None` when the
/// chooser was cancelled. The chooser runs on a blocking thread: it waits for the user.
pub async fn choose<R: Runtime>(app: &AppHandle<R>, purpose: Purpose) -> ShellResult<Option<ChosenFile>> {
    let files = app.state::<Files>();
    #[cfg(test)]
    if let Some(chooser) = app.try_state::<TestChooser>() {
        return (chooser.0)().map(|path| files.register(path, purpose.kind(), false)).transpose();
    }
    let home = app.path().home_dir().ok();
    let chosen = if let Some(script) = files.script.get().cloned() {
        blocking(move || scripted(&script, home.as_deref())).await?.map(|path| (path, false))
    } else {
        system_chooser(app, purpose).await?
    };
    chosen.map(|(path, confirmed)| files.register(path, purpose.kind(), confirmed)).transpose()
}

/// The scripted chooser's answer: the first line of `script`, as a typed path. *Slow* (reads a file).
fn scripted(script: &Path, home: Option<&Path>) -> ShellResult<Option<PathBuf>> {
    let text = std::fs::read_to_string(script)
        .map_err(|e| ShellError::coded(ErrorCode::Io, text::io_failed("read", script, &e)))?;
    let line = text.lines().next().unwrap_or_default();
    if line.trim().is_empty() {
        return Ok(None);
    }
    atomic::typed_path(line, home)
        .map(Some)
        .map_err(|e| ShellError::coded(ErrorCode::InvalidInput, text::typed_path_error(&e)))
}

/// The system's chooser: the path picked and whether a save dialog asked about replacing it.
async fn system_chooser<R: Runtime>(app: &AppHandle<R>, purpose: Purpose) -> ShellResult<Option<(PathBuf, bool)>> {
    if app.try_state::<Dialog<R>>().is_none() {
        return Err(ShellError::NotAvailable("the file chooser"));
    }
    let app = app.clone();
    let today = twofold_core::time::date_utc(now_s());
    blocking(move || {
        let mut dialog = app.dialog().file();
        if let Some(window) = app.get_webview_window("main") {
            dialog = dialog.set_parent(&window);
        }
        let chosen = match purpose {
            Purpose::ImportFile => dialog.set_title("Import accounts from another app").blocking_pick_file(),
            Purpose::QrImage => {
                dialog.set_title("Open a QR code image").add_filter("Images", &IMAGE_EXTENSIONS).blocking_pick_file()
            }
            Purpose::AccountIcon => dialog
                .set_title("Choose a picture for the account")
                .add_filter("Pictures", &["png", "jpg", "jpeg", "webp", "gif", "svg"])
                .blocking_pick_file(),
            Purpose::IconPack => {
                dialog.set_title("Import an Aegis icon pack").add_filter("Icon pack", &["zip"]).blocking_pick_file()
            }
            Purpose::SaveBackup => dialog
                .set_title("Save a Twofold backup")
                .add_filter("Twofold backup", &[backup::BACKUP_EXTENSION])
                .set_file_name(format!("twofold-{today}.{}", backup::BACKUP_EXTENSION))
                .blocking_save_file(),
            Purpose::OpenBackup => dialog
                .set_title("Choose a Twofold backup")
                .add_filter("Twofold backup", &[backup::BACKUP_EXTENSION])
                .blocking_pick_file(),
            Purpose::SaveExport(format) => dialog
                .set_title("Export accounts")
                .add_filter(format.name(), &[format.extension()])
                .set_file_name(format.suggested_file_name(&today))
                .blocking_save_file(),
            Purpose::BackupFolder => dialog.set_title("Folder for automatic backups").blocking_pick_folder(),
            Purpose::FollowFolder => dialog.set_title("Folder where the phone's backups arrive").blocking_pick_folder(),
            Purpose::SyncFolder => dialog.set_title("Folder your sync engine shares").blocking_pick_folder(),
        };
        let saving = purpose.kind() == Kind::Write;
        chosen
            .map(|p| {
                // The system's save dialog asks before it returns an existing file.
                // A chooser may answer with a URL that is no local path (a portal's or a phone's document).
                p.into_path()
                    .map(|p| (p, saving))
                    .map_err(|_| ShellError::coded(ErrorCode::Io, Text::new(Key::FileNotLocal)))
            })
            .transpose()
    })
    .await
}

/// Stands in for the user at the chooser in tests: what it returns is what they picked (it may lock the vault
/// first, as a user could while the chooser is open).
#[cfg(test)]
pub(crate) struct TestChooser(pub(crate) Box<dyn Fn() -> Option<PathBuf> + Send + Sync>);

#[cfg(test)]
mod tests;
