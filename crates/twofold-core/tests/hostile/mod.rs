//! Crafted hostile import files (issue 13): each one made a real importer run for minutes or hours, or
//! allocate gigabytes, before the bounds were added. Shared by `tests/hostile_imports.rs` (which checks
//! the typed error each one must end in), `benches/hostile_imports.rs` (worst time) and
//! `examples/hostile_import.rs` (one file per process, for peak memory).
//!
//! Every file is built here from nothing; no fixture is copied in.

#![allow(dead_code, reason = "each user of this module needs a different part of it")]

use std::io::Write;

use serde_json::json;
use twofold_core::import::Format;

/// One crafted file and the format it is read as.
pub struct Case {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub format: Format,
    pub password: Option<&'static str>,
    /// What it did before the fix, for the report.
    pub before: &'static str,
}

/// Every case, in a fixed order. Generating them all takes a few seconds and a few hundred MB.
pub fn all() -> Vec<Case> {
    NAMES.iter().map(|n| by_name(n).expect("every name builds")).collect()
}

pub const NAMES: &[&str] = &[
    "aegis-slot-flood",
    "aegis-costly-slots",
    "aegis-huge-slot",
    "freeotp2-reference-flood",
    "freeotp2-token-lookup",
    "freeotp-xml-order",
    "xml-ampersands",
    "xml-unclosed-tags",
    "stratum-categories",
    "stratum-db-categories",
    "sqlite-row-flood",
    "sqlite-view-loop",
    "sqlite-generated-column",
    "sqlite-long-value",
    "zip-bomb-entries",
    "zip-pass-attachment",
    "duplicate-accounts",
    "bitwarden-argon2-cost",
    "ente-argon2-cost",
];

pub fn by_name(name: &str) -> Option<Case> {
    let name: &'static str = NAMES.iter().copied().find(|n| *n == name)?;
    let case = |bytes, format, password, before| Some(Case { name, bytes, format, password, before });
    match name {
        "aegis-slot-flood" => case(
            aegis(&vec![(1 << 20, 8, 1); 1000]),
            Format::Aegis,
            Some("x"),
            "1000 scrypt derivations of 1 GiB each: hours",
        ),
        "aegis-costly-slots" => case(
            aegis(&[(1 << 17, 8, 16); 8]),
            Format::Aegis,
            Some("x"),
            "8 slots of scrypt work 2^24 (64 x Aegis's): about a minute",
        ),
        "aegis-huge-slot" => {
            case(aegis(&[(1 << 20, 8, 1)]), Format::Aegis, Some("x"), "one 1 GiB scrypt allowed per slot")
        }
        "freeotp2-reference-flood" => case(
            freeotp2_reference_flood(),
            Format::FreeOtpBackup,
            Some("x"),
            "200 000 back-references each cloned a 65 535-byte string: 13 GB",
        ),
        "freeotp2-token-lookup" => case(
            freeotp2_token_lookup(20_000, 1_500),
            Format::FreeOtpBackup,
            Some(FREEOTP2_PASSWORD),
            "each token's secret searched in the whole list: 20 000 x 10 000 comparisons of 1.5 kB",
        ),
        "freeotp-xml-order" => case(
            freeotp_xml_order(200_000),
            Format::FreeOtpXml,
            None,
            "sort by position in tokenOrder, searched each time: 200 000 x 18 x 100 000 comparisons",
        ),
        "xml-ampersands" => case(
            xml_ampersands(8 << 20),
            Format::TotpAuthenticatorXml,
            None,
            "each '&' searched the rest of the text for ';': 3.5e13 bytes scanned",
        ),
        "xml-unclosed-tags" => case(
            xml_unclosed_tags(1 << 20),
            Format::Authy,
            None,
            "each empty-tag candidate searched the rest of the text for '>': 3.8e12 bytes scanned",
        ),
        "stratum-categories" => case(
            stratum_json(100_000),
            Format::Stratum,
            None,
            "each authenticator searched every binding and category: 1e10 comparisons and more",
        ),
        "stratum-db-categories" => {
            case(stratum_db(100_000), Format::StratumDb, None, "as stratum-categories, from the app database")
        }
        "sqlite-row-flood" => {
            case(google_db_rows(100_001), Format::GoogleAuthenticatorDb, None, "every row imported, without bound")
        }
        "sqlite-view-loop" => case(
            google_db_view_loop(),
            Format::GoogleAuthenticatorDb,
            None,
            "`accounts` is a view counting an endless recursive CTE: never ends",
        ),
        "sqlite-generated-column" => case(
            google_db_generated_secret(),
            Format::GoogleAuthenticatorDb,
            None,
            "`SELECT *` computed an 800 MB generated column for every row",
        ),
        "sqlite-long-value" => case(
            google_db_long_value(),
            Format::GoogleAuthenticatorDb,
            None,
            "a 2 MiB secret read and decoded",
        ),
        "zip-bomb-entries" => case(
            zip_bomb(1000, 1 << 20),
            Format::WinAuth,
            None,
            "1000 entries of 1 MiB each decompressed: 1 GiB in memory",
        ),
        "zip-pass-attachment" => case(
            zip_pass_with_attachment(100 << 20),
            Format::ProtonPass,
            None,
            "every entry decompressed: the 100 MiB attachment failed the whole import",
        ),
        "duplicate-accounts" => case(
            distinct_links(200_000),
            Format::OtpauthList,
            None,
            "duplicates_of compared every pair of distinct accounts: 2e10 comparisons for the preview",
        ),
        "bitwarden-argon2-cost" => case(
            br#"{"encrypted":true,"passwordProtected":true,"salt":"s","kdfType":1,"kdfIterations":64,"kdfMemory":1024,"kdfParallelism":16,"encKeyValidation_DO_NOT_EDIT":"2.AA==|AA==|AA==","data":"2.AA==|AA==|AA=="}"#.to_vec(),
            Format::Bitwarden,
            Some("x"),
            "Argon2id 1 GiB x 64 passes accepted: about a minute",
        ),
        "ente-argon2-cost" => case(
            br#"{"version":1,"kdfParams":{"memLimit":1073741824,"opsLimit":64,"salt":"AAAAAAAAAAAAAAAAAAAAAA=="},"encryptedData":"AAAA","encryptionNonce":"AAAA"}"#.to_vec(),
            Format::EnteEncrypted,
            Some("x"),
            "Argon2id 1 GiB x 64 passes accepted: about a minute",
        ),
        _ => None,
    }
}

