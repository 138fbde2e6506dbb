//! `twofold-cli import FILE [--format NAME] [--import-password-file P] [--dry-run]`: add another app's
//! export or backup to the vault.
//!
//! The app is detected from the file's bytes (its name only breaks ties); `--format` names it instead.
//! Passwords are read in a fixed order: first the vault password (`--password-file`, else the terminal, else
//! the first line of standard input), then, only if the file is encrypted, the file's password
//! (`--import-password-file`, else the terminal, else the next line of standard input). Accounts are added
//! through [`Vault::update`](twofold_core::vault::Vault::update), so a concurrent writer loses nothing.
//! Exact duplicates (of the vault or of an earlier entry of the file) are skipped. The report on standard
//! output names every account added, skipped and not read (with the reason), and warnings about accounts that
//! were read (an unusual key length: check the codes), never a secret. `--dry-run`
//! prints the same report and saves nothing. Entries that could not be read do not change the exit status;
//! a whole-file failure (wrong password, damaged file, unknown format) exits 2 with one line.

use std::path::PathBuf;

use anyhow::{Context as _, bail};
use twofold_core::Account;
use twofold_core::import::{self, Format, ImportError, ImportReport};
use twofold_core::vault::VaultError;
use zeroize::Zeroizing;

use super::VaultOpts;

#[derive(clap::Args, Debug)]
#[command(after_help = "Passwords are read in this order: the vault password (--password-file, else the terminal, \
else the first line of standard input), then, only when the file is encrypted, the file's password \
(--import-password-file, else the terminal, else the next line of standard input).")]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// The export or backup file to import.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The app that wrote FILE (detected from its contents when omitted; an unknown name lists the valid ones).
    #[arg(long, value_name = "NAME")]
    format: Option<String>,
    /// Read the file's password (encrypted exports) from the first line of this file.
    #[arg(long, value_name = "FILE")]
    import_password_file: Option<PathBuf>,
    /// Print what would be added, skipped and not read, and save nothing.
    #[arg(long)]
    dry_run: bool,
}

/// What happened to each account of the file.
struct Outcome {
    added: Vec<String>,
    duplicates: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let chosen = match &args.format {
        Some(name) => Some(Format::from_id(name).with_context(|| {
            let ids: Vec<&str> = Format::ALL.iter().map(|f| f.id()).collect();
            format!("unknown import format \"{name}\" (expected one of: {})", ids.join(", "))
        })?),
        None => None,
    };
    let shown = args.file.display().to_string();
    let bytes = read_file(&args.file)?;
    let file_name = args.file.file_name().map(|n| n.to_string_lossy().into_owned());
    let inspection = match import::inspect(&bytes, file_name.as_deref()) {
        Ok(inspection) => Some(inspection),
        // The user named the format: detection is only a hint about the password.
        Err(ImportError::UnknownFormat) if chosen.is_some() => None,
        Err(error) => return Err(error).with_context(|| shown.clone()),
    };
    let (format, encrypted) = match (chosen, &inspection) {
        (Some(format), Some(found)) => (format, found.format == format && found.encrypted),
        (Some(format), None) => (format, false),
        (None, Some(found)) => (found.format, found.encrypted),
        (None, None) => bail!("{shown}: {}", ImportError::UnknownFormat),
    };

    let mut vault = args.vault.unlock()?;
    let now = crate::cmd::now()?;
    let mut password: Option<Zeroizing<String>> = None;
    if encrypted {
        password = Some(file_password(&args)?);
    }
    let report = match import::import(&bytes, format, password.as_deref().map(|p| p.as_str()), now) {
        // A format the user named may turn out to be encrypted although detection could not tell.
        Err(ImportError::PasswordRequired) if password.is_none() => {
            password = Some(file_password(&args)?);
            import::import(&bytes, format, password.as_deref().map(|p| p.as_str()), now)
        }
        other => other,
    }
    .with_context(|| shown.clone())?;
    drop(password);

    let outcome = if args.dry_run {
        sort_out(&report, &vault.contents().accounts, &mut Vec::new())
    } else {
        vault.update(|contents| -> Result<Outcome, VaultError> {
            // Inside `update`: duplicates are judged against the newest saved contents.
            let existing = contents.accounts.clone();
            Ok(sort_out(&report, &existing, &mut contents.accounts))
        })?
    };
    print_report(&shown, format, encrypted, &report, &outcome, args.dry_run);
    Ok(())
}

/// The file's bytes, refusing anything larger than an export can be before reading it all.
fn read_file(path: &std::path::Path) -> anyhow::Result<Zeroizing<Vec<u8>>> {
    let shown = path.display();
    let len = std::fs::metadata(path).with_context(|| format!("could not read {shown}"))?.len();
    if usize::try_from(len).map_or(true, |len| len > import::MAX_FILE_LEN) {
        bail!(
            "{shown}: {}",
            ImportError::TooLarge { len: usize::try_from(len).unwrap_or(usize::MAX), max: import::MAX_FILE_LEN }
        );
    }
    Ok(Zeroizing::new(std::fs::read(path).with_context(|| format!("could not read {shown}"))?))
}

fn file_password(args: &Args) -> anyhow::Result<Zeroizing<String>> {
    match &args.import_password_file {
        Some(file) => super::read_password_file(file),
        None => super::read_secret_line("Password of the file to import: "),
    }
}

/// Appends the report's new accounts to `into` (after the highest `order` of `existing`) and names what was
/// added and what was skipped as a duplicate.
fn sort_out(report: &ImportReport, existing: &[Account], into: &mut Vec<Account>) -> Outcome {
    let duplicates = report.duplicate_mask(existing);
    let mut next_order = existing.iter().map(|a| a.order).max().map_or(0, |m| m.saturating_add(1));
    let mut outcome = Outcome { added: Vec::new(), duplicates: Vec::new() };
    for (i, account) in report.accounts.iter().enumerate() {
        if duplicates[i] {
            outcome.duplicates.push(account.display_name());
            continue;
        }
        outcome.added.push(account.display_name());
        let mut account = account.clone();
        account.order = next_order;
        next_order = next_order.saturating_add(1);
        into.push(account);
    }
    outcome
}

fn print_report(file: &str, format: Format, encrypted: bool, report: &ImportReport, outcome: &Outcome, dry_run: bool) {
    let how = if encrypted { "encrypted" } else { "plain" };
    println!("{file}: {} ({}, {how})", format.app_name(), format.id());
    let verb = if dry_run { "would add" } else { "added" };
    for name in &outcome.added {
        println!("{verb}: {name}");
    }
    for name in &outcome.duplicates {
        println!("skipped (duplicate): {name}");
    }
    for problem in &report.problems {
        println!("not read: {problem}");
    }
    for warning in &report.warnings {
        println!("warning: {warning}");
    }
    println!(
        "{verb} {}, skipped {} duplicate{}, could not read {}{}",
        outcome.added.len(),
        outcome.duplicates.len(),
        if outcome.duplicates.len() == 1 { "" } else { "s" },
        report.problems.len(),
        if dry_run { " (dry run: nothing saved)" } else { "" }
    );
}
