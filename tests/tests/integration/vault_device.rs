//! Device slots (format 1.2): the data key wrapped under a random key from the system keyring. Opening with it
//! runs no KDF and writes nothing; a password change or key rotation drops every device slot; an old reader's
//! file opens unchanged; a slot type this version does not know is kept while the key lives.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use twofold_core::vault::format::{self, Header, OtherSlot};
use twofold_core::vault::{DeviceKey, KdfParams, VaultError, VaultStore, new_device_slot_id};

use crate::vault_common::{PASSWORD, sample_contents};

fn new_vault(dir: &tempfile::TempDir) -> (VaultStore, twofold_core::vault::Vault) {
    let store = VaultStore::new(dir.path().join("v.vault"));
    let vault = store.create(PASSWORD, KdfParams::MINIMUM, &sample_contents()).unwrap();
    (store, vault)
}

#[test]
fn device_key_opens_the_vault_without_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut vault) = new_vault(&dir);
    let key = DeviceKey::random().unwrap();
    let id = vault.add_device_slot(&key, new_device_slot_id().unwrap(), 1_800_000_000, 7, None).unwrap();
    let info = store.inspect().unwrap();
    assert_eq!((info.format_minor, info.device_slots.len()), (2, 1));
    assert_eq!((info.device_slots[0].id, info.device_slots[0].enrolled), (id, 1_800_000_000));
    let opened = store.unlock_with_device_key(&id, &key).unwrap();
    assert_eq!(opened.contents(), vault.contents());
    // The password still opens it, and the device slot survives ordinary saves.
    let mut by_pw = store.unlock(PASSWORD).unwrap();
    by_pw
        .update(|c| -> Result<(), VaultError> {
            c.accounts.pop();
            Ok(())
        })
        .unwrap();
    assert!(store.unlock_with_device_key(&id, &key).is_ok());
}

#[test]
fn a_wrong_key_or_a_missing_slot_is_named_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut vault) = new_vault(&dir);
    let key = DeviceKey::random().unwrap();
    let id = vault.add_device_slot(&key, new_device_slot_id().unwrap(), 1, 7, None).unwrap();
    let before = std::fs::read(store.path()).unwrap();
    let other = DeviceKey::random().unwrap();
    assert!(matches!(store.unlock_with_device_key(&id, &other), Err(VaultError::DeviceKeyMismatch)));
    assert!(matches!(store.unlock_with_device_key(&[9; 16], &key), Err(VaultError::NoDeviceSlot)));
    assert_eq!(std::fs::read(store.path()).unwrap(), before, "a failed keyring unlock rewrote the vault");
}

#[test]
fn password_change_drops_device_slots_so_the_old_device_key_opens_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut vault) = new_vault(&dir);
    let key = DeviceKey::random().unwrap();
    let id = vault.add_device_slot(&key, new_device_slot_id().unwrap(), 1, 7, None).unwrap();
    vault.change_password("new password", KdfParams::MINIMUM).unwrap();
    assert!(vault.device_slots().is_empty());
    assert!(store.inspect().unwrap().device_slots.is_empty());
    assert!(matches!(store.unlock_with_device_key(&id, &key), Err(VaultError::NoDeviceSlot)));

    let id = vault.add_device_slot(&key, new_device_slot_id().unwrap(), 2, 7, None).unwrap();
    vault.rotate_key("new password", KdfParams::MINIMUM).unwrap();
    assert!(matches!(store.unlock_with_device_key(&id, &key), Err(VaultError::NoDeviceSlot)));
    // Even a device slot copied back into the rotated file cannot open the new key.
    assert!(store.unlock("new password").is_ok());
}

#[test]
fn replacing_and_removing_a_device_slot() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut vault) = new_vault(&dir);
    let old_key = DeviceKey::random().unwrap();
    let old = vault.add_device_slot(&old_key, new_device_slot_id().unwrap(), 1, 7, None).unwrap();
    let other_computer =
        vault.add_device_slot(&DeviceKey::random().unwrap(), new_device_slot_id().unwrap(), 1, 7, None).unwrap();
    let new_key = DeviceKey::random().unwrap();
    let new = vault.add_device_slot(&new_key, new_device_slot_id().unwrap(), 2, 7, Some(old)).unwrap();
    let ids: Vec<_> = store.inspect().unwrap().device_slots.iter().map(|d| d.id).collect();
    assert_eq!(ids, vec![other_computer, new]);
    assert!(matches!(store.unlock_with_device_key(&old, &old_key), Err(VaultError::NoDeviceSlot)));
    assert!(vault.remove_device_slot(&new).unwrap());
    assert!(!vault.remove_device_slot(&new).unwrap());
    assert_eq!(store.inspect().unwrap().device_slots.len(), 1);
}

