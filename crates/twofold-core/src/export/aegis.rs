//! Aegis Authenticator's vault JSON, plain or encrypted, as its `docs/vault.md` describes it.
//!
//! Spec: beemdevelopment/Aegis `docs/vault.md` (file version 1), with the content (`db`) at version 3 as
//! Aegis's `Vault.toJson` writes it today: `entries` plus a `groups` list of `{uuid, name}` that entries
//! point to by UUID.
//!
//! Encrypted files have one password slot (type 1): scrypt (N = 2^15, r = 8, p = 1, a random 32-byte salt)
//! derives a key that wraps a **fresh** random 256-bit master key with AES-256-GCM; the UTF-8 bytes of the
//! JSON `db` object are sealed with AES-256-GCM under the master key and stored as padded Base64. Nonces and
//! tags are lowercase hex, stored apart from the ciphertext, as Aegis does. The password is used as the UTF-8
//! of its NFC form (what a phone keyboard types; Aegis itself uses the UTF-8 of the typed text).
//!
//! What is lost ([`super::Format::leaves_out`]): recovery codes (Aegis has no place for them; reported per
//! account as a [`super::Loss`]), the manual order
//! (entries are written in the order given), created/updated/last-used times and use counts. Aegis keeps
//! group membership as a set, so the order of an account's groups is not kept either.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::ExportError;
use crate::crypto::{self, AegisSlot, CryptoError, KEY_LEN, NONCE_LEN, SlotError, TAG_LEN};
use crate::model::{Account, AccountId, Algorithm, OtpKind, OtpParams};
use crate::secret::Secret;

/// Aegis's outer file version.
const FILE_VERSION: u32 = 1;
/// The content version we write (groups by UUID, Aegis 3.0 and later).
const DB_VERSION: u32 = 3;
/// Aegis's scrypt parameters (`CryptoUtils.CRYPTO_SCRYPT_*`).
const SCRYPT_LOG_N: u8 = 15;
const SCRYPT_R: u32 = 8;
const SCRYPT_P: u32 = 1;
/// Slot type of a password slot.
const SLOT_PASSWORD: u8 = 1;
/// Bounds on scrypt parameters read back from a file, checked before anything is allocated: 2^20 × 8 × 128
/// bytes is 1 GiB, far above what Aegis on a phone can use.
const MAX_LOG_N: u32 = 20;
const MAX_R: u32 = 32;
const MAX_P: u32 = 16;

