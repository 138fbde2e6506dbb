//! The one notion of a duplicate account, for every intake: typed keys, links, QR codes, imports and
//! restores.
//!
//! Two accounts are duplicates when they give the same codes: the same secret, type, algorithm, digits and
//! period. Names, notes and groups do not count (the same key under another name is still the same second
//! factor, and a person adding it again wants to hear so), nor does an HOTP counter (it moves with use).
//!
//! [`KeyPrint`] is that identity as a hash key: a SHA-256 of the secret beside the parameters, so callers can
//! copy prints out of a lock without copying a key, and compare a batch against a vault in one pass with
//! [`KnownKeys`] and [`mark`] (comparing every pair was quadratic: a 10,000-account import against a
//! 10,000-account vault made 10⁸ comparisons).

use std::collections::{HashMap, HashSet};
use std::fmt;

use sha2::{Digest, Sha256};

use crate::model::{Account, Algorithm, OtpKind};

/// What makes an account's codes: a digest of its secret and its OTP parameters. Holds no key.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct KeyPrint {
    digest: [u8; 32],
    algorithm: Algorithm,
    digits: u8,
    kind: std::mem::Discriminant<OtpKind>,
    period: Option<u32>,
}

impl KeyPrint {
    /// The print of `account`.
    pub fn of(account: &Account) -> Self {
        KeyPrint {
            digest: Sha256::digest(account.secret.as_bytes()).into(),
            algorithm: account.otp.algorithm,
            digits: account.otp.digits,
            kind: std::mem::discriminant(&account.otp.kind),
            period: account.otp.period(),
        }
    }

    /// Whether `a` and `b` have the same print, without hashing: equal secrets give equal digests, and
    /// different secrets different ones (SHA-256 is collision-resistant). The merge compares every account of
    /// two vaults this way; two SHA-256 runs per comparison were a third of its time.
    pub fn same(a: &Account, b: &Account) -> bool {
        a.secret == b.secret
            && a.otp.algorithm == b.otp.algorithm
            && a.otp.digits == b.otp.digits
            && std::mem::discriminant(&a.otp.kind) == std::mem::discriminant(&b.otp.kind)
            && a.otp.period() == b.otp.period()
    }
}

impl fmt::Debug for KeyPrint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A digest of a short key could be searched for; it stays out of logs like the key.
        f.write_str("KeyPrint(<redacted>)")
    }
}

/// The keys of a set of accounts (usually the vault's), each with what the caller wants back for it: display
/// names for the shell, ids for a restore, nothing for a yes/no.
#[derive(Debug)]
pub struct KnownKeys<T> {
    by_print: HashMap<KeyPrint, Vec<T>>,
}

impl<T> Default for KnownKeys<T> {
    fn default() -> Self {
        Self { by_print: HashMap::new() }
    }
}

impl<T> KnownKeys<T> {
    /// The keys of `accounts`, each with `value(account)`.
    pub fn of_accounts(accounts: &[Account], value: impl Fn(&Account) -> T) -> Self {
        accounts.iter().map(|a| (KeyPrint::of(a), value(a))).collect()
    }

    /// Records one more account with `print`.
    pub fn insert(&mut self, print: KeyPrint, value: T) {
        self.by_print.entry(print).or_default().push(value);
    }

    /// The values of the accounts with `print`, in the order they were recorded (empty when none).
    pub fn get(&self, print: &KeyPrint) -> &[T] {
        self.by_print.get(print).map_or(&[], Vec::as_slice)
    }
}

impl<T> FromIterator<(KeyPrint, T)> for KnownKeys<T> {
    fn from_iter<I: IntoIterator<Item = (KeyPrint, T)>>(iter: I) -> Self {
        let mut known = Self::default();
        for (print, value) in iter {
            known.insert(print, value);
        }
        known
    }
}

/// How one account of a batch relates to the known keys and to the batch itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark<'a, T> {
    /// The known accounts with its key.
    pub existing: &'a [T],
    /// An earlier account of the same batch has its key.
    pub earlier: bool,
}

impl<T> Mark<'_, T> {
    /// Adding it would add a key that is already there (in the known set or earlier in the batch).
    pub fn is_duplicate(&self) -> bool {
        self.earlier || !self.existing.is_empty()
    }
}

