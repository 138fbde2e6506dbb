//! `twofold-cli follow FOLDER [--source aegis] [--backup-password-file F] [--once] [--json]`: keep the vault in
//! step with the automatic backups a phone app (Aegis first) writes into FOLDER (`twofold_core::follow`).
//!
//! The first run records FOLDER as a followed source inside the vault, with the backup password (asked only
//! when the newest backup is encrypted, or read from `--backup-password-file`, which also replaces a stored
//! one). Each round prints one line ("Aegis backup of 10:42: 1 new, 2 changed, 1 removed on the phone").
//! `--once` does one round; without it the folder is checked every two seconds until interrupted. A wrong
//! backup password is said once and ends the command (exit 2).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use twofold_core::follow::{self, Outcome, Source};
use twofold_core::import::{Cancel, Format};
use twofold_core::vault::Vault;

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// The folder the phone's backups arrive in.
    folder: PathBuf,
    /// The app that writes the backups (an import format id: aegis, stratum, ente-encrypted, …); detected from
    /// the newest file when left out.
    #[arg(long, value_name = "APP")]
    source: Option<String>,
    /// Read the backup password from the first line of this file (and keep it in the vault).
    #[arg(long, value_name = "FILE")]
    backup_password_file: Option<PathBuf>,
    /// One round, then exit.
    #[arg(long)]
    once: bool,
    /// Print each round as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let folder = std::fs::canonicalize(&args.folder)
        .with_context(|| format!("could not open the folder {}", args.folder.display()))?;
    let mut vault = args.vault.unlock()?;
    let source_id = set_up(&mut vault, &args, folder)?;
    loop {
        let now = super::super::now()?;
        let outcome = follow::round(&mut vault, source_id, now, &Cancel::new())?;
        let app = follow::source(vault.contents(), source_id).map_or(Format::Aegis, |s| s.app);
        let asks = matches!(outcome, Outcome::PasswordWrong { .. } | Outcome::PasswordMissing { .. });
        let quiet = matches!(&outcome, Outcome::Nothing { skipped } if skipped.is_empty()) && !args.once;
        // A password question is said once, on standard error, by the bail below (JSON callers get both).
        if !quiet && (args.json || !asks) {
            if args.json {
                println!("{}", outcome_json(&outcome, &vault));
            } else {
                println!("{}", outcome.sentence(app));
            }
        }
        if asks {
            bail!("{}", outcome.sentence(app));
        }
        if args.once {
            return Ok(());
        }
        std::thread::sleep(Duration::from_secs(2));
    }
}

/// The source following `folder`: the one the vault has, or a new one. Returns its id.
fn set_up(vault: &mut Vault, args: &Args, folder: PathBuf) -> anyhow::Result<uuid::Uuid> {
    let app = match args.source.as_deref() {
        Some(id) => Some(Format::from_id(id).with_context(|| format!("unknown app {id:?} (see inspect --help)"))?),
        None => None,
    };
    let given = match args.backup_password_file.as_deref() {
        Some(file) => Some(super::read_password_file(file)?),
        None => None,
    };
    let existing = follow::sources(vault.contents()).into_iter().find(|s| s.folder == folder);
    if let Some(source) = existing {
        if let Some(password) = given {
            vault.update(|c| follow::set_password(c, source.id, Some(&password)))?;
        }
        return Ok(source.id);
    }
    let detected = follow::detect(&folder).ok();
    let app = match (app, &detected) {
        (Some(app), _) => app,
        (None, Some(d)) => d.app,
        (None, None) => bail!("{} holds no backup yet: name the app with --source", folder.display()),
    };
    let password = match given {
        Some(p) => Some(p),
        None if detected.as_ref().is_some_and(|d| d.encrypted && d.app == app) => {
            Some(super::read_secret_line("Backup password: ")?)
        }
        None => None,
    };
    let source = Source::new(folder, app, password.as_deref().map(String::as_str));
    let id = source.id;
    vault.update(|c| {
        follow::put_source(c, &source);
        Ok::<_, twofold_core::vault::VaultError>(())
    })?;
    Ok(id)
}

fn names(vault: &Vault, ids: &[twofold_core::AccountId]) -> Value {
    ids.iter()
        .map(|id| {
            let name = vault.contents().account(*id).map(twofold_core::Account::display_name).unwrap_or_default();
            json!({"id": id.to_string(), "name": name})
        })
        .collect()
}

fn outcome_json(outcome: &Outcome, vault: &Vault) -> Value {
    match outcome {
        Outcome::Applied { report, skipped } => json!({
            "outcome": "applied",
            "file": report.file,
            "clock": report.clock,
            "added": names(vault, &report.added),
            "changed": names(vault, &report.changed),
            "removed_on_phone": names(vault, &report.removed),
            "linked": names(vault, &report.linked),
            "problems": report.problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "skipped": skipped.iter().map(|s| s.file.clone()).collect::<Vec<_>>(),
        }),
        Outcome::Nothing { skipped } => json!({
            "outcome": "nothing-new",
            "skipped": skipped.iter().map(|s| s.file.clone()).collect::<Vec<_>>(),
        }),
        Outcome::PasswordMissing { file } => json!({"outcome": "password-missing", "file": file}),
        Outcome::PasswordWrong { file } => json!({"outcome": "password-wrong", "file": file}),
        Outcome::Disabled => json!({"outcome": "disabled"}),
        _ => json!({"outcome": "other"}),
    }
}
