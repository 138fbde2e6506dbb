//! Accounts as the list, the add dialog and the staging pickers see them, and the conversions from the core's
//! types (plain data in, never the app state).

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use twofold_core::secret::likely_meant;
use twofold_core::{Account, Algorithm, OtpKind, SecretError};

use crate::text::Text;

/// Whether there is a vault and whether it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VaultStatus {
    /// First run: no vault file yet.
    NoVault,
    /// The vault file is gone but its previous copy (`NAME.prev`) is there: offer to restore it; creating a
    /// new vault is refused until then.
    PreviousOnly,
    Locked,
    Unlocked,
}

/// The vault just unlocked is older than the newest one this computer saw at its path: it may have been
/// replaced by an old copy. A warning, not a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RollbackWarning {
    /// The save counter of the file that was opened.
    #[ts(type = "number")]
    pub saved: u64,
    /// The highest save counter this computer saw for this vault.
    #[ts(type = "number")]
    pub seen: u64,
}

/// How an account's codes advance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OtpKindView {
    Totp,
    Hotp,
    Steam,
}

/// The HMAC hash of an account, as written in links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum AlgorithmView {
    #[serde(rename = "SHA1")]
    Sha1,
    #[serde(rename = "SHA256")]
    Sha256,
    #[serde(rename = "SHA512")]
    Sha512,
}

/// One account as the list shows it: metadata and the current code, never the key.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountView {
    pub id: String,
    pub issuer: String,
    pub name: String,
    pub groups: Vec<String>,
    pub favorite: bool,
    #[ts(type = "number")]
    pub order: i64,
    pub kind: OtpKindView,
    pub algorithm: AlgorithmView,
    pub digits: u8,
    /// Seconds per code for time-based kinds.
    pub period: Option<u32>,
    /// The counter the next HOTP code uses.
    #[ts(type = "number | null")]
    pub counter: Option<u64>,
    /// The current code (for HOTP: the last one shown, or empty before the first "next code").
    pub code: String,
    /// Unix milliseconds when the current code became valid (time-based kinds).
    #[ts(type = "number | null")]
    pub valid_from: Option<i64>,
    /// Unix milliseconds when the current code stops being valid (time-based kinds).
    #[ts(type = "number | null")]
    pub valid_until: Option<i64>,
    /// The code after the current one, for showing near expiry.
    pub next_code: Option<String>,
    pub recovery_total: u32,
    pub recovery_unused: u32,
    pub note: String,
    /// How many times a code was copied or shown (for the list's "most used" order).
    #[ts(type = "number")]
    pub use_count: u64,
    /// Unix seconds of the last copy or reveal, if any (for "recently used").
    #[ts(type = "number | null")]
    pub last_used: Option<i64>,
    /// The account came from a followed phone backup and is no longer in the newest one.
    pub removed_on_phone: bool,
    /// A fingerprint of the account's own picture, which `account_icon` fetches (it changes when the picture
    /// does, so the page can keep what it fetched); `None` shows the service's brand icon or its initial.
    pub icon: Option<String>,
}

/// Every account with its codes at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountList {
    /// The instant the codes were computed for, Unix milliseconds.
    #[ts(type = "number")]
    pub now: i64,
    pub accounts: Vec<AccountView>,
}

/// An account the user typed in. `secret` is the base32 key; it goes into the vault and never comes back.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewAccount {
    pub issuer: String,
    pub name: String,
    pub secret: String,
    pub kind: OtpKindView,
    pub algorithm: AlgorithmView,
    pub digits: u8,
    pub period: u32,
    #[ts(type = "number")]
    pub counter: u64,
    pub groups: Vec<String>,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// The fields an edit may change (the key and OTP parameters are fixed once added).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountEdit {
    pub issuer: String,
    pub name: String,
    pub groups: Vec<String>,
    pub note: String,
    pub favorite: bool,
}

