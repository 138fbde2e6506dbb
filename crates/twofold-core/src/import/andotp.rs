//! andOTP backup (JSON, plain or encrypted).
//!
//! Source: andOTP's `BackupHelper`/`EncryptionHelper` (andOTP/andOTP) and Aegis' `AndOtpImporter`. A JSON
//! list of `{secret, issuer, label, digits, type TOTP|HOTP|STEAM|MOTP, algorithm, period|counter, tags}`.
//! Encrypted (current): `int32 BE iterations | salt 12 | nonce 12 | ciphertext+tag`, key =
//! PBKDF2-HMAC-SHA1(password, salt, iterations), AES-256-GCM. Encrypted (old): key = SHA-256(password),
//! `nonce 12 | ciphertext+tag`; its entries have no `issuer`, the label is `Issuer - name`.
//!
//! Kept: type, issuer, name (label), secret, algorithm, digits, period/counter, tags as groups. Lost:
//! thumbnails, usage statistics. mOTP entries are reported as unsupported.

use zeroize::Zeroizing;

use super::Why;
use super::common::damaged;
use super::common::{
    Draft, DraftKind, Json, SecretText, check_kdf, crypto, int, need_password, opt_s, parse_json, problem, s,
};
use super::{EntryProblem, ImportError};

/// Plausible PBKDF2 iteration counts in the current encrypted format. The app picks 140 000-160 000; the
/// upper bound keeps a hostile file's key derivation under about a second.
const ITERATIONS: std::ops::RangeInclusive<u32> = 1_000..=2_000_000;

/// True when the first four bytes read as a plausible iteration count of the current encrypted format.
pub(super) fn looks_like_new_encrypted(bytes: &[u8]) -> bool {
    bytes.len() >= 4 + 12 + 12 + 16
        && bytes.first() != Some(&b'{')
        && ITERATIONS.contains(&u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
}

pub(super) fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let trimmed = super::common::strip_bom(bytes).trim_ascii_start();
    let (json, old) = if trimmed.starts_with(b"[") {
        (parse_json(bytes)?, false)
    } else {
        let (plain, old) = decrypt(bytes, need_password(password)?)?;
        (parse_json(&plain)?, old)
    };
    let list = json.as_array().ok_or_else(|| damaged(Why::NotAList))?;
    Ok(list.iter().map(|e| convert(e, old)).collect())
}

fn decrypt(bytes: &[u8], password: &str) -> Result<(Zeroizing<Vec<u8>>, bool), ImportError> {
    if bytes.len() < 12 + 16 {
        return Err(damaged(Why::EndsEarly));
    }
    if looks_like_new_encrypted(bytes) {
        let iterations = u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        check_kdf("iterations", u64::from(iterations), 1_000, 2_000_000)?;
        let salt = &bytes[4..16];
        let nonce = &bytes[16..28];
        let key = crypto::pbkdf2_sha1(password.as_bytes(), salt, iterations);
        if let Some(plain) = crypto::aes_gcm_open(&key, nonce, &bytes[28..], &[]) {
            return Ok((plain, false));
        }
    }
    let key = crypto::sha256(password.as_bytes());
    match crypto::aes_gcm_open(&key, &bytes[..12], &bytes[12..], &[]) {
        Some(plain) => Ok((plain, true)),
        None => Err(ImportError::WrongPassword),
    }
}

fn convert(e: &Json, old: bool) -> Result<Draft, EntryProblem> {
    let mut issuer = s(e, "issuer");
    let mut name = s(e, "label");
    if old && e.get("issuer").is_none() {
        if let Some((i, n)) = name.split_once(" - ") {
            (issuer, name) = (i.to_owned(), n.to_owned());
        }
    }
    let label = crate::model::label(&issuer, &name);
    let bad = |k| problem(label.clone(), k);
    let kind = match s(e, "type").to_ascii_uppercase().as_str() {
        "TOTP" | "" => DraftKind::Totp,
        "HOTP" => DraftKind::Hotp,
        "STEAM" => DraftKind::Steam,
        "MOTP" => DraftKind::Unsupported("mOTP".into()),
        other => DraftKind::Unsupported(super::common::truncate(other, 20)),
    };
    let secret = match e.get("secret").and_then(Json::as_str) {
        Some(t) => SecretText::base32(t),
        None => SecretText::Missing,
    };
    let mut d = Draft::new(kind.clone(), issuer, name, secret);
    d.algorithm = opt_s(e, "algorithm");
    // andOTP writes digits 5 for Steam, but older versions wrote 6; Steam codes are always 5 characters.
    if kind != DraftKind::Steam {
        d.digits = int(e, "digits").map_err(bad)?;
    }
    d.period = int(e, "period").map_err(bad)?;
    d.counter = int(e, "counter").map_err(bad)?;
    if let Some(tags) = e.get("tags").and_then(Json::as_array) {
        d.groups = tags.iter().filter_map(Json::as_str).map(str::to_owned).collect();
    }
    Ok(d)
}
