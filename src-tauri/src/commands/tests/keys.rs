//! Issue 21 through Tauri's IPC path: the one key rule for typed keys (`check_key` as the person types,
//! `add_account` on Add), duplicates said before Add on every path, a transfer link pasted in the link field,
//! and files given to the wrong page pointed to the right one.

use crate::dialog::Kind;
use serde_json::{Value, json};
use twofold_core::{Account, OtpParams, Secret, migration};

use crate::testing::{Harness, harness};

const PASSWORD: &str = "correct horse battery";
const GITHUB_KEY: &str = "JBSWY3DPEHPK3PXP";

/// An open vault holding GitHub (alice).
fn with_github(name: &str) -> Harness {
    let h = harness(name);
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    let link = format!("otpauth://totp/GitHub:alice?secret={GITHUB_KEY}&issuer=GitHub");
    h.invoke("add_account_link", json!({"link": link})).unwrap();
    h
}

fn typed(secret: &str) -> Value {
    json!({"account": {"issuer": "GitHub", "name": "", "secret": secret, "kind": "totp", "algorithm": "SHA1",
                       "digits": 6, "period": 30, "counter": 0, "groups": []}})
}

fn count(h: &Harness) -> usize {
    h.invoke("list_accounts", json!({})).unwrap()["accounts"].as_array().unwrap().len()
}

/// Issue 21, points 1 and 6: `AB` was added and became `AA`; `abcd efgh 1234` said "character 10". The verdict
/// comes while typing, typed (code, position, character) for the UI to word, and never echoes the key.
#[test]
fn typed_keys_are_checked_as_they_are_typed_with_one_rule() {
    let h = with_github("check-key");
    let check = |secret: &str| h.invoke("check_key", typed(secret)).unwrap();
    assert_eq!(check("AB"), json!({"problem": {"code": "not_whole_bytes", "characters": 2}, "duplicates": []}));
    assert_eq!(
        check("abcd efgh 1234"),
        json!({"problem": {"code": "invalid_character", "position": 11, "character": "1", "likely": "I"},
               "duplicates": []})
    );
    assert_eq!(
        check("abcd!"),
        json!({"problem": {"code": "invalid_character", "position": 5, "character": "!", "likely": null},
               "duplicates": []})
    );
    assert_eq!(check("JBSWY3DP"), json!({"problem": {"code": "too_short", "bits": 40, "min": 80}, "duplicates": []}));
    assert_eq!(check(""), json!({"problem": {"code": "empty"}, "duplicates": []}));
    assert_eq!(check("GEZDGNBVGY3TQOJQ"), json!({"problem": null, "duplicates": []}));
    // Issue 21, point 2: a typed key the vault has is said before Add, whatever the spacing and case.
    assert_eq!(check("jbsw y3dp ehpk 3pxp"), json!({"problem": null, "duplicates": ["GitHub (alice)"]}));

    // Add applies the same rule: nothing is added, nothing rewritten.
    for bad in ["AB", "JBSWY3DP", "abcd efgh 1234"] {
        let refused = h.invoke("add_account", typed(bad)).unwrap_err();
        assert_eq!(refused["code"], json!("invalid_input"), "{bad}");
    }
    assert_eq!(
        h.invoke("add_account", typed("AB")).unwrap_err()["message"],
        json!("the key does not end on a whole byte (2 base32 characters): a character is missing or one too many")
    );
    assert_eq!(count(&h), 1);
}

/// Issue 21, point 2: pasting a link the vault has says so before Add, from the same marking as every intake.
#[test]
fn a_pasted_link_with_a_key_the_vault_has_is_marked_before_it_is_added() {
    let h = with_github("dup-link");
    let link = format!("otpauth://totp/GitHub:another?secret={GITHUB_KEY}&issuer=GitHub");
    let preview = h.invoke("preview_link", json!({"link": link})).unwrap();
    assert_eq!((preview["duplicate"].clone(), preview["duplicates"].clone()), (json!(true), json!(["GitHub (alice)"])));
    // A short key in a link is kept (the service computes its codes from it) and remarked on.
    let short = h.invoke("preview_link", json!({"link": "otpauth://totp/Old:x?secret=JBSWY3DP"})).unwrap();
    assert_eq!(short["duplicate"], json!(false));
    assert_eq!(short["warnings"][0]["key"], json!("detail.warn_short_key"), "{short}");
    assert_eq!(short["warnings"][0]["params"]["bits"], json!("40"), "{short}");
}

