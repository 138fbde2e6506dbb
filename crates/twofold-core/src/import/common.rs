//! Pieces every importer shares: the draft entry each format produces, its conversion into an [`Account`]
//! with one set of validation rules, lenient secret decoding, text helpers; the crypto is `crate::crypto`.

use std::collections::HashMap;

use zeroize::Zeroizing;

use super::{EntryProblem, EntryWarning, ImportError, ProblemKind, Why};
use crate::model::{Account, Algorithm, OtpKind, OtpParams};
use crate::secret::{Secret, SecretError};
use crate::uri::LinkWarning;

/// How a format stores the secret key.
pub(crate) enum SecretText {
    /// Base32 text, decoded leniently: any case, separators and padding ignored, trailing bits dropped.
    Base32(Zeroizing<String>),
    Hex(Zeroizing<String>),
    Base64(Zeroizing<String>),
    Bytes(Zeroizing<Vec<u8>>),
    /// The format did not carry a secret at all.
    Missing,
}

impl SecretText {
    pub(crate) fn base32(text: &str) -> Self {
        Self::Base32(Zeroizing::new(text.to_owned()))
    }
}

/// The kind of an entry as the format names it, before we decide whether we support it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DraftKind {
    Totp,
    Hotp,
    Steam,
    /// A kind we do not compute (mOTP, Yandex, …): reported by this name.
    Unsupported(String),
}

/// One entry as read from a file, with the format's raw values; [`Draft::finish`] validates it.
pub(crate) struct Draft {
    pub kind: DraftKind,
    pub issuer: String,
    pub name: String,
    pub secret: SecretText,
    /// Algorithm name as stored (`None` = not stored: SHA-1).
    pub algorithm: Option<String>,
    pub digits: Option<i64>,
    pub period: Option<i64>,
    pub counter: Option<i64>,
    pub groups: Vec<String>,
    pub note: String,
    pub favorite: bool,
    /// Remarks from reading the entry's link (an unusual key length), kept for the report.
    pub warnings: Vec<LinkWarning>,
    /// The app's own id of the entry (Aegis: `uuid`), where the format has one: followed backups match by it.
    pub entry_id: Option<String>,
    /// The entry's picture, already made into our icon ([`crate::icon`]), where the format carries one.
    pub icon: Option<crate::icon::Icon>,
}

impl Draft {
    pub(crate) fn new(kind: DraftKind, issuer: impl Into<String>, name: impl Into<String>, secret: SecretText) -> Self {
        Self {
            kind,
            issuer: issuer.into(),
            name: name.into(),
            secret,
            algorithm: None,
            digits: None,
            period: None,
            counter: None,
            groups: Vec::new(),
            note: String::new(),
            favorite: false,
            warnings: Vec::new(),
            entry_id: None,
            icon: None,
        }
    }

    /// `Issuer (name)` for messages about this entry (empty when it has neither).
    pub(crate) fn label(&self) -> String {
        crate::model::label(&self.issuer, &self.name)
    }

    /// Validates the draft and builds the account; `order` is its position in the file. Also returns the key's
    /// remark when the typed-key rule would refuse it and the entry's link has not said so already.
    pub(crate) fn finish(self, order: usize, now: i64) -> Result<(Account, Option<LinkWarning>), EntryProblem> {
        let label = self.label();
        let problem = |kind| EntryProblem { label: label.clone(), line: None, kind };
        let period_default = OtpParams::DEFAULT_PERIOD;
        let kind = match &self.kind {
            DraftKind::Unsupported(name) => return Err(problem(ProblemKind::UnsupportedType { kind: name.clone() })),
            DraftKind::Totp => OtpKind::Totp { period: check_period(self.period, period_default).map_err(problem)? },
            DraftKind::Steam => OtpKind::Steam { period: check_period(self.period, period_default).map_err(problem)? },
            DraftKind::Hotp => {
                let counter = self.counter.unwrap_or(0);
                let counter = u64::try_from(counter).map_err(|_| {
                    problem(ProblemKind::InvalidParameter(Why::Negative { field: "counter".into(), value: counter }))
                })?;
                OtpKind::Hotp { counter }
            }
        };
        let algorithm = match &self.algorithm {
            None => Algorithm::Sha1,
            Some(name) => parse_algorithm(name).map_err(problem)?,
        };
        // Steam Guard codes are always 5 characters, whatever digit count an app stored beside them.
        let digits = match self.digits {
            _ if self.kind == DraftKind::Steam => OtpParams::STEAM_DIGITS,
            None => OtpParams::DEFAULT_DIGITS,
            Some(d) => match u8::try_from(d) {
                Ok(d) if (OtpParams::MIN_DIGITS..=OtpParams::MAX_DIGITS).contains(&d) => d,
                _ => {
                    return Err(problem(ProblemKind::InvalidParameter(Why::OutOfRange {
                        field: "digits".into(),
                        value: d,
                        min: OtpParams::MIN_DIGITS.into(),
                        max: OtpParams::MAX_DIGITS.into(),
                    })));
                }
            },
        };
        let (secret, key_problem) = decode_secret(&self.secret).map_err(problem)?;
        let key_warning =
            key_problem.and_then(LinkWarning::for_key).filter(|_| !self.warnings.iter().any(LinkWarning::is_about_key));
        let mut account = Account::new(self.issuer, self.name, secret, OtpParams { kind, algorithm, digits }, now);
        account.groups = self.groups;
        account.note = self.note;
        account.favorite = self.favorite;
        account.icon = self.icon;
        account.order = i64::try_from(order).unwrap_or(i64::MAX);
        Ok((account, key_warning))
    }
}

