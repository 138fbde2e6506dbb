//! The vault file's bytes: header layout, key derivation, key wrapping and payload sealing.
//!
//! The normative description is `docs/vault-format.md`; this module is its only implementation. In short:
//! a fixed binary header (magic, version, header length, save counter, key id, payload salt and nonce,
//! payload length, slots) followed by a SHA-256 checksum of the header, then the payload: the accounts as
//! JSON, sealed with AES-256-GCM under a per-save subkey of the data key, with the header and its checksum as
//! associated data. A password slot wraps the data key with AES-256-GCM under an Argon2id key; a device slot
//! (1.2) under a random key kept in the operating system's keyring ([`DeviceSlot`]); a slot of a type this
//! version does not know is kept as it is while the data key lives ([`OtherSlot::Unknown`]).
//!
//! The order of checks when reading is part of the design: magic, lengths and checksum first (cheap, so a
//! damaged file is reported as damaged and never costs an Argon2 run), then the version, then the KDF ranges
//! (before anything is allocated for Argon2), and only then the password.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;
use zeroize::{Zeroize, Zeroizing};

use super::error::{Corruption, Invalid, VaultError};

/// The first 8 bytes of every vault file.
pub const MAGIC: [u8; 8] = *b"TWOFOLDV";
/// The format major version this code writes and reads. A file with a greater major is refused.
pub const FORMAT_MAJOR: u16 = 1;
/// The format minor version this code writes. Minor versions only add optional payload fields, and slot
/// types (see [`DEVICE_SLOT_MINOR`]).
pub const FORMAT_MINOR: u16 = 1;
/// The minor of a file that holds (or held) a device slot: 1.2 added the slot type. A file without one stays
/// 1.1, so that readers of 1.1 keep opening it.
pub const DEVICE_SLOT_MINOR: u16 = 2;

/// Bytes before the slots: magic 8, major 2, minor 2, header length 4, counter 8, key id 16, payload salt 32,
/// payload nonce 12, payload length 8, slot count 1.
pub const FIXED_HEADER_LEN: usize = 93;
/// Bytes of one slot: type 1, memory 4, passes 4, lanes 4, salt 32, nonce 12, wrapped key 48.
pub const SLOT_LEN: usize = 105;
/// Length of the header checksum that follows the header.
pub const CHECKSUM_LEN: usize = 32;
/// The most slots a file may have.
pub const MAX_SLOTS: usize = 8;
/// AES-GCM tag length.
const TAG_LEN: usize = 16;
/// Largest payload we accept: far beyond 10,000 accounts, small enough to refuse a hostile length early.
pub const MAX_PAYLOAD_LEN: u64 = 256 * 1024 * 1024;
/// Slot type of a password slot.
const SLOT_PASSWORD: u8 = 1;
/// Slot type of a device slot (1.2): the data key wrapped under a random key held in the system keyring.
const SLOT_DEVICE: u8 = 2;
/// HKDF info for the per-save payload subkey.
const PAYLOAD_INFO: &[u8] = b"twofold vault v1 payload key";

/// Argon2id cost parameters of a password slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Passes over memory (Argon2's `t`).
    pub passes: u32,
    /// Lanes (Argon2's `p`), computed in parallel.
    pub lanes: u32,
}

impl KdfParams {
    /// The default: RFC 9106's second recommendation (64 MiB, t = 3, p = 4), also Bitwarden's default.
    pub const DEFAULT: KdfParams = KdfParams { memory_kib: 64 * 1024, passes: 3, lanes: 4 };
    /// OWASP's floor: 19 MiB, t = 2, p = 1. Nothing below it is written or read. Tests use it for speed.
    pub const MINIMUM: KdfParams = KdfParams { memory_kib: 19 * 1024, passes: 2, lanes: 1 };
    /// Most memory a file may ask for (1 GiB).
    pub const MAX_MEMORY_KIB: u32 = 1024 * 1024;
    /// Most passes a file may ask for.
    pub const MAX_PASSES: u32 = 16;
    /// Most lanes a file may ask for.
    pub const MAX_LANES: u32 = 16;

