//! Command wiring through Tauri's real IPC path (`tauri::test`), pinning the JSON the UI receives.

use serde_json::{Value, json};
use tauri::Manager;

use crate::dialog::Kind;
use crate::testing::{Harness, harness};

#[test]
fn a_fresh_folder_has_no_vault() {
    let h = harness("status");
    assert_eq!(h.invoke("vault_status", json!({})), Ok(json!("no_vault")));
}

#[test]
fn commands_needing_an_open_vault_say_locked() {
    let h = harness("locked");
    let id = "00000000-0000-4000-8000-000000000001";
    let locked = json!({"code": "locked", "message": "the vault is locked"});
    assert_eq!(h.invoke("list_accounts", json!({})), Err(locked.clone()));
    assert_eq!(h.invoke("copy_code", json!({"id": id})), Err(locked.clone()));
    assert_eq!(h.invoke("list_recovery_codes", json!({"id": id})), Err(locked.clone()));
}

#[test]
fn unlocking_without_a_vault_or_password_is_a_clear_error() {
    let h = harness("unlock");
    assert_eq!(
        h.invoke("unlock_vault", json!({"password": ""})),
        Err(json!({"code": "invalid_input", "message": "the password is empty"}))
    );
    assert_eq!(
        h.invoke("unlock_vault", json!({"password": "hunter2"})),
        Err(json!({"code": "no_vault", "message": "there is no vault yet"}))
    );
}

#[test]
fn a_short_new_password_is_refused() {
    let h = harness("short");
    assert_eq!(
        h.invoke("create_vault", json!({"password": "short"})),
        Err(json!({"code": "invalid_input", "message": "the password must have at least 8 characters"}))
    );
}

#[test]
fn an_unknown_account_id_is_not_found() {
    let h = harness("notfound");
    assert_eq!(
        h.invoke("copy_code", json!({"id": "not-a-uuid"})),
        Err(json!({"code": "not_found", "message": "no account with id not-a-uuid"}))
    );
}

#[test]
fn settings_round_trip_through_ipc_and_disk() {
    let h = harness("settings");
    assert_eq!(
        h.invoke("get_settings", json!({})),
        Ok(json!({"clipboardClearSeconds": 30, "autoLockMinutes": 5, "privacyMode": false, "contentProtection": true,
                  "autoBackup": false, "autoBackupFolder": "", "autoBackupKeep": 10,
                  "clockCheck": false, "clockServer": "pool.ntp.org", "closeToTray": false,
                  "listSort": "manual", "compactList": false,
                  "sync": false, "syncFolder": "", "syncWebdav": false}))
    );
    let changed = json!({"clipboardClearSeconds": 5, "autoLockMinutes": 1, "privacyMode": true, "contentProtection": false,
                         "autoBackup": false, "autoBackupFolder": "/b", "autoBackupKeep": 3,
                         "clockCheck": true, "clockServer": "time.example.org:123", "closeToTray": true,
                         "listSort": "mostUsed", "compactList": true,
                         "sync": true, "syncFolder": "/s", "syncWebdav": true});
    assert_eq!(h.invoke("update_settings", json!({"settings": changed})), Ok(Value::Null));
    // The backup and sync folders are not taken from the page (they are chosen through the folder chooser).
    let mut changed = changed;
    changed["autoBackupFolder"] = json!("");
    changed["sync"] = json!(false);
    changed["syncFolder"] = json!("");
    changed["syncWebdav"] = json!(false);
    assert_eq!(h.invoke("get_settings", json!({})), Ok(changed.clone()));
    let on_disk: Value = serde_json::from_slice(&std::fs::read(h.dir.join("settings.json")).unwrap()).unwrap();
    assert_eq!(on_disk, changed);
}

#[test]
fn out_of_range_settings_are_refused() {
    let h = harness("badsettings");
    let bad =
        json!({"clipboardClearSeconds": 100000, "autoLockMinutes": 1, "privacyMode": false, "contentProtection": true});
    // An old settings file without the backup fields: serde fills in the defaults (keep 10, off).
    assert_eq!(
        h.invoke("update_settings", json!({"settings": bad})),
        Err(json!({"code": "invalid_input", "message": "clipboard delay must be at most 3600 seconds"}))
    );
}

