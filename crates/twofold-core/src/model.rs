//! What an account is: who issued it, how its codes are made, and what the user keeps with it.
//!
//! These types are the one vocabulary shared by the OTP engine, the link parser, the vault, importers and
//! exporters. They never cross into the webview: the desktop shell sends a view of an account (metadata and
//! codes), never an [`Account`], because an account carries its [`Secret`].

use std::fmt;

use crate::secret::Secret;

/// A stable account identifier (a random UUID), unchanged by edits, exports and restores.
#[derive(Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub uuid::Uuid);

// The UUID's byte order, compared as one integer: `Uuid`'s own `Ord` compares the 16 bytes with a `memcmp`
// call, which made id lookups and sorts the largest single cost of merging two 10,000-account vaults.
impl Ord for AccountId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.as_u128().cmp(&other.0.as_u128())
    }
}

impl PartialOrd for AccountId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl AccountId {
    /// A fresh random id.
    pub fn new_random() -> Self {
        Self(uuid::Uuid::new_v4())
    }
}

impl fmt::Debug for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccountId({})", self.0)
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The HMAC hash function of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Algorithm {
    #[default]
    Sha1,
    Sha256,
    Sha512,
}

impl Algorithm {
    /// The name used in `otpauth://` links and most exports: `SHA1`, `SHA256`, `SHA512`.
    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        }
    }
}

/// How the moving factor of an account advances.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OtpKind {
    /// RFC 6238: the counter is the Unix time divided by `period` seconds.
    Totp { period: u32 },
    /// RFC 4226: `counter` is the value the *next* code uses.
    Hotp { counter: u64 },
    /// Steam Guard: TOTP (SHA-1, 30 s) rendered as 5 characters of Steam's alphabet.
    Steam { period: u32 },
}

/// Everything needed, besides the secret, to compute an account's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct OtpParams {
    pub kind: OtpKind,
    pub algorithm: Algorithm,
    /// Number of digits (characters for Steam) in a code.
    pub digits: u8,
}

impl OtpParams {
    pub const MIN_DIGITS: u8 = 4;
    pub const MAX_DIGITS: u8 = 10;
    pub const MIN_PERIOD: u32 = 1;
    /// Generous upper bound: real services use 30 or 60 s, a few use up to 300 s; beyond a day is nonsense.
    pub const MAX_PERIOD: u32 = 86_400;
    pub const DEFAULT_PERIOD: u32 = 30;
    pub const DEFAULT_DIGITS: u8 = 6;
    pub const STEAM_DIGITS: u8 = 5;

    /// The usual TOTP account: SHA-1, 6 digits, 30 seconds.
    pub fn default_totp() -> Self {
        Self {
            kind: OtpKind::Totp { period: Self::DEFAULT_PERIOD },
            algorithm: Algorithm::Sha1,
            digits: Self::DEFAULT_DIGITS,
        }
    }

    /// Steam Guard parameters.
    pub fn steam() -> Self {
        Self {
            kind: OtpKind::Steam { period: Self::DEFAULT_PERIOD },
            algorithm: Algorithm::Sha1,
            digits: Self::STEAM_DIGITS,
        }
    }

    /// The period in seconds for time-based kinds, `None` for HOTP.
    pub fn period(&self) -> Option<u32> {
        match self.kind {
            OtpKind::Totp { period } | OtpKind::Steam { period } => Some(period),
            OtpKind::Hotp { .. } => None,
        }
    }
}

/// One of the recovery (backup) codes a service hands out when 2FA is enabled.
#[derive(Clone, PartialEq, Eq)]
pub struct RecoveryCode {
    pub code: zeroize::Zeroizing<String>,
    pub used: bool,
}

impl fmt::Debug for RecoveryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecoveryCode").field("code", &"<redacted>").field("used", &self.used).finish()
    }
}

/// An account as the user keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    pub id: AccountId,
    /// The service, e.g. `GitHub`. May be empty.
    pub issuer: String,
    /// The account at that service, e.g. `alice@example.com`. May be empty.
    pub name: String,
    pub secret: Secret,
    pub otp: OtpParams,
    /// Groups or tags, in the user's order.
    pub groups: Vec<String>,
    pub note: String,
    pub recovery_codes: Vec<RecoveryCode>,
    pub favorite: bool,
    /// Position in the user's manual order (lower first).
    pub order: i64,
    /// Unix seconds.
    pub created: i64,
    /// Unix seconds.
    pub updated: i64,
    /// Unix seconds of the last copy or reveal, if any.
    pub last_used: Option<i64>,
    pub use_count: u64,
    /// Where a followed phone backup brought this account from ([`crate::follow`]); `None` for accounts
    /// added on the desktop or imported once.
    pub origin: Option<Origin>,
    /// A picture the person chose for the account, or one an import carried ([`crate::icon`]); `None` shows
    /// the service's brand icon or its initial.
    pub icon: Option<crate::icon::Icon>,
}

/// The followed source an account came from, and what that source last said about it
/// (`docs/vault-format.md`, "origin").
#[derive(Clone, PartialEq, Eq)]
pub struct Origin {
    /// The follow source ([`crate::follow::Source::id`]).
    pub source: uuid::Uuid,
    /// The source's own id of the entry (Aegis: the entry's `uuid`), or `key:` and a digest of the key and
    /// parameters for formats without entry ids.
    pub entry: String,
    /// The entry is no longer in the source's newest backup. Never deleted automatically: the person decides.
    pub removed: bool,
    /// The values the last applied backup held, to tell which side changed a field (a three-way merge).
    pub phone: PhoneValues,
}

