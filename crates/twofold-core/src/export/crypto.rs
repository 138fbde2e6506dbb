//! The few primitives the export formats share: random bytes, scrypt, and AES-256-GCM with the tag kept apart
//! (as Aegis stores it). Key material lives in [`Zeroizing`] buffers.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key};
use zeroize::Zeroizing;

use super::ExportError;

pub(crate) const KEY_LEN: usize = 32;
pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;

/// `N` bytes from the operating system's random source.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], ExportError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| ExportError::Random)?;
    Ok(bytes)
}

/// A fresh random 256-bit key.
pub(crate) fn random_key() -> Result<Zeroizing<[u8; KEY_LEN]>, ExportError> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    getrandom::fill(key.as_mut()).map_err(|_| ExportError::Random)?;
    Ok(key)
}

/// scrypt with `N = 2^log_n`, a 32-byte output.
pub(crate) fn scrypt_key(
    password: &[u8],
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
) -> Result<Zeroizing<[u8; KEY_LEN]>, ExportError> {
    let params = scrypt::Params::new(log_n, r, p).map_err(|_| ExportError::Crypto)?;
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    scrypt::scrypt(password, salt, &params, key.as_mut()).map_err(|_| ExportError::Crypto)?;
    Ok(key)
}

/// Ciphertext and tag of one AES-256-GCM sealing, with the nonce that was used.
pub(crate) struct Sealed {
    pub nonce: [u8; NONCE_LEN],
    pub ciphertext: Vec<u8>,
    pub tag: [u8; TAG_LEN],
}

/// Seals `plaintext` under `key` with a fresh random nonce and no associated data.
pub(crate) fn seal(key: &[u8; KEY_LEN], plaintext: &[u8]) -> Result<Sealed, ExportError> {
    let nonce = random::<NONCE_LEN>()?;
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
    let mut ciphertext = cipher.encrypt(&nonce.into(), plaintext).map_err(|_| ExportError::Crypto)?;
    let split = ciphertext.len().checked_sub(TAG_LEN).ok_or(ExportError::Crypto)?;
    let tag: [u8; TAG_LEN] = ciphertext[split..].try_into().map_err(|_| ExportError::Crypto)?;
    ciphertext.truncate(split);
    Ok(Sealed { nonce, ciphertext, tag })
}

/// Opens what [`seal`] produced; `None` when the key is wrong or anything was altered.
pub(crate) fn open(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    ciphertext: &[u8],
    tag: &[u8; TAG_LEN],
) -> Option<Zeroizing<Vec<u8>>> {
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
    let mut joined = Vec::with_capacity(ciphertext.len() + TAG_LEN);
    joined.extend_from_slice(ciphertext);
    joined.extend_from_slice(tag);
    cipher.decrypt(&(*nonce).into(), joined.as_slice()).ok().map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_then_open_and_tamper() {
        let key = random_key().unwrap();
        let sealed = seal(&key, b"hello").unwrap();
        assert_eq!(sealed.ciphertext.len(), 5);
        assert_eq!(open(&key, &sealed.nonce, &sealed.ciphertext, &sealed.tag).unwrap().as_slice(), b"hello");
        let mut bad = sealed.ciphertext.clone();
        bad[0] ^= 1;
        assert!(open(&key, &sealed.nonce, &bad, &sealed.tag).is_none());
        let other = random_key().unwrap();
        assert!(open(&other, &sealed.nonce, &sealed.ciphertext, &sealed.tag).is_none());
    }

    #[test]
    fn scrypt_matches_rfc7914_vector() {
        // RFC 7914 section 12, second vector: P="password", S="NaCl", N=1024, r=8, p=16 (first 32 bytes).
        let key = scrypt_key(b"password", b"NaCl", 10, 8, 16).unwrap();
        assert_eq!(
            data_encoding::HEXLOWER.encode(key.as_ref()),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        );
    }
}
