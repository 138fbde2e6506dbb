//! The symmetric primitives that the import and export formats share, in one place: random bytes, the key
//! derivations other apps use (scrypt, PBKDF2, Argon2id, SHA-256), AES-256-GCM (tag joined or kept apart,
//! as Aegis stores it), AES-256-CBC, and the unwrapping of an Aegis password slot. Key material lives in
//! [`Zeroizing`] buffers. The vault's own sealing is in `vault::format`, which owns its file format.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key};
use zeroize::Zeroizing;

pub(crate) const KEY_LEN: usize = 32;
pub(crate) const NONCE_LEN: usize = 12;
pub(crate) const TAG_LEN: usize = 16;

/// Why a primitive could not run (never a wrong key: that is a `None` from the opening functions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CryptoError {
    /// The operating system gave no random bytes.
    Random,
    /// The parameters were refused (scrypt cost out of the library's range) or sealing failed.
    Refused,
}

/// `N` bytes from the operating system's random source.
pub(crate) fn random<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| CryptoError::Random)?;
    Ok(bytes)
}

/// A fresh random 256-bit key.
pub(crate) fn random_key() -> Result<Zeroizing<[u8; KEY_LEN]>, CryptoError> {
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    getrandom::fill(key.as_mut()).map_err(|_| CryptoError::Random)?;
    Ok(key)
}

/// scrypt with `N = 2^log_n`, a 32-byte output. Callers bound the cost first (a hostile file names it).
pub(crate) fn scrypt_key(
    password: &[u8],
    salt: &[u8],
    log_n: u8,
    r: u32,
    p: u32,
) -> Result<Zeroizing<[u8; KEY_LEN]>, CryptoError> {
    let params = scrypt::Params::new(log_n, r, p).map_err(|_| CryptoError::Refused)?;
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    scrypt::scrypt(password, salt, &params, key.as_mut()).map_err(|_| CryptoError::Refused)?;
    Ok(key)
}

pub(crate) fn pbkdf2_sha1(password: &[u8], salt: &[u8], rounds: u32) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, salt, rounds, &mut *out);
    out
}

pub(crate) fn pbkdf2_sha256(password: &[u8], salt: &[u8], rounds: u32) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password, salt, rounds, &mut *out);
    out
}

pub(crate) fn pbkdf2_sha512(password: &[u8], salt: &[u8], rounds: u32) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password, salt, rounds, &mut *out);
    out
}

pub(crate) fn sha256(data: &[u8]) -> Zeroizing<[u8; 32]> {
    use sha2::Digest;
    Zeroizing::new(sha2::Sha256::digest(data).into())
}

/// Argon2id (version 0x13) into 32 bytes; `None` when the parameters are refused by the library.
pub(crate) fn argon2id(password: &[u8], salt: &[u8], t: u32, m_kib: u32, p: u32) -> Option<Zeroizing<[u8; 32]>> {
    let params = argon2::Params::new(m_kib, t, p, Some(32)).ok()?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon.hash_password_into(password, salt, &mut *out).ok()?;
    Some(out)
}

/// Ciphertext and tag of one AES-256-GCM sealing, with the nonce that was used.
pub(crate) struct Sealed {
    pub nonce: [u8; NONCE_LEN],
    pub ciphertext: Vec<u8>,
    pub tag: [u8; TAG_LEN],
}

/// Seals `plaintext` under `key` with a fresh random nonce and no associated data; the tag is kept apart.
pub(crate) fn seal(key: &[u8; KEY_LEN], plaintext: &[u8]) -> Result<Sealed, CryptoError> {
    let nonce = random::<NONCE_LEN>()?;
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
    let mut ciphertext = cipher.encrypt(&nonce.into(), plaintext).map_err(|_| CryptoError::Refused)?;
    let split = ciphertext.len().checked_sub(TAG_LEN).ok_or(CryptoError::Refused)?;
    let tag: [u8; TAG_LEN] = ciphertext[split..].try_into().map_err(|_| CryptoError::Refused)?;
    ciphertext.truncate(split);
    Ok(Sealed { nonce, ciphertext, tag })
}

