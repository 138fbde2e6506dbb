//! The bottom of the shell: the clock, the blocking-thread wrapper and the mutex rule every module shares.
//!
//! The shell is a binary, so it may read the clock; the core never does (every core function takes the time).

use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{ShellError, ShellResult};

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
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| ShellError::Io(format!("background task failed: {e}")))?
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