#[derive(Serialize, Deserialize)]
struct AegisFile {
    version: u32,
    header: Header,
    db: DbField,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum DbField {
    Sealed(String),
    Plain(Db),
}

#[derive(Serialize, Deserialize)]
struct Header {
    slots: Option<Vec<Slot>>,
    params: Option<CryptParams>,
}

#[derive(Serialize, Deserialize)]
struct Slot {
    #[serde(rename = "type")]
    kind: u8,
    uuid: String,
    key: String,
    key_params: CryptParams,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    n: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    r: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    p: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    salt: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    repaired: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_backup: Option<bool>,
}

#[derive(Serialize, Deserialize)]
struct CryptParams {
    nonce: String,
    tag: String,
}

#[derive(Serialize, Deserialize)]
struct Db {
    version: u32,
    entries: Vec<Entry>,
    #[serde(default)]
    groups: Vec<Group>,
    #[serde(default)]
    icons_optimized: bool,
}

#[derive(Serialize, Deserialize)]
struct Group {
    uuid: String,
    name: String,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    uuid: String,
    name: String,
    issuer: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    favorite: bool,
    icon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    icon_mime: Option<String>,
    info: Info,
    #[serde(default)]
    groups: Vec<String>,
}

#[derive(Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
struct Info {
    secret: String,
    algo: String,
    digits: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

/// Writes `accounts` as an Aegis vault: encrypted with `password`, or plain when it is `None`.
pub(super) fn write(accounts: &[Account], password: Option<&str>) -> Result<Zeroizing<Vec<u8>>, ExportError> {
    let mut groups: Vec<Group> = Vec::new();
    let mut entries = Vec::with_capacity(accounts.len());
    for account in accounts {
        let mut group_ids: Vec<String> = Vec::new();
        for name in &account.groups {
            let uuid = match groups.iter().find(|g| &g.name == name) {
                Some(group) => group.uuid.clone(),
                None => {
                    let uuid = uuid::Uuid::new_v4().to_string();
                    groups.push(Group { uuid: uuid.clone(), name: name.clone() });
                    uuid
                }
            };
            if !group_ids.contains(&uuid) {
                group_ids.push(uuid);
            }
        }
        entries.push(entry_from_account(account, group_ids));
    }
    let db = Db { version: DB_VERSION, entries, groups, icons_optimized: true };

    let file = match password {
        None => {
            AegisFile { version: FILE_VERSION, header: Header { slots: None, params: None }, db: DbField::Plain(db) }
        }
        Some(password) => {
            let db_json = Zeroizing::new(serde_json::to_vec(&db).map_err(|_| ExportError::Serialize)?);
            drop(db);
            let master = crypto::random_key().map_err(crypto_error)?;
            let salt = crypto::random::<KEY_LEN>().map_err(crypto_error)?;
            let derived = crypto::scrypt_key(&password_bytes(password), &salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P)
                .map_err(crypto_error)?;
            let wrapped = crypto::seal(&derived, master.as_ref()).map_err(crypto_error)?;
            let sealed_db = crypto::seal(&master, &db_json).map_err(crypto_error)?;
            let slot = Slot {
                kind: SLOT_PASSWORD,
                uuid: uuid::Uuid::new_v4().to_string(),
                key: hex(&wrapped.ciphertext),
                key_params: CryptParams { nonce: hex(&wrapped.nonce), tag: hex(&wrapped.tag) },
                n: Some(1u64 << SCRYPT_LOG_N),
                r: Some(SCRYPT_R),
                p: Some(SCRYPT_P),
                salt: Some(hex(&salt)),
                repaired: Some(true),
                is_backup: Some(false),
            };
            AegisFile {
                version: FILE_VERSION,
                header: Header {
                    slots: Some(vec![slot]),
                    params: Some(CryptParams { nonce: hex(&sealed_db.nonce), tag: hex(&sealed_db.tag) }),
                },
                db: DbField::Sealed(data_encoding::BASE64.encode(&sealed_db.ciphertext)),
            }
        }
    };
    let bytes = Zeroizing::new(serde_json::to_vec_pretty(&file).map_err(|_| ExportError::Serialize)?);
    Ok(bytes)
}

/// Reads an Aegis vault back into accounts; `password` opens an encrypted one. Used to verify what
/// [`write`] produced, so it accepts exactly the documented format and nothing looser.
pub(super) fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Account>, ExportError> {
    let file: AegisFile = serde_json::from_slice(bytes)
        .map_err(|e| verify_error(format!("not an Aegis vault file ({})", json_position(&e))))?;
    if file.version != FILE_VERSION {
        return Err(verify_error(format!("unexpected Aegis file version {}", file.version)));
    }
    let db = match (file.db, file.header.slots, file.header.params, password) {
        (DbField::Plain(db), None, None, None) => db,
        (DbField::Sealed(sealed), Some(slots), Some(params), Some(password)) => {
            let master = unwrap_master_key(&slots, password)?;
            let ciphertext = data_encoding::BASE64
                .decode(sealed.as_bytes())
                .map_err(|_| verify_error("the encrypted db is not valid Base64"))?;
            let nonce: [u8; NONCE_LEN] = unhex_array(&params.nonce, "db nonce")?;
            let tag: [u8; TAG_LEN] = unhex_array(&params.tag, "db tag")?;
            let plain = crypto::open(&master, &nonce, &ciphertext, &tag)
                .ok_or_else(|| verify_error("the db does not decrypt with the master key"))?;
            serde_json::from_slice(&plain)
                .map_err(|e| verify_error(format!("the decrypted db is not valid ({})", json_position(&e))))?
        }
        (DbField::Plain(_), ..) => return Err(verify_error("the file is plain but an encrypted one was expected")),
        (DbField::Sealed(_), ..) => {
            return Err(verify_error("the file is encrypted but its header or the password is missing"));
        }
    };
    if db.version != DB_VERSION {
        return Err(verify_error(format!("unexpected Aegis db version {}", db.version)));
    }
    db.entries.iter().enumerate().map(|(i, entry)| account_from_entry(entry, &db.groups, i)).collect()
}

fn unwrap_master_key(slots: &[Slot], password: &str) -> Result<Zeroizing<[u8; KEY_LEN]>, ExportError> {
    let password = password_bytes(password);
    for slot in slots.iter().filter(|s| s.kind == SLOT_PASSWORD) {
        let (Some(n), Some(r), Some(p), Some(salt)) = (slot.n, slot.r, slot.p, slot.salt.as_deref()) else {
            return Err(verify_error("a password slot lacks its scrypt parameters"));
        };
        if !n.is_power_of_two()
            || n < 2
            || n.trailing_zeros() > MAX_LOG_N
            || !(1..=MAX_R).contains(&r)
            || !(1..=MAX_P).contains(&p)
        {
            return Err(verify_error(format!("scrypt parameters out of range (n={n}, r={r}, p={p})")));
        }
        let log_n = u8::try_from(n.trailing_zeros()).map_err(|_| verify_error("scrypt n out of range"))?;
        let salt = unhex(salt, "slot salt")?;
        let wrapped = unhex(&slot.key, "slot key")?;
        let nonce: [u8; NONCE_LEN] = unhex_array(&slot.key_params.nonce, "slot nonce")?;
        let tag: [u8; TAG_LEN] = unhex_array(&slot.key_params.tag, "slot tag")?;
        let wrapped = AegisSlot { log_n, r, p, salt: &salt, key: &wrapped, nonce: &nonce, tag: &tag };
        match crypto::open_aegis_slot(&password, &wrapped) {
            Ok(Some(master)) => return Ok(master),
            Ok(None) => {}
            Err(SlotError::Params) => return Err(ExportError::Crypto),
            Err(SlotError::KeyLength) => return Err(verify_error("the master key is not 32 bytes")),
        }
    }
    Err(ExportError::Verification { why: super::Mismatch::NoSlotOpens })
}

fn password_bytes(password: &str) -> Zeroizing<Vec<u8>> {
    let normalized: Zeroizing<String> = Zeroizing::new(password.nfc().collect());
    Zeroizing::new(normalized.as_bytes().to_vec())
}

fn entry_from_account(account: &Account, groups: Vec<String>) -> Entry {
    let (kind, period, counter) = match account.otp.kind {
        OtpKind::Totp { period } => ("totp", Some(period), None),
        OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
        OtpKind::Steam { period } => ("steam", Some(period), None),
    };
    Entry {
        kind: kind.to_string(),
        uuid: account.id.0.to_string(),
        name: account.name.clone(),
        issuer: account.issuer.clone(),
        note: account.note.clone(),
        favorite: account.favorite,
        icon: account.icon.as_ref().map(crate::icon::Icon::to_base64),
        icon_mime: account.icon.as_ref().map(|_| String::from("image/png")),
        info: Info {
            secret: std::mem::take(&mut *account.secret.to_base32()),
            algo: account.otp.algorithm.as_str().to_string(),
            digits: account.otp.digits,
            period,
            counter,
        },
        groups,
    }
}

fn account_from_entry(entry: &Entry, groups: &[Group], index: usize) -> Result<Account, ExportError> {
    let at = |what: &str| verify_error(format!("entry {}: {what}", index + 1));
    let id = uuid::Uuid::parse_str(&entry.uuid).map_err(|_| at("uuid is not a UUID"))?;
    let secret = Secret::parse_base32(&entry.info.secret).map_err(|e| at(&e.to_string()))?;
    let algorithm = match entry.info.algo.as_str() {
        "SHA1" => Algorithm::Sha1,
        "SHA256" => Algorithm::Sha256,
        "SHA512" => Algorithm::Sha512,
        _ => return Err(at("unknown algorithm")),
    };
    let kind = match (entry.kind.as_str(), entry.info.period, entry.info.counter) {
        ("totp", Some(period), None) => OtpKind::Totp { period },
        ("hotp", None, Some(counter)) => OtpKind::Hotp { counter },
        ("steam", Some(period), None) => OtpKind::Steam { period },
        _ => return Err(at("type and period/counter do not match")),
    };
    let mut account =
        Account::new(&entry.issuer, &entry.name, secret, OtpParams { kind, algorithm, digits: entry.info.digits }, 0);
    account.id = AccountId(id);
    account.note = entry.note.clone();
    account.favorite = entry.favorite;
    account.order = i64::try_from(index).unwrap_or(i64::MAX);
    if let Some(b64) = &entry.icon {
        let png = data_encoding::BASE64.decode(b64.as_bytes()).map_err(|_| at("icon is not base64"))?;
        account.icon = Some(crate::icon::Icon::from_stored_png(png).map_err(|e| at(&e.to_string()))?);
    }
    for uuid in &entry.groups {
        let group =
            groups.iter().find(|g| &g.uuid == uuid).ok_or_else(|| at("refers to a group that is not listed"))?;
        account.groups.push(group.name.clone());
    }
    Ok(account)
}

/// Where a JSON error is, without serde_json's message: that can quote the offending value, a secret.
fn json_position(e: &serde_json::Error) -> String {
    format!("{:?} error at line {}, column {}", e.classify(), e.line(), e.column())
}

fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

fn unhex(text: &str, what: &str) -> Result<Vec<u8>, ExportError> {
    data_encoding::HEXLOWER_PERMISSIVE.decode(text.as_bytes()).map_err(|_| verify_error(format!("{what} is not hex")))
}

fn unhex_array<const N: usize>(text: &str, what: &str) -> Result<[u8; N], ExportError> {
    unhex(text, what)?.try_into().map_err(|_| verify_error(format!("{what} is not {N} bytes")))
}

fn crypto_error(e: CryptoError) -> ExportError {
    match e {
        CryptoError::Random => ExportError::Random,
        CryptoError::Refused => ExportError::Crypto,
    }
}

fn verify_error(detail: impl Into<String>) -> ExportError {
    super::unreadable(detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Account> {
        let mut a = Account::new(
            "GitHub",
            "alice@example.com",
            Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap(),
            OtpParams::default_totp(),
            1_700_000_000,
        );
        a.groups = vec!["Work".into(), "Dev".into()];
        a.note = "primary".into();
        a.favorite = true;
        let mut b = Account::new(
            "Bank",
            "bob",
            Secret::from_bytes(vec![7u8; 20]).unwrap(),
            OtpParams { kind: OtpKind::Hotp { counter: 42 }, algorithm: Algorithm::Sha256, digits: 8 },
            0,
        );
        b.groups = vec!["Work".into()];
        let c = Account::new("Steam", "gamer", Secret::from_bytes(vec![9u8; 10]).unwrap(), OtpParams::steam(), 0);
        vec![a, b, c]
    }

    #[test]
    fn plain_round_trip_shares_groups() {
        let accounts = sample();
        let bytes = write(&accounts, None).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(value["db"]["groups"].as_array().unwrap().len(), 2);
        let back = read(&bytes, None).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].groups, vec!["Work", "Dev"]);
        assert_eq!(back[1].otp, accounts[1].otp);
        assert_eq!(back[2].otp, OtpParams::steam());
        assert_eq!(back[1].secret, accounts[1].secret);
        assert_eq!(back[0].id, accounts[0].id);
    }

