//! Sync through a folder that a sync engine (Syncthing, Nextcloud, Dropbox, OneDrive…) shares between
//! computers, and the transport-neutral exchange a WebDAV round uses.
//!
//! The folder holds one synced copy of the vault, [`COPY_NAME`]: the same file format, sealed with the key of
//! whoever wrote it first (so every computer opens it with the key it cached, never with Argon2 per round). A
//! [`FolderSync::round`]:
//!
//! 1. lists the folder: the synced copy, the conflict copies sync engines make of it ([`conflict_engine`]) and
//!    any other file that starts like a Twofold vault; other files are never read past their first bytes;
//! 2. opens each with the cached keys ([`SyncKeys`]); a damaged or partially synced file is skipped with a
//!    reason and tried again next round; a backup is never merged from here nor removed;
//! 3. merges everything it opened into the local vault ([`Vault::merge_from`], which saves it);
//! 4. writes the local vault's contents back as the synced copy when the copy lacks anything (temp file with
//!    a name sync engines skip, fsync, read back and decrypt, rename, folder fsync);
//! 5. only then removes the conflict copies and other copies it merged.
//!
//! A round that finds the copy already equal to the local vault writes nothing, so two computers never
//! bounce the file between them. The synced copy keeps the key it was written with; a copy locked with a
//! password the cached keys cannot open is [`SyncError::PasswordNeeded`] (the shell asks for it once,
//! [`SyncKeys::add_password`]); [`FolderSync::adopt_copy_key`] makes the local vault take the copy's password,
//! only when the person confirms. `docs/sync.md` says the rest for people.
//!
//! [`exchange`] is the same merge for a transport that hands bytes: given the remote file (or none), it
//! merges it into the local vault and returns the bytes to store (`sync::webdav`'s `upload_for`).

use std::fs;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use zeroize::Zeroizing;

use super::MergeReport;
use crate::atomic::{self, Existing, WriteError};
use crate::vault::format::{self, DataKey, Header, KdfParams, Sealing};
use crate::vault::{Vault, VaultContents, VaultError};

/// The synced copy's file name in the chosen folder.
pub const COPY_NAME: &str = "twofold.vault";
/// Temp files are named `~syncthing~twofold-….tmp`: Syncthing skips every name starting with `~syncthing~`
/// (its own temp files, on every platform), and Nextcloud/ownCloud's default exclude list and Dropbox both skip
/// `~*.tmp`. The temp file lives for milliseconds; a crash leaves one that [`FolderSync::round`] removes after
/// an hour (never sooner: another program may be writing it).
const TEMP_PREFIX: &str = "~syncthing~twofold-";
const TEMP_SUFFIX: &str = ".tmp";
/// A leftover temp file older than this is removed.
const TEMP_MAX_AGE: Duration = Duration::from_secs(3600);
/// The most files one round opens (each unknown one may cost an Argon2 run once): a folder filled with
/// vault-looking files cannot make a round unbounded.
const MAX_COPIES: usize = 32;
/// The largest file read: a vault's payload limit plus the largest header.
const MAX_FILE_LEN: u64 = format::MAX_PAYLOAD_LEN + 4096;
/// The payload field that makes a vault file a backup (`docs/backup-format.md`).
const BACKUP_RECORD: &str = "backup";

/// Which sync engine made a conflict copy (from its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Engine {
    /// `NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.EXT`
    Syncthing,
    /// `NAME (conflicted copy YYYY-MM-DD HHMMSS).EXT`, or ownCloud's older `NAME_conflict-YYYYMMDD-HHMMSS.EXT`
    Nextcloud,
    /// `NAME (PERSON's conflicted copy YYYY-MM-DD).EXT`
    Dropbox,
    /// `NAME-HOSTNAME.EXT`
    OneDrive,
}