    /// Accepts the parameters if they are within the documented range; checked before any allocation.
    pub fn check(self) -> Result<Self, VaultError> {
        let ok = (Self::MINIMUM.memory_kib..=Self::MAX_MEMORY_KIB).contains(&self.memory_kib)
            && (Self::MINIMUM.passes..=Self::MAX_PASSES).contains(&self.passes)
            && (1..=Self::MAX_LANES).contains(&self.lanes);
        if ok {
            Ok(self)
        } else {
            Err(VaultError::KdfOutOfRange { memory_kib: self.memory_kib, passes: self.passes, lanes: self.lanes })
        }
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A 256-bit key (the data key, a key-encryption key or a payload subkey). Zeroized on drop, redacted in
/// `Debug`.
#[derive(Clone)]
pub struct DataKey(Zeroizing<[u8; 32]>);

impl DataKey {
    /// A fresh random key.
    pub fn random() -> Result<Self, VaultError> {
        let mut key = Zeroizing::new([0u8; 32]);
        random_fill(&mut *key)?;
        Ok(Self(key))
    }

    /// Wraps raw key bytes (for tools, tests and the fuzz target; the app never needs this).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&Key::<Aes256Gcm>::from(*self.0))
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(<redacted>)")
    }
}

/// Fills `buf` from the operating system's random generator.
pub(crate) fn random_fill(buf: &mut [u8]) -> Result<(), VaultError> {
    getrandom::fill(buf).map_err(|_| VaultError::Random)
}

/// The password bytes the KDF sees: the UTF-8 of the NFC-normalized string. Fixed forever (see Aegis #95).
pub fn password_bytes(password: &str) -> Zeroizing<Vec<u8>> {
    let normalized: Zeroizing<String> = Zeroizing::new(password.nfc().collect());
    Zeroizing::new(normalized.as_bytes().to_vec())
}

/// Wraps `data_key` under `kek` with a fresh nonce and the slot's associated data: every slot type's sealing.
fn wrap_key(kek: &DataKey, data_key: &DataKey, aad: &[u8]) -> Result<([u8; 12], [u8; 48]), VaultError> {
    let mut nonce = [0u8; 12];
    random_fill(&mut nonce)?;
    let wrapped = kek
        .cipher()
        .encrypt(&Nonce::from(nonce), Payload { msg: &data_key.0[..], aad })
        .map_err(|_| VaultError::InvalidContents { reason: Invalid::KeyWrapping })?;
    let wrapped: [u8; 48] =
        wrapped.as_slice().try_into().map_err(|_| VaultError::InvalidContents { reason: Invalid::KeyWrapping })?;
    Ok((nonce, wrapped))
}

/// Unwraps a data key wrapped by [`wrap_key`]; `None` when `kek` or `aad` is not the slot's.
fn unwrap_key(kek: &DataKey, nonce: &[u8; 12], wrapped: &[u8; 48], aad: &[u8]) -> Option<DataKey> {
    let plain = Zeroizing::new(kek.cipher().decrypt(&Nonce::from(*nonce), Payload { msg: wrapped, aad }).ok()?);
    let bytes: [u8; 32] = plain.as_slice().try_into().ok()?;
    Some(DataKey::from_bytes(bytes))
}

/// One password slot: KDF parameters, salt, and the data key wrapped under the derived key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub kdf: KdfParams,
    pub salt: [u8; 32],
    pub nonce: [u8; 12],
    pub wrapped_key: [u8; 48],
}

impl Slot {
    /// Derives the key-encryption key from `password` (slow: this is the Argon2 run) and wraps `data_key`.
    pub fn seal(password: &str, kdf: KdfParams, data_key: &DataKey) -> Result<Self, VaultError> {
        let kdf = kdf.check()?;
        let mut salt = [0u8; 32];
        random_fill(&mut salt)?;
        let kek = derive_kek(password, kdf, &salt)?;
        Self::seal_with_kek(kdf, salt, &kek, data_key)
    }

