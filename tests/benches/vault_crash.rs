//! The crash loop at bench size: 1000 SIGKILLs of a saving process (`TWOFOLD_CRASH_ITERATIONS` overrides),
//! each followed by a check that the vault opens with the old or newer contents. Prints figures.
//! Run: `cargo bench -p twofold-tests --bench vault_crash`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a bench: a failure is a failed run")]

#[path = "../tests/integration/vault_common/mod.rs"]
mod vault_common;

use std::path::Path;
use std::time::Instant;

fn main() {
    let iterations = std::env::var("TWOFOLD_CRASH_ITERATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(1000u32);
    let (_dir, store) = vault_common::sample_store();
    let start = Instant::now();
    let result = vault_common::crash::crash_loop(
        Path::new(env!("CARGO_BIN_EXE_vault_saver")),
        &store,
        vault_common::PASSWORD,
        iterations,
    );
    let elapsed = start.elapsed();
    match result {
        Ok(stats) => println!(
            "crash loop: {} SIGKILLs ({} inside a save), {} saves completed, vault opened every time; {:.1} s",
            stats.kills,
            stats.killed_mid_save,
            stats.saves,
            elapsed.as_secs_f64()
        ),
        Err(e) => {
            eprintln!("crash loop FAILED: {e}");
            std::process::exit(1);
        }
    }
}