/// What is wrong with a typed key, for the UI to word (`keyProblem.ts`). Carries only what the person typed
/// wrongly (one character that cannot be in a key), never the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export)]
pub enum KeyProblem {
    /// Nothing typed yet.
    Empty,
    /// `character` at `position` (from 1, over everything typed, spaces counted) is not base32; `likely` is
    /// the letter it is usually a slip for (0 → O, 1 → I, 8 → B).
    InvalidCharacter { position: u32, character: String, likely: Option<String> },
    /// The last character carries bits that fill no byte: one is missing or one too many.
    NotWholeBytes { characters: u32 },
    /// Fewer bits than any service issues.
    TooShort { bits: u32, min: u32 },
    /// Longer than any key.
    TooLong,
}

impl From<&SecretError> for KeyProblem {
    fn from(error: &SecretError) -> Self {
        let n = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
        match *error {
            SecretError::Empty => KeyProblem::Empty,
            SecretError::InvalidBase32Char { position, character } => KeyProblem::InvalidCharacter {
                position: n(position),
                character: character.to_string(),
                likely: likely_meant(character).map(String::from),
            },
            SecretError::NotWholeBytes { characters } | SecretError::InvalidBase32Length { len: characters } => {
                KeyProblem::NotWholeBytes { characters: n(characters) }
            }
            SecretError::TooShort { bits, min } => KeyProblem::TooShort { bits: n(bits), min: n(min) },
            // `TooLong`; the other errors (hex) do not come from base32.
            _ => KeyProblem::TooLong,
        }
    }
}

/// The verdict on a key as it is typed: what is wrong with it, or which accounts already have it (with the
/// type, algorithm, digits and period chosen).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyCheck {
    pub problem: Option<KeyProblem>,
    /// Names of the vault's accounts with this key and parameters: say so before Add.
    pub duplicates: Vec<String>,
}

/// What adding an account did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AddOutcome {
    pub id: String,
    /// Non-fatal remarks from the link parser (an unusual period, an ignored parameter).
    pub warnings: Vec<Text>,
    /// Names of existing accounts with the same key and parameters.
    pub duplicates: Vec<String>,
}

/// An account waiting for the user's choice (read from a QR code, an opened or pasted link, or a file to
/// import): metadata only, its key stays in the shell. Every intake describes it this way, and marks
/// duplicates the same way.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct StagedAccountView {
    /// What the add verb (`add_pending`, `import_accounts`) takes to choose this one.
    pub index: u32,
    pub issuer: String,
    pub name: String,
    pub kind: OtpKindView,
    pub algorithm: AlgorithmView,
    pub digits: u8,
    pub period: Option<u32>,
    /// The vault, or an earlier account of the same batch, already has this key: pickers leave it unchecked.
    pub duplicate: bool,
    /// Names of the vault's accounts with the same key and parameters.
    pub duplicates: Vec<String>,
    /// Remarks to check before adding (an unusual key length, an ignored parameter).
    pub warnings: Vec<Text>,
}

impl StagedAccountView {
    /// The view of `account`, number `index` of its batch; `duplicates` are the vault's accounts with its key,
    /// `earlier_duplicate` whether an earlier account of the batch has it.
    pub fn new(
        index: usize,
        account: &Account,
        duplicates: Vec<String>,
        earlier_duplicate: bool,
        warnings: Vec<Text>,
    ) -> Self {
        Self {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            kind: OtpKindView::from(&account.otp.kind),
            algorithm: AlgorithmView::from(account.otp.algorithm),
            digits: account.otp.digits,
            period: account.otp.period(),
            duplicate: earlier_duplicate || !duplicates.is_empty(),
            duplicates,
            warnings,
        }
    }
}

/// One recovery code: masked in `list_recovery_codes`, in full only from `reveal_recovery_codes` after the vault
/// password (each code opens its account).
#[derive(Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecoveryCodeView {
    pub index: u32,
    /// The code itself: only from `reveal_recovery_codes`, after the vault password; `null` in the list.
    pub code: Option<String>,
    /// Its last two characters (codes of eight or more), to tell masked codes apart.
    pub hint: String,
    pub used: bool,
}