/// Opens a sealing whose tag is stored apart (what [`seal`] produced, or Aegis's fields); `None` when the
/// key is wrong, the nonce is not 12 bytes, or anything was altered.
pub(crate) fn open(key: &[u8; KEY_LEN], nonce: &[u8], ciphertext: &[u8], tag: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    let mut joined = Zeroizing::new(Vec::with_capacity(ciphertext.len() + tag.len()));
    joined.extend_from_slice(ciphertext);
    joined.extend_from_slice(tag);
    aes_gcm_open(key, nonce, &joined, &[])
}

/// AES-256-GCM open with a 12-byte nonce, the tag at the end of the ciphertext; `None` on a wrong key or
/// damaged data.
pub(crate) fn aes_gcm_open(
    key: &[u8; KEY_LEN],
    nonce: &[u8],
    ciphertext_and_tag: &[u8],
    aad: &[u8],
) -> Option<Zeroizing<Vec<u8>>> {
    let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key));
    cipher.decrypt(&aes_gcm::Nonce::from(nonce), Payload { msg: ciphertext_and_tag, aad }).ok().map(Zeroizing::new)
}

/// AES-256-CBC with PKCS#7 padding; `None` when the padding is wrong (wrong key or damaged data).
pub(crate) fn aes_cbc_open(key: &[u8; 32], iv: &[u8; 16], ciphertext: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::Pkcs7};
    if ciphertext.is_empty() || ciphertext.len() % 16 != 0 {
        return None;
    }
    cbc::Decryptor::<aes::Aes256>::new(&(*key).into(), &(*iv).into())
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .ok()
        .map(Zeroizing::new)
}

/// AES-256-CBC without padding (SQLCipher pages), decrypted in place into `out` (which the caller wipes).
pub(crate) fn aes_cbc_open_nopad_into(key: &[u8; 32], iv: &[u8; 16], ciphertext: &[u8], out: &mut [u8]) -> Option<()> {
    use aes::cipher::{BlockModeDecrypt, KeyIvInit, block_padding::NoPadding};
    if ciphertext.len() % 16 != 0 || out.len() != ciphertext.len() {
        return None;
    }
    out.copy_from_slice(ciphertext);
    cbc::Decryptor::<aes::Aes256>::new(&(*key).into(), &(*iv).into()).decrypt_padded::<NoPadding>(out).ok()?;
    Some(())
}

/// One Aegis password slot (type 1), decoded from the file: scrypt's cost (already bounded by the caller),
/// its salt, and the master key sealed under the derived key with its nonce and tag.
pub(crate) struct AegisSlot<'a> {
    pub log_n: u8,
    pub r: u32,
    pub p: u32,
    pub salt: &'a [u8],
    pub key: &'a [u8],
    pub nonce: &'a [u8],
    pub tag: &'a [u8],
}

/// Why an Aegis slot could not be tried or gave no usable key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SlotError {
    /// scrypt refused the slot's parameters.
    Params,
    /// The slot opened but its content is not a 32-byte key.
    KeyLength,
}

/// The master key that `slot` wraps, derived from `password` (the bytes the caller decided on); `Ok(None)`
/// when the password does not open this slot.
pub(crate) fn open_aegis_slot(
    password: &[u8],
    slot: &AegisSlot<'_>,
) -> Result<Option<Zeroizing<[u8; KEY_LEN]>>, SlotError> {
    let derived = scrypt_key(password, slot.salt, slot.log_n, slot.r, slot.p).map_err(|_| SlotError::Params)?;
    let Some(master) = open(&derived, slot.nonce, slot.key, slot.tag) else { return Ok(None) };
    let key: [u8; KEY_LEN] = master.as_slice().try_into().map_err(|_| SlotError::KeyLength)?;
    Ok(Some(Zeroizing::new(key)))
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
