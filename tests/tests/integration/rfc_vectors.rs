//! RFC 4226 Appendix D (HOTP) and RFC 6238 Appendix B (TOTP SHA1/SHA256/SHA512) from the shared fixtures
//! (`rfc/vectors.json`), computed through the core functions and through parsed links.

use twofold_core::{Algorithm, OtpKind, OtpParams, Secret, otp, uri};
use twofold_tests::{fixtures_dir, read_json};

fn algorithm(name: &str) -> Algorithm {
    match name {
        "SHA1" => Algorithm::Sha1,
        "SHA256" => Algorithm::Sha256,
        "SHA512" => Algorithm::Sha512,
        other => panic!("unknown algorithm {other} in vectors.json"),
    }
}

#[test]
fn rfc4226_hotp_appendix_d() {
    let Some(dir) = fixtures_dir("rfc4226_hotp_appendix_d") else { return };
    let v = read_json(&dir.join("rfc/vectors.json"));
    let h = &v["rfc4226_hotp"];
    let secret = Secret::parse_hex(h["secret_hex"].as_str().unwrap()).unwrap();
    assert_eq!(secret, Secret::parse_base32(h["secret_base32"].as_str().unwrap()).unwrap());
    let digits = u8::try_from(h["digits"].as_u64().unwrap()).unwrap();
    let vectors = h["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 10);
    for row in vectors {
        let counter = row["counter"].as_u64().unwrap();
        let expected = row["hotp"].as_str().unwrap();
        assert_eq!(otp::hotp(&secret, Algorithm::Sha1, digits, counter).unwrap(), expected, "counter {counter}");
        // The 10-digit code is the whole truncated value (Appendix D's "Decimal" column), zero-padded.
        let truncated = row["truncated_dec"].as_u64().unwrap();
        assert_eq!(otp::hotp(&secret, Algorithm::Sha1, 10, counter).unwrap(), format!("{truncated:010}"));
        // The same through a link.
        let link = format!("otpauth://hotp/RFC:4226?secret={}&counter={counter}", h["secret_base32"].as_str().unwrap());
        let parsed = uri::parse(&link).unwrap();
        assert_eq!(parsed.otp.kind, OtpKind::Hotp { counter });
        assert_eq!(otp::code(&parsed.secret, &parsed.otp, 0).unwrap().code, expected);
    }
}

#[test]
fn rfc6238_totp_appendix_b() {
    let Some(dir) = fixtures_dir("rfc6238_totp_appendix_b") else { return };
    let v = read_json(&dir.join("rfc/vectors.json"));
    let t = &v["rfc6238_totp"];
    let period = u32::try_from(t["period"].as_u64().unwrap()).unwrap();
    let digits = u8::try_from(t["digits"].as_u64().unwrap()).unwrap();
    let vectors = t["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 18, "6 times x 3 algorithms");
    for row in vectors {
        let name = row["algorithm"].as_str().unwrap();
        let seed = &t["seeds"][name];
        let secret = Secret::parse_hex(seed["hex"].as_str().unwrap()).unwrap();
        let now = row["unix_time"].as_i64().unwrap();
        let expected = row["totp"].as_str().unwrap();
        let code = otp::totp(&secret, algorithm(name), digits, period, now).unwrap();
        assert_eq!(code.code, expected, "{name} at {now}");
        let window = code.window.unwrap();
        assert!(window.valid_from <= now && now < window.valid_until);
        assert_eq!(window.valid_until - window.valid_from, i64::from(period));
        // The step value T of the table.
        let step = u64::from_str_radix(row["T_hex"].as_str().unwrap(), 16).unwrap();
        assert_eq!(otp::time_step(period, now).unwrap(), step);
        // The same through a link with the base32 seed.
        let link = format!(
            "otpauth://totp/RFC:6238?secret={}&algorithm={name}&digits={digits}&period={period}",
            seed["base32"].as_str().unwrap()
        );
        let parsed = uri::parse(&link).unwrap();
        assert_eq!(parsed.otp, OtpParams { kind: OtpKind::Totp { period }, algorithm: algorithm(name), digits });
        assert_eq!(otp::code(&parsed.secret, &parsed.otp, now).unwrap().code, expected);
    }
}
