//! Stratum (formerly Authenticator Pro) backup (`.authpro`): plain JSON, strong or legacy encryption.
//!
//! Source: jamie-mh/AuthenticatorPro (`Stratum.Core/src/Backup`). JSON `{Authenticators[]: {Type 1 HOTP |
//! 2 TOTP | 3 mOTP | 4 Steam | 5 Yandex, Issuer, Username, Secret, Pin, Algorithm 0 SHA1 | 1 SHA256 |
//! 2 SHA512, Digits, Period, Counter}, Categories, AuthenticatorCategories, CustomIcons}`.
//! Strong: `"AUTHENTICATORPRO" | salt 16 | iv 12 | ciphertext+tag`, Argon2id (t 3, m 64 MiB, p 4),
//! AES-256-GCM. Legacy: `"AuthenticatorPro" | salt 20 | iv 16 | ciphertext`, PBKDF2-HMAC-SHA1 (64 000),
//! AES-256-CBC.
//!
//! Kept: type, issuer, name, secret, algorithm, digits, period/counter, categories as groups. Lost: icons,
//! custom icons, ranking and copy counts. mOTP and Yandex entries are reported as unsupported.

use std::collections::HashMap;

use zeroize::{Zeroize, Zeroizing};

use super::Why;
use super::common::{Draft, DraftKind, Json, SecretText, crypto, int, need_password, parse_json, problem, s};
use super::common::{damaged, kdf_refused};
use super::{EntryProblem, ImportError, ProblemKind};

pub(super) const STRONG_HEADER: &[u8] = b"AUTHENTICATORPRO";
pub(super) const LEGACY_HEADER: &[u8] = b"AuthenticatorPro";

pub(super) fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let json = if bytes.starts_with(STRONG_HEADER) || bytes.starts_with(LEGACY_HEADER) {
        let plain = decrypt(bytes, need_password(password)?)?;
        parse_json(&plain)?
    } else {
        parse_json(bytes)?
    };
    let list = super::common::array(&json, "Authenticators")?;
    let categories = Categories::new(
        json.get("Categories").and_then(Json::as_array).into_iter().flatten().map(|c| (s(c, "Id"), s(c, "Name"))),
        json.get("AuthenticatorCategories")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .map(|b| (Zeroizing::new(s(b, "AuthenticatorSecret")), s(b, "CategoryId"))),
    );
    Ok(list
        .iter()
        .map(|e| {
            let mut d = convert(e)?;
            d.groups.extend(categories.of(&Zeroizing::new(s(e, "Secret"))).map(str::to_owned));
            Ok(d)
        })
        .collect())
}

/// Stratum's categories and the bindings of authenticators (named by their secret) to them, in maps: the
/// lists searched for every authenticator were quadratic in a hostile file.
pub(super) struct Categories {
    names: HashMap<String, String>,
    /// Secret → category ids, in binding order. The secrets are wiped on drop.
    bindings: HashMap<String, Vec<String>>,
}

impl Drop for Categories {
    fn drop(&mut self) {
        for (mut secret, _) in self.bindings.drain() {
            secret.zeroize();
        }
    }
}

impl Categories {
    pub(super) fn new(
        categories: impl Iterator<Item = (String, String)>,
        bindings: impl Iterator<Item = (Zeroizing<String>, String)>,
    ) -> Self {
        let names = super::common::first_wins(categories);
        let mut by_secret: HashMap<String, Vec<String>> = HashMap::new();
        for (mut secret, category) in bindings {
            match by_secret.get_mut(secret.as_str()) {
                Some(ids) => ids.push(category),
                None => {
                    by_secret.insert(std::mem::take(&mut *secret), vec![category]);
                }
            }
        }
        Self { names, bindings: by_secret }
    }

    /// The names of the categories the authenticator with this secret is in.
    pub(super) fn of(&self, secret: &str) -> impl Iterator<Item = &str> {
        self.bindings.get(secret).into_iter().flatten().filter_map(|id| self.names.get(id)).map(String::as_str)
    }
}

fn decrypt(bytes: &[u8], password: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    let short = || damaged(Why::EndsEarly);
    if let Some(rest) = bytes.strip_prefix(STRONG_HEADER) {
        if rest.len() < 16 + 12 + 16 {
            return Err(short());
        }
        let (salt, rest) = rest.split_at(16);
        let (iv, ciphertext) = rest.split_at(12);
        let key = crypto::argon2id(password.as_bytes(), salt, 3, 65_536, 4).ok_or_else(kdf_refused)?;
        return crypto::aes_gcm_open(&key, iv, ciphertext, &[]).ok_or(ImportError::WrongPassword);
    }
    let rest = bytes.strip_prefix(LEGACY_HEADER).ok_or(ImportError::UnknownFormat)?;
    if rest.len() < 20 + 16 + 16 {
        return Err(short());
    }
    let (salt, rest) = rest.split_at(20);
    let (iv, ciphertext) = rest.split_at(16);
    let key = crypto::pbkdf2_sha1(password.as_bytes(), salt, 64_000);
    let iv: [u8; 16] = iv.try_into().map_err(|_| short())?;
    crypto::aes_cbc_open(&key, &iv, ciphertext).ok_or(ImportError::WrongPassword)
}

/// One authenticator, from the JSON backup or a database row turned into the same JSON shape.
pub(super) fn convert(e: &Json) -> Result<Draft, EntryProblem> {
    let issuer = s(e, "Issuer");
    let name = s(e, "Username");
    let label = crate::model::label(&issuer, &name);
    let bad = |k| problem(label.clone(), k);
    let kind = match int(e, "Type").map_err(bad)? {
        Some(1) => DraftKind::Hotp,
        Some(2) => DraftKind::Totp,
        Some(3) => DraftKind::Unsupported("mOTP".into()),
        Some(4) => DraftKind::Steam,
        Some(5) => DraftKind::Unsupported("Yandex".into()),
        Some(other) => return Err(bad(ProblemKind::InvalidParameter(Why::unknown("Type", other)))),
        None => return Err(bad(ProblemKind::Malformed(Why::missing("Type")))),
    };
    let algorithm = match int(e, "Algorithm").map_err(bad)? {
        None | Some(0) => "SHA1",
        Some(1) => "SHA256",
        Some(2) => "SHA512",
        Some(other) => return Err(bad(ProblemKind::InvalidParameter(Why::unknown("Algorithm", other)))),
    };
    let secret = match e.get("Secret").and_then(Json::as_str) {
        Some(t) => SecretText::base32(t),
        None => SecretText::Missing,
    };
    let mut d = Draft::new(kind.clone(), issuer, name, secret);
    d.algorithm = Some(algorithm.into());
    d.digits = int(e, "Digits").map_err(bad)?;
    if kind == DraftKind::Hotp {
        d.counter = int(e, "Counter").map_err(bad)?;
    } else {
        d.period = int(e, "Period").map_err(bad)?;
    }
    Ok(d)
}
