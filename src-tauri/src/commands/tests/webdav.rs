//! The WebDAV sync verbs through Tauri's real IPC path, against the real servers of the shared test harness
//! (`tests/src/servers/`: Apache `mod_dav`, `rclone serve webdav`) and its faulty one: the settings are kept in
//! the vault and the app password is in no IPC answer and no settings file; turning WebDAV off deletes
//! nothing; two app instances (two data folders) configured to one file end in step after concurrent edits;
//! each failure has its code.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use serde_json::{Value, json};
use twofold_tests::servers::free_port;
use twofold_tests::servers::webdav::{Fault, FaultyServer, Kind, PASSWORD, USER, WebDavServer};

use crate::testing::harness;

const VAULT_PASSWORD: &str = "correct horse battery";

fn link(issuer: &str) -> Value {
    json!({"link": format!("otpauth://totp/{issuer}:me?secret=JBSWY3DPEHPK3PXP&issuer={issuer}")})
}

fn issuers(list: &Value) -> Vec<String> {
    let mut names: Vec<String> =
        list["accounts"].as_array().unwrap().iter().map(|a| a["issuer"].as_str().unwrap().to_string()).collect();
    names.sort();
    names
}

fn turn_on(h: &crate::testing::Harness, url: &str, password: Option<&str>) -> Value {
    h.invoke("set_webdav_sync", json!({"enabled": true, "url": url, "user": USER, "appPassword": password})).unwrap()
}

#[test]
fn webdav_settings_stay_in_the_vault_the_password_never_comes_back_and_off_deletes_nothing() {
    let Some(server) = WebDavServer::rclone("shell_webdav_settings") else { return };
    let h = harness("webdav-settings");
    h.invoke("create_vault", json!({"password": VAULT_PASSWORD})).unwrap();
    h.invoke("add_account_link", link("Mine")).unwrap();
    let url = server.url("twofold.vault");
    let mut answers = Vec::new();

    let none = h.invoke("webdav_settings", json!({})).unwrap();
    assert_eq!(none, json!({"url": "", "user": "", "passwordSet": false, "enabled": false}));
    let check = h.invoke("check_webdav", json!({"url": url, "user": USER, "appPassword": PASSWORD})).unwrap();
    assert_eq!((check["ok"].clone(), check["exists"].clone()), (json!(true), json!(false)), "{check}");
    answers.push(check);

    let status = turn_on(&h, &url, Some(PASSWORD));
    assert_eq!(status["state"], json!("in_step"), "{status}");
    assert_eq!((status["webdav"].clone(), status["folder"].clone()), (json!(true), json!(url)));
    assert!(server.root.join("twofold.vault").exists(), "the copy is on the server");
    answers.push(status);

    let view = h.invoke("webdav_settings", json!({})).unwrap();
    assert_eq!(view, json!({"url": url, "user": USER, "passwordSet": true, "enabled": true}));
    answers.push(view);
    let settings = h.invoke("get_settings", json!({})).unwrap();
    assert_eq!((settings["sync"].clone(), settings["syncWebdav"].clone()), (json!(true), json!(true)));
    answers.push(settings);

    // Applying again without retyping the password keeps the one in the vault.
    let again = turn_on(&h, &url, None);
    assert_eq!(again["state"], json!("in_step"), "{again}");
    answers.push(again);
    let check = h.invoke("check_webdav", json!({"url": url, "user": USER, "appPassword": null})).unwrap();
    assert_eq!((check["ok"].clone(), check["exists"].clone()), (json!(true), json!(true)), "{check}");
    answers.push(check);
    answers.push(h.invoke("sync_now", json!({})).unwrap());
    answers.push(h.invoke("sync_status", json!({})).unwrap());

    for answer in &answers {
        assert!(!answer.to_string().contains(PASSWORD), "{answer}");
    }
    for file in ["settings.json", "twofold.vault"] {
        let bytes = std::fs::read(h.dir.join(file)).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(PASSWORD), "{file} holds the app password in clear");
    }

    let off =
        h.invoke("set_webdav_sync", json!({"enabled": false, "url": "", "user": "", "appPassword": null})).unwrap();
    assert_eq!(off["state"], json!("off"), "{off}");
    assert!(server.root.join("twofold.vault").exists(), "turning WebDAV off deletes nothing on the server");
    let kept = h.invoke("webdav_settings", json!({})).unwrap();
    assert_eq!(kept, json!({"url": url, "user": USER, "passwordSet": true, "enabled": false}));
    assert_eq!(issuers(&h.invoke("list_accounts", json!({})).unwrap()), vec!["Mine"]);

    // Turning the folder on turns WebDAV off: one way at a time.
    turn_on(&h, &url, None);
    let shared = h.dir.join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    let folder = h.file(&shared, crate::dialog::Kind::Folder);
    let settings = h.invoke("set_sync", json!({"enabled": true, "folder": folder})).unwrap();
    assert_eq!((settings["sync"].clone(), settings["syncWebdav"].clone()), (json!(true), json!(false)));
    assert_eq!(h.invoke("sync_now", json!({})).unwrap()["webdav"], json!(false));
}

