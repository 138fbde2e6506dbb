//! The encrypted vault: one file holding every account, its secret and recovery codes, and the edit stamps
//! and tombstones that let two copies of it merge (`crate::sync`).
//!
//! The byte format is specified in `docs/vault-format.md` and implemented in [`format`]; what is stored for
//! an account in [`payload`]; files, the writer lock and the atomic save in [`storage`].
//!
//! # Using it
//!
//! ```no_run
//! use twofold_core::vault::{KdfParams, VaultContents, VaultStore};
//! # fn main() -> Result<(), twofold_core::vault::VaultError> {
//! let store = VaultStore::new(VaultStore::default_path()?);
//! let mut vault = if store.exists() {
//!     store.unlock("correct horse")?          // Argon2: about half a second
//! } else {
//!     store.create("correct horse", KdfParams::DEFAULT, &VaultContents::new())?
//! };
//! vault.update(|contents| -> Result<(), twofold_core::vault::VaultError> {
//!     contents.accounts.retain(|a| a.issuer != "Old service");
//!     Ok(())
//! })?;
//! vault.lock(); // zeroizes the data key and every secret
//! # Ok(()) }
//! ```
//!
//! * [`VaultStore`] names a file. It creates ([`VaultStore::create`]) and opens ([`VaultStore::unlock`])
//!   vaults, reads the header without a password ([`VaultStore::inspect`]: format version, KDF cost), cleans
//!   temp files left by an interrupted save ([`VaultStore::clean_leftovers`], also done by `unlock`), and
//!   offers the previous copy when the vault is damaged ([`VaultStore::read_previous`],
//!   [`VaultStore::restore_previous`]).
//! * [`Vault`] is an unlocked vault: an owned value holding the data key (zeroized on drop) and the
//!   decrypted [`VaultContents`]. It does no I/O until asked and holds no file or lock open, so it can sit
//!   in an app's state for hours. It is `Clone`: a shell keeps it behind its state lock, clones it out for a
//!   slow operation (a save, a password change), and puts the result back; the save counter (below) makes a
//!   mistake there a clear error, never a lost update.
//!
//! # Two programs, one vault
//!
//! The desktop app may hold a vault unlocked for hours while `twofold-cli` edits the same file. Two
//! mechanisms keep every update:
//!
//! * **One writer at a time.** Every save takes an OS lock on `NAME.lock` for the few milliseconds it runs
//!   and waits for it (up to [`VaultStore::with_lock_wait`], 5 s by default) if another process is saving;
//!   then [`VaultError::Locked`] names that process. The lock is never held between saves, so an open app
//!   does not block the CLI. A killed process releases it automatically.
//! * **The save counter.** Every file carries a counter incremented by each save, and each [`Vault`]
//!   remembers the counter it last read or wrote. Under the lock, a save first reads the counter on disk:
//!   - [`Vault::update`] (the usual way to change anything) then *reloads and re-applies*: if another
//!     program saved meanwhile, it decrypts that newer file with the key it holds, runs the caller's closure
//!     on the fresh contents, and saves. Two processes calling `update` concurrently therefore lose nothing.
//!   - [`Vault::save`] (replace everything with these contents) *refuses* with [`VaultError::Stale`]
//!     instead, because whole contents computed from an old copy would undo the other program's change.
//!   - If the other program rotated the data key, the held key cannot read the new file:
//!     [`VaultError::KeyChanged`] asks for the password again.
//!
//! # Durability
//!
//! A save writes a temp file in the vault's folder, syncs it, reads it back and decrypts it, keeps the
//! current vault as `NAME.prev`, renames the temp file over the vault and syncs the folder. A crash at any
//! moment leaves a vault that opens with either the old or the new contents. A failure before the rename
//! leaves the old vault untouched and returns the error; a failure to sync the folder after the rename
//! returns the error but the new contents are in place and the handle is up to date.
//!
//! # Keys
//!
//! [`Vault::change_password`] rewraps the same data key under a new Argon2id slot; [`Vault::rotate_key`]
//! makes a new data key (other processes holding the old one get [`VaultError::KeyChanged`]). Both run
//! Argon2 before taking the writer lock. HOTP: [`Vault::advance_hotp`] saves the incremented counter and
//! only then returns the counter value to compute the code from.
//!
//! # Edit stamps
//!
//! Every change made through [`Vault::update`] or [`Vault::save`] is stamped for the merge of two copies
//! (`crate::sync::merge`): after the change runs, each account it added or changed gets a new [`Stamp`], and
//! each account it removed leaves a tombstone with that stamp. Callers do nothing for it. The stamp names the
//! device given by [`Vault::set_device`] (a random one per handle until then: a shell should keep one id per
//! installation and set it after every unlock) and takes its wall time from [`system_clock_ms`] (tests set
//! another with [`Vault::set_clock`]). [`Vault::merge_from`] applies a merge, whose stamps are kept as merged.

