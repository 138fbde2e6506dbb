//! Settings → Follow backups from my phone through Tauri's IPC path: the folder's app detected, a wrong backup
//! password refused with a clear sentence before anything is kept, the right one kept (never sent back), a
//! round that brings the phone's account in, and the account marked when the phone deletes it.

use serde_json::json;
use twofold_core::export::{self, Protection};
use twofold_core::{Account, OtpParams, Secret};

use crate::dialog::Kind;
use crate::testing::harness;

const PASSWORD: &str = "correct horse battery";
const BACKUP_PASSWORD: &str = "phone backup password";

fn backup(folder: &std::path::Path, stamp: &str, accounts: &[Account]) {
    let out =
        export::export(accounts, export::Format::AegisEncrypted, Protection::Password(BACKUP_PASSWORD), 0).unwrap();
    std::fs::write(folder.join(format!("aegis-backup-{stamp}.json")), &*out.bytes).unwrap();
}

#[test]
fn a_followed_folder_brings_the_phones_accounts_in() {
    let h = harness("follow");
    h.invoke("create_vault", json!({"password": PASSWORD})).unwrap();
    let folder = h.dir.join("phone");
    std::fs::create_dir(&folder).unwrap();
    let github = Account::new(
        "GitHub",
        "alice",
        Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap(),
        OtpParams::default_totp(),
        0,
    );
    backup(&folder, "20261207-104200", std::slice::from_ref(&github));
    let token = h.file(&folder, Kind::Folder);
    let found = h.invoke("detect_follow_folder", json!({"folder": token})).unwrap();
    assert_eq!((found["app"].as_str(), found["encrypted"].as_bool()), (Some("aegis"), Some(true)));
    let wrong = h.invoke("follow_folder", json!({"folder": token, "appId": "aegis", "password": "not it"}));
    let wrong = wrong.unwrap_err();
    assert_eq!(wrong["code"], json!("invalid_input"));
    assert!(wrong["message"].as_str().unwrap().contains("does not open the Aegis backup"), "{wrong}");
    assert_eq!(h.invoke("follow_status", json!({})).unwrap(), json!([]), "nothing kept after a wrong password");
    let sources =
        h.invoke("follow_folder", json!({"folder": token, "appId": "aegis", "password": BACKUP_PASSWORD})).unwrap();
    assert_eq!(sources[0]["appName"], json!("Aegis"));
    assert_eq!(sources[0]["hasPassword"], json!(true));
    assert!(!sources.to_string().contains(BACKUP_PASSWORD), "the password never goes out");
    // The watcher may have run the round already; either way the account is there once, followed.
    h.invoke("follow_now", json!({})).unwrap();
    let list = h.invoke("list_accounts", json!({})).unwrap();
    let accounts = list["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(
        (accounts[0]["issuer"].as_str(), accounts[0]["removedOnPhone"].as_bool()),
        (Some("GitHub"), Some(false))
    );
    // Deleted on the phone: marked, not deleted.
    backup(&folder, "20261207-110000", &[]);
    h.invoke("follow_now", json!({})).unwrap();
    let list = h.invoke("list_accounts", json!({})).unwrap();
    assert_eq!(list["accounts"][0]["removedOnPhone"], json!(true));
}
