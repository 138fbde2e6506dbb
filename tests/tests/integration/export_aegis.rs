//! Aegis exports open the way Aegis opens them.
//!
//! `independent` below is a second implementation of Aegis's vault format written straight from
//! beemdevelopment/Aegis `docs/vault.md` (scrypt slot unwraps the master key with AES-256-GCM, the master key
//! opens the Base64 `db`), with its own scrypt and AES-GCM calls and its own JSON reading. It shares no code
//! with `twofold_core::export`. It is first checked on Aegis's own encrypted test vault (shared fixtures),
//! then used to open what our exporter wrote.

use serde_json::Value;
use twofold_core::export::{self, ExportError, Format, PlaintextAck, Protection};
use twofold_core::model::RecoveryCode;
use twofold_core::{Account, Algorithm, OtpKind, OtpParams, Secret};

/// An Aegis entry as the documented format spells it.
#[derive(Debug, PartialEq)]
struct DocEntry {
    kind: String,
    uuid: String,
    issuer: String,
    name: String,
    secret_bytes: Vec<u8>,
    algo: String,
    digits: u64,
    period: Option<u64>,
    counter: Option<u64>,
    note: String,
    favorite: bool,
    groups: Vec<String>,
}

mod independent {
    use aes_gcm::aead::{Aead, KeyInit};
    use aes_gcm::{Aes256Gcm, Key, Nonce};
    use serde_json::Value;

    use super::DocEntry;

    fn hex(v: &Value) -> Vec<u8> {
        data_encoding::HEXLOWER_PERMISSIVE.decode(v.as_str().expect("hex string").as_bytes()).expect("hex")
    }

    /// AES-256-GCM with the tag stored apart, as `docs/vault.md` describes.
    fn gcm_open(key: &[u8], nonce: &[u8], ciphertext: &[u8], tag: &[u8]) -> Option<Vec<u8>> {
        let key: [u8; 32] = key.try_into().ok()?;
        let nonce: [u8; 12] = nonce.try_into().ok()?;
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(key));
        let mut joined = ciphertext.to_vec();
        joined.extend_from_slice(tag);
        cipher.decrypt(&Nonce::from(nonce), joined.as_slice()).ok()
    }

    /// The `db` object of an Aegis vault file: parsed directly when plain, decrypted with `password` when not.
    pub fn open_db(file: &[u8], password: Option<&str>) -> Result<Value, String> {
        let file: Value = serde_json::from_slice(file).map_err(|e| format!("json: {e}"))?;
        if file["version"] != 1 {
            return Err("file version is not 1".into());
        }
        let header = &file["header"];
        if header["slots"].is_null() && header["params"].is_null() {
            return if file["db"].is_object() {
                Ok(file["db"].clone())
            } else {
                Err("plain db is not an object".into())
            };
        }
        let password = password.ok_or("encrypted file but no password")?;
        let slots = header["slots"].as_array().ok_or("slots is not a list")?;
        let mut master = None;
        for slot in slots.iter().filter(|s| s["type"] == 1) {
            let n = slot["n"].as_u64().ok_or("n")?;
            let r = u32::try_from(slot["r"].as_u64().ok_or("r")?).map_err(|e| e.to_string())?;
            let p = u32::try_from(slot["p"].as_u64().ok_or("p")?).map_err(|e| e.to_string())?;
            assert!(n.is_power_of_two() && n <= 1 << 20, "n out of range");
            let log_n = u8::try_from(n.trailing_zeros()).map_err(|e| e.to_string())?;
            let params = scrypt::Params::new(log_n, r, p).map_err(|e| e.to_string())?;
            let mut derived = [0u8; 32];
            scrypt::scrypt(password.as_bytes(), &hex(&slot["salt"]), &params, &mut derived)
                .map_err(|e| e.to_string())?;
            let key_params = &slot["key_params"];
            if let Some(key) =
                gcm_open(&derived, &hex(&key_params["nonce"]), &hex(&slot["key"]), &hex(&key_params["tag"]))
            {
                master = Some(key);
                break;
            }
        }
        let master = master.ok_or("no password slot opens")?;
        let ciphertext = data_encoding::BASE64
            .decode(file["db"].as_str().ok_or("encrypted db is not a string")?.as_bytes())
            .map_err(|e| e.to_string())?;
        let params = &header["params"];
        let plain =
            gcm_open(&master, &hex(&params["nonce"]), &ciphertext, &hex(&params["tag"])).ok_or("db does not open")?;
        serde_json::from_slice(&plain).map_err(|e| format!("db json: {e}"))
    }

    /// The entries of a `db` object, with group UUIDs resolved to names through `db.groups`.
    pub fn entries(db: &Value) -> Vec<DocEntry> {
        let groups = db["groups"].as_array().cloned().unwrap_or_default();
        let group_name = |uuid: &Value| -> String {
            groups.iter().find(|g| g["uuid"] == *uuid).expect("entry group is listed")["name"]
                .as_str()
                .expect("group name")
                .to_string()
        };
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        db["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .map(|e| {
                let info = &e["info"];
                let mut groups: Vec<String> =
                    e["groups"].as_array().map(|g| g.iter().map(group_name).collect()).unwrap_or_default();
                groups.sort();
                DocEntry {
                    kind: text(&e["type"]),
                    uuid: text(&e["uuid"]),
                    issuer: text(&e["issuer"]),
                    name: text(&e["name"]),
                    secret_bytes: data_encoding::BASE32_NOPAD
                        .decode(info["secret"].as_str().expect("secret").as_bytes())
                        .expect("base32 secret without padding"),
                    algo: text(&info["algo"]),
                    digits: info["digits"].as_u64().expect("digits"),
                    period: info["period"].as_u64(),
                    counter: info["counter"].as_u64(),
                    note: text(&e["note"]),
                    favorite: e["favorite"].as_bool().unwrap_or(false),
                    groups,
                }
            })
            .collect()
    }
}

