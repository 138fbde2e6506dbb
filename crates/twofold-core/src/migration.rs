//! Google Authenticator transfer links: `otpauth-migration://offline?data=…`, read and written.
//!
//! Spec (reverse-engineered, as used by Aegis, extract_otp_secrets and dim13/otpauth): `data` is standard
//! base64 of a protobuf `MigrationPayload { repeated OtpParameters otp_parameters = 1; int32 version = 2;
//! int32 batch_size = 3; int32 batch_index = 4; int32 batch_id = 5; }` with `OtpParameters { bytes secret = 1;
//! string name = 2; string issuer = 3; Algorithm algorithm = 4 (0 unspecified, 1 SHA1, 2 SHA256, 3 SHA512,
//! 4 MD5); DigitCount digits = 5 (0 unspecified, 1 six, 2 eight); OtpType type = 6 (0 unspecified, 1 HOTP,
//! 2 TOTP); uint64 counter = 7; string unique_id = 8; }`. The protobuf is read and written by hand (a few
//! varints and length-delimited fields), so no code generator is needed.
//!
//! Reading is tolerant: `data` may or may not be percent-encoded, and a `+` is never taken for a space (a
//! space is put back as `+`); URL-safe base64 and missing padding are accepted. Each account is converted on
//! its own: one unsupported account (MD5, an unknown type) is reported in [`Decoded::rejected`] and the
//! others are kept. `name` often carries an `Issuer:` prefix; it is removed when it equals the issuer.
//!
//! Lost: the format has no period (always 30 s) and only 6 or 8 digits, so accounts with other periods or
//! digit counts, and Steam accounts, cannot be written ([`encode`] lists them in [`Encoded::skipped`]).

use std::collections::BTreeMap;

use zeroize::Zeroizing;

use crate::model::{Account, AccountId, Algorithm, OtpKind, OtpParams};
use crate::secret::{Secret, SecretError};
use crate::uri::{percent_decode, quote, strip_prefix_ignore_case};

/// Longest link we read (a full Google export QR code holds under 3 KB).
pub const MAX_LINK_LEN: usize = 64 * 1024;
/// At most this many accounts are written into one link (Google Authenticator itself puts about 10 per QR).
pub const MAX_ACCOUNTS_PER_LINK: usize = 10;
/// A link is closed once its protobuf payload reaches this many bytes, so that each QR code stays easy to
/// scan from a screen (about 1 KiB of base64 text, a version 20–25 QR code).
pub const MAX_PAYLOAD_BYTES: usize = 768;

const SCHEME: &str = "otpauth-migration://";

/// Why a transfer link could not be read. Never carries key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MigrationError {
    #[error("link is empty")]
    Empty,
    #[error("link is too long ({len} bytes; at most {max})")]
    TooLong { len: usize, max: usize },
    #[error("not an otpauth-migration:// link")]
    NotMigration,
    #[error("transfer link has no `data` parameter")]
    MissingData,
    #[error("transfer link data is not valid base64")]
    InvalidBase64,
    #[error("transfer link data is not a google authenticator payload ({reason})")]
    InvalidPayload { reason: &'static str },
    #[error("transfer link holds no accounts")]
    NoAccounts,
}

/// Why one account of a transfer link was not taken (or not written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EntryError {
    #[error("account has no secret")]
    MissingSecret,
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("unsupported algorithm {0}")]
    UnsupportedAlgorithm(&'static str),
    #[error("unknown algorithm number {0}")]
    UnknownAlgorithm(u64),
    #[error("unknown digit count number {0}")]
    UnknownDigits(u64),
    #[error("account has no otp type")]
    MissingType,
    #[error("unknown otp type number {0}")]
    UnknownType(u64),
    #[error("google authenticator transfer cannot hold steam guard accounts")]
    SteamUnsupported,
    #[error("google authenticator transfer only holds 30-second accounts, not {0} s")]
    PeriodUnsupported(u32),
    #[error("google authenticator transfer only holds 6 or 8 digits, not {0}")]
    DigitsUnsupported(u8),
}

/// Where a link sits in a multi-part export. Absent fields read as 0 (so `size` 0 means "not stated").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub struct BatchInfo {
    pub version: i32,
    /// How many links the export has.
    pub size: i32,
    /// This link's position, from 0.
    pub index: i32,
    /// Shared by every link of one export.
    pub id: i32,
}

