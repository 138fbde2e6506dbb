//! What the end-to-end tests compare the window against: `twofold-core` itself, never a re-implementation.

use std::path::{Path, PathBuf};

use twofold_core::vault::{KdfParams, VaultContents, VaultStore};
use twofold_core::{Account, OtpParams, Secret};

/// The codes an account's link gives at `now` (Unix seconds): the current one and its neighbours, so a test
/// that reads the window right at a step boundary still matches.
pub fn codes_around(link: &str, now: i64) -> Result<Vec<String>, String> {
    let parsed = twofold_core::uri::parse(link).map_err(|e| format!("test link: {e}"))?;
    let period = i64::from(parsed.otp.period().unwrap_or(30));
    [now - period, now, now + period]
        .iter()
        .map(|t| twofold_core::otp::code(&parsed.secret, &parsed.otp, *t).map(|c| c.code).map_err(|e| e.to_string()))
        .collect()
}

/// Writes a vault protected by `password` in `dir` holding `count` generated TOTP accounts
/// (`Service 0000` / `user0@example.com` …), through the core's vault API at its default cost.
pub fn write_vault_with_accounts(dir: &Path, password: &str, count: usize, now: i64) -> Result<PathBuf, String> {
    let mut contents = VaultContents::new();
    for i in 0..count {
        let secret =
            Secret::from_bytes(format!("twofold-e2e-account-{i:06}").into_bytes()).map_err(|e| e.to_string())?;
        let mut account = Account::new(
            format!("Service {i:04}"),
            format!("user{i}@example.com"),
            secret,
            OtpParams::default_totp(),
            now,
        );
        account.order = i as i64;
        contents.accounts.push(account);
    }
    let path = dir.join(VaultStore::DEFAULT_FILE_NAME);
    VaultStore::new(&path).create(password, KdfParams::DEFAULT, &contents).map_err(|e| e.to_string())?;
    Ok(path)
}
