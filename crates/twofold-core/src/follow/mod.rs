//! Following a phone app's automatic backups: the desktop kept in step with Aegis (or another app whose
//! backups we import) through the backup files a sync tool carries into a folder.
//!
//! A followed [`Source`] (folder, app, backup password, the backups already applied) lives inside the
//! encrypted vault (top-level `follow`, `docs/vault-format.md`); every account a source brought carries an
//! [`Origin`] (source, the app's entry id, the values the phone last had, "removed on the phone").
//!
//! One round is two steps so that a caller can keep slow work away from its locks:
//! * [`fetch`] (file I/O and the backup's key derivation, no vault needed): lists the backup files, and opens
//!   the newest one that is newer than the last applied and not applied yet. A file that does not read
//!   (still being written, truncated) is skipped and tried again next round, and the next older new file is
//!   tried instead. A wrong password stops the round and is remembered ([`mark_password_failed`]), so it is
//!   asked once and no later round runs the key derivation again until the password changes.
//! * [`apply`] (pure, on [`VaultContents`], inside [`crate::vault::Vault::update`] so edits are stamped):
//!   matches the backup's entries to the source's accounts by the app's entry id (Aegis `uuid`), otherwise by
//!   key and parameters; adds new entries, updates changed ones with a three-way merge per field (a field the
//!   phone changed since the last applied backup takes the phone's value, any other keeps the desktop's; an
//!   HOTP counter never goes down), and marks vanished ones "removed on the phone" — nothing is deleted. It
//!   checks again that the backup is newer than the last applied one, so an older file arriving late, or the
//!   same file seen twice (rotation copies, a second round racing the first), changes nothing.
//!
//! Backup time: the first 14 digits of the file name read as `YYYYMMDDHHMMSS` (Aegis writes
//! `aegis-backup-YYYYMMDD-HHMMSS.json`; Stratum `backup-YYYY-MM-DD_HHmmss.authpro`), else the file's
//! modification time. Icons are not kept (Twofold has none), so an icon change on the phone changes nothing.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::import::{self, Cancel, EntryProblem, Format, ImportError, ImportReport};
use crate::model::{Account, AccountId, Origin, OtpKind, PhoneValues};
use crate::vault::{Vault, VaultContents, VaultError};

/// The top-level payload field holding the sources.
const FIELD: &str = "follow";
/// Most applied backups remembered per source: more than any rotation Aegis offers (it keeps up to 100 by
/// choice, 5 by default); older ones are also refused by their time.
pub const MAX_APPLIED: usize = 64;
/// Most files looked at in a folder per round: a folder of backups holds tens; a huge folder is not one.
const MAX_FILES: usize = 10_000;

/// A followed folder of backups.
#[derive(Clone, PartialEq, Eq)]
pub struct Source {
    pub id: uuid::Uuid,
    pub folder: PathBuf,
    pub app: Format,
    /// The backup password, kept only inside the vault.
    pub password: Option<Zeroizing<String>>,
    pub enabled: bool,
    /// The password did not open the newest backup: asked once, not tried again until changed.
    pub password_failed: bool,
    /// Backups applied, oldest first (at most [`MAX_APPLIED`]).
    pub applied: Vec<Applied>,
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Source")
            .field("id", &self.id)
            .field("folder", &self.folder)
            .field("app", &self.app)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("enabled", &self.enabled)
            .field("password_failed", &self.password_failed)
            .field("applied", &self.applied.len())
            .finish()
    }
}

/// One applied backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub file: String,
    /// Hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The backup's time ([`BackupFile::time`]).
    pub time: i64,
}

impl Source {
    /// A new, enabled source that has applied nothing yet.
    pub fn new(folder: PathBuf, app: Format, password: Option<&str>) -> Self {
        Source {
            id: uuid::Uuid::new_v4(),
            folder,
            app,
            password: password.map(|p| Zeroizing::new(p.to_owned())),
            enabled: true,
            password_failed: false,
            applied: Vec::new(),
        }
    }

    /// The newest applied backup.
    pub fn last_applied(&self) -> Option<&Applied> {
        self.applied.iter().max_by_key(|a| a.time)
    }

