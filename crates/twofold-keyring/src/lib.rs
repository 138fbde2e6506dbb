//! Unlocking a vault through the operating system's keyring: a vault's device slot (format 1.2,
//! `docs/vault-format.md`, "Device slots") wraps the data key under a random device key, and this crate keeps
//! that key in the keyring and decides when it may be used.
//!
//! * [`SecretStore`] is the keyring as this crate needs it (get, set, delete one secret by name).
//!   [`SystemKeyring`] is the real one (Secret Service, Keychain, Credential Manager through the `keyring`
//!   crate), every call on its own thread and bounded by a timeout ([`Bounded`]), so a keyring that hangs
//!   (a prompt nobody answers, a stuck daemon) costs the caller the timeout, never more. [`MemoryKeyring`]
//!   is a fake for tests, with the failures a real one has ([`Fault`]).
//! * [`unlock`] opens a vault with the key of this computer's slot, or says why not ([`Failure`]): it never
//!   writes the vault. [`enroll`] makes a fresh device key and slot (after the password was typed) and
//!   replaces this computer's previous one; [`disable`] removes the slot and the item. [`forget_dropped`]
//!   deletes the items of slots a password change dropped.
//!
//! Which slot is this computer's: the caller remembers the id [`enroll`] returned (the app in its settings) and
//! passes it as `known`; with `None` (the CLI) every device slot whose item exists here is tried. With a known
//! id the reasons are exact (the item deleted, the slot gone); without one "nothing here" is [`Failure::NotEnrolled`].

mod store;
mod system;

pub use store::{Bounded, Fault, MemoryKeyring, SecretStore};
pub use system::SystemKeyring;

use std::time::Duration;

use twofold_core::vault::{DeviceKey, Vault, VaultError, VaultStore};

/// How long one keyring call may take before the keyring unlock gives up and the password is asked for.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// The default of "ask for the password every N days".
pub const DEFAULT_DAYS: u16 = 7;

/// The name of the keyring item holding the key of device slot `id` (service `twofold`).
pub fn item_name(id: &[u8; 16]) -> String {
    format!("vault-slot-{}", data_encoding::HEXLOWER.encode(id))
}

/// Why the keyring did not open the vault (or could not be used). Each says what happened in words a person
/// can act on; none carries a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Failure {
    /// No keyring service answers (no Secret Service on the session bus, no session bus).
    #[error("no keyring service answers on this computer ({detail})")]
    NoService { detail: String },
    /// The keyring is locked and was not unlocked (its prompt was declined or could not be shown).
    #[error("the keyring is locked and was not unlocked")]
    Locked,
    /// A keyring call took longer than the timeout.
    #[error("the keyring did not answer within {seconds} seconds")]
    Timeout { seconds: u64 },
    /// This computer's item is gone from the keyring.
    #[error("the keyring no longer holds this vault's key (the item was deleted)")]
    ItemMissing,
    /// No device slot of this vault has an item in this keyring (never turned on here).
    #[error("the keyring unlock is not turned on for this vault on this computer")]
    NotEnrolled,
    /// The vault no longer has this computer's slot: a password change or key rotation dropped it.
    #[error("the vault's password was changed, so the keyring no longer opens it")]
    SlotGone,
    /// The slot is there but the key does not open it (the vault was changed on another computer).
    #[error("the key in the keyring does not open this vault (it was changed on another computer)")]
    KeyMismatch,
    /// The N days since the password was last typed have passed.
    #[error("it has been {days} days or more since the password was typed")]
    Expired { days: u16 },
    /// The keyring said something else went wrong.
    #[error("the keyring failed: {detail}")]
    Other { detail: String },
    /// The vault itself failed (missing, damaged, locked by a writer).
    #[error("{0}")]
    Vault(String),
}

impl Failure {
    /// A stable code for the failure (the app's IPC and the UI's sentence key).
    pub fn code(&self) -> &'static str {
        match self {
            Failure::NoService { .. } => "no_service",
            Failure::Locked => "locked",
            Failure::Timeout { .. } => "timeout",
            Failure::ItemMissing => "item_missing",
            Failure::NotEnrolled => "not_enrolled",
            Failure::SlotGone => "slot_gone",
            Failure::KeyMismatch => "key_mismatch",
            Failure::Expired { .. } => "expired",
            Failure::Other { .. } => "other",
            Failure::Vault(_) => "vault",
        }
    }
}

impl From<VaultError> for Failure {
    fn from(error: VaultError) -> Self {
        match error {
            VaultError::NoDeviceSlot => Failure::SlotGone,
            VaultError::DeviceKeyMismatch => Failure::KeyMismatch,
            other => Failure::Vault(other.to_string()),
        }
    }
}

/// A vault opened through the keyring, and the slot that opened it.
#[derive(Debug)]
pub struct Unlocked {
    pub vault: Vault,
    pub slot: [u8; 16],
}

