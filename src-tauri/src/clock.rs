//! The optional clock check: asks an SNTP server (RFC 4330/5905) how far the system clock is off, because
//! time-based codes from a drifting clock are rejected, and the user sees only "wrong code".
//!
//! Off until the user turns it on (`Settings::clock_check`; server `Settings::clock_server`, by default
//! `pool.ntp.org`): it sends one UDP packet to that server, which learns our address. It runs on a blocking
//! thread, never on the UI thread: when the webview asks (after unlock, after the setting is turned on,
//! `check_clock`) and hourly ([`schedule`]), which emits [`EVENT_CLOCK_CHECKED`]. The app never sets the
//! clock; it only warns.
//!
//! The SNTP client is `rsntp` (built without its default features, it has no dependencies and a plain
//! blocking API with a timeout; the RFC's checks of the reply are done there). `sntpc` is `no_std`-first and
//! would have us write the socket and timestamp glue.

use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::error::{ShellError, ShellResult};
use crate::ipc::{ClockCheck, EVENT_CLOCK_CHECKED, VaultStatus};
use crate::rt::blocking;
use crate::state::AppState;

/// Warn when the clock is off by more than this: most services accept one 30 s step either side, and the
/// code shown can be up to a step old, so 5 s of drift already turns some codes into rejections.
pub const WARN_AFTER_SECONDS: f64 = 5.0;

/// How long to wait for the server's reply.
const TIMEOUT: Duration = Duration::from_secs(5);

/// How often the background check runs while the vault is open and the check is on.
const EVERY: Duration = Duration::from_secs(3600);

/// The result of a check that found our clock `ahead_seconds` ahead of the server.
pub fn check_from_ahead(ahead_seconds: f64) -> ClockCheck {
    ClockCheck { ahead_ms: (ahead_seconds * 1000.0).round() as i64, warning: warning(ahead_seconds) }
}

/// "Your clock is 42 s fast; codes may be rejected" when `ahead_seconds` is beyond the tolerance.
pub fn warning(ahead_seconds: f64) -> Option<String> {
    if !ahead_seconds.is_finite() || ahead_seconds.abs() <= WARN_AFTER_SECONDS {
        return None;
    }
    let direction = if ahead_seconds > 0.0 { "fast" } else { "slow" };
    let seconds = ahead_seconds.abs().round() as u64;
    let amount = match seconds {
        s if s < 120 => format!("{s} s"),
        s if s < 2 * 3600 => format!("{} min", (s + 30) / 60),
        s if s < 2 * 86_400 => format!("{} h", (s + 1800) / 3600),
        s => format!("{} days", (s + 43_200) / 86_400),
    };
    Some(format!("Your clock is {amount} {direction}; codes may be rejected"))
}

/// Asks `server` (a host name or address, with an optional `:port`; 123 by default) how far our clock is
/// ahead of it, in seconds. Blocking, at most about `timeout` plus name resolution.
pub fn measure(server: &str, timeout: Duration) -> Result<f64, String> {
    let server = server.trim();
    if server.is_empty() {
        return Err("no time server is set".into());
    }
    let mut client = rsntp::SntpClient::new();
    client.set_timeout(timeout);
    let result = client.synchronize(server).map_err(|e| format!("cannot ask the time server {server}: {e}"))?;
    // rsntp's offset is what to add to our clock to get the server's: the opposite of "ahead".
    Ok(-result.clock_offset().as_secs_f64())
}

/// One check now when it is turned on (off: `None`), on a blocking thread; a server that cannot be reached is
/// an `io` error.
pub async fn check_now(state: &AppState) -> ShellResult<Option<ClockCheck>> {
    let settings = state.settings();
    if !settings.clock_check {
        return Ok(None);
    }
    let server = settings.clock_server.clone();
    let ahead = blocking(move || measure(&server, TIMEOUT).map_err(ShellError::Io)).await?;
    Ok(Some(check_from_ahead(ahead)))
}

/// Starts the hourly check on its own thread: when the check is on and the vault is open, it measures and
/// emits [`EVENT_CLOCK_CHECKED`]. Failures are silent (a laptop offline is not a problem to shout about).
pub fn schedule<R: Runtime>(app: AppHandle<R>) {
    let spawned = std::thread::Builder::new().name("clock-check".into()).spawn(move || {
        loop {
            std::thread::sleep(EVERY);
            let state = app.state::<AppState>();
            let settings = state.settings();
            if !settings.clock_check || state.status() != VaultStatus::Unlocked {
                continue;
            }
            if let Ok(ahead) = measure(&settings.clock_server, TIMEOUT) {
                let _ = app.emit(EVENT_CLOCK_CHECKED, check_from_ahead(ahead));
            }
        }
    });
    // Without the thread the check still runs at each unlock; nothing else depends on it.
    drop(spawned);
}

#[cfg(test)]
mod tests;