/// Issue 21, point 11: a Google Authenticator transfer link pasted in the link field was refused, though the
/// Clipboard and Image tabs take it. It is staged like them, duplicates marked, and added from the batch.
#[test]
fn a_pasted_transfer_link_is_staged_as_a_batch() {
    let h = with_github("transfer-link");
    let accounts = [
        Account::new("GitHub", "alice", Secret::parse_base32(GITHUB_KEY).unwrap(), OtpParams::default_totp(), 0),
        Account::new("GitLab", "bob", Secret::parse_base32("GEZDGNBVGY3TQOJQ").unwrap(), OtpParams::default_totp(), 0),
    ];
    let encoded = migration::encode(&accounts, 7);
    assert_eq!(encoded.links.len(), 1);
    let found = h.invoke("stage_link", json!({"link": format!(" {} ", encoded.links[0].as_str())})).unwrap();
    assert_eq!(found["batch"], json!({"received": 2, "total": 2}));
    let marks: Vec<(Value, Value)> =
        found["accounts"].as_array().unwrap().iter().map(|a| (a["issuer"].clone(), a["duplicate"].clone())).collect();
    assert_eq!(marks, [(json!("GitHub"), json!(true)), (json!("GitLab"), json!(false))]);
    assert!(!found.to_string().contains(GITHUB_KEY), "a key crossed IPC: {found}");
    let added = h.invoke("add_pending", json!({"indices": [1]})).unwrap();
    assert_eq!(added.as_array().unwrap().len(), 1);
    assert_eq!(count(&h), 2);
}

/// Issue 21, point 11: our own backup on the Import page was "not an export of any app"; an Aegis export on
/// Backups → Test was "the vault file could not be read". Each names what it is and where it goes.
#[test]
fn files_given_to_the_wrong_page_say_where_they_go() {
    let h = with_github("wrong-page");
    let backup = h.dir.join("mine.twofold-backup");
    let written = json!({"file": h.file(&backup, Kind::Write), "vaultPassword": PASSWORD, "replace": false});
    h.invoke("backup_now", written).unwrap();
    assert_eq!(
        h.invoke("choose_import_file", json!({"file": h.file(&backup, Kind::Read)})),
        Err(json!({"code": "twofold_backup", "message": "mine.twofold-backup"}))
    );

    let accounts = [Account::new("A", "b", Secret::parse_base32(GITHUB_KEY).unwrap(), OtpParams::default_totp(), 0)];
    let ack = twofold_core::export::PlaintextAck::user_accepted_unencrypted_secrets();
    let protection = twofold_core::export::Protection::Plaintext(ack);
    let exported = twofold_core::export::export(&accounts, twofold_core::export::Format::AegisPlain, protection, 0);
    let aegis = h.dir.join("aegis.json");
    std::fs::write(&aegis, exported.unwrap().bytes.as_slice()).unwrap();
    let foreign = json!({"code": "foreign_export", "message": "Aegis"});
    let aegis_file = json!({"file": h.file(&aegis, Kind::Read), "password": PASSWORD});
    assert_eq!(h.invoke("check_backup_file", aegis_file.clone()), Err(foreign.clone()));
    let aegis_file = json!({"file": h.file(&aegis, Kind::Read), "password": PASSWORD});
    assert_eq!(h.invoke("preview_restore", aegis_file), Err(foreign));
    // A file that is neither keeps the backup's own error.
    let junk = h.dir.join("junk.bin");
    std::fs::write(&junk, b"hello").unwrap();
    assert_eq!(
        h.invoke("check_backup_file", json!({"file": h.file(&junk, Kind::Read), "password": PASSWORD})).unwrap_err()["code"],
        json!("vault")
    );
}
