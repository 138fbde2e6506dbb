//! `otpauth://` links (the Key URI Format of Google Authenticator), read tolerantly and written canonically.
//!
//! Spec: <https://github.com/google/google-authenticator/wiki/Key-Uri-Format>, plus what services and other
//! apps really emit. Read: `otpauth://totp|hotp|steam/LABEL?secret=…&issuer=…&algorithm=…&digits=…&period=…
//! &counter=…`, `encoder=steam` (KeePassXC), and Bitwarden's `steam://SECRET`. The label is `Issuer:account`
//! (literal or `%3A` colon, spaces around it ignored), percent-encoded; `+` means a space except inside an
//! e-mail address, where it is kept (Go's `url.PathEscape` leaves `+` unencoded, PHP's `urlencode` writes it
//! for a space). The issuer may be in the label, in the `issuer` parameter, or both: the parameter wins and a
//! disagreement is reported as a [`LinkWarning`], never refused. Parameter names are case-insensitive; the
//! first of repeated parameters wins (with a warning); unknown parameters (`image`, `icon`, …) are ignored.
//! Out-of-range values are [`LinkError`]s. Our own parser is used for untrusted input: `totp-rs`' parser
//! panics on `otpauth:totp` and rejects many real links.
//!
//! Lost when reading: unknown parameters. Written: Steam accounts as `otpauth://totp/…&encoder=steam`, with
//! `digits=5` so that an app that ignores `encoder` at least shows a code of the right length.

use std::fmt::Write as _;

use zeroize::Zeroizing;

use crate::model::{Account, Algorithm, OtpKind, OtpParams};
use crate::otp::OtpError;
use crate::secret::{Secret, SecretError};

/// Longest link we read. Real links are a few hundred bytes; the bound keeps hostile input cheap.
pub const MAX_LINK_LEN: usize = 64 * 1024;

/// Longest piece of user input quoted back in an error message.
const QUOTE_MAX: usize = 32;

/// Why a link could not be read. Never carries the secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LinkError {
    #[error("link is empty")]
    Empty,
    #[error("link is too long ({len} bytes; at most {max})")]
    TooLong { len: usize, max: usize },
    #[error("not an otpauth:// link")]
    NotOtpauth,
    #[error("this is a google authenticator transfer link (several accounts), not an otpauth:// link")]
    TransferLink,
    #[error("link has no type (expected otpauth://totp/…, otpauth://hotp/… or otpauth://steam/…)")]
    MissingType,
    #[error("unsupported otp type `{kind}` (expected totp, hotp or steam)")]
    UnsupportedType { kind: String },
    #[error("link has no secret")]
    MissingSecret,
    #[error(transparent)]
    Secret(#[from] SecretError),
    #[error("unsupported algorithm `{value}` (expected SHA1, SHA256 or SHA512)")]
    InvalidAlgorithm { value: String },
    #[error("digits must be a number from 4 to 10, not `{value}`")]
    InvalidDigits { value: String },
    #[error("period must be a number of seconds from 1 to 86400, not `{value}`")]
    InvalidPeriod { value: String },
    #[error("counter must be a whole number from 0 to 18446744073709551615, not `{value}`")]
    InvalidCounter { value: String },
    #[error("hotp link has no counter")]
    MissingCounter,
    #[error(transparent)]
    Otp(#[from] OtpError),
}

/// Something odd about a link that was read anyway.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LinkWarning {
    #[error("issuer `{param}` (parameter) differs from `{label}` (label); using `{param}`")]
    IssuerMismatch { label: String, param: String },
    #[error("parameter `{name}` appears more than once; using the first")]
    DuplicateParameter { name: String },
    #[error("parameter `{name}` is ignored for steam guard accounts")]
    IgnoredForSteam { name: String },
    /// The key's base32 does not end on a whole byte ([`SecretError::NotWholeBytes`]).
    #[error(
        "the key is {characters} base32 characters long, which is unusual: its last bits were dropped, as other apps \
         do; check that the codes match the service"
    )]
    UnusualKeyLength { characters: usize },
    /// The key is shorter than [`crate::secret::MIN_KEY_BITS`] ([`SecretError::TooShort`]).
    #[error("the key is only {bits} bits long (services issue at least {min}); check that the codes match the service")]
    ShortKey { bits: usize, min: usize },
}

impl LinkWarning {
    /// The warning for what the typed-key rule refuses in a key a link or a file carries.
    pub fn for_key(problem: SecretError) -> Option<Self> {
        match problem {
            SecretError::NotWholeBytes { characters } => Some(LinkWarning::UnusualKeyLength { characters }),
            SecretError::TooShort { bits, min } => Some(LinkWarning::ShortKey { bits, min }),
            _ => None,
        }
    }