#[test]
fn the_data_dir_argument_is_read() {
    let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter();
    assert_eq!(crate::data_dir_arg(args(&["--data-dir", "/x"])), Ok(Some("/x".into())));
    assert_eq!(crate::data_dir_arg(args(&["--data-dir=/y"])), Ok(Some("/y".into())));
    assert_eq!(crate::data_dir_arg(args(&[])), Ok(None));
    assert!(crate::data_dir_arg(args(&["--data-dir"])).is_err());
}

#[test]
fn typed_accounts_are_range_checked_with_the_cores_limits() {
    use crate::ipc::{AlgorithmView, NewAccount, OtpKindView};
    let input = |digits, period, secret: &str| NewAccount {
        issuer: " Example ".into(),
        name: "alice".into(),
        secret: secret.into(),
        kind: OtpKindView::Totp,
        algorithm: AlgorithmView::Sha1,
        digits,
        period,
        counter: 0,
        groups: vec![" Work ".into(), "Work".into(), "".into()],
    };
    let account = crate::commands::accounts::account_from_input(&input(6, 30, "GEZD GNBV GY3T QOJQ"), 100).unwrap();
    assert_eq!((account.issuer.as_str(), account.groups.clone()), ("Example", vec!["Work".to_string()]));
    assert!(crate::commands::accounts::account_from_input(&input(3, 30, "GEZDGNBVGY3TQOJQ"), 0).is_err());
    assert!(crate::commands::accounts::account_from_input(&input(6, 0, "GEZDGNBVGY3TQOJQ"), 0).is_err());
    assert!(crate::commands::accounts::account_from_input(&input(6, 30, "not base32!"), 0).is_err());
}

#[test]
fn create_add_by_link_list_lock_and_unlock_through_ipc() {
    let h = harness("roundtrip");
    let password = json!({"password": "correct horse battery"});
    assert_eq!(h.invoke("create_vault", password.clone()), Ok(Value::Null));
    assert_eq!(h.invoke("vault_status", json!({})), Ok(json!("unlocked")));
    let link = "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example";
    let added = h.invoke("add_account_link", json!({"link": link})).unwrap();
    assert_eq!(added["duplicates"], json!([]));
    let again = h.invoke("add_account_link", json!({"link": link})).unwrap();
    assert_eq!(again["duplicates"], json!(["Example (alice)"]));
    let list = h.invoke("list_accounts", json!({})).unwrap();
    let first = &list["accounts"][0];
    assert_eq!((first["issuer"].clone(), first["digits"].clone()), (json!("Example"), json!(6)));
    assert_eq!(first["code"].as_str().map(str::len), Some(6));
    assert!(first.get("secret").is_none(), "a key crossed IPC: {first}");
    assert_eq!(h.invoke("lock_vault", json!({})), Ok(Value::Null));
    assert_eq!(
        h.invoke("unlock_vault", json!({"password": "not it"})),
        Err(json!({"code": "wrong_password", "message": "wrong password"}))
    );
    assert_eq!(h.invoke("unlock_vault", password), Ok(Value::Null));
    assert_eq!(h.invoke("list_accounts", json!({})).unwrap()["accounts"].as_array().map(Vec::len), Some(2));
}

#[test]
fn an_accounts_qr_code_needs_the_password_and_decodes_to_its_link() {
    use data_encoding::BASE64;
    let h = harness("qr");
    let password = "correct horse battery";
    assert_eq!(h.invoke("create_vault", json!({"password": password})), Ok(Value::Null));
    let link = "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example";
    let id = h.invoke("add_account_link", json!({"link": link})).unwrap()["id"].as_str().unwrap().to_string();

    assert_eq!(
        h.invoke("show_account_qr", json!({"id": id, "password": "not it"})),
        Err(json!({"code": "wrong_password", "message": "wrong password"}))
    );
    assert_eq!(
        h.invoke("show_account_qr", json!({"id": id, "password": ""})),
        Err(json!({"code": "invalid_input", "message": "the password is empty"}))
    );

    let qr = h.invoke("show_account_qr", json!({"id": id, "password": password})).unwrap();
    assert_eq!(qr.as_object().map(|o| o.len()), Some(2), "only the image and its size cross IPC: {qr:?}");
    let png = BASE64.decode(qr["image"].as_str().unwrap().strip_prefix("data:image/png;base64,").unwrap().as_bytes());
    let payloads = twofold_core::qr::decode_image_bytes(&png.unwrap()).unwrap();
    let revealed = h.invoke("reveal_secret", json!({"id": id, "password": password})).unwrap();
    assert_eq!(payloads.len(), 1);
    assert_eq!(payloads[0].as_str(), revealed["link"].as_str().unwrap());
    let decoded = twofold_core::uri::parse(payloads[0].as_str()).unwrap();
    assert_eq!((decoded.issuer.as_str(), decoded.name.as_str()), ("Example", "alice"));
    assert!(qr["size"].as_u64().unwrap() >= 200, "a QR code big enough to scan: {}", qr["size"]);

    assert_eq!(h.invoke("lock_vault", json!({})), Ok(Value::Null));
    assert_eq!(
        h.invoke("show_account_qr", json!({"id": id, "password": password})),
        Err(json!({"code": "locked", "message": "the vault is locked"}))
    );
}
mod follow;
mod iconpacks;
mod icons;
mod import;
mod keyring;
mod keys;
mod lock;
mod sync;
mod texts;
mod webdav;

