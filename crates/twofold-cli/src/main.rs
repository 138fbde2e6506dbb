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
    /// Print the current code of an otpauth:// link.
    Code(cmd::code::Args),
    /// Show what a link holds (otpauth:// or otpauth-migration://), secret included.
    Inspect(cmd::inspect::Args),
}

/// Exit status for bad input (clap uses the same for bad arguments).
const EXIT_BAD_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Code(args) => cmd::code::run(args),
        Command::Inspect(args) => cmd::inspect::run(args),
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
