//! Our backup files: round trip, a fresh data key per backup, the verified atomic write, and clear errors for
//! wrong passwords, damaged, truncated, foreign and vault files.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::backup_common;

use backup_common::*;
use twofold_core::backup::{self, BackupError, BackupKey};
use twofold_core::vault::{KdfParams, VaultError, VaultStore, format};

#[test]
fn round_trip_keeps_every_account_and_the_other_payload_fields() {
    let s = Scratch::new();
    let contents = sample();
    let path = s.path("my.twofold-backup");
    let info = backup::write_backup(&path, &contents, &key(), NOW).unwrap();
    assert_eq!(info, backup::BackupInfo { created: NOW, account_count: 3 });

    let opened = backup::open_backup(&path, BACKUP_PASSWORD).unwrap();
    assert_eq!(opened.info, info);
    assert_eq!(opened.contents.accounts, contents.accounts);
    let profile = crate::vault_common::field(&contents, "profile");
    assert!(profile.is_some());
    assert_eq!(crate::vault_common::field(&opened.contents, "profile"), profile);
    // The backup record is read, not carried into the contents a restore would use.
    assert_eq!(crate::vault_common::field(&opened.contents, "backup"), None);
    assert_eq!(backup::check_backup(&path, BACKUP_PASSWORD).unwrap(), info);
    // Only the backup is left in the folder: no temp file.
    assert_eq!(std::fs::read_dir(s.dir.path()).unwrap().count(), 1);
}

#[test]
fn an_empty_vault_backs_up_too() {
    let s = Scratch::new();
    let path = s.path("empty.twofold-backup");
    backup::write_backup(&path, &twofold_core::vault::VaultContents::new(), &key(), NOW).unwrap();
    assert_eq!(backup::check_backup(&path, BACKUP_PASSWORD).unwrap().account_count, 0);
}

#[test]
fn a_backup_is_a_vault_container_that_twofold_can_also_unlock() {
    let s = Scratch::new();
    let path = s.path("b.twofold-backup");
    let contents = sample();
    backup::write_backup(&path, &contents, &key(), NOW).unwrap();
    let vault = VaultStore::new(&path).unlock(BACKUP_PASSWORD).unwrap();
    assert_eq!(vault.contents().accounts, contents.accounts);
}

#[test]
fn every_backup_has_a_fresh_data_key_that_the_vault_key_cannot_open() {
    let s = Scratch::new();
    let vault = s.vault(&sample());
    // Use the vault's own password for the backup: the data key must still be new.
    let key = BackupKey::derive(VAULT_PASSWORD, KdfParams::MINIMUM).unwrap();
    let (a, b) = (s.path("a.twofold-backup"), s.path("b.twofold-backup"));
    backup::write_backup(&a, vault.contents(), &key, NOW).unwrap();
    backup::write_backup(&b, vault.contents(), &key, NOW).unwrap();
    let (bytes_a, bytes_b) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_ne!(bytes_a, bytes_b);

    let vault_bytes = std::fs::read(vault.store().path()).unwrap();
    let (vault_header, vault_sealing, _) = format::open_with_password(&vault_bytes, VAULT_PASSWORD).unwrap();
    let (header_a, sealing_a, _) = format::open_with_password(&bytes_a, VAULT_PASSWORD).unwrap();
    let (header_b, _, _) = format::open_with_password(&bytes_b, VAULT_PASSWORD).unwrap();
    assert_ne!(header_a.key_id, vault_header.key_id);
    assert_ne!(header_a.key_id, header_b.key_id);
    assert_ne!(header_a.slots[0].wrapped_key, vault_header.slots[0].wrapped_key);
    // The vault's data key opens neither backup; backup A's data key does not open backup B.
    for bytes in [&bytes_a, &bytes_b] {
        let err = format::open_with_key(bytes, &vault_sealing.data_key).unwrap_err();
        assert!(matches!(err, VaultError::Corrupt { .. }), "{err:?}");
    }
    assert!(format::open_with_key(&bytes_b, &sealing_a.data_key).is_err());
    assert!(format::open_with_key(&bytes_a, &sealing_a.data_key).is_ok());
}

