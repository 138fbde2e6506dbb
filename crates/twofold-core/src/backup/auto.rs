//! Automatic backups: when one is due, writing one into a folder with rotation, and the status to show.
//!
//! The shell owns the timer and the clock; this module decides:
//!
//! * [`Schedule`] (pure): the shell calls [`Schedule::changed`] after every vault save and sleeps until
//!   [`Schedule::due_at`]. The first change after a quiet minute is backed up at once; while changes keep
//!   coming, at most one backup a minute ([`MIN_INTERVAL_SECS`]) covers them. A failed attempt leaves the
//!   changes pending, so the next try is one interval later.
//! * [`run`] writes a verified backup named `twofold-YYYYMMDD-HHMMSS-NN.twofold-backup` (UTC, `NN` a
//!   sequence within the second) into the chosen folder, and only then deletes the oldest such files beyond
//!   `keep` (default [`DEFAULT_KEEP`]). Other files in the folder are never touched.
//! * [`BackupStatus`]: last success and last failure with its reason, kept as a small JSON file beside the
//!   vault (not in the vault: saving the vault would itself be a change to back up). It holds no secret.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::BackupError;
use super::file::{BACKUP_EXTENSION, BackupInfo, BackupKey, write_backup};
use crate::time::{compact_utc, format_utc};
use crate::vault::VaultContents;
use crate::vault::storage::{create_private, sync_folder};

/// Coalescing interval: at most one automatic backup per this many seconds while changes keep coming.
pub const MIN_INTERVAL_SECS: i64 = 60;
/// How many automatic backups are kept by default.
pub const DEFAULT_KEEP: usize = 10;
/// File name prefix of automatic backups.
const PREFIX: &str = "twofold-";

/// The user's choices for automatic backups (the shell stores them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoBackupSettings {
    /// The folder the backups go to.
    pub folder: PathBuf,
    /// How many to keep (at least 1).
    #[serde(default = "default_keep")]
    pub keep: usize,
}

fn default_keep() -> usize {
    DEFAULT_KEEP
}

/// When the next automatic backup is due. Pure: every method takes `now`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Schedule {
    /// Time of the first change no backup has covered yet.
    pending_since: Option<i64>,
    /// Start of the last backup attempt.
    last_attempt: Option<i64>,
}

/// What [`Schedule::started`] took off the schedule, to put back with [`Schedule::failed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "pass it to Schedule::failed if the backup fails"]
pub struct Attempt {
    pending_since: Option<i64>,
}

impl Schedule {
    /// Nothing pending, no attempt yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The vault changed (was saved) at `now`.
    pub fn changed(&mut self, now: i64) {
        self.pending_since = Some(self.pending_since.map_or(now, |t| t.min(now)));
    }

    /// Whether changes are waiting for a backup.
    pub fn pending(&self) -> bool {
        self.pending_since.is_some()
    }

    /// When the next backup should run, or `None` when no change is waiting: the first pending change, but
    /// no sooner than [`MIN_INTERVAL_SECS`] after the previous attempt.
    pub fn due_at(&self) -> Option<i64> {
        let first = self.pending_since?;
        Some(match self.last_attempt {
            Some(last) => first.max(last.saturating_add(MIN_INTERVAL_SECS)),
            None => first,
        })
    }

    /// Whether a backup should run at `now`.
    pub fn is_due(&self, now: i64) -> bool {
        self.due_at().is_some_and(|due| due <= now)
    }

    /// A backup of the current contents starts at `now`: the pending changes are taken as covered. Changes
    /// recorded after this call stay pending for the next backup.
    pub fn started(&mut self, now: i64) -> Attempt {
        self.last_attempt = Some(now);
        Attempt { pending_since: self.pending_since.take() }
    }

    /// The backup started with `attempt` failed: its changes are pending again (retried one interval after
    /// the attempt).
    pub fn failed(&mut self, attempt: Attempt) {
        if let Some(t) = attempt.pending_since {
            self.changed(t);
        }
    }
}

/// What [`run`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoBackupOutcome {
    /// The new, verified backup.
    pub path: PathBuf,
    pub info: BackupInfo,
    /// Older backups deleted by the rotation.
    pub removed: Vec<PathBuf>,
    /// Older backups the rotation could not delete (the new backup is fine; they are retried next time).
    pub not_removed: Vec<PathBuf>,
}

