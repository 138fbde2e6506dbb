//! Code vectors asserted by other apps' tests (`peers/expected.json` `otp_code_vectors`), and property tests
//! that our codes agree with an independent implementation written here.
//!
//! The independent implementation (`twofold_tests::reference`) builds HMAC (RFC 2104) by hand from the
//! `sha1`/`sha2` digests, so it shares neither the `hmac` crate nor any truncation or formatting code with
//! `twofold-core`. It is itself checked here against the HMAC-SHA1 values printed in RFC 4226 Appendix D.

use proptest::prelude::*;
use twofold_core::{Algorithm, OtpKind, OtpParams, Secret, otp};
use twofold_tests::reference::{hotp as reference_hotp, mac as reference_mac, steam as reference_steam};
use twofold_tests::{fixtures_dir, read_json};

#[test]
fn reference_hmac_matches_rfc4226_appendix_d() {
    let Some(dir) = fixtures_dir("reference_hmac_matches_rfc4226_appendix_d") else { return };
    let v = read_json(&dir.join("rfc/vectors.json"));
    let h = &v["rfc4226_hotp"];
    let key = h["secret_ascii"].as_str().unwrap().as_bytes();
    for row in h["vectors"].as_array().unwrap() {
        let counter = row["counter"].as_u64().unwrap();
        let mac: String = reference_mac(Algorithm::Sha1, key, counter).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(mac, row["hmac_sha1_hex"].as_str().unwrap());
        assert_eq!(reference_hotp(Algorithm::Sha1, key, 6, counter), row["hotp"].as_str().unwrap());
    }
}

#[test]
fn peer_code_vectors() {
    let Some(dir) = fixtures_dir("peer_code_vectors") else { return };
    let v = read_json(&dir.join("peers/expected.json"));
    let mut checked = 0;
    for row in v["otp_code_vectors"]["vectors"].as_array().unwrap() {
        let kind = row["kind"].as_str().unwrap();
        let now = row["unix_time"].as_i64().unwrap();
        let expected = row["expected"].as_str().unwrap();
        let period = u32::try_from(row["period"].as_u64().unwrap()).unwrap();
        match kind {
            "steam" => {
                let secret = Secret::parse_base32(row["secret_base32"].as_str().unwrap()).unwrap();
                let params = OtpParams { kind: OtpKind::Steam { period }, ..OtpParams::steam() };
                let code = otp::code(&secret, &params, now).unwrap();
                assert_eq!(code.code, expected, "steam at {now}");
                checked += 1;
            }
            "totp" => {
                let secret = Secret::parse_base32(row["secret_base32"].as_str().unwrap()).unwrap();
                let algorithm = match row["algorithm"].as_str().unwrap() {
                    "SHA1" => Algorithm::Sha1,
                    "SHA256" => Algorithm::Sha256,
                    _ => Algorithm::Sha512,
                };
                let digits = u8::try_from(row["digits"].as_u64().unwrap()).unwrap();
                let params = OtpParams { kind: OtpKind::Totp { period }, algorithm, digits };
                assert_eq!(otp::code(&secret, &params, now).unwrap().code, expected, "totp at {now}");
                checked += 1;
            }
            "motp" | "yandex" => {
                println!("skipped: {kind} vector at {now}: Twofold does not support {kind} accounts");
            }
            other => panic!("unknown vector kind {other}"),
        }
    }
    assert_eq!(checked, 4, "3 steam and 1 totp vectors");
}

fn any_algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// HOTP over random keys (1 to 200 bytes: longer than a SHA-512 block too), every digit count, any u64.
    #[test]
    fn hotp_agrees_with_reference(
        key in proptest::collection::vec(any::<u8>(), 1..200),
        algorithm in any_algorithm(),
        digits in 4u8..=10,
        counter in any::<u64>(),
    ) {
        let secret = Secret::from_bytes(key.clone()).unwrap();
        let ours = otp::hotp(&secret, algorithm, digits, counter).unwrap();
        prop_assert_eq!(ours, reference_hotp(algorithm, &key, u32::from(digits), counter));
    }

    /// TOTP and Steam at random times and periods, with the window containing `now`.
    #[test]
    fn totp_and_steam_agree_with_reference(
        key in proptest::collection::vec(any::<u8>(), 1..80),
        algorithm in any_algorithm(),
        digits in 4u8..=10,
        period in 1u32..=86_400,
        now in 0i64..=i64::MAX,
    ) {
        let secret = Secret::from_bytes(key.clone()).unwrap();
        let step = now as u64 / u64::from(period);
        let params = OtpParams { kind: OtpKind::Totp { period }, algorithm, digits };
        let code = otp::code(&secret, &params, now).unwrap();
        prop_assert_eq!(&code.code, &reference_hotp(algorithm, &key, u32::from(digits), step));
        let w = code.window.unwrap();
        prop_assert!(w.valid_from <= now && (now < w.valid_until || w.valid_until == i64::MAX));
        prop_assert_eq!(w.valid_from % i64::from(period), 0);

        let steam = OtpParams { kind: OtpKind::Steam { period }, ..OtpParams::steam() };
        prop_assert_eq!(otp::code(&secret, &steam, now).unwrap().code, reference_steam(&key, step));
    }
}