pub mod error;
pub mod format;
pub mod payload;
pub mod stamp;
pub mod storage;

pub use error::{Corruption, Invalid, VaultError};
pub use format::{DeviceKey, FORMAT_MAJOR, FORMAT_MINOR, KdfParams};
pub use payload::VaultContents;
pub use stamp::{Clock, DeviceId, Stamp, system_clock_ms};
pub use storage::{SaveHook, SaveStep, VaultStore};

use crate::model::{AccountId, OtpKind};
use format::{DataKey, DeviceSlot, Header, OtherSlot, Sealing, Slot};
use storage::WriterLock;

/// A fresh random id for a device slot (made before the slot, so its keyring item can be written first).
pub fn new_device_slot_id() -> Result<[u8; 16], VaultError> {
    let mut id = [0u8; 16];
    format::random_fill(&mut id)?;
    Ok(id)
}

/// The longest a device slot may open the vault before the password is asked for again.
pub const MAX_DEVICE_DAYS: u16 = 365;

/// What [`VaultStore::inspect`] tells without a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VaultInfo {
    pub format_major: u16,
    pub format_minor: u16,
    /// The number of saves so far.
    pub save_counter: u64,
    /// The Argon2id cost of each password slot.
    pub slots: Vec<KdfParams>,
    /// The random id of the data key (changed by [`Vault::rotate_key`]): with the save counter, what a program
    /// remembers of a vault to notice an older copy put back in its place (docs/vault-format.md, rollback).
    pub key_id: [u8; 16],
    /// The device slots (1.2): which computers' keyrings can open the vault, and since when.
    pub device_slots: Vec<DeviceSlotInfo>,
}

/// What the header says of a device slot: nothing secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DeviceSlotInfo {
    /// Random id; names the keyring item that holds the slot's key.
    pub id: [u8; 16],
    /// Unix seconds when the slot was made (when the password was last typed on that computer).
    pub enrolled: u64,
    /// Days after `enrolled` when the slot stops opening the vault.
    pub max_days: u16,
}

impl DeviceSlotInfo {
    /// Whether the slot may still open the vault at `now` (Unix seconds): less than `max_days` since it was
    /// made. A slot dated more than five minutes ahead of `now` (a clock set back since) has expired too, so
    /// a wrong clock never stretches the rule.
    pub fn is_current(&self, now: u64) -> bool {
        let max_age = u64::from(self.max_days) * 86_400;
        self.enrolled <= now.saturating_add(300) && now.saturating_sub(self.enrolled) < max_age
    }
}

fn device_slot_infos(others: &[OtherSlot]) -> Vec<DeviceSlotInfo> {
    others
        .iter()
        .filter_map(|s| match s {
            OtherSlot::Device(d) => Some(DeviceSlotInfo { id: d.id, enrolled: d.enrolled, max_days: d.max_days }),
            OtherSlot::Unknown { .. } => None,
        })
        .collect()
}

