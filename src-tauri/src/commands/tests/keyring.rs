//! Issue 16 through Tauri's IPC path, on a fake keyring: turning the keyring unlock on needs the password;
//! locked, the vault opens through it; each failure comes back as a reason and writes nothing; off while the
//! keyring is missing, the status says why; a password change drops the slot and the next password unlock
//! renews it.

use std::sync::Arc;

use serde_json::{Value, json};
use tauri::Manager;
use twofold_keyring::{Fault, MemoryKeyring};

use crate::keyring_unlock::KeyringState;
use crate::testing::{Harness, harness};

const PASSWORD: &str = "correct horse battery";

fn with_fake(name: &str) -> (Harness, MemoryKeyring) {
    let h = harness(name);
    let fake = MemoryKeyring::new();
    h.window.app_handle().state::<KeyringState>().replace_store(Arc::new(fake.clone()));
    (h, fake)
}

fn status(h: &Harness) -> Value {
    h.invoke("keyring_status", json!({})).unwrap()
}

#[test]
fn on_with_the_password_then_the_vault_opens_through_the_keyring() {
    let (h, fake) = with_fake("keyring-on");
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    assert_eq!(status(&h), json!({"enabled": false, "days": 7, "ready": false}));

    let wrong = h.invoke("enable_keyring_unlock", json!({"password": "nope nope", "days": 7})).unwrap_err();
    assert_eq!(wrong["code"], "wrong_password");
    assert!(fake.names().is_empty());

    let on = h.invoke("enable_keyring_unlock", json!({"password": PASSWORD, "days": 3})).unwrap();
    assert_eq!((on["enabled"].clone(), on["days"].clone(), on["ready"].clone()), (json!(true), json!(3), json!(true)));
    assert_eq!(fake.names().len(), 1);

    h.invoke("lock_vault", json!({})).unwrap();
    let opened = h.invoke("unlock_with_keyring", json!({})).unwrap();
    assert_eq!(opened, json!({"unlocked": true}));
    assert_eq!(h.invoke("vault_status", json!({})).unwrap(), json!("unlocked"));
    assert_eq!(status(&h)["lastUnlock"], "keyring");

    // Off: the slot leaves the vault and the item the keyring.
    let off = h.invoke("disable_keyring_unlock", json!({})).unwrap();
    assert_eq!(off["enabled"], false);
    assert!(fake.names().is_empty());
    h.invoke("lock_vault", json!({})).unwrap();
    assert_eq!(
        h.invoke("unlock_with_keyring", json!({})).unwrap(),
        json!({"unlocked": false, "reason": {"code": "not_enrolled"}})
    );
}

#[test]
fn each_failure_is_a_reason_and_the_vault_is_not_rewritten() {
    let (h, fake) = with_fake("keyring-failures");
    h.invoke("create_vault", json!({"password": PASSWORD})).unwrap();
    h.invoke("enable_keyring_unlock", json!({"password": PASSWORD, "days": 7})).unwrap();
    h.invoke("lock_vault", json!({})).unwrap();
    let vault_file = crate::state::Paths::in_dir(&h.dir).vault;
    let before = std::fs::read(&vault_file).unwrap();

    fake.set_fault(Fault::NoService);
    let failed = h.invoke("unlock_with_keyring", json!({})).unwrap();
    assert_eq!(failed["reason"]["code"], "no_service");
    fake.set_fault(Fault::Locked);
    assert_eq!(h.invoke("unlock_with_keyring", json!({})).unwrap()["reason"]["code"], "locked");
    fake.set_fault(Fault::None);

    let item = fake.names().remove(0);
    fake.put(&item, &[1; 32]);
    assert_eq!(h.invoke("unlock_with_keyring", json!({})).unwrap()["reason"]["code"], "key_mismatch");
    use twofold_keyring::SecretStore as _;
    fake.delete(&item).unwrap();
    assert_eq!(status(&h)["reason"]["code"], "item_missing");
    assert_eq!(
        h.invoke("unlock_with_keyring", json!({})).unwrap(),
        json!({"unlocked": false, "reason": {"code": "item_missing"}})
    );
    assert_eq!(h.invoke("vault_status", json!({})).unwrap(), json!("locked"));
    assert_eq!(std::fs::read(&vault_file).unwrap(), before, "a failed keyring unlock rewrote the vault");

    // Typing the password renews it: a fresh item, ready again.
    h.invoke("unlock_vault", json!({"password": PASSWORD})).unwrap();
    assert_eq!(fake.names().len(), 1);
    assert_ne!(fake.names()[0], item);
    let renewed = status(&h);
    assert_eq!((renewed["ready"].clone(), renewed["lastUnlock"].clone()), (json!(true), json!("password")));
}

#[test]
fn a_missing_keyring_says_why_the_option_is_off() {
    let (h, fake) = with_fake("keyring-absent");
    h.invoke("create_vault", json!({"password": PASSWORD})).unwrap();
    fake.set_fault(Fault::NoService);
    let s = status(&h);
    assert_eq!((s["enabled"].clone(), s["reason"]["code"].clone()), (json!(false), json!("no_service")));
    let refused = h.invoke("enable_keyring_unlock", json!({"password": PASSWORD, "days": 7})).unwrap_err();
    assert!(refused["message"].as_str().unwrap().contains("no keyring service"), "{refused}");
}

#[test]
fn a_password_change_drops_the_slot_until_the_password_is_typed() {
    let (h, fake) = with_fake("keyring-passwd");
    h.invoke("create_vault", json!({"password": PASSWORD})).unwrap();
    h.invoke("enable_keyring_unlock", json!({"password": PASSWORD, "days": 7})).unwrap();
    let old_item = fake.names().remove(0);
    h.invoke("change_vault_password", json!({"current": PASSWORD, "new": "a brand new one"})).unwrap();
    assert!(fake.names().is_empty(), "the old item is deleted");
    h.invoke("lock_vault", json!({})).unwrap();
    let s = status(&h);
    assert_eq!((s["enabled"].clone(), s["ready"].clone()), (json!(true), json!(false)));
    assert_eq!(h.invoke("unlock_with_keyring", json!({})).unwrap()["reason"]["code"], "slot_gone");
    h.invoke("unlock_vault", json!({"password": "a brand new one"})).unwrap();
    assert_eq!(fake.names().len(), 1);
    assert_ne!(fake.names()[0], old_item);
    h.invoke("lock_vault", json!({})).unwrap();
    assert_eq!(h.invoke("unlock_with_keyring", json!({})).unwrap(), json!({"unlocked": true}));
}
