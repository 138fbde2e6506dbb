//! FreeOTP 1.x and FreeOTP+ token lists: the `tokens.xml` shared preferences and FreeOTP+'s JSON export.
//!
//! Source: freeotp/freeotp-android 1.x `Token.java` / `TokenPersistence.java` and helloworld1/FreeOTPPlus.
//! Each token is `{algo, counter, digits, issuerExt, issuerInt, label, period, secret: [signed bytes],
//! type TOTP|HOTP}`; `tokenOrder` lists `issuer:label` keys in the user's order. FreeOTP stores the HOTP
//! counter already advanced past the code last shown minus one, i.e. the next code uses `counter + 1`; we
//! import that next counter.
//!
//! Kept: type, issuer (`issuerExt`), name (`label`), secret, algorithm, digits, period/counter, order.
//! Lost: images, `issuerInt` when it differs from the displayed issuer.

use std::collections::HashMap;

use zeroize::Zeroizing;

use super::Why;
use super::common::{Draft, DraftKind, Json, SecretText, int, opt_s, parse_json, problem, s};
use super::{EntryProblem, ImportError, ProblemKind};

pub(super) fn read_json(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let json = parse_json(bytes)?;
    let tokens = super::common::array(&json, "tokens")?;
    Ok(tokens.iter().map(|t| convert(t, true)).collect())
}

pub(super) fn read_xml(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let xml = super::common::shared_prefs(bytes)?;
    let strings = super::common::shared_pref_strings(xml);
    let order: Vec<String> = strings
        .iter()
        .find(|(k, _)| k == "tokenOrder")
        .and_then(|(_, v)| serde_json::from_str::<Vec<String>>(v).ok())
        .unwrap_or_default();
    // Each key's place in `tokenOrder` (its first mention), looked up in a map: searching the list for every
    // token was quadratic.
    let mut place: HashMap<&str, usize> = HashMap::with_capacity(order.len());
    for (i, key) in order.iter().enumerate() {
        place.entry(key.as_str()).or_insert(i);
    }
    let mut tokens: Vec<(usize, &(String, Zeroizing<String>))> = strings
        .iter()
        .filter(|(k, _)| k != "tokenOrder")
        .map(|entry| (place.get(entry.0.as_str()).copied().unwrap_or(usize::MAX), entry))
        .collect();
    // The user's order first, then any token missing from `tokenOrder`, in file order (the sort is stable).
    tokens.sort_by_key(|(place, _)| *place);
    Ok(tokens
        .into_iter()
        .map(|(_, (key, value))| {
            let json = super::common::parse_json_str(value)
                .ok_or_else(|| problem(key.clone(), ProblemKind::Malformed(Why::NotJson)))?;
            convert(&json, true)
        })
        .collect())
}

/// FreeOTP's signed byte list (`[-28, 110, …]`) as bytes.
pub(super) fn signed_bytes(v: Option<&Json>) -> Option<Zeroizing<Vec<u8>>> {
    let list = v?.as_array()?;
    let mut out = Zeroizing::new(Vec::with_capacity(list.len()));
    for b in list {
        let n = b.as_i64()?;
        out.push(i8::try_from(n).map(|b| b as u8).or_else(|_| u8::try_from(n)).ok()?);
    }
    Some(out)
}

/// One token's metadata; `counter_is_previous` is true for FreeOTP 1.x / FreeOTP+ storage.
pub(super) fn convert(t: &Json, counter_is_previous: bool) -> Result<Draft, EntryProblem> {
    let secret = match signed_bytes(t.get("secret")) {
        Some(bytes) => SecretText::Bytes(bytes),
        None if t.get("secret").is_none() => SecretText::Missing,
        None => SecretText::Missing,
    };
    meta(t, secret, counter_is_previous)
}

/// Builds the draft from a token's metadata with the secret already decoded.
pub(super) fn meta(t: &Json, secret: SecretText, counter_is_previous: bool) -> Result<Draft, EntryProblem> {
    let issuer = match opt_s(t, "issuerExt") {
        Some(i) => i,
        None => s(t, "issuerInt"),
    };
    let name = s(t, "label");
    let label = crate::model::label(&issuer, &name);
    let bad = |k| problem(label.clone(), k);
    let kind = match s(t, "type").to_ascii_uppercase().as_str() {
        "TOTP" | "" => DraftKind::Totp,
        "HOTP" => DraftKind::Hotp,
        other => DraftKind::Unsupported(super::common::truncate(other, 20)),
    };
    let mut d = Draft::new(kind.clone(), issuer, name, secret);
    d.algorithm = opt_s(t, "algo");
    d.digits = int(t, "digits").map_err(bad)?;
    if kind == DraftKind::Hotp {
        let counter = int(t, "counter").map_err(bad)?.unwrap_or(0);
        d.counter = Some(if counter_is_previous { counter.saturating_add(1) } else { counter });
    } else {
        d.period = int(t, "period").map_err(bad)?;
    }
    Ok(d)
}
