//! What the CLI's vault test files share: running `twofold-cli` on a test vault, and checking that a run
//! succeeded or failed with exactly one clear line and exit status 2.

#![allow(dead_code, reason = "each test binary uses its own part of this module")]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// `init` at the minimum KDF cost, so that tests which create many vaults stay fast.
pub const INIT_MIN_KDF: [&str; 7] = ["init", "--kdf-memory", "19", "--kdf-passes", "2", "--kdf-lanes", "1"];

/// Runs the CLI with `TWOFOLD_VAULT=vault`, `--password-file` when given, and `stdin` piped in when given.
pub fn run(vault: &Path, args: &[&str], password_file: Option<&Path>, stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_twofold-cli"));
    cmd.args(args).env("TWOFOLD_VAULT", vault).env_remove("RUST_BACKTRACE");
    if let Some(file) = password_file {
        cmd.arg("--password-file").arg(file);
    }
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("twofold-cli starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    if let Some(s) = stdin {
        input.write_all(s.as_bytes()).expect("stdin is written");
    }
    drop(input);
    child.wait_with_output().expect("twofold-cli finishes")
}

/// The standard output of a run that must have succeeded.
pub fn expect_ok(args: &[&str], out: &Output) -> String {
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

/// The single stderr line of a run that must have failed with exit status 2, without a panic or backtrace.
pub fn expect_one_line_error(args: &[&str], out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", text(&out.stdout));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "not one line: {err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
    err.trim_end().to_owned()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// One computer's data folder in the sync tests: its vault and its password file, made with `init`.
pub struct Computer {
    pub vault: PathBuf,
    pub pw: PathBuf,
}

impl Computer {
    pub fn new(root: &Path, name: &str, password: &str) -> Self {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).expect("the data folder is made");
        let pw = dir.join("pw");
        std::fs::write(&pw, format!("{password}\n")).expect("the password file is written");
        let c = Computer { vault: dir.join("twofold.vault"), pw };
        c.ok(&INIT_MIN_KDF);
        c
    }
    /// A run with `stdin` piped in.
    pub fn run_in(&self, args: &[&str], stdin: Option<&str>) -> Output {
        run(&self.vault, args, Some(&self.pw), stdin)
    }
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_in(args, None)
    }
    pub fn ok(&self, args: &[&str]) -> String {
        expect_ok(args, &self.run(args))
    }
    pub fn fails(&self, args: &[&str]) -> String {
        expect_one_line_error(args, &self.run(args))
    }
    /// The vault's issuers (`list --json`), sorted.
    pub fn issuers(&self) -> Vec<String> {
        let list: serde_json::Value = serde_json::from_str(&self.ok(&["list", "--json"])).expect("list --json is JSON");
        let mut names: Vec<String> = list
            .as_array()
            .expect("a list")
            .iter()
            .map(|a| a["issuer"].as_str().unwrap_or_default().to_owned())
            .collect();
        names.sort();
        names
    }
}
