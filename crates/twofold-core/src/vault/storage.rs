//! Files on disk: where the vault lives, the writer lock, and the atomic save.
//!
//! Beside `NAME` (the vault) live `NAME.prev` (the previous good copy, kept by every save), `NAME.lock` (the
//! writer lock, held only while a save runs; it contains the holder's process id for the error message) and,
//! only while a save runs or after a crash, `.NAME.tmp-*` temp files, removed at the next start.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::error::VaultError;

/// One step of an atomic save, in order. A [`SaveHook`] sees each one before it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SaveStep {
    /// Create the temp file beside the vault.
    CreateTemp,
    /// Write the new file's bytes to it.
    WriteTemp,
    /// `fsync` the temp file.
    SyncTemp,
    /// Read the temp file back and decrypt it.
    ReadBack,
    /// Keep the current vault as `NAME.prev`.
    KeepPrevious,
    /// Rename the temp file over the vault.
    Rename,
    /// `fsync` the folder so the rename is durable.
    SyncFolder,
}

impl SaveStep {
    /// Every step, in the order a save runs them.
    pub const ALL: [SaveStep; 7] = [
        SaveStep::CreateTemp,
        SaveStep::WriteTemp,
        SaveStep::SyncTemp,
        SaveStep::ReadBack,
        SaveStep::KeepPrevious,
        SaveStep::Rename,
        SaveStep::SyncFolder,
    ];
}

/// Sees every save step before it runs; an error returned here is handled exactly as if the step itself had
/// failed. For failure-injection tests (a full disk at `WriteTemp`, a failing rename…) and for diagnostics;
/// production code installs none. `path` is the file the step works on (the temp file, or the folder).
pub trait SaveHook: Send + Sync {
    fn before(&self, step: SaveStep, path: &Path) -> io::Result<()>;
}

/// Where a vault lives, and how long a writer waits for another one.
#[derive(Clone)]
pub struct VaultStore {
    path: PathBuf,
    lock_wait: Duration,
    hook: Option<Arc<dyn SaveHook>>,
}

impl std::fmt::Debug for VaultStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultStore")
            .field("path", &self.path)
            .field("lock_wait", &self.lock_wait)
            .field("hook", &self.hook.is_some())
            .finish()
    }
}

/// The writer lock, released on drop (and by the OS if the process dies).
pub(crate) struct WriterLock {
    file: File,
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        let _ = fs4::FileExt::unlock(&self.file);
    }
}

impl VaultStore {
    /// The default file name inside the platform data folder.
    pub const DEFAULT_FILE_NAME: &'static str = "twofold.vault";
    /// How long a save waits for another writer by default. Saves take milliseconds, so waiting this long
    /// means the other process is stuck or holding the lock on purpose.
    pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(5);