    fn was_applied(&self, sha256: &str) -> bool {
        self.applied.iter().any(|a| a.sha256 == sha256)
    }

    fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("id".into(), Value::String(self.id.to_string()));
        m.insert("folder".into(), Value::String(self.folder.to_string_lossy().into_owned()));
        m.insert("app".into(), Value::String(self.app.id().into()));
        if let Some(p) = &self.password {
            m.insert("password".into(), Value::String(String::clone(p)));
        }
        m.insert("enabled".into(), Value::Bool(self.enabled));
        m.insert("password_failed".into(), Value::Bool(self.password_failed));
        let applied = self
            .applied
            .iter()
            .map(|a| {
                let mut e = Map::new();
                e.insert("file".into(), Value::String(a.file.clone()));
                e.insert("sha256".into(), Value::String(a.sha256.clone()));
                e.insert("time".into(), Value::from(a.time));
                Value::Object(e)
            })
            .collect();
        m.insert("applied".into(), Value::Array(applied));
        Value::Object(m)
    }

    fn from_json(v: &Value) -> Option<Source> {
        let text = |k: &str| v.get(k).and_then(Value::as_str);
        let applied = match v.get("applied") {
            None => Vec::new(),
            Some(list) => list
                .as_array()?
                .iter()
                .map(|a| {
                    Some(Applied {
                        file: a.get("file")?.as_str()?.to_owned(),
                        sha256: a.get("sha256")?.as_str()?.to_owned(),
                        time: a.get("time")?.as_i64()?,
                    })
                })
                .collect::<Option<Vec<_>>>()?,
        };
        Some(Source {
            id: uuid::Uuid::parse_str(text("id")?).ok()?,
            folder: PathBuf::from(text("folder")?),
            app: Format::from_id(text("app")?)?,
            password: text("password").map(|p| Zeroizing::new(p.to_owned())),
            enabled: v.get("enabled").and_then(Value::as_bool).unwrap_or(true),
            password_failed: v.get("password_failed").and_then(Value::as_bool).unwrap_or(false),
            applied,
        })
    }
}

/// Why following failed as a whole (a single unreadable backup is a [`Skipped`], not an error).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FollowError {
    #[error("cannot read the folder {}: {source}", folder.display())]
    Folder {
        folder: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the folder {} holds no backup of an app Twofold can follow", folder.display())]
    NoBackups { folder: PathBuf },
    #[error("the vault follows no such folder")]
    UnknownSource,
    #[error("the follow settings in the vault are damaged")]
    Damaged,
    #[error("{0}")]
    Import(ImportError),
    #[error(transparent)]
    Vault(#[from] VaultError),
}

// ---- sources in the vault -----------------------------------------------------------------------------

/// The sources this vault follows. A source the vault cannot read (written by a newer version) is left out.
pub fn sources(contents: &VaultContents) -> Vec<Source> {
    contents
        .extra_field(FIELD)
        .and_then(|f| f.get("sources"))
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Source::from_json).collect())
        .unwrap_or_default()
}

/// The source with this id.
pub fn source(contents: &VaultContents, id: uuid::Uuid) -> Option<Source> {
    sources(contents).into_iter().find(|s| s.id == id)
}

