//! `AppState`: the vault behind one lock, the settings, and what the clipboard holds from us.
//!
//! The vault lock is a plain mutex held only for fast, in-memory work (reading views, applying an edit,
//! taking a save snapshot). Argon2 and file I/O run on blocking threads with the lock released.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use twofold_core::AccountId;
use zeroize::Zeroizing;

use crate::backend::{self, OpenVault};
use crate::error::{ShellError, ShellResult};
use crate::ipc::{Settings, VaultStatus};

/// The vault as the shell holds it.
pub enum VaultState {
    Locked,
    Unlocked(Box<Unlocked>),
}

/// An open vault and what the session remembers about it.
pub struct Unlocked {
    pub vault: OpenVault,
    /// The HOTP code last shown per account (the counter has already moved past it).
    pub hotp_shown: HashMap<AccountId, Zeroizing<String>>,
    /// The file being imported and what was read from it; dropped (zeroized) with the open vault on lock.
    pub import: Option<crate::import::PendingImport>,
}

impl Unlocked {
    pub fn new(vault: OpenVault) -> Self {
        Self { vault, hotp_shown: HashMap::new(), import: None }
    }
}

/// Where the shell keeps its files.
#[derive(Debug, Clone)]
pub struct Paths {
    pub vault: PathBuf,
    pub settings: PathBuf,
}

impl Paths {
    /// The vault `twofold-cli` uses too: `TWOFOLD_VAULT` if set, else the core's default path; the settings
    /// file sits next to it.
    pub fn from_env() -> ShellResult<Self> {
        let vault = match std::env::var_os("TWOFOLD_VAULT") {
            Some(path) => PathBuf::from(path),
            None => twofold_core::vault::VaultStore::default_path()?,
        };
        let settings = vault.with_file_name(SETTINGS_FILE);
        Ok(Self { vault, settings })
    }

    /// Everything in one folder (`--data-dir`): tests and portable use.
    pub fn in_dir(dir: &Path) -> Self {
        Self { vault: dir.join(twofold_core::vault::VaultStore::DEFAULT_FILE_NAME), settings: dir.join(SETTINGS_FILE) }
    }
}

const SETTINGS_FILE: &str = "settings.json";

/// The mark of the last code we put on the clipboard.
#[derive(Default)]
pub struct ClipboardMark {
    /// Bumped on every copy, so an older clear timer knows it has been superseded.
    pub generation: u64,
    pub text: Option<Zeroizing<String>>,
}

pub struct AppState {
    pub paths: Paths,
    vault: Mutex<VaultState>,
    /// Orders saves: taken before the vault lock and held across the write, so snapshots land in order.
    pub save_order: tauri::async_runtime::Mutex<()>,
    pub settings: Mutex<Settings>,
    pub clipboard: Mutex<ClipboardMark>,
    /// Automatic backups (the Backups page's status line reads it).
    pub backups: Arc<crate::backups::AutoBackups>,
}

impl AppState {
    pub fn new(paths: Paths) -> Self {
        let settings = load_settings(&paths.settings);
        let backups = crate::backups::AutoBackups::start(&paths.vault, &settings);
        Self {
            backups,
            paths,
            vault: Mutex::new(VaultState::Locked),
            save_order: tauri::async_runtime::Mutex::new(()),
            settings: Mutex::new(settings),
            clipboard: Mutex::new(ClipboardMark::default()),
        }
    }

    /// The vault lock. A poisoned lock (a panic elsewhere) is recovered: the state is still consistent
    /// because every mutation is a single assignment or push.
    pub fn vault(&self) -> MutexGuard<'_, VaultState> {
        self.vault.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn status(&self) -> VaultStatus {
        match &*self.vault() {
            VaultState::Unlocked(_) => VaultStatus::Unlocked,
            VaultState::Locked if backend::vault_exists(&self.paths.vault) => VaultStatus::Locked,
            VaultState::Locked => VaultStatus::NoVault,
        }
    }

    /// Runs `f` on the open vault, or fails with `Locked`.
    pub fn with_unlocked<T>(&self, f: impl FnOnce(&mut Unlocked) -> ShellResult<T>) -> ShellResult<T> {
        match &mut *self.vault() {
            VaultState::Unlocked(open) => f(open),
            VaultState::Locked => Err(ShellError::Locked),
        }
    }

    pub fn settings(&self) -> Settings {
        self.settings.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn clipboard_mark(&self) -> MutexGuard<'_, ClipboardMark> {
        self.clipboard.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Missing or unreadable settings fall back to the defaults: they hold preferences, nothing to lose.
fn load_settings(path: &Path) -> Settings {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Settings>(&bytes).ok())
        .filter(|s| s.validate().is_ok())
        .unwrap_or_default()
}

/// Writes the settings file (creating its folder). *Slow.*
pub fn save_settings(path: &Path, settings: &Settings) -> ShellResult<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| ShellError::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    let json = serde_json::to_vec_pretty(settings).map_err(|e| ShellError::Io(e.to_string()))?;
    std::fs::write(path, json).map_err(|e| ShellError::Io(format!("cannot write {}: {e}", path.display())))
}