    /// Wraps `data_key` under a key-encryption key already derived with [`derive_kek`] from `kdf` and `salt`
    /// (fresh nonce). Lets a holder of the derived key seal many files without running Argon2 each time
    /// (automatic backups); the file is the same as with [`Slot::seal`].
    pub fn seal_with_kek(
        kdf: KdfParams,
        salt: [u8; 32],
        kek: &DataKey,
        data_key: &DataKey,
    ) -> Result<Self, VaultError> {
        let mut slot = Slot { kdf: kdf.check()?, salt, nonce: [0; 12], wrapped_key: [0; 48] };
        (slot.nonce, slot.wrapped_key) = wrap_key(kek, data_key, &slot.aad())?;
        Ok(slot)
    }

    /// Derives the key-encryption key from `password` and unwraps the data key; `None` when the password
    /// does not open this slot.
    pub fn open(&self, password: &str) -> Result<Option<DataKey>, VaultError> {
        let kek = derive_kek(password, self.kdf, &self.salt)?;
        Ok(self.open_with_kek(&kek))
    }

    /// Unwraps the data key with a key-encryption key derived from this slot's `kdf` and `salt`; `None` when
    /// it does not open this slot.
    pub fn open_with_kek(&self, kek: &DataKey) -> Option<DataKey> {
        unwrap_key(kek, &self.nonce, &self.wrapped_key, &self.aad())
    }

    /// The slot's associated data when wrapping: its type, KDF parameters and salt.
    fn aad(&self) -> [u8; 45] {
        let mut aad = [0u8; 45];
        aad[0] = SLOT_PASSWORD;
        aad[1..5].copy_from_slice(&self.kdf.memory_kib.to_le_bytes());
        aad[5..9].copy_from_slice(&self.kdf.passes.to_le_bytes());
        aad[9..13].copy_from_slice(&self.kdf.lanes.to_le_bytes());
        aad[13..45].copy_from_slice(&self.salt);
        aad
    }

    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.aad());
        out.extend_from_slice(&self.nonce);
        out.extend_from_slice(&self.wrapped_key);
    }

    /// A password slot from the 104 bytes after its type byte (layout checked by the caller; the KDF ranges
    /// are checked after the whole header is read).
    fn from_body(body: &[u8; SLOT_LEN - 1]) -> Self {
        let u32_at = |i: usize| u32::from_le_bytes([body[i], body[i + 1], body[i + 2], body[i + 3]]);
        let kdf = KdfParams { memory_kib: u32_at(0), passes: u32_at(4), lanes: u32_at(8) };
        let (salt, nonce, wrapped_key) = split_tail(body);
        Slot { kdf, salt, nonce, wrapped_key }
    }
}

/// The last three fields every slot type shares: 32 bytes (salt or id and time), nonce, wrapped key.
fn split_tail(body: &[u8; SLOT_LEN - 1]) -> ([u8; 32], [u8; 12], [u8; 48]) {
    let mut a = [0u8; 32];
    let mut n = [0u8; 12];
    let mut w = [0u8; 48];
    a.copy_from_slice(&body[12..44]);
    n.copy_from_slice(&body[44..56]);
    w.copy_from_slice(&body[56..104]);
    (a, n, w)
}

/// The random key of a device slot, held in the operating system's keyring, never in the vault. Zeroized on
/// drop, redacted in `Debug`; its bytes leave only through [`DeviceKey::expose_bytes`], to be stored in the
/// keyring.
#[derive(Clone)]
pub struct DeviceKey(DataKey);

impl DeviceKey {
    /// A fresh random 256-bit key.
    pub fn random() -> Result<Self, VaultError> {
        Ok(Self(DataKey::random()?))
    }