impl VaultStore {
    /// Creates a new vault holding `contents`, protected by `password`. Fails if the file exists, and if only
    /// its previous copy does ([`VaultError::PreviousExists`]: the next saves would replace that copy). Runs
    /// Argon2 once at cost `kdf` (which must be within [`KdfParams::check`]'s range).
    pub fn create(&self, password: &str, kdf: KdfParams, contents: &VaultContents) -> Result<Vault, VaultError> {
        if password.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        let data_key = DataKey::random()?;
        let slot = Slot::seal(password, kdf, &data_key)?;
        let mut key_id = [0u8; 16];
        format::random_fill(&mut key_id)?;
        let sealing = Sealing { data_key, key_id, slots: vec![slot], others: Vec::new(), minor: FORMAT_MINOR };
        let lock = self.lock()?;
        if self.path().exists() {
            return Err(VaultError::AlreadyExists { path: self.path().to_path_buf() });
        }
        if self.previous_path().exists() {
            return Err(VaultError::PreviousExists { path: self.path().to_path_buf() });
        }
        let mut vault = Vault::new(self.clone(), sealing.clone(), 0, VaultContents::new());
        vault.write_locked(&lock, sealing, contents.clone())?;
        Ok(vault)
    }

    /// Opens the vault with `password` (runs Argon2, about half a second at the default cost). Removes temp
    /// files left by an interrupted save first. The returned [`Vault`] holds no file open.
    pub fn unlock(&self, password: &str) -> Result<Vault, VaultError> {
        // Best effort: a leftover temp file is harmless, and a folder we cannot list fails the read below.
        let _ = self.clean_leftovers();
        let bytes = self.read()?;
        let (header, sealing, plaintext) = format::open_with_password(&bytes, password)?;
        let contents = VaultContents::from_json(&plaintext)?;
        Ok(Vault::new(self.clone(), sealing, header.counter, contents))
    }

    /// Opens the vault with the key of its device slot `id`, read from the system keyring by the caller. Runs
    /// no KDF and writes nothing (a failed attempt leaves the file as it was). [`VaultError::NoDeviceSlot`]
    /// when the slot is gone, [`VaultError::DeviceKeyMismatch`] when the key does not open it.
    pub fn unlock_with_device_key(&self, id: &[u8; 16], device_key: &DeviceKey) -> Result<Vault, VaultError> {
        let bytes = self.read()?;
        let (header, sealing, plaintext) = format::open_with_device_key(&bytes, id, device_key)?;
        let contents = VaultContents::from_json(&plaintext)?;
        Ok(Vault::new(self.clone(), sealing, header.counter, contents))
    }

    /// Reads the header: format version, save counter and KDF cost. Needs no password and runs no KDF; it
    /// fails the same way `unlock` would for a damaged, hostile or newer file.
    pub fn inspect(&self) -> Result<VaultInfo, VaultError> {
        let bytes = self.read()?;
        let (header, _) = Header::parse(&bytes)?;
        Ok(VaultInfo {
            format_major: header.major,
            format_minor: header.minor,
            save_counter: header.counter,
            slots: header.slots.iter().map(|s| s.kdf).collect(),
            key_id: header.key_id,
            device_slots: device_slot_infos(&header.others),
        })
    }

    /// Decrypts the previous copy (`NAME.prev`) to show what it holds, e.g. after the vault itself failed
    /// with [`VaultError::Corrupt`]. To make it the vault again, call [`VaultStore::restore_previous`].
    pub fn read_previous(&self, password: &str) -> Result<VaultContents, VaultError> {
        let bytes = storage::read_file(&self.previous_path())?;
        let (_, _, plaintext) = format::open_with_password(&bytes, password)?;
        VaultContents::from_json(&plaintext)
    }
}

/// An unlocked vault: the data key and the decrypted contents. See the [module docs](self).
#[derive(Clone)]
pub struct Vault {
    store: VaultStore,
    sealing: Sealing,
    counter: u64,
    contents: VaultContents,
    device: DeviceId,
    clock: Clock,
}

impl std::fmt::Debug for Vault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vault")
            .field("path", &self.store.path())
            .field("counter", &self.counter)
            .field("key", &"<redacted>")
            .field("accounts", &self.contents.accounts.len())
            .finish()
    }
}

