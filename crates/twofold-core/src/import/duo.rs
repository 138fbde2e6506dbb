//! Duo Mobile `files/duokit/accounts.json` (from a rooted device or an Android backup).
//!
//! Source: Aegis' `DuoImporter`. A JSON list of `{name, otpGenerator: {otpSecret, counter?}}`: HOTP when
//! `counter` is present, otherwise TOTP; SHA-1, 6 digits, 30 s (Duo stores no parameters).
//!
//! Kept: name, secret, type, counter. Lost: logos; Duo Push accounts carry no OTP secret and are reported.

use super::Why;
use super::common::damaged;
use super::common::{Draft, DraftKind, Json, SecretText, int, parse_json, problem, s};
use super::{EntryProblem, ImportError, ProblemKind};

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let json = parse_json(bytes)?;
    let list = json.as_array().ok_or_else(|| damaged(Why::NotAList))?;
    Ok(list
        .iter()
        .map(|a| {
            let name = s(a, "name");
            let bad = |k| problem(crate::model::label("", &name), k);
            let generator =
                a.get("otpGenerator").ok_or_else(|| bad(ProblemKind::UnsupportedType { kind: "Duo Push".into() }))?;
            let secret = match generator.get("otpSecret").and_then(Json::as_str) {
                Some(t) => SecretText::base32(t),
                None => SecretText::Missing,
            };
            let counter = int(generator, "counter").map_err(bad)?;
            let kind = if counter.is_some() { DraftKind::Hotp } else { DraftKind::Totp };
            let mut d = Draft::new(kind, "", name.clone(), secret);
            d.counter = counter;
            Ok(d)
        })
        .collect())
}