    /// The key read back from the keyring; `None` unless it is exactly 32 bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        let bytes: [u8; 32] = bytes.try_into().ok()?;
        Some(Self(DataKey::from_bytes(bytes)))
    }

    /// The raw bytes, for the keyring's secret. Nothing else should write them anywhere.
    pub fn expose_bytes(&self) -> &[u8; 32] {
        &self.0.0
    }
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(<redacted>)")
    }
}

/// A device slot (type 2, format 1.2): the data key wrapped with AES-256-GCM directly under a random 256-bit
/// [`DeviceKey`] (no KDF: the key is already uniformly random). `id` names the keyring item holding the key;
/// `enrolled` is when it was made, which is when the password was last typed on that computer (Unix seconds),
/// and `max_days` how long it may open the vault: the "ask for the password every N days" rule is in the
/// file, authenticated (a changed byte makes the unwrap fail), and the app and the CLI read the same rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceSlot {
    /// Random; the keyring item's name is derived from it. Not secret.
    pub id: [u8; 16],
    /// Unix seconds when this slot was made.
    pub enrolled: u64,
    /// After how many days from `enrolled` the slot stops opening the vault and the password is asked for.
    pub max_days: u16,
    /// Zero when written; kept as read (a later minor may use them).
    pub reserved: [u8; 6],
    pub nonce: [u8; 12],
    pub wrapped_key: [u8; 48],
}

impl DeviceSlot {
    /// Wraps `data_key` under `device_key` in a new slot `id` with a fresh random nonce.
    pub fn seal(
        device_key: &DeviceKey,
        id: [u8; 16],
        enrolled: u64,
        max_days: u16,
        data_key: &DataKey,
    ) -> Result<Self, VaultError> {
        let mut slot = DeviceSlot { id, enrolled, max_days, reserved: [0; 6], nonce: [0; 12], wrapped_key: [0; 48] };
        (slot.nonce, slot.wrapped_key) = wrap_key(&device_key.0, data_key, &slot.aad())?;
        Ok(slot)
    }

    /// Unwraps the data key; `None` when `device_key` is not this slot's.
    pub fn open(&self, device_key: &DeviceKey) -> Option<DataKey> {
        unwrap_key(&device_key.0, &self.nonce, &self.wrapped_key, &self.aad())
    }

    /// Type, 12 unused bytes (zero; the password slot's KDF parameters), id, enrolled time, days, reserved.
    fn aad(&self) -> [u8; 45] {
        let mut aad = [0u8; 45];
        aad[0] = SLOT_DEVICE;
        aad[13..29].copy_from_slice(&self.id);
        aad[29..37].copy_from_slice(&self.enrolled.to_le_bytes());
        aad[37..39].copy_from_slice(&self.max_days.to_le_bytes());
        aad[39..45].copy_from_slice(&self.reserved);
        aad
    }

    fn from_body(body: &[u8; SLOT_LEN - 1]) -> Self {
        let (tail, nonce, wrapped_key) = split_tail(body);
        let mut id = [0u8; 16];
        let mut enrolled = [0u8; 8];
        let mut reserved = [0u8; 6];
        id.copy_from_slice(&tail[..16]);
        enrolled.copy_from_slice(&tail[16..24]);
        reserved.copy_from_slice(&tail[26..32]);
        let max_days = u16::from_le_bytes([tail[24], tail[25]]);
        DeviceSlot { id, enrolled: u64::from_le_bytes(enrolled), max_days, reserved, nonce, wrapped_key }
    }
}

/// A slot that is not a password slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OtherSlot {
    Device(DeviceSlot),
    /// A type this version does not know (from a later 1.x): never opened, written back unchanged while the
    /// data key stays, dropped by a password change or a key rotation (see docs/vault-format.md).
    Unknown {
        kind: u8,
        body: [u8; SLOT_LEN - 1],
    },
}

