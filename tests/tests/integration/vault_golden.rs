//! Golden files: vaults written by format 1.0 (and a 1.1 file with fields 1.0 does not know) must open
//! forever, with exactly the sample contents; two copies written by format 1.1 (edit stamps, tombstones) that
//! went different ways on two computers must open and merge to the same result forever. Regenerate only when adding a new version's files:
//! `TWOFOLD_WRITE_GOLDEN=1 cargo test -p twofold-tests --test integration vault_golden` (never overwrite old ones).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::vault_common;

use std::path::PathBuf;

use twofold_core::sync;
use twofold_core::vault::format::{self, DataKey, Sealing, Slot};
use twofold_core::vault::{DeviceId, KdfParams, VaultError, VaultStore};
use twofold_core::{Account, AccountId, OtpKind, OtpParams, Secret};
use vault_common::{PASSWORD, sample_contents};

fn golden_dir() -> PathBuf {
    twofold_tests::workspace_root().join("tests/golden")
}

const FILES: [(&str, KdfParams); 2] =
    [("v1.0-minimum-kdf.vault", KdfParams::MINIMUM), ("v1.0-default-kdf.vault", KdfParams::DEFAULT)];
const FUTURE: &str = "v1.1-future-fields.vault";

/// The payload of a hypothetical 1.1 writer: the sample plus fields 1.0 does not know.
const SYNC_A: &str = "v1.1-sync-a.vault";
const SYNC_B: &str = "v1.1-sync-b.vault";
/// The account B added (fixed id, so the golden files can be compared).
const ADDED_ON_B: uuid::Uuid = uuid::Uuid::from_u128(0xB0B);

fn clock_a() -> i64 {
    1_800_000_000_000
}

fn clock_b() -> i64 {
    1_799_999_000_000
}

fn id(n: usize) -> AccountId {
    sample_contents().accounts[n].id
}

/// Two computers start from the sample. A (clock later) edits GitHub's note and deletes "sixty"; B (clock
/// a quarter of an hour behind) edits "sixty"'s note, uses the HOTP account three times and adds an account.
fn write_sync_golden(dir: &std::path::Path) {
    let a_path = dir.join(SYNC_A);
    if !a_path.exists() {
        let mut a = VaultStore::new(&a_path).create(PASSWORD, KdfParams::MINIMUM, &sample_contents()).unwrap();
        a.set_device(DeviceId(uuid::Uuid::from_u128(0xA)));
        a.set_clock(clock_a);
        a.update(|c| -> Result<(), VaultError> {
            c.accounts[0].note = "edited on A".into();
            c.accounts.retain(|x| x.name != "sixty");
            Ok(())
        })
        .unwrap();
    }
    let b_path = dir.join(SYNC_B);
    if !b_path.exists() {
        let mut b = VaultStore::new(&b_path).create(PASSWORD, KdfParams::MINIMUM, &sample_contents()).unwrap();
        b.set_device(DeviceId(uuid::Uuid::from_u128(0xB)));
        b.set_clock(clock_b);
        b.update(|c| -> Result<(), VaultError> {
            c.accounts[3].note = "edited on B before A deleted it".into();
            let mut added = Account::new(
                "Added on B",
                "carol",
                Secret::parse_base32("MFRGGZDFMZTWQ2LK").unwrap(),
                OtpParams::default_totp(),
                1_799_999_000,
            );
            added.id = AccountId(ADDED_ON_B);
            added.order = 5;
            c.accounts.push(added);
            Ok(())
        })
        .unwrap();
        for _ in 0..3 {
            b.advance_hotp(id(1), 1_799_999_000).unwrap();
        }
    }
    for leftover in [SYNC_A, SYNC_B] {
        let _ = std::fs::remove_file(dir.join(format!("{leftover}.lock")));
        let _ = std::fs::remove_file(dir.join(format!("{leftover}.prev")));
    }
}

fn future_payload() -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_slice(&sample_contents().to_json().unwrap()).unwrap();
    v["sync"] = serde_json::json!({"device": "laptop", "revision": 12});
    v["settings"]["font_scale"] = serde_json::json!(1.25);
    v["accounts"][0]["icon"] = serde_json::json!("github.svg");
    v["accounts"][0]["pinned_at"] = serde_json::json!(1_700_000_300);
    v
}

fn write_golden() {
    let dir = golden_dir();
    std::fs::create_dir_all(&dir).unwrap();
    for (name, kdf) in FILES {
        let path = dir.join(name);
        if !path.exists() {
            VaultStore::new(&path).create(PASSWORD, kdf, &sample_contents()).unwrap();
        }
    }
    let path = dir.join(FUTURE);
    if !path.exists() {
        let key = DataKey::random().unwrap();
        let slot = Slot::seal(PASSWORD, KdfParams::MINIMUM, &key).unwrap();
        let sealing = Sealing { data_key: key, key_id: [3; 16], slots: vec![slot], others: vec![], minor: 1 };
        let file = format::seal(&sealing, 1, &serde_json::to_vec(&future_payload()).unwrap()).unwrap();
        std::fs::write(path, file).unwrap();
    }
    for leftover in ["v1.0-minimum-kdf.vault.lock", "v1.0-default-kdf.vault.lock"] {
        let _ = std::fs::remove_file(dir.join(leftover));
    }
    write_sync_golden(&dir);
}

