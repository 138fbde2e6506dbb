//! `twofold-cli import` run as a binary against the shared peer fixtures: an encrypted Aegis file, a 2FAS
//! file, a file with unsupported mOTP and Yandex entries, a wrong password, a damaged file, a dry run that
//! saves nothing, importing twice, passwords from standard input in the documented order, and an unknown
//! `--format`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

const VAULT_PASSWORD: &str = "vault pässwörd";

struct Env {
    dir: tempfile::TempDir,
    fixtures: PathBuf,
}

impl Env {
    /// A fresh vault at the minimum KDF cost, a vault password file and an import password file (`test`);
    /// `None` when the shared fixtures are absent outside CI.
    fn new(test: &str) -> Option<Self> {
        let fixtures = twofold_tests::fixtures_dir(test)?.join("peers");
        let env = Env { dir: tempfile::tempdir().unwrap(), fixtures };
        std::fs::write(env.pw(), format!("{VAULT_PASSWORD}\n")).unwrap();
        std::fs::write(env.file_pw(), "test\n").unwrap();
        env.ok(&common::INIT_MIN_KDF);
        Some(env)
    }
    fn vault(&self) -> PathBuf {
        self.dir.path().join("cli.vault")
    }
    fn pw(&self) -> PathBuf {
        self.dir.path().join("pw")
    }
    fn file_pw(&self) -> PathBuf {
        self.dir.path().join("file-pw")
    }
    fn fixture(&self, rel: &str) -> String {
        self.fixtures.join(rel).to_string_lossy().into_owned()
    }
    /// Runs the CLI with `TWOFOLD_VAULT`, and `--password-file` unless `stdin` is given (then piped).
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        common::run(&self.vault(), args, stdin.is_none().then(|| self.pw()).as_deref(), stdin)
    }
    fn ok(&self, args: &[&str]) -> String {
        common::expect_ok(args, &self.run(args, None))
    }
    /// Runs a command that must fail and returns its single stderr line.
    fn fails(&self, args: &[&str]) -> String {
        common::expect_one_line_error(args, &self.run(args, None))
    }
    /// `(issuer, name)` of every account in the vault.
    fn accounts(&self) -> BTreeSet<(String, String)> {
        let list: Value = serde_json::from_str(&self.ok(&["list", "--json"])).unwrap();
        list.as_array()
            .unwrap()
            .iter()
            .map(|a| (a["issuer"].as_str().unwrap().to_owned(), a["name"].as_str().unwrap().to_owned()))
            .collect()
    }
}

use common::text;

/// The expected entries of a fixture, from `expected.json`.
fn expected(fixtures: &Path, rel: &str) -> Vec<Value> {
    let all = twofold_tests::read_json(&fixtures.join("expected.json"));
    all["fixtures"][rel]["expected"]["entries"].as_array().unwrap().clone()
}

/// Asserts that no secret of `entries` appears in `output`.
fn no_secrets(output: &str, entries: &[Value]) {
    for e in entries {
        if let Some(secret) = e["secret"].as_str().filter(|s| s.len() >= 8) {
            assert!(!output.contains(secret), "a secret was printed: {output}");
        }
    }
}

