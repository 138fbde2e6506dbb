//! Fuzz the backup reader: a backup file from disk (length check, header, slots, payload) and a decrypted
//! payload's contents previewed and applied as a restore into a small vault (duplicate ids, odd accounts,
//! the `backup` record). Never a panic, never a large allocation.
//!
//! The input is used twice: written to a file and opened as a backup with a fixed password (the header checks
//! run before Argon2, which a random input never reaches), and read as a payload document for the restore
//! plan, which is where a hostile backup that opened with the right password would go next.

#![no_main]

use libfuzzer_sys::fuzz_target;
use twofold_core::backup::{self, RestoreMode};
use twofold_core::vault::VaultContents;
use twofold_core::{Account, OtpParams, Secret};

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("twofold-fuzz-backup-{}", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        if let Err(e) = backup::check_backup(&path, "correct horse battery staple") {
            assert!(!e.to_string().is_empty());
        }
        let _ = std::fs::remove_file(&path);
    }
    let Ok(incoming) = VaultContents::from_json(data) else { return };
    let mut vault = VaultContents::new();
    if let Ok(secret) = Secret::parse_base32("JBSWY3DPEHPK3PXP") {
        vault.accounts.push(Account::new("GitHub", "alice", secret, OtpParams::default_totp(), 0));
    }
    let plan = backup::preview(&vault, &incoming);
    for mode in [RestoreMode::Merge, RestoreMode::Replace] {
        let _ = plan.summary(mode);
        let mut target = vault.clone();
        let _ = backup::apply(&mut target, &incoming, mode);
    }
});
