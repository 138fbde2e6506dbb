//! `AppState`: the vault behind one lock, the settings store, automatic backups, the idle auto-lock's deadline,
//! and who hears of the vault.
//!
//! The vault lock is a plain mutex held only for fast, in-memory work (reading views, applying an edit,
//! taking a save snapshot). Argon2 and file I/O run on blocking threads with the lock released
//! (`vault::save_with` is the one place that saves). This module knows the IPC types, the errors, the
//! services' state types and the core, nothing above them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use twofold_core::AccountId;
use twofold_core::sync::SyncKeys;
use twofold_core::vault::{DeviceId, Vault, VaultContents, VaultStore};
use zeroize::Zeroizing;

use crate::auto_backup::AutoBackups;
use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::idle::IdleClock;
use crate::ipc::{Settings, VaultStatus};
use crate::rt::{self, Guarded};
use crate::seen;
use crate::staging::Staged;

/// The vault as the shell holds it.
pub enum VaultState {
    Locked,
    Unlocked(Box<Unlocked>),
}

/// An open vault and what the session remembers about it. Everything here goes (zeroized) with it on lock.
pub struct Unlocked {
    pub vault: Vault,
    /// The HOTP code last shown per account (the counter has already moved past it).
    pub hotp_shown: HashMap<AccountId, Zeroizing<String>>,
    /// Accounts read from a QR code, a link or a file, waiting for the user's choice.
    pub staged: Option<Staged>,
    /// The keys that open and seal the synced copy (`sync`), made at unlock from the password; no KDF yet.
    pub sync_keys: Option<SyncKeys>,
}

impl Unlocked {
    pub fn new(vault: Vault) -> Self {
        Self { vault, hotp_shown: HashMap::new(), staged: None, sync_keys: None }
    }

    pub fn accounts(&self) -> &[twofold_core::Account] {
        &self.vault.contents().accounts
    }
}

/// What happened to the vault, for those who follow it (the tray menu).
pub enum VaultEvent<'a> {
    Opened,
    Locked,
    Saved(&'a VaultContents),
}

/// Hears every [`VaultEvent`]; called with no lock of ours held.
pub type Listener = Arc<dyn Fn(&VaultEvent<'_>) + Send + Sync>;

/// Where the shell keeps its files.
#[derive(Debug, Clone)]
pub struct Paths {
    pub vault: PathBuf,
    pub settings: PathBuf,
    /// What this computer saw of its vaults (`seen`), beside the settings.
    pub seen: PathBuf,
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
        let seen = vault.with_file_name(seen::FILE_NAME);
        Ok(Self { vault, settings, seen })
    }

    /// Everything in one folder (`--data-dir`): tests and portable use.
    pub fn in_dir(dir: &Path) -> Self {
        Self {
            vault: dir.join(VaultStore::DEFAULT_FILE_NAME),
            settings: dir.join(SETTINGS_FILE),
            seen: dir.join(seen::FILE_NAME),
        }
    }
}

const SETTINGS_FILE: &str = "settings.json";

pub struct AppState {
    pub paths: Paths,
    vault: Mutex<VaultState>,
    /// Orders saves: taken before the vault lock and held across the write, so snapshots land in order.
    save_order: tauri::async_runtime::Mutex<()>,
    settings: Mutex<Settings>,
    /// Held across a settings write and the swap after it, so two changes never interleave.
    settings_writer: Mutex<()>,
    /// Automatic backups (the Backups page's status line reads it).
    pub backups: Arc<AutoBackups>,
    /// The idle auto-lock's deadline (the timer is `session::watch_idle`).
    pub idle: IdleClock,
    /// This computer's id in edit stamps, kept beside the vault (`twofold_core::sync::device`).
    pub device: DeviceId,
    listeners: Mutex<Vec<Listener>>,
}

