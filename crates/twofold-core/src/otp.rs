//! One-time codes: HOTP (RFC 4226), TOTP (RFC 6238) and Steam Guard.
//!
//! HOTP is implemented here, directly on the RustCrypto `hmac`, `sha1` and `sha2` crates, rather than through
//! `totp-rs`: `totp-rs` 6 panics for 10-digit codes (`Token` keeps the value in a `u32` modulo `10^digits`),
//! and we support 4 to 10 digits. TOTP is HOTP with the counter `floor(now / period)`; Steam Guard is TOTP
//! (SHA-1) whose 31-bit truncated value is written in Steam's 26-character alphabet instead of decimal.
//!
//! Every function takes the time (`now`, Unix seconds) or the counter; nothing here reads the clock. Codes
//! for time-based kinds come with their validity window so the app can draw a countdown.

use hmac::{Hmac, KeyInit, Mac};

use crate::model::{Algorithm, OtpKind, OtpParams};
use crate::secret::Secret;

/// Why a code could not be computed, or why parameters are unusable. Never carries key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OtpError {
    #[error("digits must be between {min} and {max}, not {digits}")]
    InvalidDigits { digits: u8, min: u8, max: u8 },
    #[error("period must be between {min} and {max} seconds, not {period}")]
    InvalidPeriod { period: u32, min: u32, max: u32 },
    #[error("steam guard codes have {expected} characters, not {digits}")]
    SteamDigits { digits: u8, expected: u8 },
    #[error("steam guard codes use sha1, not {algorithm}")]
    SteamAlgorithm { algorithm: &'static str },
    #[error("time {now} is before 1970-01-01")]
    TimeBeforeEpoch { now: i64 },
}

/// The span of time during which a time-based code is valid: `valid_from <= t < valid_until` (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Window {
    pub valid_from: i64,
    pub valid_until: i64,
    pub period: u32,
}

impl Window {
    /// Seconds left at `now` before the code changes (0 when `now` is outside the window).
    pub fn remaining(&self, now: i64) -> i64 {
        if now < self.valid_from { 0 } else { (self.valid_until - now).max(0) }
    }
}

/// A code, with its validity window for time-based kinds (`None` for HOTP).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Code {
    pub code: String,
    pub window: Option<Window>,
}

/// Steam Guard's alphabet: digits and consonants that cannot be confused with each other.
const STEAM_ALPHABET: &[u8; 26] = b"23456789BCDFGHJKMNPQRTVWXY";

impl OtpParams {
    /// Checks that codes can be computed with these parameters; the error says what is out of range.
    pub fn validate(&self) -> Result<(), OtpError> {
        if let Some(period) = self.period()
            && !(Self::MIN_PERIOD..=Self::MAX_PERIOD).contains(&period)
        {
            return Err(OtpError::InvalidPeriod { period, min: Self::MIN_PERIOD, max: Self::MAX_PERIOD });
        }
        match self.kind {
            OtpKind::Steam { .. } => {
                if self.digits != Self::STEAM_DIGITS {
                    return Err(OtpError::SteamDigits { digits: self.digits, expected: Self::STEAM_DIGITS });
                }
                if self.algorithm != Algorithm::Sha1 {
                    return Err(OtpError::SteamAlgorithm { algorithm: self.algorithm.as_str() });
                }
            }
            OtpKind::Totp { .. } | OtpKind::Hotp { .. } => {
                if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&self.digits) {
                    return Err(OtpError::InvalidDigits {
                        digits: self.digits,
                        min: Self::MIN_DIGITS,
                        max: Self::MAX_DIGITS,
                    });
                }
            }
        }
        Ok(())
    }
}

/// The code of an account: at `now` for TOTP and Steam, at the stored counter for HOTP (`now` unused).
pub fn code(secret: &Secret, params: &OtpParams, now: i64) -> Result<Code, OtpError> {
    params.validate()?;
    match params.kind {
        OtpKind::Totp { period } => totp(secret, params.algorithm, params.digits, period, now),
        OtpKind::Steam { period } => steam(secret, period, now),
        OtpKind::Hotp { counter } => {
            Ok(Code { code: hotp(secret, params.algorithm, params.digits, counter)?, window: None })
        }
    }
}