/// Adds `source`, or replaces the one with its id.
pub fn put_source(contents: &mut VaultContents, source: &Source) {
    let mut list: Vec<Value> = contents
        .extra_field(FIELD)
        .and_then(|f| f.get("sources"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let id = source.id.to_string();
    let json = source.to_json();
    match list.iter_mut().find(|v| v.get("id").and_then(Value::as_str) == Some(id.as_str())) {
        Some(slot) => {
            crate::wipe::scrub(slot);
            *slot = json;
        }
        None => list.push(json),
    }
    set_list(contents, list);
}

/// Stops following: the source goes, its accounts stay as ordinary accounts (their origin is cleared).
pub fn remove_source(contents: &mut VaultContents, id: uuid::Uuid) {
    let id_text = id.to_string();
    let list: Vec<Value> = contents
        .extra_field(FIELD)
        .and_then(|f| f.get("sources"))
        .and_then(Value::as_array)
        .map(|l| l.iter().filter(|v| v.get("id").and_then(Value::as_str) != Some(id_text.as_str())).cloned().collect())
        .unwrap_or_default();
    set_list(contents, list);
    for account in &mut contents.accounts {
        if account.origin.as_ref().is_some_and(|o| o.source == id) {
            account.origin = None;
        }
    }
}

fn set_list(contents: &mut VaultContents, list: Vec<Value>) {
    contents.remove_extra_field(FIELD);
    if !list.is_empty() {
        let mut top = Map::new();
        top.insert("sources".into(), Value::Array(list));
        contents.set_extra_field(FIELD, Value::Object(top));
    }
}

/// Sets a new backup password (or none) and forgets that the old one failed.
pub fn set_password(contents: &mut VaultContents, id: uuid::Uuid, password: Option<&str>) -> Result<(), FollowError> {
    let mut s = source(contents, id).ok_or(FollowError::UnknownSource)?;
    s.password = password.map(|p| Zeroizing::new(p.to_owned()));
    s.password_failed = false;
    put_source(contents, &s);
    Ok(())
}

/// Remembers that the password did not open the newest backup, so it is asked once.
pub fn mark_password_failed(contents: &mut VaultContents, id: uuid::Uuid) -> Result<(), FollowError> {
    let mut s = source(contents, id).ok_or(FollowError::UnknownSource)?;
    s.password_failed = true;
    put_source(contents, &s);
    Ok(())
}

// ---- backup files -------------------------------------------------------------------------------------

/// A file in a followed folder that may be a backup.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    pub name: String,
    /// The time in the file name (as if UTC), else the modification time: only compared with other backups
    /// of the same source.
    pub time: i64,
    /// `10:42`: the time of day the name gives (the phone's clock), else the modification time's (UTC).
    pub clock: String,
}

/// The time a file name carries: its first 14 digits as `YYYYMMDDHHMMSS`, as Unix seconds if it were UTC.
pub fn name_time(name: &str) -> Option<(i64, String)> {
    let digits: Vec<i64> = name.chars().filter_map(|c| c.to_digit(10)).map(i64::from).take(14).collect();
    if digits.len() < 14 {
        return None;
    }
    let num = |from: usize, len: usize| digits[from..from + len].iter().fold(0i64, |n, d| n * 10 + d);
    let (y, mo, d, h, mi, s) = (num(0, 4), num(4, 2), num(6, 2), num(8, 2), num(10, 2), num(12, 2));
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days * 86_400 + h * 3600 + mi * 60 + s, format!("{h:02}:{mi:02}")))
}

/// Whether a file name can be a backup of `app`: sync tools' temporary and hidden files never are, and Aegis
/// names its backups and exports.
fn may_be_backup(name: &str, app: Format) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with('.')
        || lower.starts_with('~')
        || [".tmp", ".part", ".partial", "~"].iter().any(|s| lower.ends_with(s))
    {
        return false;
    }
    match app {
        Format::Aegis => {
            (lower.starts_with("aegis-backup-") || lower.starts_with("aegis-export")) && lower.ends_with(".json")
        }
        Format::Stratum => lower.ends_with(".authpro") || lower.ends_with(".json"),
        _ => true,
    }
}

/// The files of `folder` that may be backups of `app`, oldest first.
pub fn list_backups(folder: &Path, app: Format) -> Result<Vec<BackupFile>, FollowError> {
    let failed = |source: std::io::Error| FollowError::Folder { folder: folder.to_owned(), source };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(failed)?.take(MAX_FILES) {
        let entry = entry.map_err(failed)?;
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if !may_be_backup(&name, app) {
            continue;
        }
        let (time, clock) = name_time(&name).unwrap_or_else(|| {
            let mtime = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
            let text = crate::time::format_utc(mtime);
            (mtime, text.get(11..16).unwrap_or_default().to_owned())
        });
        files.push(BackupFile { path: entry.path(), name, time, clock });
    }
    files.sort_by(|a, b| (a.time, &a.name).cmp(&(b.time, &b.name)));
    Ok(files)
}