    /// Whether this warning is about the key itself (so a second remark about the same key is not added).
    pub fn is_about_key(&self) -> bool {
        matches!(self, LinkWarning::UnusualKeyLength { .. } | LinkWarning::ShortKey { .. })
    }
}

/// A link, read: everything needed to build an [`Account`], plus warnings to show the user.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedLink {
    pub issuer: String,
    pub name: String,
    pub secret: Secret,
    pub otp: OtpParams,
    pub warnings: Vec<LinkWarning>,
}

impl ParsedLink {
    /// A new account (fresh id, no user metadata) created at `now` (Unix seconds).
    pub fn into_account(self, now: i64) -> Account {
        Account::new(self.issuer, self.name, self.secret, self.otp, now)
    }
}

/// Reads an `otpauth://` (or `steam://`) link.
pub fn parse(link: &str) -> Result<ParsedLink, LinkError> {
    if link.len() > MAX_LINK_LEN {
        return Err(LinkError::TooLong { len: link.len(), max: MAX_LINK_LEN });
    }
    let link = link.trim();
    if link.is_empty() {
        return Err(LinkError::Empty);
    }
    if let Some(rest) = strip_prefix_ignore_case(link, "steam://") {
        let secret_text = rest.split(['?', '#']).next().unwrap_or_default();
        let secret_text = Zeroizing::new(percent_decode(secret_text, false));
        let mut warnings = Vec::new();
        let secret = read_secret(&secret_text, &mut warnings)?;
        return Ok(ParsedLink {
            issuer: "Steam".to_owned(),
            name: String::new(),
            secret,
            otp: OtpParams::steam(),
            warnings,
        });
    }
    if strip_prefix_ignore_case(link, "otpauth-migration:").is_some() {
        return Err(LinkError::TransferLink);
    }
    let rest = strip_prefix_ignore_case(link, "otpauth:").ok_or(LinkError::NotOtpauth)?;
    let rest = rest.strip_prefix("//").ok_or(LinkError::MissingType)?;
    // The fragment is never part of the Key URI Format; drop it.
    let rest = rest.split('#').next().unwrap_or_default();
    let (before_query, query) = match rest.split_once('?') {
        Some((a, b)) => (a, b),
        None => (rest, ""),
    };
    let (host, raw_label) = match before_query.split_once('/') {
        Some((h, l)) => (h, l),
        None => (before_query, ""),
    };
    if host.is_empty() {
        return Err(LinkError::MissingType);
    }
    enum Kind {
        Totp,
        Hotp,
        Steam,
    }
    let mut kind = match host.to_ascii_lowercase().as_str() {
        "totp" => Kind::Totp,
        "hotp" => Kind::Hotp,
        "steam" => Kind::Steam,
        _ => return Err(LinkError::UnsupportedType { kind: quote(&percent_decode(host, false)) }),
    };

    let mut warnings = Vec::new();
    let params = Params::parse(query, &mut warnings);

    let secret_text = Zeroizing::new(params.get("secret").map(|v| percent_decode(v, true)).unwrap_or_default());
    if secret_text.trim().is_empty() {
        return Err(LinkError::MissingSecret);
    }
    let secret = read_secret(&secret_text, &mut warnings)?;

    if params.get("encoder").is_some_and(|e| percent_decode(e, true).trim().eq_ignore_ascii_case("steam")) {
        kind = Kind::Steam;
    }

    let algorithm = match params.non_empty("algorithm") {
        None => None,
        Some(raw) => Some(parse_algorithm(&percent_decode(raw, true))?),
    };
    let digits = match params.non_empty("digits") {
        None => None,
        Some(raw) => {
            let text = percent_decode(raw, true);
            let d =
                text.trim().parse::<u8>().ok().filter(|d| (OtpParams::MIN_DIGITS..=OtpParams::MAX_DIGITS).contains(d));
            Some(d.ok_or_else(|| LinkError::InvalidDigits { value: quote(&text) })?)
        }
    };
    let period = match params.non_empty("period") {
        None => None,
        Some(raw) => {
            let text = percent_decode(raw, true);
            let p =
                text.trim().parse::<u32>().ok().filter(|p| (OtpParams::MIN_PERIOD..=OtpParams::MAX_PERIOD).contains(p));
            Some(p.ok_or_else(|| LinkError::InvalidPeriod { value: quote(&text) })?)
        }
    };

    let otp = match kind {
        Kind::Totp => OtpParams {
            kind: OtpKind::Totp { period: period.unwrap_or(OtpParams::DEFAULT_PERIOD) },
            algorithm: algorithm.unwrap_or_default(),
            digits: digits.unwrap_or(OtpParams::DEFAULT_DIGITS),
        },
        Kind::Hotp => {
            let raw = params.non_empty("counter").ok_or(LinkError::MissingCounter)?;
            let text = percent_decode(raw, true);
            let counter = text.trim().parse::<u64>().map_err(|_| LinkError::InvalidCounter { value: quote(&text) })?;
            OtpParams {
                kind: OtpKind::Hotp { counter },
                algorithm: algorithm.unwrap_or_default(),
                digits: digits.unwrap_or(OtpParams::DEFAULT_DIGITS),
            }
        }
        Kind::Steam => {
            // Steam Guard is fixed at SHA-1 and 5 characters; links written by other apps often carry
            // `digits=5&algorithm=SHA1` or generic defaults such as `digits=6`. Only a disagreement is worth saying.
            if digits.is_some_and(|d| d != OtpParams::STEAM_DIGITS) {
                warnings.push(LinkWarning::IgnoredForSteam { name: "digits".to_owned() });
            }
            if algorithm.is_some_and(|a| a != Algorithm::Sha1) {
                warnings.push(LinkWarning::IgnoredForSteam { name: "algorithm".to_owned() });
            }
            OtpParams {
                kind: OtpKind::Steam { period: period.unwrap_or(OtpParams::DEFAULT_PERIOD) },
                ..OtpParams::steam()
            }
        }
    };
    otp.validate()?;

    let param_issuer = params.get("issuer").map(|v| percent_decode(v, true).trim().to_owned()).unwrap_or_default();
    let (issuer, name) = split_label(raw_label, &param_issuer, &mut warnings);
    Ok(ParsedLink { issuer, name, secret, otp, warnings })
}

