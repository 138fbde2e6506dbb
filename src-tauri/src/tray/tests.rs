//! The tray's menu model, its click handler and the close-to-tray setting, through Tauri's mock runtime.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};
use tauri::{Listener, Manager};
use twofold_core::{Account, AccountId, OtpParams, Secret};

use super::*;
use crate::clipboard::{ClipboardMark, MemoryClipboard};
use crate::testing::{Harness, harness};

const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn account(issuer: &str, name: &str, order: i64, favorite: bool) -> Account {
    let secret = Secret::parse_base32(KEY).unwrap();
    let mut account = Account::new(issuer, name, secret, OtpParams::default_totp(), 0);
    account.order = order;
    account.favorite = favorite;
    account
}

fn labels(model: &[Entry]) -> Vec<(&str, &str, bool)> {
    model
        .iter()
        .map(|e| match e {
            Entry::Item { id, label, enabled } => (id.as_str(), label.as_str(), *enabled),
            Entry::Separator => ("-", "-", false),
        })
        .collect()
}

#[test]
fn favourites_come_first_in_the_users_order_then_show_lock_quit() {
    let accounts = vec![
        account("Zeta", "z@example.com", 2, true),
        account("Plain", "not a favourite", 0, false),
        account("Alpha", "a@example.com", 1, true),
        account("Beta", "", 1, true),
    ];
    let favs = favourites(&accounts);
    let model = menu_model(Some(&favs));
    let rows = labels(&model);
    let texts: Vec<&str> = rows.iter().map(|r| r.1).collect();
    assert_eq!(
        texts,
        ["Alpha (a@example.com)", "Beta", "Zeta (z@example.com)", "-", "Show Twofold", "Lock", "-", "Quit Twofold"]
    );
    assert_eq!(rows[0].0, format!("{COPY_PREFIX}{}", accounts[2].id));
    assert_eq!(action(rows[0].0), Some(Action::Copy(accounts[2].id)));
    assert!(rows.iter().filter(|r| r.0 != "-").all(|r| r.2), "every item is enabled: {rows:?}");
}

#[test]
fn a_locked_vault_offers_unlock_and_quit_only() {
    let model = menu_model(None);
    let rows = labels(&model).into_iter().map(|r| (r.0, r.1)).collect::<Vec<_>>();
    assert_eq!(rows, [(UNLOCK, "Unlock…"), ("-", "-"), (QUIT, "Quit Twofold")]);
    assert_eq!(action(UNLOCK), Some(Action::Show));
}

#[test]
fn no_favourites_is_one_disabled_line_saying_how_to_add_some() {
    let model = menu_model(Some(&favourites(&[account("Plain", "p", 0, false)])));
    assert_eq!(
        model[0],
        Entry::Item {
            id: NO_FAVOURITES.into(),
            label: "No favourites yet: star an account to see it here".into(),
            enabled: false
        }
    );
    assert_eq!(action(NO_FAVOURITES), None);
    assert_eq!(labels(&model).iter().filter(|r| r.1 == "Lock").count(), 1);
}

#[test]
fn labels_carry_neither_key_nor_code() {
    let accounts = vec![account("Example", "alice@example.com", 0, true), account("", "", 1, true)];
    let codes: Vec<String> = (0..3_000_000_000_i64)
        .step_by(30 * 1_000_000)
        .map(|now| twofold_core::otp::code(&accounts[0].secret, &accounts[0].otp, now).unwrap().code)
        .collect();
    for entry in menu_model(Some(&favourites(&accounts))) {
        let Entry::Item { id, label, .. } = entry else { continue };
        for text in [&id, &label] {
            assert!(!text.to_uppercase().contains(&KEY[..8]), "a key in the menu: {text}");
        }
        // The names hold no digits, so a label with any digit would carry a code.
        assert!(!label.chars().any(|c| c.is_ascii_digit()), "digits in a label: {label}");
        assert!(codes.iter().all(|code| !label.contains(code.as_str())), "a code in the menu: {label}");
    }
}