#[test]
fn the_n_day_rule_is_read_from_the_slot() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut vault) = new_vault(&dir);
    let key = DeviceKey::random().unwrap();
    vault.add_device_slot(&key, new_device_slot_id().unwrap(), 1_000_000, 7, None).unwrap();
    let info = store.inspect().unwrap().device_slots[0];
    assert_eq!(info.max_days, 7);
    assert!(info.is_current(1_000_000));
    assert!(info.is_current(1_000_000 + 7 * 86_400 - 1));
    assert!(!info.is_current(1_000_000 + 7 * 86_400));
    // A clock set back (the slot is from the future) does not stretch the rule.
    assert!(info.is_current(1_000_000 - 300));
    assert!(!info.is_current(1_000_000 - 301));
    assert!(vault.add_device_slot(&key, new_device_slot_id().unwrap(), 1, 0, None).is_err());
    assert!(vault.add_device_slot(&key, new_device_slot_id().unwrap(), 1, 366, None).is_err());
}

/// The days are authenticated: a file edited to stretch them (checksum recomputed) no longer opens with the key.
#[test]
fn stretching_the_days_in_the_file_breaks_the_slot() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut vault) = new_vault(&dir);
    let key = DeviceKey::random().unwrap();
    let id = vault.add_device_slot(&key, new_device_slot_id().unwrap(), 1, 7, None).unwrap();
    let mut bytes = std::fs::read(store.path()).unwrap();
    // Second slot, body offset 12 + 16 (id) + 8 (enrolled) = the days, after the type byte.
    let days_at = format::FIXED_HEADER_LEN + format::SLOT_LEN + 1 + 36;
    assert_eq!(&bytes[days_at..days_at + 2], &7u16.to_le_bytes());
    bytes[days_at] = 200;
    let header_len = format::FIXED_HEADER_LEN + 2 * format::SLOT_LEN;
    let sum = <sha2::Sha256 as sha2::Digest>::digest(&bytes[..header_len]);
    bytes[header_len..header_len + 32].copy_from_slice(&sum);
    assert!(matches!(format::open_with_device_key(&bytes, &id, &key), Err(VaultError::DeviceKeyMismatch)));
}

#[test]
fn at_most_eight_slots() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut vault) = new_vault(&dir);
    let key = DeviceKey::random().unwrap();
    for _ in 0..7 {
        vault.add_device_slot(&key, new_device_slot_id().unwrap(), 1, 7, None).unwrap();
    }
    assert!(matches!(
        vault.add_device_slot(&key, new_device_slot_id().unwrap(), 1, 7, None),
        Err(VaultError::TooManySlots { max: 8 })
    ));
}

/// A slot type from a later 1.x is kept by ordinary saves (the data key it wraps is unchanged) and dropped by a
/// password change, like a device slot.
#[test]
fn unknown_slot_types_are_kept_while_the_key_lives() {
    let dir = tempfile::tempdir().unwrap();
    let (store, vault) = new_vault(&dir);
    let bytes = std::fs::read(store.path()).unwrap();
    let (_, mut sealing, plain) = format::open_with_password(&bytes, PASSWORD).unwrap();
    sealing.others.push(OtherSlot::Unknown { kind: 9, body: [0x5a; 104] });
    let (header, _) = Header::parse(&bytes).unwrap();
    std::fs::write(store.path(), format::seal(&sealing, header.counter, &plain).unwrap()).unwrap();
    drop(vault);

    let mut vault = store.unlock(PASSWORD).unwrap();
    vault
        .update(|c| -> Result<(), VaultError> {
            c.accounts.pop();
            Ok(())
        })
        .unwrap();
    let (header, _) = Header::parse(&std::fs::read(store.path()).unwrap()).unwrap();
    assert_eq!(header.others, vec![OtherSlot::Unknown { kind: 9, body: [0x5a; 104] }]);
    vault.change_password("another", KdfParams::MINIMUM).unwrap();
    let (header, _) = Header::parse(&std::fs::read(store.path()).unwrap()).unwrap();
    assert!(header.others.is_empty());
}

/// A file must keep a password slot: one whose only slot is a device slot is damaged.
#[test]
fn a_file_without_a_password_slot_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let (store, mut vault) = new_vault(&dir);
    vault.add_device_slot(&DeviceKey::random().unwrap(), new_device_slot_id().unwrap(), 1, 7, None).unwrap();
    let mut bytes = std::fs::read(store.path()).unwrap();
    // Turn the password slot (the first) into a device slot and fix the checksum.
    bytes[format::FIXED_HEADER_LEN] = 2;
    let header_len = format::FIXED_HEADER_LEN + 2 * format::SLOT_LEN;
    let sum = <sha2::Sha256 as sha2::Digest>::digest(&bytes[..header_len]);
    bytes[header_len..header_len + 32].copy_from_slice(&sum);
    assert!(matches!(Header::parse(&bytes), Err(VaultError::Corrupt { .. })));
}