/// One account read from a transfer link.
#[derive(Debug, Clone, PartialEq)]
pub struct MigrationAccount {
    pub issuer: String,
    pub name: String,
    pub secret: Secret,
    pub otp: OtpParams,
}

impl MigrationAccount {
    /// A new account (fresh id, no user metadata) created at `now` (Unix seconds).
    pub fn into_account(self, now: i64) -> Account {
        Account::new(self.issuer, self.name, self.secret, self.otp, now)
    }
}

/// An account of the payload that was not taken, with its position and label (never its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// Position of the account in the payload, from 0.
    pub index: usize,
    pub issuer: String,
    pub name: String,
    pub error: EntryError,
}

/// A transfer link, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub batch: BatchInfo,
    pub accounts: Vec<MigrationAccount>,
    pub rejected: Vec<Rejected>,
}

/// Reads an `otpauth-migration://offline?data=…` link.
pub fn decode(link: &str) -> Result<Decoded, MigrationError> {
    if link.len() > MAX_LINK_LEN {
        return Err(MigrationError::TooLong { len: link.len(), max: MAX_LINK_LEN });
    }
    let link = link.trim();
    if link.is_empty() {
        return Err(MigrationError::Empty);
    }
    let rest = strip_prefix_ignore_case(link, SCHEME).ok_or(MigrationError::NotMigration)?;
    let query = rest.split_once('?').map(|(_, q)| q).ok_or(MigrationError::MissingData)?;
    let query = query.split('#').next().unwrap_or_default();
    let raw = query
        .split('&')
        .find_map(|p| p.split_once('=').filter(|(k, _)| k.trim().eq_ignore_ascii_case("data")).map(|(_, v)| v))
        .ok_or(MigrationError::MissingData)?;
    let payload = decode_base64(raw)?;
    decode_payload(&payload)
}

/// Reads the protobuf payload (the bytes inside `data`).
pub fn decode_payload(bytes: &[u8]) -> Result<Decoded, MigrationError> {
    let mut batch = BatchInfo::default();
    let mut accounts = Vec::new();
    let mut rejected = Vec::new();
    let mut count = 0usize;
    let mut reader = Reader::new(bytes);
    while let Some((field, value)) = reader.next_field()? {
        match (field, value) {
            (1, Value::Bytes(b)) => {
                let raw = RawEntry::read(b)?;
                match raw.convert() {
                    Ok(a) => accounts.push(a),
                    Err(error) => {
                        let (issuer, name) = raw.labels();
                        rejected.push(Rejected { index: count, issuer, name, error });
                    }
                }
                count += 1;
            }
            // int32 fields: negative values are sign-extended 10-byte varints; keep the low 32 bits.
            (2, Value::Varint(v)) => batch.version = v as i32,
            (3, Value::Varint(v)) => batch.size = v as i32,
            (4, Value::Varint(v)) => batch.index = v as i32,
            (5, Value::Varint(v)) => batch.id = v as i32,
            (1..=5, _) => return Err(MigrationError::InvalidPayload { reason: "a field has the wrong type" }),
            _ => {}
        }
    }
    if count == 0 {
        return Err(MigrationError::NoAccounts);
    }
    Ok(Decoded { batch, accounts, rejected })
}

fn decode_base64(raw: &str) -> Result<Zeroizing<Vec<u8>>, MigrationError> {
    // Never `+` → space: a raw `+` is base64. A space can only be a `+` that something else decoded.
    let text = Zeroizing::new(percent_decode(raw, false));
    let mut clean = Zeroizing::new(String::with_capacity(text.len()));
    for c in text.chars() {
        match c {
            ' ' => clean.push('+'),
            '-' => clean.push('+'),
            '_' => clean.push('/'),
            '=' | '\n' | '\r' | '\t' => {}
            c => clean.push(c),
        }
    }
    if clean.is_empty() {
        return Err(MigrationError::MissingData);
    }
    data_encoding::BASE64_NOPAD.decode(clean.as_bytes()).map(Zeroizing::new).map_err(|_| MigrationError::InvalidBase64)
}

/// One `OtpParameters` message as stored, before conversion.
#[derive(Default)]
struct RawEntry {
    secret: Zeroizing<Vec<u8>>,
    name: String,
    issuer: String,
    algorithm: u64,
    digits: u64,
    kind: u64,
    counter: u64,
}