impl AppState {
    pub fn new(paths: Paths) -> Self {
        let settings = load_settings(&paths.settings);
        let backups = AutoBackups::start(&paths.vault, &settings);
        Self {
            backups,
            idle: IdleClock::new(settings.auto_lock_minutes),
            device: load_device(&paths.vault),
            paths,
            vault: Mutex::new(VaultState::Locked),
            save_order: tauri::async_runtime::Mutex::new(()),
            settings: Mutex::new(settings),
            settings_writer: Mutex::new(()),
            listeners: Mutex::new(Vec::new()),
        }
    }

    /// The vault lock.
    pub fn vault(&self) -> MutexGuard<'_, VaultState> {
        self.vault.guard()
    }

    pub fn status(&self) -> VaultStatus {
        match &*self.vault() {
            VaultState::Unlocked(_) => VaultStatus::Unlocked,
            VaultState::Locked => {
                let store = VaultStore::new(&self.paths.vault);
                if store.exists() {
                    VaultStatus::Locked
                } else if store.only_previous_exists() {
                    VaultStatus::PreviousOnly
                } else {
                    VaultStatus::NoVault
                }
            }
        }
    }

    /// Runs `f` on the open vault, or fails with `Locked`.
    pub fn with_unlocked<T>(&self, f: impl FnOnce(&mut Unlocked) -> ShellResult<T>) -> ShellResult<T> {
        match &mut *self.vault() {
            VaultState::Unlocked(open) => f(open),
            VaultState::Locked => Err(ShellError::Locked),
        }
    }

    /// The save order. Only `vault::save_with` takes it.
    pub(crate) fn save_order(&self) -> &tauri::async_runtime::Mutex<()> {
        &self.save_order
    }

    pub fn settings(&self) -> Settings {
        self.settings.guard().clone()
    }

    /// The only writer of the settings: applies `change` to the current settings, validates the result, writes
    /// it atomically (mode 0600) and only then makes it current; automatic backups follow the new settings.
    /// Nothing changes when `change` or the write fails. Returns the new settings. *Slow* (file I/O).
    pub fn replace_settings(&self, change: impl FnOnce(&mut Settings) -> ShellResult<()>) -> ShellResult<Settings> {
        let _writer = self.settings_writer.guard();
        let mut settings = self.settings();
        change(&mut settings)?;
        settings.validate().map_err(|detail| ShellError::coded(ErrorCode::InvalidInput, detail))?;
        save_settings(&self.paths.settings, &settings)?;
        *self.settings.guard() = settings.clone();
        self.backups.configure(&settings);
        self.idle.set_minutes(settings.auto_lock_minutes);
        Ok(settings)
    }

    /// Adds a listener of vault events.
    pub fn listen(&self, listener: Listener) {
        self.listeners.guard().push(listener);
    }

    /// Tells automatic backups and every listener what happened (called by the vault service, no lock held).
    pub fn notify(&self, event: &VaultEvent<'_>) {
        if let VaultEvent::Saved(contents) = event {
            self.backups.changed(contents, rt::now_s());
        }
        let listeners: Vec<Listener> = self.listeners.guard().clone();
        for listener in listeners {
            listener(event);
        }
    }
}

/// The device id kept beside the vault; a data folder that cannot hold one yet (it is made at the first
/// unlock) gets a random one for this run.
fn load_device(vault: &Path) -> DeviceId {
    let path = twofold_core::sync::device::device_path(vault);
    twofold_core::sync::device::load_or_create(&path).unwrap_or_else(|e| {
        log::warn!("cannot keep this computer's device id: {e}");
        DeviceId::new_random()
    })
}

/// Missing or unreadable settings fall back to the defaults: they hold preferences, nothing to lose.
fn load_settings(path: &Path) -> Settings {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Settings>(&bytes).ok())
        .filter(|s| s.validate().is_ok())
        .unwrap_or_default()
}

/// Writes the settings file atomically (`rt::write_atomic_private`). *Slow.*
fn save_settings(path: &Path, settings: &Settings) -> ShellResult<()> {
    let json = serde_json::to_vec_pretty(settings).map_err(|e| ShellError::Io(e.to_string()))?;
    rt::write_atomic_private(path, &json)
}

#[cfg(test)]
mod tests;