#[test]
fn wrong_password_is_a_clear_error() {
    let s = Scratch::new();
    let path = s.path("b.twofold-backup");
    backup::write_backup(&path, &sample(), &key(), NOW).unwrap();
    let err = backup::check_backup(&path, "not the password").unwrap_err();
    assert!(matches!(err, BackupError::WrongPassword), "{err:?}");
    assert_eq!(err.to_string(), "wrong password for this backup");
    // The vault password is not the backup password here.
    assert!(matches!(backup::check_backup(&path, VAULT_PASSWORD), Err(BackupError::WrongPassword)));
    assert!(matches!(BackupKey::derive("", KdfParams::MINIMUM), Err(BackupError::EmptyPassword)));
}

fn check_bytes(s: &Scratch, bytes: &[u8]) -> Result<backup::BackupInfo, BackupError> {
    let path = s.path("damaged.twofold-backup");
    std::fs::write(&path, bytes).unwrap();
    backup::check_backup(&path, BACKUP_PASSWORD)
}

fn assert_damaged(result: Result<backup::BackupInfo, BackupError>, what: &str) {
    match result {
        Err(err @ BackupError::Damaged { .. }) => {
            assert!(err.to_string().contains("is damaged or was tampered with"), "{err}");
            assert!(!err.to_string().contains('\n'));
        }
        other => panic!("{what}: expected a damaged backup, got {other:?}"),
    }
}

#[test]
fn bit_flips_anywhere_are_detected() {
    let s = Scratch::new();
    let path = s.path("b.twofold-backup");
    backup::write_backup(&path, &sample(), &key(), NOW).unwrap();
    let good = std::fs::read(&path).unwrap();
    let (header, prefix) = format::Header::parse(&good).unwrap();
    assert_eq!(prefix, header.encoded_len() + format::CHECKSUM_LEN);
    // Every byte of the header and checksum (cheap: refused before Argon2), and a spread of payload bytes.
    let payload_positions = (prefix..good.len()).step_by((good.len() - prefix) / 12 + 1).chain([good.len() - 1]);
    for pos in (0..prefix).chain(payload_positions) {
        let mut bad = good.clone();
        bad[pos] ^= 0x04;
        let result = check_bytes(&s, &bad);
        if pos < 8 {
            assert!(matches!(result, Err(BackupError::NotTwofold { .. })), "byte {pos}: {result:?}");
        } else {
            assert_damaged(result, &format!("byte {pos}"));
        }
    }
}

#[test]
fn truncation_and_appended_bytes_are_detected() {
    let s = Scratch::new();
    let path = s.path("b.twofold-backup");
    backup::write_backup(&path, &sample(), &key(), NOW).unwrap();
    let good = std::fs::read(&path).unwrap();
    for len in [0, 1, 8, 15, 16, 92, 200, 229, 230, good.len() / 2, good.len() - 16, good.len() - 1] {
        assert_damaged(check_bytes(&s, &good[..len]), &format!("truncated to {len}"));
    }
    let mut longer = good.clone();
    longer.push(0);
    assert_damaged(check_bytes(&s, &longer), "one byte appended");
}

