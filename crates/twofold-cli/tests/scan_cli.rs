//! Runs the built `twofold-cli scan`: links from generated images in argument and reading order, and exit 2
//! with one line naming the file for an image without a code, a code that is not a link, or a non-image.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use twofold_tests::qr_corpus::{self, Damage};

#[allow(clippy::unwrap_used)]
fn scan(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_twofold-cli")).arg("scan").args(args).output().unwrap()
}

#[allow(clippy::unwrap_used)]
fn png(dir: &Path, name: &str, width: usize, height: usize, pixels: &[u8]) -> PathBuf {
    let path = dir.join(name);
    image::save_buffer(&path, pixels, width as u32, height as u32, image::ExtendedColorType::L8).unwrap();
    path
}

#[allow(clippy::unwrap_used)]
fn one_code(payload: &str) -> Vec<u8> {
    let modules = qr_corpus::encode(payload, 'M').unwrap();
    let mut pixels = vec![245u8; 400 * 300];
    let at = qr_corpus::Placement { centre: (200.0, 150.0), side: 240.0, angle: 0.0, tilt: 0.0, dark: 10, light: 250 };
    qr_corpus::draw(&mut pixels, 400, 300, &modules, &at);
    pixels
}

#[allow(clippy::unwrap_used)]
fn bad_input(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "stdout {}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    err.trim_end().to_owned()
}

#[test]
fn scan_prints_every_link_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let several = qr_corpus::sample(Damage::Several, 1280, 720, 0).unwrap();
    let first = png(dir.path(), "several.png", 1280, 720, &several.pixels);
    let link = "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZXhhbXBsZS5jb20aB0V4YW1wbGUgASgBMAIQARgBIAA%3D";
    let second = png(dir.path(), "transfer.png", 400, 300, &one_code(link));
    let out = scan(&[&first, &second]);
    assert!(out.status.success(), "stderr {}", String::from_utf8_lossy(&out.stderr));
    let mut expected = several.expected.join("\n");
    expected.push('\n');
    expected.push_str(link);
    expected.push('\n');
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    assert!(out.stderr.is_empty());
}

#[test]
fn scan_exits_2_naming_an_image_without_a_code() {
    let dir = tempfile::tempdir().unwrap();
    let good = png(dir.path(), "good.png", 400, 300, &one_code("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP"));
    let blank = png(dir.path(), "blank.png", 400, 300, &vec![200u8; 400 * 300]);
    let err = bad_input(&scan(&[&good, &blank]));
    assert_eq!(err, format!("twofold-cli: no QR code found in {}", blank.display()));
}

#[test]
fn scan_exits_2_for_codes_that_are_not_links_and_for_non_images() {
    let dir = tempfile::tempdir().unwrap();
    let menu = png(dir.path(), "menu.png", 400, 300, &one_code("https://example.com/menu"));
    let err = bad_input(&scan(&[&menu]));
    assert_eq!(err, format!("twofold-cli: {} holds 1 QR code(s) but none is an authenticator link", menu.display()));
    let text = dir.path().join("notes.png");
    std::fs::write(&text, "not pixels").unwrap();
    let err = bad_input(&scan(&[&text]));
    assert!(err.starts_with(&format!("twofold-cli: cannot read {}: ", text.display())), "{err}");
    let missing = dir.path().join("missing.png");
    assert!(bad_input(&scan(&[&missing])).contains("missing.png"));
}

#[test]
fn scan_needs_an_image() {
    let out = Command::new(env!("CARGO_BIN_EXE_twofold-cli")).arg("scan").output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(2));
}