#[test]
fn old_settings_files_get_the_backup_defaults() {
    let old =
        json!({"clipboardClearSeconds": 5, "autoLockMinutes": 1, "privacyMode": true, "contentProtection": false});
    let settings: crate::ipc::Settings = serde_json::from_value(old).unwrap();
    assert_eq!(
        (settings.auto_backup, settings.auto_backup_folder.as_str(), settings.auto_backup_keep),
        (false, "", 10)
    );
}

#[test]
fn back_up_test_preview_and_restore_through_ipc() {
    let h = harness("backups");
    let password = "correct horse battery";
    assert_eq!(h.invoke("create_vault", json!({"password": password})), Ok(Value::Null));
    for (issuer, key) in [("Alpha", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), ("Beta", "JBSWY3DPEHPK3PXP")] {
        let link = format!("otpauth://totp/{issuer}:me?secret={key}&issuer={issuer}");
        h.invoke("add_account_link", json!({"link": link})).unwrap();
    }
    let path = h.dir.join("my.twofold-backup");
    let file = path.display().to_string();
    let save = h.file(&path, Kind::Write);
    let open = h.file(&path, Kind::Read);

    // The vault's password, checked first; a wrong one writes nothing.
    assert_eq!(
        h.invoke("backup_now", json!({"file": save, "replace": false, "vaultPassword": "nope"})),
        Err(json!({"code": "wrong_password", "message": "wrong password"}))
    );
    assert!(!path.exists());
    assert_eq!(
        h.invoke(
            "backup_now",
            json!({"file": save, "replace": false, "vaultPassword": password,
                                      "backupPassword": "short"})
        ),
        Err(json!({"code": "invalid_input", "message": "the backup password must have at least 8 characters"}))
    );
    let done = h
        .invoke(
            "backup_now",
            json!({"file": save, "replace": false, "vaultPassword": password,
                                     "backupPassword": "backup pass 1"}),
        )
        .unwrap();
    assert_eq!((done["path"].clone(), done["accountCount"].clone()), (json!(file), json!(2)));

    // Testing it touches nothing; a wrong password and a missing file are clear errors.
    let info = h.invoke("check_backup_file", json!({"file": open, "password": "backup pass 1"})).unwrap();
    assert_eq!(info["accountCount"], json!(2));
    assert_eq!(info["created"], done["created"]);
    assert_eq!(
        h.invoke("check_backup_file", json!({"file": open, "password": password})),
        Err(json!({"code": "wrong_password", "message": "wrong password"}))
    );
    let missing = h.dir.join("missing");
    assert_eq!(
        h.invoke("check_backup_file", json!({"file": h.file(&missing, Kind::Read), "password": "x"})),
        Err(json!({"code": "io", "message": format!("no backup at {}", missing.display())}))
    );
    let vault_file = h.dir.join("twofold.vault");
    assert_eq!(
        h.invoke("check_backup_file", json!({"file": h.file(&vault_file, Kind::Read), "password": password})),
        Err(json!({"code": "vault", "message": format!("{} is a Twofold vault, not a backup", vault_file.display())}))
    );

    // Delete one account, then preview: one duplicate left, one new; a merge adds it back.
    let list = h.invoke("list_accounts", json!({})).unwrap();
    let beta = list["accounts"].as_array().unwrap().iter().find(|a| a["issuer"] == "Beta").unwrap()["id"].clone();
    h.invoke("delete_account", json!({"id": beta})).unwrap();
    h.invoke("add_account_link", json!({"link": "otpauth://totp/Gamma:me?secret=MFRGGZDFMZTWQ2LK&issuer=Gamma"}))
        .unwrap();
    let preview = h.invoke("preview_restore", json!({"file": open, "password": "backup pass 1"})).unwrap();
    assert_eq!((&preview["file"], &preview["path"]), (&json!(open), &json!(file)));
    assert_eq!(
        preview["items"],
        json!([{"name": "Alpha (me)", "status": "duplicate"}, {"name": "Beta (me)", "status": "new"}])
    );
    assert_eq!(preview["merge"], json!({"added": 1, "skipped": 1, "replaced": 0, "removed": 0}));
    assert_eq!(preview["replace"], json!({"added": 1, "skipped": 0, "replaced": 1, "removed": 1}));
    let merged = h.invoke("restore_backup", json!({"file": open, "password": "backup pass 1", "mode": "merge"}));
    assert_eq!(merged, Ok(json!({"added": 1, "skipped": 1, "replaced": 0, "removed": 0})));
    let names = |h: &Harness| {
        let list = h.invoke("list_accounts", json!({})).unwrap();
        let mut names: Vec<String> =
            list["accounts"].as_array().unwrap().iter().map(|a| a["issuer"].as_str().unwrap().to_string()).collect();
        names.sort();
        names
    };
    assert_eq!(names(&h), ["Alpha", "Beta", "Gamma"]);
    // A replace can drop every account: it needs the vault password again (issue 13 point 1).
    for (vault_password, error) in [
        (None, json!({"code": "invalid_input", "message": "the password is empty"})),
        (Some("nope"), json!({"code": "wrong_password", "message": "wrong password"})),
    ] {
        let refused = h.invoke(
            "restore_backup",
            json!({"file": open, "password": "backup pass 1", "mode": "replace", "vaultPassword": vault_password}),
        );
        assert_eq!(refused, Err(error));
        assert_eq!(names(&h), ["Alpha", "Beta", "Gamma"]);
    }
    let replaced = h.invoke(
        "restore_backup",
        json!({"file": open, "password": "backup pass 1", "mode": "replace", "vaultPassword": password}),
    );
    assert_eq!(replaced, Ok(json!({"added": 0, "skipped": 0, "replaced": 2, "removed": 1})));
    assert_eq!(names(&h), ["Alpha", "Beta"]);
}