fn check_period(period: Option<i64>, default: u32) -> Result<u32, ProblemKind> {
    match period {
        None => Ok(default),
        Some(p) => match u32::try_from(p) {
            Ok(p) if (OtpParams::MIN_PERIOD..=OtpParams::MAX_PERIOD).contains(&p) => Ok(p),
            _ => Err(ProblemKind::InvalidParameter(Why::OutOfRange {
                field: "period".into(),
                value: p,
                min: OtpParams::MIN_PERIOD.into(),
                max: OtpParams::MAX_PERIOD.into(),
            })),
        },
    }
}

/// `SHA1`, `sha-256`, `HmacSHA512`, `HMAC-SHA1` … → the algorithm; anything else is an invalid parameter.
pub(crate) fn parse_algorithm(name: &str) -> Result<Algorithm, ProblemKind> {
    let upper = name.trim().to_ascii_uppercase().replace(['-', '_'], "");
    let bare = upper.strip_prefix("HMAC").unwrap_or(&upper);
    match bare {
        "SHA1" | "" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        "SHA512" => Ok(Algorithm::Sha512),
        _ => Err(ProblemKind::InvalidParameter(Why::unknown("algorithm", name))),
    }
}

/// Shortens a text from a file before it goes into a message.
pub(crate) fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// Decodes any stored secret, with what the typed-key rule ([`Secret::parse_typed`]) would refuse in it as a
/// remark. Base32 is read leniently: lengths a strict decoder refuses (7, 9, 17 … characters) and keys shorter
/// than 80 bits are common in other apps' exports and those apps compute codes from the whole bytes, so we
/// keep the account as they do and warn rather than lose it.
pub(crate) fn decode_secret(secret: &SecretText) -> Result<(Secret, Option<SecretError>), ProblemKind> {
    let bytes = |secret: Secret| {
        let problem = secret.short_key_problem();
        (secret, problem)
    };
    match secret {
        SecretText::Missing => Err(ProblemKind::Secret(SecretError::Empty)),
        SecretText::Bytes(raw) => Secret::from_bytes(raw.to_vec()).map(bytes).map_err(ProblemKind::Secret),
        SecretText::Hex(text) => Secret::parse_hex(text).map(bytes).map_err(ProblemKind::Secret),
        SecretText::Base64(text) => {
            let clean: Zeroizing<String> = Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
            let raw = decode_base64(&clean).ok_or(ProblemKind::SecretNotBase64)?;
            Secret::from_bytes(raw.to_vec()).map(bytes).map_err(ProblemKind::Secret)
        }
        SecretText::Base32(text) => Secret::parse_carried(text).map_err(ProblemKind::Secret),
    }
}

/// Standard or URL-safe base64, padded or not. `None` when the text is not base64.
pub(crate) fn decode_base64(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let trimmed = text.trim().trim_end_matches('=');
    let spec = if trimmed.contains(['-', '_']) { data_encoding::BASE64URL_NOPAD } else { data_encoding::BASE64_NOPAD };
    // data-encoding is strict about the unused trailing bits; other apps' encoders are not always.
    let mut spec = spec.specification();
    spec.check_trailing_bits = false;
    let encoding = spec.encoding().ok()?;
    encoding.decode(trimmed.as_bytes()).ok().map(Zeroizing::new)
}

/// Lower-case hex to bytes (either case accepted).
pub(crate) fn decode_hex(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    data_encoding::HEXLOWER_PERMISSIVE.decode(text.trim().as_bytes()).ok().map(Zeroizing::new)
}

