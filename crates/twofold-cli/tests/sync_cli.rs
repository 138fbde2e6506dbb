//! `twofold-cli sync`, run as a binary: two data folders keep in step through one shared folder; a conflict
//! copy is merged and removed; the folder comes from the app's settings; a copy with another password says
//! how to give it; no folder is one clear line.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::Computer;

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab";
const EXTRA: &str = "otpauth://totp/Extra:carol?secret=MFRGGZDFMZTWQ2LK&issuer=Extra";

#[test]
fn two_data_folders_keep_in_step_through_one_folder() {
    let root = tempfile::tempdir().unwrap();
    let shared = root.path().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    let folder = shared.to_string_lossy().into_owned();
    let a = Computer::new(root.path(), "a", "same pässword");
    let b = Computer::new(root.path(), "b", "same pässword");
    a.ok(&["add", "--uri", GITHUB]);
    b.ok(&["add", "--uri", GITLAB]);

    // No folder configured: one clear line.
    assert!(a.fails(&["sync"]).contains("sync is not turned on"));
    // The app's setting names the folder.
    std::fs::write(a.vault.with_file_name("settings.json"), format!(r#"{{"sync": true, "syncFolder": "{folder}"}}"#))
        .unwrap();
    assert!(a.ok(&["sync"]).contains("copy written"));
    let report: serde_json::Value = serde_json::from_str(&b.ok(&["sync", "--folder", &folder, "--json"])).unwrap();
    assert_eq!(report["added"], serde_json::json!(["GitHub (alice)"]));
    assert_eq!(report["wrote_copy"], serde_json::json!(true));
    a.ok(&["sync"]);
    assert_eq!(a.issuers(), vec!["GitHub", "GitLab"]);
    assert_eq!(b.issuers(), a.issuers());

    // A conflict copy from B (the link was cut) is merged and removed.
    std::fs::copy(shared.join("twofold.vault"), root.path().join("b-side.vault")).unwrap();
    b.ok(&["add", "--uri", EXTRA]);
    let b_folder = root.path().join("b-only");
    std::fs::create_dir_all(&b_folder).unwrap();
    std::fs::copy(root.path().join("b-side.vault"), b_folder.join("twofold.vault")).unwrap();
    b.ok(&["sync", "--folder", &b_folder.to_string_lossy()]);
    let conflict = shared.join("twofold.sync-conflict-20261207-101112-BBBBBBB.vault");
    std::fs::copy(b_folder.join("twofold.vault"), &conflict).unwrap();
    let report: serde_json::Value = serde_json::from_str(&a.ok(&["sync", "--json"])).unwrap();
    assert_eq!(report["added"], serde_json::json!(["Extra (carol)"]));
    assert_eq!(report["conflict_copies_removed"], serde_json::json!([conflict.display().to_string()]));
    assert!(!conflict.exists());
    assert_eq!(a.issuers(), vec!["Extra", "GitHub", "GitLab"]);
}

#[test]
fn a_copy_with_another_password_says_how_to_give_it() {
    let root = tempfile::tempdir().unwrap();
    let shared = root.path().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    let folder = shared.to_string_lossy().into_owned();
    let a = Computer::new(root.path(), "a", "first password");
    let b = Computer::new(root.path(), "b", "second password");
    a.ok(&["add", "--uri", GITHUB]);
    a.ok(&["sync", "--folder", &folder]);
    let err = b.fails(&["sync", "--folder", &folder]);
    assert!(err.contains("locked with another password") && err.contains("--copy-password-file"), "{err}");
    let other = root.path().join("other-pw");
    std::fs::write(&other, "first password\n").unwrap();
    b.ok(&["sync", "--folder", &folder, "--copy-password-file", &other.to_string_lossy()]);
    assert_eq!(b.issuers(), vec!["GitHub"]);
}
