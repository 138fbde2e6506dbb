//! An independent HOTP/TOTP/Steam implementation for tests to check the core against.
//!
//! HMAC (RFC 2104) is built by hand from the `sha1`/`sha2` digests, so this shares neither the `hmac` crate nor
//! any truncation or formatting code with `twofold-core`. `tests/tests/integration/code_vectors.rs` checks it against the
//! HMAC-SHA1 values printed in RFC 4226 Appendix D; the code property tests there and
//! the CLI tests (`crates/twofold-cli/tests/cli.rs`) compare our codes with it.

use twofold_core::Algorithm;

/// HMAC per RFC 2104: H((K ^ opad) || H((K ^ ipad) || m)), with keys longer than a block hashed first.
pub fn hmac<D: sha1::Digest + Default>(block: usize, key: &[u8], message: &[u8]) -> Vec<u8> {
    let mut k = if key.len() > block { D::digest(key).to_vec() } else { key.to_vec() };
    k.resize(block, 0);
    let mut inner = D::default();
    inner.update(k.iter().map(|b| b ^ 0x36).collect::<Vec<u8>>());
    inner.update(message);
    let inner = inner.finalize();
    let mut outer = D::default();
    outer.update(k.iter().map(|b| b ^ 0x5c).collect::<Vec<u8>>());
    outer.update(inner);
    outer.finalize().to_vec()
}

/// The HMAC of `counter` (8 bytes, big-endian) under `key`, as HOTP computes it.
pub fn mac(algorithm: Algorithm, key: &[u8], counter: u64) -> Vec<u8> {
    let m = counter.to_be_bytes();
    match algorithm {
        Algorithm::Sha1 => hmac::<sha1::Sha1>(64, key, &m),
        Algorithm::Sha256 => hmac::<sha2::Sha256>(64, key, &m),
        Algorithm::Sha512 => hmac::<sha2::Sha512>(128, key, &m),
    }
}

fn truncated(algorithm: Algorithm, key: &[u8], counter: u64) -> u64 {
    let h = mac(algorithm, key, counter);
    let o = (h[h.len() - 1] & 0x0f) as usize;
    (u64::from(h[o] & 0x7f) << 24) | (u64::from(h[o + 1]) << 16) | (u64::from(h[o + 2]) << 8) | u64::from(h[o + 3])
}

/// The HOTP code (RFC 4226) of `counter`, `digits` long.
pub fn hotp(algorithm: Algorithm, key: &[u8], digits: u32, counter: u64) -> String {
    let value = truncated(algorithm, key, counter) % 10u64.pow(digits);
    let s = value.to_string();
    "0".repeat(digits as usize - s.len()) + &s
}

/// The Steam Guard code (5 characters of Steam's alphabet) of time step `counter`.
pub fn steam(key: &[u8], counter: u64) -> String {
    let alphabet: Vec<char> = "23456789BCDFGHJKMNPQRTVWXY".chars().collect();
    let mut v = truncated(Algorithm::Sha1, key, counter);
    (0..5)
        .map(|_| {
            let c = alphabet[(v % 26) as usize];
            v /= 26;
            c
        })
        .collect()
}