/// Whether `name` is a conflict copy of `copy_name` and which engine's. Only the name is looked at.
pub fn conflict_engine(name: &str, copy_name: &str) -> Option<Engine> {
    let (stem, ext) = match copy_name.rfind('.') {
        Some(dot) if dot > 0 => (&copy_name[..dot], &copy_name[dot..]),
        _ => (copy_name, ""),
    };
    let middle = name.strip_prefix(stem)?.strip_suffix(ext)?;
    if let Some(rest) = middle.strip_prefix(".sync-conflict-") {
        // YYYYMMDD-HHMMSS-DEVICE (the device is the first 7 characters of its id, upper case).
        let parts: Vec<&str> = rest.splitn(3, '-').collect();
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if let [date, time, device] = parts[..]
            && digits(date, 8)
            && digits(time, 6)
            && !device.is_empty()
            && device.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Some(Engine::Syncthing);
        }
        return None;
    }
    if let Some(rest) = middle.strip_prefix(" (") {
        let inner = rest.strip_suffix(')')?;
        if inner.starts_with("conflicted copy ") {
            return Some(Engine::Nextcloud);
        }
        if inner.contains(" conflicted copy ") || inner.contains("conflicted copy ") {
            return Some(Engine::Dropbox);
        }
        return None;
    }
    if let Some(rest) = middle.strip_prefix("_conflict-") {
        return rest.bytes().all(|b| b.is_ascii_digit() || b == b'-').then_some(Engine::Nextcloud);
    }
    if let Some(host) = middle.strip_prefix('-')
        && !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Some(Engine::OneDrive);
    }
    None
}

/// Why a sync round stopped. Messages name files, never a key or a password.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The synced copy is locked with a password the cached keys do not open (changed on another computer, or
    /// the folder was first synced with another password): ask the person for it and call
    /// [`SyncKeys::add_password`].
    #[error("the synced copy {} is locked with another password: enter that password to keep syncing", file.display())]
    PasswordNeeded { file: PathBuf },
    /// A password given for a copy did not open it.
    #[error("that password does not open the synced copy {}", file.display())]
    WrongCopyPassword { file: PathBuf },
    /// The remote file of a transport is damaged or incomplete; nothing was merged or written.
    #[error("the synced copy {} is damaged or still arriving; it was not merged and will be tried again", file.display())]
    Damaged { file: PathBuf },
    /// The copy was written by a newer Twofold.
    #[error("the synced copy {} was written by a newer Twofold; update Twofold on this computer", file.display())]
    NewerFormat { file: PathBuf },
    #[error("the sync folder {} does not exist or is not a folder", path.display())]
    NoFolder { path: PathBuf },
    #[error("the sync folder {} is the vault's own folder: choose the folder your sync engine shares", path.display())]
    VaultFolder { path: PathBuf },
    #[error(transparent)]
    Vault(#[from] VaultError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl SyncError {
    fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        SyncError::Io { action, path: path.to_path_buf(), source }
    }
}

/// The keys that open and seal copies, derived once per unlock and kept for the session.
///
/// It starts with the local vault's data key (a copy first written from this vault opens with it, no KDF) and
/// the password the vault was unlocked with. A copy sealed under another key is opened by deriving the
/// key-encryption key of its slot with each known password: Argon2 runs once per slot and password, and the
/// result (opened or not) is remembered, so no round runs Argon2 for a file it has seen. Everything is zeroized
/// on drop; `Debug` shows counts only.
#[derive(Clone)]
pub struct SyncKeys {
    passwords: Vec<Zeroizing<String>>,
    keys: Vec<([u8; 16], DataKey)>,
    /// (slot cost, slot salt, password index) → the derived key-encryption key.
    derived: Vec<(KdfParams, [u8; 32], usize, DataKey)>,
    /// The local vault's key or password changed here: the next copy written is sealed with the vault's new
    /// key, so the old password stops opening what is synced from now on.
    reseal: bool,
}

impl std::fmt::Debug for SyncKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncKeys")
            .field("passwords", &self.passwords.len())
            .field("keys", &self.keys.len())
            .field("derived", &self.derived.len())
            .finish()
    }
}

/// A copy opened with [`SyncKeys`].
pub struct OpenedCopy {
    header: Header,
    sealing: Sealing,
    /// What the copy holds.
    pub contents: VaultContents,
}

enum OpenFailure {
    /// Not a vault, damaged, truncated, or still being written.
    Damaged,
    Newer,
    /// A vault no known key or password opens.
    Locked,
}

impl SyncKeys {
    /// Keys for a session of `vault`, unlocked with `password`. Runs no KDF.
    pub fn new(vault: &Vault, password: &str) -> Self {
        let sealing = vault.sealing();
        SyncKeys {
            passwords: vec![Zeroizing::new(password.to_owned())],
            keys: vec![(sealing.key_id, sealing.data_key.clone())],
            derived: Vec::new(),
            reseal: false,
        }
    }

