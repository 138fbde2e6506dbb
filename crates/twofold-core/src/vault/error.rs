//! The one error type of the vault boundary.
//!
//! Messages are single lowercase lines meant for people (the CLI prints them as they are). No variant carries
//! a password, a key, a secret or decrypted text: only paths, numbers and fixed descriptions.

use std::path::PathBuf;

/// What was wrong with a file that failed the integrity checks. Shown only in `Debug`, for diagnosis; the
/// user-facing message is the same for all of them, because an attacker's edit and a disk error look alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Corruption {
    /// The file does not start with the vault magic bytes.
    BadMagic,
    /// The file is shorter than its header or its header says it ends elsewhere.
    BadLength,
    /// The header is internally inconsistent (slot count, header length, slot type).
    BadHeader,
    /// The header checksum does not match.
    HeaderChecksum,
    /// The payload failed AES-GCM authentication although the data key was unwrapped.
    PayloadAuthentication,
    /// The payload decrypted but is not the JSON document the format describes.
    PayloadSyntax,
}

/// What is invalid in a vault's contents, or why they cannot be sealed: one variant per place, so the app can
/// word each in the person's language. The English (`Display`) is what the CLI prints after "vault contents
/// are invalid: ".
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Invalid {
    #[error("key wrapping failed")]
    KeyWrapping,
    #[error("the payload key cannot be derived")]
    PayloadKey,
    #[error("a vault needs a password slot and at most {max} slots in all")]
    SlotCount { max: usize },
    #[error("payload too large to seal")]
    PayloadTooLarge,
    #[error("payload cannot be written")]
    PayloadNotWritten,
    #[error("`accounts` is not a list")]
    AccountsNotAList,
    /// Account `index` (counted from 0, as in the file) is not an object.
    #[error("account {index} is not an object")]
    AccountNotObject { index: usize },
    #[error("account {index} repeats the id of an earlier account")]
    AccountRepeatsId { index: usize },
    #[error("account {index}: field `{field}` is missing or invalid")]
    AccountField { index: usize, field: String },
    #[error("`deleted` is not a list")]
    DeletedNotAList,
    #[error("deleted entry {index} is invalid")]
    DeletedEntry { index: usize },
    #[error("a keyring unlock lasts 1 to {max} days, not {days}")]
    KeyringDays { days: u16, max: u16 },
    #[error("save counter overflow")]
    CounterOverflow,
    #[error("{} does not hold a device id", path.display())]
    NoDeviceId { path: PathBuf },
    /// The device id file could not be written.
    #[error("{0}")]
    DeviceIdNotWritten(crate::atomic::WriteError),
}

/// Everything that can go wrong opening, reading or saving a vault.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    #[error("wrong password")]
    WrongPassword,
    #[error("password is empty")]
    EmptyPassword,
    #[error("{}", match pid { Some(pid) => format!("vault is locked by process {pid}"), None => String::from("vault is locked by another process") })]
    Locked { pid: Option<u32> },
    #[error("vault file is corrupt or was tampered with")]
    Corrupt { what: Corruption },
    #[error("vault was written by a newer Twofold (format {major})")]
    NewerFormat { major: u16, minor: u16 },
    #[error("vault asks for key derivation costs out of range ({memory_kib} KiB, {passes} passes, {lanes} lanes)")]
    KdfOutOfRange { memory_kib: u32, passes: u32, lanes: u32 },
    #[error("vault was changed by another program since it was opened (save {found}, expected {expected}); reload it")]
    Stale { expected: u64, found: u64 },
    #[error("vault key was changed by another program; unlock the vault again")]
    KeyChanged,
    #[error("no vault at {}", path.display())]
    NotFound { path: PathBuf },
    #[error("a vault already exists at {}", path.display())]
    AlreadyExists { path: PathBuf },
    #[error("the vault at {} is missing but its previous copy is there: restore it, or move it away before creating a new vault", path.display())]
    PreviousExists { path: PathBuf },
    #[error("no account with id {id}")]
    UnknownAccount { id: crate::model::AccountId },
    #[error("account {id} is not an HOTP account")]
    NotHotp { id: crate::model::AccountId },
    #[error("vault contents are invalid: {reason}")]
    InvalidContents { reason: Invalid },
    #[error("the saved vault could not be read back; the previous vault is unchanged")]
    ReadBackFailed,
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("could not find the platform data folder for the default vault location")]
    NoDataDir,
    #[error("the system random number generator failed")]
    Random,
    #[error("the vault has no slot for this computer's keyring any more (the password was changed or the key rotated)")]
    NoDeviceSlot,
    #[error("the key in this computer's keyring does not open the vault (it was changed elsewhere)")]
    DeviceKeyMismatch,
    #[error("the vault already has {max} slots")]
    TooManySlots { max: usize },
}

impl VaultError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        VaultError::Io { action, path: path.into(), source }
    }

    pub(crate) fn corrupt(what: Corruption) -> Self {
        VaultError::Corrupt { what }
    }
}
