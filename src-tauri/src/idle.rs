//! The idle auto-lock's deadline: when the vault locks if nobody uses it. It lives in Rust, not in the webview,
//! so a throttled, hung or crashed webview still locks, and copies from the tray or the quick switcher count as
//! use. What moves it: opening the vault, input reported by the UI (`report_activity`: keys and clicks, not
//! pointer movement) and every copied code. The timer that acts on it is `session::watch_idle`.
//!
//! Time is injectable ([`IdleClock::set_clock`]) so tests drive the deadline with a fake clock.

use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::rt::{self, Guarded};

/// Unix milliseconds now, as this service reads it.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The deadline of the idle auto-lock; one per app, in `AppState`.
pub struct IdleClock {
    inner: Mutex<Inner>,
    /// Wakes the timer thread when the deadline or the delay changes.
    wake: Condvar,
}

struct Inner {
    clock: Clock,
    /// The vault is open (nothing to lock otherwise).
    armed: bool,
    /// Unix milliseconds of the last use.
    last_use: i64,
    /// Minutes without use before the vault locks; 0 = never.
    minutes: u32,
}

/// What the timer should do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Lock the vault now.
    Lock,
    /// Check again after this long (or earlier when woken).
    WaitFor(Duration),
}

/// The longest the timer sleeps without looking again: a suspended machine's clock jumps.
const MAX_NAP: Duration = Duration::from_secs(30);

impl IdleClock {
    pub fn new(minutes: u32) -> Self {
        let clock: Clock = Arc::new(rt::now_ms);
        Self { inner: Mutex::new(Inner { clock, armed: false, last_use: 0, minutes }), wake: Condvar::new() }
    }

    /// Replaces the clock (tests).
    pub fn set_clock(&self, clock: Clock) {
        self.inner.guard().clock = clock;
        self.wake.notify_all();
    }

    /// Unix milliseconds now, by this service's clock.
    pub fn now_ms(&self) -> i64 {
        let clock = Arc::clone(&self.inner.guard().clock);
        clock()
    }

    /// The vault was opened: the countdown starts now.
    pub fn opened(&self) {
        let now = self.now_ms();
        let mut inner = self.inner.guard();
        inner.armed = true;
        inner.last_use = now;
        drop(inner);
        self.wake.notify_all();
    }

    /// The vault was locked: nothing to count down.
    pub fn locked(&self) {
        self.inner.guard().armed = false;
        self.wake.notify_all();
    }

    /// Someone used the app (a key, a click, a copy): the deadline moves.
    pub fn used(&self) {
        let now = self.now_ms();
        let mut inner = self.inner.guard();
        // A clock that went backwards (tests, a corrected system clock) never pulls the deadline earlier.
        inner.last_use = inner.last_use.max(now);
        drop(inner);
        self.wake.notify_all();
    }

    /// The auto-lock delay changed in the settings.
    pub fn set_minutes(&self, minutes: u32) {
        self.inner.guard().minutes = minutes;
        self.wake.notify_all();
    }

    /// Unix milliseconds at which the vault locks if nothing else happens; `None` when locked or set to never.
    pub fn deadline(&self) -> Option<i64> {
        let inner = self.inner.guard();
        Self::deadline_of(&inner)
    }

    fn deadline_of(inner: &Inner) -> Option<i64> {
        (inner.armed && inner.minutes > 0)
            .then(|| inner.last_use.saturating_add(i64::from(inner.minutes).saturating_mul(60_000)))
    }

    /// Whether the deadline has passed at the clock's now.
    pub fn due(&self) -> Due {
        let now = self.now_ms();
        match self.deadline() {
            Some(deadline) if now >= deadline => Due::Lock,
            Some(deadline) => {
                let left = u64::try_from(deadline.saturating_sub(now)).unwrap_or(0);
                Due::WaitFor(Duration::from_millis(left).min(MAX_NAP))
            }
            None => Due::WaitFor(MAX_NAP),
        }
    }

    /// Sleeps for up to `nap`, waking early when the deadline or the delay changes. Holds only this service's
    /// own small mutex while waiting, never the state lock.
    pub fn nap(&self, nap: Duration) {
        let inner = self.inner.guard();
        let _ = self.wake.wait_timeout(inner, nap);
    }
}

#[cfg(test)]
mod tests;
