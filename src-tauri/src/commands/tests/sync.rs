//! The sync verbs through Tauri's real IPC path: a folder holding another computer's copy, turned on, a
//! round, the accounts that arrived, a copy locked with another password, and turning sync off.

use serde_json::{Value, json};
use twofold_core::model::{Account, OtpParams};
use twofold_core::secret::Secret;
use twofold_core::sync::{FolderSync, SyncKeys};
use twofold_core::vault::{KdfParams, VaultContents, VaultStore};

use crate::dialog::Kind;
use crate::testing::harness;

/// Another computer: its own data folder beside the harness's, with one account, synced once into `shared`.
fn other_computer(dir: &std::path::Path, shared: &std::path::Path, password: &str, issuer: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let secret = Secret::from_bytes(issuer.as_bytes().to_vec()).unwrap();
    let account = Account::new(issuer, "me", secret, OtpParams::default_totp(), 100);
    let store = VaultStore::new(dir.join("twofold.vault"));
    let mut vault = store.create(password, KdfParams::MINIMUM, &VaultContents::new()).unwrap();
    // Added as an edit, so it carries that computer's device id.
    vault
        .update(|c| -> Result<(), twofold_core::vault::VaultError> {
            c.accounts.push(account);
            Ok(())
        })
        .unwrap();
    let mut keys = SyncKeys::new(&vault, password);
    FolderSync::new(shared, vault.store().path()).unwrap().round(&mut vault, &mut keys).unwrap();
}

fn issuers(list: &Value) -> Vec<String> {
    let mut names: Vec<String> =
        list["accounts"].as_array().unwrap().iter().map(|a| a["issuer"].as_str().unwrap().to_string()).collect();
    names.sort();
    names
}

#[test]
fn a_folder_brings_in_another_computers_accounts_and_turning_off_deletes_nothing() {
    let h = harness("sync");
    let password = "correct horse battery";
    h.invoke("create_vault", json!({"password": password})).unwrap();
    h.invoke("add_account_link", json!({"link": "otpauth://totp/Mine:me?secret=JBSWY3DPEHPK3PXP&issuer=Mine"}))
        .unwrap();
    let shared = h.dir.join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    other_computer(&h.dir.join("laptop"), &shared, password, "FromLaptop");

    let off = h.invoke("sync_status", json!({})).unwrap();
    assert_eq!((off["state"].clone(), off["folder"].clone()), (json!("off"), json!("")));

    // The vault's own folder is refused.
    let own = h.file(&h.dir, Kind::Folder);
    let refused = h.invoke("set_sync", json!({"enabled": true, "folder": own})).unwrap_err();
    assert_eq!(refused["code"], json!("invalid_input"));

    let settings = h.invoke("set_sync", json!({"enabled": true, "folder": h.file(&shared, Kind::Folder)})).unwrap();
    assert_eq!(
        (settings["sync"].clone(), settings["syncFolder"].clone()),
        (json!(true), json!(shared.display().to_string()))
    );
    let status = h.invoke("sync_now", json!({})).unwrap();
    assert_eq!(status["state"], json!("in_step"), "{status}");
    assert!(status["lastInStep"].is_number());
    let list = h.invoke("list_accounts", json!({})).unwrap();
    assert_eq!(issuers(&list), vec!["FromLaptop", "Mine"]);
    let devices = status["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2, "{status}");
    assert_eq!(devices.iter().filter(|d| d["thisDevice"] == json!(true)).count(), 1);
    assert_eq!(status["thisDevice"], devices.iter().find(|d| d["thisDevice"] == json!(true)).unwrap()["id"]);

    // The device id is kept per data folder, beside the vault.
    let kept = std::fs::read_to_string(h.dir.join(twofold_core::sync::device::DEVICE_FILE)).unwrap();
    assert_eq!(json!(kept.trim()), status["thisDevice"]);

    h.invoke("set_sync", json!({"enabled": false, "folder": null})).unwrap();
    assert_eq!(h.invoke("sync_status", json!({})).unwrap()["state"], json!("off"));
    assert!(shared.join("twofold.vault").exists(), "turning sync off deletes nothing");
}

#[test]
fn a_copy_locked_with_another_password_asks_for_it() {
    let h = harness("sync-password");
    let password = "correct horse battery";
    h.invoke("create_vault", json!({"password": password})).unwrap();
    let shared = h.dir.join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    other_computer(&h.dir.join("laptop"), &shared, "the laptop's password", "FromLaptop");
    h.invoke("set_sync", json!({"enabled": true, "folder": h.file(&shared, Kind::Folder)})).unwrap();

    let status = h.invoke("sync_now", json!({})).unwrap();
    assert_eq!(status["state"], json!("password_needed"), "{status}");
    assert!(!status["message"].as_str().unwrap().contains("laptop's password"));
    let wrong = h.invoke("sync_copy_password", json!({"password": "nope"})).unwrap_err();
    assert_eq!(wrong["code"], json!("wrong_password"));
    let status = h.invoke("sync_copy_password", json!({"password": "the laptop's password"})).unwrap();
    assert_eq!(status["state"], json!("in_step"), "{status}");
    assert_eq!(status["lastChange"]["arrived"], json!(1));
    assert_eq!(issuers(&h.invoke("list_accounts", json!({})).unwrap()), vec!["FromLaptop"]);

    // Only when confirmed (with the copy's password typed again) does this vault take the copy's password.
    h.invoke("adopt_sync_password", json!({"password": "the laptop's password"})).unwrap();
    h.invoke("lock_vault", json!({})).unwrap();
    assert_eq!(h.invoke("unlock_vault", json!({"password": password})).unwrap_err()["code"], json!("wrong_password"));
    h.invoke("unlock_vault", json!({"password": "the laptop's password"})).unwrap();
    assert_eq!(h.invoke("sync_now", json!({})).unwrap()["state"], json!("in_step"));
}
