//! `twofold-cli`: a scriptable command line over the same core and vault as the desktop app.

use clap::Parser;

/// One-time codes from the command line.
#[derive(Parser, Debug)]
#[command(name = "twofold-cli", version, about)]
struct Cli {}

fn main() {
    let _cli = Cli::parse();
}
