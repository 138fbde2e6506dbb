//! `twofold-cli code QUERY [--json] [--time T]`: the current code of a vault account.
//!
//! HOTP: the advanced counter is saved before the code is printed. TOTP and Steam codes change nothing in
//! the vault (so `code` needs no write and never waits for another writer).

use twofold_core::{OtpKind, otp};

use super::VaultOpts;

pub fn run(vault_opts: &VaultOpts, query: &str, time: Option<i64>, json: bool) -> anyhow::Result<()> {
    let mut vault = vault_opts.unlock()?;
    let account = super::find_one(&vault.contents().accounts, query)?.clone();
    let out = match account.otp.kind {
        OtpKind::Hotp { .. } => {
            if time.is_some() {
                anyhow::bail!("--time applies to totp and steam accounts, not hotp");
            }
            let counter = vault.advance_hotp(account.id, crate::cmd::now()?)?;
            let code = otp::code_at_counter(&account.secret, &account.otp, counter)?;
            if json { serde_json::json!({"code": code.code, "counter": counter}).to_string() } else { code.code }
        }
        _ => {
            let now = match time {
                Some(t) => t,
                None => crate::cmd::now()?,
            };
            let code = otp::code(&account.secret, &account.otp, now)?;
            if json {
                serde_json::json!({
                    "id": account.id.to_string(),
                    "code": code.code,
                    "valid_from": code.window.map(|w| w.valid_from),
                    "valid_until": code.window.map(|w| w.valid_until),
                })
                .to_string()
            } else {
                code.code
            }
        }
    };
    println!("{out}");
    Ok(())
}
