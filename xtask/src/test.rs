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
    Ok(())
}

/// Benchmarks: prints figures, asserts nothing about speed.
pub fn bench(args: &[String]) -> Result<(), String> {
    run(cargo().args(["bench", "--workspace"]).args(args))
}
