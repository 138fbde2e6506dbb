//! Aegis Authenticator vault export (JSON).
//!
//! Source: Aegis `docs/vault.md` (beemdevelopment/Aegis) and its importer tests. `{version: 1, header:
//! {slots, params}, db}`; plain exports carry `db` as an object (db versions 1-3), encrypted ones as base64
//! of AES-256-GCM ciphertext under a master key that each password slot wraps with an scrypt-derived key.
//! Biometric slots (type 2) cannot be used outside the phone and are skipped.
//!
//! Kept: type, issuer, name, secret, algorithm, digits, period/counter, note, favourite, groups (db v2
//! group name or db v3 group UUIDs resolved to names). Lost: icons, entry UUIDs, usage counts. mOTP and
//! Yandex entries are reported by name as unsupported.

use zeroize::Zeroizing;

use super::common::{
    Draft, DraftKind, Json, SecretText, check_kdf, crypto, int, need_password, parse_json, problem, s,
};
use super::{EntryProblem, ImportError, ProblemKind};
use crate::crypto::{AegisSlot, SlotError};

pub(super) fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let file = parse_json(bytes, "the Aegis file")?;
    let db = match file.get("db") {
        Some(Json::Object(_)) => file["db"].clone(),
        Some(Json::String(ciphertext)) => {
            let plain = decrypt(&file, ciphertext, need_password(password)?)?;
            parse_json(&plain, "the decrypted Aegis vault")?
        }
        _ => return Err(ImportError::Damaged { reason: "the Aegis file has no \"db\"".into() }),
    };
    convert_db(&db)
}

fn hex_field(v: &Json, key: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    v.get(key)
        .and_then(Json::as_str)
        .and_then(super::common::decode_hex)
        .ok_or_else(|| ImportError::Damaged { reason: format!("the Aegis header has no valid \"{key}\"") })
}

fn decrypt(file: &Json, ciphertext: &str, password: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let header =
        file.get("header").ok_or_else(|| ImportError::Damaged { reason: "the Aegis file has no header".into() })?;
    let slots = header
        .get("slots")
        .and_then(Json::as_array)
        .ok_or_else(|| ImportError::Damaged { reason: "the Aegis header has no slots".into() })?;
    let params =
        header.get("params").ok_or_else(|| ImportError::Damaged { reason: "the Aegis header has no params".into() })?;
    let mut master: Option<Zeroizing<[u8; 32]>> = None;
    let mut saw_password_slot = false;
    for slot in slots.iter().filter(|slot| slot.get("type").and_then(Json::as_i64) == Some(1)) {
        saw_password_slot = true;
        let n = slot.get("n").and_then(Json::as_u64).unwrap_or(0);
        let r = slot.get("r").and_then(Json::as_u64).unwrap_or(0);
        let p = slot.get("p").and_then(Json::as_u64).unwrap_or(0);
        check_kdf("scrypt N", n, 2, 1 << 20)?;
        check_kdf("scrypt r", r, 1, 32)?;
        check_kdf("scrypt p", p, 1, 16)?;
        check_kdf("scrypt memory (bytes)", 128 * r * n, 1, 1 << 30)?;
        if !n.is_power_of_two() {
            return Err(ImportError::KdfOutOfRange { reason: format!("scrypt N {n} is not a power of two") });
        }
        let salt = hex_field(slot, "salt")?;
        let wrapped = hex_field(slot, "key")?;
        let key_params =
            slot.get("key_params").ok_or_else(|| ImportError::Damaged { reason: "a slot has no key_params".into() })?;
        let nonce = hex_field(key_params, "nonce")?;
        let tag = hex_field(key_params, "tag")?;
        let log_n = n.trailing_zeros() as u8;
        let slot = AegisSlot { log_n, r: r as u32, p: p as u32, salt: &salt, key: &wrapped, nonce: &nonce, tag: &tag };
        match crypto::open_aegis_slot(password.as_bytes(), &slot) {
            Ok(Some(key)) => {
                master = Some(key);
                break;
            }
            Ok(None) => {}
            Err(SlotError::Params) => {
                return Err(ImportError::KdfOutOfRange { reason: "scrypt parameters refused".into() });
            }
            Err(SlotError::KeyLength) => {
                return Err(ImportError::Damaged { reason: "the master key has the wrong length".into() });
            }
        }
    }
    if !saw_password_slot {
        return Err(ImportError::Unsupported { what: "an Aegis vault without a password slot".into() });
    }
    let master = master.ok_or(ImportError::WrongPassword)?;
    let nonce = hex_field(params, "nonce")?;
    let tag = hex_field(params, "tag")?;
    let sealed = super::common::decode_base64(ciphertext)
        .ok_or_else(|| ImportError::Damaged { reason: "the Aegis \"db\" is not base64".into() })?;
    crypto::open(&master, &nonce, &sealed, &tag)
        .ok_or_else(|| ImportError::Damaged { reason: "the vault contents fail their integrity check".into() })
}

fn convert_db(db: &Json) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let entries = super::common::array(db, "entries", "the Aegis vault")?;
    let group_names: Vec<(String, String)> = db
        .get("groups")
        .and_then(Json::as_array)
        .map(|groups| groups.iter().map(|g| (s(g, "uuid"), s(g, "name"))).collect())
        .unwrap_or_default();
    Ok(entries.iter().map(|e| convert_entry(e, &group_names)).collect())
}

fn convert_entry(e: &Json, group_names: &[(String, String)]) -> Result<Draft, EntryProblem> {
    let issuer = s(e, "issuer");
    let name = s(e, "name");
    let label = super::common::label_of(&issuer, &name);
    let bad = |k| problem(label.clone(), k);
    let info = e.get("info").ok_or_else(|| bad(ProblemKind::Malformed("entry has no \"info\"".into())))?;
    let kind = match s(e, "type").to_ascii_lowercase().as_str() {
        "totp" => DraftKind::Totp,
        "hotp" => DraftKind::Hotp,
        "steam" => DraftKind::Steam,
        "motp" => DraftKind::Unsupported("mOTP".into()),
        "yandex" => DraftKind::Unsupported("Yandex".into()),
        other => DraftKind::Unsupported(super::common::truncate(other, 20)),
    };
    let secret = match info.get("secret").and_then(Json::as_str) {
        Some(text) => SecretText::base32(text),
        None => SecretText::Missing,
    };
    let mut d = Draft::new(kind, issuer, name, secret);
    d.algorithm = super::common::opt_s(info, "algo");
    d.digits = int(info, "digits").map_err(bad)?;
    d.period = int(info, "period").map_err(bad)?;
    d.counter = int(info, "counter").map_err(bad)?;
    d.note = s(e, "note");
    d.favorite = e.get("favorite").and_then(Json::as_bool).unwrap_or(false);
    if let Some(group) = e.get("group").and_then(Json::as_str).filter(|g| !g.is_empty()) {
        d.groups.push(group.to_owned());
    }
    if let Some(ids) = e.get("groups").and_then(Json::as_array) {
        for id in ids.iter().filter_map(Json::as_str) {
            if let Some((_, name)) = group_names.iter().find(|(uuid, _)| uuid == id) {
                d.groups.push(name.clone());
            }
        }
    }
    Ok(d)
}
