//! Aegis Authenticator vault export (JSON).
//!
//! Source: Aegis `docs/vault.md` (beemdevelopment/Aegis) and its importer tests. `{version: 1, header:
//! {slots, params}, db}`; plain exports carry `db` as an object (db versions 1-3), encrypted ones as base64
//! of AES-256-GCM ciphertext under a master key that each password slot wraps with an scrypt-derived key.
//! Biometric slots (type 2) cannot be used outside the phone and are skipped.
//!
//! Kept: type, issuer, name, secret, algorithm, digits, period/counter, note, favourite, groups (db v2
//! group name or db v3 group UUIDs resolved to names). Icons come in as our icons (`crate::icon`). Lost: usage counts. mOTP and
//! Yandex entries are reported by name as unsupported. Entry UUIDs are kept beside the accounts
//! ([`super::ImportReport::entry_ids`]) for following backups.

use std::collections::HashMap;

use zeroize::Zeroizing;

use super::common::{
    Draft, DraftKind, Json, SecretJson, SecretText, check_kdf, crypto, damaged, first_wins, int, kdf_refused,
    need_password, parse_json, problem, s,
};
use super::{Cancel, EntryProblem, ImportError, ProblemKind, Why};
use crate::crypto::{AegisSlot, SlotError};

/// Most password slots we try. Aegis writes one; a file with many would make us run scrypt for each.
const MAX_PASSWORD_SLOTS: usize = 8;
/// Largest scrypt memory one slot may ask for (128 · r · N bytes). Aegis uses 32 MiB.
const MAX_SLOT_MEMORY: u64 = 256 << 20;
/// Largest total scrypt work (Σ N · r · p) over all password slots: 16 times Aegis's own parameters
/// (N = 2^15, r = 8, p = 1), about a second or two of derivation in all.
const MAX_TOTAL_WORK: u64 = 1 << 22;

pub(super) fn read(
    bytes: &[u8],
    password: Option<&str>,
    cancel: &Cancel,
) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let mut file = parse_json(bytes)?;
    if file.get("db").is_some_and(Json::is_object) {
        // Moved out, not cloned: the copy would not be wiped.
        let db = SecretJson(file.get_mut("db").map(Json::take).unwrap_or_default());
        return convert_db(&db);
    }
    let db = match file.get("db") {
        Some(Json::String(ciphertext)) => {
            let plain = decrypt(&file, ciphertext, need_password(password)?, cancel)?;
            parse_json(&plain)?
        }
        _ => return Err(damaged(Why::missing("db"))),
    };
    convert_db(&db)
}

fn hex_field(v: &Json, key: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    v.get(key).and_then(Json::as_str).and_then(super::common::decode_hex).ok_or_else(|| damaged(Why::invalid(key)))
}

/// One password slot, decoded and range-checked before any key is derived.
struct PasswordSlot {
    log_n: u8,
    r: u32,
    p: u32,
    salt: Zeroizing<Vec<u8>>,
    wrapped: Zeroizing<Vec<u8>>,
    nonce: Zeroizing<Vec<u8>>,
    tag: Zeroizing<Vec<u8>>,
}

impl PasswordSlot {
    /// Reads a type-1 slot; refuses scrypt costs a real Aegis file never has. Returns the slot and its work
    /// (N · r · p).
    fn read(slot: &Json) -> Result<(Self, u64), ImportError> {
        let n = slot.get("n").and_then(Json::as_u64).unwrap_or(0);
        let r = slot.get("r").and_then(Json::as_u64).unwrap_or(0);
        let p = slot.get("p").and_then(Json::as_u64).unwrap_or(0);
        check_kdf("n", n, 2, 1 << 20)?;
        check_kdf("r", r, 1, 32)?;
        check_kdf("p", p, 1, 16)?;
        check_kdf("128·r·n", 128 * r * n, 1, MAX_SLOT_MEMORY)?;
        if !n.is_power_of_two() {
            return Err(ImportError::KdfOutOfRange { why: Why::NotPowerOfTwo { field: "n".into(), value: n } });
        }
        let key_params = slot.get("key_params").ok_or_else(|| damaged(Why::missing("key_params")))?;
        let decoded = PasswordSlot {
            log_n: n.trailing_zeros() as u8,
            r: r as u32,
            p: p as u32,
            salt: hex_field(slot, "salt")?,
            wrapped: hex_field(slot, "key")?,
            nonce: hex_field(key_params, "nonce")?,
            tag: hex_field(key_params, "tag")?,
        };
        Ok((decoded, n * r * p))
    }
}

