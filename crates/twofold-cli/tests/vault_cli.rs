//! `twofold-cli` over a vault, run as a binary: init, add, list, code, show, edit, remove, passwd,
//! recovery-codes; passwords from a file and from standard input; the exact one-line errors and exit 2.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use twofold_core::vault::{SaveHook, SaveStep, VaultStore};
use twofold_core::{OtpParams, Secret, otp};

const GITHUB: &str = "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    /// A folder with a password file and a fresh vault at the minimum KDF cost (tests stay fast).
    fn new() -> Self {
        let env = Env { dir: tempfile::tempdir().unwrap() };
        std::fs::write(env.pw(), "pässwörd 🔐\n").unwrap();
        env.ok(&common::INIT_MIN_KDF);
        env
    }
    fn vault(&self) -> PathBuf {
        self.dir.path().join("cli.vault")
    }
    fn pw(&self) -> PathBuf {
        self.dir.path().join("pw")
    }
    /// Runs the CLI with `TWOFOLD_VAULT` and `--password-file` (unless `stdin` is given, which is piped).
    fn run(&self, args: &[&str], stdin: Option<&str>) -> Output {
        common::run(&self.vault(), args, stdin.is_none().then(|| self.pw()).as_deref(), stdin)
    }
    fn ok(&self, args: &[&str]) -> String {
        common::expect_ok(args, &self.run(args, None))
    }
    /// Runs a command that must fail, and returns its single stderr line.
    fn fails(&self, args: &[&str], stdin: Option<&str>) -> String {
        common::expect_one_line_error(args, &self.run(args, stdin))
    }
}

use common::text;

fn expected_totp(base32: &str, t: i64) -> String {
    otp::code(&Secret::parse_base32(base32).unwrap(), &OtpParams::default_totp(), t).unwrap().code
}

#[test]
fn add_list_code_show_edit_remove() {
    let env = Env::new();
    let added = env.ok(&["add", "--uri", GITHUB, "--group", "work"]);
    let id = added.split_whitespace().next().unwrap().to_owned();
    assert!(added.contains("GitHub (alice@example.com)"));
    env.ok(&["add", "--secret", "GEZDGNBVGY3TQOJQ", "--issuer", "GitLab", "--name", "alice@example.com"]);

    let list = env.ok(&["list"]);
    assert!(list.contains("GitHub (alice@example.com)") && list.contains("GitLab (alice@example.com)"), "{list}");
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[0]["groups"], serde_json::json!(["work"]));
    assert!(!json.to_string().contains("JBSW"), "list --json must not carry secrets");

    for t in ["59", "1111111109", "2000000000"] {
        let code = env.ok(&["code", "github", "--time", t]);
        assert_eq!(code.trim(), expected_totp("JBSWY3DPEHPK3PXP", t.parse().unwrap()));
    }
    let code_json: serde_json::Value =
        serde_json::from_str(&env.ok(&["code", "GitLab", "--json", "--time", "60"])).unwrap();
    assert_eq!(code_json["code"], expected_totp("GEZDGNBVGY3TQOJQ", 60));
    assert_eq!(code_json["valid_until"], 90);

    // Several matches: listed, then one error line.
    let out = env.run(&["code", "alice"], None);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout).lines().count(), 2);
    assert_eq!(text(&out.stderr).trim(), "twofold-cli: 2 accounts match \"alice\"; give more of the name or the id");
    assert_eq!(env.fails(&["code", "nothing"], None), "twofold-cli: no account matches \"nothing\"");

    let shown = env.ok(&["show", &id]);
    assert!(shown.contains("issuer: GitHub") && !shown.contains("JBSW"), "{shown}");
    assert!(env.ok(&["show", &id, "--reveal"]).contains("secret: JBSWY3DPEHPK3PXP"));

    env.ok(&["edit", &id, "--issuer", "GitHub Enterprise", "--note", "work laptop", "--favorite", "true"]);
    let shown: serde_json::Value = serde_json::from_str(&env.ok(&["show", &id, "--json"])).unwrap();
    assert_eq!(
        (shown["issuer"].as_str(), shown["note"].as_str(), shown["favorite"].as_bool()),
        (Some("GitHub Enterprise"), Some("work laptop"), Some(true))
    );

    env.ok(&["remove", &id]);
    assert!(!env.ok(&["list"]).contains("GitHub"));
    assert_eq!(env.fails(&["show", &id], None), format!("twofold-cli: no account matches \"{id}\""));
}

