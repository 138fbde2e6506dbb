//! A child process for the vault durability tests (`tests/tests/integration/vault_durability.rs`) and the crash bench.
//!
//! * `vault_saver crash PATH PASSWORD`: unlocks, prints `ready`, then saves forever, each save writing
//!   `gen N+1` into the first account's note, until it is killed.
//! * `vault_saver add PATH PASSWORD PREFIX COUNT`: adds COUNT accounts named `PREFIX-i`, one `update` each,
//!   printing `done` at the end. Two of these run at once in the "no lost update" test.

use std::io::Write;
use std::process::ExitCode;

use twofold_core::vault::{VaultError, VaultStore};
use twofold_core::{Account, OtpParams, Secret};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("vault_saver: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    match args {
        [mode, path, password] if mode == "crash" => crash(path, password),
        [mode, path, password, prefix, count] if mode == "add" => {
            let count: usize = count.parse().map_err(|_| String::from("COUNT is not a number"))?;
            add(path, password, prefix, count)
        }
        _ => Err(String::from("usage: vault_saver crash PATH PASSWORD | add PATH PASSWORD PREFIX COUNT")),
    }
}

fn crash(path: &str, password: &str) -> Result<(), String> {
    let store = VaultStore::new(path);
    let mut vault = store.unlock(password).map_err(|e| e.to_string())?;
    println!("ready");
    std::io::stdout().flush().map_err(|e| e.to_string())?;
    loop {
        vault
            .update(|contents| -> Result<(), VaultError> {
                if let Some(account) = contents.accounts.first_mut() {
                    let n: u64 = account.note.strip_prefix("gen ").and_then(|n| n.parse().ok()).unwrap_or(0);
                    account.note = format!("gen {}", n + 1);
                }
                Ok(())
            })
            .map_err(|e| e.to_string())?;
    }
}

fn add(path: &str, password: &str, prefix: &str, count: usize) -> Result<(), String> {
    let store = VaultStore::new(path).with_lock_wait(std::time::Duration::from_secs(30));
    let mut vault = store.unlock(password).map_err(|e| e.to_string())?;
    let secret = Secret::parse_base32("JBSWY3DPEHPK3PXP").map_err(|e| e.to_string())?;
    for i in 0..count {
        let account = Account::new(prefix, format!("{prefix}-{i}"), secret.clone(), OtpParams::default_totp(), 0);
        vault
            .update(|contents| -> Result<(), VaultError> {
                contents.accounts.push(account);
                Ok(())
            })
            .map_err(|e| e.to_string())?;
    }
    println!("done");
    Ok(())
}
