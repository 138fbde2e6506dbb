//! Integrity: every single-bit flip, every truncation and an appended byte are rejected as corruption; hostile
//! KDF costs, newer versions and wrong passwords are refused with their own clear errors. Nothing panics.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::vault_common;

use twofold_core::vault::format::{self, DataKey, FIXED_HEADER_LEN, Sealing, Slot};
use twofold_core::vault::{Corruption, KdfParams, VaultContents, VaultError, VaultStore};
use twofold_core::{Account, OtpParams, Secret};
use vault_common::{PASSWORD, fix_checksum, temp_store};

/// A small vault built with the same format functions the store uses, plus its data key, so payload flips
/// can be checked without an Argon2 run each.
fn small_vault() -> (Vec<u8>, DataKey) {
    let key = DataKey::from_bytes([7; 32]);
    let slot = Slot::seal(PASSWORD, KdfParams::MINIMUM, &key).unwrap();
    let sealing = Sealing { data_key: key.clone(), key_id: [1; 16], slots: vec![slot], others: vec![], minor: 0 };
    let mut contents = VaultContents::new();
    contents.accounts.push(Account::new(
        "X",
        "y",
        Secret::parse_base32("JBSWY3DP").unwrap(),
        OtpParams::default_totp(),
        0,
    ));
    let file = format::seal(&sealing, 3, &contents.to_json().unwrap()).unwrap();
    // Sanity: the untouched file opens both ways.
    format::open_with_password(&file, PASSWORD).unwrap();
    format::open_with_key(&file, &key).unwrap();
    (file, key)
}

fn header_prefix(file: &[u8]) -> usize {
    u32::from_le_bytes(file[12..16].try_into().unwrap()) as usize + 32
}

#[test]
fn every_single_bit_flip_is_rejected_as_corrupt() {
    let (file, key) = small_vault();
    let prefix = header_prefix(&file);
    let mut checked = 0;
    for byte in 0..file.len() {
        for bit in 0..8 {
            let mut bad = file.clone();
            bad[byte] ^= 1 << bit;
            // Header flips go through the full password path: they must be caught before Argon2 runs.
            // Payload flips use the known key (the password path is sampled below), as a reload would.
            let result = if byte < prefix {
                format::open_with_password(&bad, PASSWORD).map(|_| ())
            } else {
                format::open_with_key(&bad, &key).map(|_| ())
            };
            assert!(
                matches!(result, Err(VaultError::Corrupt { .. })),
                "flip of bit {bit} in byte {byte} of {}: {result:?}",
                file.len()
            );
            checked += 1;
        }
    }
    assert_eq!(checked, file.len() * 8);
    // Some payload flips through the password path: the slot opens, the payload does not.
    for byte in [prefix, prefix + 1, (prefix + file.len()) / 2, file.len() - 17, file.len() - 1] {
        let mut bad = file.clone();
        bad[byte] ^= 0x80;
        let result = format::open_with_password(&bad, PASSWORD).map(|_| ());
        assert!(matches!(result, Err(VaultError::Corrupt { what: Corruption::PayloadAuthentication })), "{result:?}");
    }
}

#[test]
fn every_truncation_and_an_appended_byte_are_rejected_as_corrupt() {
    let (file, _) = small_vault();
    for len in 0..file.len() {
        let result = format::open_with_password(&file[..len], PASSWORD).map(|_| ());
        assert!(matches!(result, Err(VaultError::Corrupt { .. })), "truncated to {len}: {result:?}");
    }
    for extra in [0u8, 0xFF] {
        let mut long = file.clone();
        long.push(extra);
        let result = format::open_with_password(&long, PASSWORD).map(|_| ());
        assert!(matches!(result, Err(VaultError::Corrupt { what: Corruption::BadLength })), "{result:?}");
    }
}

#[test]
fn tampered_file_on_disk_reports_the_corrupt_line() {
    let (dir, store) = vault_common::sample_store();
    let mut bytes = std::fs::read(store.path()).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(store.path(), &bytes).unwrap();
    let err = store.unlock(PASSWORD).unwrap_err();
    assert_eq!(err.to_string(), "vault file is corrupt or was tampered with");
    // The previous copy does not exist yet (one save so far), so nothing is offered.
    assert!(matches!(store.read_previous(PASSWORD), Err(VaultError::NotFound { .. })));
    drop(dir);
}