impl RawEntry {
    fn read(bytes: &[u8]) -> Result<Self, MigrationError> {
        let mut e = RawEntry::default();
        let mut reader = Reader::new(bytes);
        while let Some((field, value)) = reader.next_field()? {
            match (field, value) {
                (1, Value::Bytes(b)) => e.secret = Zeroizing::new(b.to_vec()),
                (2, Value::Bytes(b)) => e.name = String::from_utf8_lossy(b).into_owned(),
                (3, Value::Bytes(b)) => e.issuer = String::from_utf8_lossy(b).into_owned(),
                (4, Value::Varint(v)) => e.algorithm = v,
                (5, Value::Varint(v)) => e.digits = v,
                (6, Value::Varint(v)) => e.kind = v,
                (7, Value::Varint(v)) => e.counter = v,
                // unique_id: Google's own identifier, not kept.
                (8, Value::Bytes(_)) => {}
                (1..=8, _) => return Err(MigrationError::InvalidPayload { reason: "a field has the wrong type" }),
                _ => {}
            }
        }
        Ok(e)
    }

    fn labels(&self) -> (String, String) {
        let issuer = self.issuer.trim().to_owned();
        let name = match self.name.strip_prefix(issuer.as_str()).and_then(|r| r.strip_prefix(':')) {
            Some(rest) if !issuer.is_empty() => rest.trim().to_owned(),
            _ => self.name.trim().to_owned(),
        };
        (issuer, name)
    }

    fn convert(&self) -> Result<MigrationAccount, EntryError> {
        if self.secret.is_empty() {
            return Err(EntryError::MissingSecret);
        }
        let algorithm = match self.algorithm {
            0 | 1 => Algorithm::Sha1,
            2 => Algorithm::Sha256,
            3 => Algorithm::Sha512,
            4 => return Err(EntryError::UnsupportedAlgorithm("MD5")),
            n => return Err(EntryError::UnknownAlgorithm(n)),
        };
        let digits = match self.digits {
            0 | 1 => 6,
            2 => 8,
            n => return Err(EntryError::UnknownDigits(n)),
        };
        let kind = match self.kind {
            1 => OtpKind::Hotp { counter: self.counter },
            2 => OtpKind::Totp { period: OtpParams::DEFAULT_PERIOD },
            0 => return Err(EntryError::MissingType),
            n => return Err(EntryError::UnknownType(n)),
        };
        let secret = Secret::from_bytes(self.secret.to_vec())?;
        let (issuer, name) = self.labels();
        Ok(MigrationAccount { issuer, name, secret, otp: OtpParams { kind, algorithm, digits } })
    }
}

enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

/// A minimal protobuf wire-format reader over a byte slice; every read is bounds-checked.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    fn varint(&mut self) -> Result<u64, MigrationError> {
        let mut value = 0u64;
        for i in 0..10 {
            let b = *self.bytes.get(self.pos).ok_or(MigrationError::InvalidPayload { reason: "truncated" })?;
            self.pos += 1;
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(MigrationError::InvalidPayload { reason: "a number is too long" })
    }

    fn take(&mut self, len: u64) -> Result<&'a [u8], MigrationError> {
        let truncated = MigrationError::InvalidPayload { reason: "truncated" };
        let len = usize::try_from(len).map_err(|_| truncated.clone())?;
        let end = self.pos.checked_add(len).filter(|end| *end <= self.bytes.len()).ok_or(truncated)?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn next_field(&mut self) -> Result<Option<(u64, Value<'a>)>, MigrationError> {
        if self.pos >= self.bytes.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        let field = key >> 3;
        if field == 0 {
            return Err(MigrationError::InvalidPayload { reason: "field number 0" });
        }
        let value = match key & 7 {
            0 => Value::Varint(self.varint()?),
            1 => {
                self.take(8)?;
                Value::Fixed
            }
            2 => {
                let len = self.varint()?;
                Value::Bytes(self.take(len)?)
            }
            5 => {
                self.take(4)?;
                Value::Fixed
            }
            _ => return Err(MigrationError::InvalidPayload { reason: "unsupported wire type" }),
        };
        Ok(Some((field, value)))
    }
}

/// Accounts written as transfer links.
#[derive(Debug)]
pub struct Encoded {
    /// One link per QR code, in batch order. They hold secrets, hence `Zeroizing`.
    pub links: Vec<Zeroizing<String>>,
    /// Accounts the format cannot hold, with the reason.
    pub skipped: Vec<(AccountId, EntryError)>,
}

