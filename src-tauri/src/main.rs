//! The `twofold` binary: runs the desktop app and turns a start-up failure into a message and exit code 1.
// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc, not the system allocator (see the workspace `Cargo.toml`: the merge and list work is
/// allocation-bound).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    match twofold_desktop::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("twofold: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
