//! Golden files: vaults written by format 1.0 (and a 1.1 file with fields 1.0 does not know) must open
//! forever, with exactly the sample contents. Regenerate only when adding a new version's files:
//! `TWOFOLD_WRITE_GOLDEN=1 cargo test -p twofold-tests --test integration vault_golden` (never overwrite old ones).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::vault_common;

use std::path::PathBuf;

use twofold_core::vault::format::{self, DataKey, Sealing, Slot};
use twofold_core::vault::{KdfParams, VaultStore};
use vault_common::{PASSWORD, sample_contents};

fn golden_dir() -> PathBuf {
    twofold_tests::workspace_root().join("tests/golden")
}

const FILES: [(&str, KdfParams); 2] =
    [("v1.0-minimum-kdf.vault", KdfParams::MINIMUM), ("v1.0-default-kdf.vault", KdfParams::DEFAULT)];
const FUTURE: &str = "v1.1-future-fields.vault";

/// The payload of a hypothetical 1.1 writer: the sample plus fields 1.0 does not know.
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
        let sealing = Sealing { data_key: key, key_id: [3; 16], slots: vec![slot], minor: 1 };
        let file = format::seal(&sealing, 1, &serde_json::to_vec(&future_payload()).unwrap()).unwrap();
        std::fs::write(path, file).unwrap();
    }
    for leftover in ["v1.0-minimum-kdf.vault.lock", "v1.0-default-kdf.vault.lock"] {
        let _ = std::fs::remove_file(dir.join(leftover));
    }
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
    let json: serde_json::Value = serde_json::from_slice(&reopened.contents().to_json().unwrap()).unwrap();
    let mut expected = future_payload();
    expected["accounts"][1]["note"] = serde_json::json!("edited by 1.0");
    assert_eq!(json, expected);
}