#[test]
fn odd_names_stay_one_readable_line() {
    let long = "x".repeat(200);
    let favs = favourites(&[account("AT&T", "line\nbreak", 0, true), account(&long, "n", 1, true)]);
    let model = menu_model(Some(&favs));
    let Entry::Item { label: first, .. } = &model[0] else { panic!("{model:?}") };
    assert_eq!(first, "AT&T (line break)");
    assert_eq!(mnemonic_safe(first), "AT&&T (line break)");
    let Entry::Item { label: second, .. } = &model[1] else { panic!("{model:?}") };
    assert_eq!(second.chars().count(), MAX_LABEL_CHARS);
    assert!(second.ends_with('…'));
}

#[test]
fn ids_that_are_not_ours_do_nothing() {
    assert_eq!(action("copy:not-a-uuid"), None);
    assert_eq!(action(""), None);
    assert_eq!(action("copy:"), None);
    assert_eq!(action(LOCK), Some(Action::Lock));
    assert_eq!(action(SHOW), Some(Action::Show));
    assert_eq!(action(QUIT), Some(Action::Quit));
}

#[test]
fn every_catalog_key_the_shell_uses_exists() {
    for (code, json) in CATALOGS {
        let catalog: HashMap<String, String> = serde_json::from_str(json).unwrap();
        for key in ["tooltip", "favourite", "unnamed", "noFavourites", "show", "unlock", "lock", "quit"] {
            assert!(catalog.contains_key(key), "{code}/tray.json has no `{key}`");
        }
    }
    for key in ["tooltip", "favourite", "unnamed", "noFavourites", "show", "unlock", "lock", "quit"] {
        assert_ne!(label(key, &[]), format!("tray.{key}"));
    }
    assert_eq!(label("favourite", &[("issuer", "I"), ("name", "N")]), "I (N)");
}

#[test]
fn the_menu_speaks_the_chosen_or_the_system_language() {
    let german = language_index(Some("de"), None);
    assert_eq!(label_in(german, "lock", &[]), "Sperren");
    // The setting wins over the system; the system's locale (`ll_CC.codeset`) when there is no setting.
    assert_eq!(label_in(language_index(Some("fr"), Some("de_DE.UTF-8")), "quit", &[]), "Quitter Twofold");
    assert_eq!(language_index(None, Some("de_AT.UTF-8")), german);
    assert_eq!(language_index(Some("pt-BR"), Some("es_ES.UTF-8")), language_index(Some("es"), None));
    // Nothing we have, or the pseudo-locale the tests use: English.
    assert_eq!(language_index(Some("x-pseudo"), Some("C.UTF-8")), 0);
    assert_eq!(language_index(None, None), 0);
    assert_eq!(label_in(0, "lock", &[]), "Lock");
}

// ---- through the app --------------------------------------------------------------------------------------

const PASSWORD: &str = "correct horse battery";
const LINK: &str = "otpauth://totp/Example:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example";

fn shown(h: &Harness) -> Vec<Entry> {
    h.window.app_handle().state::<TrayMenu>().shown().expect("a menu was built")
}

fn now_s() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

/// An unlocked vault with one favourite (returned) and one other account; clipboard in memory.
fn unlocked_with_favourite(name: &str) -> (Harness, String) {
    let h = harness(name);
    h.window.app_handle().manage(MemoryClipboard::default());
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    let id = h.invoke("add_account_link", json!({"link": LINK})).unwrap()["id"].as_str().unwrap().to_string();
    let other = "otpauth://totp/Other:bob?secret=JBSWY3DPEHPK3PXP&issuer=Other";
    h.invoke("add_account_link", json!({"link": other})).unwrap();
    let edit = json!({"issuer": "Example", "name": "alice@example.com", "groups": [], "note": "", "favorite": true});
    assert_eq!(h.invoke("update_account", json!({"id": id, "edit": edit})), Ok(Value::Null));
    (h, id)
}

