//! `twofold-cli`: a scriptable command line over the same core and vault as the desktop app.
//!
//! Each subcommand lives in its own module under `cmd/` with an `Args` struct and a `run` function; add a
//! subcommand by adding a module and one line to [`Command`]. Every failure goes through one path: one line
//! on stderr (`twofold-cli: what is wrong`) and exit status 2. Messages come from core errors, which never
//! carry a secret.

mod cmd;

use std::process::ExitCode;

use clap::error::{ContextKind, ErrorKind};
use clap::{Parser, Subcommand};

/// The allocator the app uses too (see the workspace `Cargo.toml`: the merge and list work is allocation-bound).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// One-time codes from the command line.
#[derive(Parser, Debug)]
#[command(name = "twofold-cli", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Print the current code of a vault account (QUERY) or of an otpauth:// link (--uri).
    Code(cmd::code::Args),
    /// Show what a link holds (otpauth:// or otpauth-migration://), secret included.
    Inspect(cmd::inspect::Args),
    /// Print every authenticator link in the QR codes of image files, one per line.
    Scan(cmd::scan::Args),
    /// Create an empty vault.
    Init(cmd::vault::init::Args),
    /// Add an account from a link (--uri) or field by field, and print its id.
    Add(cmd::vault::add::Args),
    /// Add the accounts of another app's export or backup (the app is detected), skipping duplicates.
    Import(cmd::vault::import::Args),
    /// List the accounts (no secrets).
    List(cmd::vault::list::Args),
    /// Show one account; the secret and recovery codes only with --reveal.
    Show(cmd::vault::show::Args),
    /// Change an account's issuer, name, note, groups, favourite mark or order.
    Edit(cmd::vault::edit::Args),
    /// Delete an account.
    Remove(cmd::vault::remove::Args),
    /// Export the accounts for another app: aegis, aegis-plain, otpauth, google-transfer or paper.
    Export(cmd::export::Args),
    /// Change the vault password (optionally replacing the data key).
    Passwd(cmd::vault::passwd::Args),
    /// List, add, and mark used the recovery codes of an account.
    RecoveryCodes(cmd::vault::recovery::Args),
    /// Write an encrypted, verified backup of the vault (fresh key; own password or the vault's).
    Backup(cmd::vault::backup::Args),
    /// Open a backup and print how many accounts it holds and when it was made.
    BackupCheck(cmd::vault::backup_check::Args),
    /// Restore a backup into the vault: merge by default, or --replace; --dry-run to preview.
    Restore(cmd::vault::restore::Args),
    /// Merge another copy of the vault or a backup into the vault, losing no edit; --dry-run to preview.
    Merge(cmd::vault::merge::Args),
    /// Turn the keyring unlock on (after the password) or off, or say whether it works here.
    Keyring(cmd::vault::keyring::Args),
    /// Keep the vault in step with a phone app's automatic backups in FOLDER (Aegis); --once for one round.
    Follow(cmd::vault::follow::Args),
    /// One sync round through the folder chosen in the app (or --folder): merge, write the copy back.
    Sync(cmd::vault::sync::Args),
}

/// Exit status for bad input and bad arguments.
const EXIT_BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    let result = match cli.command {
        Command::Code(args) => cmd::code::run(args),
        Command::Inspect(args) => cmd::inspect::run(args),
        Command::Scan(args) => cmd::scan::run(args),
        Command::Init(args) => cmd::vault::init::run(args),
        Command::Add(args) => cmd::vault::add::run(args),
        Command::Import(args) => cmd::vault::import::run(args),
        Command::List(args) => cmd::vault::list::run(args),
        Command::Show(args) => cmd::vault::show::run(args),
        Command::Edit(args) => cmd::vault::edit::run(args),
        Command::Remove(args) => cmd::vault::remove::run(args),
        Command::Export(args) => cmd::export::run(args),
        Command::Passwd(args) => cmd::vault::passwd::run(args),
        Command::RecoveryCodes(args) => cmd::vault::recovery::run(args),
        Command::Backup(args) => cmd::vault::backup::run(args),
        Command::BackupCheck(args) => cmd::vault::backup_check::run(args),
        Command::Restore(args) => cmd::vault::restore::run(args),
        Command::Merge(args) => cmd::vault::merge::run(args),
        Command::Keyring(args) => cmd::vault::keyring::run(args),
        Command::Follow(args) => cmd::vault::follow::run(args),
        Command::Sync(args) => cmd::vault::sync::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("twofold-cli: {}", one_line(&error));
            ExitCode::from(EXIT_BAD_INPUT)
        }
    }
}

/// The error and its causes on one line.
fn one_line(error: &anyhow::Error) -> String {
    format!("{error:#}").replace(['\n', '\r'], " ")
}

/// Help and version go to stdout as clap prints them. Other argument errors become one line that names the
/// argument but never quotes a value: a link pasted in the wrong place would otherwise echo its secret.
fn usage_error(error: &clap::Error) -> ExitCode {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        error.exit();
    }
    let what = error.kind().as_str().unwrap_or("invalid arguments");
    match error.get(ContextKind::InvalidArg) {
        Some(arg) if error.kind() != ErrorKind::UnknownArgument => {
            eprintln!("twofold-cli: {what}: {arg} (see `twofold-cli --help`)")
        }
        _ => eprintln!("twofold-cli: {what} (see `twofold-cli --help`)"),
    }
    ExitCode::from(EXIT_BAD_INPUT)
}
