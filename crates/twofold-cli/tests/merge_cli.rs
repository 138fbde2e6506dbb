//! `twofold-cli merge`, run as a binary: a copy of the vault edited elsewhere (an account added, one
//! removed, one edited) merges in with every edit kept; `--dry-run` changes nothing; `--json` reports; a
//! backup merges too; a wrong password is one line with exit 2.

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
    /// A vault (`cli.vault`) with GitHub and GitLab, and a copy of it (`other.vault`, same password) that
    /// then lost GitLab, gained Extra and had GitHub's note edited.
    fn new() -> Self {
        let env = Env { dir: tempfile::tempdir().unwrap() };
        std::fs::write(env.path("pw"), "vault pässwörd 🔐\n").unwrap();
        env.ok(&common::INIT_MIN_KDF);
        env.ok(&["add", "--uri", GITHUB]);
        env.ok(&["add", "--uri", GITLAB]);
        std::fs::copy(env.path("cli.vault"), env.path("other.vault")).unwrap();
        let other = env.p("other.vault");
        env.ok(&["remove", "GitLab", "--vault", &other]);
        env.ok(&["add", "--uri", EXTRA, "--vault", &other]);
        env.ok(&["edit", "GitHub", "--note", "edited on the other computer", "--vault", &other]);
        env
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn p(&self, name: &str) -> String {
        self.path(name).to_string_lossy().into_owned()
    }
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        let password_file = stdin.is_none().then(|| self.path("pw"));
        common::run(&self.path("cli.vault"), args, password_file.as_deref(), stdin)
    }
    fn ok(&self, args: &[&str]) -> String {
        common::expect_ok(args, &self.run(args, None))
    }
    fn fails(&self, args: &[&str], stdin: Option<&str>) -> String {
        common::expect_one_line_error(args, &self.run(args, stdin))
    }
    fn accounts(&self) -> Vec<(String, String)> {
        let list: serde_json::Value = serde_json::from_str(&self.ok(&["list", "--json"])).unwrap();
        let mut out: Vec<(String, String)> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["issuer"].as_str().unwrap().to_owned(), a["note"].as_str().unwrap().to_owned()))
            .collect();
        out.sort();
        out
    }
}

fn names(list: &serde_json::Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|i| i["name"].as_str().unwrap()).collect()
}

#[test]
fn dry_run_reports_and_changes_nothing_then_merge_keeps_every_edit() {
    let env = Env::new();
    let before = std::fs::read(env.path("cli.vault")).unwrap();
    let pw = env.p("pw");
    let out = env.ok(&["merge", &env.p("other.vault"), "--import-password-file", &pw, "--dry-run"]);
    assert!(out.contains("added    "), "{out}");
    assert!(
        out.ends_with(
            "dry run, nothing changed; would have added 1, changed 1, removed 1, kept 0, renamed 0, ties 0\n"
        ),
        "{out}"
    );
    assert_eq!(std::fs::read(env.path("cli.vault")).unwrap(), before, "a dry run wrote the vault");

    let report: serde_json::Value =
        serde_json::from_str(&env.ok(&["merge", &env.p("other.vault"), "--import-password-file", &pw, "--json"]))
            .unwrap();
    assert_eq!(report["dry_run"], false);
    assert_eq!(names(&report["added"]), ["Extra (carol)"]);
    assert_eq!(names(&report["changed"]), ["GitHub (alice@example.com)"]);
    assert_eq!(names(&report["removed"]), ["GitLab (bob)"]);
    assert_eq!(
        env.accounts(),
        [
            (String::from("Extra"), String::new()),
            (String::from("GitHub"), String::from("edited on the other computer"))
        ]
    );
    // Merging the same copy again changes nothing.
    let again = env.ok(&["merge", &env.p("other.vault"), "--import-password-file", &pw]);
    assert!(again.ends_with("added 0, changed 0, removed 0, kept 0, renamed 0, ties 0\n"), "{again}");
}

#[test]
fn an_edit_made_after_the_deletion_elsewhere_is_kept() {
    let env = Env::new();
    // Here, after the other copy removed GitLab, GitLab is edited: the edit is newer than the deletion.
    std::thread::sleep(std::time::Duration::from_millis(5));
    env.ok(&["edit", "GitLab", "--note", "still needed"]);
    let pw = env.p("pw");
    let report: serde_json::Value =
        serde_json::from_str(&env.ok(&["merge", &env.p("other.vault"), "--import-password-file", &pw, "--json"]))
            .unwrap();
    assert_eq!(names(&report["kept_after_deletion"]), ["GitLab (bob)"]);
    assert_eq!(names(&report["removed"]), Vec::<&str>::new());
    assert!(env.accounts().contains(&(String::from("GitLab"), String::from("still needed"))));
}

#[test]
fn a_backup_merges_and_a_wrong_password_is_one_line() {
    let env = Env::new();
    let other = env.p("other.vault");
    env.ok(&["backup", "--out", &env.p("other.twofold-backup"), "--vault", &other]);
    let out = env.run(&["merge", &env.p("other.twofold-backup")], Some("vault pässwörd 🔐\nvault pässwörd 🔐\n"));
    let out = common::expect_ok(&["merge"], &out);
    assert!(out.ends_with("added 1, changed 1, removed 1, kept 0, renamed 0, ties 0\n"), "{out}");
    let err = env.fails(&["merge", &other], Some("vault pässwörd 🔐\nnot it\n"));
    assert_eq!(err, "twofold-cli: wrong password");
    let err = env.fails(&["merge", &env.p("missing.vault"), "--import-password-file", &env.p("pw")], None);
    assert!(err.starts_with("twofold-cli: "), "{err}");
}