/// `n` links to distinct accounts (same key, different names), then a copy of the first one.
pub fn distinct_links(n: usize) -> Vec<u8> {
    let mut out: String = (0..n).map(|i| format!("otpauth://totp/Hostile:u{i}?secret={}\n", distinct_key(i))).collect();
    out.push_str(&format!("otpauth://totp/Hostile:u0?secret={}\n", distinct_key(0)));
    out.into_bytes()
}

/// A different 80-bit base32 key for every `i` (duplicates are keys, not names).
fn distinct_key(i: usize) -> String {
    const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    (0..16u32).map(|k| char::from(BASE32[i.checked_shr(5 * k).unwrap_or(0) & 31])).collect()
}

// ---- Aegis ---------------------------------------------------------------------------------------------

/// An encrypted Aegis vault whose password slots ask for these scrypt `(N, r, p)`; the wrapped keys are
/// garbage, so a derivation could only end in "wrong password".
pub fn aegis(slots: &[(u64, u64, u64)]) -> Vec<u8> {
    let slots: Vec<_> = slots
        .iter()
        .enumerate()
        .map(|(i, (n, r, p))| {
            json!({
                "type": 1, "uuid": format!("00000000-0000-4000-8000-{i:012}"),
                "key": "00".repeat(32), "key_params": { "nonce": "00".repeat(12), "tag": "00".repeat(16) },
                "n": n, "r": r, "p": p, "salt": "11".repeat(32), "repaired": true,
            })
        })
        .collect();
    serde_json::to_vec(&json!({
        "version": 1,
        "header": { "slots": slots, "params": { "nonce": "00".repeat(12), "tag": "00".repeat(16) } },
        "db": "AAAA",
    }))
    .expect("json")
}

// ---- FreeOTP 2 (Java serialization) --------------------------------------------------------------------

pub const FREEOTP2_PASSWORD: &str = "hostile";

const TC_REFERENCE: u8 = 0x71;
const TC_STRING: u8 = 0x74;
const TC_LONGSTRING: u8 = 0x7C;
const BASE_HANDLE: u32 = 0x7E_0000;

