//! Importing other authenticator apps' exports and backups.
//!
//! Two phases, like Aegis: [`inspect`] looks at the bytes (and, only as a tie-breaker, the file name) and
//! says which app wrote them and whether a password is needed; [`import`] decrypts if needed and converts
//! every entry, collecting per-entry [`EntryProblem`]s (an mOTP entry, a bad digit count, an undecodable
//! secret) instead of failing the whole file. Whole-file failures (wrong password, damaged file, an
//! account-restricted Bitwarden export) are typed [`ImportError`]s whose messages never carry a secret.
//!
//! Every supported app is one variant of [`Format`]; adding a format means one variant, one arm in
//! [`import`] and one rule in [`inspect`]. Each format module names its source and what is lost.
//!
//! Twofold computes TOTP, HOTP and Steam codes. mOTP and Yandex entries are reported by name as
//! unsupported, never dropped silently.

use crate::model::Account;
use crate::secret::SecretError;
use crate::uri::LinkWarning;

mod aegis;
mod andotp;
mod authplus;
mod authy;
mod battlenet;
mod bitwarden;
mod cancel;
mod common;
mod duo;
mod ente;
mod freeotp;
mod freeotp2;
mod lastpass;
mod links;
mod proton;
mod secretstream;
mod sqlite_apps;
mod steam;
mod stratum;
#[cfg(test)]
mod tests;
mod totp_authenticator;
mod twofas;
mod why;
mod zipfile;

pub use cancel::Cancel;
use common::Draft;
pub use why::Why;

/// Largest file we read: real exports are kilobytes; Aegis vaults with icons reach a few megabytes.
pub const MAX_FILE_LEN: usize = 64 * 1024 * 1024;

/// An app (and file kind) we can import from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Aegis vault JSON, plain or encrypted (`aegis-export*.json`).
    Aegis,
    /// 2FAS backup (`.2fas`), plain or encrypted, schema 1-4.
    TwoFas,
    /// andOTP JSON backup, plain or encrypted (both the PBKDF2 and the older SHA-256 format).
    AndOtp,
    /// FreeOTP 1.x / FreeOTP+ `tokens.xml` (Android shared preferences).
    FreeOtpXml,
    /// FreeOTP+ JSON export.
    FreeOtpPlus,
    /// FreeOTP 2.x encrypted backup (`externalBackup.xml`, a Java serialization stream).
    FreeOtpBackup,
    /// Stratum / Authenticator Pro backup (`.authpro`), plain or encrypted (strong and legacy).
    Stratum,
    /// Stratum / Authenticator Pro app database (`authenticator.db3`).
    StratumDb,
    /// LastPass Authenticator JSON export.
    LastPass,
    /// Duo Mobile `accounts.json`.
    Duo,
    /// Steam mobile authenticator `Steamguard-<id>` file.
    Steam,
    /// Authy Android shared preferences, plain or with encrypted tokens.
    Authy,
    /// Battle.net Authenticator Android shared preferences.
    BattleNet,
    /// TOTP Authenticator encrypted backup (base64 text).
    TotpAuthenticator,
    /// TOTP Authenticator Android shared preferences.
    TotpAuthenticatorXml,
    /// Authenticator Plus encrypted database (SQLCipher 3).
    AuthenticatorPlusDb,
    /// Bitwarden / Bitwarden Authenticator JSON export, plain or password-protected.
    Bitwarden,
    /// Bitwarden CSV export.
    BitwardenCsv,
    /// Ente Auth plain export (`otpauth://` links with Ente's extras).
    Ente,
    /// Ente Auth encrypted export.
    EnteEncrypted,
    /// Proton Authenticator export, plain or password-protected.
    ProtonAuthenticator,
    /// Proton Pass export (ZIP with `data.json`).
    ProtonPass,
    /// WinAuth export (a text file of links, usually in a password-protected ZIP).
    WinAuth,
    /// Authenticator Plus export (`Accounts.txt` in a password-protected ZIP).
    AuthenticatorPlusZip,
    /// A text file of `otpauth://` links, one per line (Aegis "plain text" export and others).
    OtpauthList,
    /// Google Authenticator transfer links (`otpauth-migration://`), one or more per file.
    GoogleMigration,
    /// Google Authenticator app database (rooted device).
    GoogleAuthenticatorDb,
    /// Microsoft Authenticator app database (rooted device).
    MicrosoftAuthenticatorDb,
}