#[test]
fn foreign_files_vault_files_and_missing_files_are_named() {
    let s = Scratch::new();
    let err = check_bytes(&s, b"{\"version\": 1, \"header\": {}}").unwrap_err();
    assert!(matches!(err, BackupError::NotTwofold { .. }), "{err:?}");
    assert!(err.to_string().ends_with("is not a Twofold backup"), "{err}");

    let vault = s.vault(&sample());
    let err = backup::check_backup(vault.store().path(), VAULT_PASSWORD).unwrap_err();
    assert!(matches!(err, BackupError::NotABackup { .. }), "{err:?}");
    assert!(err.to_string().ends_with("is a Twofold vault, not a backup"), "{err}");

    // A sparse file far larger than any backup: refused without reading it.
    let huge = std::fs::File::create(s.path("huge")).unwrap();
    huge.set_len(1 << 32).unwrap();
    let err = backup::check_backup(&s.path("huge"), BACKUP_PASSWORD).unwrap_err();
    assert!(matches!(err, BackupError::Damaged { .. }), "{err:?}");

    let err = backup::check_backup(&s.path("nothing-here"), BACKUP_PASSWORD).unwrap_err();
    assert!(matches!(err, BackupError::NotFound { .. }), "{err:?}");
}

#[test]
fn a_failed_write_leaves_the_old_backup_and_no_temp_file() {
    let s = Scratch::new();
    let path = s.path("b.twofold-backup");
    backup::write_backup(&path, &sample(), &key(), NOW).unwrap();
    let before = std::fs::read(&path).unwrap();
    // A folder where a file is expected: the write fails and says where.
    let blocked = s.path("b.twofold-backup").join("inside.twofold-backup");
    let err = backup::write_backup(&blocked, &sample(), &key(), NOW + 1).unwrap_err();
    assert!(matches!(err, BackupError::Io { .. }), "{err:?}");
    // It names the path it could not use (the one writer of user-named files looks before it writes).
    assert!(err.to_string().contains("inside.twofold-backup"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Replacing an existing backup happens only through the verified write.
    backup::write_backup(&path, &many(5), &key(), NOW + 2).unwrap();
    assert_eq!(
        backup::check_backup(&path, BACKUP_PASSWORD).unwrap(),
        backup::BackupInfo { created: NOW + 2, account_count: 5 }
    );
    assert_eq!(std::fs::read_dir(s.dir.path()).unwrap().count(), 1);
}

#[test]
fn debug_output_hides_the_key_and_secrets() {
    let key = key();
    let text = format!("{key:?}");
    assert!(text.contains("<redacted>"), "{text}");
    let s = Scratch::new();
    let path = s.path("b.twofold-backup");
    backup::write_backup(&path, &sample(), &key, NOW).unwrap();
    let opened = backup::open_backup(&path, BACKUP_PASSWORD).unwrap();
    let text = format!("{opened:?}");
    assert!(!text.contains("rc-1234"), "{text}");
    assert!(!text.contains(opened.contents.accounts[0].secret.to_base32().as_str()), "{text}");
}

proptest::proptest! {
    // Each case runs Argon2 once at the minimum cost: a few cases keep the test near a second.
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]
    #[test]
    fn any_contents_round_trip(
        names in proptest::collection::vec(("\\PC{0,24}", "\\PC{0,24}", proptest::collection::vec(proptest::num::u8::ANY, 1..64)), 0..20),
        created in proptest::num::i64::ANY,
    ) {
        let s = Scratch::new();
        let mut contents = twofold_core::vault::VaultContents::new();
        for (issuer, name, secret) in names {
            contents.accounts.push(twofold_core::Account::new(
                issuer,
                name,
                twofold_core::Secret::from_bytes(secret).unwrap(),
                twofold_core::OtpParams::default_totp(),
                NOW,
            ));
        }
        let path = s.path("p.twofold-backup");
        let key = KEY.with(|k| k.clone());
        let info = backup::write_backup(&path, &contents, &key, created).unwrap();
        let opened = backup::open_backup(&path, BACKUP_PASSWORD).unwrap();
        proptest::prop_assert_eq!(opened.info, info);
        proptest::prop_assert_eq!(info.created, created);
        proptest::prop_assert_eq!(opened.contents.accounts, contents.accounts);
    }
}

thread_local! {
    /// One Argon2 run for every case's writes.
    static KEY: BackupKey = key();
}