    /// Keys for a session opened without the password (the keyring unlock): copies sealed with this vault's key
    /// open; one sealed under another key asks for its password ([`SyncError::PasswordNeeded`]).
    pub fn without_password(vault: &Vault) -> Self {
        let sealing = vault.sealing();
        SyncKeys {
            passwords: Vec::new(),
            keys: vec![(sealing.key_id, sealing.data_key.clone())],
            derived: Vec::new(),
            reseal: false,
        }
    }

    /// The local vault's password (and data key) changed to `password`: keep the new key, and seal the next
    /// copy with it (other computers then ask for the new password once).
    pub fn local_key_changed(&mut self, vault: &Vault, password: &str) {
        let sealing = vault.sealing();
        self.keys.push((sealing.key_id, sealing.data_key.clone()));
        self.add_password(password);
        self.reseal = true;
    }

    /// Adds the password the person gave for a copy locked with another one. Runs no KDF until a copy needs it.
    pub fn add_password(&mut self, password: &str) {
        if !self.passwords.iter().any(|p| p.as_str() == password) {
            self.passwords.push(Zeroizing::new(password.to_owned()));
        }
    }

    /// Tries `password` on the copy at `file` (runs Argon2 once per slot): on success it is kept for the
    /// session, else [`SyncError::WrongCopyPassword`] and nothing is kept.
    pub fn try_password(&mut self, file: &Path, password: &str) -> Result<(), SyncError> {
        let bytes = read_bounded(file)?;
        let (header, _) = Header::parse(&bytes).map_err(|_| SyncError::Damaged { file: file.to_path_buf() })?;
        for slot in &header.slots {
            if let Some(key) = slot.open(password)? {
                self.keys.push((header.key_id, key));
                self.add_password(password);
                return Ok(());
            }
        }
        Err(SyncError::WrongCopyPassword { file: file.to_path_buf() })
    }

    /// Opens a copy's bytes: with a cached data key when its key id is known, else through its slots.
    fn open(&mut self, bytes: &[u8]) -> Result<OpenedCopy, OpenFailure> {
        let (header, prefix) = match Header::parse(bytes) {
            Ok(parsed) => parsed,
            Err(VaultError::NewerFormat { .. }) => return Err(OpenFailure::Newer),
            Err(_) => return Err(OpenFailure::Damaged),
        };
        let data_key = match self.keys.iter().find(|(id, _)| *id == header.key_id) {
            Some((_, key)) => key.clone(),
            None => {
                let key = self.unwrap_slots(&header).ok_or(OpenFailure::Locked)?;
                self.keys.push((header.key_id, key.clone()));
                key
            }
        };
        // The key is right (known id or an opened slot): a payload that fails is damaged, never "locked".
        let plaintext = format::open_payload(bytes, &header, prefix, &data_key).map_err(|_| OpenFailure::Damaged)?;
        let contents = VaultContents::from_json(&plaintext).map_err(|_| OpenFailure::Damaged)?;
        let sealing = Sealing {
            data_key,
            key_id: header.key_id,
            slots: header.slots.clone(),
            others: header.others.clone(),
            minor: header.minor,
        };
        Ok(OpenedCopy { header, sealing, contents })
    }

    /// The data key from the first slot a known password opens; each (slot, password) pair is derived once.
    fn unwrap_slots(&mut self, header: &Header) -> Option<DataKey> {
        for slot in &header.slots {
            for index in 0..self.passwords.len() {
                let known =
                    self.derived.iter().find(|(kdf, salt, i, _)| *kdf == slot.kdf && *salt == slot.salt && *i == index);
                let kek = match known {
                    Some((_, _, _, kek)) => kek.clone(),
                    None => {
                        let kek = format::derive_kek(&self.passwords[index], slot.kdf, &slot.salt).ok()?;
                        self.derived.push((slot.kdf, slot.salt, index, kek.clone()));
                        kek
                    }
                };
                if let Some(key) = slot.open_with_kek(&kek) {
                    return Some(key);
                }
            }
        }
        None
    }
}