/// What Aegis should hold for one of our accounts, spelled in the documented format's terms.
fn doc_entry(account: &Account) -> DocEntry {
    let (kind, period, counter) = match account.otp.kind {
        OtpKind::Totp { period } => ("totp", Some(u64::from(period)), None),
        OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
        OtpKind::Steam { period } => ("steam", Some(u64::from(period)), None),
        _ => panic!("unknown kind"),
    };
    let mut groups = account.groups.clone();
    groups.sort();
    groups.dedup();
    DocEntry {
        kind: kind.into(),
        uuid: account.id.to_string(),
        issuer: account.issuer.clone(),
        name: account.name.clone(),
        secret_bytes: account.secret.as_bytes().to_vec(),
        algo: account.otp.algorithm.as_str().into(),
        digits: u64::from(account.otp.digits),
        period,
        counter,
        note: account.note.clone(),
        favorite: account.favorite,
        groups,
    }
}

/// A varied set: every kind and algorithm, odd digits and periods, non-ASCII text, shared and repeated
/// groups, an empty issuer, long keys, notes, favourites and recovery codes (which Aegis cannot hold).
#[allow(clippy::unwrap_used)]
fn accounts() -> Vec<Account> {
    let key = |n: u8, len: usize| {
        Secret::from_bytes((0..len).map(|i| n.wrapping_mul(31).wrapping_add(i as u8)).collect::<Vec<_>>()).unwrap()
    };
    let p = |kind, algorithm, digits| OtpParams { kind, algorithm, digits };
    let mut list = vec![
        Account::new(
            "GitHub",
            "alice@example.com",
            Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap(),
            OtpParams::default_totp(),
            1_700_000_000,
        ),
        Account::new(
            "Bank \u{e9}\u{e8}",
            "b\u{f6}b",
            key(2, 20),
            p(OtpKind::Hotp { counter: 0 }, Algorithm::Sha256, 8),
            0,
        ),
        Account::new("", "no issuer", key(3, 64), p(OtpKind::Totp { period: 60 }, Algorithm::Sha512, 10), 0),
        Account::new("Steam", "gamer", key(4, 10), OtpParams::steam(), 0),
        Account::new(
            "日本語",
            "ユーザー 🔐",
            key(5, 32),
            p(OtpKind::Hotp { counter: u64::from(u32::MAX) + 7 }, Algorithm::Sha1, 7),
            0,
        ),
        Account::new(
            "Quote\"Slash\\",
            "tab\tnew\nline",
            key(6, 1),
            p(OtpKind::Totp { period: 15 }, Algorithm::Sha256, 4),
            0,
        ),
    ];
    list[0].groups = vec!["Work".into(), "Dev".into()];
    list[0].note = "primary \u{2014} keep".into();
    list[0].favorite = true;
    list[1].groups = vec!["Work".into(), "Work".into()];
    list[4].groups = vec!["家族".into()];
    list[4].recovery_codes.push(RecoveryCode { code: String::from("1111-2222").into(), used: false });
    list
}

