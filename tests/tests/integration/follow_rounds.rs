//! Following a phone's backup folder through a real vault (`twofold_core::follow::round`): the peers' Aegis
//! test vaults, a Stratum backup (no entry ids: matched by key), and backups our own Aegis encoder writes in a
//! sequence, each round checked account by account, with the edits stamped and kept across a reopen.

#![allow(clippy::unwrap_used, reason = "test helpers: a failure is a test failure")]

use std::path::Path;

use serde_json::Value;
use twofold_core::export::{self, Protection};
use twofold_core::follow::{self, Outcome, Source};
use twofold_core::import::{self, Cancel, Format};
use twofold_core::vault::{KdfParams, Vault, VaultContents, VaultStore};
use twofold_core::{Account, OtpKind, OtpParams, Secret};

const VAULT_PASSWORD: &str = "vault password";

fn vault(dir: &Path) -> Vault {
    VaultStore::new(dir.join("twofold.vault"))
        .create(VAULT_PASSWORD, KdfParams::MINIMUM, &VaultContents::new())
        .unwrap()
}

fn follow_folder(vault: &mut Vault, folder: &Path, app: Format, password: Option<&str>) -> uuid::Uuid {
    let source = Source::new(folder.to_owned(), app, password);
    vault
        .update(|c| {
            follow::put_source(c, &source);
            Ok::<_, twofold_core::vault::VaultError>(())
        })
        .unwrap();
    source.id
}

fn round(vault: &mut Vault, id: uuid::Uuid) -> Outcome {
    follow::round(vault, id, 1_000, &Cancel::new()).unwrap()
}

fn applied(vault: &mut Vault, id: uuid::Uuid) -> follow::FollowReport {
    match round(vault, id) {
        Outcome::Applied { report, .. } => report,
        other => panic!("expected a backup applied, got {other:?}"),
    }
}

fn entries_of(expected: &Value, file: &str) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = expected["fixtures"][file]["expected"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["issuer"].as_str().unwrap_or("").to_owned(), e["name"].as_str().unwrap_or("").to_owned()))
        .collect();
    list.sort();
    list
}

/// Every Aegis test vault of the peers (plain and encrypted, db versions 1 to 3) followed as if the phone had
/// just written it: every supported entry comes in, each followed by its Aegis uuid.
#[test]
fn every_aegis_peer_vault_is_followed_entry_by_entry() {
    let Some(fixtures) = twofold_tests::fixtures_dir("follow every_aegis_peer_vault") else { return };
    let expected = twofold_tests::read_json(&fixtures.join("peers/expected.json"));
    let files: Vec<&String> = expected["fixtures"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.starts_with("aegis/") && k.ends_with(".json"))
        .filter(|k| expected["fixtures"][k.as_str()]["expected"]["result"] == "ok")
        .collect();
    assert!(files.len() >= 10, "the Aegis fixtures are there: {files:?}");
    for file in files {
        let dir = tempfile::tempdir().unwrap();
        let phone = dir.path().join("phone");
        std::fs::create_dir(&phone).unwrap();
        std::fs::copy(fixtures.join("peers").join(file), phone.join("aegis-backup-20261207-104200.json")).unwrap();
        let password = expected["fixtures"][file.as_str()]["password"].as_str();
        let mut vault = vault(dir.path());
        let id = follow_folder(&mut vault, &phone, Format::Aegis, password);
        let report = applied(&mut vault, id);
        let mut got: Vec<(String, String)> =
            vault.contents().accounts.iter().map(|a| (a.issuer.clone(), a.name.clone())).collect();
        got.sort();
        // What the importer reads of the file comes in, and the entries it cannot read (bad digits, mOTP) are
        // reported, never silently dropped: together they are the entries the peers' file holds.
        let bytes = std::fs::read(fixtures.join("peers").join(file)).unwrap();
        let read = import::import(&bytes, Format::Aegis, password, 0).unwrap();
        let mut want: Vec<(String, String)> =
            read.accounts.iter().map(|a| (a.issuer.clone(), a.name.clone())).collect();
        want.sort();
        assert_eq!(got, want, "{file}");
        assert_eq!(report.added.len(), got.len(), "{file}");
        assert_eq!(got.len() + report.problems.len(), entries_of(&expected, file).len(), "{file}");
        for account in &vault.contents().accounts {
            let origin = account.origin.as_ref().unwrap();
            assert_eq!(origin.source, id);
            let uuid = origin.entry.split('#').next().unwrap();
            assert!(uuid::Uuid::parse_str(uuid).is_ok(), "{file}: followed by the Aegis uuid, not {}", origin.entry);
        }
        assert!(matches!(round(&mut vault, id), Outcome::Nothing { .. }), "{file}: applied once");
    }
}

