//! The vault subcommands (`init`, `add`, `import`, `list`, `code QUERY`, `show`, `edit`, `remove`, `passwd`,
//! `recovery-codes`, `backup`, `backup-check`, `restore`, `merge`, `follow`, `sync`) and what they share: which vault, how the password
//! is read, how an account is found.
//!
//! Passwords come from `--password-file` when given, else from the terminal (no echo) when standard input is
//! one, else from standard input, one password per line (`passwd` reads the current password, then the new
//! one). With `--keyring` the vault is opened with this computer's keyring (a device slot turned on by the
//! app or `twofold-cli keyring enable`) and no password is read; if the keyring cannot open it, the reason is
//! printed and the password is asked for when there is a terminal or a password file, else the command fails
//! with that reason. Commands that take keys out (`show --reveal`, `export`, `backup`) or change the password
//! refuse `--keyring`: they always ask for the password. Vault errors are printed as the core words them (`wrong password`, `vault is locked by process N`,
//! `vault file is corrupt or was tampered with`, …), never with a secret.

pub mod add;
pub mod backup;
pub mod backup_check;
pub mod code;
pub mod edit;
pub mod follow;
pub mod import;
pub mod init;
pub mod keyring;
pub mod list;
pub mod merge;
pub mod passwd;
pub mod recovery;
pub mod remove;
pub mod restore;
pub mod show;
pub mod sync;

use std::io::{BufRead as _, IsTerminal as _};
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use twofold_core::vault::{Vault, VaultStore};
use twofold_core::{Account, OtpKind};
use zeroize::Zeroizing;

/// Options every vault subcommand takes.
#[derive(clap::Args, Debug, Clone)]
pub struct VaultOpts {
    /// The vault file (default: `twofold.vault` in the platform data folder).
    #[arg(long, value_name = "PATH", env = "TWOFOLD_VAULT")]
    pub vault: Option<PathBuf>,
    /// Read the password from the first line of this file instead of the terminal or standard input.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// Open the vault with this computer's keyring instead of the password (turned on with
    /// `twofold-cli keyring enable` or in the app's settings).
    #[arg(long)]
    pub keyring: bool,
}

impl VaultOpts {
    pub fn store(&self) -> anyhow::Result<VaultStore> {
        let path = match &self.vault {
            Some(path) => path.clone(),
            None => VaultStore::default_path()?,
        };
        Ok(VaultStore::new(path))
    }

    /// Unlocks the vault with the keyring (`--keyring`) or the current password.
    pub fn unlock(&self) -> anyhow::Result<Vault> {
        let store = self.store()?;
        // Refuse a newer or damaged file before asking for a password.
        store.inspect()?;
        if self.keyring {
            let keyring = twofold_keyring::SystemKeyring::new(twofold_keyring::DEFAULT_TIMEOUT);
            match twofold_keyring::unlock(&store, &keyring, None, crate::cmd::now_unsigned()?) {
                Ok(unlocked) => return Ok(unlocked.vault),
                Err(failure) if self.password_file.is_some() || std::io::stdin().is_terminal() => {
                    eprintln!("twofold-cli: the keyring did not open the vault: {failure}; using the password");
                }
                Err(failure) => bail!("the keyring did not open the vault: {failure}"),
            }
        }
        let password = self.password("Vault password: ")?;
        Ok(store.unlock(&password)?)
    }

    /// Like [`VaultOpts::unlock`], for commands that take keys out or change the password: they refuse
    /// `--keyring`, because the keyring must never be enough to take the secrets away.
    pub fn unlock_with_password(&self, what: &str) -> anyhow::Result<Vault> {
        if self.keyring {
            bail!("{what} always asks for the password; leave out --keyring");
        }
        self.unlock()
    }

    /// The current password: from `--password-file`, the terminal, or the next line of standard input.
    pub fn password(&self, prompt: &str) -> anyhow::Result<Zeroizing<String>> {
        match &self.password_file {
            Some(file) => read_password_file(file),
            None => read_secret_line(prompt),
        }
    }
}