impl Format {
    /// Every format, for menus and `--format` help.
    pub const ALL: &'static [Format] = &[
        Format::Aegis,
        Format::TwoFas,
        Format::AndOtp,
        Format::FreeOtpXml,
        Format::FreeOtpPlus,
        Format::FreeOtpBackup,
        Format::Stratum,
        Format::StratumDb,
        Format::LastPass,
        Format::Duo,
        Format::Steam,
        Format::Authy,
        Format::BattleNet,
        Format::TotpAuthenticator,
        Format::TotpAuthenticatorXml,
        Format::AuthenticatorPlusDb,
        Format::Bitwarden,
        Format::BitwardenCsv,
        Format::Ente,
        Format::EnteEncrypted,
        Format::ProtonAuthenticator,
        Format::ProtonPass,
        Format::WinAuth,
        Format::AuthenticatorPlusZip,
        Format::OtpauthList,
        Format::GoogleMigration,
        Format::GoogleAuthenticatorDb,
        Format::MicrosoftAuthenticatorDb,
    ];

    /// A short stable identifier (`--format` values).
    pub fn id(self) -> &'static str {
        match self {
            Format::Aegis => "aegis",
            Format::TwoFas => "2fas",
            Format::AndOtp => "andotp",
            Format::FreeOtpXml => "freeotp-xml",
            Format::FreeOtpPlus => "freeotp-plus",
            Format::FreeOtpBackup => "freeotp-backup",
            Format::Stratum => "stratum",
            Format::StratumDb => "stratum-db",
            Format::LastPass => "lastpass",
            Format::Duo => "duo",
            Format::Steam => "steam",
            Format::Authy => "authy",
            Format::BattleNet => "battle-net",
            Format::TotpAuthenticator => "totp-authenticator",
            Format::TotpAuthenticatorXml => "totp-authenticator-xml",
            Format::AuthenticatorPlusDb => "authenticator-plus-db",
            Format::Bitwarden => "bitwarden",
            Format::BitwardenCsv => "bitwarden-csv",
            Format::Ente => "ente",
            Format::EnteEncrypted => "ente-encrypted",
            Format::ProtonAuthenticator => "proton-authenticator",
            Format::ProtonPass => "proton-pass",
            Format::WinAuth => "winauth",
            Format::AuthenticatorPlusZip => "authenticator-plus",
            Format::OtpauthList => "otpauth",
            Format::GoogleMigration => "google-migration",
            Format::GoogleAuthenticatorDb => "google-authenticator-db",
            Format::MicrosoftAuthenticatorDb => "microsoft-authenticator-db",
        }
    }

    /// The format with this [`Format::id`].
    pub fn from_id(id: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.id().eq_ignore_ascii_case(id.trim()))
    }

    /// The app's name, as the user knows it.
    pub fn app_name(self) -> &'static str {
        match self {
            Format::Aegis => "Aegis",
            Format::TwoFas => "2FAS",
            Format::AndOtp => "andOTP",
            Format::FreeOtpXml => "FreeOTP / FreeOTP+ (tokens.xml)",
            Format::FreeOtpPlus => "FreeOTP+",
            Format::FreeOtpBackup => "FreeOTP 2 backup",
            Format::Stratum => "Stratum / Authenticator Pro",
            Format::StratumDb => "Stratum / Authenticator Pro (app database)",
            Format::LastPass => "LastPass Authenticator",
            Format::Duo => "Duo Mobile",
            Format::Steam => "Steam",
            Format::Authy => "Authy",
            Format::BattleNet => "Battle.net Authenticator",
            Format::TotpAuthenticator => "TOTP Authenticator",
            Format::TotpAuthenticatorXml => "TOTP Authenticator (app data)",
            Format::AuthenticatorPlusDb => "Authenticator Plus (database)",
            Format::Bitwarden => "Bitwarden",
            Format::BitwardenCsv => "Bitwarden (CSV)",
            Format::Ente => "Ente Auth",
            Format::EnteEncrypted => "Ente Auth (encrypted)",
            Format::ProtonAuthenticator => "Proton Authenticator",
            Format::ProtonPass => "Proton Pass",
            Format::WinAuth => "WinAuth",
            Format::AuthenticatorPlusZip => "Authenticator Plus",
            Format::OtpauthList => "otpauth:// links",
            Format::GoogleMigration => "Google Authenticator (transfer links)",
            Format::GoogleAuthenticatorDb => "Google Authenticator (app database)",
            Format::MicrosoftAuthenticatorDb => "Microsoft Authenticator (app database)",
        }
    }
}

