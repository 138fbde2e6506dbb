//! Backup files: sealing with a fresh data key, the verified atomic write, and opening.

use std::fs;
use std::path::Path;

use serde_json::{Value, json};
use zeroize::Zeroizing;

use super::error::BackupError;
use crate::atomic::{self, Existing};
use crate::vault::VaultContents;
use crate::vault::format::{self, DataKey, FORMAT_MINOR, Header, KdfParams, Sealing, Slot};

/// The file name extension of backups written by Twofold (automatic ones; a user may name theirs anything).
pub const BACKUP_EXTENSION: &str = "twofold-backup";

/// The top-level payload field that makes a vault file a backup.
const RECORD: &str = "backup";

/// What a backup says about itself, read after decryption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupInfo {
    /// Unix seconds when the backup was made.
    pub created: i64,
    /// How many accounts it holds.
    pub account_count: usize,
}

/// A decrypted backup: its record and its contents (accounts with secrets, stamps and tombstones).
#[derive(Debug, Clone)]
pub struct OpenedBackup {
    pub info: BackupInfo,
    pub contents: VaultContents,
}

/// A backup password after Argon2: the key-encryption key with the cost and salt it was derived with.
///
/// Deriving it runs Argon2 once (about half a second at the default cost); every backup sealed with it then
/// gets its own fresh data key wrapped under it, so an app can keep one for automatic backups instead of the
/// password. Zeroized on drop, redacted in `Debug`.
#[derive(Clone)]
pub struct BackupKey {
    kdf: KdfParams,
    salt: [u8; 32],
    kek: DataKey,
}

impl std::fmt::Debug for BackupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupKey").field("kdf", &self.kdf).field("key", &"<redacted>").finish()
    }
}

impl BackupKey {
    /// Runs Argon2id on `password` with a fresh salt at cost `kdf` (within [`KdfParams::check`]'s range).
    pub fn derive(password: &str, kdf: KdfParams) -> Result<Self, BackupError> {
        if password.is_empty() {
            return Err(BackupError::EmptyPassword);
        }
        let kdf = kdf.check()?;
        let mut salt = [0u8; 32];
        format::random_fill(&mut salt)?;
        let kek = format::derive_kek(password, kdf, &salt)?;
        Ok(Self { kdf, salt, kek })
    }

    /// The Argon2id cost backups sealed with this key ask of whoever opens them.
    pub fn kdf(&self) -> KdfParams {
        self.kdf
    }

    /// The data key of a backup sealed with this key, if one of its slots is ours.
    fn unwrap_from(&self, header: &Header) -> Option<DataKey> {
        header
            .slots
            .iter()
            .filter(|slot| slot.salt == self.salt && slot.kdf == self.kdf)
            .find_map(|slot| slot.open_with_kek(&self.kek))
    }
}

/// Writes `contents` as a backup at `path` (replacing a file there only once the new one is verified), made
/// at `now`, sealed with a fresh data key wrapped under `key`. See [`write_backup_with`].
pub fn write_backup(
    path: &Path,
    contents: &VaultContents,
    key: &BackupKey,
    now: i64,
) -> Result<BackupInfo, BackupError> {
    write_backup_with(path, contents, key, now, Existing::Replace)
}

/// Writes `contents` as a backup at `path`, made at `now`, sealed with a fresh data key wrapped under `key`;
/// `existing` says whether a file already at `path` may be replaced.
///
/// The bytes go through [`atomic::write_verified`]: a temp file in the same folder, synced, read back and
/// decrypted (slot, payload and record compared with what was written), and only then renamed to `path`,
/// after which the folder is synced. On any failure the temp file is removed, a file already at `path` is
/// untouched, and the error is returned. A symbolic link at `path` is refused. Returns what a later
/// [`check_backup`] will report.
pub fn write_backup_with(
    path: &Path,
    contents: &VaultContents,
    key: &BackupKey,
    now: i64,
    existing: Existing,
) -> Result<BackupInfo, BackupError> {
    let info = BackupInfo { created: now, account_count: contents.accounts.len() };
    atomic::check_destination(path, existing)?;
    let (bytes, json) = seal(contents, key, info)?;
    atomic::write_verified(path, &bytes, existing, |temp, back| verify(temp, back, &json, key, info))?;
    Ok(info)
}

