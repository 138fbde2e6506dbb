//! `twofold-cli backup`, `backup-check` and `restore`, run as a binary: verified backups with the vault's or
//! their own password, the one-line errors (wrong password, damage) with exit 2, restore merge, replace and
//! dry run, passwords from files and from standard input.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::PathBuf;
use std::process::Output;

const GITHUB: &str = "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab";
const EXTRA: &str = "otpauth://totp/Extra:carol?secret=MFRGGZDFMZTWQ2LK&issuer=Extra";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    /// A vault at the minimum KDF cost with GitHub and GitLab, and two password files.
    fn new() -> Self {
        let env = Env { dir: tempfile::tempdir().unwrap() };
        std::fs::write(env.path("pw"), "vault pässwörd 🔐\n").unwrap();
        std::fs::write(env.path("backup-pw"), "backup password\n").unwrap();
        env.ok(&common::INIT_MIN_KDF);
        env.ok(&["add", "--uri", GITHUB]);
        env.ok(&["add", "--uri", GITLAB]);
        env
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn p(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }
    /// Runs the CLI on the test vault; `--password-file` is added for vault commands unless `stdin` is given.
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let password_file = (stdin.is_none() && args[0] != "backup-check").then(|| self.path("pw"));
        common::run(&self.path("cli.vault"), args, password_file.as_deref(), stdin)
    }
    fn ok(&self, args: &[&str]) -> String {
        common::expect_ok(args, &self.run(args, None))
    }
    /// Runs a command that must fail; returns its single stderr line.
    fn fails(&self, args: &[&str], stdin: Option<&str>) -> String {
        common::expect_one_line_error(args, &self.run(args, stdin))
    }
    fn names(&self) -> Vec<String> {
        let list: serde_json::Value = serde_json::from_str(&self.ok(&["list", "--json"])).unwrap();
        let mut names: Vec<String> =
            list.as_array().unwrap().iter().map(|a| a["issuer"].as_str().unwrap().to_owned()).collect();
        names.sort();
        names
    }
}

use common::text;

