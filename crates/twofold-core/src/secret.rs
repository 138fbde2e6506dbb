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
    /// `position` counts from 1 over everything typed, spaces included, as a person counts along the field.
    /// `character` is the offending character itself (never a key character: those are valid).
    #[error("{}", invalid_char_message(.position, .character))]
    InvalidBase32Char { position: usize, character: char },
    #[error("secret is not valid base32 (a base32 text cannot be {len} characters long)")]
    InvalidBase32Length { len: usize },
    /// The key's base32 does not end on a whole byte: its last character carries bits that fill no byte, so
    /// reading it would silently change the key (`AB` would become `AA`). A character is missing or one too many.
    #[error(
        "the key does not end on a whole byte ({characters} base32 characters): a character is missing or one \
         too many"
    )]
    NotWholeBytes { characters: usize },
    /// Shorter than [`MIN_KEY_BITS`]: no service issues such a key, so a part of it was not copied.
    #[error("the key is only {bits} bits long; services issue at least {min} bits (16 characters): a part is missing")]
    TooShort { bits: usize, min: usize },
    #[error("secret is not valid hex")]
    InvalidHex,
    #[error("secret is too long ({len} bytes; at most {max})")]
    TooLong { len: usize, max: usize },
}

/// The fewest bits a key typed by a person may have. 80 bits (16 base32 characters) is what GitHub, Discord and
/// many other services issue; nothing real is shorter, so a shorter typed key lost a part on the way.
pub const MIN_KEY_BITS: usize = 80;

/// The characters people type for base32 letters that look like them: base32 has no 0, 1, 8 or 9.
pub fn likely_meant(character: char) -> Option<char> {
    match character {
        '0' => Some('O'),
        '1' => Some('I'),
        '8' => Some('B'),
        _ => None,
    }
}