/// Issue 13 point 1: a backup sealed with its own password still needs the vault password.
#[test]
fn a_backup_with_its_own_password_needs_the_vault_password() {
    let h = harness("ownbackup");
    h.invoke("create_vault", json!({"password": "correct horse battery"})).unwrap();
    let path = h.dir.join("own.twofold-backup");
    let save = h.file(&path, Kind::Write);
    for (vault_password, code) in [("", "invalid_input"), ("nope", "wrong_password")] {
        let refused = h.invoke(
            "backup_now",
            json!({"file": save, "replace": false, "vaultPassword": vault_password, "backupPassword": "backup pass 1"}),
        );
        assert_eq!(refused.unwrap_err()["code"], json!(code));
        assert!(!path.exists());
    }
}

/// Issue 21 point 4: an existing backup is not replaced without asking; the answer is typed.
#[test]
fn backups_and_exports_do_not_replace_a_file_without_asking() {
    let h = harness("noreplace");
    let password = "correct horse battery";
    h.invoke("create_vault", json!({"password": password})).unwrap();
    h.invoke("add_account_link", json!({"link": "otpauth://totp/Alpha:me?secret=JBSWY3DPEHPK3PXP&issuer=Alpha"}))
        .unwrap();
    let backup = h.dir.join("old.twofold-backup");
    std::fs::write(&backup, b"an older file").unwrap();
    let save = h.file(&backup, Kind::Write);
    let args = |replace: bool| json!({"file": save, "replace": replace, "vaultPassword": password});
    assert_eq!(
        h.invoke("backup_now", args(false)),
        Err(json!({"code": "file_exists", "message": format!("{} already exists", backup.display())}))
    );
    assert_eq!(std::fs::read(&backup).unwrap(), b"an older file");
    h.invoke("backup_now", args(true)).unwrap();
    assert_ne!(std::fs::read(&backup).unwrap(), b"an older file");

    let export = h.dir.join("exp-aegis-enc.json");
    std::fs::write(&export, b"the encrypted one").unwrap();
    let save = h.file(&export, Kind::Write);
    let args = |replace: bool| {
        json!({"file": save, "replace": replace, "format": "aegis-plain", "vaultPassword": password,
               "acknowledged": true})
    };
    assert_eq!(h.invoke("export_accounts", args(false)).unwrap_err()["code"], json!("file_exists"));
    assert_eq!(std::fs::read(&export).unwrap(), b"the encrypted one");
    h.invoke("export_accounts", args(true)).unwrap();
    assert!(std::fs::read_to_string(&export).unwrap().contains("JBSWY3DPEHPK3PXP"));
}