/// Opens the backup at `path` with `password` and reports its creation time and account count. Reads nothing
/// else and touches no vault.
pub fn check_backup(path: &Path, password: &str) -> Result<BackupInfo, BackupError> {
    open_backup(path, password).map(|opened| opened.info)
}

/// Opens and decrypts the backup at `path` with `password` (runs Argon2 at the cost the file names, which is
/// range-checked first).
pub fn open_backup(path: &Path, password: &str) -> Result<OpenedBackup, BackupError> {
    let io_error = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => BackupError::NotFound { path: path.to_path_buf() },
        _ => BackupError::io("read", path, e),
    };
    // A file longer than any backup can be (a wrong file chosen, or a hostile one) is refused before it is
    // read into memory.
    let largest = format::MAX_PAYLOAD_LEN
        + (format::FIXED_HEADER_LEN + format::SLOT_LEN * format::MAX_SLOTS + format::CHECKSUM_LEN) as u64;
    if fs::metadata(path).map_err(io_error)?.len() > largest {
        return Err(BackupError::Damaged { path: path.to_path_buf() });
    }
    let bytes = fs::read(path).map_err(io_error)?;
    let (_, _, plaintext) = format::open_with_password(&bytes, password).map_err(|e| BackupError::reading(path, e))?;
    parse_payload(path, &plaintext)
}

fn seal(
    contents: &VaultContents,
    key: &BackupKey,
    info: BackupInfo,
) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>), BackupError> {
    let mut contents = contents.clone();
    contents.set_extra_field(RECORD, json!({ "created": info.created, "accounts": info.account_count }));
    let json = contents.to_json()?;
    let data_key = DataKey::random()?;
    let slot = Slot::seal_with_kek(key.kdf, key.salt, &key.kek, &data_key)?;
    let mut key_id = [0u8; 16];
    format::random_fill(&mut key_id)?;
    let sealing = Sealing { data_key, key_id, slots: vec![slot], others: Vec::new(), minor: FORMAT_MINOR };
    let bytes = format::seal(&sealing, 1, &json)?;
    Ok((bytes, json))
}

/// Decrypts the backup read back from `temp` and compares it with what was sealed.
fn verify(temp: &Path, back: &[u8], json: &[u8], key: &BackupKey, info: BackupInfo) -> Result<(), BackupError> {
    let failed = || BackupError::VerifyFailed { path: temp.to_path_buf() };
    let (header, prefix) = Header::parse(back).map_err(|_| failed())?;
    let data_key = key.unwrap_from(&header).ok_or_else(failed)?;
    let plaintext = format::open_payload(back, &header, prefix, &data_key).map_err(|_| failed())?;
    if plaintext[..] != json[..] {
        return Err(failed());
    }
    let opened = parse_payload(temp, &plaintext).map_err(|_| failed())?;
    if opened.info != info {
        return Err(failed());
    }
    Ok(())
}

/// The payload of a decrypted backup: the contents, with the `backup` record taken out and checked.
fn parse_payload(path: &Path, plaintext: &[u8]) -> Result<OpenedBackup, BackupError> {
    let damaged = || BackupError::Damaged { path: path.to_path_buf() };
    let mut contents = VaultContents::from_json(plaintext).map_err(|_| damaged())?;
    let Some(record) = contents.extra_field(RECORD) else {
        return Err(BackupError::NotABackup { path: path.to_path_buf() });
    };
    let created = record.get("created").and_then(Value::as_i64).ok_or_else(damaged)?;
    let count = record.get("accounts").and_then(Value::as_u64).ok_or_else(damaged)?;
    if usize::try_from(count).ok() != Some(contents.accounts.len()) {
        return Err(damaged());
    }
    contents.remove_extra_field(RECORD);
    Ok(OpenedBackup { info: BackupInfo { created, account_count: contents.accounts.len() }, contents })
}