impl OtherSlot {
    fn write(&self, out: &mut Vec<u8>) {
        match self {
            OtherSlot::Device(d) => {
                out.extend_from_slice(&d.aad());
                out.extend_from_slice(&d.nonce);
                out.extend_from_slice(&d.wrapped_key);
            }
            OtherSlot::Unknown { kind, body } => {
                out.push(*kind);
                out.extend_from_slice(body);
            }
        }
    }
}

/// Argon2id (version 0x13) over the NFC password bytes, 32 bytes of output, no secret or associated data.
pub fn derive_kek(password: &str, kdf: KdfParams, salt: &[u8; 32]) -> Result<DataKey, VaultError> {
    let kdf = kdf.check()?;
    let params = argon2::Params::new(kdf.memory_kib, kdf.passes, kdf.lanes, Some(32))
        .map_err(|_| VaultError::KdfOutOfRange { memory_kib: kdf.memory_kib, passes: kdf.passes, lanes: kdf.lanes })?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let pw = password_bytes(password);
    let mut out = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(&pw, salt, &mut *out).map_err(|_| VaultError::KdfOutOfRange {
        memory_kib: kdf.memory_kib,
        passes: kdf.passes,
        lanes: kdf.lanes,
    })?;
    Ok(DataKey(out))
}

/// The parsed header of a vault file: everything but the payload. Carries no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub major: u16,
    pub minor: u16,
    /// Incremented by every save; a writer whose copy is older than the file must not overwrite it.
    pub counter: u64,
    /// Random id of the data key, changed by a key rotation, so a process holding an old key can tell.
    pub key_id: [u8; 16],
    pub payload_salt: [u8; 32],
    pub payload_nonce: [u8; 12],
    pub payload_len: u64,
    /// The password slots (at least one).
    pub slots: Vec<Slot>,
    /// Device slots and slots of unknown types, written after the password slots.
    pub others: Vec<OtherSlot>,
}