#[test]
fn encrypted_aegis_imports_every_entry_then_adds_nothing_the_second_time() {
    let Some(env) = Env::new("encrypted_aegis_imports_every_entry_then_adds_nothing_the_second_time") else {
        return;
    };
    let rel = "aegis/aegis/aegis_encrypted.json";
    let file = env.fixture(rel);
    let entries = expected(&env.fixtures, rel);
    let want: BTreeSet<(String, String)> = entries
        .iter()
        .map(|e| (e["issuer"].as_str().unwrap().to_owned(), e["name"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(entries.len(), 7);

    let pw = env.file_pw();
    let args = ["import", &file, "--import-password-file", pw.to_str().unwrap()];
    let first = env.ok(&args);
    assert!(first.contains("Aegis (aegis, encrypted)"), "{first}");
    assert!(first.contains("added: Deno (Mason)"), "{first}");
    assert!(first.trim_end().ends_with("added 7, skipped 0 duplicates, could not read 0"), "{first}");
    no_secrets(&first, &entries);
    assert_eq!(env.accounts(), want);

    // The imported key is the file's key.
    let shown: Value = serde_json::from_str(&env.ok(&["show", "Deno", "--reveal", "--json"])).unwrap();
    assert_eq!(shown["secret"], entries[0]["secret"]);

    let second = env.ok(&args);
    assert!(second.contains("skipped (duplicate): Deno (Mason)"), "{second}");
    assert!(second.trim_end().ends_with("added 0, skipped 7 duplicates, could not read 0"), "{second}");
    assert_eq!(env.accounts().len(), 7);
}

#[test]
fn twofas_file_imports_after_existing_accounts() {
    let Some(env) = Env::new("twofas_file_imports_after_existing_accounts") else { return };
    env.ok(&["add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "Mine", "--name", "me"]);
    let rel = "twofas/aegis/2fas_authenticator_plain.2fas";
    let out = env.ok(&["import", &env.fixture(rel)]);
    assert!(out.contains("2FAS (2fas, plain)"), "{out}");
    assert!(out.trim_end().ends_with("added 4, skipped 0 duplicates, could not read 0"), "{out}");
    no_secrets(&out, &expected(&env.fixtures, rel));
    let list: Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    let orders: Vec<u64> = list.as_array().unwrap().iter().map(|a| a["order"].as_u64().unwrap()).collect();
    assert_eq!(orders.len(), 5);
    assert_eq!(orders.iter().collect::<BTreeSet<_>>().len(), 5, "orders must stay distinct: {orders:?}");
    assert_eq!(list[0]["issuer"], "Mine", "the existing account stays first");
}

#[test]
fn unsupported_entries_are_named_with_their_reason() {
    let Some(env) = Env::new("unsupported_entries_are_named_with_their_reason") else { return };
    let rel = "aegis/stratum/aegis.unencrypted.json";
    let out = env.ok(&["import", &env.fixture(rel)]);
    assert!(out.contains("not read: Motp (Motp): mOTP entries are not supported"), "{out}");
    assert!(out.contains("not read: Yandex (Yandex): Yandex entries are not supported"), "{out}");
    assert!(out.trim_end().ends_with("added 9, skipped 0 duplicates, could not read 2"), "{out}");
    no_secrets(&out, &expected(&env.fixtures, rel));
    let accounts = env.accounts();
    assert_eq!(accounts.len(), 9);
    assert!(!accounts.iter().any(|(issuer, _)| issuer == "Motp" || issuer == "Yandex"));
}

#[test]
fn wrong_password_exits_2_with_one_line_and_adds_nothing() {
    let Some(env) = Env::new("wrong_password_exits_2_with_one_line_and_adds_nothing") else { return };
    let wrong = env.dir.path().join("wrong");
    std::fs::write(&wrong, "not the password\n").unwrap();
    let file = env.fixture("aegis/aegis/aegis_encrypted.json");
    let err = env.fails(&["import", &file, "--import-password-file", wrong.to_str().unwrap()]);
    assert_eq!(err, format!("twofold-cli: {file}: wrong password, or the file is damaged"));
    assert!(env.accounts().is_empty());
}

#[test]
fn damaged_files_exit_2_with_one_line() {
    let Some(env) = Env::new("damaged_files_exit_2_with_one_line") else { return };
    let bytes = std::fs::read(env.fixtures.join("aegis/aegis/aegis_encrypted.json")).unwrap();
    let truncated = env.dir.path().join("aegis-truncated.json");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let err =
        env.fails(&["import", truncated.to_str().unwrap(), "--import-password-file", env.file_pw().to_str().unwrap()]);
    assert!(err.starts_with(&format!("twofold-cli: {}: ", truncated.display())), "{err}");

    // Valid JSON, encrypted database with its ciphertext changed.
    let mut json: Value = serde_json::from_slice(&bytes).unwrap();
    let db = json["db"].as_str().unwrap();
    let first = if db.starts_with('A') { 'B' } else { 'A' };
    let flipped = format!("{first}{}", &db[1..]);
    json["db"] = Value::String(flipped);
    let tampered = env.dir.path().join("aegis-tampered.json");
    std::fs::write(&tampered, serde_json::to_vec(&json).unwrap()).unwrap();
    let err =
        env.fails(&["import", tampered.to_str().unwrap(), "--import-password-file", env.file_pw().to_str().unwrap()]);
    assert!(err.starts_with(&format!("twofold-cli: {}: ", tampered.display())), "{err}");

    let unknown = env.dir.path().join("notes.txt");
    std::fs::write(&unknown, "groceries: milk, eggs\n").unwrap();
    let err = env.fails(&["import", unknown.to_str().unwrap()]);
    assert_eq!(
        err,
        format!("twofold-cli: {}: this file is not an export of any app we can import from", unknown.display())
    );
    assert!(env.accounts().is_empty());
}

#[test]
fn dry_run_reports_and_saves_nothing() {
    let Some(env) = Env::new("dry_run_reports_and_saves_nothing") else { return };
    let before = std::fs::read(env.vault()).unwrap();
    let file = env.fixture("aegis/aegis/aegis_encrypted.json");
    let out = env.ok(&["import", &file, "--import-password-file", env.file_pw().to_str().unwrap(), "--dry-run"]);
    assert!(out.contains("would add: Deno (Mason)"), "{out}");
    assert!(
        out.trim_end().ends_with("would add 7, skipped 0 duplicates, could not read 0 (dry run: nothing saved)"),
        "{out}"
    );
    assert_eq!(std::fs::read(env.vault()).unwrap(), before, "a dry run must not write the vault");
    assert!(env.accounts().is_empty());
}

#[test]
fn passwords_from_standard_input_vault_first_then_file() {
    let Some(env) = Env::new("passwords_from_standard_input_vault_first_then_file") else { return };
    let file = env.fixture("twofas/aegis/2fas_authenticator_encrypted.2fas");
    let out = env.run(&["import", &file], Some(&format!("{VAULT_PASSWORD}\ntest\n")));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2FAS (2fas, encrypted)"), "{}", text(&out.stdout));
    assert_eq!(env.accounts().len(), 4);

    // The other order is the vault password that is wrong.
    let out = env.run(&["import", &file], Some(&format!("test\n{VAULT_PASSWORD}\n")));
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stderr).trim_end(), "twofold-cli: wrong password");
}

#[test]
fn unknown_format_lists_the_valid_ones() {
    let Some(env) = Env::new("unknown_format_lists_the_valid_ones") else { return };
    let file = env.fixture("twofas/aegis/2fas_authenticator_plain.2fas");
    let err = env.fails(&["import", &file, "--format", "nope"]);
    assert!(err.starts_with("twofold-cli: unknown import format \"nope\" (expected one of: aegis, 2fas,"), "{err}");
    // Format ids are matched without regard to case.
    let out = env.ok(&["import", &file, "--format", "2FAS"]);
    assert!(out.trim_end().ends_with("added 4, skipped 0 duplicates, could not read 0"), "{out}");
}

/// Regression, bug "link warnings dropped on import": keys of unusual base32 length in a list of links are
/// imported, and the warning the same link gives when added by hand is printed.
#[test]
fn link_warnings_are_printed_for_the_accounts_they_concern() {
    let Some(env) = Env::new("link_warnings_are_printed_for_the_accounts_they_concern") else { return };
    let rel = "ente_auth/proton/plain_with_hotp.txt";
    let out = env.ok(&["import", &env.fixture(rel)]);
    let warnings: Vec<&str> = out.lines().filter(|l| l.starts_with("warning: ")).collect();
    assert_eq!(
        warnings,
        [
            "warning: account: the key is 14 base32 characters long, which is unusual: its last bits were dropped, \
             as other apps do; check that the codes match the service",
            "warning: title no issuer: the key is 17 base32 characters long, which is unusual: its last bits were \
             dropped, as other apps do; check that the codes match the service",
            // Issue 21, point 1: keys of a usual length whose last character carries bits that fill no byte are
            // read as before, and now said too.
            "warning: code1 ente (jdjdbfbdbdbdb): the key is 20 base32 characters long, which is unusual: its last \
             bits were dropped, as other apps do; check that the codes match the service",
            "warning: issuer (amazon): the key is 28 base32 characters long, which is unusual: its last bits were \
             dropped, as other apps do; check that the codes match the service",
        ],
        "{out}"
    );
    assert!(out.trim_end().ends_with("added 5, skipped 0 duplicates, could not read 1"), "{out}");
    no_secrets(&out, &expected(&env.fixtures, rel));
}