/// Issue 13 point 8: an export is written like a backup (0600 over a looser file, no symlink followed, no
/// temp file left).
#[cfg(unix)]
#[test]
fn exports_are_written_atomically_and_never_through_a_link() {
    use std::os::unix::fs::PermissionsExt as _;
    let h = harness("exportwrite");
    let password = "correct horse battery";
    h.invoke("create_vault", json!({"password": password})).unwrap();
    h.invoke("add_account_link", json!({"link": "otpauth://totp/Alpha:me?secret=JBSWY3DPEHPK3PXP&issuer=Alpha"}))
        .unwrap();
    let out = h.dir.join("out");
    std::fs::create_dir(&out).unwrap();
    let loose = out.join("links.txt");
    std::fs::write(&loose, b"old").unwrap();
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).unwrap();
    let target = out.join("target.txt");
    std::fs::write(&target, b"not yours").unwrap();
    let link = out.join("link.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let export = |path: &std::path::Path| {
        h.invoke(
            "export_accounts",
            json!({"file": h.file(path, Kind::Write), "replace": true, "format": "otpauth",
                   "vaultPassword": password, "acknowledged": true}),
        )
    };
    export(&loose).unwrap();
    assert_eq!(std::fs::metadata(&loose).unwrap().permissions().mode() & 0o777, 0o600);
    let refused = export(&link).unwrap_err();
    assert_eq!(refused["code"], json!("io"));
    assert!(refused["message"].as_str().unwrap().contains("symbolic link"), "{refused}");
    assert_eq!(std::fs::read(&target).unwrap(), b"not yours");
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["link.txt", "links.txt", "target.txt"], "no temp file is left");
}

#[test]
fn exports_and_transfer_codes_through_ipc() {
    let h = harness("exports");
    let password = "correct horse battery";
    h.invoke("create_vault", json!({"password": password})).unwrap();
    h.invoke("add_account_link", json!({"link": "otpauth://totp/Alpha:me?secret=JBSWY3DPEHPK3PXP&issuer=Alpha"}))
        .unwrap();
    let out = |name: &str| h.dir.join(name).display().to_string();
    let save = |name: &str| h.file(&h.dir.join(name), Kind::Write);

    // Plain formats need the acknowledgement; encrypted ones a password.
    assert_eq!(
        h.invoke(
            "export_accounts",
            json!({"file": save("a.txt"), "replace": false, "format": "otpauth",
                                           "vaultPassword": password, "acknowledged": false})
        ),
        Err(json!({"code": "invalid_input",
                   "message": "this export holds every key in the clear: confirm that you understand first"}))
    );
    assert_eq!(
        h.invoke(
            "export_accounts",
            json!({"file": save("a.json"), "replace": false, "format": "aegis",
                                           "vaultPassword": password, "acknowledged": false})
        ),
        Err(json!({"code": "invalid_input", "message": "an encrypted export needs a password"}))
    );
    // Issue 13 point 1: every format needs the vault password again, whatever else it has.
    for (format, export_password) in [("otpauth", None), ("aegis-plain", None), ("aegis", Some("export pass"))] {
        for (vault_password, code) in
            [(Value::Null, "invalid_args"), (json!(""), "invalid_input"), (json!("nope"), "wrong_password")]
        {
            let refused = h.invoke(
                "export_accounts",
                json!({"file": save("x"), "replace": false, "format": format, "password": export_password,
                       "vaultPassword": vault_password, "acknowledged": true}),
            );
            let refused = refused.unwrap_err();
            if code == "invalid_args" {
                assert!(refused.as_str().is_some_and(|m| m.contains("vaultPassword")), "{format}: {refused}");
            } else {
                assert_eq!(refused["code"], json!(code), "{format}");
            }
            assert!(!h.dir.join("x").exists());
        }
    }
    for (file, format, export_password) in [
        ("a.txt", "otpauth", None),
        ("p.json", "aegis-plain", None),
        ("e.json", "aegis", Some("export pass")),
        ("paper.html", "paper", None),
    ] {
        let done = h
            .invoke(
                "export_accounts",
                json!({"file": save(file), "replace": false, "format": format, "password": export_password,
                       "vaultPassword": password, "acknowledged": export_password.is_none()}),
            )
            .unwrap();
        assert_eq!(done["path"], json!(out(file)), "{format}");
        assert_eq!(done["format"], json!(format));
        assert!(done["count"].as_u64().unwrap() >= 1, "{format}: {done}");
        assert!(done["written"].as_i64().unwrap() > 0, "{format}: {done}");
        assert!(std::fs::metadata(out(file)).unwrap().len() > 0);
    }
    let text = std::fs::read_to_string(out("a.txt")).unwrap();
    assert!(text.contains("secret=JBSWY3DPEHPK3PXP"));

    // A file chosen to be read cannot be named as an export's destination.
    let read_only = h.file(&h.dir.join("a.txt"), Kind::Read);
    let refused = h.invoke(
        "export_accounts",
        json!({"file": read_only, "replace": true, "format": "otpauth", "vaultPassword": password,
               "acknowledged": true}),
    );
    assert!(refused.unwrap_err()["message"].as_str().unwrap().contains("chosen for something else"));

    // Transfer codes: the vault password again, and only images come back.
    assert_eq!(
        h.invoke("show_transfer_codes", json!({"password": "nope"})),
        Err(json!({"code": "wrong_password", "message": "wrong password"}))
    );
    let transfer = h.invoke("show_transfer_codes", json!({"password": password})).unwrap();
    let codes = transfer["codes"].as_array().unwrap();
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0]["names"], json!(["Alpha (me)"]));
    let body = transfer.to_string();
    assert!(!body.contains("JBSWY3DPEHPK3PXP") && !body.contains("otpauth"), "a secret crossed IPC: {body}");
    let image = codes[0]["image"].as_str().unwrap();
    let png = data_encoding::BASE64.decode(image.strip_prefix("data:image/png;base64,").unwrap().as_bytes()).unwrap();
    let decoded = twofold_core::qr::decode_image_bytes(&png).unwrap();
    let link = decoded[0].as_str();
    let accounts = twofold_core::migration::decode(link).unwrap().accounts;
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].secret, twofold_core::Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap());
}