/// Writes a verified backup of `contents` into `folder` (created if missing), then deletes the oldest
/// automatic backups there beyond `keep` (at least 1, the new one). Nothing is deleted unless the new backup
/// was verified.
pub fn run(
    folder: &Path,
    keep: usize,
    contents: &VaultContents,
    key: &BackupKey,
    now: i64,
) -> Result<AutoBackupOutcome, BackupError> {
    fs::create_dir_all(folder).map_err(|e| BackupError::io("create the backup folder", folder, e))?;
    let path = free_name(folder, now)?;
    let info = write_backup(&path, contents, key, now)?;
    let mut removed = Vec::new();
    let mut not_removed = Vec::new();
    let mut older: Vec<PathBuf> = list(folder)?.into_iter().filter(|p| *p != path).collect();
    // Names sort by time. The new file is kept even if a clock set back makes its name sort first.
    older.sort();
    let excess = older.len().saturating_sub(keep.max(1) - 1);
    for old in older.into_iter().take(excess) {
        match fs::remove_file(&old) {
            Ok(()) => removed.push(old),
            Err(_) => not_removed.push(old),
        }
    }
    Ok(AutoBackupOutcome { path, info, removed, not_removed })
}

/// The automatic backups in `folder`, by their exact name pattern, unsorted.
pub fn list(folder: &Path) -> Result<Vec<PathBuf>, BackupError> {
    let entries = fs::read_dir(folder).map_err(|e| BackupError::io("list the backup folder", folder, e))?;
    Ok(entries
        .flatten()
        .filter(|e| e.file_name().to_str().is_some_and(is_auto_name))
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.path())
        .collect())
}

/// `twofold-YYYYMMDD-HHMMSS-NN.twofold-backup`.
fn is_auto_name(name: &str) -> bool {
    let Some(stem) = name.strip_prefix(PREFIX).and_then(|n| n.strip_suffix(BACKUP_EXTENSION)) else {
        return false;
    };
    let b = stem.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 15 => *c == b'-',
            18 => *c == b'.',
            _ => c.is_ascii_digit(),
        })
}

fn free_name(folder: &Path, now: i64) -> Result<PathBuf, BackupError> {
    let stamp = compact_utc(now);
    for seq in 0..100 {
        let path = folder.join(format!("{PREFIX}{stamp}-{seq:02}.{BACKUP_EXTENSION}"));
        if !path.exists() {
            return Ok(path);
        }
    }
    Err(BackupError::AlreadyExists { path: folder.join(format!("{PREFIX}{stamp}-99.{BACKUP_EXTENSION}")) })
}

/// The last success and the last failure of automatic backups. No secret: times, a file name, a count and
/// an error message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupStatus {
    pub last_success: Option<SuccessRecord>,
    pub last_failure: Option<FailureRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuccessRecord {
    /// Unix seconds.
    pub at: i64,
    pub file: PathBuf,
    pub account_count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureRecord {
    /// Unix seconds.
    pub at: i64,
    /// The error, as one line for people (English: the CLI's words).
    pub reason: String,
    /// The same reason as a front end words it (the app's message key and values), kept for it across a
    /// restart; the core never reads it. Absent in files written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<serde_json::Value>,
}

/// What the app's status line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// No automatic backup was ever made (warn).
    NeverMade,
    /// The last attempt succeeded at `at`.
    Ok { at: i64 },
    /// The last attempt failed (warn); `last_success` is the newest good backup, if any.
    Failed { at: i64, reason: String, last_success: Option<i64> },
}

impl BackupStatus {
    /// The status file for the vault at `vault_path`: `NAME.backup-status.json` beside it.
    pub fn path_beside(vault_path: &Path) -> PathBuf {
        let mut name = vault_path.file_name().map(|n| n.to_os_string()).unwrap_or_else(|| "twofold.vault".into());
        name.push(".backup-status.json");
        vault_path.with_file_name(name)
    }

    /// Records the outcome of an attempt at `now`.
    pub fn record(&mut self, now: i64, result: &Result<AutoBackupOutcome, BackupError>) {
        match result {
            Ok(outcome) => {
                self.last_success = Some(SuccessRecord {
                    at: now,
                    file: outcome.path.clone(),
                    account_count: outcome.info.account_count,
                })
            }
            Err(error) => self.last_failure = Some(FailureRecord { at: now, reason: error.to_string(), detail: None }),
        }
    }

    /// Healthy only if the newest attempt succeeded.
    pub fn health(&self) -> Health {
        let success = self.last_success.as_ref().map(|s| s.at);
        match (&self.last_failure, success) {
            (Some(f), s) if s.is_none_or(|s| f.at >= s) => {
                Health::Failed { at: f.at, reason: f.reason.clone(), last_success: s }
            }
            (_, Some(at)) => Health::Ok { at },
            (_, None) => Health::NeverMade,
        }
    }