impl Header {
    /// Length of the encoded header, without the checksum.
    pub fn encoded_len(&self) -> usize {
        FIXED_HEADER_LEN + SLOT_LEN * (self.slots.len() + self.others.len())
    }

    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.encoded_len() + CHECKSUM_LEN);
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&self.major.to_le_bytes());
        out.extend_from_slice(&self.minor.to_le_bytes());
        out.extend_from_slice(&(self.encoded_len() as u32).to_le_bytes());
        out.extend_from_slice(&self.counter.to_le_bytes());
        out.extend_from_slice(&self.key_id);
        out.extend_from_slice(&self.payload_salt);
        out.extend_from_slice(&self.payload_nonce);
        out.extend_from_slice(&self.payload_len.to_le_bytes());
        out.push((self.slots.len() + self.others.len()) as u8);
        for slot in &self.slots {
            slot.write(&mut out);
        }
        for slot in &self.others {
            slot.write(&mut out);
        }
        let checksum = Sha256::digest(&out);
        out.extend_from_slice(&checksum);
        out
    }

    /// Reads and checks the header of `file`: magic, lengths, checksum, version, slot layout and KDF ranges.
    /// Returns the header and the length of the authenticated prefix (header plus checksum).
    pub fn parse(file: &[u8]) -> Result<(Header, usize), VaultError> {
        let corrupt = VaultError::corrupt;
        if file.len() < 16 {
            return Err(corrupt(if file.starts_with(&MAGIC[..file.len().min(8)]) {
                Corruption::BadLength
            } else {
                Corruption::BadMagic
            }));
        }
        if file[..8] != MAGIC {
            return Err(corrupt(Corruption::BadMagic));
        }
        let mut r = Reader { bytes: file, pos: 8 };
        let major = r.u16()?;
        let minor = r.u16()?;
        let header_len = r.u32()? as usize;
        // The frame (magic, version, header length, checksum after the header) is the same for every major,
        // so a damaged file is reported as damaged, not as "newer", and a newer one can be named.
        if header_len < 16 || (major <= FORMAT_MAJOR && header_len > FIXED_HEADER_LEN + SLOT_LEN * MAX_SLOTS) {
            return Err(corrupt(Corruption::BadHeader));
        }
        let Some(checksum) = file.get(header_len..header_len + CHECKSUM_LEN) else {
            return Err(corrupt(Corruption::BadLength));
        };
        if Sha256::digest(&file[..header_len]).as_slice() != checksum {
            return Err(corrupt(Corruption::HeaderChecksum));
        }
        if major > FORMAT_MAJOR {
            return Err(VaultError::NewerFormat { major, minor });
        }
        if major < FORMAT_MAJOR {
            return Err(corrupt(Corruption::BadHeader));
        }
        let counter = r.u64()?;
        let key_id = r.array::<16>()?;
        let payload_salt = r.array::<32>()?;
        let payload_nonce = r.array::<12>()?;
        let payload_len = r.u64()?;
        let slot_count = r.u8()? as usize;
        if slot_count == 0 || slot_count > MAX_SLOTS || header_len != FIXED_HEADER_LEN + SLOT_LEN * slot_count {
            return Err(corrupt(Corruption::BadHeader));
        }
        let mut slots = Vec::with_capacity(slot_count);
        let mut others = Vec::new();
        for _ in 0..slot_count {
            let kind = r.u8()?;
            let body = r.array::<{ SLOT_LEN - 1 }>()?;
            match kind {
                SLOT_PASSWORD => slots.push(Slot::from_body(&body)),
                SLOT_DEVICE => others.push(OtherSlot::Device(DeviceSlot::from_body(&body))),
                // Type 0 was never written: a zeroed slot is damage, not a newer Twofold.
                0 => return Err(corrupt(Corruption::BadHeader)),
                kind => others.push(OtherSlot::Unknown { kind, body }),
            }
        }
        // The password always opens the vault: a file without a password slot is damaged.
        if slots.is_empty() {
            return Err(corrupt(Corruption::BadHeader));
        }
        let prefix = header_len + CHECKSUM_LEN;
        if payload_len < TAG_LEN as u64 || payload_len > MAX_PAYLOAD_LEN || (file.len() - prefix) as u64 != payload_len
        {
            return Err(corrupt(Corruption::BadLength));
        }
        for slot in &slots {
            slot.kdf.check()?;
        }
        Ok((Header { major, minor, counter, key_id, payload_salt, payload_nonce, payload_len, slots, others }, prefix))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], VaultError> {
        let end = self.pos.checked_add(n).ok_or(VaultError::corrupt(Corruption::BadLength))?;
        let slice = self.bytes.get(self.pos..end).ok_or(VaultError::corrupt(Corruption::BadLength))?;
        self.pos = end;
        Ok(slice)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], VaultError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, VaultError> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, VaultError> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, VaultError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, VaultError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
}

/// The per-save payload key: HKDF-SHA256 with the payload salt as salt and the data key as input.
fn payload_key(data_key: &DataKey, salt: &[u8; 32]) -> Result<DataKey, VaultError> {
    let mut out = Zeroizing::new([0u8; 32]);
    hkdf_expand(salt, &data_key.0[..], PAYLOAD_INFO, &mut out[..])?;
    Ok(DataKey(out))
}

/// HKDF-SHA256 into `out`. A failure is an error, never a key of zeros (32 bytes is far below HKDF-SHA256's
/// 8160-byte limit, so it cannot fail today; if it ever did, sealing under an all-zero key would be silent).
fn hkdf_expand(salt: &[u8], ikm: &[u8], info: &[u8], out: &mut [u8]) -> Result<(), VaultError> {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(salt), ikm);
    hk.expand(info, out).map_err(|_| {
        out.zeroize();
        VaultError::InvalidContents { reason: Invalid::PayloadKey }
    })
}