/// Reads the base32 secret with the one key rule ([`Secret::parse_carried`]): what a typed key may not be (a
/// partial last byte, fewer than 80 bits) is read as Google Authenticator and real services' exports read it,
/// with a warning, since the service computes its codes that way.
fn read_secret(text: &str, warnings: &mut Vec<LinkWarning>) -> Result<Secret, LinkError> {
    let (secret, problem) = Secret::parse_carried(text)?;
    warnings.extend(problem.and_then(LinkWarning::for_key));
    Ok(secret)
}

/// Splits the label into issuer and account name and reconciles the issuer with the `issuer` parameter.
fn split_label(raw_label: &str, param_issuer: &str, warnings: &mut Vec<LinkWarning>) -> (String, String) {
    // Some writers put a leading slash too many (`otpauth://totp//label`).
    let raw_label = raw_label.trim_start_matches('/');
    // Split before decoding, on a literal colon when there is one, so that an issuer whose own colon was
    // encoded as `%3A` by a writer that also uses a literal separator (our own) is still split right.
    let decoded_whole = decode_label_part(raw_label);
    // When the parameter names the issuer and the label starts with exactly it, take that prefix: this keeps
    // issuers that contain an unencoded colon intact.
    if !param_issuer.is_empty()
        && let Some(rest) = decoded_whole.strip_prefix(param_issuer)
        && let Some(name) = rest.strip_prefix(':')
    {
        return (param_issuer.to_owned(), name.trim().to_owned());
    }
    let (label_issuer, name) = match find_label_colon(raw_label) {
        Some((i, len)) => (
            decode_label_part(&raw_label[..i]).trim().to_owned(),
            decode_label_part(&raw_label[i + len..]).trim().to_owned(),
        ),
        None => (String::new(), decoded_whole.trim().to_owned()),
    };
    if param_issuer.is_empty() {
        return (label_issuer, name);
    }
    if !label_issuer.is_empty() && label_issuer != param_issuer {
        warnings.push(LinkWarning::IssuerMismatch { label: label_issuer, param: param_issuer.to_owned() });
    }
    (param_issuer.to_owned(), name)
}

/// Position and length of the separator in a raw label: the first literal `:`, else the first `%3A`. A
/// literal colon wins so that `%3A` inside an issuer or name (as [`to_link`] writes it) stays content.
fn find_label_colon(raw: &str) -> Option<(usize, usize)> {
    if let Some(i) = raw.find(':') {
        return Some((i, 1));
    }
    let bytes = raw.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b':' {
            return Some((i, 1));
        }
        if bytes[i] == b'%' && bytes.get(i + 1) == Some(&b'3') && matches!(bytes.get(i + 2), Some(b'a' | b'A')) {
            return Some((i, 3));
        }
        i += 1;
    }
    None
}

/// Decodes one part of a label: `%XX`, and `+` as a space unless the part looks like an e-mail address.
fn decode_label_part(raw: &str) -> String {
    let plus_is_space = !raw.contains('@') && !raw.contains("%40");
    percent_decode(raw, plus_is_space)
}

