//! The Import page's commands through Tauri's IPC path: a plain file previewed and imported with its
//! duplicate unchecked, an encrypted file with a wrong then the right password, the pending file dropped on
//! lock and after import, and the errors the page shows.

use serde_json::{Value, json};
use twofold_core::export::{self, PlaintextAck, Protection};
use twofold_core::{Account, OtpParams, Secret};

use crate::testing::{Harness, harness};

const VAULT_PASSWORD: &str = "correct horse battery";
const FILE_PASSWORD: &str = "file password";
/// RFC 6238's SHA-1 key, the key of the first account of [`accounts`].
const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn accounts() -> Vec<Account> {
    let account = |issuer: &str, name: &str, key: &str, otp: OtpParams| {
        Account::new(issuer, name, Secret::parse_base32(key).unwrap(), otp, 0)
    };
    vec![
        account("Example", "alice", KEY, OtpParams::default_totp()),
        account("GitHub", "bob", "JBSWY3DPEHPK3PXP", OtpParams::default_totp()),
        account("Steam", "carol", "MFRGGZDFMZTWQ2LK", OtpParams::steam()),
    ]
}

/// The token the webview would get for `path` from the chooser or a drop.
fn token(h: &Harness, path: impl AsRef<std::path::Path>) -> String {
    h.file(path.as_ref(), crate::dialog::Kind::Read)
}

/// An Aegis export of [`accounts`] written into the harness folder by the core's exporter.
fn aegis_file(h: &Harness, name: &str, encrypted: bool) -> String {
    let (format, protection) = if encrypted {
        (export::Format::AegisEncrypted, Protection::Password(FILE_PASSWORD))
    } else {
        (export::Format::AegisPlain, Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets()))
    };
    let exported = export::export(&accounts(), format, protection, 0).unwrap();
    let path = h.dir.join(name);
    std::fs::write(&path, exported.bytes.as_slice()).unwrap();
    path.display().to_string()
}

/// A harness with an open vault holding the first account of the file already.
fn with_vault(name: &str) -> Harness {
    let h = harness(name);
    assert_eq!(h.invoke("create_vault", json!({"password": VAULT_PASSWORD})), Ok(Value::Null));
    let link = format!("otpauth://totp/Example:alice?secret={KEY}&issuer=Example");
    h.invoke("add_account_link", json!({"link": link})).unwrap();
    h
}

