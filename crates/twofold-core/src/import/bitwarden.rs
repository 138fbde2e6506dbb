//! Bitwarden and Bitwarden Authenticator exports: JSON (plain or password-protected) and CSV.
//!
//! Source: Bitwarden's export formats (bitwarden/clients `vault-export`, help "Encrypted exports") and
//! Stratum's `BitwardenBackupConverter`. TOTP values live in `items[].login.totp` (CSV column
//! `login_totp`) as an `otpauth://` link, a `steam://<base32>` link or a bare base32 secret; for the last
//! two the issuer is the item name and the account the login user name. Password-protected JSON:
//! kdfType 0 = PBKDF2-HMAC-SHA256(password, salt text, iterations), 1 = Argon2id(password,
//! SHA-256(salt text), t, m MiB, p); enc/mac keys = HKDF-Expand-SHA256(key, "enc"/"mac"); `data` =
//! `2.iv|ciphertext|mac`, HMAC-SHA256 over iv‖ciphertext, then AES-256-CBC. An "account restricted"
//! export (encrypted with the account key, no `passwordProtected`) cannot be opened outside Bitwarden.
//!
//! Kept: the link's fields, item name and user name where the value is a bare secret, folder (group),
//! favourite, notes. Lost: everything that is not a TOTP (passwords, cards, identities are ignored).

use std::collections::HashMap;

use hmac::{KeyInit, Mac};
use zeroize::Zeroizing;

use super::Why;
use super::common::{
    Draft, DraftKind, Json, SecretText, check_kdf, crypto, first_wins, need_password, parse_json, problem, s,
};
use super::common::{damaged, kdf_refused};
use super::{EntryProblem, ImportError, ProblemKind};

pub(super) fn read_json(bytes: &[u8], password: Option<&str>) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let file = parse_json(bytes)?;
    let encrypted = file.get("encrypted").and_then(Json::as_bool).unwrap_or(false);
    let vault = if !encrypted {
        file
    } else if file.get("passwordProtected").and_then(Json::as_bool) == Some(true) {
        let plain = decrypt(&file, need_password(password)?)?;
        parse_json(&plain)?
    } else {
        return Err(ImportError::AccountRestricted);
    };
    let folders: HashMap<String, String> = vault
        .get("folders")
        .and_then(Json::as_array)
        .map(|f| first_wins(f.iter().map(|f| (s(f, "id"), s(f, "name")))))
        .unwrap_or_default();
    let items = super::common::array(&vault, "items")?;
    let mut drafts = Vec::new();
    for item in items {
        let Some(login) = item.get("login") else { continue };
        let Some(totp) = login.get("totp").and_then(Json::as_str).filter(|t| !t.trim().is_empty()) else { continue };
        let mut d = value_draft(totp, &s(item, "name"), &s(login, "username"));
        if let Ok(d) = &mut d {
            d.favorite = item.get("favorite").and_then(Json::as_bool).unwrap_or(false);
            d.note = s(item, "notes");
            let folder = s(item, "folderId");
            if let Some(name) = folders.get(&folder).filter(|_| !folder.is_empty()) {
                d.groups.push(name.clone());
            }
        }
        drafts.push(d);
    }
    Ok(drafts)
}

/// A TOTP field value: a link, a `steam://` link or a bare base32 secret.
pub(super) fn value_draft(value: &str, item_name: &str, username: &str) -> Result<Draft, EntryProblem> {
    let value = value.trim();
    if let Some(rest) = crate::uri::strip_prefix_ignore_case(value, "steam://") {
        return Ok(Draft::new(DraftKind::Steam, item_name, username, SecretText::base32(rest)));
    }
    if crate::uri::strip_prefix_ignore_case(value, "otpauth:").is_some() {
        return super::links::link_draft(value);
    }
    if value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '=' | '-')) {
        return Ok(Draft::new(DraftKind::Totp, item_name, username, SecretText::base32(value)));
    }
    Err(problem(crate::model::label(item_name, username), ProblemKind::Malformed(Why::invalid("totp"))))
}