#[test]
fn golden_vaults_open_with_the_sample_contents() {
    if std::env::var_os("TWOFOLD_WRITE_GOLDEN").is_some() {
        write_golden();
    }
    for (name, kdf) in FILES {
        // Open a copy: opening the committed file must not depend on, or change, anything beside it.
        let tmp = tempfile::tempdir().unwrap();
        let copy = tmp.path().join(name);
        std::fs::copy(golden_dir().join(name), &copy).unwrap();
        let store = VaultStore::new(&copy);
        let info = store.inspect().unwrap();
        assert_eq!((info.format_major, info.format_minor, info.slots.clone()), (1, 0, vec![kdf]), "{name}");
        let mut vault = store.unlock(PASSWORD).unwrap();
        assert_eq!(vault.contents(), &sample_contents(), "{name}");
        // And it can be rewritten by this version and opened again.
        vault
            .update(|c| -> Result<(), twofold_core::vault::VaultError> {
                c.accounts[0].note.push('!');
                Ok(())
            })
            .unwrap();
        assert!(store.unlock(PASSWORD).unwrap().contents().accounts[0].note.ends_with('!'));
    }
}

#[test]
fn a_newer_minor_file_opens_and_its_unknown_fields_survive_a_rewrite() {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join(FUTURE);
    std::fs::copy(golden_dir().join(FUTURE), &copy).unwrap();
    let store = VaultStore::new(&copy);
    assert_eq!(store.inspect().unwrap().format_minor, 1);
    let mut vault = store.unlock(PASSWORD).unwrap();
    assert!(vault.contents().has_unknown_fields());
    assert_eq!(vault.contents().accounts, sample_contents().accounts);
    vault
        .update(|c| -> Result<(), twofold_core::vault::VaultError> {
            c.accounts[1].note = "edited by 1.0".into();
            Ok(())
        })
        .unwrap();
    // Re-read the raw payload: every unknown field is still there, and the file keeps minor 1.
    assert_eq!(store.inspect().unwrap().format_minor, 1);
    let reopened = store.unlock(PASSWORD).unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(&reopened.contents().to_json().unwrap()).unwrap();
    // The edit stamped the account it changed (and only that one).
    let stamp = json["accounts"][1].as_object_mut().unwrap().remove("stamp");
    assert!(stamp.is_some_and(|s| s["time"].as_i64().unwrap() > 0));
    assert!(json["accounts"][0].get("stamp").is_none());
    let mut expected = future_payload();
    expected["accounts"][1]["note"] = serde_json::json!("edited by 1.0");
    assert_eq!(json, expected);
}

#[test]
fn golden_1_1_copies_open_and_merge_to_the_same_vault_either_way() {
    if std::env::var_os("TWOFOLD_WRITE_GOLDEN").is_some() {
        write_golden();
    }
    for name in [SYNC_A, SYNC_B] {
        let info = VaultStore::new(golden_dir().join(name)).inspect().unwrap();
        assert_eq!((info.format_major, info.format_minor), (1, 1), "{name}");
    }
    let a = sync::open_copy(&golden_dir().join(SYNC_A), PASSWORD).unwrap();
    let b = sync::open_copy(&golden_dir().join(SYNC_B), PASSWORD).unwrap();
    // What each file says: stamps on the edited accounts only, A's tombstone.
    assert_eq!(a.stamp(id(0)).unwrap().device, DeviceId(uuid::Uuid::from_u128(0xA)));
    assert_eq!(a.stamp(id(0)).unwrap().time_ms, clock_a());
    assert_eq!(a.stamp(id(2)).unwrap().device, DeviceId::NONE, "an account nobody edited keeps its implied stamp");
    assert_eq!(a.tombstones().collect::<Vec<_>>().len(), 1);
    assert!(b.tombstones().next().is_none());

    let (merged, report) = sync::merge(&a, &b);
    assert_eq!(merge_result(&merged), merge_result(&sync::merge(&b, &a).0));
    assert_eq!(sync::merge(&b, &a).0.to_json().unwrap(), merged.to_json().unwrap());
    // A's note edit, B's counter and B's new account are all there; "sixty" stays deleted (B's edit of it is
    // older than A's deletion); the 1.0 settings object still rides along.
    assert_eq!(merged.account(id(0)).unwrap().note, "edited on A");
    assert_eq!(merged.account(id(1)).unwrap().otp.kind, OtpKind::Hotp { counter: 20 });
    assert_eq!(merged.account(id(1)).unwrap().use_count, 3);
    assert!(merged.account(AccountId(ADDED_ON_B)).is_some());
    assert!(merged.account(id(3)).is_none());
    assert_eq!(merged.accounts.len(), 4);
    assert_eq!(vault_common::field(&merged, "settings"), vault_common::field(&sample_contents(), "settings"));
    let names = |l: &[sync::MergeItem]| l.iter().map(|i| i.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&report.added), ["Added on B (carol)"]);
    assert_eq!(names(&report.changed), ["Bank (bob)"]);
    assert!(report.removed.is_empty() && report.ties.is_empty() && report.kept_after_deletion.is_empty());
    // And merged into a vault on disk through `Vault::merge_from`, then reopened.
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("a.vault");
    std::fs::copy(golden_dir().join(SYNC_A), &copy).unwrap();
    let mut vault = VaultStore::new(&copy).unlock(PASSWORD).unwrap();
    vault.merge_from(&b).unwrap();
    assert_eq!(VaultStore::new(&copy).unlock(PASSWORD).unwrap().contents(), &merged);
}

/// A merged vault as comparable text: accounts and stamps through the payload JSON.
fn merge_result(c: &twofold_core::vault::VaultContents) -> serde_json::Value {
    serde_json::from_slice(&c.to_json().unwrap()).unwrap()
}