fn names(list: &Value) -> Vec<String> {
    list["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| format!("{} ({})", a["issuer"].as_str().unwrap(), a["name"].as_str().unwrap()))
        .collect()
}

#[test]
fn a_plain_file_is_previewed_without_keys_and_the_chosen_entries_imported() {
    let h = with_vault("import-plain");
    let path = aegis_file(&h, "aegis-plain.json", false);
    let file = h.invoke("choose_import_file", json!({"file": token(&h, &path)})).unwrap();
    assert_eq!(
        file,
        json!({
            "fileName": "aegis-plain.json", "app": "Aegis", "format": "aegis", "encrypted": false,
            "preview": {
                "entries": [
                    {"index": 0, "issuer": "Example", "name": "alice", "kind": "totp", "algorithm": "SHA1", "digits": 6,
                     "period": 30, "duplicate": true, "duplicates": ["Example (alice)"], "warnings": []},
                    {"index": 1, "issuer": "GitHub", "name": "bob", "kind": "totp", "algorithm": "SHA1", "digits": 6,
                     "period": 30, "duplicate": false, "duplicates": [], "warnings": []},
                    {"index": 2, "issuer": "Steam", "name": "carol", "kind": "steam", "algorithm": "SHA1", "digits": 5,
                     "period": 30, "duplicate": false, "duplicates": [], "warnings": []},
                ],
                "problems": [],
            },
        })
    );
    assert!(!file.to_string().contains("JBSWY3DP"), "a key crossed IPC: {file}");

    let outcome = h.invoke("import_accounts", json!({"indices": [1]})).unwrap();
    assert_eq!(
        outcome,
        json!({
            "added": ["GitHub (bob)"], "skippedDuplicates": ["Example (alice)"], "leftOut": 1,
            "problems": [], "warnings": [],
        })
    );
    let list = h.invoke("list_accounts", json!({})).unwrap();
    assert_eq!(names(&list), ["Example (alice)", "GitHub (bob)"]);
    // The imported account's code is the core's code for its key.
    let now = list["now"].as_i64().unwrap() / 1000;
    let expected =
        twofold_core::otp::code(&Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap(), &OtpParams::default_totp(), now)
            .unwrap()
            .code;
    assert_eq!(list["accounts"][1]["code"], json!(expected));

    // After an import the file is forgotten.
    let none = json!({"code": "invalid_input", "message": "no file is being imported: choose one first"});
    assert_eq!(h.invoke("import_accounts", json!({"indices": [2]})), Err(none));
}

#[test]
fn an_encrypted_file_asks_for_its_password_and_a_wrong_one_can_be_retried() {
    let h = with_vault("import-encrypted");
    let path = aegis_file(&h, "aegis-encrypted.json", true);
    let file = h.invoke("choose_import_file", json!({"file": token(&h, &path)})).unwrap();
    assert_eq!(
        file,
        json!({"fileName": "aegis-encrypted.json", "app": "Aegis", "format": "aegis", "encrypted": true, "preview": null})
    );
    assert_eq!(
        h.invoke("import_accounts", json!({"indices": [0]})),
        Err(json!({"code": "invalid_input", "message": "give the file’s password first"}))
    );
    assert_eq!(
        h.invoke("unlock_import_file", json!({"password": "not it"})),
        Err(json!({"code": "wrong_password", "message": "wrong password"}))
    );
    assert_eq!(
        h.invoke("unlock_import_file", json!({"password": ""})),
        Err(json!({"code": "invalid_input", "message": "the password is empty"}))
    );
    let file = h.invoke("unlock_import_file", json!({"password": FILE_PASSWORD})).unwrap();
    let entries = file["preview"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert_eq!(
        entries.iter().map(|e| e["duplicate"].clone()).collect::<Vec<_>>(),
        [json!(true), json!(false), json!(false)]
    );
    assert_eq!(
        h.invoke("import_accounts", json!({"indices": [7]})),
        Err(json!({"code": "invalid_input", "message": "the file has no entry number 8"}))
    );
    assert_eq!(
        h.invoke("import_accounts", json!({"indices": []})),
        Err(json!({"code": "invalid_input", "message": "choose at least one account"}))
    );
    let outcome = h.invoke("import_accounts", json!({"indices": [1, 2]})).unwrap();
    assert_eq!(outcome["added"], json!(["GitHub (bob)", "Steam (carol)"]));
    assert_eq!(names(&h.invoke("list_accounts", json!({})).unwrap()).len(), 3);
}

#[test]
fn locking_drops_the_pending_file() {
    let h = with_vault("import-lock");
    let path = aegis_file(&h, "aegis-plain.json", false);
    h.invoke("choose_import_file", json!({"file": token(&h, &path)})).unwrap();
    assert_eq!(h.invoke("lock_vault", json!({})), Ok(Value::Null));
    let locked = json!({"code": "locked", "message": "the vault is locked"});
    assert_eq!(h.invoke("import_accounts", json!({"indices": [1]})), Err(locked.clone()));
    assert_eq!(h.invoke("unlock_vault", json!({"password": VAULT_PASSWORD})), Ok(Value::Null));
    assert_eq!(
        h.invoke("import_accounts", json!({"indices": [1]})),
        Err(json!({"code": "invalid_input", "message": "no file is being imported: choose one first"}))
    );
    // Cancelling forgets the file too.
    h.invoke("choose_import_file", json!({"file": token(&h, aegis_file(&h, "again.json", false))})).unwrap();
    assert_eq!(h.invoke("cancel_import", json!({})), Ok(Value::Null));
    assert!(h.invoke("import_accounts", json!({"indices": [1]})).is_err());
    assert_eq!(names(&h.invoke("list_accounts", json!({})).unwrap()), ["Example (alice)"]);
}

#[test]
fn unreadable_files_are_clear_errors() {
    let h = with_vault("import-errors");
    let missing = h.dir.join("missing.json");
    let error = h.invoke_worded("choose_import_file", json!({"file": token(&h, &missing)})).unwrap_err();
    assert_eq!(error["code"], json!("io"));
    assert_eq!(error["message"], json!(format!("could not read {}: it does not exist", missing.display())));
    // The UI words the detail: the operating system's error arrives as a kind, not as its English text.
    assert_eq!(
        error["detail"],
        json!({"key": "detail.io_read", "params": {
            "path": missing.display().to_string(),
            "reason": {"key": "detail.os_not_found", "params": {}}
        }})
    );

    let junk = h.dir.join("notes.txt");
    std::fs::write(&junk, "shopping list: milk, eggs").unwrap();
    assert_eq!(
        h.invoke_worded("choose_import_file", json!({"file": token(&h, &junk)})),
        Err(json!({
            "code": "invalid_input",
            "message": "notes.txt: this file is not an export of any app we can import from",
            "detail": {"key": "detail.in_file", "params": {
                "file": "notes.txt",
                "reason": {"key": "detail.import_unknown_format", "params": {}}
            }},
        }))
    );
    assert_eq!(
        h.invoke("choose_import_file", json!({"file": token(&h, &h.dir)})),
        Err(json!({"code": "invalid_input", "message": format!("{} is not a file", h.dir.display())}))
    );

    // Link warnings and unreadable entries reach the preview.
    let links = h.dir.join("links.txt");
    std::fs::write(
        &links,
        "otpauth://totp/Odd:carol?secret=JBSWY3DPE&issuer=Odd\notpauth://mystery/x?secret=JBSWY3DP\n",
    )
    .unwrap();
    let file = h.invoke("choose_import_file", json!({"file": token(&h, &links)})).unwrap();
    let preview = &file["preview"];
    let unusual = json!({"key": "detail.warn_unusual_key_length", "params": {"count": 9}});
    assert_eq!(preview["entries"][0]["warnings"], json!([unusual]), "{file}");
    assert_eq!(preview["problems"].as_array().unwrap().len(), 1, "{file}");
    assert_eq!(
        preview["problems"][0]["detail"],
        // The core's reason is typed (`import::Why::Link`): it arrives as the link error's own key.
        json!({"key": "detail.entry_malformed", "params": {
            "reason": {"key": "detail.link_unsupported_type", "params": {"value": "mystery"}}
        }}),
        "{file}"
    );
    let outcome = h.invoke("import_accounts", json!({"indices": [0]})).unwrap();
    assert_eq!(
        outcome["warnings"],
        json!([{"key": "detail.entry_warning", "params": {"label": "Odd (carol)", "warning": unusual}}])
    );
    assert_eq!(outcome["problems"], preview["problems"]);
}

#[test]
fn choosing_a_file_needs_an_open_vault() {
    let h = harness("import-locked");
    assert_eq!(
        h.invoke("choose_import_file", json!({"file": token(&h, "/nonexistent")})),
        Err(json!({"code": "locked", "message": "the vault is locked"}))
    );
}