/// What [`inspect`] found out about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub format: Format,
    /// True when [`import`] needs a password.
    pub encrypted: bool,
}

/// A whole-file failure. Messages are lower case, name what failed and never contain a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ImportError {
    #[error("this file is not an export of any app we can import from")]
    UnknownFormat,
    /// Our own backup or vault file (`TWOFOLDV`): it is restored, not imported.
    #[error("this is a Twofold backup or vault, not another app's export: restore it from Backups → Restore")]
    TwofoldFile,
    #[error("the file is too large to be an export ({len} bytes; at most {max})")]
    TooLarge { len: usize, max: usize },
    #[error("this export is encrypted: a password is needed")]
    PasswordRequired,
    #[error("wrong password, or the file is damaged")]
    WrongPassword,
    #[error("the file is damaged or incomplete: {why}")]
    Damaged { why: Why },
    #[error("the file holds no accounts: {why}")]
    Empty { why: Why },
    #[error(
        "this Bitwarden export is \"account restricted\" (encrypted with the account key): export again \
         choosing \"password protected\""
    )]
    AccountRestricted,
    #[error("the file asks for unreasonable key-derivation settings: {why}")]
    KdfOutOfRange { why: Why },
    #[error("this file is not supported: {why}")]
    Unsupported { why: Why },
    /// The file would make the import do far more work than any real export needs (too many password
    /// slots, an archive that decompresses to too much, a database query that does not end…).
    #[error("the file is too large or too complex to import: {why}")]
    LimitExceeded { why: Why },
    /// [`Cancel::cancel`] was called while the import ran.
    #[error("the import was cancelled")]
    Cancelled,
}

/// Why one entry of a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    #[error("{kind} entries are not supported")]
    UnsupportedType { kind: String },
    #[error("{0}")]
    InvalidParameter(Why),
    #[error("{0}")]
    Secret(SecretError),
    #[error("secret is not valid base64")]
    SecretNotBase64,
    #[error("{0}")]
    Malformed(Why),
}

/// One entry that was not imported, named so the user can find it in the other app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryProblem {
    /// `Issuer (name)` as the file has it (never the secret); empty when only `line` names the entry.
    pub label: String,
    /// The entry's line (from 1) in a text file of links: a number, so front ends word "line" themselves.
    pub line: Option<usize>,
    pub kind: ProblemKind,
}

impl std::fmt::Display for EntryProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.label.is_empty()) {
            (Some(line), true) => write!(f, "line {line}: {}", self.kind),
            (Some(line), false) => write!(f, "line {line}: {}: {}", self.label, self.kind),
            (None, _) => write!(f, "{}: {}", crate::model::or_unnamed(&self.label), self.kind),
        }
    }
}

impl std::error::Error for EntryProblem {}