/// Writes accounts as one or more transfer links (a batch sharing `batch_id`; the caller picks it, e.g. at
/// random, so this function stays deterministic). Each link holds at most [`MAX_ACCOUNTS_PER_LINK`] accounts
/// and closes once its payload reaches [`MAX_PAYLOAD_BYTES`].
pub fn encode(accounts: &[Account], batch_id: i32) -> Encoded {
    let mut skipped = Vec::new();
    let mut parts: Vec<Vec<Zeroizing<Vec<u8>>>> = Vec::new();
    let mut current: Vec<Zeroizing<Vec<u8>>> = Vec::new();
    let mut current_len = 0usize;
    for account in accounts {
        let entry = match encode_entry(account) {
            Ok(e) => e,
            Err(error) => {
                skipped.push((account.id, error));
                continue;
            }
        };
        if !current.is_empty()
            && (current.len() >= MAX_ACCOUNTS_PER_LINK || current_len + entry.len() > MAX_PAYLOAD_BYTES)
        {
            parts.push(std::mem::take(&mut current));
            current_len = 0;
        }
        current_len += entry.len() + 4;
        current.push(entry);
    }
    if !current.is_empty() {
        parts.push(current);
    }
    let size = i32::try_from(parts.len()).unwrap_or(i32::MAX);
    let links = parts
        .iter()
        .enumerate()
        .map(|(index, entries)| {
            let mut payload = Zeroizing::new(Vec::new());
            for e in entries {
                put_bytes(&mut payload, 1, e);
            }
            put_varint_field(&mut payload, 2, 1);
            put_varint_field(&mut payload, 3, int32_wire(size));
            put_varint_field(&mut payload, 4, int32_wire(i32::try_from(index).unwrap_or(i32::MAX)));
            put_varint_field(&mut payload, 5, int32_wire(batch_id));
            let b64 = Zeroizing::new(data_encoding::BASE64.encode(&payload));
            let mut link = Zeroizing::new(String::with_capacity(SCHEME.len() + 14 + b64.len() * 3 / 2));
            link.push_str(SCHEME);
            link.push_str("offline?data=");
            crate::uri::percent_encode_into(&mut link, &b64);
            link
        })
        .collect();
    Encoded { links, skipped }
}

fn encode_entry(account: &Account) -> Result<Zeroizing<Vec<u8>>, EntryError> {
    let otp = &account.otp;
    let (kind, counter) = match otp.kind {
        OtpKind::Totp { period: 30 } => (2, None),
        OtpKind::Totp { period } => return Err(EntryError::PeriodUnsupported(period)),
        OtpKind::Hotp { counter } => (1, Some(counter)),
        OtpKind::Steam { .. } => return Err(EntryError::SteamUnsupported),
    };
    let digits = match otp.digits {
        6 => 1,
        8 => 2,
        d => return Err(EntryError::DigitsUnsupported(d)),
    };
    let algorithm = match otp.algorithm {
        Algorithm::Sha1 => 1,
        Algorithm::Sha256 => 2,
        Algorithm::Sha512 => 3,
    };
    // Google Authenticator stores the whole label in `name`; writing `Issuer:name` lets any reader that
    // strips an equal prefix (as we do) recover a name that itself starts with `Issuer:`.
    let name =
        if account.issuer.is_empty() { account.name.clone() } else { format!("{}:{}", account.issuer, account.name) };
    let mut out = Zeroizing::new(Vec::with_capacity(64 + name.len()));
    put_bytes(&mut out, 1, account.secret.as_bytes());
    put_bytes(&mut out, 2, name.as_bytes());
    if !account.issuer.is_empty() {
        put_bytes(&mut out, 3, account.issuer.as_bytes());
    }
    put_varint_field(&mut out, 4, algorithm);
    put_varint_field(&mut out, 5, digits);
    put_varint_field(&mut out, 6, kind);
    if let Some(counter) = counter {
        put_varint_field(&mut out, 7, counter);
    }
    Ok(out)
}

