//! Issue 13's lock and vault-safety points through Tauri's IPC path: the idle auto-lock in Rust on a fake
//! clock (point 2), the password change with a new data key (point 5), a lock while a file chooser is open
//! cancelling the export or backup (point 6), a lone previous copy restored instead of overwritten (point 9),
//! the clipboard cleared when it cannot be read back (point 10) and the rollback warning (point 12).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::dialog::Kind;
use serde_json::{Value, json};
use tauri::{Listener, Manager};
use twofold_core::vault::{VaultStore, format};

use crate::clipboard::{self, ClipboardMark, MemoryClipboard};
use crate::dialog::TestChooser;
use crate::state::AppState;
use crate::testing::{Harness, harness};

const PASSWORD: &str = "correct horse battery";
const LINK: &str = "otpauth://totp/Example:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example";
const MINUTE: i64 = 60_000;

fn add(h: &Harness, issuer: &str) -> String {
    let link = LINK.replace("Example", issuer);
    h.invoke("add_account_link", json!({"link": link})).unwrap()["id"].as_str().unwrap().to_string()
}

fn status(h: &Harness) -> Value {
    h.invoke("vault_status", json!({})).unwrap()
}

/// Counts `vault-locked` events.
fn lock_events(h: &Harness) -> Arc<AtomicUsize> {
    let heard = Arc::new(AtomicUsize::new(0));
    let counter = heard.clone();
    h.window.app_handle().listen(crate::ipc::EVENT_VAULT_LOCKED, move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    heard
}

#[test]
fn the_idle_lock_counts_from_the_last_use_and_locks_in_rust() {
    let h = harness("idle");
    let app = h.window.app_handle().clone();
    app.manage(MemoryClipboard::default());
    let t0 = 1_800_000_000_000;
    let now = Arc::new(AtomicI64::new(t0));
    let read = now.clone();
    app.state::<AppState>().idle.set_clock(Arc::new(move || read.load(Ordering::SeqCst)));
    let at = |minutes: i64| now.store(t0 + minutes * MINUTE, Ordering::SeqCst);
    let tick = || {
        crate::session::idle_tick(&app);
    };
    let locked = lock_events(&h);

    // Default delay 5 minutes, counted from the unlock.
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    let id = add(&h, "Example");
    at(4);
    // Input the UI reports moves the deadline to 4 + 5.
    assert_eq!(h.invoke("report_activity", json!({})), Ok(Value::Null));
    at(6);
    tick();
    assert_eq!(status(&h), json!("unlocked"), "activity at 4 moved the deadline past 6");
    // A copy from the tray (no UI involved) moves it to 8 + 5.
    at(8);
    crate::tray::handle(&app, &format!("{}{id}", crate::tray::COPY_PREFIX));
    assert!(app.state::<MemoryClipboard>().read().is_some(), "the tray copied the code");
    at(12);
    tick();
    assert_eq!(status(&h), json!("unlocked"), "the tray copy at 8 moved the deadline past 12");
    // A copy through the command (a card, the quick switcher) moves it to 12 + 5.
    assert_eq!(h.invoke("copy_code", json!({"id": id})), Ok(Value::Null));
    at(16);
    tick();
    assert_eq!(status(&h), json!("unlocked"));
    // The deadline passes: Rust locks, as the Lock button does, and tells the UI.
    at(17);
    tick();
    assert_eq!(status(&h), json!("locked"));
    assert!(locked.load(Ordering::SeqCst) >= 1, "vault-locked was emitted");
    assert_eq!(app.state::<MemoryClipboard>().read(), None, "our code left the clipboard");
    assert_eq!(h.invoke("list_accounts", json!({})).unwrap_err()["code"], "locked");

    // 0 = never.
    let mut settings = h.invoke("get_settings", json!({})).unwrap();
    settings["autoLockMinutes"] = json!(0);
    assert_eq!(h.invoke("update_settings", json!({"settings": settings.clone()})), Ok(Value::Null));
    assert_eq!(h.invoke("unlock_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    at(17 + 60 * 24 * 30);
    tick();
    assert_eq!(status(&h), json!("unlocked"), "auto-lock 0 never locks");
    // Turning it on again counts from the last use: long past, so it locks at the next tick.
    settings["autoLockMinutes"] = json!(1);
    assert_eq!(h.invoke("update_settings", json!({"settings": settings})), Ok(Value::Null));
    tick();
    assert_eq!(status(&h), json!("locked"));
}

#[test]
fn changing_the_password_replaces_the_data_key_and_reseals_automatic_backups() {
    let h = harness("passwd");
    let app = h.window.app_handle().clone();
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    add(&h, "Before");
    let folder = h.dir.join("auto");
    let on = json!({"enabled": true, "folder": h.file(&folder, Kind::Folder), "keep": 50, "password": PASSWORD});
    h.invoke("set_auto_backup", on).unwrap();
    let vault_path = app.state::<AppState>().paths.vault.clone();
    let old_copy = std::fs::read(&vault_path).unwrap();
    let old_id = VaultStore::new(&vault_path).inspect().unwrap().key_id;

    let change = |current: &str, new: &str| h.invoke("change_vault_password", json!({"current": current, "new": new}));
    assert_eq!(change("not it", "a new password").unwrap_err()["code"], "wrong_password");
    assert_eq!(change(PASSWORD, "short").unwrap_err()["code"], "invalid_input");
    assert_eq!(change(PASSWORD, "a new password"), Ok(Value::Null));
    add(&h, "After");
    let new_bytes = std::fs::read(&vault_path).unwrap();

    // Automatic backups are sealed with the new password from now on. The key is derived in the background:
    // bounded wait, polled.
    let backups = app.state::<AppState>().backups.clone();
    let started = Instant::now();
    while !backups.has_key() {
        assert!(started.elapsed() < Duration::from_secs(60), "the backup key was never derived");
        std::thread::sleep(Duration::from_millis(20));
    }
    add(&h, "Third");
    backups.run_pending(crate::rt::now_s(), true);
    let newest = twofold_core::backup::auto::list(&folder).unwrap().into_iter().max().unwrap();
    assert_eq!(twofold_core::backup::check_backup(&newest, "a new password").unwrap().account_count, 3);
    assert!(twofold_core::backup::check_backup(&newest, PASSWORD).is_err());

    // The data key changed: the old file and the old password give a key that opens nothing written since.
    assert_ne!(VaultStore::new(&vault_path).inspect().unwrap().key_id, old_id);
    let (_, old_sealing, _) = format::open_with_password(&old_copy, PASSWORD).unwrap();
    assert!(format::open_with_key(&new_bytes, &old_sealing.data_key).is_err());
    h.invoke("lock_vault", json!({})).unwrap();
    assert_eq!(h.invoke("unlock_vault", json!({"password": PASSWORD})).unwrap_err()["code"], "wrong_password");
    assert_eq!(h.invoke("unlock_vault", json!({"password": "a new password"})), Ok(Value::Null));
    assert_eq!(h.invoke("list_accounts", json!({})).unwrap()["accounts"].as_array().unwrap().len(), 3);
}

#[test]
fn a_lock_while_the_chooser_is_open_cancels_the_export_and_the_backup() {
    let h = harness("lockcancels");
    let app = h.window.app_handle().clone();
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    add(&h, "Example");
    let target = h.dir.join("picked.txt");
    let (locker, picked) = (app.clone(), target.clone());
    // The user locks the vault (or it locks itself) while the chooser is open, then picks a file.
    app.manage(TestChooser(Box::new(move || {
        crate::vault::lock(&locker);
        Some(picked.clone())
    })));
    let export = json!({"format": "otpauth", "acknowledged": true, "vaultPassword": PASSWORD, "replace": false});
    let locked = |result: Result<Value, Value>| result.unwrap_err()["code"] == "locked";
    assert!(locked(h.invoke("export_accounts", export.clone())));
    assert!(!target.exists(), "nothing was exported");
    for own in [true, false] {
        assert_eq!(h.invoke("unlock_vault", json!({"password": PASSWORD})), Ok(Value::Null));
        let backup = if own {
            json!({"vaultPassword": PASSWORD, "backupPassword": "a backup password", "replace": false})
        } else {
            json!({"vaultPassword": PASSWORD, "replace": false})
        };
        assert!(locked(h.invoke("backup_now", backup)), "own password: {own}");
        assert!(!target.exists(), "no backup was written (own password: {own})");
    }
    // With the vault left open the same chooser path exports (the test is not vacuous).
    assert_eq!(h.invoke("unlock_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    let done = h.invoke(
        "export_accounts",
        json!({"file": h.file(&target, Kind::Write), "format": "otpauth", "acknowledged": true,
               "vaultPassword": PASSWORD, "replace": false}),
    );
    assert_eq!(done.unwrap()["count"], 1);
    assert!(target.exists());
}

#[test]
fn a_vault_gone_with_its_previous_copy_left_is_restored_not_overwritten() {
    let h = harness("previous");
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    add(&h, "Kept");
    add(&h, "Newest");
    h.invoke("lock_vault", json!({})).unwrap();
    let vault_path = h.window.app_handle().state::<AppState>().paths.vault.clone();
    std::fs::remove_file(&vault_path).unwrap();

    assert_eq!(status(&h), json!("previous_only"));
    let refused = h.invoke("create_vault", json!({"password": "another password"})).unwrap_err();
    assert_eq!(refused["code"], "vault", "{refused}");
    assert!(!vault_path.exists(), "no empty vault was created over the previous copy");
    assert_eq!(h.invoke("restore_previous_vault", json!({})), Ok(Value::Null));
    assert_eq!(status(&h), json!("locked"));
    assert_eq!(h.invoke("unlock_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    let list = h.invoke("list_accounts", json!({})).unwrap();
    let names: Vec<Value> = list["accounts"].as_array().unwrap().iter().map(|a| a["issuer"].clone()).collect();
    assert_eq!(names, vec![json!("Kept")], "the previous copy is the vault before the last save");
    // Restoring again has nothing to restore.
    assert_eq!(h.invoke("restore_previous_vault", json!({})).unwrap_err()["code"], "invalid_input");
}

#[test]
fn an_older_copy_put_in_place_of_the_vault_is_opened_with_a_warning() {
    let h = harness("rollback");
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    add(&h, "One");
    let vault_path = h.window.app_handle().state::<AppState>().paths.vault.clone();
    let old = std::fs::read(&vault_path).unwrap();
    add(&h, "Two");
    add(&h, "Three");
    h.invoke("lock_vault", json!({})).unwrap();
    assert_eq!(h.invoke("unlock_vault", json!({"password": PASSWORD})), Ok(Value::Null), "the newest: no warning");
    h.invoke("lock_vault", json!({})).unwrap();
    std::fs::write(&vault_path, &old).unwrap();
    assert_eq!(h.invoke("unlock_vault", json!({"password": PASSWORD})), Ok(json!({"saved": 2, "seen": 4})));
    assert_eq!(status(&h), json!("unlocked"), "a warning, not a refusal");
    // The record beside the settings names the vault and its key, nothing secret.
    let seen = std::fs::read_to_string(h.dir.join(crate::seen::FILE_NAME)).unwrap();
    assert!(seen.contains("\"counter\": 4") && !seen.contains(PASSWORD), "{seen}");
}

#[test]
fn a_clipboard_that_cannot_be_read_back_is_cleared_anyway() {
    let h = harness("clearanyway");
    let app = h.window.app_handle().clone();
    app.manage(MemoryClipboard::default());
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    let id = add(&h, "Example");
    let memory = || app.state::<MemoryClipboard>();
    let generation = || app.state::<ClipboardMark>().generation();

    // Readable and holding something the user copied since: left alone.
    h.invoke("copy_code", json!({"id": id})).unwrap();
    memory().write("the user's own text");
    clipboard::clear_if_ours(&app, Some(generation()));
    assert_eq!(memory().read().as_deref(), Some("the user's own text"));

    // Unreadable at the deadline: cleared anyway.
    h.invoke("copy_code", json!({"id": id})).unwrap();
    memory().set_unreadable(true);
    clipboard::clear_if_ours(&app, Some(generation()));
    memory().set_unreadable(false);
    assert_eq!(memory().read(), None, "a code must not outstay its delay because the read-back failed");
}