/// The peers' plain Aegis vault edited as the phone would (a rename, an HOTP counter advanced, an entry
/// deleted) and written as the next backup: matched by uuid, each account checked.
#[test]
fn edits_to_the_peer_aegis_vault_follow_by_uuid() {
    let Some(fixtures) = twofold_tests::fixtures_dir("follow edits_to_the_peer_aegis_vault") else { return };
    let dir = tempfile::tempdir().unwrap();
    let phone = dir.path().join("phone");
    std::fs::create_dir(&phone).unwrap();
    let original = std::fs::read(fixtures.join("peers/aegis/aegis/aegis_plain.json")).unwrap();
    std::fs::write(phone.join("aegis-backup-20261207-100000.json"), &original).unwrap();
    let mut vault = vault(dir.path());
    let id = follow_folder(&mut vault, &phone, Format::Aegis, None);
    assert_eq!(applied(&mut vault, id).added.len(), 7);
    let by_entry = |vault: &Vault, uuid: &str| -> Account {
        vault.contents().accounts.iter().find(|a| a.origin.as_ref().unwrap().entry == uuid).unwrap().clone()
    };
    let mut db: Value = serde_json::from_slice(&original).unwrap();
    let entries = db["db"]["entries"].as_array_mut().unwrap();
    // Entry 0 (TOTP Mason) renamed; entry 3 (HOTP James) advanced; entry 6 (Steam Sophia) deleted.
    let renamed = entries[0]["uuid"].as_str().unwrap().to_owned();
    let advanced = entries[3]["uuid"].as_str().unwrap().to_owned();
    let deleted = entries[6]["uuid"].as_str().unwrap().to_owned();
    let untouched = entries[1]["uuid"].as_str().unwrap().to_owned();
    let before_untouched = by_entry(&vault, &untouched);
    let stamp_untouched = vault.contents().stamp(before_untouched.id);
    let old_counter = entries[3]["info"]["counter"].as_u64().unwrap();
    entries[0]["name"] = Value::String("Mason on the phone".into());
    entries[3]["info"]["counter"] = Value::from(old_counter + 3);
    entries.remove(6);
    std::fs::write(phone.join("aegis-backup-20261207-103000.json"), serde_json::to_vec(&db).unwrap()).unwrap();
    let report = applied(&mut vault, id);
    assert_eq!(report.to_string(), "Aegis backup of 10:30: 2 changed, 1 removed on the phone");
    assert_eq!(by_entry(&vault, &renamed).name, "Mason on the phone");
    assert_eq!(by_entry(&vault, &advanced).otp.kind, OtpKind::Hotp { counter: old_counter + 3 });
    assert!(by_entry(&vault, &deleted).origin.unwrap().removed, "marked, not deleted");
    assert_eq!(vault.contents().accounts.len(), 7);
    assert_eq!(by_entry(&vault, &untouched), before_untouched);
    assert_eq!(vault.contents().stamp(before_untouched.id), stamp_untouched, "an untouched account is not re-stamped");
    // Everything is in the saved file: reopen and look again.
    let reopened = VaultStore::new(dir.path().join("twofold.vault")).unlock(VAULT_PASSWORD).unwrap();
    assert_eq!(reopened.contents(), vault.contents());
    assert_eq!(follow::sources(reopened.contents()).len(), 1);
}

/// Stratum backups carry no entry ids: accounts follow by key and parameters.
#[test]
fn stratum_backups_follow_by_key() {
    let Some(fixtures) = twofold_tests::fixtures_dir("follow stratum_backups_follow_by_key") else { return };
    let dir = tempfile::tempdir().unwrap();
    let phone = dir.path().join("phone");
    std::fs::create_dir(&phone).unwrap();
    let original = std::fs::read(fixtures.join("peers/stratum/stratum/backup.unencrypted.authpro")).unwrap();
    std::fs::write(phone.join("backup-2026-12-07_100000.authpro"), &original).unwrap();
    let mut vault = vault(dir.path());
    let detected = follow::detect(&phone).unwrap();
    assert_eq!(detected.app, Format::Stratum);
    let id = follow_folder(&mut vault, &phone, Format::Stratum, None);
    let first = applied(&mut vault, id);
    let imported = import::import(&original, Format::Stratum, None, 0).unwrap();
    assert_eq!(first.added.len(), imported.accounts.len());
    let mut backup: Value = serde_json::from_slice(&original).unwrap();
    let first_entry = &mut backup["Authenticators"][0];
    let issuer = first_entry["Issuer"].as_str().unwrap().to_owned();
    first_entry["Issuer"] = Value::String(format!("{issuer} (renamed)"));
    std::fs::write(phone.join("backup-2026-12-07_101000.authpro"), serde_json::to_vec(&backup).unwrap()).unwrap();
    let second = applied(&mut vault, id);
    assert_eq!((second.added.len(), second.changed.len(), second.removed.len()), (0, 1, 0), "{second}");
    let renamed = vault.contents().account(second.changed[0]).unwrap();
    assert_eq!(renamed.issuer, format!("{issuer} (renamed)"));
    assert!(renamed.origin.as_ref().unwrap().entry.starts_with("key:"));
}

