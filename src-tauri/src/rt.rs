//! The bottom of the shell: the clock, the blocking-thread wrapper and the mutex rule every module shares.
//!
//! The shell is a binary, so it may read the clock; the core never does (every core function takes the time).

use std::io::Write as _;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::text::{self, Key, Text};

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// Unix seconds now.
pub fn now_s() -> i64 {
    now_ms().div_euclid(1000)
}

/// Runs slow work (Argon2, file I/O, QR decoding, network) on a blocking thread, off the UI thread and with no
/// lock of ours held by the caller.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> ShellResult<T> + Send + 'static) -> ShellResult<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| {
        log::error!("background task failed: {e}");
        ShellError::coded(ErrorCode::Io, Text::new(Key::BackgroundTaskFailed))
    })?
}

/// Locks a mutex, recovering it when a panic elsewhere poisoned it. The shell's shared state stays consistent
/// through a panic because every mutation under these locks is a single assignment, push or take.
pub trait Guarded<T> {
    fn guard(&self) -> MutexGuard<'_, T>;
}

impl<T> Guarded<T> for Mutex<T> {
    fn guard(&self) -> MutexGuard<'_, T> {
        self.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Writes a small file of ours atomically: a temp file beside it (mode 0600), fsync, rename over the file, fsync
/// of the folder. A crash leaves the old file or the new one, never half of one. The settings and the record of
/// the vaults seen use it. *Slow.*
pub fn write_atomic_private(path: &Path, bytes: &[u8]) -> ShellResult<()> {
    // Whatever step failed, the person is told the file was not saved and why (the step goes to the log).
    let io = |what: &str, e: std::io::Error| {
        log::warn!("cannot {what} {}: {e}", path.display());
        ShellError::coded(
            ErrorCode::Io,
            Text::new(Key::FileWrite).with("path", path).with("reason", text::os_error(&e)),
        )
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| io("create the folder of", e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&temp).and_then(|mut file| {
        // An existing temp file keeps its mode through `open`: make sure it is private.
        #[cfg(unix)]
        std::fs::set_permissions(&temp, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()
    });
    if let Err(e) = written.and_then(|()| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(io("write", e));
    }
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}