/// What the newest backup in a folder is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detected {
    pub app: Format,
    pub encrypted: bool,
    pub file: String,
}

/// The app whose backups `folder` holds, from its newest file that any importer recognises.
pub fn detect(folder: &Path) -> Result<Detected, FollowError> {
    let files = list_backups(folder, Format::OtpauthList)?;
    for file in files.iter().rev() {
        let Ok(bytes) = read_bounded(&file.path) else { continue };
        if let Ok(found) = import::inspect(&bytes, Some(&file.name)) {
            return Ok(Detected { app: found.format, encrypted: found.encrypted, file: file.name.clone() });
        }
    }
    Err(FollowError::NoBackups { folder: folder.to_owned() })
}

fn read_bounded(path: &Path) -> std::io::Result<Zeroizing<Vec<u8>>> {
    use std::io::Read;
    let file = std::fs::File::open(path)?;
    let mut bytes = Zeroizing::new(Vec::new());
    // One byte over the limit tells "too large" from "exactly at it".
    file.take(import::MAX_FILE_LEN as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

// ---- one round: fetch -----------------------------------------------------------------------------------

/// Why a backup file was passed over this round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub file: String,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SkipReason {
    /// It did not read (still being written, truncated, damaged): tried again next round.
    Incomplete,
    /// It reads, but not as a backup we can apply (too large, unsupported settings): the reason.
    Unreadable(String),
}

/// A backup opened by [`fetch`], ready for [`apply`].
#[derive(Debug)]
pub struct Fetched {
    pub file: BackupFile,
    pub sha256: String,
    pub report: ImportReport,
}

/// What [`fetch`] found.
#[derive(Debug)]
#[non_exhaustive]
pub enum Fetch {
    /// A backup newer than the last applied one, opened.
    New { fetched: Box<Fetched>, skipped: Vec<Skipped> },
    /// No new backup (or none that reads yet).
    Nothing { skipped: Vec<Skipped> },
    /// The backup is encrypted and the source has no password.
    PasswordMissing { file: String },
    /// The password does not open the newest backup (or failed before and was not changed since).
    PasswordWrong { file: String },
}

/// Looks for the newest backup of `source` not applied yet and opens it (see the module docs). Runs the
/// backup's key derivation at most once per file tried, within the importers' budgets; never when the
/// password failed before. `now` dates new accounts.
pub fn fetch(source: &Source, now: i64, cancel: &Cancel) -> Result<Fetch, FollowError> {
    let last = source.last_applied().map(|a| a.time);
    let files = list_backups(&source.folder, source.app)?;
    let mut skipped = Vec::new();
    for file in files.iter().rev().filter(|f| last.is_none_or(|t| f.time > t)) {
        cancel.check().map_err(FollowError::Import)?;
        let bytes = match read_bounded(&file.path) {
            Ok(b) => b,
            Err(_) => {
                skipped.push(Skipped { file: file.name.clone(), reason: SkipReason::Incomplete });
                continue;
            }
        };
        let sha256 = data_encoding::HEXLOWER.encode(&Sha256::digest(&*bytes));
        if source.was_applied(&sha256) {
            continue;
        }
        let inspected = import::inspect(&bytes, Some(&file.name));
        match inspected {
            Ok(i) if i.format == source.app => {
                if i.encrypted && source.password_failed {
                    return Ok(Fetch::PasswordWrong { file: file.name.clone() });
                }
            }
            Ok(_) => continue,
            Err(ImportError::TooLarge { .. }) => {
                skipped.push(Skipped { file: file.name.clone(), reason: SkipReason::Unreadable("too large".into()) });
                continue;
            }
            Err(_) => {
                skipped.push(Skipped { file: file.name.clone(), reason: SkipReason::Incomplete });
                continue;
            }
        }
        let password = source.password.as_ref().map(|p| p.as_str());
        match import::import_cancellable(&bytes, source.app, password, now, cancel) {
            Ok(report) => {
                return Ok(Fetch::New { fetched: Box::new(Fetched { file: file.clone(), sha256, report }), skipped });
            }
            Err(ImportError::PasswordRequired) => return Ok(Fetch::PasswordMissing { file: file.name.clone() }),
            Err(ImportError::WrongPassword) => return Ok(Fetch::PasswordWrong { file: file.name.clone() }),
            Err(ImportError::Cancelled) => return Err(FollowError::Import(ImportError::Cancelled)),
            Err(ImportError::Damaged { .. } | ImportError::Empty { .. } | ImportError::UnknownFormat) => {
                skipped.push(Skipped { file: file.name.clone(), reason: SkipReason::Incomplete });
            }
            Err(other) => {
                skipped.push(Skipped { file: file.name.clone(), reason: SkipReason::Unreadable(other.to_string()) });
            }
        }
    }
    Ok(Fetch::Nothing { skipped })
}

// ---- one round: apply -----------------------------------------------------------------------------------

/// What one applied backup did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowReport {
    pub app: Format,
    pub file: String,
    pub time: i64,
    /// `10:42` ([`BackupFile::clock`]).
    pub clock: String,
    pub added: Vec<AccountId>,
    pub changed: Vec<AccountId>,
    /// Newly marked "removed on the phone".
    pub removed: Vec<AccountId>,
    /// Accounts already in the vault (an earlier one-time import) now followed, matched by key.
    pub linked: Vec<AccountId>,
    /// Entries of the backup that could not be read.
    pub problems: Vec<EntryProblem>,
}

