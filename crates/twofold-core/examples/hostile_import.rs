//! Issue 13: one hostile import per process, so `/usr/bin/time -v` reports its peak memory.
//!
//! `hostile_import write DIR` writes every crafted file of `tests/hostile/mod.rs` into DIR and prints the
//! command for each; `hostile_import read FILE FORMAT [PASSWORD]` imports one file and prints the outcome.

#[path = "../tests/hostile/mod.rs"]
mod hostile;

use std::process::ExitCode;
use std::time::Instant;

use twofold_core::import::{self, Format};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["write", dir] => {
            std::fs::create_dir_all(dir).expect("the folder");
            for name in hostile::NAMES {
                let case = hostile::by_name(name).expect("a known case");
                let path = std::path::Path::new(dir).join(format!("{name}.bin"));
                std::fs::write(&path, &case.bytes).expect("the file");
                println!("{} {} {}", path.display(), case.format.id(), case.password.unwrap_or(""));
            }
            ExitCode::SUCCESS
        }
        ["read", file, format, rest @ ..] => {
            let bytes = std::fs::read(file).expect("the file");
            let format = Format::from_id(format).expect("a format id");
            let start = Instant::now();
            let result = import::import(&bytes, format, rest.first().copied(), 0);
            let elapsed = start.elapsed();
            match result {
                Ok(r) => {
                    println!("{file}: {elapsed:.3?}: read {} accounts, {} problems", r.accounts.len(), r.problems.len())
                }
                Err(e) => println!("{file}: {elapsed:.3?}: {e}"),
            }
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("usage: hostile_import write DIR | hostile_import read FILE FORMAT [PASSWORD]");
            ExitCode::from(2)
        }
    }
}