fn decrypt(file: &Json, ciphertext: &str, password: &str, cancel: &Cancel) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let header = file.get("header").ok_or_else(|| damaged(Why::missing("header")))?;
    let slots = header.get("slots").and_then(Json::as_array).ok_or_else(|| damaged(Why::missing("slots")))?;
    let params = header.get("params").ok_or_else(|| damaged(Why::missing("params")))?;
    let password_slots: Vec<&Json> =
        slots.iter().filter(|slot| slot.get("type").and_then(Json::as_i64) == Some(1)).collect();
    if password_slots.is_empty() {
        return Err(ImportError::Unsupported { why: Why::NoPasswordSlot });
    }
    if password_slots.len() > MAX_PASSWORD_SLOTS {
        return Err(ImportError::LimitExceeded {
            why: Why::TooMany { field: "slots".into(), count: password_slots.len(), max: MAX_PASSWORD_SLOTS },
        });
    }
    // Every slot is decoded and the total cost summed before the first derivation.
    let mut decoded = Vec::with_capacity(password_slots.len());
    let mut total_work = 0u64;
    for slot in password_slots {
        let (slot, work) = PasswordSlot::read(slot)?;
        total_work = total_work.saturating_add(work);
        decoded.push(slot);
    }
    if total_work > MAX_TOTAL_WORK {
        return Err(ImportError::KdfOutOfRange { why: Why::TooMuchWork { work: total_work, max: MAX_TOTAL_WORK } });
    }
    let nonce = hex_field(params, "nonce")?;
    let tag = hex_field(params, "tag")?;
    let sealed = super::common::decode_base64(ciphertext).ok_or_else(|| damaged(Why::not_base64("db")))?;
    let mut master: Option<Zeroizing<[u8; 32]>> = None;
    for slot in &decoded {
        cancel.check()?;
        let slot = AegisSlot {
            log_n: slot.log_n,
            r: slot.r,
            p: slot.p,
            salt: &slot.salt,
            key: &slot.wrapped,
            nonce: &slot.nonce,
            tag: &slot.tag,
        };
        match crypto::open_aegis_slot(password.as_bytes(), &slot) {
            Ok(Some(key)) => {
                master = Some(key);
                break;
            }
            Ok(None) => {}
            Err(SlotError::Params) => {
                return Err(kdf_refused());
            }
            Err(SlotError::KeyLength) => {
                return Err(damaged(Why::wrong_length("key")));
            }
        }
    }
    let master = master.ok_or(ImportError::WrongPassword)?;
    crypto::open(&master, &nonce, &sealed, &tag).ok_or_else(|| damaged(Why::CannotDecrypt))
}

fn convert_db(db: &Json) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let entries = super::common::array(db, "entries")?;
    // A map, not a list searched for every group of every entry (quadratic in a hostile file).
    let group_names: HashMap<String, String> = db
        .get("groups")
        .and_then(Json::as_array)
        .map(|groups| first_wins(groups.iter().map(|g| (s(g, "uuid"), s(g, "name")))))
        .unwrap_or_default();
    Ok(entries.iter().map(|e| convert_entry(e, &group_names)).collect())
}

/// The entry's `icon` (base64) as our icon; `icon_mime` says whether it is an SVG. A picture that cannot be
/// read is left out: the account still comes in, with the service's brand icon.
fn icon(e: &Json) -> Option<crate::icon::Icon> {
    let b64 = e.get("icon").and_then(Json::as_str).filter(|b| !b.is_empty())?;
    if b64.len() > crate::icon::MAX_INPUT / 3 * 4 + 4 {
        return None;
    }
    let bytes = data_encoding::BASE64.decode(b64.trim().as_bytes()).ok()?;
    let svg = e.get("icon_mime").and_then(Json::as_str).is_some_and(|m| m.eq_ignore_ascii_case("image/svg+xml"));
    crate::icon::Icon::from_picture(&bytes, svg).ok()
}

fn convert_entry(e: &Json, group_names: &HashMap<String, String>) -> Result<Draft, EntryProblem> {
    let issuer = s(e, "issuer");
    let name = s(e, "name");
    let label = crate::model::label(&issuer, &name);
    let bad = |k| problem(label.clone(), k);
    let info = e.get("info").ok_or_else(|| bad(ProblemKind::Malformed(Why::missing("info"))))?;
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
    d.entry_id = e.get("uuid").and_then(Json::as_str).filter(|u| !u.is_empty()).map(|u| super::common::truncate(u, 64));
    d.icon = icon(e);
    if let Some(group) = e.get("group").and_then(Json::as_str).filter(|g| !g.is_empty()) {
        d.groups.push(group.to_owned());
    }
    if let Some(ids) = e.get("groups").and_then(Json::as_array) {
        for id in ids.iter().filter_map(Json::as_str) {
            if let Some(name) = group_names.get(id) {
                d.groups.push(name.clone());
            }
        }
    }
    Ok(d)
}