impl FollowReport {
    /// True when the vault's accounts changed.
    pub fn changed_anything(&self) -> bool {
        !(self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty())
    }
}

impl fmt::Display for FollowReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} backup of {}: ", app_short_name(self.app), self.clock)?;
        if !self.changed_anything() {
            return f.write_str("no changes");
        }
        let mut parts = Vec::new();
        if !self.added.is_empty() {
            parts.push(format!("{} new", self.added.len()));
        }
        if !self.changed.is_empty() {
            parts.push(format!("{} changed", self.changed.len()));
        }
        if !self.removed.is_empty() {
            parts.push(format!("{} removed on the phone", self.removed.len()));
        }
        f.write_str(&parts.join(", "))
    }
}

/// `Aegis`, `Stratum`, `Ente Auth`: the app's name without the file-kind remark.
pub fn app_short_name(app: Format) -> &'static str {
    match app {
        Format::Aegis => "Aegis",
        Format::Stratum => "Stratum",
        Format::Ente | Format::EnteEncrypted => "Ente Auth",
        other => other.app_name(),
    }
}

/// Hex SHA-256 of an account's key and code parameters (not its HOTP counter): what [`PhoneValues::key`]
/// holds and what entries without an id are matched by.
pub fn key_digest(account: &Account) -> String {
    let mut h = Sha256::new();
    h.update(account.secret.as_bytes());
    let (kind, period) = match account.otp.kind {
        OtpKind::Totp { period } => (b't', period),
        OtpKind::Hotp { .. } => (b'h', 0),
        OtpKind::Steam { period } => (b's', period),
    };
    h.update([kind, account.otp.digits]);
    h.update(account.otp.algorithm.as_str().as_bytes());
    h.update(period.to_be_bytes());
    data_encoding::HEXLOWER.encode(&h.finalize())
}

fn phone_values(a: &Account) -> PhoneValues {
    PhoneValues {
        issuer: a.issuer.clone(),
        name: a.name.clone(),
        groups: a.groups.clone(),
        note: a.note.clone(),
        favorite: a.favorite,
        key: key_digest(a),
    }
}

/// A field the phone changed since `base` takes the phone's value; otherwise the desktop's stays.
fn three_way<T: PartialEq + Clone>(desk: &mut T, base: &T, phone: &T, same: impl Fn(&T, &T) -> bool) -> bool {
    if !same(base, phone) && !same(desk, phone) {
        *desk = phone.clone();
        true
    } else {
        false
    }
}

fn same_set(a: &[String], b: &[String]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}