#[test]
fn hotp_counter_is_saved_before_the_code_is_printed() {
    let env = Env::new();
    env.ok(&[
        "add",
        "--secret",
        "GEZDGNBVGY3TQOJQ",
        "--issuer",
        "Bank",
        "--type",
        "hotp",
        "--counter",
        "5",
        "--digits",
        "8",
    ]);
    let first: serde_json::Value = serde_json::from_str(&env.ok(&["code", "bank", "--json"])).unwrap();
    let second: serde_json::Value = serde_json::from_str(&env.ok(&["code", "bank", "--json"])).unwrap();
    assert_eq!((first["counter"].as_u64(), second["counter"].as_u64()), (Some(5), Some(6)));
    let secret = Secret::parse_base32("GEZDGNBVGY3TQOJQ").unwrap();
    assert_eq!(first["code"], otp::hotp(&secret, twofold_core::Algorithm::Sha1, 8, 5).unwrap());
    let shown: serde_json::Value = serde_json::from_str(&env.ok(&["show", "bank", "--json"])).unwrap();
    assert_eq!(shown["counter"], 7);
    assert_eq!(shown["use_count"], 2);
}

#[test]
fn recovery_codes_add_list_and_mark_used() {
    let env = Env::new();
    env.ok(&["add", "--uri", GITHUB]);
    let listed =
        env.ok(&["recovery-codes", "github", "--add", "aaaa-1111", "--add", "bbbb-2222", "--add", "cccc-3333"]);
    assert!(listed.contains("3 of 3 recovery codes unused"), "{listed}");
    env.ok(&["recovery-codes", "github", "--mark-used", "2", "--mark-used", "cccc-3333"]);
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["recovery-codes", "github", "--json"])).unwrap();
    assert_eq!(
        json,
        serde_json::json!([{"code": "aaaa-1111", "used": false}, {"code": "bbbb-2222", "used": true}, {"code": "cccc-3333", "used": true}])
    );
    assert_eq!(
        env.fails(&["recovery-codes", "github", "--mark-used", "zzzz"], None),
        "twofold-cli: no recovery code zzzz on this account"
    );
    // `show` hides them without --reveal.
    assert!(!env.ok(&["show", "github"]).contains("aaaa-1111"));
    assert!(env.ok(&["show", "github", "--reveal"]).contains("aaaa-1111"));
}