/// Marks each account of `batch` (by its print, in order) against `known` and the earlier ones of the batch.
/// One pass with hash lookups: linear in the size of both.
pub fn mark<'a, 'b, T>(known: &'a KnownKeys<T>, batch: impl IntoIterator<Item = &'b KeyPrint>) -> Vec<Mark<'a, T>> {
    let mut seen: HashSet<&'b KeyPrint> = HashSet::new();
    batch.into_iter().map(|print| Mark { existing: known.get(print), earlier: !seen.insert(print) }).collect()
}

/// Marks `batch` against `existing`: true for each account whose key is already in `existing` or earlier in
/// `batch`.
pub fn duplicate_flags(existing: &[Account], batch: &[Account]) -> Vec<bool> {
    let known = KnownKeys::of_accounts(existing, |_| ());
    let prints: Vec<KeyPrint> = batch.iter().map(KeyPrint::of).collect();
    mark(&known, &prints).iter().map(Mark::is_duplicate).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OtpParams;
    use crate::secret::Secret;

    fn account(secret: &[u8], otp: OtpParams, issuer: &str) -> Account {
        Account::new(issuer, "n", Secret::from_bytes(secret.to_vec()).unwrap(), otp, 0)
    }

    /// Every parameter that changes the codes tells accounts apart; names and HOTP counters do not.
    #[test]
    fn prints_differ_exactly_when_codes_would() {
        let kinds = [
            OtpParams::default_totp(),
            OtpParams { kind: OtpKind::Totp { period: 60 }, ..OtpParams::default_totp() },
            OtpParams { kind: OtpKind::Hotp { counter: 0 }, ..OtpParams::default_totp() },
            OtpParams { algorithm: Algorithm::Sha256, ..OtpParams::default_totp() },
            OtpParams { digits: 8, ..OtpParams::default_totp() },
            OtpParams::steam(),
        ];
        let mut accounts = Vec::new();
        for secret in [vec![1u8; 10], vec![2u8; 10], vec![1u8; 11]] {
            for otp in kinds {
                accounts.push(account(&secret, otp, "i"));
            }
        }
        for (i, a) in accounts.iter().enumerate() {
            for (j, b) in accounts.iter().enumerate() {
                assert_eq!(KeyPrint::of(a) == KeyPrint::of(b), i == j, "{i} {j}");
                assert_eq!(KeyPrint::same(a, b), i == j, "{i} {j}: the comparison without hashing agrees");
            }
        }
        let renamed = account(&[1u8; 10], OtpParams::default_totp(), "another name");
        assert_eq!(KeyPrint::of(&renamed), KeyPrint::of(&accounts[0]));
        let counted = account(&[1u8; 10], OtpParams { kind: OtpKind::Hotp { counter: 9 }, ..kinds[0] }, "i");
        assert_eq!(KeyPrint::of(&counted), KeyPrint::of(&accounts[2]));
        assert!(KeyPrint::same(&renamed, &accounts[0]) && KeyPrint::same(&counted, &accounts[2]));
        assert_eq!(format!("{:?}", KeyPrint::of(&renamed)), "KeyPrint(<redacted>)");
    }

    #[test]
    fn a_batch_is_marked_against_the_known_keys_and_itself() {
        let totp = OtpParams::default_totp();
        let vault = [account(&[1; 10], totp, "GitHub"), account(&[1; 10], totp, "GitHub copy")];
        let known = KnownKeys::of_accounts(&vault, Account::display_name);
        let batch = [account(&[1; 10], totp, "x"), account(&[2; 10], totp, "y"), account(&[2; 10], totp, "z")];
        let prints: Vec<KeyPrint> = batch.iter().map(KeyPrint::of).collect();
        let marks = mark(&known, &prints);
        assert_eq!(marks[0].existing, ["GitHub (n)".to_owned(), "GitHub copy (n)".to_owned()]);
        assert!(!marks[0].earlier && marks[0].is_duplicate());
        assert!(!marks[1].is_duplicate());
        assert!(marks[2].earlier && marks[2].existing.is_empty() && marks[2].is_duplicate());
        assert_eq!(duplicate_flags(&vault, &batch), [true, false, true]);
    }
}