/// A remark about an account that was read (for example an unusual key length in its link): the account is
/// imported, but the user should check its codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{label}: {warning}")]
pub struct EntryWarning {
    /// Index into [`ImportReport::accounts`].
    pub index: usize,
    /// `Issuer (name)` as the file has it.
    pub label: String,
    pub warning: LinkWarning,
}

/// The result of reading a file: accounts ready to add, the entries that could not be read, and remarks
/// about accounts that were read.
#[derive(Debug, Clone)]
pub struct ImportReport {
    pub format: Format,
    /// In file order; `order` is the position in the file.
    pub accounts: Vec<Account>,
    pub problems: Vec<EntryProblem>,
    pub warnings: Vec<EntryWarning>,
    /// One per account: the app's own id of the entry (Aegis: its `uuid`), where the format has one.
    pub entry_ids: Vec<Option<String>>,
}

impl ImportReport {
    /// Indexes into `accounts` of accounts whose key one of `existing` or an earlier account of the same import
    /// already has (the one duplicate notion, [`crate::duplicates`]).
    pub fn duplicates_of(&self, existing: &[Account]) -> Vec<usize> {
        self.duplicate_mask(existing).iter().enumerate().filter(|(_, dup)| **dup).map(|(i, _)| i).collect()
    }

    /// [`ImportReport::duplicates_of`] as one flag per account, for callers that ask "is entry `i` a
    /// duplicate?" for every entry (a `Vec::contains` per entry is quadratic). One pass with a hash set.
    pub fn duplicate_mask(&self, existing: &[Account]) -> Vec<bool> {
        crate::duplicates::duplicate_flags(existing, &self.accounts)
    }
}

/// True when `new` duplicates `existing`: it produces the same codes ([`Account::same_key_as`]), whatever
/// the names.
pub fn is_duplicate(new: &Account, existing: &Account) -> bool {
    new.same_key_as(existing)
}

/// Detects the app that wrote `bytes`. `file_name_hint` (the file's name, if known) only breaks ties for
/// formats that carry no signature (encrypted andOTP and Authenticator Plus databases are random bytes).
pub fn inspect(bytes: &[u8], file_name_hint: Option<&str>) -> Result<Inspection, ImportError> {
    if bytes.len() > MAX_FILE_LEN {
        return Err(ImportError::TooLarge { len: bytes.len(), max: MAX_FILE_LEN });
    }
    let hint = file_name_hint.map(str::to_ascii_lowercase).unwrap_or_default();
    let found = |format, encrypted| Ok(Inspection { format, encrypted });
    // Backups share the vault's container: both open on Backups → Restore, never here.
    if bytes.starts_with(&crate::vault::format::MAGIC) {
        return Err(ImportError::TwofoldFile);
    }
    if bytes.starts_with(b"SQLite format 3\0") {
        return found(sqlite_apps::detect(bytes)?, false);
    }
    if zipfile::is_zip(bytes) {
        let (names, encrypted) = zipfile::list(bytes)?;
        if names.iter().any(|n| n.ends_with("data.json")) {
            return found(Format::ProtonPass, encrypted);
        }
        if names.iter().any(|n| n.eq_ignore_ascii_case("Accounts.txt")) {
            return found(Format::AuthenticatorPlusZip, encrypted);
        }
        if names.iter().any(|n| n.to_ascii_lowercase().ends_with(".txt")) {
            return found(Format::WinAuth, encrypted);
        }
        return Err(ImportError::UnknownFormat);
    }
    if bytes.starts_with(&[0xAC, 0xED]) {
        return found(Format::FreeOtpBackup, true);
    }
    if bytes.starts_with(stratum::STRONG_HEADER) || bytes.starts_with(stratum::LEGACY_HEADER) {
        return found(Format::Stratum, true);
    }
    let text = common::strip_bom(bytes);
    let trimmed = text.trim_ascii_start();
    if trimmed.starts_with(b"{") || trimmed.starts_with(b"[") {
        if let Ok(json) = serde_json::from_slice::<serde_json::Value>(text) {
            if let Some(inspection) = inspect_json(&json) {
                return Ok(inspection);
            }
        }
        return Err(ImportError::UnknownFormat);
    }
    if trimmed.starts_with(b"<") {
        let xml = String::from_utf8_lossy(text);
        if xml.contains("com.authy.storage.tokens.authenticator.key") {
            return found(Format::Authy, xml.contains("encryptedSecret"));
        }
        if xml.contains("AUTHENTICATOR_DEVICE_SECRET") {
            return found(Format::BattleNet, false);
        }
        if xml.contains("STATIC_TOTP_CODES_LIST") {
            return found(Format::TotpAuthenticatorXml, false);
        }
        if xml.contains("tokenOrder") {
            return found(Format::FreeOtpXml, false);
        }
        return Err(ImportError::UnknownFormat);
    }
    if let Ok(t) = std::str::from_utf8(text) {
        let first = t.lines().next().unwrap_or("").trim_start_matches('\u{feff}');
        if first.starts_with("folder,favorite,type,name,") {
            return found(Format::BitwardenCsv, false);
        }
        if t.contains("otpauth-migration://") {
            return found(Format::GoogleMigration, false);
        }
        if t.contains("otpauth://") || t.trim_start().starts_with("steam://") {
            let format = if t.contains("codeDisplay=") { Format::Ente } else { Format::OtpauthList };
            return found(format, false);
        }
        if totp_authenticator::looks_like_backup(t) {
            return found(Format::TotpAuthenticator, true);
        }
    }
    if hint.contains("andotp") || andotp::looks_like_new_encrypted(bytes) {
        return found(Format::AndOtp, true);
    }
    if authplus::looks_like_sqlcipher(bytes) && (hint.ends_with(".db") || hint.contains("authplus")) {
        return found(Format::AuthenticatorPlusDb, true);
    }
    Err(ImportError::UnknownFormat)
}

