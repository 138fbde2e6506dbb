//! Locks the vault when the desktop session locks or the machine is about to sleep, where the platform tells us,
//! and when nobody used it for the auto-lock delay ([`watch_idle`], every platform: the deadline is
//! `AppState::idle`, moved by input the UI reports and by every copied code).
//!
//! **Linux:** we listen on D-Bus for
//! - `org.freedesktop.login1.Manager.PrepareForSleep(true)` (system bus: the machine is about to suspend),
//! - `org.freedesktop.login1.Session.Lock` on *our* logind session (system bus: `loginctl lock-session`,
//!   most desktops' lock screens),
//! - `org.freedesktop.ScreenSaver.ActiveChanged(true)` and GNOME's `org.gnome.ScreenSaver.ActiveChanged(true)`
//!   (session bus: the screen locker or screensaver came on).
//!
//! On any of them the vault is locked, our code is cleared from the clipboard and the UI is told
//! ([`crate::ipc::EVENT_VAULT_LOCKED`]) so it shows the unlock screen. A missing bus (a minimal window manager,
//! a container) is not an error: it is noted once at debug level and the idle auto-lock still applies.
//!
//! **Other platforms:** nothing yet (a documented no-op). Windows' `WTS_SESSION_LOCK` and macOS'
//! `com.apple.screenIsLocked` are the places to hook in.

use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::idle::Due;
use crate::ipc::EVENT_VAULT_LOCKED;
use crate::state::AppState;
use crate::vault;

/// Why the platform asked us to lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockReason {
    /// The machine is about to suspend or hibernate.
    Sleep,
    /// Our login session was locked.
    SessionLocked,
    /// The screensaver or screen locker came on.
    ScreenSaver,
}

/// A D-Bus signal, reduced to what decides whether to lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signal<'a> {
    pub interface: &'a str,
    pub member: &'a str,
    pub path: &'a str,
    /// The signal's first argument when it is a boolean (`PrepareForSleep`, `ActiveChanged`).
    pub active: Option<bool>,
}

/// Whether `signal` means "lock now". `our_session` is our logind session's object path, when known: another
/// user's session locking (fast user switching) is not a reason to lock ours.
pub fn lock_reason(signal: &Signal<'_>, our_session: Option<&str>) -> Option<LockReason> {
    match (signal.interface, signal.member) {
        ("org.freedesktop.login1.Manager", "PrepareForSleep") if signal.active == Some(true) => Some(LockReason::Sleep),
        ("org.freedesktop.login1.Session", "Lock") if our_session == Some(signal.path) => {
            Some(LockReason::SessionLocked)
        }
        ("org.freedesktop.ScreenSaver" | "org.gnome.ScreenSaver", "ActiveChanged") if signal.active == Some(true) => {
            Some(LockReason::ScreenSaver)
        }
        _ => None,
    }
}

/// Locks the vault as the Lock button does (our code leaves the clipboard) and tells the UI.
pub fn lock_now<R: Runtime>(app: &AppHandle<R>) {
    vault::lock(app);
    let _ = app.emit(EVENT_VAULT_LOCKED, ());
}

/// Locks the vault if the idle auto-lock's deadline has passed; returns whether it did. The timer thread of
/// [`watch_idle`] calls this; tests call it after moving the fake clock.
pub fn idle_tick<R: Runtime>(app: &AppHandle<R>) -> bool {
    let Some(state) = app.try_state::<AppState>() else { return false };
    if state.idle.due() != Due::Lock {
        return false;
    }
    log::debug!("locking the vault: idle");
    lock_now(app);
    true
}

/// Starts the idle auto-lock's timer: a background thread that sleeps until the deadline (woken early when it
/// moves) and then locks. It holds no state lock while it sleeps; the deadline is `AppState::idle`'s.
pub fn watch_idle<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    let _ = std::thread::Builder::new().name("idle-lock".into()).spawn(move || {
        loop {
            if idle_tick(&app) {
                continue;
            }
            let Some(state) = app.try_state::<AppState>() else { return };
            if let Due::WaitFor(nap) = state.idle.due() {
                state.idle.nap(nap);
            }
        }
    });
}

