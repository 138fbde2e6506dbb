//! The shared key of an account.
//!
//! A [`Secret`] holds raw key bytes. It zeroizes them on drop, prints as `<redacted>` in `Debug`, and has no
//! `Display` and no `Serialize`: code that must write a secret somewhere (the vault, an export) asks for it
//! explicitly with [`Secret::as_bytes`] or [`Secret::to_base32`], so a secret cannot leak by accident into a
//! log line, an error message or an IPC reply.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

/// Why a text could not be read as a secret. Never carries the text itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretError {
    #[error("secret is empty")]
    Empty,
    #[error("secret is not valid base32 (character {position} is not A-Z or 2-7)")]
    InvalidBase32Char { position: usize },
    #[error("secret is not valid base32 (a base32 text cannot be {len} characters long)")]
    InvalidBase32Length { len: usize },
    #[error("secret is not valid hex")]
    InvalidHex,
    #[error("secret is too long ({len} bytes; at most {max})")]
    TooLong { len: usize, max: usize },
}

/// Secret key bytes. Zeroized on drop; `Debug` prints `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Longest key we accept: far beyond any real service (SHA-512 keys are 64 bytes), small enough that a
    /// hostile file cannot make us hash megabytes per code.
    pub const MAX_LEN: usize = 1024;

    /// Wraps raw key bytes.
    pub fn from_bytes(bytes: impl Into<Vec<u8>>) -> Result<Self, SecretError> {
        let mut bytes = bytes.into();
        if bytes.is_empty() {
            return Err(SecretError::Empty);
        }
        if bytes.len() > Self::MAX_LEN {
            let len = bytes.len();
            bytes.zeroize();
            return Err(SecretError::TooLong { len, max: Self::MAX_LEN });
        }
        Ok(Self(Zeroizing::new(bytes)))
    }

    /// Reads base32 the way people paste it: any case, with spaces, dashes or underscores between groups,
    /// with or without `=` padding (too much padding too). Trailing bits that do not fill a byte are dropped,
    /// as Google Authenticator does, so texts such as `MYSECRET` that are not a whole number of bytes work.
    pub fn parse_base32(text: &str) -> Result<Self, SecretError> {
        let secret = Self::parse_base32_lenient(text)?;
        // A base32 text of n characters carries 5n bits; lengths whose remainder mod 8 is 1, 3 or 6 cannot
        // end a valid encoding and always mean a character was lost, so refuse rather than guess. (The
        // lenient reader has already refused anything but base32 characters and separators.)
        let len = text.chars().filter(char::is_ascii_alphanumeric).count();
        if matches!(len % 8, 1 | 3 | 6) {
            return Err(SecretError::InvalidBase32Length { len });
        }
        Ok(secret)
    }

    /// Base32 the way other apps accept it: like [`Secret::parse_base32`], but any length is accepted and the
    /// trailing bits that do not fill a byte are dropped (as Google Authenticator does). For untrusted text that
    /// real apps and services produce; callers should tell the user when the strict reader would have refused.
    pub(crate) fn parse_base32_lenient(text: &str) -> Result<Self, SecretError> {
        let mut bytes = Zeroizing::new(Vec::with_capacity(text.len() * 5 / 8 + 1));
        let mut buffer: u32 = 0;
        let mut bits = 0u32;
        let mut seen = false;
        for (position, c) in text.chars().enumerate() {
            let value = match c {
                ' ' | '\t' | '\n' | '\r' | '-' | '_' | '=' => continue,
                'a'..='z' => c as u8 - b'a',
                'A'..='Z' => c as u8 - b'A',
                '2'..='7' => c as u8 - b'2' + 26,
                _ => return Err(SecretError::InvalidBase32Char { position }),
            };
            seen = true;
            buffer = (buffer << 5) | u32::from(value);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                bytes.push((buffer >> bits) as u8);
                buffer &= (1 << bits) - 1;
            }
        }
        buffer.zeroize();
        if !seen {
            return Err(SecretError::Empty);
        }
        if bytes.is_empty() {
            // A single base32 character carries fewer than 8 bits: nothing a code could be made from.
            return Err(SecretError::InvalidBase32Length { len: 1 });
        }
        Self::from_bytes(std::mem::take(&mut *bytes))
    }

    /// Reads a hex key (as some apps store it), ignoring spaces.
    pub fn parse_hex(text: &str) -> Result<Self, SecretError> {
        let clean: Zeroizing<String> = Zeroizing::new(text.chars().filter(|c| !c.is_whitespace()).collect());
        let bytes = data_encoding::HEXLOWER_PERMISSIVE.decode(clean.as_bytes()).map_err(|_| SecretError::InvalidHex)?;
        Self::from_bytes(bytes)
    }

    /// The raw key bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The key length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always false: an empty secret cannot be built.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Canonical base32: RFC 4648 alphabet, upper case, no padding.
    pub fn to_base32(&self) -> Zeroizing<String> {
        Zeroizing::new(data_encoding::BASE32_NOPAD.encode(&self.0))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_accepts_what_people_paste() {
        let canonical = Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
        for pasted in [
            "jbswy3dpehpk3pxp",
            "JBSW Y3DP EHPK 3PXP",
            "jbsw-y3dp-ehpk-3pxp",
            "JBSWY3DPEHPK3PXP======",
            "JBSWY3DPEHPK3PXP=",
            " JBSWY3DPEHPK3PXP\n",
        ] {
            assert_eq!(Secret::parse_base32(pasted).unwrap(), canonical, "{pasted:?}");
        }
        assert_eq!(canonical.as_bytes(), b"Hello!\xde\xad\xbe\xef");
    }

    #[test]
    fn base32_80_bit_keys_work() {
        // GitHub, Discord and PayPal issue 16-character (80-bit) keys.
        let s = Secret::parse_base32("GEZDGNBVGY3TQOJQ").unwrap();
        assert_eq!(s.len(), 10);
        assert_eq!(&*s.to_base32(), "GEZDGNBVGY3TQOJQ");
    }

    #[test]
    fn base32_non_byte_aligned_drops_trailing_bits() {
        let s = Secret::parse_base32("MYSECRET").unwrap();
        assert_eq!(s.len(), 5);
        let s = Secret::parse_base32("ABCDEFGHIJ").unwrap(); // 10 chars = 50 bits -> 6 bytes
        assert_eq!(s.len(), 6);
    }

    #[test]
    fn base32_errors_are_clear_and_carry_no_secret() {
        assert_eq!(Secret::parse_base32(""), Err(SecretError::Empty));
        assert_eq!(Secret::parse_base32(" = "), Err(SecretError::Empty));
        let err = Secret::parse_base32("ABC1EFGH").unwrap_err();
        assert_eq!(err, SecretError::InvalidBase32Char { position: 3 });
        assert!(!err.to_string().contains("ABC"));
        assert_eq!(Secret::parse_base32("A"), Err(SecretError::InvalidBase32Length { len: 1 }));
    }

    #[test]
    fn debug_is_redacted() {
        let s = Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&s)), "Some(<redacted>)");
    }

    #[test]
    fn too_long_is_refused() {
        assert!(matches!(Secret::from_bytes(vec![1u8; 2000]), Err(SecretError::TooLong { .. })));
    }
}
