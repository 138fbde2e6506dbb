//! 2FAS Authenticator backup (`.2fas`, schema versions 1-4).
//!
//! Source: the 2FAS Android app's backup model and Aegis' `TwoFASImporter`. `{services[], schemaVersion,
//! groups[], servicesEncrypted?, reference?}`. Encrypted backups store `servicesEncrypted =
//! b64(ciphertext+tag):b64(salt):b64(iv)`, key = PBKDF2-HMAC-SHA256(password, salt, 10 000), AES-256-GCM.
//! Schema 1 stores no OTP parameters (every entry is TOTP/SHA-1/6/30); schema 2 has no token type (all
//! TOTP).
//!
//! Kept: issuer (service name, else `otp.issuer`), name (`otp.account`), secret, type, algorithm, digits,
//! period/counter, group. Lost: icons, badge colours, order positions, `otp.link` (the edited fields win).

use std::collections::HashMap;

use super::Why;
use super::common::damaged;
use super::common::{
    Draft, DraftKind, Json, SecretJson, SecretText, crypto, first_wins, int, need_password, opt_s, parse_json, problem,
    s,
};
use super::{EntryProblem, ImportError};

const PBKDF2_ROUNDS: u32 = 10_000;

pub(super) fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let mut file = parse_json(bytes)?;
    let schema = file.get("schemaVersion").and_then(Json::as_i64).unwrap_or(1);
    let sealed = file.get("servicesEncrypted").and_then(Json::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    let services = match sealed {
        Some(sealed) => {
            let plain = decrypt(&sealed, need_password(password)?)?;
            parse_json(&plain)?
        }
        None => {
            super::common::array(&file, "services")?;
            SecretJson(file.get_mut("services").map(Json::take).unwrap_or_default())
        }
    };
    let services = services.as_array().ok_or_else(|| damaged(Why::NotAList))?;
    let groups: HashMap<String, String> = file
        .get("groups")
        .and_then(Json::as_array)
        .map(|g| first_wins(g.iter().map(|g| (s(g, "id"), s(g, "name")))))
        .unwrap_or_default();
    Ok(services.iter().map(|service| convert(service, schema, &groups)).collect())
}

fn decrypt(sealed: &str, password: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, ImportError> {
    let parts: Vec<&str> = sealed.split(':').collect();
    let [ciphertext, salt, iv] = parts.as_slice() else { return Err(damaged(Why::invalid("servicesEncrypted"))) };
    let ciphertext =
        super::common::decode_base64(ciphertext).ok_or_else(|| damaged(Why::not_base64("servicesEncrypted")))?;
    let salt = super::common::decode_base64(salt).ok_or_else(|| damaged(Why::not_base64("servicesEncrypted")))?;
    let iv = super::common::decode_base64(iv).ok_or_else(|| damaged(Why::not_base64("servicesEncrypted")))?;
    if iv.len() != 12 || ciphertext.len() < 16 {
        return Err(damaged(Why::wrong_length("servicesEncrypted")));
    }
    let key = crypto::pbkdf2_sha256(password.as_bytes(), &salt, PBKDF2_ROUNDS);
    crypto::aes_gcm_open(&key, &iv, &ciphertext, &[]).ok_or(ImportError::WrongPassword)
}

fn convert(service: &Json, schema: i64, groups: &HashMap<String, String>) -> Result<Draft, EntryProblem> {
    let empty = Json::Null;
    let otp = service.get("otp").unwrap_or(&empty);
    let issuer = match s(service, "name") {
        n if n.is_empty() => s(otp, "issuer"),
        n => n,
    };
    let name = s(otp, "account");
    let label = crate::model::label(&issuer, &name);
    let bad = |k| problem(label.clone(), k);
    let secret = match service.get("secret").and_then(Json::as_str) {
        Some(t) => SecretText::base32(t),
        None => SecretText::Missing,
    };
    let token_type = if schema >= 3 { s(otp, "tokenType").to_ascii_uppercase() } else { String::from("TOTP") };
    let kind = match token_type.as_str() {
        "TOTP" | "" => DraftKind::Totp,
        "HOTP" => DraftKind::Hotp,
        "STEAM" => DraftKind::Steam,
        other => DraftKind::Unsupported(super::common::truncate(other, 20)),
    };
    let mut d = Draft::new(kind.clone(), issuer, name, secret);
    if schema >= 2 {
        d.algorithm = opt_s(otp, "algorithm");
        if kind != DraftKind::Steam {
            d.digits = int(otp, "digits").map_err(bad)?;
        }
        if kind == DraftKind::Hotp {
            d.counter = int(otp, "counter").map_err(bad)?;
        } else {
            d.period = int(otp, "period").map_err(bad)?;
        }
    }
    if let Some(id) = service.get("groupId").and_then(Json::as_str) {
        if let Some(name) = groups.get(id) {
            d.groups.push(name.clone());
        }
    }
    Ok(d)
}