/// A file a round left alone, and why. Tried again next round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub file: PathBuf,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// Damaged, truncated or still being written by the sync engine.
    Damaged,
    /// Written by a newer Twofold.
    NewerFormat,
    /// A Twofold vault that none of this session's passwords opens (another vault, not a copy of this one).
    OtherPassword,
    /// A Twofold backup: restore it instead; it is never merged or removed by sync.
    Backup,
    /// The file could not be read.
    Unreadable,
    /// Beyond the number of copies one round opens; next round.
    TooMany,
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoundReport {
    /// What the merge changed in the local vault (empty when nothing came in).
    pub merge: MergeReport,
    /// Whether the synced copy was written.
    pub wrote_copy: bool,
    /// Conflict copies and other copies merged and then removed.
    pub removed: Vec<PathBuf>,
    /// Conflict copies of the synced copy locked with another password: ask for it
    /// ([`SyncKeys::try_password`]); they stay until then.
    pub locked: Vec<PathBuf>,
    /// Files left alone this round.
    pub skipped: Vec<Skipped>,
}

/// The synced copy in one folder. Holds no file open and no key.
#[derive(Debug, Clone)]
pub struct FolderSync {
    folder: PathBuf,
    copy: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Copy,
    Conflict,
    Other,
}

impl FolderSync {
    /// Sync through `folder` for the vault at `vault_path`. Refuses a missing folder and the vault's own
    /// folder (its previous copy would look like a copy to merge and remove).
    pub fn new(folder: &Path, vault_path: &Path) -> Result<Self, SyncError> {
        let real = fs::canonicalize(folder).map_err(|_| SyncError::NoFolder { path: folder.to_path_buf() })?;
        if !real.is_dir() {
            return Err(SyncError::NoFolder { path: folder.to_path_buf() });
        }
        let vault_folder = fs::canonicalize(atomic::folder_of(vault_path)).ok();
        if vault_folder.as_deref() == Some(real.as_path()) {
            return Err(SyncError::VaultFolder { path: folder.to_path_buf() });
        }
        Ok(FolderSync { copy: folder.join(COPY_NAME), folder: folder.to_path_buf() })
    }

    /// The folder.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The synced copy's path.
    pub fn copy_path(&self) -> &Path {
        &self.copy
    }

    /// One round (see the module docs). Reads and writes only in the folder and the local vault.
    pub fn round(&self, vault: &mut Vault, keys: &mut SyncKeys) -> Result<RoundReport, SyncError> {
        let mut report = RoundReport::default();
        let mut copy: Option<(OpenedCopy, Vec<u8>)> = None;
        let mut copy_blocked = false;
        let mut incoming: Vec<(PathBuf, VaultContents)> = Vec::new();
        let mut opened = 0usize;
        for (path, kind) in self.list()? {
            let skip = |reason| Skipped { file: path.clone(), reason };
            let bytes = match read_bounded(&path) {
                Ok(bytes) => bytes,
                Err(_) => {
                    copy_blocked |= kind == Kind::Copy;
                    report.skipped.push(skip(SkipReason::Unreadable));
                    continue;
                }
            };
            if kind == Kind::Other && !bytes.starts_with(&format::MAGIC) {
                continue;
            }
            if opened >= MAX_COPIES && kind != Kind::Copy {
                report.skipped.push(skip(SkipReason::TooMany));
                continue;
            }
            opened += 1;
            match keys.open(&bytes) {
                Ok(found) if kind == Kind::Copy => copy = Some((found, bytes)),
                Ok(found) if found.contents.extra_field(BACKUP_RECORD).is_some() => {
                    report.skipped.push(skip(SkipReason::Backup))
                }
                Ok(found) => incoming.push((path, found.contents)),
                Err(failure) => {
                    let reason = match failure {
                        OpenFailure::Damaged => SkipReason::Damaged,
                        OpenFailure::Newer => SkipReason::NewerFormat,
                        OpenFailure::Locked if kind == Kind::Copy => {
                            return Err(SyncError::PasswordNeeded { file: path });
                        }
                        OpenFailure::Locked if kind == Kind::Conflict => {
                            report.locked.push(path);
                            continue;
                        }
                        OpenFailure::Locked => SkipReason::OtherPassword,
                    };
                    copy_blocked |= kind == Kind::Copy;
                    report.skipped.push(skip(reason));
                }
            }
        }

        // Everything opened merges into the local vault in one save.
        let mut theirs: Option<VaultContents> = copy.as_ref().map(|(c, _)| c.contents.clone());
        for (_, contents) in &incoming {
            theirs = Some(match theirs {
                Some(acc) => super::merge(&acc, contents).0,
                None => contents.clone(),
            });
        }
        // A copy equal to the vault brings nothing: the merge (and its re-read of the vault file) is skipped,
        // which is most rounds (every folder event after our own write, every poll).
        // Compared with what is shared: this computer's own fields (`LOCAL_FIELDS`) never reach a copy.
        if let Some(theirs) = theirs.as_ref().filter(|t| *t != &*vault.contents().shared()) {
            report.merge = vault.merge_from(theirs)?;
        }

        // A copy being synced in (damaged now) or from a newer Twofold is never written over; nor is anything
        // removed while the copy cannot hold what it would remove.
        if copy_blocked {
            return Ok(report);
        }
        let up_to_date = copy.as_ref().is_some_and(|(c, _)| c.contents == *vault.contents().shared());
        if up_to_date && incoming.is_empty() && !keys.reseal {
            return Ok(report);
        }
        let (sealing, counter) = match &copy {
            Some((c, _)) if !keys.reseal => (c.sealing.clone(), c.header.counter.saturating_add(1)),
            Some((c, _)) => (vault.sealing().clone(), c.header.counter.saturating_add(1)),
            None => (vault.sealing().clone(), 1),
        };
        // The sync engine may have brought a newer copy in while this round merged: then this round writes
        // nothing and the next one merges that copy first.
        let before = copy.as_ref().map(|(_, bytes)| bytes.as_slice());
        if !self.copy_unchanged(before) {
            return Ok(report);
        }
        write_copy(&self.copy, &self.temp_path(), &sealing, counter, &vault.contents().shared())?;
        keys.reseal = false;
        report.wrote_copy = true;

        for (path, _) in incoming {
            match fs::remove_file(&path) {
                Ok(()) => report.removed.push(path),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(_) => report.skipped.push(Skipped { file: path, reason: SkipReason::Unreadable }),
            }
        }
        if !report.removed.is_empty() {
            crate::vault::storage::sync_folder(&self.folder)
                .map_err(|e| SyncError::io("sync the folder", &self.folder, e))?;
        }
        Ok(report)
    }