fn int32_wire(v: i32) -> u64 {
    // Protobuf int32: negative numbers are sign-extended to 64 bits.
    i64::from(v) as u64
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_varint_field(out: &mut Vec<u8>, field: u64, v: u64) {
    put_varint(out, field << 3);
    put_varint(out, v);
}

fn put_bytes(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    put_varint(out, (field << 3) | 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Collects the links of a multi-part export (scanned in any order, repeats ignored) until all are there.
#[derive(Debug, Default)]
pub struct BatchCollector {
    id: Option<i32>,
    size: usize,
    parts: BTreeMap<i32, Decoded>,
}

/// What [`BatchCollector::add`] made of a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchProgress {
    /// `received` of `total` links are in.
    Partial { received: usize, total: usize },
    /// Every link is in; call [`BatchCollector::finish`].
    Complete,
    /// The link belongs to another export than the ones already scanned.
    OtherBatch,
}

impl BatchCollector {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one decoded link.
    pub fn add(&mut self, part: Decoded) -> BatchProgress {
        if let Some(id) = self.id
            && id != part.batch.id
        {
            return BatchProgress::OtherBatch;
        }
        self.id = Some(part.batch.id);
        self.size = self.size.max(usize::try_from(part.batch.size).unwrap_or(0)).max(1);
        self.parts.entry(part.batch.index).or_insert(part);
        if self.parts.len() >= self.size {
            BatchProgress::Complete
        } else {
            BatchProgress::Partial { received: self.parts.len(), total: self.size }
        }
    }

    /// Every account of the links added so far, in batch order, with the rejected ones.
    pub fn finish(self) -> (Vec<MigrationAccount>, Vec<Rejected>) {
        let mut accounts = Vec::new();
        let mut rejected = Vec::new();
        for (_, part) in self.parts {
            accounts.extend(part.accounts);
            rejected.extend(part.rejected);
        }
        (accounts, rejected)
    }
}

/// A short, secret-free description of a rejected account, for messages: `entry 2 (GitHub: alice)`.
impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let label = match (self.issuer.is_empty(), self.name.is_empty()) {
            (false, false) => format!(" ({}: {})", quote(&self.issuer), quote(&self.name)),
            (false, true) => format!(" ({})", quote(&self.issuer)),
            (true, false) => format!(" ({})", quote(&self.name)),
            (true, true) => String::new(),
        };
        write!(f, "entry {}{}: {}", self.index + 1, label, self.error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(issuer: &str, name: &str, otp: OtpParams) -> Account {
        Account::new(issuer, name, Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap(), otp, 0)
    }

    #[test]
    fn dim13_vector_with_raw_plus() {
        let d = decode("otpauth-migration://offline?data=CjsKFBHMQnKu/odWlB/zUy+dfiRIaHj0EhhFeGFtcGxlOmFsaWNlQGdvb2dsZS5jb20aB0V4YW1wbGUwAg==").unwrap();
        assert_eq!(d.accounts.len(), 1);
        assert_eq!(d.accounts[0].issuer, "Example");
        assert_eq!(d.accounts[0].name, "alice@google.com");
        assert_eq!(&*d.accounts[0].secret.to_base32(), "CHGEE4VO72DVNFA76NJS7HL6EREGQ6HU");
    }

    #[test]
    fn encode_then_decode_round_trips_and_splits() {
        let mut accounts: Vec<Account> =
            (0..23).map(|i| account("Issuer", &format!("user{i}"), OtpParams::default_totp())).collect();
        accounts.push(account("Steam", "x", OtpParams::steam()));
        accounts.push(account(
            "A",
            "A:b",
            OtpParams { kind: OtpKind::Hotp { counter: u64::MAX }, ..OtpParams::default_totp() },
        ));
        let enc = encode(&accounts, -5);
        assert_eq!(enc.skipped.len(), 1);
        assert_eq!(enc.links.len(), 3);
        let mut collector = BatchCollector::new();
        for (i, link) in enc.links.iter().enumerate().rev() {
            let d = decode(link).unwrap();
            assert_eq!(d.batch, BatchInfo { version: 1, size: 3, index: i as i32, id: -5 });
            let progress = collector.add(d);
            assert_eq!(progress == BatchProgress::Complete, i == 0);
        }
        let (got, rejected) = collector.finish();
        assert!(rejected.is_empty());
        assert_eq!(got.len(), 24);
        assert_eq!(got[23].name, "A:b");
        assert_eq!(got[23].otp.kind, OtpKind::Hotp { counter: u64::MAX });
    }

    #[test]
    fn garbage_is_a_clear_error() {
        assert_eq!(
            decode("otpauth-migration://offline?data=XXXX"),
            Err(MigrationError::InvalidPayload { reason: "truncated" })
        );
        assert_eq!(decode("totp://offline?data=AA"), Err(MigrationError::NotMigration));
        assert_eq!(decode("otpauth-migration://offline?datafail=AA"), Err(MigrationError::MissingData));
        assert_eq!(decode("otpauth-migration://offline?data=inv@lid"), Err(MigrationError::InvalidBase64));
    }
}