/// The code of an account for an explicit moving factor: the HOTP counter, or the TOTP/Steam time step.
/// For time-based kinds the returned window is the one of that step.
pub fn code_at_counter(secret: &Secret, params: &OtpParams, counter: u64) -> Result<Code, OtpError> {
    params.validate()?;
    match params.kind {
        OtpKind::Hotp { .. } => {
            Ok(Code { code: hotp(secret, params.algorithm, params.digits, counter)?, window: None })
        }
        OtpKind::Totp { period } => Ok(Code {
            code: format_decimal(truncate(params.algorithm, secret, counter), params.digits),
            window: step_window(counter, period),
        }),
        OtpKind::Steam { period } => Ok(Code {
            code: format_steam(truncate(Algorithm::Sha1, secret, counter)),
            window: step_window(counter, period),
        }),
    }
}

/// RFC 4226 HOTP: the `digits`-digit code for `counter`.
pub fn hotp(secret: &Secret, algorithm: Algorithm, digits: u8, counter: u64) -> Result<String, OtpError> {
    check_digits(digits)?;
    Ok(format_decimal(truncate(algorithm, secret, counter), digits))
}

/// RFC 6238 TOTP (T0 = 0): the code at `now` and the window it is valid in.
pub fn totp(secret: &Secret, algorithm: Algorithm, digits: u8, period: u32, now: i64) -> Result<Code, OtpError> {
    check_digits(digits)?;
    let window = window(period, now)?;
    let counter = time_step(period, now)?;
    Ok(Code { code: format_decimal(truncate(algorithm, secret, counter), digits), window: Some(window) })
}

/// Steam Guard: the 5-character code at `now` and the window it is valid in.
pub fn steam(secret: &Secret, period: u32, now: i64) -> Result<Code, OtpError> {
    let window = window(period, now)?;
    let counter = time_step(period, now)?;
    Ok(Code { code: format_steam(truncate(Algorithm::Sha1, secret, counter)), window: Some(window) })
}

/// The TOTP time step (counter) for `now`: `floor(now / period)`.
pub fn time_step(period: u32, now: i64) -> Result<u64, OtpError> {
    check_period(period)?;
    let now = u64::try_from(now).map_err(|_| OtpError::TimeBeforeEpoch { now })?;
    Ok(now / u64::from(period))
}

/// The validity window of the time step that contains `now`.
pub fn window(period: u32, now: i64) -> Result<Window, OtpError> {
    check_period(period)?;
    if now < 0 {
        return Err(OtpError::TimeBeforeEpoch { now });
    }
    let p = i64::from(period);
    let valid_from = now - now % p;
    // `valid_from <= i64::MAX - (p - 1)`, so adding `p` can only overflow in the very last window.
    Ok(Window { valid_from, valid_until: valid_from.saturating_add(p), period })
}

fn step_window(counter: u64, period: u32) -> Option<Window> {
    let from = i64::try_from(counter).ok()?.checked_mul(i64::from(period))?;
    Some(Window { valid_from: from, valid_until: from.saturating_add(i64::from(period)), period })
}

fn check_digits(digits: u8) -> Result<(), OtpError> {
    if (OtpParams::MIN_DIGITS..=OtpParams::MAX_DIGITS).contains(&digits) {
        Ok(())
    } else {
        Err(OtpError::InvalidDigits { digits, min: OtpParams::MIN_DIGITS, max: OtpParams::MAX_DIGITS })
    }
}

fn check_period(period: u32) -> Result<(), OtpError> {
    if (OtpParams::MIN_PERIOD..=OtpParams::MAX_PERIOD).contains(&period) {
        Ok(())
    } else {
        Err(OtpError::InvalidPeriod { period, min: OtpParams::MIN_PERIOD, max: OtpParams::MAX_PERIOD })
    }
}

/// HMAC of the big-endian counter, then RFC 4226 dynamic truncation to a 31-bit value.
fn truncate(algorithm: Algorithm, secret: &Secret, counter: u64) -> u32 {
    let message = counter.to_be_bytes();
    match algorithm {
        Algorithm::Sha1 => dynamic_truncation(&mac::<Hmac<sha1::Sha1>>(secret.as_bytes(), &message)),
        Algorithm::Sha256 => dynamic_truncation(&mac::<Hmac<sha2::Sha256>>(secret.as_bytes(), &message)),
        Algorithm::Sha512 => dynamic_truncation(&mac::<Hmac<sha2::Sha512>>(secret.as_bytes(), &message)),
    }
}

fn mac<M: Mac + KeyInit>(key: &[u8], message: &[u8]) -> hmac::digest::Output<M> {
    let mut m = <M as KeyInit>::new_from_slice(key).expect("HMAC accepts keys of every length");
    m.update(message);
    m.finalize().into_bytes()
}

