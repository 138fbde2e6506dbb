//! Helpers shared by the cross-crate tests: where the shared fixtures are, and how a test skips itself.
//!
//! The peer and RFC fixtures are other projects' test data. They live beside the repository in
//! `../shared/fixtures` (override with `TWOFOLD_FIXTURES`) and are never copied in. In CI (`CI=true`) a missing
//! folder is a failure; elsewhere the tests that need it print `skipped: …` and return.

pub mod qr_corpus;
pub mod reference;
pub mod secret_service;
pub mod servers;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(".."))
}

/// The shared fixtures folder, or `None` (after printing why the test is skipped) when it is absent outside CI.
///
/// # Panics
/// In CI, when the folder is missing: the fixture tests must run there.
pub fn fixtures_dir(test: &str) -> Option<PathBuf> {
    let dir = match std::env::var_os("TWOFOLD_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("../shared/fixtures"),
    };
    if dir.join("peers/expected.json").is_file() {
        return Some(dir);
    }
    let in_ci = std::env::var("CI").map(|v| !v.is_empty() && v != "false" && v != "0").unwrap_or(false);
    assert!(!in_ci, "CI=true but the shared fixtures are missing at {} (set TWOFOLD_FIXTURES)", dir.display());
    eprintln!("skipped: {test}: no shared fixtures at {} (set TWOFOLD_FIXTURES)", dir.display());
    None
}

/// Reads and parses a JSON fixture file.
///
/// # Panics
/// When the file is missing or not JSON: the fixtures are part of the test.
pub fn read_json(path: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}