    /// The status line, plain words.
    pub fn message(&self) -> String {
        match self.health() {
            Health::NeverMade => String::from("no backup has been made yet"),
            Health::Ok { at } => format!("last backup {}", format_utc(at)),
            Health::Failed { at, reason, last_success } => {
                let last = match last_success {
                    Some(s) => format!("last good backup {}", format_utc(s)),
                    None => String::from("no backup has been made yet"),
                };
                format!("backup failed {}: {reason}; {last}", format_utc(at))
            }
        }
    }

    /// Reads the status file; a missing file is an empty status.
    pub fn load(path: &Path) -> Result<Self, BackupError> {
        match fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| BackupError::BadStatus { path: path.into() }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(e) => Err(BackupError::io("read", path, e)),
        }
    }

    /// Writes the status file atomically (temp file, sync, rename, folder sync).
    pub fn save(&self, path: &Path) -> Result<(), BackupError> {
        let bytes = serde_json::to_vec_pretty(self).map_err(|_| BackupError::BadStatus { path: path.into() })?;
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut r = [0u8; 8];
        crate::vault::format::random_fill(&mut r)?;
        let hex: String = r.iter().map(|b| format!("{b:02x}")).collect();
        let temp = folder.join(format!(".backup-status.tmp-{hex}"));
        let result = (|| -> std::io::Result<()> {
            let mut f = create_private(&temp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            fs::rename(&temp, path)?;
            sync_folder(&folder)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result.map_err(|e| BackupError::io("save the backup status to", path, e))
    }
}

/// [`run`], then [`BackupStatus::record`] of its outcome into `status`. Returns the outcome.
pub fn run_recorded(
    settings: &AutoBackupSettings,
    contents: &VaultContents,
    key: &BackupKey,
    now: i64,
    status: &mut BackupStatus,
) -> Result<AutoBackupOutcome, BackupError> {
    let result = run(&settings.folder, settings.keep, contents, key, now);
    status.record(now, &result);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_change_is_due_at_once_then_one_a_minute() {
        let mut s = Schedule::new();
        assert_eq!(s.due_at(), None);
        s.changed(1000);
        assert_eq!(s.due_at(), Some(1000));
        let _ = s.started(1000);
        assert_eq!(s.due_at(), None);
        // Changes keep coming: the next backup waits for the minute to pass.
        s.changed(1010);
        s.changed(1030);
        assert_eq!(s.due_at(), Some(1060));
        assert!(!s.is_due(1059));
        assert!(s.is_due(1060));
        let _ = s.started(1060);
        // A quiet period: the next change is backed up right away.
        s.changed(2000);
        assert_eq!(s.due_at(), Some(2000));
    }

    #[test]
    fn a_failed_attempt_keeps_changes_pending() {
        let mut s = Schedule::new();
        s.changed(100);
        let attempt = s.started(100);
        s.changed(110);
        s.failed(attempt);
        assert_eq!(s.due_at(), Some(160));
        assert!(s.pending());
    }

    #[test]
    fn auto_names() {
        assert!(is_auto_name("twofold-20261122-224501-00.twofold-backup"));
        for bad in [
            "twofold-20261122-224501.twofold-backup",
            "twofold-20261122-224501-0a.twofold-backup",
            "other-20261122-224501-00.twofold-backup",
            "twofold-20261122-224501-00.twofold-backup.tmp",
            ".twofold-20261122-224501-00.twofold-backup.tmp-1-ab",
        ] {
            assert!(!is_auto_name(bad), "{bad}");
        }
    }

    #[test]
    fn health_and_messages() {
        let mut status = BackupStatus::default();
        assert_eq!(status.health(), Health::NeverMade);
        assert_eq!(status.message(), "no backup has been made yet");
        status.last_failure = Some(FailureRecord { at: 100, reason: String::from("disk full"), detail: None });
        assert!(matches!(status.health(), Health::Failed { last_success: None, .. }));
        status.last_success = Some(SuccessRecord { at: 200, file: PathBuf::from("x"), account_count: 1 });
        assert_eq!(status.health(), Health::Ok { at: 200 });
        status.last_failure = Some(FailureRecord { at: 300, reason: String::from("disk full"), detail: None });
        assert_eq!(
            status.message(),
            "backup failed 1970-01-01 00:05:00 UTC: disk full; last good backup 1970-01-01 00:03:20 UTC"
        );
        assert_eq!(
            BackupStatus::path_beside(Path::new("/a/b/twofold.vault")),
            PathBuf::from("/a/b/twofold.vault.backup-status.json")
        );
    }
}