/// A `java.util.HashMap` stream header announcing `size` entries; handles 0 and 1 are taken.
fn java_map_header(size: u32) -> Vec<u8> {
    let mut out = vec![0xAC, 0xED, 0x00, 0x05, 0x73, 0x72];
    let class = b"java.util.HashMap";
    out.extend((class.len() as u16).to_be_bytes());
    out.extend(class);
    out.extend(0x0507_DAC1_C316_60D1u64.to_be_bytes());
    out.push(0x03);
    out.extend(2u16.to_be_bytes());
    for (code, field) in [(b'F', &b"loadFactor"[..]), (b'I', &b"threshold"[..])] {
        out.push(code);
        out.extend((field.len() as u16).to_be_bytes());
        out.extend(field);
    }
    out.extend([0x78, 0x70]);
    out.extend([0x3F, 0x40, 0, 0, 0, 0, 0, 0x0C]);
    out.extend([0x77, 0x08]);
    out.extend(size.max(16).to_be_bytes());
    out.extend(size.to_be_bytes());
    out
}

fn java_string(out: &mut Vec<u8>, text: &str) {
    if text.len() <= usize::from(u16::MAX) {
        out.push(TC_STRING);
        out.extend((text.len() as u16).to_be_bytes());
    } else {
        out.push(TC_LONGSTRING);
        out.extend((text.len() as u64).to_be_bytes());
    }
    out.extend(text.as_bytes());
}

fn java_reference(out: &mut Vec<u8>, handle: u32) {
    out.push(TC_REFERENCE);
    out.extend((BASE_HANDLE + handle).to_be_bytes());
}

/// One 65 535-byte string, then 100 000 entries whose key and value both refer back to it.
pub fn freeotp2_reference_flood() -> Vec<u8> {
    let entries = 100_000u32;
    let mut out = java_map_header(entries);
    java_string(&mut out, &"A".repeat(65_535));
    java_reference(&mut out, 2);
    for _ in 1..entries {
        java_reference(&mut out, 2);
        java_reference(&mut out, 2);
    }
    out
}

fn signed(bytes: &[u8]) -> serde_json::Value {
    json!(bytes.iter().map(|&b| b as i8).collect::<Vec<_>>())
}