fn inspect_json(json: &serde_json::Value) -> Option<Inspection> {
    let found = |format, encrypted| Some(Inspection { format, encrypted });
    let has = |k: &str| json.get(k).is_some();
    if let Some(list) = json.as_array() {
        let first = list.first()?;
        if first.get("otpGenerator").is_some() {
            return found(Format::Duo, false);
        }
        if first.get("secret").is_some() && first.get("label").is_some() && first.get("type").is_some() {
            return found(Format::AndOtp, false);
        }
        return None;
    }
    if has("header") && has("db") {
        return found(Format::Aegis, json.get("db").is_some_and(serde_json::Value::is_string));
    }
    if has("schemaVersion") && (has("services") || has("servicesEncrypted")) {
        let encrypted = json.get("servicesEncrypted").is_some_and(|v| v.as_str().is_some_and(|s| !s.is_empty()));
        return found(Format::TwoFas, encrypted);
    }
    if has("tokenOrder") && has("tokens") {
        return found(Format::FreeOtpPlus, false);
    }
    if has("Authenticators") {
        return found(Format::Stratum, false);
    }
    if json.get("accounts").is_some_and(serde_json::Value::is_array) {
        return found(Format::LastPass, false);
    }
    if json.get("accounts").is_some_and(serde_json::Value::is_object) || has("shared_secret") {
        return found(Format::Steam, false);
    }
    if has("encrypted") && (has("items") || has("data") || has("encKeyValidation_DO_NOT_EDIT")) {
        return found(Format::Bitwarden, json.get("encrypted").and_then(serde_json::Value::as_bool).unwrap_or(false));
    }
    if has("items") {
        return found(Format::Bitwarden, false);
    }
    if has("kdfParams") && has("encryptedData") {
        return found(Format::EnteEncrypted, true);
    }
    if has("entries") && json.get("version").is_some() {
        return found(Format::ProtonAuthenticator, false);
    }
    if has("salt") && has("content") && json.get("version").is_some() {
        return found(Format::ProtonAuthenticator, true);
    }
    None
}