/// What a sealed file needs besides the payload: the key material and header fields that persist across
/// saves.
#[derive(Clone)]
pub struct Sealing {
    pub data_key: DataKey,
    pub key_id: [u8; 16],
    /// The password slots (at least one).
    pub slots: Vec<Slot>,
    /// Device slots and slots of unknown types (see [`OtherSlot`]).
    pub others: Vec<OtherSlot>,
    pub minor: u16,
}

impl std::fmt::Debug for Sealing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sealing")
            .field("data_key", &self.data_key)
            .field("slots", &self.slots.len())
            .field("others", &self.others.len())
            .field("minor", &self.minor)
            .finish_non_exhaustive()
    }
}

/// Builds a complete vault file: header with `counter`, fresh payload salt and nonce, sealed `plaintext`.
pub fn seal(sealing: &Sealing, counter: u64, plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
    if sealing.slots.is_empty() || sealing.slots.len() + sealing.others.len() > MAX_SLOTS {
        return Err(VaultError::InvalidContents { reason: Invalid::SlotCount { max: MAX_SLOTS } });
    }
    let mut header = Header {
        major: FORMAT_MAJOR,
        // A file of a newer minor keeps its minor: its unknown fields are written back unchanged.
        minor: sealing.minor.max(FORMAT_MINOR),
        counter,
        key_id: sealing.key_id,
        payload_salt: [0; 32],
        payload_nonce: [0; 12],
        payload_len: (plaintext.len() + TAG_LEN) as u64,
        slots: sealing.slots.clone(),
        others: sealing.others.clone(),
    };
    random_fill(&mut header.payload_salt)?;
    random_fill(&mut header.payload_nonce)?;
    let mut file = header.encode();
    let key = payload_key(&sealing.data_key, &header.payload_salt)?;
    let sealed = key
        .cipher()
        .encrypt(&Nonce::from(header.payload_nonce), Payload { msg: plaintext, aad: &file })
        .map_err(|_| VaultError::InvalidContents { reason: Invalid::PayloadTooLarge })?;
    file.extend_from_slice(&sealed);
    Ok(file)
}

/// Decrypts a parsed file's payload with the data key. Any failure is corruption: the key is known good.
pub fn open_payload(
    file: &[u8],
    header: &Header,
    prefix: usize,
    data_key: &DataKey,
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let key = payload_key(data_key, &header.payload_salt)?;
    key.cipher()
        .decrypt(&Nonce::from(header.payload_nonce), Payload { msg: &file[prefix..], aad: &file[..prefix] })
        .map(Zeroizing::new)
        .map_err(|_| VaultError::corrupt(Corruption::PayloadAuthentication))
}

/// Opens a whole file with a password: parse, then try each slot, then decrypt the payload.
pub fn open_with_password(file: &[u8], password: &str) -> Result<(Header, Sealing, Zeroizing<Vec<u8>>), VaultError> {
    let (header, prefix) = Header::parse(file)?;
    let mut data_key = None;
    for slot in &header.slots {
        if let Some(key) = slot.open(password)? {
            data_key = Some(key);
            break;
        }
    }
    let data_key = data_key.ok_or(VaultError::WrongPassword)?;
    let plaintext = open_payload(file, &header, prefix, &data_key)?;
    let sealing = Sealing {
        data_key,
        key_id: header.key_id,
        slots: header.slots.clone(),
        others: header.others.clone(),
        minor: header.minor,
    };
    Ok((header, sealing, plaintext))
}