impl std::fmt::Debug for RecoveryCodeView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryCodeView")
            .field("index", &self.index)
            .field("code", &self.code.as_ref().map(|_| "<redacted>"))
            .field("used", &self.used)
            .finish()
    }
}

/// An account's key and link, returned only after the password was typed again.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RevealedSecret {
    pub secret: String,
    pub link: String,
}

impl std::fmt::Debug for RevealedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevealedSecret(<redacted>)")
    }
}

/// An account's QR code as a `data:image/png;base64,…` URL, returned only after the password was typed again.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountQr {
    pub image: String,
    /// Width and height of the image in pixels.
    pub size: u32,
}

impl std::fmt::Debug for AccountQr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccountQr(<redacted>)")
    }
}

// ---- conversions -------------------------------------------------------------------------------------------

impl From<&OtpKind> for OtpKindView {
    fn from(kind: &OtpKind) -> Self {
        match kind {
            OtpKind::Hotp { .. } => OtpKindView::Hotp,
            OtpKind::Steam { .. } => OtpKindView::Steam,
            _ => OtpKindView::Totp,
        }
    }
}

impl From<Algorithm> for AlgorithmView {
    fn from(a: Algorithm) -> Self {
        match a {
            Algorithm::Sha1 => AlgorithmView::Sha1,
            Algorithm::Sha256 => AlgorithmView::Sha256,
            Algorithm::Sha512 => AlgorithmView::Sha512,
        }
    }
}

impl From<AlgorithmView> for Algorithm {
    fn from(a: AlgorithmView) -> Self {
        match a {
            AlgorithmView::Sha1 => Algorithm::Sha1,
            AlgorithmView::Sha256 => Algorithm::Sha256,
            AlgorithmView::Sha512 => Algorithm::Sha512,
        }
    }
}

/// What the list shows of an account's code: the current time-based window, or the HOTP code last shown.
pub enum CodeShown {
    /// A time-based code, valid from/until Unix milliseconds, and the code after it.
    Time { code: String, valid_from: i64, valid_until: i64, next_code: String },
    /// The HOTP code last shown (empty before the first "next code").
    Hotp(String),
}

impl AccountView {
    /// The list's view of `account` with its code as `shown`.
    pub fn new(account: &Account, shown: CodeShown) -> Self {
        let (code, valid_from, valid_until, next_code, counter) = match (shown, &account.otp.kind) {
            (CodeShown::Hotp(code), OtpKind::Hotp { counter }) => (code, None, None, None, Some(*counter)),
            (CodeShown::Hotp(code), _) => (code, None, None, None, None),
            (CodeShown::Time { code, valid_from, valid_until, next_code }, _) => {
                (code, Some(valid_from), Some(valid_until), Some(next_code), None)
            }
        };
        let unused = account.recovery_codes.iter().filter(|c| !c.used).count();
        AccountView {
            id: account.id.to_string(),
            issuer: account.issuer.clone(),
            name: account.name.clone(),
            groups: account.groups.clone(),
            favorite: account.favorite,
            order: account.order,
            kind: OtpKindView::from(&account.otp.kind),
            algorithm: AlgorithmView::from(account.otp.algorithm),
            digits: account.otp.digits,
            period: account.otp.period(),
            counter,
            code,
            valid_from,
            valid_until,
            next_code,
            recovery_total: u32::try_from(account.recovery_codes.len()).unwrap_or(u32::MAX),
            recovery_unused: u32::try_from(unused).unwrap_or(u32::MAX),
            note: account.note.clone(),
            use_count: account.use_count,
            last_used: account.last_used,
            removed_on_phone: account.origin.as_ref().is_some_and(|o| o.removed),
            icon: account.icon.as_ref().map(icon_fingerprint),
        }
    }
}

/// A short fingerprint of a picture, a cache key for the page (not a secret: the picture is not one).
fn icon_fingerprint(icon: &twofold_core::icon::Icon) -> String {
    use std::hash::{Hash as _, Hasher as _};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    icon.png().hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}
