//! Google Authenticator transfer links (`otpauth-migration://`): the peers' real links decode to exactly the
//! entries of `expected.json`, the negative fixtures are refused with a clear reason, and our own encoder
//! round-trips.

use proptest::prelude::*;
use twofold_core::migration::{self, BatchCollector, BatchProgress, MigrationError};
use twofold_core::{Account, Algorithm, OtpKind, OtpParams, Secret};
use twofold_tests::{fixtures_dir, read_json};

/// Compares one decoded account with an `expected.json` entry (see `links.rs`; names compared trimmed).
#[allow(clippy::unwrap_used)]
fn check_entry(file: &str, issuer: &str, name: &str, secret: &Secret, otp: &OtpParams, e: &serde_json::Value) {
    let what = format!("{file}: {}:{}", e["issuer"], e["name"]);
    assert_eq!(issuer, e["issuer"].as_str().unwrap().trim(), "{what}");
    assert_eq!(name, e["name"].as_str().unwrap().trim(), "{what}");
    let hex: String = secret.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, e["secret_hex"].as_str().unwrap(), "{what}");
    assert_eq!(otp.algorithm.as_str(), e["algorithm"].as_str().unwrap(), "{what}");
    assert_eq!(u64::from(otp.digits), e["digits"].as_u64().unwrap(), "{what}");
    match (e["type"].as_str().unwrap(), otp.kind) {
        ("totp", OtpKind::Totp { period }) => assert_eq!(u64::from(period), e["period"].as_u64().unwrap(), "{what}"),
        ("hotp", OtpKind::Hotp { counter }) => assert_eq!(counter, e["counter"].as_u64().unwrap(), "{what}"),
        (t, k) => panic!("{what}: expected {t}, got {k:?}"),
    }
}