/// An entry's fields as the phone last had them.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct PhoneValues {
    pub issuer: String,
    pub name: String,
    pub groups: Vec<String>,
    pub note: String,
    pub favorite: bool,
    /// Hex SHA-256 of the key and its parameters ([`crate::follow::key_digest`]): whether the phone changed the
    /// key. Not the key, but a digest of a short key could be searched for, so it stays out of `Debug`.
    pub key: String,
}

impl fmt::Debug for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Origin")
            .field("source", &self.source)
            .field("entry", &self.entry)
            .field("removed", &self.removed)
            .field("phone", &self.phone)
            .finish()
    }
}

impl fmt::Debug for PhoneValues {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PhoneValues")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("groups", &self.groups)
            .field("favorite", &self.favorite)
            .field("key", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl Account {
    /// A new account with a fresh id and no user metadata; `now` is Unix seconds.
    pub fn new(issuer: impl Into<String>, name: impl Into<String>, secret: Secret, otp: OtpParams, now: i64) -> Self {
        Self {
            id: AccountId::new_random(),
            issuer: issuer.into(),
            name: name.into(),
            secret,
            otp,
            groups: Vec::new(),
            note: String::new(),
            recovery_codes: Vec::new(),
            favorite: false,
            order: 0,
            created: now,
            updated: now,
            last_used: None,
            use_count: 0,
            origin: None,
            icon: None,
        }
    }

    /// `Issuer (name)`, `Issuer`, `name`, or "(unnamed account)": how the CLI names the account.
    pub fn display_name(&self) -> String {
        or_unnamed(&self.label()).to_owned()
    }

    /// [`label`] of the account: empty when it has neither issuer nor name.
    pub fn label(&self) -> String {
        label(&self.issuer, &self.name)
    }

    /// True when `other` produces the same codes: a duplicate, whatever the names (the one definition,
    /// [`crate::duplicates::KeyPrint`]; compare many accounts with [`crate::duplicates::mark`]).
    pub fn same_key_as(&self, other: &Account) -> bool {
        crate::duplicates::KeyPrint::same(self, other)
    }
}

/// What the CLI and logs call an account with neither issuer nor name.
pub const UNNAMED: &str = "(unnamed account)";

/// `Issuer (name)`, `Issuer` or `name`: how an account (or an entry of a file) is named in messages and
/// reports. Empty when both are: each front end words that in its own language ([`or_unnamed`] in English).
pub fn label(issuer: &str, name: &str) -> String {
    match (issuer.is_empty(), name.is_empty()) {
        (false, false) => format!("{issuer} ({name})"),
        (false, true) => issuer.to_owned(),
        (true, false) => name.to_owned(),
        (true, true) => String::new(),
    }
}

/// `label` as the CLI shows it: [`UNNAMED`] when it is empty.
pub fn or_unnamed(label: &str) -> &str {
    if label.is_empty() { UNNAMED } else { label }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Ids order as their bytes do (the order `Uuid` has, and the one sorted lists in files were written
        /// in), though compared as one integer.
        #[test]
        fn ids_order_as_their_bytes(a: [u8; 16], b: [u8; 16]) {
            let (x, y) = (AccountId(uuid::Uuid::from_bytes(a)), AccountId(uuid::Uuid::from_bytes(b)));
            proptest::prop_assert_eq!(x.cmp(&y), a.cmp(&b));
            proptest::prop_assert_eq!(x.partial_cmp(&y), Some(a.cmp(&b)));
            let (x, y) = (crate::vault::DeviceId(uuid::Uuid::from_bytes(a)), crate::vault::DeviceId(uuid::Uuid::from_bytes(b)));
            proptest::prop_assert_eq!(x.cmp(&y), a.cmp(&b));
        }
    }

    #[test]
    fn account_debug_hides_secret_and_recovery_codes() {
        let mut a = Account::new(
            "GitHub",
            "alice",
            Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap(),
            OtpParams::default_totp(),
            0,
        );
        a.recovery_codes.push(RecoveryCode { code: "abcd-efgh-1234".to_string().into(), used: false });
        let dbg = format!("{a:?}");
        assert!(dbg.contains("<redacted>"));
        assert!(!dbg.contains("JBSW"));
        assert!(!dbg.contains("abcd-efgh"));
        assert_eq!(a.display_name(), "GitHub (alice)");
    }

    /// One rule names accounts and import entries: the label is empty when there is no name at all (front
    /// ends word that in their language), the CLI's display name says "(unnamed account)".
    #[test]
    fn labels_and_display_names() {
        assert_eq!(label("GitHub", "alice"), "GitHub (alice)");
        assert_eq!(label("GitHub", ""), "GitHub");
        assert_eq!(label("", "alice"), "alice");
        assert_eq!(label("", ""), "");
        let a = Account::new("", "", Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap(), OtpParams::default_totp(), 0);
        assert_eq!(a.label(), "");
        assert_eq!(a.display_name(), "(unnamed account)");
    }
}