/// The two computers' meeting points. Unlike `std::sync::Barrier`, a computer whose assertion fails breaks it on
/// the way out, so the other one fails at its next meeting instead of waiting for ever and hiding the first
/// failure; a meeting that takes longer than a minute fails too.
struct Meeting {
    state: Mutex<(usize, u64, bool)>,
    turn: Condvar,
}

impl Meeting {
    fn new() -> Self {
        Meeting { state: Mutex::new((0, 0, false)), turn: Condvar::new() }
    }

    fn wait(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        assert!(!state.2, "the other computer failed");
        let generation = state.1;
        state.0 += 1;
        if state.0 == 2 {
            *state = (0, generation + 1, false);
            self.turn.notify_all();
            return;
        }
        let (state, timeout) = self
            .turn
            .wait_timeout_while(state, Duration::from_secs(60), |s| s.1 == generation && !s.2)
            .unwrap_or_else(|e| e.into_inner());
        assert!(!state.2, "the other computer failed");
        assert!(!timeout.timed_out(), "the other computer did not arrive within a minute");
    }

    /// Held by each computer: breaks the meeting if that computer panics.
    fn attend(&self) -> Attendance<'_> {
        Attendance(self)
    }
}

struct Attendance<'a>(&'a Meeting);

impl Drop for Attendance<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.state.lock().unwrap_or_else(|e| e.into_inner()).2 = true;
            self.0.turn.notify_all();
        }
    }
}

/// One computer: its own app and data folder, an account of its own, WebDAV on, then an edit and a round made
/// at the same moment as the other computer's, then rounds in turn. Returns the issuers it ends with.
fn computer(name: &str, url: &str, kind: Kind, meeting: &Meeting) -> Vec<String> {
    let _attendance = meeting.attend();
    let h = harness(&format!("webdav-{name}-{kind:?}"));
    h.invoke("create_vault", json!({"password": VAULT_PASSWORD})).unwrap();
    h.invoke("add_account_link", link(&format!("{name}-first"))).unwrap();
    let on = turn_on(&h, url, Some(PASSWORD));
    assert_eq!(on["state"], json!("in_step"), "{name}: {on}");
    meeting.wait();
    // Both computers edit and sync at once.
    h.invoke("add_account_link", link(&format!("{name}-second"))).unwrap();
    let raced = h.invoke("sync_now", json!({})).unwrap();
    // rclone writes files in place: a GET racing the other computer's PUT gets the first bytes of the file.
    // The round fetches such a copy again a few times; on a loaded machine it may still be arriving after
    // those, and then the round says so and leaves it for the next one (below), which must be in step.
    let still_arriving = kind == Kind::Rclone && raced["state"] == json!("failed") && raced["problem"] == json!("copy");
    assert!(raced["state"] == json!("in_step") || still_arriving, "{name}: {raced}");
    meeting.wait();
    // Then rounds in turn, as the poll and the next saves would run them: a server that ignores `If-Match`
    // (rclone) may have let the racing writes replace each other; the next round of the side whose write was
    // replaced puts it back, because its local vault still holds it.
    for turn in ["A", "B", "A", "B"] {
        if turn == name {
            let round = h.invoke("sync_now", json!({})).unwrap();
            assert_eq!(round["state"], json!("in_step"), "{name}: {round}");
        }
        meeting.wait();
    }
    issuers(&h.invoke("list_accounts", json!({})).unwrap())
}

fn two_computers_end_in_step(kind: Kind) {
    let Some(server) = WebDavServer::start(kind, "shell_webdav_two_computers") else { return };
    let url = server.url("twofold.vault");
    let meeting = Meeting::new();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| computer("A", &url, kind, &meeting));
        let b = s.spawn(|| computer("B", &url, kind, &meeting));
        (a.join().unwrap(), b.join().unwrap())
    });
    let all = vec!["A-first", "A-second", "B-first", "B-second"];
    assert_eq!(a, all, "{kind:?}: computer A");
    assert_eq!(b, all, "{kind:?}: computer B");
}