/// Merges the phone's `entry` into the followed `account`; returns whether the account changed.
fn merge_into(account: &mut Account, entry: &Account, now: i64) -> bool {
    let Some(origin) = account.origin.as_mut() else { return false };
    let base = origin.phone.clone();
    let phone = phone_values(entry);
    let mut changed = false;
    // The phone's origin record changes whatever happens; only the account's own fields count as a change.
    let eq = |a: &String, b: &String| a == b;
    changed |= three_way(&mut account.issuer, &base.issuer, &phone.issuer, eq);
    changed |= three_way(&mut account.name, &base.name, &phone.name, eq);
    changed |= three_way(&mut account.note, &base.note, &phone.note, eq);
    changed |= three_way(&mut account.groups, &base.groups, &phone.groups, |a, b| same_set(a, b));
    changed |= three_way(&mut account.favorite, &base.favorite, &phone.favorite, |a, b| a == b);
    if base.key != phone.key && key_digest(account) != phone.key {
        // The phone set up a new key (or new parameters) for this entry.
        let counter = hotp_counter(account);
        account.secret = entry.secret.clone();
        account.otp = entry.otp;
        if let (Some(old), OtpKind::Hotp { counter: new }) = (counter, &mut account.otp.kind) {
            *new = (*new).max(old);
        }
        changed = true;
    }
    if let (OtpKind::Hotp { counter: mine }, OtpKind::Hotp { counter: theirs }) =
        (&mut account.otp.kind, entry.otp.kind)
    {
        if theirs > *mine {
            *mine = theirs;
            changed = true;
        }
    }
    if let Some(origin) = account.origin.as_mut() {
        if origin.removed {
            origin.removed = false;
            changed = true;
        }
        origin.phone = phone;
    }
    if changed {
        account.updated = now;
    }
    changed
}

fn hotp_counter(a: &Account) -> Option<u64> {
    match a.otp.kind {
        OtpKind::Hotp { counter } => Some(counter),
        _ => None,
    }
}

/// Applies a fetched backup of source `source_id` to `contents` (see the module docs). Returns `None` when
/// the backup is not newer than the last applied one or was applied already: nothing changed.
pub fn apply(
    contents: &mut VaultContents,
    source_id: uuid::Uuid,
    fetched: &Fetched,
    now: i64,
) -> Result<Option<FollowReport>, FollowError> {
    let mut source = source(contents, source_id).ok_or(FollowError::UnknownSource)?;
    if source.was_applied(&fetched.sha256) || source.last_applied().is_some_and(|a| a.time >= fetched.file.time) {
        return Ok(None);
    }
    let mut report = FollowReport {
        app: source.app,
        file: fetched.file.name.clone(),
        time: fetched.file.time,
        clock: fetched.file.clock.clone(),
        added: Vec::new(),
        changed: Vec::new(),
        removed: Vec::new(),
        linked: Vec::new(),
        problems: fetched.report.problems.clone(),
    };
    // The source's accounts by entry id, and the unfollowed ones by key (for a first round after a one-time
    // import): maps, never a search per entry.
    let mut followed: HashMap<String, usize> = HashMap::new();
    let mut unfollowed: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, a) in contents.accounts.iter().enumerate() {
        match &a.origin {
            Some(o) if o.source == source_id => {
                followed.entry(o.entry.clone()).or_insert(i);
            }
            Some(_) => {}
            None => unfollowed.entry(key_digest(a)).or_default().push(i),
        }
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut next_order = contents.accounts.iter().map(|a| a.order).max().map_or(0, |o| o.saturating_add(1));
    let mut new_accounts = Vec::new();
    for (i, entry) in fetched.report.accounts.iter().enumerate() {
        let digest = key_digest(entry);
        let entry_key = match fetched.report.entry_ids.get(i).cloned().flatten() {
            Some(id) => id,
            None => format!("key:{digest}"),
        };
        // Two entries under one id (hand-edited files; two accounts with one key and parameters): the later
        // ones follow by their place among them, which the next backup keeps, instead of being dropped.
        let entry_key = if seen.contains(&entry_key) {
            (2..).map(|n| format!("{entry_key}#{n}")).find(|k| !seen.contains(k)).unwrap_or(entry_key)
        } else {
            entry_key
        };
        seen.insert(entry_key.clone());
        if let Some(&index) = followed.get(&entry_key) {
            let account = &mut contents.accounts[index];
            if merge_into(account, entry, now) {
                report.changed.push(account.id);
            }
            continue;
        }
        if let Some(index) = unfollowed.get_mut(&digest).and_then(Vec::pop) {
            let account = &mut contents.accounts[index];
            // No earlier backup tells which side changed what: the desktop's values stay, and the phone's are
            // the base for the next round. Only the HOTP counter can move (up).
            account.origin =
                Some(Origin { source: source_id, entry: entry_key, removed: false, phone: phone_values(entry) });
            merge_into(account, entry, now);
            report.linked.push(account.id);
            continue;
        }
        let mut account = entry.clone();
        account.id = AccountId::new_random();
        account.order = next_order;
        next_order = next_order.saturating_add(1);
        account.created = now;
        account.updated = now;
        account.origin =
            Some(Origin { source: source_id, entry: entry_key, removed: false, phone: phone_values(entry) });
        report.added.push(account.id);
        new_accounts.push(account);
    }
    for account in &mut contents.accounts {
        if let Some(origin) = account.origin.as_mut() {
            if origin.source == source_id && !origin.removed && !seen.contains(&origin.entry) {
                origin.removed = true;
                report.removed.push(account.id);
            }
        }
    }
    contents.accounts.extend(new_accounts);
    source.applied.push(Applied {
        file: fetched.file.name.clone(),
        sha256: fetched.sha256.clone(),
        time: fetched.file.time,
    });
    source.applied.sort_by_key(|a| a.time);
    let excess = source.applied.len().saturating_sub(MAX_APPLIED);
    source.applied.drain(..excess);
    source.password_failed = false;
    put_source(contents, &source);
    Ok(Some(report))
}