impl Vault {
    fn new(store: VaultStore, sealing: Sealing, counter: u64, contents: VaultContents) -> Self {
        Vault { store, sealing, counter, contents, device: DeviceId::new_random(), clock: system_clock_ms }
    }

    /// The device named in the stamps of this handle's edits (see the module docs, "Edit stamps").
    pub fn set_device(&mut self, device: DeviceId) {
        self.device = device;
    }

    /// The device this handle stamps its edits with.
    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// Where edit stamps take their wall time (Unix milliseconds); [`system_clock_ms`] by default.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// Where this vault lives.
    pub fn store(&self) -> &VaultStore {
        &self.store
    }

    /// The contents as of the last load or save.
    pub fn contents(&self) -> &VaultContents {
        &self.contents
    }

    /// The save counter of the file this handle last read or wrote.
    pub fn counter(&self) -> u64 {
        self.counter
    }

    /// The random id of the data key this handle holds (not secret: it is in the file's header). A key
    /// rotation changes it.
    pub fn key_id(&self) -> [u8; 16] {
        self.sealing.key_id
    }

    /// The Argon2id cost of the password slot(s).
    pub fn kdf_params(&self) -> Vec<KdfParams> {
        self.sealing.slots.iter().map(|s| s.kdf).collect()
    }

    /// Locks the vault: drops the data key and the contents, zeroizing the key, every secret and every
    /// recovery code.
    pub fn lock(self) {
        drop(self);
    }

    /// Applies `change` to the newest contents and saves: under the writer lock, if another program saved
    /// since this handle's last load or save, reloads that file first (with the held key), then runs
    /// `change`, then saves. If `change` returns an error nothing is saved. Returns what `change` returned.
    pub fn update<R, E: From<VaultError>>(
        &mut self,
        change: impl FnOnce(&mut VaultContents) -> Result<R, E>,
    ) -> Result<R, E> {
        let lock = self.store.lock()?;
        self.catch_up()?;
        let mut contents = self.contents.clone();
        let result = change(&mut contents)?;
        self.stamp(&mut contents);
        let sealing = self.sealing.clone();
        self.write_locked(&lock, sealing, contents)?;
        Ok(result)
    }

    /// Merges `theirs` (another copy of this vault: a synced copy, a conflict copy, a backup) into the newest
    /// contents and saves if that changed anything, under the writer lock like [`Vault::update`]. The merge
    /// keeps every stamp as merged: it is not an edit. Returns what the merge did.
    pub fn merge_from(&mut self, theirs: &VaultContents) -> Result<crate::sync::MergeReport, VaultError> {
        let lock = self.store.lock()?;
        self.catch_up()?;
        let (merged, report) = crate::sync::merge(&self.contents, theirs);
        if merged != self.contents {
            let sealing = self.sealing.clone();
            self.write_locked(&lock, sealing, merged)?;
        }
        Ok(report)
    }

    /// The key material this handle seals with: a synced copy first written from this vault uses it, so
    /// the copy opens with the key already held (`crate::sync::folder`).
    pub(crate) fn sealing(&self) -> &Sealing {
        &self.sealing
    }

    /// Makes `sealing` (the data key and password slots of a synced copy, opened with its password) this
    /// vault's own and saves: from then on the vault opens with the copy's password. Other programs' handles
    /// get [`VaultError::KeyChanged`]. Runs no KDF.
    pub(crate) fn adopt_sealing(&mut self, sealing: Sealing) -> Result<(), VaultError> {
        let lock = self.store.lock()?;
        self.catch_up()?;
        let sealing = Sealing { minor: sealing.minor.max(self.sealing.minor), ..sealing };
        let contents = self.contents.clone();
        self.write_locked(&lock, sealing, contents)
    }

    /// Stamps what changed between the held contents and `contents` (see the module docs).
    fn stamp(&self, contents: &mut VaultContents) {
        let (device, clock) = (self.device, self.clock);
        contents.stamp_changes(&self.contents, || Stamp::next(self.contents.newest_stamp(), clock(), device));
    }