fn plaintext() -> Protection<'static> {
    Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets())
}

#[test]
fn independent_decryptor_opens_aegis_own_encrypted_vault() {
    let Some(fixtures) = twofold_tests::fixtures_dir("independent_decryptor_opens_aegis_own_encrypted_vault") else {
        return;
    };
    let bytes = std::fs::read(fixtures.join("peers/aegis/aegis/aegis_encrypted.json")).unwrap();
    let expected = twofold_tests::read_json(&fixtures.join("peers/expected.json"));
    let expected =
        expected["fixtures"]["aegis/aegis/aegis_encrypted.json"]["expected"]["entries"].as_array().unwrap().clone();
    assert!(independent::open_db(&bytes, Some("wrong")).is_err());
    let db = independent::open_db(&bytes, Some("test")).unwrap();
    let entries = independent::entries(&db);
    assert_eq!(entries.len(), expected.len());
    for (got, want) in entries.iter().zip(&expected) {
        assert_eq!(got.kind, want["type"].as_str().unwrap());
        assert_eq!(got.issuer, want["issuer"].as_str().unwrap());
        assert_eq!(got.name, want["name"].as_str().unwrap());
        assert_eq!(data_encoding::HEXLOWER.encode(&got.secret_bytes), want["secret_hex"].as_str().unwrap());
        assert_eq!(got.algo, want["algorithm"].as_str().unwrap());
        assert_eq!(got.digits, want["digits"].as_u64().unwrap());
        assert_eq!(got.period, want["period"].as_u64());
        assert_eq!(got.counter, want["counter"].as_u64());
    }
}

#[test]
fn encrypted_export_opens_with_the_independent_decryptor() {
    let accounts = accounts();
    let password = "s3cret p\u{e4}ss \u{1f511}";
    let exported = export::export(&accounts, Format::AegisEncrypted, Protection::Password(password), 0).unwrap();
    assert_eq!(exported.count, accounts.len());
    assert_eq!(exported.losses.len(), 1, "the recovery codes are reported as lost");
    let text = std::str::from_utf8(&exported.bytes).unwrap();
    assert!(!text.contains("JBSWY3DP") && !text.contains("GitHub"), "nothing readable in an encrypted file");

    let db = independent::open_db(&exported.bytes, Some(password)).unwrap();
    assert_eq!(db["version"], 3);
    let got = independent::entries(&db);
    let want: Vec<DocEntry> = accounts.iter().map(doc_entry).collect();
    assert_eq!(got, want);

    assert!(independent::open_db(&exported.bytes, Some("s3cret pass")).is_err());
}