/// Every transfer link in a fixture file: one per line, `#` comments and blank lines skipped.
#[allow(clippy::unwrap_used)]
fn links(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn peer_transfer_links_decode_to_expected_entries() {
    let Some(dir) = fixtures_dir("peer_transfer_links_decode_to_expected_entries") else { return };
    let expected = read_json(&dir.join("peers/expected.json"));
    let files = [
        "google_authenticator/stratum/googleauthenticator.txt",
        "google_authenticator/gnome-authenticator/google_rs_test_uri.txt",
        "google_authenticator/proton/google_mod_rs_test_uris.txt",
        "google_authenticator/extract_otp_secrets/example_export.txt",
        "google_authenticator/extract_otp_secrets/test_plus_problem_export.txt",
        "google_authenticator/dim13-otpauth/migration_test_uris.txt",
    ];
    let mut total = 0;
    for file in files {
        let fixture = &expected["fixtures"][file]["expected"];
        assert_eq!(fixture["result"], "ok", "{file}");
        let entries = fixture["entries"].as_array().unwrap();
        let mut got = Vec::new();
        for link in links(&dir.join("peers").join(file)) {
            let decoded = migration::decode(&link).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(decoded.rejected.is_empty(), "{file}: {:?}", decoded.rejected);
            got.extend(decoded.accounts);
        }
        assert_eq!(got.len(), entries.len(), "{file}");
        assert_eq!(Some(got.len() as u64), fixture["count"].as_u64(), "{file}");
        for (a, e) in got.iter().zip(entries) {
            check_entry(file, &a.issuer, &a.name, &a.secret, &a.otp, e);
        }
        total += got.len();
    }
    assert_eq!(total, 31);
}

#[test]
fn batch_info_is_read() {
    let Some(dir) = fixtures_dir("batch_info_is_read") else { return };
    let link = &links(&dir.join("peers/google_authenticator/stratum/googleauthenticator.txt"))[0];
    let d = migration::decode(link).unwrap();
    // expected.json notes: "version 1, batch 1/1, batch_id -2115474809".
    assert_eq!(d.batch, migration::BatchInfo { version: 1, size: 1, index: 0, id: -2_115_474_809 });
    // dim13's payloads carry no batch fields at all.
    let link = &links(&dir.join("peers/google_authenticator/dim13-otpauth/migration_test_uris.txt"))[0];
    assert_eq!(migration::decode(link).unwrap().batch, migration::BatchInfo::default());
}

#[test]
fn negative_fixtures_are_refused_with_a_reason() {
    let Some(dir) = fixtures_dir("negative_fixtures_are_refused_with_a_reason") else { return };
    let g = dir.join("peers/google_authenticator");
    let wrong_data = &links(&g.join("extract_otp_secrets/test_export_wrong_data.txt"))[0];
    assert!(matches!(migration::decode(wrong_data), Err(MigrationError::InvalidPayload { .. })));
    let wrong_prefix = &links(&g.join("extract_otp_secrets/test_export_wrong_prefix.txt"))[0];
    assert_eq!(migration::decode(wrong_prefix), Err(MigrationError::NotMigration));
    let invalid = links(&g.join("proton/google_mod_rs_invalid_uris.txt"));
    assert_eq!(invalid.len(), 4);
    assert_eq!(migration::decode(&invalid[0]), Err(MigrationError::NotMigration));
    assert_eq!(migration::decode(&invalid[1]), Err(MigrationError::MissingData));
    for bad in &invalid[2..] {
        let err = migration::decode(bad).unwrap_err();
        assert!(
            matches!(
                err,
                MigrationError::InvalidBase64 | MigrationError::InvalidPayload { .. } | MigrationError::NoAccounts
            ),
            "{bad}: {err:?}"
        );
        println!("{bad}: {err}");
    }
    assert_eq!(migration::decode(""), Err(MigrationError::Empty));
    assert_eq!(
        migration::decode("otpauth-migration://offline?data=XXXX").unwrap_err().to_string(),
        "transfer link data is not a google authenticator payload (truncated)"
    );
}

#[test]
fn unsupported_entries_are_rejected_one_by_one() {
    // Hand-built payload: one MD5 entry (Google's enum 4), then one good SHA1 TOTP entry.
    let entry = |alg: u8| {
        let mut e = vec![0x0a, 0x0a];
        e.extend_from_slice(b"Hello!\xde\xad\xbe\xef");
        e.extend_from_slice(&[0x12, 0x01, b'n', 0x1a, 0x01, b'i', 0x20, alg, 0x28, 0x01, 0x30, 0x02]);
        e
    };
    let mut payload = Vec::new();
    for alg in [4, 1] {
        let e = entry(alg);
        payload.push(0x0a);
        payload.push(e.len() as u8);
        payload.extend(e);
    }
    let d = migration::decode_payload(&payload).unwrap();
    assert_eq!(d.accounts.len(), 1);
    assert_eq!(d.rejected.len(), 1);
    assert_eq!(d.rejected[0].to_string(), "entry 1 (i: n): unsupported algorithm MD5");
}

#[test]
fn encoder_skips_what_the_format_cannot_hold() {
    let secret = Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
    let accounts = [
        Account::new("A", "steam", secret.clone(), OtpParams::steam(), 0),
        Account::new(
            "A",
            "60s",
            secret.clone(),
            OtpParams { kind: OtpKind::Totp { period: 60 }, ..OtpParams::default_totp() },
            0,
        ),
        Account::new("A", "7 digits", secret.clone(), OtpParams { digits: 7, ..OtpParams::default_totp() }, 0),
        Account::new("A", "ok", secret, OtpParams::default_totp(), 0),
    ];
    let enc = migration::encode(&accounts, 7);
    let reasons: Vec<String> = enc.skipped.iter().map(|(_, e)| e.to_string()).collect();
    assert_eq!(
        reasons,
        [
            "google authenticator transfer cannot hold steam guard accounts",
            "google authenticator transfer only holds 30-second accounts, not 60 s",
            "google authenticator transfer only holds 6 or 8 digits, not 7",
        ]
    );
    assert_eq!(enc.links.len(), 1);
    let d = migration::decode(&enc.links[0]).unwrap();
    assert_eq!(d.accounts.len(), 1);
    assert_eq!(d.accounts[0].name, "ok");
}

#[allow(clippy::unwrap_used)]
fn exportable_account() -> impl Strategy<Value = Account> {
    let algorithm = prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)];
    (
        "\\PC{0,30}",
        "\\PC{0,30}",
        proptest::collection::vec(any::<u8>(), 1..64),
        algorithm,
        prop_oneof![Just(6u8), Just(8u8)],
        proptest::option::of(any::<u64>()),
    )
        .prop_map(|(issuer, name, key, algorithm, digits, counter)| {
            let kind = match counter {
                Some(counter) => OtpKind::Hotp { counter },
                None => OtpKind::Totp { period: 30 },
            };
            let otp = OtpParams { kind, algorithm, digits };
            Account::new(issuer.trim(), name.trim(), Secret::from_bytes(key).unwrap(), otp, 0)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// encode then decode (parts scanned in any order) gives back every account, in order.
    #[test]
    fn encode_decode_round_trip(
        accounts in proptest::collection::vec(exportable_account(), 1..40),
        batch_id in any::<i32>(),
        reverse in any::<bool>(),
    ) {
        let enc = migration::encode(&accounts, batch_id);
        prop_assert!(enc.skipped.is_empty());
        let mut links: Vec<_> = enc.links.iter().collect();
        if reverse {
            links.reverse();
        }
        let mut collector = BatchCollector::new();
        let mut last = None;
        for link in &links {
            prop_assert!(link.len() < 2000, "link of {} bytes", link.len());
            let d = migration::decode(link).unwrap();
            prop_assert_eq!(d.batch.id, batch_id);
            prop_assert_eq!(d.batch.size as usize, enc.links.len());
            last = Some(collector.add(d));
        }
        prop_assert_eq!(last, Some(BatchProgress::Complete));
        let (got, rejected) = collector.finish();
        prop_assert!(rejected.is_empty());
        prop_assert_eq!(got.len(), accounts.len());
        for (g, a) in got.iter().zip(&accounts) {
            prop_assert_eq!((&g.issuer, &g.name, &g.secret, g.otp), (&a.issuer, &a.name, &a.secret, a.otp));
        }
    }
}