#[test]
fn the_menu_follows_unlock_saves_and_lock() {
    let h = harness("tray-follow");
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    assert_eq!(shown(&h)[0], menu_model(Some(&[]))[0], "unlocked, no favourites yet");
    let id = h.invoke("add_account_link", json!({"link": LINK})).unwrap()["id"].as_str().unwrap().to_string();
    assert_eq!(labels(&shown(&h))[0].0, NO_FAVOURITES, "a new account is not a favourite");

    // Starring it (the save hook) puts it in the menu; renaming it renames the item.
    let mut edit =
        json!({"issuer": "Example", "name": "alice@example.com", "groups": [], "note": "", "favorite": true});
    h.invoke("update_account", json!({"id": id, "edit": edit})).unwrap();
    assert_eq!(labels(&shown(&h))[0], (format!("{COPY_PREFIX}{id}").as_str(), "Example (alice@example.com)", true));
    edit["issuer"] = json!("Renamed");
    h.invoke("update_account", json!({"id": id, "edit": edit})).unwrap();
    assert_eq!(labels(&shown(&h))[0].1, "Renamed (alice@example.com)");

    // Locking empties it; unlocking brings the favourite back.
    assert_eq!(h.invoke("lock_vault", json!({})), Ok(Value::Null));
    assert_eq!(shown(&h), menu_model(None));
    assert_eq!(h.invoke("unlock_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    assert_eq!(labels(&shown(&h))[0].1, "Renamed (alice@example.com)");
    // And a deleted favourite leaves.
    h.invoke("delete_account", json!({"id": id})).unwrap();
    assert_eq!(labels(&shown(&h))[0].0, NO_FAVOURITES);
}

#[test]
fn clicking_a_favourite_copies_its_code_and_schedules_the_clearing() {
    let (h, id) = unlocked_with_favourite("tray-copy");
    let app = h.window.app_handle().clone();
    let settings = json!({"clipboardClearSeconds": 1, "autoLockMinutes": 0, "privacyMode": false,
                          "contentProtection": true, "autoBackupKeep": 10, "clockServer": "pool.ntp.org"});
    assert_eq!(h.invoke("update_settings", json!({"settings": settings})), Ok(Value::Null));

    let before = now_s();
    handle(&app, &format!("{COPY_PREFIX}{id}"));
    let after = now_s();
    let copied = app.state::<MemoryClipboard>().read().expect("the code was copied");
    let account = account("Example", "alice@example.com", 0, true);
    let expected: Vec<String> = [before, after]
        .iter()
        .map(|&t| twofold_core::otp::code(&account.secret, &account.otp, t).unwrap().code)
        .collect();
    assert!(expected.contains(&copied), "copied {copied}, expected one of {expected:?}");
    // The same mark as a card's copy: the clearing is scheduled for this code.
    assert_eq!(app.state::<ClipboardMark>().text().as_deref(), Some(copied.as_str()));
    assert_eq!(app.state::<ClipboardMark>().generation(), 1);

    // The clearing comes (1 s configured); bounded wait, polled.
    let started = Instant::now();
    while app.state::<MemoryClipboard>().read().is_some() {
        assert!(started.elapsed() < Duration::from_secs(20), "the clipboard was never cleared");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(app.state::<ClipboardMark>().text().is_none());
}

#[test]
fn a_favourite_copied_from_the_tray_is_the_cards_copy() {
    // The card's command and the tray item write the same code and bump the same mark.
    let (h, id) = unlocked_with_favourite("tray-same");
    let app = h.window.app_handle().clone();
    assert_eq!(h.invoke("copy_code", json!({"id": id})), Ok(Value::Null));
    let from_card = app.state::<MemoryClipboard>().read();
    app.state::<MemoryClipboard>().clear();
    handle(&app, &format!("{COPY_PREFIX}{id}"));
    let from_tray = app.state::<MemoryClipboard>().read();
    assert!(from_card.is_some());
    // Codes change every 30 s; both come from the same key, so they match unless a step boundary fell between.
    let account = account("Example", "alice@example.com", 0, true);
    let now = now_s();
    let around: Vec<String> = [now - 30, now]
        .iter()
        .map(|&t| twofold_core::otp::code(&account.secret, &account.otp, t).unwrap().code)
        .collect();
    assert!(around.contains(from_tray.as_ref().unwrap()), "{from_tray:?} not in {around:?}");
    assert_eq!(app.state::<ClipboardMark>().generation(), 2);
}

#[test]
fn a_click_on_an_unknown_or_locked_favourite_copies_nothing() {
    let (h, id) = unlocked_with_favourite("tray-nothing");
    let app = h.window.app_handle().clone();
    handle(&app, &format!("{COPY_PREFIX}{}", AccountId(uuid::Uuid::nil())));
    assert_eq!(app.state::<MemoryClipboard>().read(), None);
    handle(&app, LOCK);
    handle(&app, &format!("{COPY_PREFIX}{id}"));
    assert_eq!(app.state::<MemoryClipboard>().read(), None);
}

#[test]
fn lock_from_the_tray_locks_clears_our_code_and_tells_the_ui() {
    let (h, id) = unlocked_with_favourite("tray-lock");
    let app = h.window.app_handle().clone();
    let heard = Arc::new(AtomicUsize::new(0));
    let counter = heard.clone();
    app.listen(crate::ipc::EVENT_VAULT_LOCKED, move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    handle(&app, &format!("{COPY_PREFIX}{id}"));
    assert!(app.state::<MemoryClipboard>().read().is_some());

    handle(&app, LOCK);

    assert_eq!(h.invoke("vault_status", json!({})), Ok(json!("locked")));
    assert_eq!(app.state::<MemoryClipboard>().read(), None, "our code left the clipboard");
    assert_eq!(heard.load(Ordering::SeqCst), 1);
    assert_eq!(shown(&h), menu_model(None));
    assert_eq!(h.invoke("list_accounts", json!({})), Err(json!({"code": "locked", "message": "the vault is locked"})));
}

#[test]
fn lock_keeps_what_the_user_copied_after_us() {
    let (h, id) = unlocked_with_favourite("tray-theirs");
    let app = h.window.app_handle().clone();
    handle(&app, &format!("{COPY_PREFIX}{id}"));
    app.state::<MemoryClipboard>().write("something the user copied");
    handle(&app, LOCK);
    assert_eq!(app.state::<MemoryClipboard>().read().as_deref(), Some("something the user copied"));
}

#[test]
fn close_to_tray_is_off_by_default_and_round_trips() {
    let h = harness("tray-setting");
    let mut settings = h.invoke("get_settings", json!({})).unwrap();
    assert_eq!(settings["closeToTray"], json!(false));
    settings["closeToTray"] = json!(true);
    assert_eq!(h.invoke("update_settings", json!({"settings": settings})), Ok(Value::Null));
    assert_eq!(h.invoke("get_settings", json!({})).unwrap()["closeToTray"], json!(true));
    let on_disk: Value = serde_json::from_slice(&std::fs::read(h.dir.join("settings.json")).unwrap()).unwrap();
    assert_eq!(on_disk["closeToTray"], json!(true));
    // Read back at the next start.
    let state = crate::state::AppState::new(crate::state::Paths::in_dir(&h.dir));
    assert!(state.settings().close_to_tray);
}

#[test]
fn old_settings_files_do_not_close_to_tray() {
    let old =
        json!({"clipboardClearSeconds": 5, "autoLockMinutes": 1, "privacyMode": true, "contentProtection": false});
    let settings: Settings = serde_json::from_value(old).unwrap();
    assert!(!settings.close_to_tray);
}

#[test]
fn closing_hides_only_with_the_setting_and_a_tray() {
    let on = Settings { close_to_tray: true, ..Settings::default() };
    assert!(hides_on_close(&on, true));
    assert!(!hides_on_close(&on, false), "no tray to come back through: closing quits");
    assert!(!hides_on_close(&Settings::default(), true));
}