/// A FreeOTP 2 backup whose master key opens with [`FREEOTP2_PASSWORD`] (one PBKDF2 iteration), followed by
/// `tokens` tokens with `uuid_len`-byte ids that share all but their last digits. Each token's secret entry
/// is unreadable, so every token is reported; the secrets come after all the tokens, so a list search for
/// each goes half-way through them.
pub fn freeotp2_token_lookup(tokens: usize, uuid_len: usize) -> Vec<u8> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let salt = [7u8; 16];
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(FREEOTP2_PASSWORD.as_bytes(), &salt, 1, &mut key);
    let nonce = [9u8; 12];
    let cipher = aes_gcm::Aes256Gcm::new(&aes_gcm::Key::<aes_gcm::Aes256Gcm>::from(key));
    let sealed =
        cipher.encrypt(&aes_gcm::Nonce::from(nonce), Payload { msg: &[5u8; 32], aad: b"AES" }).expect("sealing");
    let mut parameters = vec![0x30, 0x11, 0x04, 0x0C];
    parameters.extend(nonce);
    parameters.extend([0x02, 0x01, 0x10]);
    let master = json!({
        "mAlgorithm": "PBKDF2withHmacSHA1", "mIterations": 1, "mSalt": signed(&salt),
        "mEncryptedKey": { "mCipher": "AES/GCM/NoPadding", "mCipherText": signed(&sealed),
                           "mParameters": signed(&parameters), "mToken": "AES" },
    });
    let mut out = java_map_header(u32::try_from(2 * tokens + 1).expect("size"));
    java_string(&mut out, "masterKey");
    java_string(&mut out, &master.to_string());
    let prefix = "u".repeat(uuid_len.saturating_sub(8));
    let uuid = |i: usize| format!("{prefix}{i:08}");
    for i in 0..tokens {
        java_string(&mut out, &format!("{}-token", uuid(i)));
        java_string(&mut out, r#"{"issuerExt":"Hostile","label":"t","type":"TOTP"}"#);
    }
    for i in 0..tokens {
        java_string(&mut out, &uuid(i));
        java_string(&mut out, r#"{"key":"{}"}"#);
    }
    out
}

// ---- Android shared preferences -----------------------------------------------------------------------

/// FreeOTP 1 `tokens.xml` with `n` tokens and a `tokenOrder` listing them in reverse.
pub fn freeotp_xml_order(n: usize) -> Vec<u8> {
    let order: Vec<String> = (0..n).rev().map(|i| format!("k{i:07}")).collect();
    let mut out = String::from("<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n");
    out.push_str(&format!(
        "<string name=\"tokenOrder\">{}</string>\n",
        serde_json::to_string(&order).expect("json").replace('"', "&quot;")
    ));
    for i in 0..n {
        out.push_str(&format!("<string name=\"k{i:07}\">{{&quot;label&quot;:&quot;{i}&quot;}}</string>\n"));
    }
    out.push_str("</map>\n");
    out.into_bytes()
}

/// TOTP Authenticator preferences whose token list is `n` ampersands.
pub fn xml_ampersands(n: usize) -> Vec<u8> {
    format!("<map>\n<string name=\"STATIC_TOTP_CODES_LIST\">{}</string>\n</map>\n", "&".repeat(n)).into_bytes()
}

/// Authy preferences made of `n` unclosed `<string` openings and one `/>`.
pub fn xml_unclosed_tags(n: usize) -> Vec<u8> {
    format!("<map>\n{}/>\n</map>\n", "<string".repeat(n)).into_bytes()
}

// ---- Stratum --------------------------------------------------------------------------------------------

/// A base32 secret per index, all the same length with a long common prefix.
fn stratum_secret(i: usize) -> String {
    let digits: String = format!("{i:08}").chars().map(|c| (b'A' + (c as u8 - b'0')) as char).collect();
    format!("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP{digits}")
}

/// A plain Stratum backup: `n` authenticators, each bound to its own category.
pub fn stratum_json(n: usize) -> Vec<u8> {
    let authenticators: Vec<_> = (0..n)
        .map(|i| {
            json!({"Type": 2, "Issuer": "Hostile", "Username": format!("u{i}"), "Secret": stratum_secret(i),
                        "Algorithm": 0, "Digits": 6, "Period": 30})
        })
        .collect();
    let categories: Vec<_> = (0..n).map(|i| json!({"Id": format!("c{i:08}"), "Name": format!("group {i}")})).collect();
    let bindings: Vec<_> =
        (0..n).map(|i| json!({"AuthenticatorSecret": stratum_secret(i), "CategoryId": format!("c{i:08}")})).collect();
    serde_json::to_vec(&json!({
        "Authenticators": authenticators, "Categories": categories, "AuthenticatorCategories": bindings,
    }))
    .expect("json")
}

fn sqlite_bytes(build: impl FnOnce(&rusqlite::Connection)) -> Vec<u8> {
    let conn = rusqlite::Connection::open_in_memory().expect("sqlite");
    build(&conn);
    conn.serialize(rusqlite::MAIN_DB).expect("serialize").to_vec()
}

/// The Stratum app database with `n` authenticators, each in its own category.
pub fn stratum_db(n: usize) -> Vec<u8> {
    sqlite_bytes(|conn| {
        conn.execute_batch(
            "CREATE TABLE authenticator (secret TEXT PRIMARY KEY, type INTEGER, issuer TEXT, username TEXT,
                 algorithm INTEGER, digits INTEGER, period INTEGER, counter INTEGER, ranking INTEGER, icon TEXT);
             CREATE TABLE category (id TEXT PRIMARY KEY, name TEXT, ranking INTEGER);
             CREATE TABLE authenticatorcategory (categoryid TEXT, authenticatorsecret TEXT, ranking INTEGER);
             BEGIN;",
        )
        .expect("schema");
        for i in 0..n {
            let secret = stratum_secret(i);
            let category = format!("c{i:08}");
            conn.execute(
                "INSERT INTO authenticator VALUES (?1, 2, 'Hostile', ?2, 0, 6, 30, 0, 0, NULL)",
                (&secret, format!("u{i}")),
            )
            .expect("row");
            conn.execute("INSERT INTO category VALUES (?1, ?2, 0)", (&category, format!("group {i}"))).expect("row");
            conn.execute("INSERT INTO authenticatorcategory VALUES (?1, ?2, 0)", (&category, &secret)).expect("row");
        }
        conn.execute_batch("COMMIT;").expect("commit");
    })
}