/// Issue 21 point 15: what each format leaves out is said before (the format list) and after (the result).
#[test]
fn exports_say_what_they_leave_out() {
    let h = harness("losses");
    let password = "correct horse battery";
    h.invoke("create_vault", json!({"password": password})).unwrap();
    h.invoke("add_account_link", json!({"link": "otpauth://totp/Alpha:me?secret=JBSWY3DPEHPK3PXP&issuer=Alpha"}))
        .unwrap();
    let id = h.invoke("list_accounts", json!({})).unwrap()["accounts"][0]["id"].clone();
    h.invoke("add_recovery_codes", json!({"id": id, "codes": "1111-2222\n3333-4444"})).unwrap();
    let formats = h.invoke("export_formats", json!({})).unwrap();
    let otpauth = formats.as_array().unwrap().iter().find(|f| f["format"] == "otpauth").unwrap().clone();
    assert_eq!(
        otpauth["leavesOut"],
        json!(["recovery_codes", "notes", "groups", "favorite", "icons", "usage_history"])
    );
    assert!(otpauth["suggestedName"].as_str().unwrap().starts_with("twofold-export-otpauth-"));
    assert!(otpauth["suggestedName"].as_str().unwrap().ends_with(".txt"));
    let aegis = formats.as_array().unwrap().iter().find(|f| f["format"] == "aegis").unwrap().clone();
    assert_eq!(aegis["leavesOut"], json!(["recovery_codes", "usage_history"]));
    assert_eq!(aegis["plaintext"], json!(false));
    for format in ["otpauth", "paper", "aegis-plain"] {
        let done = h
            .invoke(
                "export_accounts",
                json!({"file": h.file(&h.dir.join(format), Kind::Write), "replace": false, "format": format,
                       "vaultPassword": password, "acknowledged": true}),
            )
            .unwrap();
        assert_eq!(done["losses"], json!([{"account": "Alpha (me)", "kind": "recovery_codes"}]), "{format}");
        assert!(done["leavesOut"].as_array().unwrap().contains(&json!("recovery_codes")), "{format}");
    }
}