#[test]
fn every_encrypted_export_has_a_fresh_master_key_salt_and_nonces() {
    let accounts = accounts();
    let a = export::export(&accounts, Format::AegisEncrypted, Protection::Password("pw"), 0).unwrap();
    let b = export::export(&accounts, Format::AegisEncrypted, Protection::Password("pw"), 0).unwrap();
    let a: Value = serde_json::from_slice(&a.bytes).unwrap();
    let b: Value = serde_json::from_slice(&b.bytes).unwrap();
    for path in [
        "/header/slots/0/salt",
        "/header/slots/0/key",
        "/header/slots/0/key_params/nonce",
        "/header/params/nonce",
        "/db",
    ] {
        assert_ne!(a.pointer(path), b.pointer(path), "{path} repeats between exports");
    }
}

#[test]
fn encrypted_header_matches_the_documented_password_slot() {
    let exported = export::export(&accounts(), Format::AegisEncrypted, Protection::Password("pw"), 0).unwrap();
    let file: Value = serde_json::from_slice(&exported.bytes).unwrap();
    assert_eq!(file["version"], 1);
    let slots = file["header"]["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 1);
    let slot = &slots[0];
    assert_eq!(slot["type"], 1);
    assert_eq!((slot["n"].as_u64(), slot["r"].as_u64(), slot["p"].as_u64()), (Some(32768), Some(8), Some(1)));
    assert_eq!(slot["repaired"], true);
    assert_eq!(slot["is_backup"], false);
    let hex_len = |v: &Value| {
        let s = v.as_str().unwrap();
        assert!(s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)), "lowercase hex: {s}");
        s.len()
    };
    assert_eq!(hex_len(&slot["key"]), 64);
    assert_eq!(hex_len(&slot["salt"]), 64);
    assert_eq!(hex_len(&slot["key_params"]["nonce"]), 24);
    assert_eq!(hex_len(&slot["key_params"]["tag"]), 32);
    assert_eq!(hex_len(&file["header"]["params"]["nonce"]), 24);
    assert_eq!(hex_len(&file["header"]["params"]["tag"]), 32);
    uuid::Uuid::parse_str(slot["uuid"].as_str().unwrap()).unwrap();
    assert!(file["db"].is_string());
}

