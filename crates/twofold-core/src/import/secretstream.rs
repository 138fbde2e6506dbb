//! libsodium's `crypto_secretstream_xchacha20poly1305`, pull side, for one-message streams (Ente Auth).
//!
//! Source: libsodium `src/libsodium/crypto_secretstream/xchacha20poly1305/secretstream_xchacha20poly1305.c`.
//! Header (24 bytes): subkey = HChaCha20(key, header[0..16]); nonce = counter 1 (LE u32) ‖ header[16..24].
//! Each message: `tag ⊕ ks | ciphertext | mac (16)`; the Poly1305 key is the first 32 bytes of ChaCha20
//! block 0, the tag byte is encrypted with block 1 and the message from block 2 on; the MAC covers
//! `ad ‖ pad16 ‖ block(64, first byte = encrypted tag) ‖ ciphertext ‖ (mlen mod 16 zero bytes) ‖ le64(adlen)
//! ‖ le64(64+mlen)`.

use chacha20::cipher::{KeyIvInit, StreamCipher, StreamCipherSeek};
use poly1305::universal_hash::KeyInit;
use zeroize::Zeroizing;

pub(crate) const HEADER_BYTES: usize = 24;
pub(crate) const ABYTES: usize = 17;

/// Opens the first message of a stream. Returns the plaintext and its tag byte (`3` = FINAL), or `None`
/// when the key is wrong or the data is damaged.
pub(crate) fn pull_one(key: &[u8; 32], header: &[u8], message: &[u8]) -> Option<(Zeroizing<Vec<u8>>, u8)> {
    if header.len() != HEADER_BYTES || message.len() < ABYTES {
        return None;
    }
    let hnonce: [u8; 16] = header[..16].try_into().ok()?;
    let mut derived = chacha20::hchacha::<chacha20::R20>(&(*key).into(), &hnonce.into());
    let mut nonce = [0u8; 12];
    nonce[..4].copy_from_slice(&1u32.to_le_bytes());
    nonce[4..].copy_from_slice(&header[16..24]);
    let mut subkey = Zeroizing::new([0u8; 32]);
    subkey.copy_from_slice(&derived);
    zeroize::Zeroize::zeroize(&mut derived[..]);

    let mut cipher = chacha20::ChaCha20::new(&(*subkey).into(), &nonce.into());
    let mut block0 = Zeroizing::new([0u8; 64]);
    cipher.apply_keystream(&mut *block0);
    let mut poly_key = Zeroizing::new([0u8; 32]);
    poly_key.copy_from_slice(&block0[..32]);

    let mlen = message.len() - ABYTES;
    let mut block = [0u8; 64];
    block[0] = message[0];
    cipher.seek(64u64);
    cipher.apply_keystream(&mut block);
    let tag = block[0];
    block[0] = message[0];

    let ciphertext = &message[1..1 + mlen];
    let stored_mac = &message[1 + mlen..];
    let mut mac_input = Vec::with_capacity(64 + mlen + 32);
    // No associated data, so no ad and no ad padding.
    mac_input.extend_from_slice(&block);
    mac_input.extend_from_slice(ciphertext);
    // libsodium computes this padding as `(0x10 - 64 + mlen) & 0xf`, which is `mlen % 16` (not the
    // AEAD-style padding to a multiple of 16); a reader must copy the quirk to verify the MAC.
    let pad = mlen % 16;
    mac_input.extend(std::iter::repeat_n(0u8, pad));
    mac_input.extend_from_slice(&0u64.to_le_bytes());
    mac_input.extend_from_slice(&((64 + mlen) as u64).to_le_bytes());
    let mac = poly1305::Poly1305::new(&(*poly_key).into()).compute_unpadded(&mac_input);
    if !constant_time_eq(&mac, stored_mac) {
        return None;
    }
    let mut plain = Zeroizing::new(ciphertext.to_vec());
    cipher.seek(128u64);
    cipher.apply_keystream(&mut plain);
    Some((plain, tag))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Known answer produced with libsodium (PyNaCl 1.6.2 `crypto_secretstream_xchacha20poly1305_push`, key
    /// = bytes 0..32, header as below, message "hello twofold", tag FINAL).
    #[test]
    fn libsodium_known_answer() {
        let key: [u8; 32] = core::array::from_fn(|i| i as u8);
        let header = data_encoding::HEXLOWER.decode(HEADER_HEX.as_bytes()).unwrap();
        let message = data_encoding::HEXLOWER.decode(MESSAGE_HEX.as_bytes()).unwrap();
        let (plain, tag) = pull_one(&key, &header, &message).unwrap();
        assert_eq!(&plain[..], b"hello twofold");
        assert_eq!(tag, 3);
        let mut damaged = message.clone();
        for i in 0..damaged.len() {
            damaged[i] ^= 1;
            assert!(pull_one(&key, &header, &damaged).is_none(), "bit flip at {i} accepted");
            damaged[i] ^= 1;
        }
        let mut wrong = key;
        wrong[0] ^= 1;
        assert!(pull_one(&wrong, &header, &message).is_none());
        assert!(pull_one(&key, &header, &message[..ABYTES - 1]).is_none());
    }

    const HEADER_HEX: &str = "05f0fc0caa5908e7ae42a7dc4b1b729299b9659838ed5523";
    const MESSAGE_HEX: &str = "94ef6197d0d3cbf395993af00bca0be7c183072cdaf469d3faf75d5ff65c";
}
