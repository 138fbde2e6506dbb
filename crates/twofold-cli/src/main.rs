//! `twofold-cli`: a scriptable command line over the same core and vault as the desktop app.
//!
//! Each subcommand lives in its own module under `cmd/` with an `Args` struct and a `run` function; add a
//! subcommand by adding a module and one line to [`Command`]. Every failure goes through one path: one line
//! on stderr (`twofold-cli: what is wrong`) and exit status 2. Messages come from core errors, which never
//! carry a secret.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
    /// Create an empty vault.
    Init(cmd::vault::init::Args),
    /// Add an account from a link (--uri) or field by field, and print its id.
    Add(cmd::vault::add::Args),
    /// List the accounts (no secrets).
    List(cmd::vault::list::Args),
    /// Show one account; the secret and recovery codes only with --reveal.
    Show(cmd::vault::show::Args),
    /// Change an account's issuer, name, note, groups, favourite mark or order.
    Edit(cmd::vault::edit::Args),
    /// Delete an account.
    Remove(cmd::vault::remove::Args),
    /// Change the vault password (optionally replacing the data key).
    Passwd(cmd::vault::passwd::Args),
    /// List, add, and mark used the recovery codes of an account.
    RecoveryCodes(cmd::vault::recovery::Args),
}

/// Exit status for bad input (clap uses the same for bad arguments).
const EXIT_BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => cmd::code::run(args),
        Command::Inspect(args) => cmd::inspect::run(args),
        Command::Init(args) => cmd::vault::init::run(args),
        Command::Add(args) => cmd::vault::add::run(args),
        Command::List(args) => cmd::vault::list::run(args),
        Command::Show(args) => cmd::vault::show::run(args),
        Command::Edit(args) => cmd::vault::edit::run(args),
        Command::Remove(args) => cmd::vault::remove::run(args),
        Command::Passwd(args) => cmd::vault::passwd::run(args),
        Command::RecoveryCodes(args) => cmd::vault::recovery::run(args),
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
