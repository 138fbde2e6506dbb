//! `twofold-cli sync --webdav`, run as a binary against a real WebDAV server (`rclone serve webdav`, from the
//! shared harness `tests/src/servers/`): two data folders configured to one file keep in step; later rounds use
//! the server saved in the vault; the app password comes from standard input or a file and never shows in
//! output; a wrong password, a full server and plain http to another computer are one clear line each.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use common::Computer;

use twofold_tests::servers::webdav::{Fault, FaultyServer, PASSWORD, USER, WebDavServer};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab";

const APP_PASSWORD_SAFE: &str = "the app password never shows in what the CLI writes";

/// A run that must succeed, with `stdin` piped in; the server's password never shows in its error output.
fn ok(c: &Computer, args: &[&str], stdin: Option<&str>) -> String {
    let out = c.run_in(args, stdin);
    assert!(!common::text(&out.stderr).contains(PASSWORD), "{APP_PASSWORD_SAFE}");
    common::expect_ok(args, &out)
}

fn fails(c: &Computer, args: &[&str], stdin: Option<&str>) -> String {
    common::expect_one_line_error(args, &c.run_in(args, stdin))
}

#[test]
fn two_data_folders_keep_in_step_through_one_webdav_file() {
    let Some(server) = WebDavServer::rclone("cli_sync_webdav") else { return };
    let url = server.url("twofold.vault");
    let root = tempfile::tempdir().unwrap();
    let a = Computer::new(root.path(), "a", "same password");
    let b = Computer::new(root.path(), "b", "same password");
    ok(&a, &["add", "--uri", GITHUB], None);
    ok(&b, &["add", "--uri", GITLAB], None);

    // The app password from standard input (the vault password comes from its file).
    let line = format!("{PASSWORD}\n");
    let first = ok(&a, &["sync", "--webdav", &url, "--user", USER, "--json"], Some(&line));
    assert!(!first.contains(PASSWORD), "{first}");
    let report: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(
        (report["webdav"].clone(), report["wrote_copy"].clone()),
        (serde_json::json!(url), serde_json::json!(true))
    );

    // The app password from a file.
    let app_pw = root.path().join("app-pw");
    std::fs::write(&app_pw, &line).unwrap();
    let joined =
        ok(&b, &["sync", "--webdav", &url, "--user", USER, "--app-password-file", app_pw.to_str().unwrap()], None);
    assert!(joined.contains("added    GitHub") && joined.contains(&format!("in step via {url}")), "{joined}");

    // Later rounds use the server saved in the vault.
    let back: serde_json::Value = serde_json::from_str(&ok(&a, &["sync", "--json"], None)).unwrap();
    assert_eq!(back["added"], serde_json::json!(["GitLab (bob)"]), "{back}");
    assert_eq!(a.issuers(), ["GitHub", "GitLab"]);
    assert_eq!(b.issuers(), ["GitHub", "GitLab"]);
    let idle: serde_json::Value = serde_json::from_str(&ok(&b, &["sync", "--json"], None)).unwrap();
    assert_eq!(idle["wrote_copy"], serde_json::json!(false), "{idle}");

    // The vault file holds the app password only encrypted.
    assert!(!String::from_utf8_lossy(&std::fs::read(&a.vault).unwrap()).contains(PASSWORD));
}

#[test]
fn webdav_failures_are_one_clear_line() {
    let Some(server) = WebDavServer::rclone("cli_sync_webdav_failures") else { return };
    let root = tempfile::tempdir().unwrap();
    let a = Computer::new(root.path(), "a", "same password");
    let wrong = fails(&a, &["sync", "--webdav", &server.url("twofold.vault"), "--user", USER], Some("not it\n"));
    assert!(wrong.contains("(401)") && !wrong.contains("not it"), "{wrong}");

    let full = FaultyServer::start(Fault::Status(507));
    let no_space = fails(&a, &["sync", "--webdav", &full.url("twofold.vault"), "--user", USER], Some("pw\n"));
    assert!(no_space.contains("no space left"), "{no_space}");

    let http = fails(&a, &["sync", "--webdav", "http://cloud.example/dav/", "--user", USER], Some("pw\n"));
    assert!(http.contains("only allowed to this computer"), "{http}");

    // The password never comes from the command line.
    let out = a.run(&["sync", "--webdav", "https://cloud.example/", "--user", USER, "--app-password", "x"]);
    assert!(!out.status.success());
}