    /// Makes the local vault take the synced copy's key and password (the person confirmed). Runs no KDF: the
    /// copy must already open with this session's keys.
    pub fn adopt_copy_key(&self, vault: &mut Vault, keys: &mut SyncKeys) -> Result<(), SyncError> {
        let bytes = read_bounded(&self.copy)?;
        match keys.open(&bytes) {
            Ok(opened) => {
                vault.adopt_sealing(opened.sealing)?;
                Ok(())
            }
            Err(OpenFailure::Locked) => Err(SyncError::PasswordNeeded { file: self.copy.clone() }),
            Err(OpenFailure::Newer) => Err(SyncError::NewerFormat { file: self.copy.clone() }),
            Err(OpenFailure::Damaged) => Err(SyncError::Damaged { file: self.copy.clone() }),
        }
    }

    /// The files a round looks at: the copy, then the rest by name. Our temp files are left out (and removed
    /// when an hour old); folders, links and hidden files are never looked at.
    fn list(&self) -> Result<Vec<(PathBuf, Kind)>, SyncError> {
        let entries = fs::read_dir(&self.folder).map_err(|_| SyncError::NoFolder { path: self.folder.clone() })?;
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| SyncError::io("list", &self.folder, e))?;
            let Ok(file_type) = entry.file_type() else { continue };
            if !file_type.is_file() {
                continue;
            }
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX) {
                let old = entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .ok()
                    .and_then(|t| SystemTime::now().duration_since(t).ok())
                    .is_some_and(|age| age > TEMP_MAX_AGE);
                if old {
                    let _ = fs::remove_file(entry.path());
                }
                continue;
            }
            // Hidden files are sync engines' and editors' own (`.syncthing.*.tmp`, `.stfolder`…).
            if name.starts_with('.') {
                continue;
            }
            let kind = if name == COPY_NAME {
                Kind::Copy
            } else if conflict_engine(&name, COPY_NAME).is_some() {
                Kind::Conflict
            } else {
                Kind::Other
            };
            out.push((entry.path(), kind));
        }
        out.sort_by(|a, b| (a.1 != Kind::Copy, &a.0).cmp(&(b.1 != Kind::Copy, &b.0)));
        Ok(out)
    }

    fn copy_unchanged(&self, before: Option<&[u8]>) -> bool {
        match (before, fs::read(&self.copy)) {
            (None, Err(e)) => e.kind() == std::io::ErrorKind::NotFound,
            (Some(before), Ok(now)) => now == before,
            _ => false,
        }
    }

    fn temp_path(&self) -> PathBuf {
        let mut random = [0u8; 8];
        let unique = match format::random_fill(&mut random) {
            Ok(()) => u64::from_le_bytes(random),
            Err(_) => SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64),
        };
        self.folder.join(format!("{TEMP_PREFIX}{}-{unique:016x}{TEMP_SUFFIX}", std::process::id()))
    }
}