/// Starts listening for the platform's lock and sleep signals (background threads; returns at once).
pub fn watch<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(target_os = "linux")]
    linux::watch(app);
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

#[cfg(target_os = "linux")]
mod linux {
    use tauri::{AppHandle, Runtime};
    use zbus::blocking::{Connection, MessageIterator};
    use zbus::message::Type;
    use zbus::zvariant::OwnedObjectPath;
    use zbus::{MatchRule, Message};

    use super::{Signal, lock_now, lock_reason};

    const LOGIND: &str = "org.freedesktop.login1";
    const LOGIND_PATH: &str = "/org/freedesktop/login1";

    pub fn watch<R: Runtime>(app: &AppHandle<R>) {
        spawn("twofold-session-bus", app.clone(), listen_session);
        spawn("twofold-system-bus", app.clone(), listen_system);
    }

    fn spawn<R: Runtime>(name: &str, app: AppHandle<R>, listen: fn(&AppHandle<R>) -> zbus::Result<()>) {
        let bus = name.to_string();
        let started = std::thread::Builder::new().name(bus.clone()).spawn(move || {
            if let Err(e) = listen(&app) {
                log::debug!("{bus}: not watching for session lock or sleep ({e})");
            }
        });
        if let Err(e) = started {
            log::debug!("{name}: cannot start the listener thread ({e})");
        }
    }

    /// The screensaver signals on the session bus.
    fn listen_session<R: Runtime>(app: &AppHandle<R>) -> zbus::Result<()> {
        let connection = Connection::session()?;
        let rule = MatchRule::builder().msg_type(Type::Signal).member("ActiveChanged")?.build();
        for message in MessageIterator::for_match_rule(rule, &connection, Some(16))? {
            handle(app, &message?, None);
        }
        Ok(())
    }

    /// logind's sleep signal and our session's `Lock` on the system bus.
    fn listen_system<R: Runtime>(app: &AppHandle<R>) -> zbus::Result<()> {
        let connection = Connection::system()?;
        let session = our_session(&connection);
        if session.is_none() {
            log::debug!("logind knows no session for this process: only sleep and the screensaver lock the vault");
        }
        let rule = MatchRule::builder().msg_type(Type::Signal).sender(LOGIND)?.path_namespace(LOGIND_PATH)?.build();
        for message in MessageIterator::for_match_rule(rule, &connection, Some(16))? {
            handle(app, &message?, session.as_deref());
        }
        Ok(())
    }

    /// Our logind session's object path: `XDG_SESSION_ID` if set, else the session of this process.
    fn our_session(connection: &Connection) -> Option<String> {
        let reply = match std::env::var("XDG_SESSION_ID") {
            Ok(id) => connection.call_method(Some(LOGIND), LOGIND_PATH, Some(MANAGER), "GetSession", &(id,)),
            Err(_) => connection.call_method(
                Some(LOGIND),
                LOGIND_PATH,
                Some(MANAGER),
                "GetSessionByPID",
                &(std::process::id(),),
            ),
        };
        let path: OwnedObjectPath = reply.ok()?.body().deserialize().ok()?;
        Some(path.as_str().to_string())
    }

    const MANAGER: &str = "org.freedesktop.login1.Manager";

    fn handle<R: Runtime>(app: &AppHandle<R>, message: &Message, our_session: Option<&str>) {
        let header = message.header();
        let (Some(interface), Some(member), Some(path)) = (header.interface(), header.member(), header.path()) else {
            return;
        };
        let signal = Signal {
            interface: interface.as_str(),
            member: member.as_str(),
            path: path.as_str(),
            active: message.body().deserialize::<bool>().ok(),
        };
        if let Some(reason) = lock_reason(&signal, our_session) {
            log::debug!("locking the vault: {reason:?}");
            lock_now(app);
        }
    }
}

#[cfg(test)]
mod tests;