/// Issue 13 point 1: recovery codes are listed masked; the codes need the vault password.
#[test]
fn recovery_codes_are_masked_until_the_vault_password() {
    let h = harness("recovery");
    let password = "correct horse battery";
    h.invoke("create_vault", json!({"password": password})).unwrap();
    h.invoke("add_account_link", json!({"link": "otpauth://totp/Alpha:me?secret=JBSWY3DPEHPK3PXP&issuer=Alpha"}))
        .unwrap();
    let id = h.invoke("list_accounts", json!({})).unwrap()["accounts"][0]["id"].clone();
    assert_eq!(h.invoke("add_recovery_codes", json!({"id": id, "codes": "abcd-efgh-1234\nshort"})), Ok(json!(2)));
    let list = h.invoke("list_recovery_codes", json!({"id": id})).unwrap();
    assert_eq!(
        list,
        json!([{"index": 0, "code": null, "hint": "34", "used": false},
               {"index": 1, "code": null, "hint": "", "used": false}])
    );
    assert!(!list.to_string().contains("abcd"), "{list}");
    for (password, code) in [("", "invalid_input"), ("nope", "wrong_password")] {
        let refused = h.invoke("reveal_recovery_codes", json!({"id": id, "password": password}));
        assert_eq!(refused.unwrap_err()["code"], json!(code));
    }
    let revealed = h.invoke("reveal_recovery_codes", json!({"id": id, "password": password})).unwrap();
    assert_eq!(revealed[0]["code"], json!("abcd-efgh-1234"));
    assert_eq!(revealed[1]["code"], json!("short"));
    // A code already saved (spaces and case aside) is refused, since the list no longer shows it.
    assert_eq!(
        h.invoke("add_recovery_codes", json!({"id": id, "codes": "ABCD-EFGH-1234"})),
        Err(json!({"code": "invalid_input", "message": "already saved: ABCD-EFGH-1234"}))
    );
}

/// Issue 13 point 7: the backup folder is set through the folder chooser, never from settings text.
#[test]
fn the_backup_folder_is_chosen_not_typed() {
    let h = harness("folder");
    let password = "correct horse battery";
    h.invoke("create_vault", json!({"password": password})).unwrap();
    let mut settings = h.invoke("get_settings", json!({})).unwrap();
    settings["autoBackupFolder"] = json!("/tmp/typed-by-the-webview");
    h.invoke("update_settings", json!({"settings": settings})).unwrap();
    assert_eq!(h.invoke("get_settings", json!({})).unwrap()["autoBackupFolder"], json!(""));
    let folder = h.dir.join("backups");
    std::fs::create_dir(&folder).unwrap();
    let saved = h
        .invoke(
            "set_auto_backup",
            json!({"enabled": false, "folder": h.file(&folder, Kind::Folder), "keep": 5, "password": null}),
        )
        .unwrap();
    assert_eq!(saved["autoBackupFolder"], json!(folder.display().to_string()));
    let wrong_kind = h.file(&folder, Kind::Read);
    let refused = h.invoke("set_auto_backup", json!({"enabled": false, "folder": wrong_kind, "keep": 5}));
    assert_eq!(refused.unwrap_err()["code"], json!("invalid_input"));
}

#[test]
fn automatic_backups_are_turned_on_with_the_vault_password_and_report_failures() {
    let h = harness("autobackup");
    let password = "correct horse battery";
    h.invoke("create_vault", json!({"password": password})).unwrap();
    let status = h.invoke("backup_status", json!({})).unwrap();
    assert_eq!((status["enabled"].clone(), status["kind"].clone()), (json!(false), json!("off")));
    assert_eq!(
        h.invoke("set_auto_backup", json!({"enabled": true, "folder": "", "keep": 10, "password": password})),
        Err(json!({"code": "invalid_input", "message": "choose a folder for automatic backups"}))
    );
    std::fs::write(h.dir.join("a-file"), b"x").unwrap();
    let bad_path = h.dir.join("a-file").join("backups");
    let bad = h.file(&bad_path, Kind::Folder);
    assert_eq!(
        h.invoke("set_auto_backup", json!({"enabled": true, "folder": bad, "keep": 10, "password": "nope"})),
        Err(json!({"code": "wrong_password", "message": "wrong password"}))
    );
    let settings =
        h.invoke("set_auto_backup", json!({"enabled": true, "folder": bad, "keep": 10, "password": password})).unwrap();
    let shown = json!(bad_path.display().to_string());
    assert_eq!((settings["autoBackup"].clone(), settings["autoBackupFolder"].clone()), (json!(true), shown));
    h.invoke("add_account_link", json!({"link": "otpauth://totp/Alpha:me?secret=JBSWY3DPEHPK3PXP&issuer=Alpha"}))
        .unwrap();
    // Whether the background thread got there first or not, the attempt has been made after this.
    let state = h.window.state::<crate::state::AppState>();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    state.backups.run_pending(now, true);
    let status = h.invoke("backup_status", json!({})).unwrap();
    assert_eq!(status["enabled"], json!(true), "{status}");
    assert!(status["message"].as_str().unwrap().starts_with("Backup failed"), "{status}");
    assert_eq!(status["kind"], json!("failed"), "{status}");
    assert!(status["failure"].as_str().unwrap().contains("could not create the backup folder"), "{status}");
}