#[test]
fn backup_then_check_with_the_vault_password_and_with_its_own() {
    let env = Env::new();
    let out = env.ok(&["backup", "--out", &env.p("a.twofold-backup")]);
    assert!(out.starts_with(&format!("wrote {} with 2 accounts, made ", env.p("a.twofold-backup"))), "{out}");
    assert!(out.trim_end().ends_with("UTC, verified"), "{out}");
    let check = env.ok(&["backup-check", &env.p("a.twofold-backup"), "--import-password-file", &env.p("pw")]);
    assert!(check.starts_with("2 accounts, made 20"), "{check}");
    assert!(check.trim_end().ends_with(" UTC"), "{check}");

    env.ok(&["backup", "--out", &env.p("b.twofold-backup"), "--export-password-file", &env.p("backup-pw")]);
    let check = env.ok(&["backup-check", &env.p("b.twofold-backup"), "--import-password-file", &env.p("backup-pw")]);
    assert!(check.starts_with("2 accounts, made "), "{check}");
    let err = env.fails(&["backup-check", &env.p("b.twofold-backup"), "--import-password-file", &env.p("pw")], None);
    assert_eq!(err, "twofold-cli: wrong password for this backup");
    // The password can come from standard input.
    let out = env.run(&["backup-check", &env.p("b.twofold-backup")], Some("backup password\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn an_existing_file_is_kept_unless_forced() {
    let env = Env::new();
    let out = env.p("a.twofold-backup");
    env.ok(&["backup", "--out", &out]);
    let before = std::fs::read(&out).unwrap();
    let err = env.fails(&["backup", "--out", &out], None);
    assert_eq!(err, format!("twofold-cli: {out} already exists (use --force to replace it)"));
    assert_eq!(std::fs::read(&out).unwrap(), before);
    env.ok(&["backup", "--out", &out, "--force"]);
    assert_ne!(std::fs::read(&out).unwrap(), before);
}

#[test]
fn damaged_missing_and_foreign_files_fail_with_one_line() {
    let env = Env::new();
    let file = env.p("a.twofold-backup");
    env.ok(&["backup", "--out", &file]);
    let mut bytes = std::fs::read(&file).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&file, &bytes).unwrap();
    let pw = env.p("pw");
    let err = env.fails(&["backup-check", &file, "--import-password-file", &pw], None);
    assert_eq!(err, format!("twofold-cli: backup {file} is damaged or was tampered with"));
    bytes.truncate(100);
    std::fs::write(&file, &bytes).unwrap();
    let err = env.fails(&["backup-check", &file, "--import-password-file", &pw], None);
    assert_eq!(err, format!("twofold-cli: backup {file} is damaged or was tampered with"));
    let missing = env.p("missing");
    let err = env.fails(&["backup-check", &missing, "--import-password-file", &pw], None);
    assert_eq!(err, format!("twofold-cli: no backup at {missing}"));
    let vault = env.p("cli.vault");
    let err = env.fails(&["backup-check", &vault, "--import-password-file", &pw], None);
    assert_eq!(err, format!("twofold-cli: {vault} is a Twofold vault, not a backup"));
    // Restoring from a damaged backup changes nothing.
    let err = env.fails(&["restore", &file, "--import-password-file", &pw], None);
    assert!(err.ends_with("is damaged or was tampered with"), "{err}");
    assert_eq!(env.names(), ["GitHub", "GitLab"]);
}

#[test]
fn restore_dry_run_merge_and_replace() {
    let env = Env::new();
    let file = env.p("a.twofold-backup");
    env.ok(&["backup", "--out", &file, "--export-password-file", &env.p("backup-pw")]);
    env.ok(&["remove", "GitLab"]);
    env.ok(&["add", "--uri", EXTRA]);
    let bpw = env.p("backup-pw");

    let dry = env.ok(&["restore", &file, "--import-password-file", &bpw, "--dry-run"]);
    let lines: Vec<&str> = dry.lines().collect();
    assert!(lines[0].starts_with("backup made ") && lines[0].ends_with(" with 2 accounts"), "{dry}");
    assert!(lines[1].starts_with("same ") && lines[1].ends_with("GitHub (alice@example.com)"), "{dry}");
    assert!(lines[2].starts_with("new ") && lines[2].ends_with("GitLab (bob)"), "{dry}");
    assert_eq!(lines[3], "dry run, nothing changed; would have added 1, skipped 1, replaced 0, removed 0");
    assert_eq!(env.names(), ["Extra", "GitHub"]);

    let merged = env.ok(&["restore", &file, "--import-password-file", &bpw]);
    assert_eq!(merged.lines().last().unwrap(), "added 1, skipped 1, replaced 0, removed 0");
    assert_eq!(env.names(), ["Extra", "GitHub", "GitLab"]);

    let replaced = env.ok(&["restore", &file, "--import-password-file", &bpw, "--replace"]);
    assert_eq!(replaced.lines().last().unwrap(), "added 0, skipped 0, replaced 2, removed 1");
    assert_eq!(env.names(), ["GitHub", "GitLab"]);
}

#[test]
fn restore_reads_the_vault_password_then_the_backups_from_standard_input() {
    let env = Env::new();
    let file = env.p("a.twofold-backup");
    env.ok(&["backup", "--out", &file, "--export-password-file", &env.p("backup-pw")]);
    env.ok(&["remove", "GitHub"]);
    let out = env.run(&["restore", &file], Some("vault pässwörd 🔐\nbackup password\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().last().unwrap(), "added 1, skipped 1, replaced 0, removed 0");
    let err = env.fails(&["restore", &file], Some("vault pässwörd 🔐\nnot it\n"));
    assert_eq!(err, "twofold-cli: wrong password for this backup");
}

#[test]
fn export_format_twofold_writes_the_same_verified_backup() {
    let env = Env::new();
    let file = env.p("e.twofold-backup");
    let out = env.ok(&["export", "--format", "twofold", "--out", &file, "--export-password-file", &env.p("backup-pw")]);
    assert_eq!(out.trim_end(), format!("exported 2 of 2 accounts to {file} (twofold, verified)"));
    let check = env.ok(&["backup-check", &file, "--import-password-file", &env.p("backup-pw")]);
    assert!(check.starts_with("2 accounts, made "), "{check}");
    let err = env.fails(&["export", "--format", "twofold", "--out", &file], None);
    assert_eq!(err, format!("twofold-cli: {file} already exists; pass --force to replace it"));
}
