//! Authy Android shared preferences (`com.authy.storage.tokens.authenticator.xml`, rooted device).
//!
//! Source: Aegis' `AuthyImporter`. The string `com.authy.storage.tokens.authenticator.key` holds a JSON list
//! of tokens `{name, originalIssuer, digits, decryptedSecret | encryptedSecret + salt}`. Encrypted secrets:
//! key = PBKDF2-HMAC-SHA1(backup password, salt text, 1000), AES-256-CBC with a zero IV, PKCS#7 → base32.
//! Authy stores no algorithm or period: SHA-1 and 30 s.
//!
//! Kept: issuer, name (without the `Issuer: ` prefix Authy adds), secret, digits. Lost: logos. Authy's own
//! tokens (the `com.authy.storage.apps` list, 7 digits / 10 s) are not in this file.

use zeroize::Zeroizing;

use super::Why;
use super::common::damaged;
use super::common::{Draft, DraftKind, Json, SecretText, crypto, int, need_password, problem, s, shared_pref_string};
use super::{EntryProblem, ImportError, ProblemKind};

const KEY: &str = "com.authy.storage.tokens.authenticator.key";

pub(super) fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let xml = super::common::shared_prefs(bytes)?;
    let list = shared_pref_string(xml, KEY)
        .ok_or_else(|| damaged(Why::missing("com.authy.storage.tokens.authenticator.key")))?;
    let tokens = super::common::parse_json_str(&list).ok_or_else(|| damaged(Why::NotJson))?;
    let tokens = tokens.as_array().ok_or_else(|| damaged(Why::NotAList))?;
    let encrypted = tokens.iter().any(|t| t.get("encryptedSecret").is_some());
    let password = if encrypted { Some(need_password(password)?) } else { None };
    let mut drafts = Vec::with_capacity(tokens.len());
    let mut opened_any = false;
    for t in tokens {
        let issuer = s(t, "originalIssuer");
        let mut name = s(t, "name");
        if let Some(rest) = name.strip_prefix(&format!("{issuer}: ")).filter(|_| !issuer.is_empty()) {
            name = rest.to_owned();
        }
        let label = crate::model::label(&issuer, &name);
        let secret = match (
            t.get("decryptedSecret").and_then(Json::as_str),
            t.get("encryptedSecret").and_then(Json::as_str),
            password,
        ) {
            (Some(plain), _, _) => SecretText::base32(plain),
            (None, Some(sealed), Some(password)) => match open(sealed, &s(t, "salt"), password) {
                Some(text) => {
                    opened_any = true;
                    SecretText::Base32(text)
                }
                None => {
                    drafts.push(Err(problem(label, ProblemKind::Malformed(Why::CannotDecrypt))));
                    continue;
                }
            },
            _ => SecretText::Missing,
        };
        let mut d = Draft::new(DraftKind::Totp, issuer, name, secret);
        d.digits = match int(t, "digits") {
            Ok(d) => d,
            Err(k) => {
                drafts.push(Err(problem(label, k)));
                continue;
            }
        };
        drafts.push(Ok(d));
    }
    if encrypted && !opened_any {
        return Err(ImportError::WrongPassword);
    }
    Ok(drafts)
}

fn open(sealed: &str, salt: &str, password: &str) -> Option<Zeroizing<String>> {
    let ciphertext = super::common::decode_base64(sealed)?;
    let key = crypto::pbkdf2_sha1(password.as_bytes(), salt.as_bytes(), 1000);
    let plain = crypto::aes_cbc_open(&key, &[0u8; 16], &ciphertext)?;
    let text = std::str::from_utf8(&plain).ok()?;
    // A wrong key that happens to leave valid padding gives bytes that are not base32 text.
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_alphanumeric() || c == '=' || c == ' ') {
        return None;
    }
    Some(Zeroizing::new(text.to_owned()))
}
