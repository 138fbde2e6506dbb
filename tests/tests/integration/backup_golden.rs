//! A backup written by format 1.0 (`tests/golden/backup-v1.0-minimum-kdf.twofold-backup`, password
//! `correct horse battery staple`) must always open. It was written by `twofold-cli backup` from a vault
//! holding GitHub (TOTP, `JBSWY3DPEHPK3PXP`) and Bank (HOTP, SHA-512, 8 digits, counter 17). Never rewrite it.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use twofold_core::backup;
use twofold_core::{Algorithm, OtpKind, Secret};

#[test]
fn the_v1_0_golden_backup_opens() {
    let path = twofold_tests::workspace_root().join("tests/golden/backup-v1.0-minimum-kdf.twofold-backup");
    let opened = backup::open_backup(&path, "correct horse battery staple").unwrap();
    assert_eq!(opened.info, backup::BackupInfo { created: 1_795_388_829, account_count: 2 });
    assert_eq!(backup::format_utc(opened.info.created), "2026-11-22 23:07:09 UTC");
    let [github, bank] = &opened.contents.accounts[..] else { panic!("two accounts expected") };
    assert_eq!((github.issuer.as_str(), github.name.as_str()), ("GitHub", "alice@example.com"));
    assert_eq!(github.secret, Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap());
    assert_eq!(github.otp.kind, OtpKind::Totp { period: 30 });
    assert_eq!((bank.issuer.as_str(), bank.name.as_str()), ("Bank", "bob"));
    assert_eq!(bank.secret, Secret::parse_base32("GEZDGNBVGY3TQOJQ").unwrap());
    assert_eq!(bank.otp.kind, OtpKind::Hotp { counter: 17 });
    assert_eq!((bank.otp.algorithm, bank.otp.digits), (Algorithm::Sha512, 8));
    assert!(matches!(
        backup::check_backup(&path, "Correct horse battery staple"),
        Err(backup::BackupError::WrongPassword)
    ));
}
