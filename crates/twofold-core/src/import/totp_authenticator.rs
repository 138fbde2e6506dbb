//! TOTP Authenticator (Android, `com.authenticator.authservice2`): encrypted backup and shared preferences.
//!
//! Source: Aegis' `TotpAuthenticatorImporter`. Backup = base64 text; key = SHA-256(password), AES-256-CBC
//! with a zero IV, PKCS#7; the plaintext is a JSON object whose single key is the JSON text of the token
//! list `[{issuer, name, key, base 16|32|64, digits, period}]`. The app data keeps the same list under
//! `STATIC_TOTP_CODES_LIST`. The app's default backup password is `TotpAuthenticator`.
//!
//! Kept: issuer, name, secret, digits and period (when stored; Aegis ignores them, we keep what the app
//! showed). Lost: icons, favourites.

use zeroize::Zeroizing;

use super::Why;
use super::common::damaged;
use super::common::{
    Draft, DraftKind, Json, SecretJson, SecretText, crypto, int, need_password, problem, s, shared_pref_string,
};
use super::{EntryProblem, ImportError, ProblemKind};

/// True when the text is one base64 block whose decoded length fits AES-CBC.
pub(super) fn looks_like_backup(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 24
        && t.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'\n' | b'\r'))
        && super::common::decode_base64(&t.replace(['\n', '\r'], ""))
            .is_some_and(|b| !b.is_empty() && b.len() % 16 == 0)
}

pub(super) fn read_backup(
    bytes: &[u8],
    password: Option<&str>,
) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let text = std::str::from_utf8(bytes).map_err(|_| damaged(Why::FileNotBase64))?;
    let ciphertext = super::common::decode_base64(&text.trim().replace(['\n', '\r'], ""))
        .ok_or_else(|| damaged(Why::FileNotBase64))?;
    let key = crypto::sha256(need_password(password)?.as_bytes());
    let plain = crypto::aes_cbc_open(&key, &[0u8; 16], &ciphertext).ok_or(ImportError::WrongPassword)?;
    let outer = SecretJson(serde_json::from_slice(&plain).map_err(|_| ImportError::WrongPassword)?);
    // The token list (with its keys) is the object's one key; `SecretJson` wipes keys too.
    let list_text = outer.as_object().and_then(|o| o.keys().next()).ok_or_else(|| damaged(Why::NotAList))?;
    convert_list(list_text)
}

pub(super) fn read_xml(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let xml = super::common::shared_prefs(bytes)?;
    let list = shared_pref_string(xml, "STATIC_TOTP_CODES_LIST")
        .ok_or_else(|| damaged(Why::missing("STATIC_TOTP_CODES_LIST")))?;
    convert_list(&list)
}

fn convert_list(text: &str) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let tokens = super::common::parse_json_str(text).ok_or_else(|| damaged(Why::NotJson))?;
    let tokens = tokens.as_array().ok_or_else(|| damaged(Why::NotAList))?;
    Ok(tokens.iter().map(convert).collect())
}

fn convert(t: &Json) -> Result<Draft, EntryProblem> {
    let issuer = s(t, "issuer");
    let name = s(t, "name");
    let label = crate::model::label(&issuer, &name);
    let bad = |k| problem(label.clone(), k);
    let key = Zeroizing::new(s(t, "key"));
    let secret = match int(t, "base").map_err(bad)? {
        Some(16) => SecretText::Hex(key),
        Some(32) | None => SecretText::Base32(key),
        Some(64) => SecretText::Base64(key),
        Some(other) => return Err(bad(ProblemKind::InvalidParameter(Why::unknown("base", other)))),
    };
    let mut d = Draft::new(DraftKind::Totp, issuer, name, secret);
    d.digits = int(t, "digits").map_err(bad)?;
    d.period = int(t, "period").map_err(bad)?;
    Ok(d)
}
