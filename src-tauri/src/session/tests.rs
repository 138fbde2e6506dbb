//! Tests of `session`.

use super::*;

const OURS: &str = "/org/freedesktop/login1/session/_32";

fn signal<'a>(interface: &'a str, member: &'a str, path: &'a str, active: Option<bool>) -> Signal<'a> {
    Signal { interface, member, path, active }
}

#[test]
fn sleep_locks_and_waking_does_not() {
    let sleep = signal("org.freedesktop.login1.Manager", "PrepareForSleep", "/org/freedesktop/login1", Some(true));
    assert_eq!(lock_reason(&sleep, Some(OURS)), Some(LockReason::Sleep));
    assert_eq!(lock_reason(&sleep, None), Some(LockReason::Sleep));
    let wake = Signal { active: Some(false), ..sleep };
    assert_eq!(lock_reason(&wake, Some(OURS)), None);
}

#[test]
fn only_our_sessions_lock_signal_locks() {
    let lock = signal("org.freedesktop.login1.Session", "Lock", OURS, None);
    assert_eq!(lock_reason(&lock, Some(OURS)), Some(LockReason::SessionLocked));
    let other = signal("org.freedesktop.login1.Session", "Lock", "/org/freedesktop/login1/session/c7", None);
    assert_eq!(lock_reason(&other, Some(OURS)), None);
    assert_eq!(lock_reason(&lock, None), None, "an unknown session must not be taken for ours");
    let unlock = signal("org.freedesktop.login1.Session", "Unlock", OURS, None);
    assert_eq!(lock_reason(&unlock, Some(OURS)), None);
}

#[test]
fn the_screensaver_coming_on_locks_and_going_off_does_not() {
    for interface in ["org.freedesktop.ScreenSaver", "org.gnome.ScreenSaver"] {
        let on = signal(interface, "ActiveChanged", "/org/freedesktop/ScreenSaver", Some(true));
        assert_eq!(lock_reason(&on, None), Some(LockReason::ScreenSaver), "{interface}");
        let off = Signal { active: Some(false), ..on };
        assert_eq!(lock_reason(&off, None), None, "{interface}");
        let no_argument = Signal { active: None, ..on };
        assert_eq!(lock_reason(&no_argument, None), None, "{interface}");
    }
}

#[test]
fn locking_closes_the_vault_and_tells_the_ui() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tauri::test::{mock_builder, mock_context, noop_assets};
    use tauri::{Listener, Manager};

    use crate::state::{AppState, VaultState};

    let dir = std::env::temp_dir().join(format!("twofold-session-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let app =
        crate::configure(mock_builder(), crate::state::Paths::in_dir(&dir)).build(mock_context(noop_assets())).unwrap();
    let heard = Arc::new(AtomicUsize::new(0));
    let counter = heard.clone();
    app.listen(EVENT_VAULT_LOCKED, move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    let state = app.state::<AppState>();
    let password = zeroize::Zeroizing::new("correct horse battery".to_string());
    let vault = crate::vault::create(&state.paths.vault, &password).unwrap();
    *state.vault() = VaultState::Unlocked(Box::new(crate::state::Unlocked::new(vault)));
    assert_eq!(state.status(), crate::ipc::VaultStatus::Unlocked);

    lock_now(app.handle());

    assert_eq!(state.status(), crate::ipc::VaultStatus::Locked);
    assert_eq!(heard.load(Ordering::SeqCst), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unrelated_signals_are_ignored() {
    let other = signal("org.example.ScreenSaver", "ActiveChanged", "/org/example", Some(true));
    assert_eq!(lock_reason(&other, Some(OURS)), None);
    let props = signal("org.freedesktop.DBus.Properties", "PropertiesChanged", OURS, None);
    assert_eq!(lock_reason(&props, Some(OURS)), None);
}
