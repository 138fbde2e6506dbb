//! Authenticator Plus encrypted database (`authplus.db`, SQLCipher 3).
//!
//! Source: Stratum's `AuthenticatorPlusBackupConverter` and the SQLCipher 3 defaults: 1024-byte pages,
//! the first 16 bytes of the file are the salt, key = PBKDF2-HMAC-SHA1(password, salt, 64 000), each page
//! is AES-256-CBC encrypted with the 16-byte IV stored in its 48-byte reserved tail. The decrypted database
//! has `accounts(email, secret, counter, type 0 TOTP | 1 HOTP | 2 Blizzard, issuer, original_name,
//! category)`. Authenticator Plus stores no algorithm, digits or period (SHA-1 / 6 / 30); Blizzard
//! accounts use a hex secret and 8 digits.
//!
//! Kept: issuer, name, secret, type, counter, category as group. Lost: icons, order.
//! The page HMACs are not verified: a wrong password is caught by the decrypted header instead, and a
//! damaged page makes SQLite report corruption.

use zeroize::Zeroizing;

use super::Why;
use super::common::damaged;
use super::common::{Draft, DraftKind, SecretText, crypto, int, need_password, problem, s};
use super::{Cancel, EntryProblem, ImportError, ProblemKind};

const PAGE: usize = 1024;
const RESERVED: usize = 48;
const SALT: usize = 16;
const ITERATIONS: u32 = 64_000;

/// A file that could be an SQLCipher database: whole pages, no plain SQLite header.
pub(super) fn looks_like_sqlcipher(bytes: &[u8]) -> bool {
    bytes.len() >= PAGE && bytes.len() % PAGE == 0 && !bytes.starts_with(b"SQLite format 3\0")
}

/// The decrypted database, written page by page into one buffer of the file's size (no reallocation,
/// no per-page plaintext vectors), wiped when dropped.
fn decrypt(bytes: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    if !looks_like_sqlcipher(bytes) {
        return Err(damaged(Why::EndsEarly));
    }
    let key = crypto::pbkdf2_sha1(password.as_bytes(), &bytes[..SALT], ITERATIONS);
    let mut out = Zeroizing::new(vec![0u8; bytes.len()]);
    for (index, (page, plain)) in bytes.chunks_exact(PAGE).zip(out.chunks_exact_mut(PAGE)).enumerate() {
        let start = if index == 0 { SALT } else { 0 };
        let iv: [u8; 16] =
            page[PAGE - RESERVED..PAGE - RESERVED + 16].try_into().map_err(|_| damaged(Why::EndsEarly))?;
        // The reserved tail stays zero, as SQLite expects of a plain database with 48 reserved bytes.
        crypto::aes_cbc_open_nopad_into(&key, &iv, &page[start..PAGE - RESERVED], &mut plain[start..PAGE - RESERVED])
            .ok_or_else(|| damaged(Why::CannotDecrypt))?;
        if index == 0 {
            // Offsets 16..24 of an SQLite header: page size 1024, write/read versions, 48 reserved bytes,
            // payload fractions 64/32/32. Anything else means the key is wrong.
            if plain[SALT..SALT + 8] != [0x04, 0x00, 1, 1, RESERVED as u8, 64, 32, 32]
                && plain[SALT..SALT + 8] != [0x04, 0x00, 2, 2, RESERVED as u8, 64, 32, 32]
            {
                return Err(ImportError::WrongPassword);
            }
            plain[..SALT].copy_from_slice(b"SQLite format 3\0");
        }
    }
    Ok(out)
}

pub(super) fn read_db(
    bytes: &[u8],
    password: Option<&str>,
    cancel: &Cancel,
) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let plain = decrypt(bytes, need_password(password)?)?;
    let db = super::sqlite_apps::open(&plain, cancel)?;
    let rows =
        super::sqlite_apps::rows(&db, "accounts", &["email", "secret", "counter", "type", "issuer", "category"])?;
    let mut drafts = Vec::with_capacity(rows.len());
    for row in &rows {
        let (email, issuer, category) = (s(row, "email"), s(row, "issuer"), s(row, "category"));
        let label = crate::model::label(&issuer, &email);
        let secret = Zeroizing::new(s(row, "secret"));
        let (kind, counter) = match (int(row, "type"), int(row, "counter")) {
            (Ok(kind), Ok(counter)) => (kind, counter),
            (Err(k), _) | (_, Err(k)) => {
                drafts.push(Err(problem(label, k)));
                continue;
            }
        };
        let mut d = match kind {
            Some(0) | None => Draft::new(DraftKind::Totp, issuer, email, SecretText::Base32(secret)),
            Some(1) => {
                let mut d = Draft::new(DraftKind::Hotp, issuer, email, SecretText::Base32(secret));
                d.counter = counter;
                d
            }
            // Stratum's convention, which the app shows as a Blizzard token.
            Some(2) => {
                let mut d = Draft::new(DraftKind::Totp, "Blizzard", email, SecretText::Hex(secret));
                d.digits = Some(8);
                d
            }
            Some(other) => {
                drafts.push(Err(problem(label, ProblemKind::InvalidParameter(Why::unknown("type", other)))));
                continue;
            }
        };
        if !category.is_empty() && category != "All Accounts" {
            d.groups.push(category);
        }
        drafts.push(Ok(d));
    }
    Ok(drafts)
}