/// What [`exchange`] did.
pub struct Exchange {
    /// The bytes to store remotely (the remote's own bytes when it already holds everything).
    pub upload: Vec<u8>,
    /// Whether `upload` differs from the remote file.
    pub changed_remote: bool,
    /// What the merge changed in the local vault.
    pub merge: MergeReport,
}

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Exchange")
            .field("upload_len", &self.upload.len())
            .field("changed_remote", &self.changed_remote)
            .field("merge", &self.merge)
            .finish()
    }
}

/// The transport-neutral round: opens `remote` (the remote copy's bytes, `None` when there is none) with the
/// cached keys, merges it into the local vault (saved), and returns the bytes to store, sealed with the remote
/// copy's key (or the vault's for a first upload). `name` names the remote in errors. A damaged remote is an
/// error (nothing merged); the caller retries later.
pub fn exchange(
    vault: &mut Vault,
    keys: &mut SyncKeys,
    remote: Option<&[u8]>,
    name: &Path,
) -> Result<Exchange, SyncError> {
    let Some(bytes) = remote else {
        let upload = seal_copy(vault.sealing(), 1, &vault.contents().shared())?;
        return Ok(Exchange { upload: upload.0, changed_remote: true, merge: MergeReport::default() });
    };
    let opened = match keys.open(bytes) {
        Ok(opened) => opened,
        Err(OpenFailure::Locked) => return Err(SyncError::PasswordNeeded { file: name.to_path_buf() }),
        Err(OpenFailure::Newer) => return Err(SyncError::NewerFormat { file: name.to_path_buf() }),
        Err(OpenFailure::Damaged) => return Err(SyncError::Damaged { file: name.to_path_buf() }),
    };
    let merge = vault.merge_from(&opened.contents)?;
    let shared = vault.contents().shared();
    if opened.contents == *shared && !keys.reseal {
        return Ok(Exchange { upload: bytes.to_vec(), changed_remote: false, merge });
    }
    let sealing = if keys.reseal { vault.sealing() } else { &opened.sealing };
    let (upload, _) = seal_copy(sealing, opened.header.counter.saturating_add(1), &shared)?;
    // The caller stores it or the round fails and runs again: resealing once more costs nothing.
    keys.reseal = false;
    Ok(Exchange { upload, changed_remote: true, merge })
}

/// Seals `contents` as a copy file; returns the bytes and the JSON they hold (for the read-back check).
fn seal_copy(
    sealing: &Sealing,
    counter: u64,
    contents: &VaultContents,
) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>), SyncError> {
    let json = contents.to_json()?;
    let bytes = format::seal(sealing, counter, &json)?;
    Ok((bytes, json))
}

/// Writes the copy atomically through `temp` and checks it decrypts to what was sealed before the rename.
fn write_copy(
    path: &Path,
    temp: &Path,
    sealing: &Sealing,
    counter: u64,
    contents: &VaultContents,
) -> Result<(), SyncError> {
    let (bytes, json) = seal_copy(sealing, counter, contents)?;
    atomic::write_verified_via(path, temp, &bytes, Existing::Replace, |_, back| {
        let (header, plain) = format::open_with_key(back, &sealing.data_key)?;
        if header.counter == counter && plain[..] == json[..] {
            Ok(())
        } else {
            Err(SyncError::Vault(VaultError::ReadBackFailed))
        }
    })
}

/// Reads a whole file, refusing one larger than any vault (a file in a shared folder is anyone's).
fn read_bounded(path: &Path) -> Result<Vec<u8>, SyncError> {
    let file = fs::File::open(path).map_err(|e| SyncError::io("read", path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_LEN + 1).read_to_end(&mut bytes).map_err(|e| SyncError::io("read", path, e))?;
    if bytes.len() as u64 > MAX_FILE_LEN {
        return Err(SyncError::Damaged { file: path.to_path_buf() });
    }
    Ok(bytes)
}

#[cfg(test)]
#[path = "folder_tests.rs"]
mod tests;