// ---- Google Authenticator database ---------------------------------------------------------------------

const GOOGLE_SCHEMA: &str = "CREATE TABLE android_metadata (locale TEXT);
    CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT NOT NULL, secret TEXT NOT NULL,
        counter INTEGER DEFAULT 0, type INTEGER, provider INTEGER DEFAULT 0, issuer TEXT DEFAULT NULL,
        original_name TEXT DEFAULT NULL);";

/// `rows` valid accounts.
pub fn google_db_rows(rows: usize) -> Vec<u8> {
    sqlite_bytes(|conn| {
        conn.execute_batch(GOOGLE_SCHEMA).expect("schema");
        conn.execute_batch("BEGIN;").expect("begin");
        let mut insert = conn
            .prepare("INSERT INTO accounts (email, secret, type, issuer) VALUES (?1, 'JBSWY3DPEHPK3PXP', 0, 'Hostile')")
            .expect("insert");
        for i in 0..rows {
            insert.execute([format!("u{i}")]).expect("row");
        }
        drop(insert);
        conn.execute_batch("COMMIT;").expect("commit");
    })
}

/// `accounts` is a view that counts the rows of an endless recursive CTE.
pub fn google_db_view_loop() -> Vec<u8> {
    sqlite_bytes(|conn| {
        conn.execute_batch(
            "CREATE TABLE android_metadata (locale TEXT);
             CREATE VIEW accounts AS
                 WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
                 SELECT 1 AS _id, 'u' AS email, 'JBSWY3DPEHPK3PXP' AS secret, 0 AS counter, count(*) AS type,
                        'Hostile' AS issuer FROM c;",
        )
        .expect("schema");
    })
}

/// `accounts.secret` is a generated column that builds an 800 MB string each time it is read.
pub fn google_db_generated_secret() -> Vec<u8> {
    sqlite_bytes(|conn| {
        conn.execute_batch(
            "CREATE TABLE accounts (_id INTEGER PRIMARY KEY, email TEXT, type INTEGER, issuer TEXT, counter INTEGER,
                 secret TEXT GENERATED ALWAYS AS (hex(zeroblob(400000000))) VIRTUAL);
             INSERT INTO accounts (email, type, issuer) VALUES ('a', 0, 'Hostile'), ('b', 0, 'Hostile');",
        )
        .expect("schema");
    })
}

/// One account whose secret is 2 MiB of text.
pub fn google_db_long_value() -> Vec<u8> {
    sqlite_bytes(|conn| {
        conn.execute_batch(GOOGLE_SCHEMA).expect("schema");
        conn.execute("INSERT INTO accounts (email, secret, type) VALUES ('u', ?1, 0)", ["A".repeat(2 << 20)])
            .expect("row");
    })
}

// ---- ZIP -------------------------------------------------------------------------------------------------

fn deflated() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

/// A WinAuth-like archive of `entries` text files of `len` zero bytes each (compressed once, copied raw).
pub fn zip_bomb(entries: usize, len: usize) -> Vec<u8> {
    let mut one = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    one.start_file("0.txt", deflated()).expect("zip");
    one.write_all(&vec![0u8; len]).expect("zip");
    let one = one.finish().expect("zip").into_inner();
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(one)).expect("zip");
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..entries {
        let file = source.by_index_raw(0).expect("zip");
        out.raw_copy_file_rename(file, format!("{i}.txt")).expect("zip");
    }
    out.finish().expect("zip").into_inner()
}

/// A Proton Pass export with one TOTP item in `data.json` and an attachment of `len` zero bytes.
pub fn zip_pass_with_attachment(len: usize) -> Vec<u8> {
    let data = json!({
        "encrypted": false,
        "vaults": { "v": { "name": "Personal", "items": [ { "data": {
            "metadata": { "name": "Hostile", "note": "" },
            "content": { "itemUsername": "u", "totpUri": "otpauth://totp/Hostile:u?secret=JBSWY3DPEHPK3PXP" },
            "extraFields": [] } } ] } },
    });
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    out.start_file("Proton Pass/data.json", deflated()).expect("zip");
    out.write_all(data.to_string().as_bytes()).expect("zip");
    out.start_file("Proton Pass/files/attachment.bin", deflated()).expect("zip");
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..len / chunk.len() {
        out.write_all(&chunk).expect("zip");
    }
    out.finish().expect("zip").into_inner()
}