#[test]
fn not_a_vault_is_corrupt_not_a_panic() {
    for junk in [&b""[..], b"TWOFOLDV", b"hello world, this is not a vault at all", &[0xFF; 4096]] {
        let result = format::open_with_password(junk, PASSWORD).map(|_| ());
        assert!(matches!(result, Err(VaultError::Corrupt { .. })), "{result:?}");
    }
}

#[test]
fn hostile_kdf_costs_are_refused_before_argon2() {
    let (file, _) = small_vault();
    // Slot 0's memory, passes and lanes fields follow its type byte.
    let memory = FIXED_HEADER_LEN + 1;
    let passes = memory + 4;
    let lanes = passes + 4;
    for (offset, value) in [
        (memory, u32::MAX),        // 4 TiB
        (memory, 1024 * 1024 + 1), // just over 1 GiB
        (memory, 8),               // below the floor
        (passes, u32::MAX),        // a week of iterations
        (passes, 17),
        (passes, 1),
        (lanes, 0),
        (lanes, 0xFF_FFFF),
    ] {
        let mut bad = file.clone();
        bad[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
        fix_checksum(&mut bad);
        let result = format::open_with_password(&bad, PASSWORD).map(|_| ());
        assert!(matches!(result, Err(VaultError::KdfOutOfRange { .. })), "{value} at {offset}: {result:?}");
    }
    // And through the store, with the message people see.
    let (_dir, store) = temp_store();
    let mut bad = file.clone();
    bad[memory..memory + 4].copy_from_slice(&u32::MAX.to_le_bytes());
    fix_checksum(&mut bad);
    std::fs::write(store.path(), &bad).unwrap();
    let err = store.unlock(PASSWORD).unwrap_err();
    assert_eq!(err.to_string(), "vault asks for key derivation costs out of range (4294967295 KiB, 2 passes, 1 lanes)");
    assert!(matches!(store.inspect(), Err(VaultError::KdfOutOfRange { .. })));
}

#[test]
fn creating_below_the_floor_is_refused() {
    let (_dir, store) = temp_store();
    let weak = KdfParams { memory_kib: 1024, passes: 1, lanes: 1 };
    assert!(matches!(store.create(PASSWORD, weak, &VaultContents::new()), Err(VaultError::KdfOutOfRange { .. })));
    assert!(!store.exists());
}

#[test]
fn newer_major_version_is_refused_clearly() {
    let (file, _) = small_vault();
    let mut newer = file.clone();
    newer[8..10].copy_from_slice(&2u16.to_le_bytes());
    fix_checksum(&mut newer);
    let (_dir, store) = temp_store();
    std::fs::write(store.path(), &newer).unwrap();
    let err = store.unlock(PASSWORD).unwrap_err();
    assert!(matches!(err, VaultError::NewerFormat { major: 2, minor } if minor == twofold_core::vault::FORMAT_MINOR));
    assert_eq!(err.to_string(), "vault was written by a newer Twofold (format 2)");
    // A newer major may have a longer header; the frame still lets us name it.
    let mut longer = newer.clone();
    longer[12..16].copy_from_slice(&((FIXED_HEADER_LEN + 500) as u32).to_le_bytes());
    longer.resize(FIXED_HEADER_LEN + 500 + 32 + 100, 0);
    fix_checksum(&mut longer);
    assert!(matches!(format::open_with_password(&longer, PASSWORD), Err(VaultError::NewerFormat { major: 2, .. })));
    // A newer minor of our major opens.
    let mut minor = file.clone();
    minor[10..12].copy_from_slice(&7u16.to_le_bytes());
    fix_checksum(&mut minor);
    // The header is the payload's associated data, so an edited minor fails authentication: a real newer
    // minor file is sealed by its writer (see the golden `v1.1-future-fields` file).
    assert!(matches!(format::open_with_password(&minor, PASSWORD), Err(VaultError::Corrupt { .. })));
}

#[test]
fn wrong_password_is_its_own_error() {
    let (_dir, store) = vault_common::sample_store();
    for wrong in ["", "correct horse battery stapl", "Correct horse battery staple", "correct horse battery staple "] {
        let err = store.unlock(wrong).unwrap_err();
        assert!(matches!(err, VaultError::WrongPassword), "{wrong:?}: {err:?}");
        assert_eq!(err.to_string(), "wrong password");
    }
    let store = VaultStore::new(store.path().with_extension("missing"));
    assert!(matches!(store.unlock(PASSWORD), Err(VaultError::NotFound { .. })));
}