#[test]
fn passwords_from_stdin_and_passwd() {
    let env = Env::new();
    // Standard input that is not a terminal: one password per line.
    let out = env.run(&["list"], Some("pässwörd 🔐\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(env.fails(&["list"], Some("wrong\n")), "twofold-cli: wrong password");
    assert_eq!(env.fails(&["list"], Some("")), "twofold-cli: no password on standard input");

    // A password change replaces the data key by default (issue 13 point 5): the key id in the header changes,
    // so an old copy of the file and the old password open nothing written after the change.
    let key_id = || VaultStore::new(env.vault()).inspect().unwrap().key_id;
    let before = key_id();
    let out = env.run(&["passwd"], Some("pässwörd 🔐\nnew one\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "password changed and data key replaced");
    assert_ne!(key_id(), before, "passwd must rotate the data key by default");
    assert_eq!(env.fails(&["list"], None), "twofold-cli: wrong password");
    assert!(env.run(&["list"], Some("new one\n")).status.success());
    let new_pw = env.dir.path().join("new");
    std::fs::write(&new_pw, "third\n").unwrap();
    // `--keep-key` only rewraps; the old `--rotate-key` spelling is still accepted.
    let before = key_id();
    let out = env.run(&["passwd", "--keep-key", "--new-password-file", new_pw.to_str().unwrap()], Some("new one\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(key_id(), before);
    assert!(env.run(&["list"], Some("third\n")).status.success());
    std::fs::write(&new_pw, "fourth\n").unwrap();
    let out = env.run(&["passwd", "--rotate-key", "--new-password-file", new_pw.to_str().unwrap()], Some("third\n"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_ne!(key_id(), before);
    assert!(env.run(&["list"], Some("fourth\n")).status.success());
}

#[test]
fn vault_errors_are_one_clear_line_with_exit_2() {
    let env = Env::new();
    assert_eq!(env.fails(&["init"], None), format!("twofold-cli: a vault already exists at {}", env.vault().display()));

    let mut bytes = std::fs::read(env.vault()).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(env.vault(), &bytes).unwrap();
    assert_eq!(env.fails(&["list"], None), "twofold-cli: vault file is corrupt or was tampered with");

    // A newer major: the frame's version field with a recomputed checksum.
    let mut newer = std::fs::read(env.vault()).unwrap();
    newer[8..10].copy_from_slice(&3u16.to_le_bytes());
    fix_checksum(&mut newer);
    std::fs::write(env.vault(), &newer).unwrap();
    assert_eq!(env.fails(&["list"], None), "twofold-cli: vault was written by a newer Twofold (format 3)");

    std::fs::remove_file(env.vault()).unwrap();
    assert_eq!(env.fails(&["list"], None), format!("twofold-cli: no vault at {}", env.vault().display()));
}

#[test]
fn a_save_while_another_process_saves_names_it() {
    let env = Env::new();
    // This test process holds the writer lock in the middle of a save while the CLI tries to add.
    struct Hold(std::sync::Mutex<(std::sync::mpsc::Sender<()>, std::sync::mpsc::Receiver<()>)>);
    impl SaveHook for Hold {
        fn before(&self, step: SaveStep, _: &Path) -> std::io::Result<()> {
            if step == SaveStep::WriteTemp {
                let g = self.0.lock().unwrap();
                g.0.send(()).unwrap();
                g.1.recv().unwrap();
            }
            Ok(())
        }
    }
    let (entered_tx, entered_rx) = std::sync::mpsc::channel();
    let (release_tx, release_rx) = std::sync::mpsc::channel();
    let store = VaultStore::new(env.vault())
        .with_save_hook(std::sync::Arc::new(Hold(std::sync::Mutex::new((entered_tx, release_rx)))));
    let mut vault = store.unlock("pässwörd 🔐").unwrap();
    // Only the saver holds the hook now: if it fails before the hook, the channel closes and the test fails
    // instead of waiting forever.
    drop(store);
    let saver = std::thread::spawn(move || {
        vault.update(|c| -> Result<(), twofold_core::vault::VaultError> {
            let secret = twofold_core::Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap();
            let otp = twofold_core::OtpParams::default_totp();
            c.accounts.push(twofold_core::Account::new("Held", "writer", secret, otp, 0));
            Ok(())
        })
    });
    entered_rx.recv().unwrap();
    let err = env.fails(&["add", "--uri", GITHUB], None);
    assert_eq!(err, format!("twofold-cli: vault is locked by process {}", std::process::id()));
    release_tx.send(()).unwrap();
    saver.join().unwrap().unwrap();
    env.ok(&["add", "--uri", GITHUB]);
}

fn fix_checksum(file: &mut [u8]) {
    use sha2::Digest as _;
    let header_len = u32::from_le_bytes(file[12..16].try_into().unwrap()) as usize;
    let sum = sha2::Sha256::digest(&file[..header_len]);
    file[header_len..header_len + 32].copy_from_slice(&sum);
}

/// Issue 21, point 1: a typed key `AB` was added and silently became `AA`. The CLI follows the one key rule.
#[test]
fn typed_keys_that_are_partial_or_too_short_are_refused() {
    let env = Env::new();
    assert_eq!(
        env.fails(&["add", "--secret", "AB"], None),
        "twofold-cli: the key does not end on a whole byte (2 base32 characters): a character is missing or one too many"
    );
    assert!(env.fails(&["add", "--secret", "JBSWY3DP"], None).contains("only 40 bits"));
    assert!(env.fails(&["add", "--secret", "JBSW Y3DP EHPK 3PX1"], None).contains("character 19"));
    let list: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).unwrap();
    assert_eq!(list, serde_json::json!([]), "nothing was added");
    env.ok(&["add", "--secret", "jbsw y3dp ehpk 3pxp", "--issuer", "GitHub"]);
}