    /// Issue 19: an account's picture travels as Aegis's `icon` (base64) with `icon_mime`, and our importer
    /// reads it back.
    #[test]
    fn icons_are_exported_the_way_aegis_stores_them_and_read_back() {
        let mut accounts = sample();
        let picture = image::RgbaImage::from_pixel(200, 100, image::Rgba([10, 20, 30, 255]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgba8(picture)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        accounts[0].icon = Some(crate::icon::Icon::from_picture(&png, false).unwrap());
        let file = write(&accounts, None).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&file).unwrap();
        let entry = &value["db"]["entries"][0];
        assert_eq!(entry["icon_mime"], "image/png");
        assert_eq!(entry["icon"].as_str(), Some(accounts[0].icon.as_ref().unwrap().to_base64().as_str()));
        assert!(value["db"]["entries"][1]["icon"].is_null() && value["db"]["entries"][1].get("icon_mime").is_none());
        assert_eq!(read(&file, None).unwrap()[0].icon, accounts[0].icon, "the verification read-back keeps it");
        let report = crate::import::import(&file, crate::import::Format::Aegis, None, 0).unwrap();
        let back = report.accounts[0].icon.as_ref().expect("the importer reads the icon");
        let decoded = image::load_from_memory(back.png()).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (128, 64));
    }

    #[test]
    fn encrypted_round_trip_and_wrong_password() {
        let accounts = sample();
        let bytes = write(&accounts, Some("correct horse")).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("JBSWY3DP"));
        let back = read(&bytes, Some("correct horse")).unwrap();
        assert_eq!(back.len(), 3);
        assert_eq!(back[0].secret, accounts[0].secret);
        let err = read(&bytes, Some("wrong")).unwrap_err();
        assert!(err.to_string().contains("no password slot opens"), "{err}");
        assert!(read(&bytes, None).is_err());
    }

    #[test]
    fn hostile_scrypt_parameters_are_refused_before_allocating() {
        let bytes = write(&sample(), Some("pw")).unwrap();
        let mut value: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        value["header"]["slots"][0]["n"] = serde_json::json!(1u64 << 40);
        let err = read(&serde_json::to_vec(&value).unwrap(), Some("pw")).unwrap_err();
        assert!(err.to_string().contains("out of range"), "{err}");
    }

    #[test]
    fn nfd_password_opens_as_nfc() {
        let bytes = write(&sample(), Some("caf\u{e9}")).unwrap();
        assert_eq!(read(&bytes, Some("cafe\u{301}")).unwrap().len(), 3);
    }
}