/// Backups our own encoder writes, through the real vault: add, rename, delete, a truncated file, a late old
/// file and a password change.
#[test]
fn a_sequence_of_encoded_backups_through_the_vault() {
    let dir = tempfile::tempdir().unwrap();
    let phone_dir = dir.path().join("phone");
    std::fs::create_dir(&phone_dir).unwrap();
    let write = |stamp: &str, accounts: &[Account], password: &str| {
        let out = export::export(accounts, export::Format::AegisEncrypted, Protection::Password(password), 0).unwrap();
        let path = phone_dir.join(format!("aegis-backup-{stamp}.json"));
        std::fs::write(&path, &*out.bytes).unwrap();
        path
    };
    let key = |k: &str| Secret::parse_base32(k).unwrap();
    let mut a = Account::new("GitHub", "alice", key("JBSWY3DPEHPK3PXP"), OtpParams::default_totp(), 0);
    let b = Account::new("GitLab", "bob", key("GEZDGNBVGY3TQOJQ"), OtpParams::default_totp(), 0);
    let mut vault = vault(dir.path());
    let id = follow_folder(&mut vault, &phone_dir, Format::Aegis, Some("p1"));
    write("20261207-100000", &[a.clone()], "p1");
    assert_eq!(applied(&mut vault, id).to_string(), "Aegis backup of 10:00: 1 new");
    write("20261207-101000", &[a.clone(), b.clone()], "p1");
    assert_eq!(applied(&mut vault, id).to_string(), "Aegis backup of 10:10: 1 new");
    a.name = "alice@work".into();
    let full = write("20261207-102000", &[a.clone()], "p1");
    let bytes = std::fs::read(&full).unwrap();
    std::fs::write(&full, &bytes[..bytes.len() - 40]).unwrap();
    assert!(matches!(round(&mut vault, id), Outcome::Nothing { skipped } if skipped.len() == 1));
    std::fs::write(&full, &bytes).unwrap();
    assert_eq!(applied(&mut vault, id).to_string(), "Aegis backup of 10:20: 1 changed, 1 removed on the phone");
    write("20261207-095000", &[], "p1");
    assert!(matches!(round(&mut vault, id), Outcome::Nothing { .. }), "an older backup changes nothing");
    write("20261207-103000", &[a.clone(), b.clone()], "p2");
    assert!(matches!(round(&mut vault, id), Outcome::PasswordWrong { .. }));
    assert!(follow::source(vault.contents(), id).unwrap().password_failed, "asked once, remembered");
    vault.update(|c| follow::set_password(c, id, Some("p2"))).unwrap();
    let report = applied(&mut vault, id);
    assert_eq!(report.to_string(), "Aegis backup of 10:30: 1 changed");
    let names: Vec<(&str, &str, bool)> = vault
        .contents()
        .accounts
        .iter()
        .map(|x| (x.issuer.as_str(), x.name.as_str(), x.origin.as_ref().unwrap().removed))
        .collect();
    assert_eq!(names, vec![("GitHub", "alice@work", false), ("GitLab", "bob", false)]);
}

/// A vault written before following existed opens and follows nothing.
#[test]
fn older_vaults_follow_nothing() {
    // A copy: unlocking takes the writer lock beside the file, and the repository's golden folder stays as it is.
    let golden = twofold_tests::workspace_root().join("tests/golden/v1.0-minimum-kdf.vault");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("v1.0.vault");
    std::fs::copy(golden, &copy).unwrap();
    let vault = VaultStore::new(copy).unlock("correct horse battery staple").unwrap();
    assert!(follow::sources(vault.contents()).is_empty());
    assert!(vault.contents().accounts.iter().all(|a| a.origin.is_none()));
}
