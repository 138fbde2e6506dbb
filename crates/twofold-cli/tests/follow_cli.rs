//! `twofold-cli follow FOLDER --once`, run as a binary on Aegis's own encrypted test vault dropped into a folder
//! under a backup's name: the first round adds every entry and prints the report, the second finds nothing
//! new, a wrong backup password is one line with exit 2.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

fn setup(dir: &Path) -> Option<PathBuf> {
    let fixtures = twofold_tests::fixtures_dir("follow_cli")?;
    let phone = dir.join("phone");
    std::fs::create_dir(&phone).unwrap();
    std::fs::copy(
        fixtures.join("peers/aegis/aegis/aegis_encrypted.json"),
        phone.join("aegis-backup-20261207-104200.json"),
    )
    .unwrap();
    std::fs::write(dir.join("pw"), "vault password\n").unwrap();
    std::fs::write(dir.join("backup-pw"), "test\n").unwrap();
    std::fs::write(dir.join("wrong-pw"), "not it\n").unwrap();
    let init = common::run(&dir.join("cli.vault"), &common::INIT_MIN_KDF, Some(&dir.join("pw")), None);
    common::expect_ok(&common::INIT_MIN_KDF, &init);
    Some(phone)
}

#[test]
fn follow_once_applies_the_newest_aegis_backup_and_then_finds_nothing_new() {
    let dir = tempfile::tempdir().unwrap();
    let Some(phone) = setup(dir.path()) else { return };
    let vault = dir.path().join("cli.vault");
    let pw = dir.path().join("pw");
    let folder = phone.to_string_lossy().into_owned();
    let backup_pw = dir.path().join("backup-pw").to_string_lossy().into_owned();
    let args = ["follow", &folder, "--source", "aegis", "--backup-password-file", &backup_pw, "--once"];
    let out = common::expect_ok(&args, &common::run(&vault, &args, Some(&pw), None));
    assert_eq!(out.trim(), "Aegis backup of 10:42: 7 new");
    let list = ["list", "--json"];
    let listed: serde_json::Value =
        serde_json::from_str(&common::expect_ok(&list, &common::run(&vault, &list, Some(&pw), None))).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 7);
    // The password is in the vault now: no flag needed.
    let again = ["follow", &folder, "--once", "--json"];
    let out = common::expect_ok(&again, &common::run(&vault, &again, Some(&pw), None));
    let json: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(json["outcome"], "nothing-new");
}

#[test]
fn a_wrong_backup_password_is_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let Some(phone) = setup(dir.path()) else { return };
    let folder = phone.to_string_lossy().into_owned();
    let wrong = dir.path().join("wrong-pw").to_string_lossy().into_owned();
    let args = ["follow", &folder, "--backup-password-file", &wrong, "--once"];
    let out = common::run(&dir.path().join("cli.vault"), &args, Some(&dir.path().join("pw")), None);
    let line = common::expect_one_line_error(&args, &out);
    assert!(line.contains("the backup password does not open the Aegis backup"), "{line}");
}