/// The documented plain vault shape, parsed strictly: an unexpected or missing field fails the test.
mod documented_shape {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct File {
        pub version: u32,
        pub header: Header,
        pub db: Db,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Header {
        pub slots: Option<Vec<serde_json::Value>>,
        pub params: Option<serde_json::Value>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Db {
        pub version: u32,
        pub entries: Vec<Entry>,
        pub groups: Vec<Group>,
        pub icons_optimized: bool,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Group {
        pub uuid: uuid::Uuid,
        pub name: String,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Entry {
        #[serde(rename = "type")]
        pub kind: String,
        pub uuid: uuid::Uuid,
        pub name: String,
        pub issuer: String,
        pub note: String,
        pub favorite: bool,
        pub icon: Option<String>,
        pub info: Info,
        pub groups: Vec<uuid::Uuid>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    pub struct Info {
        pub secret: String,
        pub algo: String,
        pub digits: u8,
        pub period: Option<u32>,
        pub counter: Option<u64>,
    }
}

#[test]
fn plain_export_parses_into_the_documented_shape() {
    let accounts = accounts();
    let exported = export::export(&accounts, Format::AegisPlain, plaintext(), 0).unwrap();
    let file: documented_shape::File = serde_json::from_slice(&exported.bytes).unwrap();
    assert_eq!(file.version, 1);
    assert!(file.header.slots.is_none() && file.header.params.is_none());
    assert_eq!(file.db.version, 3);
    assert!(file.db.icons_optimized);
    assert_eq!(file.db.entries.len(), accounts.len());
    let group_names: Vec<&str> = file.db.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(group_names, ["Work", "Dev", "家族"], "each group once, in first-use order");
    for (entry, account) in file.db.entries.iter().zip(&accounts) {
        assert_eq!(entry.uuid, account.id.0);
        assert!(entry.icon.is_none());
        assert_eq!(entry.info.secret, *account.secret.to_base32());
        assert!(!entry.info.secret.contains('='));
        assert!(["totp", "hotp", "steam"].contains(&entry.kind.as_str()));
        assert_eq!(entry.info.period.is_some(), entry.kind != "hotp");
        assert_eq!(entry.info.counter.is_some(), entry.kind == "hotp");
        assert!(["SHA1", "SHA256", "SHA512"].contains(&entry.info.algo.as_str()));
        assert!(entry.groups.iter().all(|g| file.db.groups.iter().any(|d| d.uuid == *g)));
        assert_eq!(entry.name, account.name);
        assert_eq!(entry.issuer, account.issuer);
        assert_eq!(entry.note, account.note);
        assert_eq!(entry.favorite, account.favorite);
        assert_eq!(entry.info.digits, account.otp.digits);
    }
    // And the independent reader agrees on every field.
    let db = independent::open_db(&exported.bytes, None).unwrap();
    assert_eq!(independent::entries(&db), accounts.iter().map(doc_entry).collect::<Vec<_>>());
}

#[test]
fn plain_export_is_shaped_like_aegis_own_plain_vault() {
    let Some(fixtures) = twofold_tests::fixtures_dir("plain_export_is_shaped_like_aegis_own_plain_vault") else {
        return;
    };
    let theirs = twofold_tests::read_json(&fixtures.join("peers/aegis/aegis/aegis_plain.json"));
    let ours = export::export(&accounts(), Format::AegisPlain, plaintext(), 0).unwrap();
    let ours: Value = serde_json::from_slice(&ours.bytes).unwrap();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<std::collections::BTreeSet<_>>();
    assert_eq!(keys(&ours), keys(&theirs));
    assert_eq!(keys(&ours["header"]), keys(&theirs["header"]));
    assert_eq!(ours["header"], theirs["header"]);
    // Every field Aegis's own entries carry (except the pre-v3 `group` and the icon's MIME type, which Aegis
    // writes only with an icon) is in ours, with the same JSON type.
    let their_entry = &theirs["db"]["entries"][0];
    let our_entry = &ours["db"]["entries"][0];
    for key in keys(their_entry) {
        if key == "group" || key == "icon_mime" {
            continue;
        }
        let (a, b) = (&their_entry[&key], &our_entry[&key]);
        assert_eq!(std::mem::discriminant(a), std::mem::discriminant(b), "entry field {key}");
    }
    for key in keys(&their_entry["info"]) {
        assert!(our_entry["info"].get(&key).is_some(), "info field {key}");
    }
}

#[test]
fn round_trip_through_verify_and_wrong_password() {
    let accounts = accounts();
    let exported = export::export(&accounts, Format::AegisEncrypted, Protection::Password("one"), 0).unwrap();
    assert_eq!(
        export::verify(&exported.bytes, Format::AegisEncrypted, Protection::Password("one"), &accounts),
        Ok(accounts.len())
    );
    let err =
        export::verify(&exported.bytes, Format::AegisEncrypted, Protection::Password("two"), &accounts).unwrap_err();
    assert_eq!(err, ExportError::Verification { why: export::Mismatch::NoSlotOpens });

    let mut damaged = exported.bytes.to_vec();
    let at = damaged.len() / 2;
    damaged[at] ^= 0x01;
    assert!(export::verify(&damaged, Format::AegisEncrypted, Protection::Password("one"), &accounts).is_err());
    assert!(
        export::verify(&exported.bytes[..at], Format::AegisEncrypted, Protection::Password("one"), &accounts).is_err()
    );
}

#[test]
fn empty_vault_exports() {
    let exported = export::export(&[], Format::AegisEncrypted, Protection::Password("pw"), 0).unwrap();
    assert_eq!(exported.count, 0);
    let db = independent::open_db(&exported.bytes, Some("pw")).unwrap();
    assert!(independent::entries(&db).is_empty());
}