fn decrypt(file: &Json, password: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let salt = s(file, "salt");
    let iterations =
        file.get("kdfIterations").and_then(Json::as_u64).ok_or_else(|| damaged(Why::missing("kdfIterations")))?;
    let key = match file.get("kdfType").and_then(Json::as_u64) {
        Some(0) => {
            check_kdf("kdfIterations", iterations, 1, 10_000_000)?;
            crypto::pbkdf2_sha256(password.as_bytes(), salt.as_bytes(), iterations as u32)
        }
        Some(1) => {
            let memory =
                file.get("kdfMemory").and_then(Json::as_u64).ok_or_else(|| damaged(Why::missing("kdfMemory")))?;
            let lanes = file
                .get("kdfParallelism")
                .and_then(Json::as_u64)
                .ok_or_else(|| damaged(Why::missing("kdfParallelism")))?;
            check_kdf("kdfIterations", iterations, 1, 64)?;
            check_kdf("kdfMemory", memory, 1, 1024)?;
            check_kdf("kdfParallelism", lanes, 1, 16)?;
            super::common::check_argon2_cost(memory * 1024, iterations)?;
            let salt_hash = crypto::sha256(salt.as_bytes());
            crypto::argon2id(password.as_bytes(), &*salt_hash, iterations as u32, memory as u32 * 1024, lanes as u32)
                .ok_or_else(kdf_refused)?
        }
        other => {
            let value = other.map_or_else(|| "null".to_owned(), |n| n.to_string());
            return Err(ImportError::Unsupported { why: Why::unknown("kdfType", value) });
        }
    };
    let hk = hkdf::Hkdf::<sha2::Sha256>::from_prk(&*key).map_err(|_| damaged(Why::wrong_length("key")))?;
    let mut enc = Zeroizing::new([0u8; 32]);
    let mut mac = Zeroizing::new([0u8; 32]);
    hk.expand(b"enc", &mut *enc).map_err(|_| damaged(Why::wrong_length("key")))?;
    hk.expand(b"mac", &mut *mac).map_err(|_| damaged(Why::wrong_length("key")))?;
    // The validation field fails the MAC with a wrong password before the (larger) data is touched.
    if let Some(check) = file.get("encKeyValidation_DO_NOT_EDIT").and_then(Json::as_str) {
        open_cipher_string(check, &enc, &mac).map_err(|_| ImportError::WrongPassword)?;
    }
    let data = file.get("data").and_then(Json::as_str).ok_or_else(|| damaged(Why::missing("data")))?;
    open_cipher_string(data, &enc, &mac)
}

/// Opens a Bitwarden cipher string `2.<iv>|<ciphertext>|<mac>` (AES-256-CBC + HMAC-SHA256).
fn open_cipher_string(text: &str, enc: &[u8; 32], mac_key: &[u8; 32]) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let body = text.strip_prefix("2.").ok_or_else(|| damaged(Why::invalid("data")))?;
    let parts: Vec<&str> = body.split('|').collect();
    let [iv, ciphertext, tag] = parts.as_slice() else { return Err(damaged(Why::invalid("data"))) };
    let b64 = |t: &str| super::common::decode_base64(t).ok_or_else(|| damaged(Why::not_base64("data")));
    let (iv, ciphertext, tag) = (b64(iv)?, b64(ciphertext)?, b64(tag)?);
    let iv: [u8; 16] = iv.as_slice().try_into().map_err(|_| damaged(Why::wrong_length("data")))?;
    let mut mac = <hmac::Hmac<sha2::Sha256> as KeyInit>::new_from_slice(mac_key)
        .map_err(|_| damaged(Why::wrong_length("key")))?;
    mac.update(&iv);
    mac.update(&ciphertext);
    mac.verify_slice(&tag).map_err(|_| ImportError::WrongPassword)?;
    crypto::aes_cbc_open(enc, &iv, &ciphertext).ok_or_else(|| damaged(Why::CannotDecrypt))
}

pub(super) fn read_csv(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let text = std::str::from_utf8(super::common::strip_bom(bytes)).map_err(|_| damaged(Why::NotUtf8))?;
    // Every field is wiped when the rows drop: the TOTP column holds keys.
    let rows: Vec<Vec<Zeroizing<String>>> =
        parse_csv(text).into_iter().map(|r| r.into_iter().map(Zeroizing::new).collect()).collect();
    let mut rows = rows.iter().filter(|r| !(r.len() == 1 && r[0].trim().is_empty()));
    let header = rows.next().ok_or(ImportError::Empty { why: Why::NoEntries })?;
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let totp = col("login_totp").ok_or_else(|| damaged(Why::missing("login_totp")))?;
    let (name, user, folder, fav, notes) =
        (col("name"), col("login_username"), col("folder"), col("favorite"), col("notes"));
    let get = |row: &[Zeroizing<String>], i: Option<usize>| {
        i.and_then(|i| row.get(i)).map(|f| String::clone(f)).unwrap_or_default()
    };
    let mut drafts = Vec::new();
    for row in rows {
        let value = Zeroizing::new(get(row, Some(totp)));
        if value.trim().is_empty() {
            continue;
        }
        let mut d = value_draft(&value, &get(row, name), &get(row, user));
        if let Ok(d) = &mut d {
            let group = get(row, folder);
            if !group.is_empty() {
                d.groups.push(group);
            }
            d.favorite = get(row, fav) == "1";
            d.note = get(row, notes);
        }
        drafts.push(d);
    }
    Ok(drafts)
}

/// RFC 4180 CSV: quoted fields with `""` escapes and embedded newlines.
pub(super) fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}