/// The first line of a password file, without its line ending.
pub fn read_password_file(file: &std::path::Path) -> anyhow::Result<Zeroizing<String>> {
    let text = Zeroizing::new(
        std::fs::read_to_string(file)
            .with_context(|| format!("could not read the password file {}", file.display()))?,
    );
    let line = text.lines().next().unwrap_or_default();
    Ok(Zeroizing::new(line.to_owned()))
}

/// One secret line: prompted without echo on a terminal, else the next line of standard input.
pub fn read_secret_line(prompt: &str) -> anyhow::Result<Zeroizing<String>> {
    if std::io::stdin().is_terminal() {
        return Ok(Zeroizing::new(rpassword::prompt_password(prompt).context("could not read the password")?));
    }
    let mut line = Zeroizing::new(String::new());
    let read = std::io::stdin().lock().read_line(&mut line).context("could not read standard input")?;
    if read == 0 {
        bail!("no password on standard input");
    }
    let trimmed = line.trim_end_matches(['\n', '\r']);
    Ok(Zeroizing::new(trimmed.to_owned()))
}

/// A new password: from a file, or asked twice on a terminal, or the next line of standard input.
pub fn new_password(file: Option<&std::path::Path>, prompt: &str) -> anyhow::Result<Zeroizing<String>> {
    if let Some(file) = file {
        return read_password_file(file);
    }
    let first = read_secret_line(prompt)?;
    if std::io::stdin().is_terminal() {
        let again = read_secret_line("Repeat it: ")?;
        if *again != *first {
            bail!("the passwords do not match");
        }
    }
    Ok(first)
}

/// The accounts matching `query`: an exact id or id prefix, else a case-insensitive match on issuer or
/// name (whole words first, then substrings).
pub fn find<'a>(accounts: &'a [Account], query: &str) -> Vec<&'a Account> {
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    let by_id: Vec<&Account> = accounts.iter().filter(|a| a.id.to_string().starts_with(&q)).collect();
    if !by_id.is_empty() && q.len() >= 4 {
        return by_id;
    }
    let exact: Vec<&Account> = accounts
        .iter()
        .filter(|a| a.issuer.to_lowercase() == q || a.name.to_lowercase() == q || a.display_name().to_lowercase() == q)
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    accounts.iter().filter(|a| a.issuer.to_lowercase().contains(&q) || a.name.to_lowercase().contains(&q)).collect()
}

/// Exactly one account for `query`, or an error that lists the candidates.
pub fn find_one<'a>(accounts: &'a [Account], query: &str) -> anyhow::Result<&'a Account> {
    match find(accounts, query).as_slice() {
        [] => bail!("no account matches \"{query}\""),
        [one] => Ok(one),
        several => {
            for a in several {
                println!("{}  {}", a.id, a.display_name());
            }
            bail!("{} accounts match \"{query}\"; give more of the name or the id", several.len())
        }
    }
}

/// `totp`, `hotp` or `steam`.
pub fn kind_name(kind: OtpKind) -> &'static str {
    match kind {
        OtpKind::Hotp { .. } => "hotp",
        OtpKind::Steam { .. } => "steam",
        _ => "totp",
    }
}

/// An account's metadata as JSON; the secret and recovery codes only when `reveal`.
pub fn account_json(a: &Account, reveal: bool) -> Value {
    let mut v = json!({
        "id": a.id.to_string(),
        "type": kind_name(a.otp.kind),
        "issuer": a.issuer,
        "name": a.name,
        "algorithm": a.otp.algorithm.as_str(),
        "digits": a.otp.digits,
        "groups": a.groups,
        "note": a.note,
        "favorite": a.favorite,
        "order": a.order,
        "created": a.created,
        "updated": a.updated,
        "last_used": a.last_used,
        "use_count": a.use_count,
        "recovery_codes_unused": a.recovery_codes.iter().filter(|c| !c.used).count(),
        "recovery_codes_total": a.recovery_codes.len(),
    });
    match a.otp.kind {
        OtpKind::Hotp { counter } => v["counter"] = json!(counter),
        _ => v["period"] = json!(a.otp.period()),
    }
    if reveal {
        v["secret"] = json!(a.secret.to_base32().as_str());
        v["recovery_codes"] =
            a.recovery_codes.iter().map(|c| json!({"code": c.code.as_str(), "used": c.used})).collect();
    }
    v
}
