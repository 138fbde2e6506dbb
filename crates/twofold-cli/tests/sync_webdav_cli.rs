//! `twofold-cli sync --webdav`, run as a binary against a real WebDAV server (`rclone serve webdav`, from the
//! shared harness `tests/src/servers/`): two data folders configured to one file keep in step; later rounds use
//! the server saved in the vault; the app password comes from standard input or a file and never shows in
//! output; a wrong password, a full server and plain http to another computer are one clear line each.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

use twofold_tests::servers::webdav::{Fault, FaultyServer, PASSWORD, USER, WebDavServer};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";
const GITLAB: &str = "otpauth://totp/GitLab:bob?secret=GEZDGNBVGY3TQOJQ&issuer=GitLab";

struct Computer {
    vault: PathBuf,
    pw: PathBuf,
}

impl Computer {
    fn new(root: &Path, name: &str) -> Self {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        let pw = dir.join("pw");
        std::fs::write(&pw, "same password\n").unwrap();
        let c = Computer { vault: dir.join("twofold.vault"), pw };
        common::expect_ok(&common::INIT_MIN_KDF, &c.run(&common::INIT_MIN_KDF, None));
        c
    }
    fn run(&self, args: &[&str], stdin: Option<&str>) -> std::process::Output {
        common::run(&self.vault, args, Some(&self.pw), stdin)
    }
    fn ok(&self, args: &[&str], stdin: Option<&str>) -> String {
        let out = self.run(args, stdin);
        assert!(!common::text(&out.stderr).contains(PASSWORD));
        common::expect_ok(args, &out)
    }
    fn fails(&self, args: &[&str], stdin: Option<&str>) -> String {
        common::expect_one_line_error(args, &self.run(args, stdin))
    }
    fn issuers(&self) -> Vec<String> {
        let list: serde_json::Value = serde_json::from_str(&self.ok(&["list", "--json"], None)).unwrap();
        let mut names: Vec<String> =
            list.as_array().unwrap().iter().map(|a| a["issuer"].as_str().unwrap().to_owned()).collect();
        names.sort();
        names
    }
}

#[test]
fn two_data_folders_keep_in_step_through_one_webdav_file() {
    let Some(server) = WebDavServer::rclone("cli_sync_webdav") else { return };
    let url = server.url("twofold.vault");
    let root = tempfile::tempdir().unwrap();
    let a = Computer::new(root.path(), "a");
    let b = Computer::new(root.path(), "b");
    a.ok(&["add", "--uri", GITHUB], None);
    b.ok(&["add", "--uri", GITLAB], None);

    // The app password from standard input (the vault password comes from its file).
    let line = format!("{PASSWORD}\n");
    let first = a.ok(&["sync", "--webdav", &url, "--user", USER, "--json"], Some(&line));
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
        b.ok(&["sync", "--webdav", &url, "--user", USER, "--app-password-file", app_pw.to_str().unwrap()], None);
    assert!(joined.contains("added    GitHub") && joined.contains(&format!("in step via {url}")), "{joined}");

    // Later rounds use the server saved in the vault.
    let back: serde_json::Value = serde_json::from_str(&a.ok(&["sync", "--json"], None)).unwrap();
    assert_eq!(back["added"], serde_json::json!(["GitLab (bob)"]), "{back}");
    assert_eq!(a.issuers(), ["GitHub", "GitLab"]);
    assert_eq!(b.issuers(), ["GitHub", "GitLab"]);
    let idle: serde_json::Value = serde_json::from_str(&b.ok(&["sync", "--json"], None)).unwrap();
    assert_eq!(idle["wrote_copy"], serde_json::json!(false), "{idle}");

    // The vault file holds the app password only encrypted.
    assert!(!String::from_utf8_lossy(&std::fs::read(&a.vault).unwrap()).contains(PASSWORD));
}

#[test]
fn webdav_failures_are_one_clear_line() {
    let Some(server) = WebDavServer::rclone("cli_sync_webdav_failures") else { return };
    let root = tempfile::tempdir().unwrap();
    let a = Computer::new(root.path(), "a");
    let wrong = a.fails(&["sync", "--webdav", &server.url("twofold.vault"), "--user", USER], Some("not it\n"));
    assert!(wrong.contains("(401)") && !wrong.contains("not it"), "{wrong}");

    let full = FaultyServer::start(Fault::Status(507));
    let no_space = a.fails(&["sync", "--webdav", &full.url("twofold.vault"), "--user", USER], Some("pw\n"));
    assert!(no_space.contains("no space left"), "{no_space}");

    let http = a.fails(&["sync", "--webdav", "http://cloud.example/dav/", "--user", USER], Some("pw\n"));
    assert!(http.contains("only allowed to this computer"), "{http}");

    // The password never comes from the command line.
    let out = a.run(&["sync", "--webdav", "https://cloud.example/", "--user", USER, "--app-password", "x"], None);
    assert!(!out.status.success());
}
