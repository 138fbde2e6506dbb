//! Helpers shared by the `vault_*` tests: a sample vault with every account field set, and file patching.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, reason = "test helpers: a failure is a test failure")]

pub mod crash;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use twofold_core::model::RecoveryCode;
use twofold_core::vault::{KdfParams, VaultContents, VaultStore};
use twofold_core::{Account, AccountId, Algorithm, OtpKind, OtpParams, Secret};

/// The password of the sample vaults.
pub const PASSWORD: &str = "correct horse battery staple";
/// The secret of the first sample account, in base32 as stored.
pub const SECRET_B32: &str = "JBSWY3DPEHPK3PXP";
/// A recovery code of the first sample account.
pub const RECOVERY: &str = "rc-7f3a-91bd";

/// Accounts covering every field and every OTP kind, with fixed ids so golden files can be compared.
pub fn sample_contents() -> VaultContents {
    let mut github = Account::new(
        "GitHub",
        "alice@example.com",
        Secret::parse_base32(SECRET_B32).unwrap(),
        OtpParams::default_totp(),
        1_700_000_000,
    );
    github.id = AccountId(uuid_from(1));
    github.groups = vec!["work".into(), "code".into()];
    github.note = "main account — ünïcödé ✓".into();
    github.recovery_codes = vec![
        RecoveryCode { code: RECOVERY.to_string().into(), used: false },
        RecoveryCode { code: "rc-0000-1111".to_string().into(), used: true },
    ];
    github.favorite = true;
    github.order = 2;
    github.updated = 1_700_000_100;
    github.last_used = Some(1_700_000_200);
    github.use_count = 42;

    let mut bank = Account::new(
        "Bank",
        "bob",
        Secret::from_bytes((0u8..64).collect::<Vec<_>>()).unwrap(),
        OtpParams { kind: OtpKind::Hotp { counter: 17 }, algorithm: Algorithm::Sha512, digits: 8 },
        1_600_000_000,
    );
    bank.id = AccountId(uuid_from(2));
    bank.order = -1;

    let mut steam = Account::new("Steam", "", Secret::parse_base32("GEZDGNBVGY3TQOJQ").unwrap(), OtpParams::steam(), 5);
    steam.id = AccountId(uuid_from(3));

    let mut long = Account::new(
        "",
        "sixty",
        Secret::from_bytes(vec![0xA5; 32]).unwrap(),
        OtpParams { kind: OtpKind::Totp { period: 60 }, algorithm: Algorithm::Sha256, digits: 7 },
        0,
    );
    long.id = AccountId(uuid_from(4));

    let mut contents = VaultContents::new();
    contents.accounts = vec![github, bank, steam, long];
    // Format 1.0 wrote a `settings` object; the golden 1.0 files hold this one, and it now survives as a
    // field this version does not read (settings are per computer, kept by the shell).
    with_field(
        contents,
        "settings",
        serde_json::json!({"auto_lock_minutes": 9, "clipboard_clear_seconds": 30, "hide_codes": false, "theme": "dark"}),
    )
}

/// `contents` with a top-level payload field this version does not know (as a newer Twofold would write).
pub fn with_field(contents: VaultContents, key: &str, value: serde_json::Value) -> VaultContents {
    let mut json: serde_json::Value = serde_json::from_slice(&contents.to_json().unwrap()).unwrap();
    json[key] = value;
    VaultContents::from_json(&serde_json::to_vec(&json).unwrap()).unwrap()
}

/// A top-level payload field of `contents` (known or not), as written.
pub fn field(contents: &VaultContents, key: &str) -> Option<serde_json::Value> {
    let json: serde_json::Value = serde_json::from_slice(&contents.to_json().unwrap()).unwrap();
    json.get(key).cloned()
}

fn uuid_from(n: u8) -> uuid::Uuid {
    let mut bytes = [0x11u8; 16];
    bytes[15] = n;
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// A fresh folder and a store for `NAME.vault` in it.
pub fn temp_store() -> (tempfile::TempDir, VaultStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = VaultStore::new(dir.path().join("test.vault"));
    (dir, store)
}

/// A store holding the sample contents at the minimum KDF cost.
pub fn sample_store() -> (tempfile::TempDir, VaultStore) {
    let (dir, store) = temp_store();
    store.create(PASSWORD, KdfParams::MINIMUM, &sample_contents()).unwrap();
    (dir, store)
}

/// Recomputes the header checksum after a test edited header bytes, so the edit reaches the later checks.
pub fn fix_checksum(file: &mut [u8]) {
    let header_len = u32::from_le_bytes(file[12..16].try_into().unwrap()) as usize;
    let sum = Sha256::digest(&file[..header_len]);
    file[header_len..header_len + 32].copy_from_slice(&sum);
}

/// Files in `dir` whose names start with `prefix`.
pub fn files_starting_with(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect()
}
