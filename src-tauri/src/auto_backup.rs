//! Automatic backups after every change: the vault's saves (through `AppState::notify`) hand the saved
//! contents here, the core's pure [`Schedule`] says when the next backup is due (at once, then at most one a
//! minute while changes keep coming), and a background thread writes it with [`auto::run`] (verified, with
//! rotation) using a [`BackupKey`] derived from the vault password when the vault was unlocked. The status
//! (last success, last failure and its reason) is kept beside the vault and shown by the UI's status line.
//! No commands here: the Backups page's verbs live in `commands::backups`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::time::Duration;

use twofold_core::backup::BackupKey;
use twofold_core::backup::auto::{self, AutoBackupSettings, BackupStatus, Health, Schedule};
use twofold_core::vault::{KdfParams, VaultContents};
use zeroize::Zeroizing;

use crate::ipc::{BackupStatusKind, BackupStatusView, Settings};
use crate::rt::{Guarded, now_s};
use crate::text::{self, Text};

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
    /// Bumped whenever the key is set or forgotten, so a derivation started before (from an old password)
    /// cannot install its key afterwards.
    key_generation: u64,
    /// The contents of the last save not yet backed up.
    snapshot: Option<VaultContents>,
    schedule: Schedule,
    /// Its last failure keeps the reason as a [`Text`] too (`detail`), so the UI words it after a restart.
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
                key_generation: 0,
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
        self.inner.guard()
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

    /// The vault was opened (or created) with `password`: derive the backup key in the background when
    /// automatic backups are on. Its saves arrive through [`changed`](Self::changed).
    pub fn unlocked(self: &Arc<Self>, password: &Zeroizing<String>) {
        let mut inner = self.inner();
        inner.locked = false;
        if inner.config.is_none() || inner.key.is_some() {
            return;
        }
        drop(inner);
        self.derive(password);
    }

    /// The vault was opened through the keyring, with no password: backups have no key until the next
    /// password unlock (the keyring's device key must not be able to seal a backup in the person's name).
    pub fn unlocked_without_password(&self) {
        self.inner().locked = false;
        self.wake.notify_all();
    }

    /// The vault password changed to `password`: backups from now on are sealed with a key derived from it.
    pub fn rekey(self: &Arc<Self>, password: &Zeroizing<String>) {
        self.set_key(None);
        if self.inner().config.is_some() {
            self.derive(password);
        }
    }

    /// Derives the key from `password` on a thread of its own (Argon2); installs it unless the key was set or
    /// forgotten meanwhile.
    fn derive(self: &Arc<Self>, password: &Zeroizing<String>) {
        let mut inner = self.inner();
        inner.deriving = true;
        let generation = inner.key_generation;
        drop(inner);
        let this = Arc::clone(self);
        let password = password.clone();
        let _ = std::thread::Builder::new().name("auto-backup-key".into()).spawn(move || {
            let key = BackupKey::derive(&password, KdfParams::DEFAULT).ok();
            let mut inner = this.inner();
            if inner.key_generation == generation {
                inner.deriving = false;
                inner.key = key;
                inner.key_generation = inner.key_generation.wrapping_add(1);
            }
            drop(inner);
            this.wake.notify_all();
        });
    }

    /// Sets (or forgets) the key automatic backups are sealed with.
    pub fn set_key(&self, key: Option<BackupKey>) {
        let mut inner = self.inner();
        inner.deriving = false;
        inner.key = key;
        inner.key_generation = inner.key_generation.wrapping_add(1);
        drop(inner);
        self.wake.notify_all();
    }

    /// The vault was saved at `now` with `contents`.
    pub fn changed(&self, contents: &VaultContents, now: i64) {
        let mut inner = self.inner();
        // A save that lands after the lock (it was under way) keeps no plaintext here unless its last try can
        // still be made with the key.
        if inner.config.is_none() || (inner.locked && inner.key.is_none()) {
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

    /// The vault was locked: a pending backup gets one last try at once (the background thread makes it), and
    /// then, whether it worked or not, the plaintext contents and the key are forgotten (issue 13 point 6).
    /// With nothing pending they are forgotten now.
    pub fn vault_locked(&self) {
        let mut inner = self.inner();
        inner.locked = true;
        if !inner.schedule.pending() || inner.key.is_none() {
            Self::forget(&mut inner);
        }
        drop(inner);
        self.wake.notify_all();
    }

    /// Drops what a locked vault must not leave behind: the plaintext snapshot, the key and a pending backup.
    fn forget(inner: &mut Inner) {
        inner.key = None;
        inner.key_generation = inner.key_generation.wrapping_add(1);
        inner.deriving = false;
        inner.snapshot = None;
        inner.schedule = Schedule::new();
    }

    /// Writes the pending backup if one is due at `now` (or pending at all, with `force`). Returns whether an
    /// attempt was made. The background thread calls this; tests and quitting call it directly.
    pub fn run_pending(&self, now: i64, force: bool) -> bool {
        let _run = self.runner.guard();
        let (config, key, snapshot, attempt) = {
            let mut inner = self.inner();
            // Locked: the last try is made at once, whatever the schedule says.
            let ready = if force || inner.locked { inner.schedule.pending() } else { inner.schedule.is_due(now) };
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
        if let (Err(error), Some(failure)) = (&result, inner.status.last_failure.as_mut()) {
            failure.detail = serde_json::to_value(text::backup_error(error)).ok();
        }
        if result.is_err() {
            inner.schedule.failed(attempt);
        }
        if inner.locked {
            Self::forget(&mut inner);
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
            Some(_) if ready && inner.locked => Duration::ZERO,
            Some(due) if ready => Duration::from_secs(due.saturating_sub(now).clamp(0, 60) as u64),
            _ => Duration::from_secs(60),
        }
    }

    /// Whether a key is ready to seal backups with (tests wait for the background derivation).
    #[cfg(test)]
    pub(crate) fn has_key(&self) -> bool {
        self.inner().key.is_some()
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
        let failure_detail = match &health {
            // A status file from before the detail was kept has only the English words.
            Health::Failed { reason, .. } => Some(
                (inner.status.last_failure.as_ref())
                    .and_then(|f| f.detail.as_ref())
                    .and_then(Text::from_stored)
                    .unwrap_or_else(|| Text::raw(reason.as_str())),
            ),
            _ => None,
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
        BackupStatusView { enabled, kind, message, last_success, failure, failure_detail, failed_at }
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

#[cfg(test)]
mod tests;