/// Reads every account of `bytes` as `format` (from [`inspect`], or chosen by the user). `now` (Unix
/// seconds) becomes the accounts' creation time. [`import_cancellable`] can be stopped from another thread.
pub fn import(bytes: &[u8], format: Format, password: Option<&str>, now: i64) -> Result<ImportReport, ImportError> {
    import_cancellable(bytes, format, password, now, &Cancel::new())
}

/// [`import`] that gives up with [`ImportError::Cancelled`] soon after `cancel` is set: the flag is checked
/// before and after reading, before each Aegis password slot is derived, between ZIP entries, while SQLite
/// runs a query and between entries. One key derivation already running finishes first (each is bounded).
pub fn import_cancellable(
    bytes: &[u8],
    format: Format,
    password: Option<&str>,
    now: i64,
    cancel: &Cancel,
) -> Result<ImportReport, ImportError> {
    if bytes.len() > MAX_FILE_LEN {
        return Err(ImportError::TooLarge { len: bytes.len(), max: MAX_FILE_LEN });
    }
    cancel.check()?;
    let drafts: Vec<Result<Draft, EntryProblem>> = match format {
        Format::Aegis => aegis::read(bytes, password, cancel)?,
        Format::TwoFas => twofas::read(bytes, password)?,
        Format::AndOtp => andotp::read(bytes, password)?,
        Format::FreeOtpXml => freeotp::read_xml(bytes)?,
        Format::FreeOtpPlus => freeotp::read_json(bytes)?,
        Format::FreeOtpBackup => freeotp2::read(bytes, password)?,
        Format::Stratum => stratum::read(bytes, password)?,
        Format::StratumDb => sqlite_apps::read_stratum(bytes, cancel)?,
        Format::LastPass => lastpass::read(bytes)?,
        Format::Duo => duo::read(bytes)?,
        Format::Steam => steam::read(bytes)?,
        Format::Authy => authy::read(bytes, password)?,
        Format::BattleNet => battlenet::read(bytes)?,
        Format::TotpAuthenticator => totp_authenticator::read_backup(bytes, password)?,
        Format::TotpAuthenticatorXml => totp_authenticator::read_xml(bytes)?,
        Format::AuthenticatorPlusDb => authplus::read_db(bytes, password, cancel)?,
        Format::Bitwarden => bitwarden::read_json(bytes, password)?,
        Format::BitwardenCsv => bitwarden::read_csv(bytes)?,
        Format::Ente | Format::OtpauthList | Format::GoogleMigration => links::read_text(bytes)?,
        Format::EnteEncrypted => ente::read_encrypted(bytes, password)?,
        Format::ProtonAuthenticator => proton::read_authenticator(bytes, password)?,
        Format::ProtonPass => proton::read_pass(bytes, cancel)?,
        Format::WinAuth | Format::AuthenticatorPlusZip => read_zipped_links(bytes, password, cancel)?,
        Format::GoogleAuthenticatorDb => sqlite_apps::read_google(bytes, cancel)?,
        Format::MicrosoftAuthenticatorDb => sqlite_apps::read_microsoft(bytes, cancel)?,
    };
    cancel.check()?;
    let finished = common::finish_all(drafts, now, cancel)?;
    Ok(ImportReport {
        format,
        accounts: finished.accounts,
        problems: finished.problems,
        warnings: finished.warnings,
        entry_ids: finished.entry_ids,
    })
}

/// WinAuth and Authenticator Plus: every text file (`*.txt`) of the archive is a list of links; other
/// files are not decompressed.
fn read_zipped_links(
    bytes: &[u8],
    password: Option<&str>,
    cancel: &Cancel,
) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let mut drafts = Vec::new();
    let is_text = |name: &str| name.to_ascii_lowercase().ends_with(".txt");
    for (_, data) in zipfile::read_matching(bytes, password, is_text, cancel)? {
        drafts.extend(links::read_text(&data)?);
    }
    if drafts.is_empty() {
        return Err(ImportError::Empty { why: Why::NoLinks });
    }
    Ok(drafts)
}