fn parse_algorithm(text: &str) -> Result<Algorithm, LinkError> {
    let upper: String = text.trim().chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_ascii_uppercase();
    match upper.strip_prefix("HMAC").unwrap_or(&upper) {
        "SHA1" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        "SHA512" => Ok(Algorithm::Sha512),
        _ => Err(LinkError::InvalidAlgorithm { value: quote(text) }),
    }
}

/// The query parameters, names lower-cased, first occurrence kept.
struct Params<'a> {
    pairs: Vec<(String, &'a str)>,
}

impl<'a> Params<'a> {
    fn parse(query: &'a str, warnings: &mut Vec<LinkWarning>) -> Self {
        let mut pairs: Vec<(String, &'a str)> = Vec::new();
        for piece in query.split('&') {
            if piece.is_empty() {
                continue;
            }
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            let name = percent_decode(name, true).trim().to_ascii_lowercase();
            if pairs.iter().any(|(n, _)| *n == name) {
                let warning = LinkWarning::DuplicateParameter { name: quote(&name) };
                if !warnings.contains(&warning) {
                    warnings.push(warning);
                }
                continue;
            }
            pairs.push((name, value));
        }
        Self { pairs }
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.pairs.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    fn non_empty(&self, name: &str) -> Option<&'a str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }
}

/// Writes the canonical link of an account. The text holds the secret, hence `Zeroizing`.
pub fn format(account: &Account) -> Zeroizing<String> {
    to_link(&account.issuer, &account.name, &account.secret, &account.otp)
}

/// Writes the canonical link for these fields: `otpauth://TYPE/ISSUER:NAME?secret=…&issuer=…&algorithm=…
/// &digits=…&period=…|counter=…`, every parameter explicit, every reserved character percent-encoded.
pub fn to_link(issuer: &str, name: &str, secret: &Secret, otp: &OtpParams) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(128));
    let kind = match otp.kind {
        OtpKind::Hotp { .. } => "hotp",
        OtpKind::Totp { .. } | OtpKind::Steam { .. } => "totp",
    };
    out.push_str("otpauth://");
    out.push_str(kind);
    out.push('/');
    if !issuer.is_empty() {
        percent_encode_into(&mut out, issuer);
        out.push(':');
    } else if name.contains(':') || name.contains("%3A") || name.contains("%3a") {
        // An empty issuer prefix keeps a colon inside the name from being read as the separator.
        out.push(':');
    }
    percent_encode_into(&mut out, name);
    out.push_str("?secret=");
    out.push_str(&secret.to_base32());
    if !issuer.is_empty() {
        out.push_str("&issuer=");
        percent_encode_into(&mut out, issuer);
    }
    // Writing to a String cannot fail.
    let _ = write!(out, "&algorithm={}&digits={}", otp.algorithm.as_str(), otp.digits);
    match otp.kind {
        OtpKind::Totp { period } => {
            let _ = write!(out, "&period={period}");
        }
        OtpKind::Hotp { counter } => {
            let _ = write!(out, "&counter={counter}");
        }
        OtpKind::Steam { period } => {
            let _ = write!(out, "&period={period}&encoder=steam");
        }
    }
    out
}

/// Percent-encodes everything except RFC 3986 unreserved characters.
pub(crate) fn percent_encode_into(out: &mut String, text: &str) {
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// Decodes `%XX` escapes (a `%` not followed by two hex digits is kept as is) and, if asked, `+` as a space.
/// Bytes that are not UTF-8 become U+FFFD.
pub(crate) fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                match (bytes.get(i + 1).and_then(|b| hex_value(*b)), bytes.get(i + 2).and_then(|b| hex_value(*b))) {
                    (Some(h), Some(l)) => {
                        out.push(h << 4 | l);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

pub(crate) fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// Input quoted in an error: at most [`QUOTE_MAX`] characters, control characters replaced.
pub(crate) fn quote(text: &str) -> String {
    let mut out: String = text.chars().take(QUOTE_MAX).map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect();
    if text.chars().count() > QUOTE_MAX {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_spec_example() {
        let p = parse("otpauth://totp/Example:alice@google.com?secret=JBSWY3DPEHPK3PXP&issuer=Example").unwrap();
        assert_eq!((p.issuer.as_str(), p.name.as_str()), ("Example", "alice@google.com"));
        assert_eq!(p.otp, OtpParams::default_totp());
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn format_then_parse_is_identity() {
        let secret = Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
        for (issuer, name) in [("A:b", "c:d"), ("", "x:y"), ("Ex ample+", "al+ice@x"), ("", ""), ("é", "ü %3A")] {
            let link = to_link(issuer, name, &secret, &OtpParams::steam());
            let p = parse(&link).unwrap();
            assert_eq!((p.issuer.as_str(), p.name.as_str()), (issuer, name), "{}", link.as_str());
            assert_eq!(p.otp, OtpParams::steam());
        }
    }
}
