//! The `twofold` binary: runs the desktop app and turns a start-up failure into a message and exit code 1.
// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    match twofold_desktop::run() {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("twofold: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