fn invalid_char_message(position: &usize, character: &char) -> String {
    let (position, character) = (*position, *character);
    let shown = if character.is_control() || character.is_whitespace() {
        format!("U+{:04X}", u32::from(character))
    } else {
        format!("\"{character}\"")
    };
    let mut message =
        format!("character {position} of the key ({shown}) is not valid base32: keys use only A-Z and 2-7");
    if likely_meant(character).is_some() {
        message.push_str("; 0, 1 and 8 are not used in keys: did you mean O, I or B?");
    }
    message
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
        for (index, c) in text.chars().enumerate() {
            let value = match c {
                ' ' | '\t' | '\n' | '\r' | '-' | '_' | '=' => continue,
                'a'..='z' => c as u8 - b'a',
                'A'..='Z' => c as u8 - b'A',
                '2'..='7' => c as u8 - b'2' + 26,
                _ => return Err(SecretError::InvalidBase32Char { position: index + 1, character: c }),
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

    /// The one rule for a key a person types (the Add dialog, the CLI's `vault add`): base32 as
    /// [`Secret::parse_base32`] reads it, but it must end on a whole byte ([`SecretError::NotWholeBytes`]:
    /// nothing is silently dropped) and hold at least [`MIN_KEY_BITS`] ([`SecretError::TooShort`]).
    pub fn parse_typed(text: &str) -> Result<Self, SecretError> {
        let (secret, problem) = Self::parse_carried(text)?;
        match problem {
            Some(problem) => Err(problem),
            None => Ok(secret),
        }
    }

    /// A key as a link or another app's export carries it: read as those apps read it (trailing bits that fill
    /// no byte dropped, short keys kept, since the service's codes are computed that way), with what
    /// [`Secret::parse_typed`] would refuse returned beside it so the caller can warn. Invalid characters and
    /// an empty key are still errors.
    pub fn parse_carried(text: &str) -> Result<(Self, Option<SecretError>), SecretError> {
        let characters = text.chars().filter(char::is_ascii_alphanumeric).count();
        let secret = match Self::parse_base32_lenient(text) {
            // One character holds no whole byte: the same sentence as any other partial byte.
            Err(SecretError::InvalidBase32Length { .. }) => return Err(SecretError::NotWholeBytes { characters }),
            other => other?,
        };
        let whole = characters * 5 % 8 < 5 && !Self::trailing_bits_set(text);
        let problem = if !whole { Some(SecretError::NotWholeBytes { characters }) } else { secret.short_key_problem() };
        Ok((secret, problem))
    }

    /// [`SecretError::TooShort`] when the key holds fewer than [`MIN_KEY_BITS`] (for keys other apps stored as
    /// bytes, hex or base64, which always end on a whole byte).
    pub fn short_key_problem(&self) -> Option<SecretError> {
        let bits = self.len() * 8;
        (bits < MIN_KEY_BITS).then_some(SecretError::TooShort { bits, min: MIN_KEY_BITS })
    }

    /// Whether the bits after the last whole byte of a base32 text are not all zero (a canonical encoder
    /// writes zeros there; anything else is lost when read). `text` has been checked to be base32.
    fn trailing_bits_set(text: &str) -> bool {
        let Some(last) = text.chars().rev().find(char::is_ascii_alphanumeric) else { return false };
        let characters = text.chars().filter(char::is_ascii_alphanumeric).count();
        let spare = characters * 5 % 8;
        let value = match last.to_ascii_uppercase() {
            c @ 'A'..='Z' => c as u8 - b'A',
            c @ '2'..='7' => c as u8 - b'2' + 26,
            _ => return false,
        };
        spare > 0 && spare < 5 && value & ((1u8 << spare) - 1) != 0
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
        assert_eq!(err, SecretError::InvalidBase32Char { position: 4, character: '1' });
        assert!(!err.to_string().contains("ABC"));
        assert_eq!(Secret::parse_base32("A"), Err(SecretError::InvalidBase32Length { len: 1 }));
    }

    /// Issue 21, points 1 and 6: `AB` was accepted and silently became `AA`; `abcd efgh 1234` was "character
    /// 10" (counting from 0) with no word about the slip.
    #[test]
    fn typed_keys_follow_one_rule_with_errors_a_person_can_act_on() {
        // Partial bytes are refused, never rewritten.
        assert_eq!(Secret::parse_typed("AB"), Err(SecretError::NotWholeBytes { characters: 2 }));
        assert_eq!(Secret::parse_typed("A"), Err(SecretError::NotWholeBytes { characters: 1 }));
        assert_eq!(Secret::parse_typed("JBSWY3DPEHPK3PXPA"), Err(SecretError::NotWholeBytes { characters: 17 }));
        // 26 characters (128 bits + 2 spare bits): fine when the spare bits are zero, refused otherwise.
        let k128 = "GEZDGNBVGY3TQOJQGEZDGNBVGY";
        assert_eq!(Secret::parse_typed(k128).unwrap().len(), 16);
        assert_eq!(
            Secret::parse_typed("GEZDGNBVGY3TQOJQGEZDGNBVGZ"),
            Err(SecretError::NotWholeBytes { characters: 26 })
        );
        // Shorter than 80 bits: refused. 80 bits and longer: accepted silently.
        assert_eq!(Secret::parse_typed("AA"), Err(SecretError::TooShort { bits: 8, min: 80 }));
        assert_eq!(Secret::parse_typed("JBSWY3DP"), Err(SecretError::TooShort { bits: 40, min: 80 }));
        assert_eq!(Secret::parse_typed("jbsw y3dp ehpk 3pxp").unwrap().len(), 10);
        assert_eq!(Secret::parse_typed("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ").unwrap().len(), 20);
        // The character itself and its 1-based place among what was typed, spaces counted; a hint for slips.
        let err = Secret::parse_typed("abcd efgh 1234").unwrap_err();
        assert_eq!(err, SecretError::InvalidBase32Char { position: 11, character: '1' });
        let message = err.to_string();
        assert!(message.contains("character 11") && message.contains("\"1\""), "{message}");
        assert!(message.contains("did you mean O, I or B?"), "{message}");
        let err = Secret::parse_typed("JBSW!").unwrap_err();
        assert_eq!(err, SecretError::InvalidBase32Char { position: 5, character: '!' });
        assert!(!err.to_string().contains("did you mean"));
        assert_eq!(likely_meant('0'), Some('O'));
        assert_eq!(likely_meant('9'), None);
        assert_eq!(Secret::parse_typed("  "), Err(SecretError::Empty));
    }

    /// Links and other apps' exports keep what the typed rule refuses (their codes are computed that way), and
    /// say so.
    #[test]
    fn carried_keys_are_kept_with_the_typed_rule_as_a_remark() {
        let (secret, problem) = Secret::parse_carried("AB").unwrap();
        assert_eq!((secret.as_bytes(), problem), (&[0u8][..], Some(SecretError::NotWholeBytes { characters: 2 })));
        let (secret, problem) = Secret::parse_carried("JBSWY3DP").unwrap();
        assert_eq!((secret.len(), problem), (5, Some(SecretError::TooShort { bits: 40, min: 80 })));
        assert_eq!(Secret::parse_carried("JBSWY3DPEHPK3PXP").unwrap().1, None);
        assert!(Secret::parse_carried("A").is_err());
        assert!(Secret::parse_carried("JBSW0").is_err());
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