#[test]
fn two_computers_end_in_step_through_apache() {
    two_computers_end_in_step(Kind::Apache);
}

#[test]
fn two_computers_end_in_step_through_rclone() {
    two_computers_end_in_step(Kind::Rclone);
}

#[test]
fn each_webdav_failure_has_its_code_and_keeps_the_password_out() {
    let h = harness("webdav-errors");
    h.invoke("create_vault", json!({"password": VAULT_PASSWORD})).unwrap();
    h.invoke("add_account_link", link("Mine")).unwrap();
    let unauthorized = FaultyServer::start(Fault::Status(401));
    let full = FaultyServer::start(Fault::Status(507));
    let not_tls = FaultyServer::start(Fault::NotTls);
    let nobody = format!("http://127.0.0.1:{}/twofold.vault", free_port());
    let cases = [
        (unauthorized.url("twofold.vault"), "unauthorized"),
        (full.url("twofold.vault"), "no_space"),
        (nobody, "unreachable"),
        (format!("https://127.0.0.1:{}/twofold.vault", not_tls.port), "tls"),
    ];
    for (url, problem) in cases {
        let check = h.invoke("check_webdav", json!({"url": url, "user": USER, "appPassword": PASSWORD})).unwrap();
        assert_eq!((check["ok"].clone(), check["problem"].clone()), (json!(false), json!(problem)), "{check}");
        let status = turn_on(&h, &url, Some(PASSWORD));
        assert_eq!((status["state"].clone(), status["problem"].clone()), (json!("failed"), json!(problem)), "{status}");
        for answer in [&check, &status] {
            assert!(!answer.to_string().contains(PASSWORD), "{answer}");
        }
    }
    // Plain http to another computer, or no address at all, is refused before anything is saved, with a detail
    // the UI words.
    let refused = h
        .invoke_worded(
            "set_webdav_sync",
            json!({"enabled": true, "url": "http://cloud.example/dav/", "user": USER, "appPassword": "x"}),
        )
        .unwrap_err();
    assert_eq!(refused["code"], json!("invalid_input"), "{refused}");
    assert_eq!(refused["detail"]["key"], json!("detail.webdav_not_allowed"), "{refused}");
    let refused = h
        .invoke_worded(
            "set_webdav_sync",
            json!({"enabled": true, "url": "not an address", "user": USER, "appPassword": "x"}),
        )
        .unwrap_err();
    assert_eq!(refused["detail"]["key"], json!("detail.webdav_bad_url"), "{refused}");
    let check = h
        .invoke("check_webdav", json!({"url": "http://cloud.example/dav/", "user": USER, "appPassword": "x"}))
        .unwrap();
    assert_eq!(check["problem"], json!("not_allowed"), "{check}");
    // No local edit was lost to any failure.
    assert_eq!(issuers(&h.invoke("list_accounts", json!({})).unwrap()), vec!["Mine"]);
}

#[test]
fn a_server_copy_locked_with_another_password_asks_for_it() {
    let Some(server) = WebDavServer::rclone("shell_webdav_copy_password") else { return };
    let url = server.url("twofold.vault");
    let laptop = harness("webdav-laptop");
    laptop.invoke("create_vault", json!({"password": "the laptop's password"})).unwrap();
    laptop.invoke("add_account_link", link("FromLaptop")).unwrap();
    assert_eq!(turn_on(&laptop, &url, Some(PASSWORD))["state"], json!("in_step"));

    let h = harness("webdav-desk");
    h.invoke("create_vault", json!({"password": VAULT_PASSWORD})).unwrap();
    let status = turn_on(&h, &url, Some(PASSWORD));
    assert_eq!(status["state"], json!("password_needed"), "{status}");
    let wrong = h.invoke("sync_copy_password", json!({"password": "nope nope"})).unwrap_err();
    assert_eq!(wrong["code"], json!("wrong_password"), "{wrong}");
    let status = h.invoke("sync_copy_password", json!({"password": "the laptop's password"})).unwrap();
    assert_eq!(status["state"], json!("in_step"), "{status}");
    assert!(!status.to_string().contains("laptop's password"));
    assert_eq!(issuers(&h.invoke("list_accounts", json!({})).unwrap()), vec!["FromLaptop"]);
}
