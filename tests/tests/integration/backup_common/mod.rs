//! Helpers shared by the `backup_*` tests: sample accounts, a vault in a scratch folder, a backup key at the
//! minimum KDF cost (OWASP's floor, so each Argon2 run stays short).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, reason = "test helpers: a failure is a test failure")]

use std::path::PathBuf;

use twofold_core::backup::BackupKey;
use twofold_core::vault::{KdfParams, Vault, VaultContents, VaultStore};
use twofold_core::{Account, Algorithm, OtpKind, OtpParams, Secret};

pub const VAULT_PASSWORD: &str = "vault pässword 🔐";
pub const BACKUP_PASSWORD: &str = "backup password ünïcode";
/// A fixed "now" for the tests (2023-11-14 22:13:20 UTC).
pub const NOW: i64 = 1_700_000_000;

/// An account whose secret is derived from `n`, so accounts with different `n` have different keys.
pub fn account(issuer: &str, name: &str, n: u32) -> Account {
    let mut bytes: Vec<u8> = (0u8..16).collect();
    bytes.extend_from_slice(&n.to_be_bytes());
    let secret = Secret::from_bytes(bytes).unwrap();
    Account::new(issuer, name, secret, OtpParams::default_totp(), NOW - 1000)
}

/// Three accounts of different kinds, with notes, groups and recovery codes.
pub fn sample() -> VaultContents {
    let mut contents = VaultContents::new();
    let mut github = account("GitHub", "alice@example.com", 1);
    github.groups = vec![String::from("work")];
    github.note = String::from("main ✓");
    github.recovery_codes =
        vec![twofold_core::model::RecoveryCode { code: String::from("rc-1234").into(), used: false }];
    let mut bank = account("Bank", "bob", 2);
    bank.otp = OtpParams { kind: OtpKind::Hotp { counter: 17 }, algorithm: Algorithm::Sha512, digits: 8 };
    let mut steam = account("Steam", "", 3);
    steam.otp = OtpParams::steam();
    contents.accounts = vec![github, bank, steam];
    // Non-account data a rewrite must keep: a field this version does not know.
    crate::vault_common::with_field(contents, "profile", serde_json::json!({"colour": "teal"}))
}

/// `n` simple accounts.
pub fn many(n: usize) -> VaultContents {
    let mut contents = VaultContents::new();
    contents.accounts = (0..n).map(|i| account("Issuer", &format!("user{i}"), 1000 + i as u32)).collect();
    contents
}

pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Self {
        Scratch { dir: tempfile::tempdir().unwrap() }
    }
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    pub fn store(&self) -> VaultStore {
        VaultStore::new(self.path("test.vault"))
    }
    /// A vault holding `contents` at the minimum KDF cost.
    pub fn vault(&self, contents: &VaultContents) -> Vault {
        self.store().create(VAULT_PASSWORD, KdfParams::MINIMUM, contents).unwrap()
    }
}

pub fn key() -> BackupKey {
    BackupKey::derive(BACKUP_PASSWORD, KdfParams::MINIMUM).unwrap()
}
