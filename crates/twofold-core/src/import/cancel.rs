//! A cancel flag for [`super::import_cancellable`]: the shell keeps a clone and sets it from `cancel_import`;
//! the import checks it between expensive steps (before each Aegis password slot's scrypt, between ZIP
//! entries, while SQLite runs a query, between entries) and gives up with [`super::ImportError::Cancelled`].
//! A step already running (one scrypt or Argon2 derivation) finishes first: each is bounded on its own.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::ImportError;

/// Shared flag; clones see the same state. `Default` is a flag nobody has set.
#[derive(Debug, Clone, Default)]
pub struct Cancel {
    flag: Arc<AtomicBool>,
    /// Tests only: trips by itself after this many checks, so a test can cancel "between two slots"
    /// without a second thread or a clock.
    #[cfg(test)]
    trip_after: Option<Arc<std::sync::atomic::AtomicUsize>>,
}

impl Cancel {
    /// A flag nobody has set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the import holding a clone of this flag to stop at its next check.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::Relaxed);
    }

    /// True once [`Cancel::cancel`] was called on this flag or a clone.
    pub fn is_cancelled(&self) -> bool {
        self.count_check();
        self.flag.load(Ordering::Relaxed)
    }

    #[cfg(test)]
    fn count_check(&self) {
        if let Some(left) = &self.trip_after {
            if left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1)).is_err() {
                self.cancel();
            }
        }
    }

    #[cfg(not(test))]
    fn count_check(&self) {}

    /// `Err(Cancelled)` once cancelled.
    pub(crate) fn check(&self) -> Result<(), ImportError> {
        if self.is_cancelled() { Err(ImportError::Cancelled) } else { Ok(()) }
    }

    /// Tests only: a flag that lets `checks` checks pass and cancels itself at the next one.
    #[cfg(test)]
    pub(crate) fn after_checks(checks: usize) -> Self {
        Self { trip_after: Some(Arc::new(std::sync::atomic::AtomicUsize::new(checks))), ..Self::default() }
    }
}
