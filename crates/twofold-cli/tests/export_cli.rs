//! `twofold-cli export`, run as a binary over a real vault: every format is written, read back from disk by
//! the core's verifier, and refused with one clear line when the flags do not fit.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use twofold_core::export::{self, Format, PlaintextAck, Protection};
use twofold_core::vault::VaultStore;

const GITHUB: &str = "otpauth://totp/GitHub:alice@example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const STEAM: &str = "otpauth://totp/Steam:gamer?secret=AEAQCAIBAEAQCAIB&issuer=Steam&encoder=steam";
const VAULT_PASSWORD: &str = "vault pässword";
const EXPORT_PASSWORD: &str = "export pässword 🔑";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    /// A vault (minimum KDF cost) with a TOTP and a Steam account, and both password files.
    fn new() -> Self {
        let env = Env { dir: tempfile::tempdir().unwrap() };
        std::fs::write(env.path("pw"), format!("{VAULT_PASSWORD}\n")).unwrap();
        std::fs::write(env.path("epw"), format!("{EXPORT_PASSWORD}\n")).unwrap();
        for args in [
            &["init", "--kdf-memory", "19", "--kdf-passes", "2", "--kdf-lanes", "1"][..],
            &["add", "--uri", GITHUB, "--group", "work"],
            &["add", "--uri", STEAM],
        ] {
            let out = env.run(args);
            assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        env
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_stdin(args, "")
    }

    /// Runs the CLI with the vault password from its file and `stdin` piped in.
    fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_twofold-cli"))
            .args(args)
            .arg("--password-file")
            .arg(self.path("pw"))
            .env("TWOFOLD_VAULT", self.path("cli.vault"))
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut input = child.stdin.take().unwrap();
        input.write_all(stdin.as_bytes()).unwrap();
        drop(input);
        child.wait_with_output().unwrap()
    }

    fn export(&self, format: &str, out: &Path, extra: &[&str]) -> Output {
        let mut args = vec!["export", "--format", format, "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.run(&args)
    }

    fn accounts(&self) -> Vec<twofold_core::Account> {
        let vault = VaultStore::new(self.path("cli.vault")).unlock(VAULT_PASSWORD).unwrap();
        let mut accounts = vault.contents().accounts.clone();
        accounts.sort_by_key(|a| a.order);
        accounts
    }
}

fn one_error_line(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    err.trim_end().to_owned()
}

#[test]
fn aegis_export_is_written_private_and_opens_with_the_export_password() {
    let env = Env::new();
    let out_file = env.path("aegis.json");
    let epw = env.path("epw");
    let out = env.export("aegis", &out_file, &["--export-password-file", epw.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("exported 2 of 2 accounts"));
    let bytes = std::fs::read(&out_file).unwrap();
    let accounts = env.accounts();
    assert_eq!(export::verify(&bytes, Format::AegisEncrypted, Protection::Password(EXPORT_PASSWORD), &accounts), Ok(2));
    assert!(export::verify(&bytes, Format::AegisEncrypted, Protection::Password(VAULT_PASSWORD), &accounts).is_err());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(std::fs::metadata(&out_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");
}

#[test]
fn plaintext_formats_need_allow_plaintext_and_then_verify() {
    let env = Env::new();
    let accounts = env.accounts();
    let ack = Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets());
    for (name, format) in [
        ("aegis-plain", Format::AegisPlain),
        ("otpauth", Format::OtpauthList),
        ("google-transfer", Format::GoogleTransfer),
        ("paper", Format::PaperHtml),
    ] {
        let file = env.path(&format!("out.{name}"));
        let err = one_error_line(&env.export(name, &file, &[]));
        assert!(err.contains("--allow-plaintext"), "{err}");
        assert!(!file.exists());

        let out = env.export(name, &file, &["--allow-plaintext"]);
        assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        let expected = if format == Format::GoogleTransfer { 1 } else { 2 };
        assert_eq!(export::verify(&std::fs::read(&file).unwrap(), format, ack, &accounts), Ok(expected), "{name}");
        if format == Format::GoogleTransfer {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(stderr.contains("not exported: Steam (gamer)"), "{stderr}");
            assert!(String::from_utf8_lossy(&out.stdout).contains("exported 1 of 2 accounts"));
        }
    }
}

#[test]
fn bad_flags_are_one_clear_line() {
    let env = Env::new();
    let file = env.path("x");
    assert_eq!(
        one_error_line(&env.export("keepass", &file, &[])),
        "twofold-cli: unknown export format \"keepass\" (expected one of: twofold, aegis, aegis-plain, otpauth, google-transfer, paper)"
    );
    std::fs::write(&file, "keep me").unwrap();
    let err = one_error_line(&env.export("otpauth", &file, &["--allow-plaintext"]));
    assert!(err.ends_with("already exists; pass --force to replace it"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    let out = env.export("otpauth", &file, &["--allow-plaintext", "--force"]);
    assert!(out.status.success());
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("otpauth://"));

    // Issue 13 point 8: the export is written by the core's one writer, which never follows a link, even with
    // --force.
    #[cfg(unix)]
    {
        let target = env.path("target.txt");
        std::fs::write(&target, "not yours").unwrap();
        let link = env.path("link.txt");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let err = one_error_line(&env.export("otpauth", &link, &["--allow-plaintext", "--force"]));
        assert!(err.ends_with("is a symbolic link: choose the file itself or another name"), "{err}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "not yours");
    }

    let empty = env.path("empty");
    std::fs::write(&empty, "\n").unwrap();
    let err =
        one_error_line(&env.export("aegis", &env.path("a.json"), &["--export-password-file", empty.to_str().unwrap()]));
    assert_eq!(err, "twofold-cli: the export password is empty");
}

#[test]
fn export_password_can_come_from_standard_input() {
    let env = Env::new();
    let file = env.path("stdin.json");
    let args = ["export", "--format", "aegis", "--out", file.to_str().unwrap()];
    let out = env.run_with_stdin(&args, &format!("{EXPORT_PASSWORD}\n"));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&file).unwrap();
    let accounts = env.accounts();
    assert_eq!(export::verify(&bytes, Format::AegisEncrypted, Protection::Password(EXPORT_PASSWORD), &accounts), Ok(2));

    let none = env.path("none.json");
    let err =
        one_error_line(&env.run_with_stdin(&["export", "--format", "aegis", "--out", none.to_str().unwrap()], ""));
    assert_eq!(err, "twofold-cli: no password on standard input");
    assert!(!none.exists());
}
