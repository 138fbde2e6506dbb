//! Proton Authenticator export (JSON, plain or password-protected) and Proton Pass export (ZIP).
//!
//! Sources: protonpass/proton-pass-common `proton-authenticator/src/{exporter,parser}`. Authenticator:
//! `{version: 1, entries: [{id, content: {uri, entry_type, name}, note}]}`; protected: `{version: 1, salt,
//! content}`, key = Argon2id(password, salt, t 2, m 19 456 KiB, p 1), content = nonce 12 ‖ AES-256-GCM
//! ciphertext+tag with AAD `proton.authenticator.export.v1`. Pass: `Proton Pass/data.json` with
//! `vaults.*.items[].data`; TOTP links in `content.totpUri` and in `extraFields[]` of type `totp`.
//!
//! Kept: the link's fields, the entry's display name (Authenticator), notes; for Pass, the vault name as
//! group. Lost: everything in a Pass export that is not a TOTP.

use zeroize::Zeroizing;

use super::Why;
use super::common::damaged;
use super::common::{Draft, Json, crypto, decode_base64, need_password, parse_json, s};
use super::{Cancel, EntryProblem, ImportError};

const AAD: &[u8] = b"proton.authenticator.export.v1";

pub(super) fn read_authenticator(
    bytes: &[u8],
    password: Option<&str>,
) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let mut file = parse_json(bytes)?;
    if let Some(content) = file.get("content").and_then(Json::as_str) {
        let salt = file
            .get("salt")
            .and_then(Json::as_str)
            .and_then(decode_base64)
            .ok_or_else(|| damaged(Why::missing("salt")))?;
        let sealed = decode_base64(content).ok_or_else(|| damaged(Why::not_base64("content")))?;
        if sealed.len() < 12 + 16 {
            return Err(damaged(Why::EndsEarly));
        }
        let key = crypto::argon2id(need_password(password)?.as_bytes(), &salt, 2, 19_456, 1)
            .ok_or_else(|| damaged(Why::wrong_length("salt")))?;
        let plain = crypto::aes_gcm_open(&key, &sealed[..12], &sealed[12..], AAD).ok_or(ImportError::WrongPassword)?;
        file = parse_json(&plain)?;
    }
    let entries = super::common::array(&file, "entries")?;
    Ok(entries
        .iter()
        .map(|e| {
            let content = e.get("content").unwrap_or(&Json::Null);
            let mut d = super::links::link_draft(&Zeroizing::new(s(content, "uri")))?;
            // The name the user gave the entry in the app wins over the link's label.
            let name = s(content, "name");
            if !name.is_empty() {
                d.name = name;
            }
            d.note = s(e, "note");
            Ok(d)
        })
        .collect())
}

pub(super) fn read_pass(bytes: &[u8], cancel: &Cancel) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    // Only `data.json` is decompressed, never the attachments beside it.
    let files = super::zipfile::read_matching(bytes, None, |name| name.ends_with("data.json"), cancel)?;
    let (_, data) = files.first().ok_or_else(|| damaged(Why::missing("data.json")))?;
    let json = parse_json(data)?;
    if json.get("encrypted").and_then(Json::as_bool) == Some(true) {
        return Err(ImportError::Unsupported { why: Why::PgpEncrypted });
    }
    let vaults = json.get("vaults").and_then(Json::as_object).ok_or_else(|| damaged(Why::missing("vaults")))?;
    let mut drafts = Vec::new();
    for vault in vaults.values() {
        let vault_name = s(vault, "name");
        for item in vault.get("items").and_then(Json::as_array).into_iter().flatten() {
            let data = item.get("data").unwrap_or(&Json::Null);
            let meta = data.get("metadata").unwrap_or(&Json::Null);
            let content = data.get("content").unwrap_or(&Json::Null);
            let item_name = s(meta, "name");
            let user = match s(content, "itemUsername") {
                u if u.is_empty() => s(content, "itemEmail"),
                u => u,
            };
            let mut values: Vec<Zeroizing<String>> = Vec::new();
            if let Some(uri) = content.get("totpUri").and_then(Json::as_str) {
                values.push(Zeroizing::new(uri.to_owned()));
            }
            for field in data.get("extraFields").and_then(Json::as_array).into_iter().flatten() {
                if s(field, "type") == "totp" {
                    values.push(Zeroizing::new(field.get("data").map(|d| s(d, "totpUri")).unwrap_or_default()));
                }
            }
            for value in values.into_iter().filter(|v| !v.trim().is_empty()) {
                let mut d = super::bitwarden::value_draft(&value, &item_name, &user);
                if let Ok(d) = &mut d {
                    d.note = s(meta, "note");
                    if !vault_name.is_empty() {
                        d.groups.push(vault_name.clone());
                    }
                }
                drafts.push(d);
            }
        }
    }
    Ok(drafts)
}