    /// A store for the vault file at `path` (which need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into(), lock_wait: Self::DEFAULT_LOCK_WAIT, hook: None }
    }

    /// The default vault path: `twofold.vault` in the platform data folder (e.g.
    /// `~/.local/share/twofold/` on Linux, `%APPDATA%\twofold\data\` on Windows).
    pub fn default_path() -> Result<PathBuf, VaultError> {
        let dirs = directories::ProjectDirs::from("", "", "twofold").ok_or(VaultError::NoDataDir)?;
        Ok(dirs.data_dir().join(Self::DEFAULT_FILE_NAME))
    }

    /// How long a save waits for another process's save to finish before failing with
    /// [`VaultError::Locked`].
    pub fn with_lock_wait(mut self, wait: Duration) -> Self {
        self.lock_wait = wait;
        self
    }

    /// Installs a hook that sees every save step (failure-injection tests).
    pub fn with_save_hook(mut self, hook: Arc<dyn SaveHook>) -> Self {
        self.hook = Some(hook);
        self
    }

    /// The vault file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the vault file exists.
    pub fn exists(&self) -> bool {
        self.path.is_file()
    }

    /// The previous good copy, kept by every save.
    pub fn previous_path(&self) -> PathBuf {
        self.sibling("", ".prev")
    }

    /// The lock file.
    pub fn lock_path(&self) -> PathBuf {
        self.sibling("", ".lock")
    }

    fn file_name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| String::from("vault"))
    }

    fn folder(&self) -> PathBuf {
        match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    fn sibling(&self, prefix: &str, suffix: &str) -> PathBuf {
        self.folder().join(format!("{prefix}{}{suffix}", self.file_name()))
    }

    fn temp_prefix(&self) -> String {
        format!(".{}.tmp-", self.file_name())
    }

    fn temp_path(&self) -> Result<PathBuf, VaultError> {
        let mut r = [0u8; 8];
        super::format::random_fill(&mut r)?;
        let hex: String = r.iter().map(|b| format!("{b:02x}")).collect();
        Ok(self.folder().join(format!("{}{}-{hex}", self.temp_prefix(), std::process::id())))
    }

    /// Reads the vault file.
    pub(crate) fn read(&self) -> Result<Vec<u8>, VaultError> {
        read_file(&self.path)
    }

    /// Takes the writer lock, waiting up to the store's lock wait.
    pub(crate) fn lock(&self) -> Result<WriterLock, VaultError> {
        let path = self.lock_path();
        if let Some(folder) = path.parent() {
            fs::create_dir_all(folder).map_err(|e| VaultError::io("create the folder", folder, e))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| VaultError::io("open the lock file", &path, e))?;
        let start = Instant::now();
        loop {
            match fs4::FileExt::try_lock(&file) {
                Ok(()) => break,
                Err(fs4::TryLockError::WouldBlock) => {
                    if start.elapsed() >= self.lock_wait {
                        let mut text = String::new();
                        let _ = file.read_to_string(&mut text);
                        return Err(VaultError::Locked { pid: text.trim().parse().ok() });
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(fs4::TryLockError::Error(e)) => return Err(VaultError::io("lock", &path, e)),
            }
        }
        // Only for the message another process shows; the lock itself is the OS lock on the file.
        let _ = file.set_len(0).and_then(|()| file.write_all(std::process::id().to_string().as_bytes()));
        Ok(WriterLock { file })
    }

    /// Removes temp files left by a save that was interrupted (a crash, a kill, a power cut). Skipped when
    /// another process is saving right now. Returns the files removed.
    pub fn clean_leftovers(&self) -> Result<Vec<PathBuf>, VaultError> {
        let folder = self.folder();
        if !folder.is_dir() {
            return Ok(Vec::new());
        }
        let Ok(_lock) = self.clone().with_lock_wait(Duration::ZERO).lock() else {
            return Ok(Vec::new());
        };
        let prefix = self.temp_prefix();
        let mut removed = Vec::new();
        let entries = fs::read_dir(&folder).map_err(|e| VaultError::io("list", &folder, e))?;
        for entry in entries.flatten() {
            let name = entry.file_name();
            if name.to_string_lossy().starts_with(&prefix) {
                let path = entry.path();
                fs::remove_file(&path).map_err(|e| VaultError::io("remove the leftover temp file", &path, e))?;
                removed.push(path);
            }
        }
        Ok(removed)
    }

    fn step(&self, step: SaveStep, path: &Path) -> io::Result<()> {
        match &self.hook {
            Some(hook) => hook.before(step, path),
            None => Ok(()),
        }
    }

    /// The atomic save. The caller holds the writer lock. `verify` decrypts the bytes read back from the temp
    /// file. Returns `Ok` once the new file is in place and the folder synced. If the folder sync fails the
    /// new file is in place (the rename happened) and the error says so: the caller treats the save as done.
    pub(crate) fn write_atomic(
        &self,
        _lock: &WriterLock,
        bytes: &[u8],
        verify: impl FnOnce(&[u8]) -> Result<(), VaultError>,
    ) -> Result<(), SaveFailure> {
        let folder = self.folder();
        fs::create_dir_all(&folder)
            .map_err(|e| SaveFailure::before(VaultError::io("create the folder", &folder, e)))?;
        let temp = self.temp_path().map_err(SaveFailure::before)?;
        let result = self.write_temp_and_swap(&temp, bytes, verify);
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result.map_err(SaveFailure::before)?;
        self.step(SaveStep::SyncFolder, &folder)
            .and_then(|()| sync_folder(&folder))
            .map_err(|e| SaveFailure::after_rename(VaultError::io("sync the folder", &folder, e)))
    }

    fn write_temp_and_swap(
        &self,
        temp: &Path,
        bytes: &[u8],
        verify: impl FnOnce(&[u8]) -> Result<(), VaultError>,
    ) -> Result<(), VaultError> {
        let mut file = self
            .step(SaveStep::CreateTemp, temp)
            .and_then(|()| create_private(temp))
            .map_err(|e| VaultError::io("create the temp file", temp, e))?;
        self.step(SaveStep::WriteTemp, temp)
            .and_then(|()| file.write_all(bytes))
            .map_err(|e| VaultError::io("write", temp, e))?;
        self.step(SaveStep::SyncTemp, temp)
            .and_then(|()| file.sync_all())
            .map_err(|e| VaultError::io("sync", temp, e))?;
        drop(file);
        self.step(SaveStep::ReadBack, temp).map_err(|e| VaultError::io("read back", temp, e))?;
        let back = read_file(temp)?;
        if back != bytes {
            return Err(VaultError::ReadBackFailed);
        }
        verify(&back).map_err(|_| VaultError::ReadBackFailed)?;
        if self.path.exists() {
            let prev = self.previous_path();
            self.step(SaveStep::KeepPrevious, &prev)
                .and_then(|()| self.keep_previous(&prev))
                .map_err(|e| VaultError::io("keep the previous copy as", &prev, e))?;
        }
        self.step(SaveStep::Rename, temp)
            .and_then(|()| fs::rename(temp, &self.path))
            .map_err(|e| VaultError::io("replace the vault with", temp, e))?;
        Ok(())
    }

    /// Makes `NAME.prev` a copy of the current vault without a moment where it is missing or partial: a hard
    /// link (or, where the file system has none, a synced copy) under a temp name, renamed over `NAME.prev`.
    fn keep_previous(&self, prev: &Path) -> io::Result<()> {
        let mut r = [0u8; 8];
        getrandom::fill(&mut r).map_err(|_| io::Error::other("random generator failed"))?;
        let hex: String = r.iter().map(|b| format!("{b:02x}")).collect();
        let staging = self.folder().join(format!("{}prev-{hex}", self.temp_prefix()));
        if fs::hard_link(&self.path, &staging).is_err() {
            fs::copy(&self.path, &staging)?;
            File::open(&staging)?.sync_all()?;
        }
        let result = fs::rename(&staging, prev);
        if result.is_err() {
            let _ = fs::remove_file(&staging);
        }
        result
    }

    /// Replaces a damaged or missing vault with its previous copy; a damaged file is kept as `NAME.damaged`.
    /// Use after [`VaultError::Corrupt`] when [`VaultStore::read_previous`] showed the previous copy is good,
    /// or when the vault file is gone and `NAME.prev` is not.
    ///
    /// Never leaves nothing at the vault's path: the previous copy is written to a synced temp file first, the
    /// damaged vault is *copied* (hard link, else copy) to `NAME.damaged`, and only then does one rename put the
    /// temp file over the vault. `NAME.prev` itself stays as it was.
    pub fn restore_previous(&self) -> Result<(), VaultError> {
        let _lock = self.lock()?;
        let prev = self.previous_path();
        let bytes = read_file(&prev)?;
        let temp = self.temp_path()?;
        let result = (|| -> io::Result<()> {
            let mut f = create_private(&temp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            drop(f);
            if self.path.exists() {
                let damaged = self.sibling("", ".damaged");
                let _ = fs::remove_file(&damaged);
                if fs::hard_link(&self.path, &damaged).is_err() {
                    fs::copy(&self.path, &damaged)?;
                }
            }
            self.step(SaveStep::Rename, &temp)?;
            fs::rename(&temp, &self.path)?;
            sync_folder(&self.folder())
        })();
        if result.is_err() {
            let _ = fs::remove_file(&temp);
        }
        result.map_err(|e| VaultError::io("restore the previous copy to", &self.path, e))
    }

    /// Whether the vault file is missing while its previous copy exists: the vault was deleted or moved, and
    /// creating a new one there would soon push that copy out (offer [`VaultStore::restore_previous`]).
    pub fn only_previous_exists(&self) -> bool {
        !self.exists() && self.previous_path().is_file()
    }
}

/// A failed save, and whether the new file had already replaced the old one.
pub(crate) struct SaveFailure {
    pub error: VaultError,
    pub renamed: bool,
}

impl SaveFailure {
    fn before(error: VaultError) -> Self {
        Self { error, renamed: false }
    }
    fn after_rename(error: VaultError) -> Self {
        Self { error, renamed: true }
    }
}

pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, VaultError> {
    fs::read(path).map_err(|e| {
        if e.kind() == io::ErrorKind::NotFound {
            VaultError::NotFound { path: path.to_path_buf() }
        } else {
            VaultError::io("read", path, e)
        }
    })
}

pub(crate) fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

#[cfg(unix)]
pub(crate) fn sync_folder(folder: &Path) -> io::Result<()> {
    File::open(folder)?.sync_all()
}

#[cfg(not(unix))]
pub(crate) fn sync_folder(_folder: &Path) -> io::Result<()> {
    // Windows has no folder fsync; NTFS journals the rename itself.
    Ok(())
}
