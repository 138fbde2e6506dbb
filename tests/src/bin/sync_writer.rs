//! A child process for the sync crash test (`tests/tests/integration/sync_crash.rs`).
//!
//! `sync_writer PATH PASSWORD FOLDER`: unlocks the vault at PATH, prints `ready`, then forever adds an account
//! named `acct-N` (issuer `Crash`, N counting on from the accounts already there), prints `added N` once the
//! local save returned, runs one folder sync round through FOLDER (which writes the synced copy), and prints
//! `synced N` once the round wrote it; until it is killed. A line is printed only after the write it names has
//! returned, so the test knows what each file must hold whenever the kill lands.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use twofold_core::sync::{FolderSync, SyncKeys};
use twofold_core::vault::{VaultError, VaultStore};
use twofold_core::{Account, OtpParams, Secret};

/// The issuer of the accounts this writer adds.
const ISSUER: &str = "Crash";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match &args[..] {
        [path, password, folder] => match run(path, password, folder) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("sync_writer: {e}");
                ExitCode::from(2)
            }
        },
        _ => {
            eprintln!("usage: sync_writer PATH PASSWORD FOLDER");
            ExitCode::from(2)
        }
    }
}

fn say(line: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{line}").and_then(|()| out.flush()).map_err(|e| e.to_string())
}

fn run(path: &str, password: &str, folder: &str) -> Result<(), String> {
    let store = VaultStore::new(path);
    let mut vault = store.unlock(password).map_err(|e| e.to_string())?;
    let mut keys = SyncKeys::new(&vault, password);
    let sync = FolderSync::new(Path::new(folder), store.path()).map_err(|e| e.to_string())?;
    let secret = Secret::parse_base32("JBSWY3DPEHPK3PXP").map_err(|e| e.to_string())?;
    say("ready")?;
    loop {
        let n = vault.contents().accounts.iter().filter(|a| a.issuer == ISSUER).count();
        let account = Account::new(ISSUER, format!("acct-{n}"), secret.clone(), OtpParams::default_totp(), 0);
        vault
            .update(|contents| -> Result<(), VaultError> {
                contents.accounts.push(account);
                Ok(())
            })
            .map_err(|e| e.to_string())?;
        say(&format!("added {n}"))?;
        let report = sync.round(&mut vault, &mut keys).map_err(|e| e.to_string())?;
        if report.wrote_copy {
            say(&format!("synced {n}"))?;
        }
    }
}