// ---- one round, for the CLI and tests -------------------------------------------------------------------

/// What one round did.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    Applied {
        report: FollowReport,
        skipped: Vec<Skipped>,
    },
    Nothing {
        skipped: Vec<Skipped>,
    },
    PasswordMissing {
        file: String,
    },
    /// Remembered in the vault: the next rounds do not try again until the password changes.
    PasswordWrong {
        file: String,
    },
    Disabled,
}

impl Outcome {
    /// The sentence for a person.
    pub fn sentence(&self, app: Format) -> String {
        let name = app_short_name(app);
        match self {
            Outcome::Applied { report, .. } => report.to_string(),
            Outcome::Nothing { skipped } if skipped.is_empty() => format!("no new {name} backup"),
            Outcome::Nothing { skipped } => {
                format!("no new {name} backup that reads yet ({} skipped; tried again next time)", skipped.len())
            }
            Outcome::PasswordMissing { file } => {
                format!("the {name} backup {file} is encrypted: enter its backup password")
            }
            Outcome::PasswordWrong { file } => format!(
                "the backup password does not open the {name} backup {file}: if it was changed on the phone, \
                 enter the new one"
            ),
            Outcome::Disabled => format!("following {name} backups is off"),
        }
    }
}

/// One whole round on an open vault: [`fetch`] without touching the vault, then [`apply`] through
/// [`Vault::update`] (so the edits are stamped), or the failed password remembered.
pub fn round(vault: &mut Vault, source_id: uuid::Uuid, now: i64, cancel: &Cancel) -> Result<Outcome, FollowError> {
    let source = source(vault.contents(), source_id).ok_or(FollowError::UnknownSource)?;
    if !source.enabled {
        return Ok(Outcome::Disabled);
    }
    match fetch(&source, now, cancel)? {
        Fetch::New { fetched, skipped } => {
            let applied = vault.update(|c| apply(c, source_id, &fetched, now))?;
            Ok(match applied {
                Some(report) => Outcome::Applied { report, skipped },
                None => Outcome::Nothing { skipped },
            })
        }
        Fetch::Nothing { skipped } => Ok(Outcome::Nothing { skipped }),
        Fetch::PasswordMissing { file } => Ok(Outcome::PasswordMissing { file }),
        Fetch::PasswordWrong { file } => {
            if !source.password_failed {
                vault.update(|c| mark_password_failed(c, source_id))?;
            }
            Ok(Outcome::PasswordWrong { file })
        }
    }
}

#[cfg(test)]
mod tests;