/// Opens the vault at `store` with the key in `keyring` of device slot `known` (or of any device slot with an
/// item here when `None`), if that slot is still current at `now` (Unix seconds). Checks the slot's days
/// before touching the keyring, so an expired slot raises no keyring prompt. Never writes the vault.
pub fn unlock(
    store: &VaultStore,
    keyring: &dyn SecretStore,
    known: Option<[u8; 16]>,
    now: u64,
) -> Result<Unlocked, Failure> {
    let slot = ready_slot(store, keyring, known, now)?;
    let vault = store.unlock_with_device_key(&slot.0, &slot.1)?;
    Ok(Unlocked { vault, slot: slot.0 })
}

/// Whether [`unlock`] can be tried: the slot is there and current and its item is in the keyring (read, not
/// used). For the lock screen, to offer the keyring first only when it can work, or say why not.
pub fn probe(
    store: &VaultStore,
    keyring: &dyn SecretStore,
    known: Option<[u8; 16]>,
    now: u64,
) -> Result<[u8; 16], Failure> {
    ready_slot(store, keyring, known, now).map(|(id, _)| id)
}

fn ready_slot(
    store: &VaultStore,
    keyring: &dyn SecretStore,
    known: Option<[u8; 16]>,
    now: u64,
) -> Result<([u8; 16], DeviceKey), Failure> {
    let info = store.inspect()?;
    let candidates: Vec<_> = match known {
        Some(id) => vec![*info.device_slots.iter().find(|s| s.id == id).ok_or(Failure::SlotGone)?],
        None if info.device_slots.is_empty() => return Err(Failure::NotEnrolled),
        None => info.device_slots.clone(),
    };
    let mut expired = None;
    for slot in candidates {
        if !slot.is_current(now) {
            expired = Some(slot.max_days);
            continue;
        }
        match keyring.get(&item_name(&slot.id))? {
            Some(bytes) => {
                let key = DeviceKey::from_slice(&bytes).ok_or(Failure::KeyMismatch)?;
                return Ok((slot.id, key));
            }
            None if known.is_some() => return Err(Failure::ItemMissing),
            None => {}
        }
    }
    match expired {
        Some(days) => Err(Failure::Expired { days }),
        None => Err(Failure::NotEnrolled),
    }
}

/// Turns the keyring unlock on, or renews it (after the password was typed): a fresh device key goes into the
/// keyring first, then a slot for it into the vault, replacing the slot `previous` (whose item is then
/// deleted). If the vault cannot be saved the new item is deleted again. Returns the new slot's id, for the
/// caller to remember.
pub fn enroll(
    vault: &mut Vault,
    keyring: &dyn SecretStore,
    previous: Option<[u8; 16]>,
    days: u16,
    now: u64,
) -> Result<[u8; 16], Failure> {
    let key = DeviceKey::random()?;
    let id = twofold_core::vault::new_device_slot_id()?;
    let name = item_name(&id);
    keyring.set(&name, key.expose_bytes())?;
    if let Err(error) = vault.add_device_slot(&key, id, now, days, previous) {
        // Best effort: the item alone opens nothing, it would only be clutter.
        let _ = keyring.delete(&name);
        return Err(error.into());
    }
    if let Some(old) = previous.filter(|old| *old != id) {
        let _ = keyring.delete(&item_name(&old));
    }
    Ok(id)
}

/// Turns the keyring unlock off: removes the slot `known` (or, when `None`, every slot whose item is in this
/// keyring) from the vault, then deletes the item(s). The vault is changed even when the keyring cannot be
/// reached (the slot is what opens the vault); the keyring's failure is returned after that.
pub fn disable(vault: &mut Vault, keyring: &dyn SecretStore, known: Option<[u8; 16]>) -> Result<(), Failure> {
    let ids: Vec<[u8; 16]> = match known {
        Some(id) => vec![id],
        None => {
            let mut here = Vec::new();
            for slot in vault.device_slots() {
                if keyring.get(&item_name(&slot.id))?.is_some() {
                    here.push(slot.id);
                }
            }
            here
        }
    };
    for id in &ids {
        vault.remove_device_slot(id)?;
    }
    for id in &ids {
        keyring.delete(&item_name(id))?;
    }
    Ok(())
}

/// After a password change or key rotation (which drop every device slot): deletes the items of the slots in
/// `dropped` that are in this keyring. Best effort per item; the first failure is returned after trying all.
pub fn forget_dropped(keyring: &dyn SecretStore, dropped: &[[u8; 16]]) -> Result<(), Failure> {
    let mut first = None;
    for id in dropped {
        if let Err(error) = keyring.delete(&item_name(id)) {
            first.get_or_insert(error);
        }
    }
    first.map_or(Ok(()), Err)
}
