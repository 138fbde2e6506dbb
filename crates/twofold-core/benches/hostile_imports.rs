//! Issue 13: how long the crafted hostile files of `tests/hostile/mod.rs` take to be refused (or read).
//! Each file is imported (and, when it reads, its duplicates found, as the shell's preview does) `RUNS`
//! times and the worst time is printed with the outcome.
//! `cargo bench -p twofold-core --bench hostile_imports [NAME]`. Peak memory per file:
//! `examples/hostile_import.rs`.

#[path = "../tests/hostile/mod.rs"]
mod hostile;

use std::time::{Duration, Instant};

use twofold_core::import;

const RUNS: usize = 3;

fn main() {
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    println!("{:<26} {:>11}  {:>10}  outcome", "file", "bytes", "worst");
    for name in hostile::NAMES.iter().filter(|n| filter.is_empty() || filter.iter().any(|f| n.contains(f.as_str()))) {
        let case = hostile::by_name(name).expect("a known case");
        let mut worst = Duration::ZERO;
        let mut outcome = String::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            let result = import::import(&case.bytes, case.format, case.password, 0);
            // What the shell's preview does next with a report.
            let duplicates = result.as_ref().map(|r| r.duplicates_of(&[]).len()).unwrap_or(0);
            worst = worst.max(start.elapsed());
            outcome = match result {
                Ok(report) => format!(
                    "read: {} accounts, {} problems, {duplicates} duplicates",
                    report.accounts.len(),
                    report.problems.len()
                ),
                Err(e) => format!("{e}"),
            };
        }
        println!("{:<26} {:>11}  {:>10.3?}  {outcome}", case.name, case.bytes.len(), worst);
    }
}