/// Finishes every draft: the accounts in file order, the entries that could not be read, and the warnings
/// of the accounts that were read (pointing into the accounts by index). Stops when `cancel` is set.
pub(crate) fn finish_all(
    drafts: Vec<Result<Draft, EntryProblem>>,
    now: i64,
    cancel: &super::Cancel,
) -> Result<Finished, ImportError> {
    let mut done = Finished {
        accounts: Vec::with_capacity(drafts.len()),
        problems: Vec::new(),
        warnings: Vec::new(),
        entry_ids: Vec::with_capacity(drafts.len()),
    };
    for (i, draft) in drafts.into_iter().enumerate() {
        if i % 1024 == 0 {
            cancel.check()?;
        }
        let draft = match draft {
            Ok(d) => d,
            Err(p) => {
                done.problems.push(p);
                continue;
            }
        };
        let label = draft.label();
        let mut warnings = draft.warnings.clone();
        let entry_id = draft.entry_id.clone();
        match draft.finish(i, now) {
            Ok((a, key_warning)) => {
                warnings.extend(key_warning);
                let index = done.accounts.len();
                done.warnings.extend(warnings.into_iter().map(|warning| EntryWarning {
                    index,
                    label: label.clone(),
                    warning,
                }));
                done.accounts.push(a);
                done.entry_ids.push(entry_id);
            }
            Err(p) => done.problems.push(p),
        }
    }
    Ok(done)
}

/// What [`finish_all`] returns.
pub(crate) struct Finished {
    pub accounts: Vec<Account>,
    pub problems: Vec<EntryProblem>,
    pub warnings: Vec<EntryWarning>,
    pub entry_ids: Vec<Option<String>>,
}

// ---- JSON helpers -------------------------------------------------------------------------------------

pub(crate) type Json = serde_json::Value;
pub(crate) use crate::wipe::SecretJson;

/// Parses a file (or decrypted plaintext) whose strings may hold keys; the document is scrubbed when dropped.
/// serde's own message is left out of the error: it can quote the file's text, keys included.
pub(crate) fn parse_json(bytes: &[u8]) -> Result<SecretJson, ImportError> {
    serde_json::from_slice(strip_bom(bytes)).map(SecretJson).map_err(|_| damaged(Why::NotJson))
}

/// The [`ImportError::Damaged`] for `why`.
pub(crate) fn damaged(why: Why) -> ImportError {
    ImportError::Damaged { why }
}

/// [`parse_json`] for text taken out of another container (XML preferences, a Java stream).
pub(crate) fn parse_json_str(text: &str) -> Option<SecretJson> {
    serde_json::from_str(text).ok().map(SecretJson)
}

