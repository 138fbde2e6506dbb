//! `--keyring` against a real Secret Service (gnome-keyring-daemon on a private bus, `twofold_tests::
//! secret_service`): turned on with the password, the vault then opens with no password; each failure is one
//! line saying why (item deleted, no service, password changed), and a password change leaves no device key
//! that opens the vault.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use twofold_tests::secret_service::SecretService;

const INIT: [&str; 7] = ["init", "--kdf-memory", "19", "--kdf-passes", "2", "--kdf-lanes", "1"];

fn cli(ss: &SecretService, vault: &Path, args: &[&str]) -> Output {
    let mut cmd: Command = ss.command(env!("CARGO_BIN_EXE_twofold-cli"));
    cmd.args(args).env("TWOFOLD_VAULT", vault).env_remove("RUST_BACKTRACE");
    cmd.stdin(Stdio::null()).output().unwrap()
}

fn ok(args: &[&str], out: &Output) -> String {
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn error(args: &[&str], out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "{args:?} should fail: {}", String::from_utf8_lossy(&out.stdout));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(err.lines().count(), 1, "{err}");
    err
}

#[test]
fn keyring_unlock_with_a_real_secret_service() {
    let Some(mut ss) = SecretService::start("keyring_cli").unwrap() else { return };
    let vault = ss.path("v.vault");
    let pw = ss.path("pw");
    std::fs::write(&pw, "correct horse\n").unwrap();
    let pwf = pw.to_str().unwrap();
    ok(&INIT, &cli(&ss, &vault, &[&INIT[..], &["--password-file", pwf]].concat()));
    ok(
        &["add"],
        &cli(
            &ss,
            &vault,
            &["add", "--uri", "otpauth://totp/Ex:me?secret=JBSWY3DPEHPK3PXP&issuer=Ex", "--password-file", pwf],
        ),
    );

    // Before it is turned on, --keyring says so.
    let err = error(&["list", "--keyring"], &cli(&ss, &vault, &["list", "--keyring"]));
    assert!(err.contains("not turned on"), "{err}");

    let out = cli(&ss, &vault, &["keyring", "enable", "--days", "3", "--password-file", pwf]);
    assert!(ok(&["keyring", "enable"], &out).contains("on for 3 days"));
    assert_eq!(ss.twofold_items().unwrap().len(), 1, "one item in the login keyring");

    // Opened with no password (stdin is empty, no password file).
    let listed = ok(&["list", "--keyring"], &cli(&ss, &vault, &["list", "--keyring"]));
    assert!(listed.contains("Ex (me)") || listed.contains("Ex"), "{listed}");
    assert!(ok(&["keyring", "status"], &cli(&ss, &vault, &["keyring", "status"])).contains("opens"));
    // Taking keys out still needs the password.
    let err = error(
        &["export"],
        &cli(&ss, &vault, &["export", "--format", "aegis", "--out", "/tmp/twofold-never-written", "--keyring"]),
    );
    assert!(err.contains("always asks for the password"), "{err}");

    // No Secret Service on the bus: the reason, no hang.
    ss.stop_keyring();
    let err = error(&["list", "--keyring"], &cli(&ss, &vault, &["list", "--keyring"]));
    assert!(err.contains("no keyring service answers"), "{err}");
    ss.start_keyring().unwrap();
    ok(&["list", "--keyring"], &cli(&ss, &vault, &["list", "--keyring"]));

    // The login keyring locked, and its unlock prompt cannot be answered (no prompter here: declined).
    let locked = ss
        .command("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .output()
        .unwrap();
    assert!(locked.status.success(), "{}", String::from_utf8_lossy(&locked.stderr));
    let err = error(&["list", "--keyring"], &cli(&ss, &vault, &["list", "--keyring"]));
    assert!(err.contains("locked and was not unlocked"), "{err}");
    ss.start_keyring().unwrap();
    ok(&["list", "--keyring"], &cli(&ss, &vault, &["list", "--keyring"]));

    // The item deleted (as in Seahorse): the reason. The vault is not rewritten.
    let before = std::fs::read(&vault).unwrap();
    ss.clear(&[("service", "twofold")]).unwrap();
    let err = error(&["list", "--keyring"], &cli(&ss, &vault, &["list", "--keyring"]));
    assert!(err.contains("not turned on"), "{err}");
    assert_eq!(std::fs::read(&vault).unwrap(), before);

    // A password change drops the slot and deletes the item; the old key, put back, opens nothing.
    ok(&["keyring", "enable"], &cli(&ss, &vault, &["keyring", "enable", "--password-file", pwf]));
    let slot = ss.twofold_items().unwrap().remove(0);
    let old_key =
        ss.command("secret-tool").args(["lookup", "service", "twofold", "username", &slot]).output().unwrap().stdout;
    assert_eq!(old_key.len(), 32, "the device key is 32 bytes");
    let new_pw = ss.path("pw2");
    std::fs::write(&new_pw, "battery staple\n").unwrap();
    let out = cli(&ss, &vault, &["passwd", "--password-file", pwf, "--new-password-file", new_pw.to_str().unwrap()]);
    assert!(ok(&["passwd"], &out).contains("keyring unlock is off"));
    assert!(ss.twofold_items().unwrap().is_empty(), "passwd deleted the item");
    let mut put_back = ss
        .command("secret-tool")
        .args(["store", "--label=old", "service", "twofold", "username", &slot, "target", "default"])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut put_back.stdin.take().unwrap(), &old_key).unwrap();
    assert!(put_back.wait().unwrap().success());
    let err = error(&["list", "--keyring"], &cli(&ss, &vault, &["list", "--keyring"]));
    assert!(err.contains("not turned on"), "{err}");
    let err = error(&["keyring", "status"], &cli(&ss, &vault, &["keyring", "status"]));
    assert!(err.contains("does not open"), "{err}");
}
