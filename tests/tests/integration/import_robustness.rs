//! Damaged input never panics and never passes for a good file: every truncation of a few fixtures, random
//! bit flips, and a bounded property-test fuzz of `inspect` + `import` on arbitrary and mutated bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use proptest::prelude::*;
use twofold_core::import::{self, Format, ImportError, ImportReport};

const NOW: i64 = 1_700_000_000;

fn peers(test: &str) -> Option<PathBuf> {
    twofold_tests::fixtures_dir(test).map(|d| d.join("peers"))
}

fn read(peers: &std::path::Path, path: &str) -> Vec<u8> {
    std::fs::read(peers.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Same accounts (key, parameters, labels) in the same order.
fn same_accounts(a: &ImportReport, b: &ImportReport) -> bool {
    // `is_duplicate` is about keys only (names do not make a key new); the labels are compared here too.
    a.accounts.len() == b.accounts.len()
        && a.accounts
            .iter()
            .zip(&b.accounts)
            .all(|(x, y)| import::is_duplicate(x, y) && x.issuer == y.issuer && x.name == y.name)
}

/// Files whose every truncation must be refused (JSON, binary and SQLite formats), with their password.
const TRUNCATED: &[(&str, Option<&str>)] = &[
    ("aegis/aegis/aegis_plain.json", None),
    ("aegis/aegis/aegis_encrypted.json", Some("test")),
    ("twofas/aegis/2fas_authenticator_plain_v4.2fas", None),
    ("twofas/aegis/2fas_authenticator_encrypted_v4.2fas", Some("test")),
    ("stratum/aegis/stratum_plain.json", None),
    ("freeotp/aegis/freeotp_v2_api34.xml", Some("test")),
    ("freeotp_plus/aegis/freeotp_plus.json", None),
    ("authy/aegis/authy_plain.xml", None),
    ("lastpass/stratum/lastpass.json", None),
    ("bitwarden/aegis/bitwarden.json", None),
    ("proton_pass/proton/PassExport.zip", None),
    ("stratum/aegis/stratum_internal.db", None),
    ("google_authenticator/aegis/google_authenticator.sqlite", None),
];

#[test]
fn every_truncation_is_refused() {
    let Some(peers) = peers("every_truncation_is_refused") else { return };
    let mut checked = 0usize;
    for &(path, password) in TRUNCATED {
        let bytes = read(&peers, path);
        let format = import::inspect(&bytes, None).unwrap().format;
        let full = import::import(&bytes, format, password, NOW).unwrap();
        // Every length for small files; a dense sample (about 400 points) for the databases.
        let step = (bytes.len() / 400).max(1);
        for len in (0..bytes.len()).step_by(step) {
            let cut = &bytes[..len];
            if cut.iter().skip(len).all(u8::is_ascii_whitespace) && bytes[len..].iter().all(u8::is_ascii_whitespace) {
                continue; // only trailing white space removed: still the same file
            }
            let _ = import::inspect(cut, Some(path));
            match import::import(cut, format, password, NOW) {
                Err(e) => assert!(!e.to_string().is_empty()),
                Ok(r) => panic!(
                    "{path} cut to {len} of {} bytes was accepted ({} accounts of {})",
                    bytes.len(),
                    r.accounts.len(),
                    full.accounts.len()
                ),
            }
            checked += 1;
        }
    }
    println!("{checked} truncated files refused");
    assert!(checked > 1000);
}

/// A tiny deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// What a flipped bit may do to a file.
#[derive(Clone, Copy, PartialEq)]
enum Flip {
    /// The whole file is authenticated: every flip is an error.
    Refused,
    /// The payload is authenticated, some metadata is not: an accepted file reads the same accounts.
    RefusedOrSame,
    /// Plain or unauthenticated data: a flip may change what is read; it must not panic.
    NoPanic,
}

#[test]
fn bit_flips_are_refused_or_harmless() {
    let Some(peers) = peers("bit_flips_are_refused_or_harmless") else { return };
    let cases: &[(&str, Option<&str>, usize, Flip)] = &[
        ("andotp/aegis/andotp_encrypted_old.bin", Some("test"), 150, Flip::Refused),
        ("ente_auth/proton/encrypted.lowcomplexity.txt", Some("password"), 150, Flip::RefusedOrSame),
        ("aegis/aegis/aegis_encrypted.json", Some("test"), 25, Flip::RefusedOrSame),
        ("stratum/aegis/stratum_encrypted_legacy.bin", Some("test"), 15, Flip::NoPanic),
        ("freeotp/aegis/freeotp_v2_api34.xml", Some("test"), 15, Flip::NoPanic),
        ("aegis/aegis/aegis_plain.json", None, 300, Flip::NoPanic),
        ("stratum/aegis/stratum_internal.db", None, 200, Flip::NoPanic),
        ("authenticator_plus/aegis/authenticator_plus.zip", Some("testtesttest"), 150, Flip::NoPanic),
    ];
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let (mut refused, mut accepted) = (0, 0);
    for &(path, password, flips, rule) in cases {
        let bytes = read(&peers, path);
        let format = import::inspect(&bytes, Some(path)).unwrap().format;
        let original = import::import(&bytes, format, password, NOW).unwrap();
        for _ in 0..flips {
            let mut damaged = bytes.clone();
            let i = rng.below(damaged.len());
            damaged[i] ^= 1 << rng.below(8);
            let _ = import::inspect(&damaged, Some(path));
            match import::import(&damaged, format, password, NOW) {
                Err(e) => {
                    assert!(!e.to_string().is_empty());
                    refused += 1;
                }
                Ok(r) => {
                    match rule {
                        Flip::Refused => panic!("{path}: flipped bit at byte {i} was accepted"),
                        Flip::RefusedOrSame => {
                            assert!(same_accounts(&r, &original), "{path}: flip at {i} changed the accounts")
                        }
                        Flip::NoPanic => {}
                    }
                    accepted += 1;
                }
            }
        }
    }
    println!("bit flips: {refused} refused, {accepted} accepted (unauthenticated or unused bytes)");
    assert!(refused > 0);
}

#[test]
fn aead_files_refuse_every_ciphertext_flip() {
    let Some(peers) = peers("aead_files_refuse_every_ciphertext_flip") else { return };
    // Stratum legacy (AES-CBC without a MAC) is not here: a flip in its last blocks may keep the padding.
    let bytes = read(&peers, "ente_auth/proton/encrypted.lowcomplexity.txt");
    let text = String::from_utf8(bytes).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let data = json["encryptedData"].as_str().unwrap().to_owned();
    let raw = decode_b64(&data);
    let mut rng = Rng(7);
    for _ in 0..64 {
        let mut flipped = raw.clone();
        let i = rng.below(flipped.len());
        flipped[i] ^= 1 << rng.below(8);
        json["encryptedData"] = serde_json::Value::from(encode_b64(&flipped));
        let file = serde_json::to_vec(&json).unwrap();
        let r = import::import(&file, Format::EnteEncrypted, Some("password"), NOW);
        assert!(matches!(r, Err(ImportError::WrongPassword)), "flip at {i}: {:?}", r.map(|r| r.accounts.len()));
    }
}

fn decode_b64(text: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0);
    for c in text.bytes().filter(|&c| c != b'=') {
        buf = (buf << 6) | A.iter().position(|&a| a == c).unwrap() as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    out
}

fn encode_b64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(A[((n >> (18 - 6 * k)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Runs both phases on `bytes`, and `import` under every format too: nothing may panic.
fn exercise(bytes: &[u8]) {
    let _ = import::inspect(bytes, None);
    let _ = import::inspect(bytes, Some("backup.db"));
    for &format in Format::ALL {
        if let Ok(report) = import::import(bytes, format, Some("pw"), NOW) {
            for p in &report.problems {
                assert!(!p.to_string().is_empty());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1000)) {
        exercise(&bytes);
    }

    #[test]
    fn json_shaped_text_never_panics(
        prefix in prop::sample::select(vec![
            "{\"header\":{\"slots\":null,\"params\":null},\"db\":",
            "{\"schemaVersion\":4,\"services\":",
            "{\"Authenticators\":",
            "{\"accounts\":",
            "{\"encrypted\":true,\"passwordProtected\":true,\"kdfType\":1,\"kdfIterations\":1,\"kdfMemory\":1,\"kdfParallelism\":1,\"salt\":\"x\",\"data\":",
            "{\"tokenOrder\":[],\"tokens\":",
            "[{\"secret\":\"JBSWY3DP\",\"label\":\"a\",\"type\":",
            "otpauth://totp/a:b?secret=",
            "otpauth-migration://offline?data=",
            "<map><string name=\"tokenOrder\">",
        ]),
        body in "[ -~]{0,200}",
    ) {
        exercise(format!("{prefix}{body}").as_bytes());
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let Some(peers) = peers("mutated_fixtures_never_panic") else { return };
    let files = [
        "aegis/aegis/aegis_plain.json",
        "twofas/aegis/2fas_authenticator_plain_v4.2fas",
        "andotp/aegis/andotp_plain.json",
        "bitwarden/proton/bitwarden.csv",
        "ente_auth/aegis/ente_auth.txt",
        "google_authenticator/extract_otp_secrets/example_export.txt",
        "freeotp/aegis/freeotp.xml",
        "steam/aegis/steam.json",
        "stratum/aegis/stratum_internal.db",
        "proton_pass/proton/PassExport.zip",
    ];
    let mut rng = Rng(42);
    let mut runs = 0;
    for path in files {
        let bytes = read(&peers, path);
        for _ in 0..60 {
            let mut m = bytes.clone();
            for _ in 0..=rng.below(4) {
                let i = rng.below(m.len());
                match rng.below(3) {
                    0 => m[i] = rng.next() as u8,
                    1 => {
                        m.remove(i);
                    }
                    _ => m.insert(i, b"\"{}[]:,0-9aZ=%\\"[rng.below(15)]),
                }
            }
            let _ = import::inspect(&m, Some(path));
            if let Ok(i) = import::inspect(&bytes, Some(path)) {
                let _ = import::import(&m, i.format, None, NOW);
            }
            runs += 1;
        }
    }
    println!("{runs} mutated fixtures read without a panic");
}

/// Regression: rusqlite's `column_name` panics on a column name that is not UTF-8 (found by mutating
/// `stratum_internal.db`); such a database must be read or refused, never crash.
#[test]
fn database_with_non_utf8_column_name_does_not_panic() {
    let Some(peers) = peers("database_with_non_utf8_column_name_does_not_panic") else { return };
    let mut bytes = read(&peers, "stratum/aegis/stratum_internal.db");
    let mut patched = 0;
    for i in 0..bytes.len().saturating_sub(8) {
        if &bytes[i..i + 8] == b"username" {
            bytes[i + 4] = 0xFF;
            patched += 1;
        }
    }
    assert!(patched > 0);
    let _ = import::inspect(&bytes, None);
    for format in [Format::StratumDb, Format::GoogleAuthenticatorDb, Format::MicrosoftAuthenticatorDb] {
        let _ = import::import(&bytes, format, None, NOW);
    }
}