fn dynamic_truncation(hash: &[u8]) -> u32 {
    // Every supported hash is at least 20 bytes, so offset + 4 <= 15 + 4 < 20: indexing is in bounds.
    let offset = usize::from(hash.last().copied().unwrap_or(0) & 0x0f);
    let bytes = [hash[offset], hash[offset + 1], hash[offset + 2], hash[offset + 3]];
    u32::from_be_bytes(bytes) & 0x7fff_ffff
}

fn format_decimal(value: u32, digits: u8) -> String {
    // 10 digits: 10^10 exceeds every 31-bit value, so the whole value is shown, zero-padded.
    let modulus = 10u64.pow(u32::from(digits));
    format!("{:0width$}", u64::from(value) % modulus, width = usize::from(digits))
}

fn format_steam(mut value: u32) -> String {
    let mut code = String::with_capacity(usize::from(OtpParams::STEAM_DIGITS));
    for _ in 0..OtpParams::STEAM_DIGITS {
        code.push(char::from(STEAM_ALPHABET[(value % 26) as usize]));
        value /= 26;
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc_secret() -> Secret {
        Secret::from_bytes(b"12345678901234567890".to_vec()).unwrap()
    }

    #[test]
    fn rfc4226_first_vectors() {
        let s = rfc_secret();
        assert_eq!(hotp(&s, Algorithm::Sha1, 6, 0).unwrap(), "755224");
        assert_eq!(hotp(&s, Algorithm::Sha1, 6, 9).unwrap(), "520489");
    }

    #[test]
    fn ten_digits_shows_the_whole_truncated_value() {
        // RFC 4226 Appendix D: truncated decimal for counter 0 is 1284755224.
        assert_eq!(hotp(&rfc_secret(), Algorithm::Sha1, 10, 0).unwrap(), "1284755224");
        // Counter 7 truncates to 82162583: padded with zeros to 10 digits.
        assert_eq!(hotp(&rfc_secret(), Algorithm::Sha1, 10, 7).unwrap(), "0082162583");
    }

    #[test]
    fn totp_window_and_code() {
        let c = totp(&rfc_secret(), Algorithm::Sha1, 8, 30, 59).unwrap();
        assert_eq!(c.code, "94287082");
        assert_eq!(c.window, Some(Window { valid_from: 30, valid_until: 60, period: 30 }));
        assert_eq!(c.window.unwrap().remaining(59), 1);
    }

    #[test]
    fn counter_extremes_work() {
        let s = rfc_secret();
        assert_eq!(hotp(&s, Algorithm::Sha512, 8, u64::MAX).unwrap().len(), 8);
        let c = totp(&s, Algorithm::Sha1, 6, 1, i64::MAX).unwrap();
        assert_eq!(c.window.unwrap().valid_from, i64::MAX);
        assert_eq!(c.window.unwrap().valid_until, i64::MAX);
    }

    #[test]
    fn steam_vector() {
        // KeePassXC / Stratum test vector.
        let s = Secret::parse_base32("63BEDWCQZKTQWPESARIERL5DTTQFCJTK").unwrap();
        assert_eq!(steam(&s, 30, 1_511_200_518).unwrap().code, "FR8RV");
    }

    #[test]
    fn validate_names_the_problem() {
        let mut p = OtpParams::default_totp();
        p.digits = 11;
        assert_eq!(p.validate(), Err(OtpError::InvalidDigits { digits: 11, min: 4, max: 10 }));
        p.digits = 6;
        p.kind = OtpKind::Totp { period: 0 };
        assert_eq!(p.validate().unwrap_err().to_string(), "period must be between 1 and 86400 seconds, not 0");
        let mut s = OtpParams::steam();
        s.digits = 6;
        assert!(matches!(s.validate(), Err(OtpError::SteamDigits { .. })));
        assert!(matches!(totp(&rfc_secret(), Algorithm::Sha1, 6, 30, -1), Err(OtpError::TimeBeforeEpoch { .. })));
    }

    #[test]
    fn code_at_counter_matches_totp() {
        let p = OtpParams::default_totp();
        let at_time = code(&rfc_secret(), &p, 1_111_111_109).unwrap();
        let at_step = code_at_counter(&rfc_secret(), &p, 1_111_111_109 / 30).unwrap();
        assert_eq!(at_time, at_step);
    }
}