    /// Replaces the whole contents and saves. Refuses with [`VaultError::Stale`] if another program saved
    /// since this handle's last load or save (use [`Vault::update`] to re-apply a change instead).
    pub fn save(&mut self, contents: VaultContents) -> Result<(), VaultError> {
        let lock = self.store.lock()?;
        let header = Header::parse(&self.store.read()?)?.0;
        if header.counter != self.counter || header.key_id != self.sealing.key_id {
            return Err(VaultError::Stale { expected: self.counter, found: header.counter });
        }
        let mut contents = contents;
        self.stamp(&mut contents);
        let sealing = self.sealing.clone();
        self.write_locked(&lock, sealing, contents)
    }

    /// Re-reads the file if another program saved it; returns whether anything changed. Runs no KDF.
    pub fn reload(&mut self) -> Result<bool, VaultError> {
        let before = self.counter;
        self.catch_up()?;
        Ok(self.counter != before)
    }

    /// Whether `password` opens this vault (runs Argon2): to confirm the current password before a change.
    pub fn check_password(&self, password: &str) -> Result<bool, VaultError> {
        for slot in &self.sealing.slots {
            if slot.open(password)?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The device slots this vault has (as of the last load or save).
    pub fn device_slots(&self) -> Vec<DeviceSlotInfo> {
        device_slot_infos(&self.sealing.others)
    }

    /// Adds a device slot `id` (from [`new_device_slot_id`]; it names the keyring item) wrapping the data key
    /// under `device_key`, made at `enrolled` (Unix seconds) and opening the vault for `max_days` (1 to 365),
    /// and removes the device slot `replacing` if given (this computer's previous one): one save. Returns `id`.
    /// [`VaultError::TooManySlots`] when the file would exceed 8.
    pub fn add_device_slot(
        &mut self,
        device_key: &DeviceKey,
        id: [u8; 16],
        enrolled: u64,
        max_days: u16,
        replacing: Option<[u8; 16]>,
    ) -> Result<[u8; 16], VaultError> {
        if !(1..=MAX_DEVICE_DAYS).contains(&max_days) {
            return Err(VaultError::InvalidContents {
                reason: Invalid::KeyringDays { days: max_days, max: MAX_DEVICE_DAYS },
            });
        }
        let slot = DeviceSlot::seal(device_key, id, enrolled, max_days, &self.sealing.data_key)?;
        let lock = self.store.lock()?;
        self.catch_up()?;
        let mut sealing = self.sealing.clone();
        sealing.others.retain(|s| !matches!((s, replacing), (OtherSlot::Device(d), Some(old)) if d.id == old));
        sealing.others.push(OtherSlot::Device(slot));
        if sealing.slots.len() + sealing.others.len() > format::MAX_SLOTS {
            return Err(VaultError::TooManySlots { max: format::MAX_SLOTS });
        }
        sealing.minor = sealing.minor.max(format::DEVICE_SLOT_MINOR);
        let contents = self.contents.clone();
        self.write_locked(&lock, sealing, contents)?;
        Ok(id)
    }

    /// Removes the device slot `id` and saves; returns whether it was there (nothing is written if not).
    pub fn remove_device_slot(&mut self, id: &[u8; 16]) -> Result<bool, VaultError> {
        let lock = self.store.lock()?;
        self.catch_up()?;
        let mut sealing = self.sealing.clone();
        let before = sealing.others.len();
        sealing.others.retain(|s| !matches!(s, OtherSlot::Device(d) if d.id == *id));
        if sealing.others.len() == before {
            return Ok(false);
        }
        let contents = self.contents.clone();
        self.write_locked(&lock, sealing, contents)?;
        Ok(true)
    }

    /// Rewraps the data key under `new_password` at cost `kdf` and saves. Argon2 runs before the writer lock
    /// is taken. Other programs' handles stay valid (the data key is unchanged). Every device slot (and slot of
    /// an unknown type) is dropped: after a password change the password must be typed again on every computer
    /// before its keyring opens the vault (docs/vault-format.md, device slots).
    pub fn change_password(&mut self, new_password: &str, kdf: KdfParams) -> Result<(), VaultError> {
        if new_password.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        let slot = Slot::seal(new_password, kdf, &self.sealing.data_key)?;
        let lock = self.store.lock()?;
        self.catch_up()?;
        let sealing = Sealing { slots: vec![slot], others: Vec::new(), ..self.sealing.clone() };
        let contents = self.contents.clone();
        self.write_locked(&lock, sealing, contents)
    }

    /// Replaces the data key with a fresh one wrapped under `password` at cost `kdf`, and saves. Other
    /// programs' handles then get [`VaultError::KeyChanged`] and must unlock again. Device slots wrap the old
    /// key and are dropped, like every slot but the new password slot.
    pub fn rotate_key(&mut self, password: &str, kdf: KdfParams) -> Result<(), VaultError> {
        if password.is_empty() {
            return Err(VaultError::EmptyPassword);
        }
        let data_key = DataKey::random()?;
        let slot = Slot::seal(password, kdf, &data_key)?;
        let mut key_id = [0u8; 16];
        format::random_fill(&mut key_id)?;
        let lock = self.store.lock()?;
        self.catch_up()?;
        let sealing = Sealing { data_key, key_id, slots: vec![slot], others: Vec::new(), minor: self.sealing.minor };
        let contents = self.contents.clone();
        self.write_locked(&lock, sealing, contents)
    }

    /// For an HOTP account: saves the vault with the counter advanced (and the use recorded at `now`), and
    /// only then returns the counter value the code to show must be computed from.
    pub fn advance_hotp(&mut self, id: AccountId, now: i64) -> Result<u64, VaultError> {
        self.update(|contents| {
            let account = contents.account_mut(id).ok_or(VaultError::UnknownAccount { id })?;
            let OtpKind::Hotp { counter } = account.otp.kind else {
                return Err(VaultError::NotHotp { id });
            };
            account.otp.kind = OtpKind::Hotp { counter: counter.saturating_add(1) };
            account.last_used = Some(now);
            account.use_count = account.use_count.saturating_add(1);
            Ok(counter)
        })
    }

    /// Under the writer lock: adopts the file on disk if another program saved it.
    fn catch_up(&mut self) -> Result<(), VaultError> {
        let bytes = self.store.read()?;
        let (header, prefix) = Header::parse(&bytes)?;
        if header.key_id != self.sealing.key_id {
            return Err(VaultError::KeyChanged);
        }
        if header.counter == self.counter {
            return Ok(());
        }
        let plaintext = format::open_payload(&bytes, &header, prefix, &self.sealing.data_key)?;
        self.contents = VaultContents::from_json(&plaintext)?;
        self.counter = header.counter;
        self.sealing.slots = header.slots;
        self.sealing.others = header.others;
        self.sealing.minor = header.minor;
        Ok(())
    }

    /// Seals and atomically writes `contents` with `sealing` and the next counter; on success (or once the
    /// rename happened) the handle adopts both.
    fn write_locked(&mut self, lock: &WriterLock, sealing: Sealing, contents: VaultContents) -> Result<(), VaultError> {
        let json = contents.to_json()?;
        let counter =
            self.counter.checked_add(1).ok_or(VaultError::InvalidContents { reason: Invalid::CounterOverflow })?;
        let bytes = format::seal(&sealing, counter, &json)?;
        let result = self.store.write_atomic(lock, &bytes, |back| {
            let (header, plain) = format::open_with_key(back, &sealing.data_key)?;
            if header.counter == counter && plain[..] == json[..] { Ok(()) } else { Err(VaultError::ReadBackFailed) }
        });
        match result {
            Ok(()) => {}
            Err(failure) if !failure.renamed => return Err(failure.error),
            Err(failure) => {
                self.adopt(counter, sealing, contents);
                return Err(failure.error);
            }
        }
        self.adopt(counter, sealing, contents);
        Ok(())
    }

    fn adopt(&mut self, counter: u64, sealing: Sealing, contents: VaultContents) {
        self.counter = counter;
        self.sealing = sealing;
        self.contents = contents;
    }
}
