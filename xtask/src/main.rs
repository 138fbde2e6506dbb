//! `cargo xtask …`: the developer tasks behind the README's commands.
//!
//! `run` builds and opens the app, `test` runs every check CI runs, `tidy` checks the code's shape, `bench`
//! prints the benchmark figures, `e2e` runs the end-to-end tests, `fuzz` runs the cargo-fuzz targets, `dist`
//! builds the `.deb`, `icons` regenerates the icons, `setup` installs what a fresh Debian/Ubuntu machine lacks, `fresh-check` runs the README's two commands
//! in a fresh Debian 12 root.
//! Plain `std` only, so this builds in seconds.

mod dist;
mod fresh;
mod setup;
mod test;
mod tidy;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match task {
        "run" => test::run_app(rest),
        "test" => test::test_all(rest),
        "tidy" => tidy::tidy(rest),
        "bench" => test::bench(rest),
        "e2e" => test::e2e(rest),
        "fuzz" => test::fuzz(rest),
        "dist" => dist::dist(rest),
        "icons" => dist::icons(rest),
        "setup" => setup::setup(setup::Need::all()),
        "fresh-check" => fresh::fresh_check(rest),
        "help" | "--help" | "-h" => {
            print_help();
            Ok(())
        }
        other => Err(format!("unknown task `{other}` (try `cargo xtask help`)")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

fn print_help() {
    println!(
        "cargo xtask <task>\n\n\
         run     build and open Twofold (installs missing system and npm packages)\n\
         test    run every test and check, as CI does (tidy first)\n\
         tidy    check the code's shape: `commands` named only by lib.rs, the four command lists agree, every\n\
         \x20       .rs file opens with `//!`, no import circle among the shell's modules\n\
         bench   run the benchmarks and print the figures\n\
         e2e     run the end-to-end tests of the real window under Xvfb (`--only NAME` for some)\n\
         fuzz    run every cargo-fuzz target for N seconds each (default 60; `--only NAME`), on stable, and print the\n\
         \x20       executions per target (installs cargo-fuzz when missing)\n\
         dist    build the .deb package (release; `--debug` packages the debug build; `--check` tests it)\n\
         icons   regenerate the PNG/ICO/ICNS icons from icons/twofold.svg (`--check`: compare only)\n\
         setup   install the system packages, npm packages and tools the other tasks need\n\
         fresh-check  both README commands in a fresh Debian 12 root (debootstrap + chroot; root; over an hour\n\
         \x20       cold; `--warm-cache` binds this machine's build cache, `--keep` keeps the root)"
    );
}