pub(crate) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// A string field; numbers are turned into text, null/missing gives "".
pub(crate) fn s(v: &Json, key: &str) -> String {
    match v.get(key) {
        Some(Json::String(s)) => s.clone(),
        Some(Json::Number(n)) => n.to_string(),
        Some(Json::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// An optional string field (missing and null are `None`).
pub(crate) fn opt_s(v: &Json, key: &str) -> Option<String> {
    match v.get(key) {
        Some(Json::String(s)) => Some(s.clone()),
        Some(Json::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

/// An integer field stored as a number or a numeric string; `Err` when present but not an integer.
pub(crate) fn int(v: &Json, key: &str) -> Result<Option<i64>, ProblemKind> {
    match v.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => match n.as_i64() {
            Some(i) => Ok(Some(i)),
            None => match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
                _ => Err(ProblemKind::InvalidParameter(Why::NotANumber { field: key.into(), value: n.to_string() })),
            },
        },
        Some(Json::String(t)) if t.trim().is_empty() => Ok(None),
        Some(Json::String(t)) => {
            t.trim().parse::<i64>().map(Some).map_err(|_| {
                ProblemKind::InvalidParameter(Why::NotANumber { field: key.into(), value: truncate(t, 20) })
            })
        }
        Some(other) => Err(ProblemKind::InvalidParameter(Why::NotANumber {
            field: key.into(),
            value: truncate(&other.to_string(), 20),
        })),
    }
}

/// The list `key` of `v`, or the file is damaged.
pub(crate) fn array<'a>(v: &'a Json, key: &str) -> Result<&'a Vec<Json>, ImportError> {
    v.get(key).and_then(Json::as_array).ok_or_else(|| damaged(Why::missing(key)))
}

/// A lookup table from `(key, value)` pairs where the first of repeated keys wins (what searching the list
/// with `find` gave). Formats' id → name lists become maps: a search per entry was quadratic.
pub(crate) fn first_wins<K: std::hash::Hash + Eq, V>(pairs: impl IntoIterator<Item = (K, V)>) -> HashMap<K, V> {
    let mut map = HashMap::new();
    for (k, v) in pairs {
        map.entry(k).or_insert(v);
    }
    map
}

pub(crate) fn problem(label: String, kind: ProblemKind) -> EntryProblem {
    EntryProblem { label, line: None, kind }
}

// ---- Android shared_prefs XML -----------------------------------------------------------------------

/// The text of an Android shared_prefs file, refused when it is not UTF-8 or lacks its closing `</map>`
/// (Android always writes it; without it the file was cut short).
pub(crate) fn shared_prefs(bytes: &[u8]) -> Result<&str, ImportError> {
    let text = std::str::from_utf8(strip_bom(bytes)).map_err(|_| damaged(Why::NotUtf8))?;
    if !text.trim_end().ends_with("</map>") {
        return Err(damaged(Why::EndsEarly));
    }
    Ok(text)
}

/// The value of `<string name="NAME">…</string>` in an Android shared_prefs file, unescaped.
/// An empty `<string name="NAME"/>` gives an empty value.
pub(crate) fn shared_pref_string(xml: &str, name: &str) -> Option<Zeroizing<String>> {
    pref_strings(xml, true).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// Every `<string name="…">…</string>` pair, in file order (empty `<string …/>` elements left out).
pub(crate) fn shared_pref_strings(xml: &str) -> Vec<(String, Zeroizing<String>)> {
    pref_strings(xml, false)
}

/// One pass over the text: every search starts where the last one ended, so no part of it is scanned twice
/// (a hostile file of a million unclosed or empty tags stays linear).
fn pref_strings(xml: &str, with_empty: bool) -> Vec<(String, Zeroizing<String>)> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find("<string") {
        rest = &rest[start + 7..];
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[..close];
        rest = &rest[close + 1..];
        if let Some(tag) = tag.strip_suffix('/') {
            if let Some(name) = attr(tag, "name").filter(|_| with_empty) {
                out.push((name, Zeroizing::new(String::new())));
            }
            continue;
        }
        let Some(end) = rest.find("</string>") else { break };
        if let Some(name) = attr(tag, "name") {
            out.push((name, xml_unescape(&rest[..end])));
        }
        rest = &rest[end + 9..];
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    for quote in ['"', '\''] {
        let needle = format!("{name}={quote}");
        if let Some(i) = tag.find(&needle) {
            let rest = &tag[i + needle.len()..];
            let end = rest.find(quote)?;
            return Some(String::clone(&xml_unescape(&rest[..end])));
        }
    }
    None
}

/// Longest entity we decode (`&#x10FFFF;` is 10 bytes with its `&`).
const MAX_ENTITY: usize = 10;

/// XML character and entity references decoded; anything else after `&` is kept as it is. Linear: the `;`
/// of an entity is looked for only in the few bytes an entity can span, never in the rest of the text.
pub(crate) fn xml_unescape(text: &str) -> Zeroizing<String> {
    // Decoding never lengthens the text, so this buffer never reallocates (no copy of a value left behind).
    let mut out = Zeroizing::new(String::with_capacity(text.len()));
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let window = &rest.as_bytes()[..rest.len().min(MAX_ENTITY + 1)];
        let decoded = window.iter().position(|&b| b == b';').and_then(|end| {
            let entity = &rest[1..end];
            let c = match entity {
                "quot" => Some('"'),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "apos" => Some('\''),
                _ => entity
                    .strip_prefix("#x")
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---- crypto --------------------------------------------------------------------------------------------

/// The shared primitives, named `common::crypto` where the importers use them.
pub(crate) use crate::crypto;

/// The password the caller gave, or the typed error asking for one.
pub(crate) fn need_password(password: Option<&str>) -> Result<&str, ImportError> {
    password.ok_or(ImportError::PasswordRequired)
}

/// Refuses KDF parameters that would make a hostile file allocate or compute without bound. `field` is the
/// parameter as the file names it.
pub(crate) fn check_kdf(field: &str, value: u64, min: u64, max: u64) -> Result<(), ImportError> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        let signed = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        Err(ImportError::KdfOutOfRange {
            why: Why::OutOfRange { field: field.into(), value: signed(value), min: signed(min), max: signed(max) },
        })
    }
}

/// The key-derivation library refused parameters that passed our checks.
pub(crate) fn kdf_refused() -> ImportError {
    ImportError::KdfOutOfRange { why: Why::KdfRefused }
}

/// Largest Argon2 cost a file may ask for, memory times passes: 1 GiB × 10 passes, the most Bitwarden
/// offers (Ente's "sensitive" setting is 1 GiB × 4). Each bound alone let a file ask for 1 GiB × 64.
pub(crate) const MAX_ARGON2_KIB_PASSES: u64 = 10 << 20;

/// Refuses an Argon2 memory × passes product above [`MAX_ARGON2_KIB_PASSES`].
pub(crate) fn check_argon2_cost(memory_kib: u64, passes: u64) -> Result<(), ImportError> {
    let cost = memory_kib.saturating_mul(passes);
    if cost > MAX_ARGON2_KIB_PASSES {
        return Err(ImportError::KdfOutOfRange { why: Why::TooMuchWork { work: cost, max: MAX_ARGON2_KIB_PASSES } });
    }
    Ok(())
}

#[cfg(test)]
pub(crate) fn parse_csv_for_tests(text: &str) -> Vec<Vec<String>> {
    super::bitwarden::parse_csv(text)
}