/// Opens a whole file with the key of its device slot `id`: parse, unwrap, decrypt. No KDF runs.
/// [`VaultError::NoDeviceSlot`] when the file has no such slot (dropped by a password change or key rotation,
/// here or on another computer), [`VaultError::DeviceKeyMismatch`] when `device_key` does not open it.
pub fn open_with_device_key(
    file: &[u8],
    id: &[u8; 16],
    device_key: &DeviceKey,
) -> Result<(Header, Sealing, Zeroizing<Vec<u8>>), VaultError> {
    let (header, prefix) = Header::parse(file)?;
    let slot = header
        .others
        .iter()
        .find_map(|s| match s {
            OtherSlot::Device(d) if d.id == *id => Some(d),
            _ => None,
        })
        .ok_or(VaultError::NoDeviceSlot)?;
    let data_key = slot.open(device_key).ok_or(VaultError::DeviceKeyMismatch)?;
    let plaintext = open_payload(file, &header, prefix, &data_key)?;
    let sealing = Sealing {
        data_key,
        key_id: header.key_id,
        slots: header.slots.clone(),
        others: header.others.clone(),
        minor: header.minor,
    };
    Ok((header, sealing, plaintext))
}

/// Opens a whole file with a data key already known (a reload, the read-back check, the fuzz target).
pub fn open_with_key(file: &[u8], data_key: &DataKey) -> Result<(Header, Zeroizing<Vec<u8>>), VaultError> {
    let (header, prefix) = Header::parse(file)?;
    let plaintext = open_payload(file, &header, prefix, data_key)?;
    Ok((header, plaintext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kdf_ranges() {
        assert!(KdfParams::DEFAULT.check().is_ok());
        assert!(KdfParams::MINIMUM.check().is_ok());
        for bad in [
            KdfParams { memory_kib: 19 * 1024 - 1, ..KdfParams::MINIMUM },
            KdfParams { passes: 1, ..KdfParams::MINIMUM },
            KdfParams { lanes: 0, ..KdfParams::MINIMUM },
            KdfParams { memory_kib: u32::MAX, ..KdfParams::MINIMUM },
            KdfParams { passes: u32::MAX, ..KdfParams::MINIMUM },
            KdfParams { lanes: 17, ..KdfParams::MINIMUM },
        ] {
            assert!(matches!(bad.check(), Err(VaultError::KdfOutOfRange { .. })), "{bad:?}");
        }
    }

    #[test]
    fn nfc_password_bytes() {
        assert_eq!(&*password_bytes("e\u{301}"), "\u{e9}".as_bytes());
        assert_eq!(&*password_bytes("\u{e9}"), "\u{e9}".as_bytes());
    }

    #[test]
    fn seal_and_open_round_trip() {
        let key = DataKey::random().unwrap();
        let slot = Slot::seal("pw", KdfParams::MINIMUM, &key).unwrap();
        let sealing = Sealing { data_key: key, key_id: [7; 16], slots: vec![slot], others: vec![], minor: 0 };
        let file = seal(&sealing, 5, b"{}").unwrap();
        let (header, sealing2, plain) = open_with_password(&file, "pw").unwrap();
        assert_eq!(header.counter, 5);
        assert_eq!(&plain[..], b"{}");
        assert_eq!(sealing2.key_id, [7; 16]);
        assert!(matches!(open_with_password(&file, "nope"), Err(VaultError::WrongPassword)));
        assert_eq!(format!("{:?}", sealing2.data_key), "DataKey(<redacted>)");
    }

    /// Regression, issue 13: `payload_key` zeroed its output and returned it as a key when HKDF failed, so a
    /// failure would have sealed the payload under 32 zero bytes. The expansion now reports the failure; an
    /// output longer than HKDF-SHA256 allows (255 × 32 bytes) is the one way to make it fail.
    #[test]
    fn hkdf_failure_is_an_error_not_a_zero_key() {
        let mut too_long = vec![1u8; 255 * 32 + 1];
        let err = hkdf_expand(&[0; 32], &[9; 32], PAYLOAD_INFO, &mut too_long).unwrap_err();
        assert!(matches!(err, VaultError::InvalidContents { .. }), "{err:?}");
        let key = DataKey::random().unwrap();
        let a = payload_key(&key, &[1; 32]).unwrap();
        let b = payload_key(&key, &[2; 32]).unwrap();
        assert_ne!(a.0[..], [0u8; 32][..]);
        assert_ne!(a.0[..], b.0[..]);
    }
}
