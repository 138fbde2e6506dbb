//! Text files of links: plain `otpauth://` lists (Aegis "plain text" export, Ente Auth's plain export,
//! the text inside WinAuth and Authenticator Plus archives, `steam://` lines) and Google Authenticator
//! transfer links (`otpauth-migration://`). The links themselves are read by [`crate::uri`] and
//! [`crate::migration`]; this module only splits lines, keeps extras and reports what failed.
//!
//! Sources: the Key URI Format (google/google-authenticator wiki), Ente Auth's export (`codeDisplay` JSON
//! parameter with tags, pin and note), extract_otp_secrets' export files (`#` comments, blank lines).
//!
//! Kept: everything a link carries; Ente's tags (groups), pinned (favourite) and note. Lost: unknown link
//! parameters (icons), Ente's usage counters. Secrets whose base32 length a strict decoder refuses (7, 9,
//! 17 … characters) are read as the apps that wrote them do, dropping the trailing bits ([`crate::uri::parse`]
//! does this).

use zeroize::Zeroizing;

use super::Why;
use super::common::damaged;
use super::common::{Draft, DraftKind, Json, SecretText, problem};
use super::{EntryProblem, ImportError, ProblemKind};
use crate::model::OtpKind;
use crate::uri::{percent_decode, strip_prefix_ignore_case};

/// Every line of `text` that is a link; other non-empty, non-comment lines are reported.
pub(super) fn read_text(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let text = std::str::from_utf8(super::common::strip_bom(bytes)).map_err(|_| damaged(Why::NotUtf8))?;
    let mut drafts = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at_line = |kind| EntryProblem { label: String::new(), line: Some(n + 1), kind };
        if strip_prefix_ignore_case(line, "otpauth-migration:").is_some() {
            match crate::migration::decode(line) {
                Ok(decoded) => {
                    for a in decoded.accounts {
                        drafts.push(Ok(from_parts(a.issuer, a.name, a.secret, a.otp)));
                    }
                    for r in decoded.rejected {
                        drafts.push(Err(problem(
                            crate::model::label(&r.issuer, &r.name),
                            ProblemKind::Malformed(Why::TransferEntry(r.error)),
                        )));
                    }
                }
                Err(e) => drafts.push(Err(at_line(ProblemKind::Malformed(Why::Transfer(e))))),
            }
        } else if strip_prefix_ignore_case(line, "otpauth:").is_some()
            || strip_prefix_ignore_case(line, "steam:").is_some()
        {
            drafts.push(link_draft(line).map_err(|e| EntryProblem { line: Some(n + 1), ..e }));
        } else {
            drafts.push(Err(at_line(ProblemKind::Malformed(Why::NotALink))));
        }
    }
    if drafts.is_empty() {
        return Err(ImportError::Empty { why: Why::NoLinks });
    }
    if let Some(Err(first)) = drafts.first().filter(|_| drafts.iter().all(Result::is_err)) {
        return Err(damaged(Why::NoReadableLink { first: Box::new(first.clone()) }));
    }
    Ok(drafts)
}

fn from_parts(issuer: String, name: String, secret: crate::Secret, otp: crate::OtpParams) -> Draft {
    let (kind, period, counter) = match otp.kind {
        OtpKind::Totp { period } => (DraftKind::Totp, Some(i64::from(period)), None),
        OtpKind::Steam { period } => (DraftKind::Steam, Some(i64::from(period)), None),
        OtpKind::Hotp { counter } => (DraftKind::Hotp, None, Some(i64::try_from(counter).unwrap_or(i64::MAX))),
    };
    let mut d = Draft::new(kind, issuer, name, SecretText::Bytes(Zeroizing::new(secret.as_bytes().to_vec())));
    d.algorithm = Some(otp.algorithm.as_str().into());
    d.digits = Some(i64::from(otp.digits));
    d.period = period;
    d.counter = counter;
    d
}

/// One `otpauth://` or `steam://` link as a draft, with Ente's `codeDisplay` extras.
pub(super) fn link_draft(link: &str) -> Result<Draft, EntryProblem> {
    let parsed =
        crate::uri::parse(link).map_err(|e| problem(link_label(link), ProblemKind::Malformed(Why::Link(e))))?;
    let mut d = from_parts(parsed.issuer, parsed.name, parsed.secret, parsed.otp);
    d.warnings = parsed.warnings;
    if let Some(display) = query_value(link, "codeDisplay").and_then(|v| serde_json::from_str::<Json>(&v).ok()) {
        d.favorite = display.get("pinned").and_then(Json::as_bool).unwrap_or(false);
        d.note = super::common::s(&display, "note");
        if let Some(tags) = display.get("tags").and_then(Json::as_array) {
            d.groups = tags.iter().filter_map(Json::as_str).map(str::to_owned).collect();
        }
    }
    Ok(d)
}

fn query_value(link: &str, name: &str) -> Option<String> {
    let query = link.split_once('?')?.1.split('#').next()?;
    query.split('&').find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim().eq_ignore_ascii_case(name).then(|| percent_decode(v, true))
    })
}

/// The label of a link for messages: decoded, never the query (which holds the secret); empty when it has
/// none (front ends word an unnamed entry themselves).
fn link_label(link: &str) -> String {
    let before_query = link.split(['?', '#']).next().unwrap_or_default();
    let label = before_query.rsplit_once('/').map(|(_, l)| l).unwrap_or_default();
    let label = percent_decode(label, false);
    super::common::truncate(&label, 64)
}
