//! The keyring unlock's rules against a fake keyring: turning on, the N days, renewing, every failure named,
//! nothing written on a failed unlock, a password change leaving no device key that opens the vault, and a
//! keyring that hangs costing only the timeout.

#![allow(clippy::unwrap_used, reason = "tests")]

use std::sync::Arc;
use std::time::Duration;

use twofold_core::vault::{KdfParams, Vault, VaultContents, VaultStore};
use twofold_keyring::{Bounded, Failure, Fault, MemoryKeyring, SecretStore, disable, enroll, item_name, probe, unlock};

const PW: &str = "correct horse";
const NOW: u64 = 1_800_000_000;
const DAY: u64 = 86_400;

fn vault() -> (tempfile::TempDir, VaultStore, Vault) {
    let dir = tempfile::tempdir().unwrap();
    let store = VaultStore::new(dir.path().join("v.vault"));
    let vault = store.create(PW, KdfParams::MINIMUM, &VaultContents::new()).unwrap();
    (dir, store, vault)
}

#[test]
fn turned_on_it_opens_the_vault_until_the_days_pass() {
    let (_dir, store, mut vault) = vault();
    let keyring = MemoryKeyring::new();
    let id = enroll(&mut vault, &keyring, None, 7, NOW).unwrap();
    assert_eq!(keyring.names(), vec![item_name(&id)]);
    assert_eq!(probe(&store, &keyring, Some(id), NOW).unwrap(), id);
    let opened = unlock(&store, &keyring, Some(id), NOW + 6 * DAY).unwrap();
    assert_eq!(opened.slot, id);
    // Without knowing the slot (the CLI), the slot whose item is here is found.
    assert_eq!(unlock(&store, &keyring, None, NOW).unwrap().slot, id);
    assert_eq!(unlock(&store, &keyring, Some(id), NOW + 7 * DAY).unwrap_err(), Failure::Expired { days: 7 });
    assert_eq!(unlock(&store, &keyring, None, NOW + 7 * DAY).unwrap_err(), Failure::Expired { days: 7 });
}

#[test]
fn typing_the_password_renews_with_a_fresh_key_and_deletes_the_old_item() {
    let (_dir, store, mut vault) = vault();
    let keyring = MemoryKeyring::new();
    let old = enroll(&mut vault, &keyring, None, 7, NOW).unwrap();
    let old_key = keyring.get(&item_name(&old)).unwrap().unwrap();
    let new = enroll(&mut vault, &keyring, Some(old), 3, NOW + 10 * DAY).unwrap();
    assert_ne!(old, new);
    assert_eq!(keyring.names(), vec![item_name(&new)]);
    assert_eq!(store.inspect().unwrap().device_slots.len(), 1);
    assert!(unlock(&store, &keyring, Some(new), NOW + 12 * DAY).is_ok());
    // The old key, put back under its name, opens nothing: its slot is gone.
    keyring.put(&item_name(&old), &old_key);
    assert_eq!(unlock(&store, &keyring, Some(old), NOW + 10 * DAY).unwrap_err(), Failure::SlotGone);
}

#[test]
fn every_failure_is_named_and_the_vault_is_not_rewritten() {
    let (_dir, store, mut vault) = vault();
    let keyring = MemoryKeyring::new();
    let id = enroll(&mut vault, &keyring, None, 7, NOW).unwrap();
    let before = std::fs::read(store.path()).unwrap();

    keyring.set_fault(Fault::NoService);
    assert!(matches!(unlock(&store, &keyring, Some(id), NOW), Err(Failure::NoService { .. })));
    keyring.set_fault(Fault::Locked);
    assert_eq!(unlock(&store, &keyring, Some(id), NOW).unwrap_err(), Failure::Locked);
    keyring.set_fault(Fault::None);

    // The key was changed elsewhere (another computer re-enrolled with the same item name: simulated).
    let key = keyring.get(&item_name(&id)).unwrap().unwrap();
    keyring.put(&item_name(&id), &[7; 32]);
    assert_eq!(unlock(&store, &keyring, Some(id), NOW).unwrap_err(), Failure::KeyMismatch);
    keyring.put(&item_name(&id), &key[..5]);
    assert_eq!(unlock(&store, &keyring, Some(id), NOW).unwrap_err(), Failure::KeyMismatch);
    keyring.put(&item_name(&id), &key);

    keyring.delete(&item_name(&id)).unwrap();
    assert_eq!(unlock(&store, &keyring, Some(id), NOW).unwrap_err(), Failure::ItemMissing);
    assert_eq!(unlock(&store, &keyring, None, NOW).unwrap_err(), Failure::NotEnrolled);
    assert_eq!(std::fs::read(store.path()).unwrap(), before, "a failed keyring unlock rewrote the vault");
}

#[test]
fn a_password_change_drops_the_slot_so_the_old_device_key_opens_nothing() {
    let (_dir, store, mut vault) = vault();
    let keyring = MemoryKeyring::new();
    let id = enroll(&mut vault, &keyring, None, 7, NOW).unwrap();
    let dropped: Vec<_> = vault.device_slots().iter().map(|s| s.id).collect();
    vault.change_password("new one", KdfParams::MINIMUM).unwrap();
    // The item is still there until forgotten: it opens nothing.
    assert_eq!(unlock(&store, &keyring, Some(id), NOW).unwrap_err(), Failure::SlotGone);
    twofold_keyring::forget_dropped(&keyring, &dropped).unwrap();
    assert!(keyring.names().is_empty());
}

#[test]
fn turning_it_off_removes_the_slot_and_the_item() {
    let (_dir, store, mut vault) = vault();
    let keyring = MemoryKeyring::new();
    let other_computer = MemoryKeyring::new();
    let id = enroll(&mut vault, &keyring, None, 7, NOW).unwrap();
    let theirs = enroll(&mut vault, &other_computer, None, 7, NOW).unwrap();
    disable(&mut vault, &keyring, None).unwrap();
    assert!(keyring.names().is_empty());
    let left: Vec<_> = store.inspect().unwrap().device_slots.iter().map(|s| s.id).collect();
    assert_eq!(left, vec![theirs]);
    assert_eq!(unlock(&store, &keyring, Some(id), NOW).unwrap_err(), Failure::SlotGone);
    assert!(unlock(&store, &other_computer, None, NOW).is_ok());
}

#[test]
fn a_failed_enrolment_leaves_no_slot() {
    let (_dir, store, mut vault) = vault();
    let keyring = MemoryKeyring::new();
    keyring.set_fault(Fault::Locked);
    assert_eq!(enroll(&mut vault, &keyring, None, 7, NOW).unwrap_err(), Failure::Locked);
    assert!(store.inspect().unwrap().device_slots.is_empty());
}

#[test]
fn a_keyring_that_never_answers_costs_the_timeout_not_a_hang() {
    let (_dir, store, mut vault) = vault();
    let fake = MemoryKeyring::new();
    let id = enroll(&mut vault, &fake, None, 7, NOW).unwrap();
    fake.set_fault(Fault::Hang);
    let bounded = Bounded::new(Arc::new(fake.clone()), Duration::from_millis(50));
    assert_eq!(unlock(&store, &bounded, Some(id), NOW).unwrap_err(), Failure::Timeout { seconds: 1 });
    assert!(matches!(probe(&store, &bounded, Some(id), NOW), Err(Failure::Timeout { .. })));
}
