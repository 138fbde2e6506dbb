//! `cargo xtask run`, `test` and `bench`.

use crate::setup::{self, Need, cargo, run};

/// Builds and opens the app.
pub fn run_app(args: &[String]) -> Result<(), String> {
    setup::setup(Need { app_build: false, test_tools: false, camera_build: false })?;
    let mut c = cargo();
    c.args(["run", "--quiet", "--package", "twofold-cli", "--", "--help"]).args(args);
    run(&mut c)
}

/// Every check CI runs, in the order that fails fastest.
pub fn test_all(_args: &[String]) -> Result<(), String> {
    setup::setup(Need { app_build: false, test_tools: true, camera_build: false })?;
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]))?;
    run(cargo().args(["test", "--workspace"]))?;
    // The cargo-fuzz crate is its own workspace (nightly only to run); keep it compiling and formatted on
    // stable. The bounded fuzz run of the normal test command is the proptest one in `cargo test`.
    run(cargo().args(["fmt", "--manifest-path", "fuzz/Cargo.toml", "--check"]))?;
    run(cargo().args(["check", "--quiet", "--manifest-path", "fuzz/Cargo.toml"]))?;
    Ok(())
}

/// `cargo xtask fuzz [SECONDS]`: runs every cargo-fuzz target for SECONDS (default 60) each. Needs the
/// nightly toolchain and `cargo install cargo-fuzz`; not part of `test`.
pub fn fuzz(args: &[String]) -> Result<(), String> {
    let seconds: u32 = match args.first() {
        Some(s) => s.parse().map_err(|_| format!("`{s}` is not a number of seconds"))?,
        None => 60,
    };
    let mut list = cargo();
    list.args(["+nightly", "fuzz", "list"]);
    let out = list.output().map_err(|e| format!("could not run cargo fuzz: {e}"))?;
    if !out.status.success() {
        return Err("cargo fuzz is not available: run `rustup toolchain install nightly` and \
                    `cargo install cargo-fuzz`"
            .into());
    }
    for target in String::from_utf8_lossy(&out.stdout).lines().map(str::trim).filter(|t| !t.is_empty()) {
        let max_time = format!("-max_total_time={seconds}");
        run(cargo().args(["+nightly", "fuzz", "run", target, "--", &max_time]))?;
    }
    Ok(())
}

/// Benchmarks: prints figures, asserts nothing about speed.
pub fn bench(args: &[String]) -> Result<(), String> {
    run(cargo().args(["bench", "--workspace"]).args(args))
}
