//! `totp-rs` (constantoine/totp-rs, 6.x) as a second opinion on `twofold_core::otp`: for the same key,
//! parameters and time, both must give the same code.
//!
//! What totp-rs supports, read from its source (`builder.rs`, `rfc.rs`, `token.rs`):
//! * `Builder::build` (the RFC-checked constructor) refuses keys shorter than 128 bits
//!   (`TotpError::SecretTooShort`) and digit counts outside 6–8 (`InvalidDigits`), and a step of 0. No feature
//!   turns these checks off; `Builder::build_noncompliant` skips them.
//! * `build_noncompliant` takes any key length and any digit count, but `generate` panics from 10 digits on
//!   (10^10 does not fit its `u32`), so 10-digit codes, which Twofold supports, cannot be compared.
//! * Algorithms SHA-1, SHA-256, SHA-512 and (feature `steam`) Steam Guard, 5 characters; any step in
//!   seconds; time is a `u64` of Unix seconds with T0 = 0. It has no HOTP, but a TOTP with a 1-second step at
//!   time `c` is HOTP at counter `c` (RFC 6238 section 4), so HOTP is compared that way.
//! * The `alloc` feature is needed for keys of any length (`From<Vec<u8>>`); without it only 20-byte keys.
//!
//! So there are two properties: the RFC range through `build` (keys 16–64 bytes, 6–8 digits), where
//! totp-rs must also accept the parameters, and the wider range Twofold reads from other apps through
//! `build_noncompliant` (keys of 1–15 bytes, 4–9 digits), where `build` must refuse them.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use proptest::prelude::*;
use twofold_core::{Algorithm, OtpKind, OtpParams, Secret, otp};

fn theirs(algorithm: Algorithm) -> totp_rs::Algorithm {
    match algorithm {
        Algorithm::Sha1 => totp_rs::Algorithm::SHA1,
        Algorithm::Sha256 => totp_rs::Algorithm::SHA256,
        Algorithm::Sha512 => totp_rs::Algorithm::SHA512,
    }
}

fn builder(key: &[u8], algorithm: totp_rs::Algorithm, digits: u8, step: u64) -> totp_rs::Builder {
    totp_rs::Builder::new()
        .with_secret(key.to_vec())
        .with_algorithm(algorithm)
        .with_digits(digits)
        .with_step_duration(step)
}

fn any_algorithm() -> impl Strategy<Value = Algorithm> {
    prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)]
}

/// Our code for a TOTP account at `now`.
fn our_totp(key: &[u8], algorithm: Algorithm, digits: u8, period: u32, now: u64) -> String {
    let secret = Secret::from_bytes(key.to_vec()).unwrap();
    let params = OtpParams { kind: OtpKind::Totp { period }, algorithm, digits };
    otp::code(&secret, &params, i64::try_from(now).unwrap()).unwrap().code
}

/// A fixed check that the comparison compares something: RFC 6238 Appendix B, SHA-1, at 59 s.
#[test]
fn totp_rs_gives_the_rfc_6238_code() {
    let key = b"12345678901234567890";
    let totp = builder(key, totp_rs::Algorithm::SHA1, 8, 30).build().unwrap();
    assert_eq!(totp.generate(59).to_string(), "94287082");
    assert_eq!(our_totp(key, Algorithm::Sha1, 8, 30, 59), "94287082");
}

/// The limits found in totp-rs' source, pinned so that a new totp-rs version that changes them is noticed.
#[test]
fn totp_rs_refuses_short_keys_and_odd_digits_unless_noncompliant() {
    let short = [7u8; 15];
    assert!(matches!(
        builder(&short, totp_rs::Algorithm::SHA1, 6, 30).build(),
        Err(totp_rs::TotpError::SecretTooShort { bits: 120 })
    ));
    for digits in [4, 5, 9, 10] {
        assert!(builder(&[7u8; 20], totp_rs::Algorithm::SHA1, digits, 30).build().is_err(), "{digits} digits");
    }
    assert!(builder(&[7u8; 16], totp_rs::Algorithm::SHA1, 6, 30).build().is_ok());
    let noncompliant = builder(&short, totp_rs::Algorithm::SHA1, 4, 30).build_noncompliant();
    assert_eq!(
        noncompliant.generate(1_700_000_000).to_string(),
        our_totp(&short, Algorithm::Sha1, 4, 30, 1_700_000_000)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// The RFC range: keys of 128 to 512 bits, 6–8 digits, any period Twofold allows, any time.
    #[test]
    fn totp_agrees_with_totp_rs(
        key in proptest::collection::vec(any::<u8>(), 16..=64),
        algorithm in any_algorithm(),
        digits in 6u8..=8,
        period in OtpParams::MIN_PERIOD..=OtpParams::MAX_PERIOD,
        now in 0u64..=i64::MAX as u64,
    ) {
        let totp = builder(&key, theirs(algorithm), digits, u64::from(period)).build().unwrap();
        prop_assert_eq!(our_totp(&key, algorithm, digits, period, now), totp.generate(now).to_string());
    }

    /// Keys shorter than totp-rs' RFC check allows (other apps' exports carry them) and 4–9 digits.
    #[test]
    fn short_keys_and_other_digit_counts_agree_with_totp_rs(
        key in proptest::collection::vec(any::<u8>(), 1..16),
        algorithm in any_algorithm(),
        digits in 4u8..=9,
        period in 1u32..=300,
        now in 0u64..=i64::MAX as u64,
    ) {
        let b = builder(&key, theirs(algorithm), digits, u64::from(period));
        prop_assert!(b.clone().build().is_err(), "build() takes a {}-byte key", key.len());
        let totp = b.build_noncompliant();
        prop_assert_eq!(our_totp(&key, algorithm, digits, period, now), totp.generate(now).to_string());
    }

    /// HOTP at counter `c` is TOTP with a 1-second step at time `c`.
    #[test]
    fn hotp_agrees_with_totp_rs(
        key in proptest::collection::vec(any::<u8>(), 1..=64),
        algorithm in any_algorithm(),
        digits in 4u8..=9,
        counter in any::<u64>(),
    ) {
        let secret = Secret::from_bytes(key.clone()).unwrap();
        let totp = builder(&key, theirs(algorithm), digits, 1).build_noncompliant();
        prop_assert_eq!(otp::hotp(&secret, algorithm, digits, counter).unwrap(), totp.generate(counter).to_string());
    }

    /// Steam Guard: SHA-1, 5 characters from Steam's alphabet.
    #[test]
    fn steam_agrees_with_totp_rs(
        key in proptest::collection::vec(any::<u8>(), 1..=64),
        period in 1u32..=300,
        now in 0u64..=i64::MAX as u64,
    ) {
        let secret = Secret::from_bytes(key.clone()).unwrap();
        let params = OtpParams { kind: OtpKind::Steam { period }, ..OtpParams::steam() };
        let ours = otp::code(&secret, &params, i64::try_from(now).unwrap()).unwrap().code;
        let totp = builder(&key, totp_rs::Algorithm::Steam, 5, u64::from(period)).build_noncompliant();
        prop_assert_eq!(ours, totp.generate(now).to_string());
    }
}