#[test]
fn a_link_received_while_locked_waits_for_the_unlock() {
    use tauri::Manager;
    let h = harness("deeplink");
    let link = "otpauth://totp/Example:alice@example.com?secret=GEZDGNBVGY3TQOJQ&issuer=Example";
    crate::deeplink::receive(h.window.app_handle(), [link.to_string(), "https://example.com/".to_string()]);
    // No vault yet, then locked: nothing is handed to the webview, and the link is kept.
    assert_eq!(h.invoke("take_pending_link", json!({})), Ok(Value::Null));
    assert_eq!(h.invoke("create_vault", json!({"password": "correct horse"})), Ok(Value::Null));
    assert_eq!(h.invoke("lock_vault", json!({})), Ok(Value::Null));
    assert_eq!(h.invoke("take_pending_link", json!({})), Ok(Value::Null));
    assert_eq!(h.window.state::<crate::deeplink::PendingLinks>().len(), 1);
    // Open: the link comes out once, staged for confirmation; only its description crosses IPC, and saving
    // it is the add dialog's job (the user confirms there).
    assert_eq!(h.invoke("unlock_vault", json!({"password": "correct horse"})), Ok(Value::Null));
    let opened = h.invoke("take_pending_link", json!({})).unwrap();
    assert_eq!(opened["accounts"][0]["issuer"], json!("Example"));
    assert_eq!(opened["accounts"][0]["name"], json!("alice@example.com"));
    let body = opened.to_string();
    assert!(!body.contains("GEZDGNBV") && !body.contains("otpauth"), "the link crossed IPC: {body}");
    assert_eq!(h.invoke("take_pending_link", json!({})), Ok(Value::Null));
    assert_eq!(h.invoke("list_accounts", json!({})).unwrap()["accounts"], json!([]));
    let added = h.invoke("add_pending", json!({"indices": [0]})).unwrap();
    assert_eq!(added.as_array().map(Vec::len), Some(1));
    assert_eq!(h.invoke("list_accounts", json!({})).unwrap()["accounts"][0]["issuer"], json!("Example"));
}

#[test]
fn saving_the_settings_page_keeps_the_remembered_camera() {
    use tauri::Manager;
    let h = harness("camera-kept");
    // The Add account dialog remembered a camera after the settings page loaded (without it, or with an older one).
    let page = h.invoke("get_settings", json!({})).unwrap();
    let state = h.window.state::<crate::state::AppState>();
    state
        .replace_settings(|s| {
            s.camera = Some("fake:/tmp/frames.y4m".into());
            Ok(())
        })
        .unwrap();
    for camera in [None, Some("device:0")] {
        let mut page = page.clone();
        page["clipboardClearSeconds"] = json!(10);
        if let Some(camera) = camera {
            page["camera"] = json!(camera);
        }
        assert_eq!(h.invoke("update_settings", json!({"settings": page})), Ok(Value::Null));
        let now = h.invoke("get_settings", json!({})).unwrap();
        assert_eq!(
            (now["camera"].clone(), now["clipboardClearSeconds"].clone()),
            (json!("fake:/tmp/frames.y4m"), json!(10))
        );
    }
}

#[test]
fn the_list_carries_each_accounts_use_for_the_most_and_recently_used_orders() {
    let h = harness("use");
    assert_eq!(h.invoke("create_vault", json!({"password": "correct horse battery"})), Ok(Value::Null));
    let link = "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example";
    h.invoke("add_account_link", json!({"link": link})).unwrap();
    let list = h.invoke("list_accounts", json!({})).unwrap();
    let account = &list["accounts"][0];
    assert_eq!((&account["useCount"], &account["lastUsed"]), (&json!(0), &json!(null)));
}
