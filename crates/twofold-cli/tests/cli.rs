//! Runs the built `twofold-cli` binary: codes against the RFC tables and an independent HMAC, JSON output,
//! `inspect`, and the bad-input path (exit 2, one stderr line, never the secret).

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use proptest::prelude::*;
use twofold_core::Algorithm;
use twofold_tests::{fixtures_dir, read_json};

#[allow(clippy::unwrap_used)]
fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_twofold-cli")).args(args).output().unwrap()
}

#[allow(clippy::unwrap_used)]
fn cli_stdin(args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_twofold-cli"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

#[allow(clippy::unwrap_used)]
fn ok_stdout(out: &Output) -> String {
    assert!(out.status.success(), "status {:?}, stderr {}", out.status, String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Asserts the bad-input contract and returns the stderr line.
#[allow(clippy::unwrap_used)]
fn bad_input(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(2), "stdout {}", String::from_utf8_lossy(&out.stdout));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr.clone()).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("twofold-cli: "), "{err}");
    err.trim_end().to_owned()
}

#[test]
fn code_matches_rfc6238_and_rfc4226_tables() {
    let Some(dir) = fixtures_dir("code_matches_rfc6238_and_rfc4226_tables") else { return };
    let v = read_json(&dir.join("rfc/vectors.json"));
    let t = &v["rfc6238_totp"];
    for row in t["vectors"].as_array().unwrap() {
        let alg = row["algorithm"].as_str().unwrap();
        let link = format!(
            "otpauth://totp/RFC?secret={}&algorithm={alg}&digits=8",
            t["seeds"][alg]["base32"].as_str().unwrap()
        );
        let time = row["unix_time"].to_string();
        let out = ok_stdout(&cli(&["code", "--uri", &link, "--time", &time]));
        assert_eq!(out, format!("{}\n", row["totp"].as_str().unwrap()), "{alg} at {time}");
    }
    let h = &v["rfc4226_hotp"];
    let link = format!("otpauth://hotp/RFC?secret={}&counter=0", h["secret_base32"].as_str().unwrap());
    for row in h["vectors"].as_array().unwrap() {
        let counter = row["counter"].to_string();
        let out = ok_stdout(&cli(&["code", "--uri", &link, "--counter", &counter]));
        assert_eq!(out, format!("{}\n", row["hotp"].as_str().unwrap()), "counter {counter}");
    }
}

#[test]
fn code_json_has_the_validity_window() {
    let link = "otpauth://totp/X?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8";
    let out = ok_stdout(&cli(&["code", "--uri", link, "--time", "59", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v, serde_json::json!({"code": "94287082", "valid_from": 30, "valid_until": 60}));

    let hotp = "otpauth://hotp/X?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=1";
    let out = ok_stdout(&cli(&["code", "--uri", hotp, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v, serde_json::json!({"code": "287082", "counter": 1}));

    let steam = "otpauth://totp/Steam:x?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&encoder=steam";
    assert_eq!(ok_stdout(&cli(&["code", "--uri", steam, "--time", "1511200714"])), "9P3VP\n");
}

#[test]
fn code_without_time_uses_the_clock() {
    let out = ok_stdout(&cli(&["code", "--uri", "otpauth://totp/X?secret=JBSWY3DPEHPK3PXP", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let from = v["valid_from"].as_i64().unwrap();
    let until = v["valid_until"].as_i64().unwrap();
    assert_eq!(until - from, 30);
    assert!(from > 1_700_000_000, "a plausible present: {from}");
    assert_eq!(v["code"].as_str().unwrap().len(), 6);
}

#[test]
fn link_can_come_from_stdin() {
    let out = cli_stdin(
        &["code", "--uri", "-", "--time", "59"],
        "otpauth://totp/X?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8\n",
    );
    assert_eq!(ok_stdout(&out), "94287082\n");
}

#[test]
fn inspect_prints_account_and_warnings() {
    let link = "otpauth://totp/Label:alice?secret=jbsw-y3dp-ehpk-3pxp&issuer=Param&digits=8&period=60&algorithm=SHA256";
    let out = ok_stdout(&cli(&["inspect", link, "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "type": "totp", "issuer": "Param", "name": "alice", "algorithm": "SHA256", "digits": 8, "period": 60,
            "secret": "JBSWY3DPEHPK3PXP",
            "warnings": ["issuer `Param` (parameter) differs from `Label` (label); using `Param`"],
        })
    );
    let out = ok_stdout(&cli(&["inspect", "otpauth://hotp/A:b?secret=JBSWY3DPEHPK3PXP&counter=7", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["type"], "hotp");
    assert_eq!(v["counter"], 7);
    assert!(v.get("period").is_none());

    let text = ok_stdout(&cli(&["inspect", link]));
    assert!(text.contains("Param:alice"), "{text}");
    assert!(text.contains("warning: issuer"), "{text}");
}

#[test]
fn inspect_lists_every_account_of_a_transfer_link() {
    let Some(dir) = fixtures_dir("inspect_lists_every_account_of_a_transfer_link") else { return };
    let text = std::fs::read_to_string(dir.join("peers/google_authenticator/stratum/googleauthenticator.txt")).unwrap();
    let out = ok_stdout(&cli(&["inspect", text.trim(), "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let accounts = v["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 6);
    assert_eq!(accounts[0]["issuer"], "Sha");
    assert_eq!(accounts[0]["name"], "512");
    assert_eq!(accounts[0]["algorithm"], "SHA512");
    assert_eq!(accounts[3]["type"], "hotp");
    assert_eq!(accounts[3]["counter"], 10);
    assert_eq!(v["batch"], serde_json::json!({"version": 1, "size": 1, "index": 0, "id": -2_115_474_809}));
    assert_eq!(v["rejected"], serde_json::json!([]));
}

#[test]
fn bad_input_exits_2_with_one_line_and_no_secret() {
    const K: &str = "ZQXWZQXWZQXWZQXW";
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec!["code".into(), "--uri".into(), format!("otpauth://totp/X?secret={K}&digits=11")], "digits must be"),
        (vec!["code".into(), "--uri".into(), format!("otpauth://totp/X?secret={K}&period=0")], "period must be"),
        (vec!["code".into(), "--uri".into(), format!("otpauth://totp/X?secret={K}&algorithm=MD5")], "algorithm `MD5`"),
        (vec!["code".into(), "--uri".into(), "otpauth://totp/X?issuer=Y".into()], "link has no secret"),
        (vec!["code".into(), "--uri".into(), "otpauth://totp/X?secret=ZQXW1QXW".into()], "not valid base32"),
        (vec!["code".into(), "--uri".into(), "otpauth:totp".into()], "link has no type"),
        (vec!["code".into(), "--uri".into(), K.into()], "not an otpauth:// link"),
        (vec!["code".into(), "--uri".into(), format!("otpauth://hotp/X?secret={K}")], "no counter"),
        (
            vec!["code".into(), "--uri".into(), format!("otpauth://totp/X?secret={K}"), "--counter".into(), "3".into()],
            "--counter applies to hotp",
        ),
        (
            vec![
                "code".into(),
                "--uri".into(),
                format!("otpauth://hotp/X?secret={K}&counter=1"),
                "--time".into(),
                "3".into(),
            ],
            "--time applies",
        ),
        (
            vec!["code".into(), "--uri".into(), format!("otpauth://totp/X?secret={K}"), "--time".into(), "-5".into()],
            "before 1970",
        ),
        (
            vec![
                "code".into(),
                "--uri".into(),
                "otpauth-migration://offline?data=CjEKCkhlbGxvId6tvu8SGEV4YW1wbGU6YWxpY2VAZ29vZ2xlLmNvbRoHRXhhbXBsZTAC"
                    .into(),
            ],
            "use `twofold-cli inspect`",
        ),
        (vec!["inspect".into(), "otpauth-migration://offline?data=XXXX".into()], "not a google authenticator payload"),
        (
            vec!["inspect".into(), "otpauth-migration://offline?data=inv@lid".into(), "--json".into()],
            "not valid base64",
        ),
        (vec!["inspect".into(), format!("otpauth://totp/X?secret={K}&digits=abc"), "--json".into()], "not `abc`"),
        // Argument errors: a link in the wrong place must not be echoed.
        (vec!["code".into(), format!("otpauth://totp/X?secret={K}")], "use `twofold-cli code --uri LINK`"),
        (
            vec!["code".into(), "--uri".into(), format!("otpauth://totp/X?secret={K}"), "--time".into(), "soon".into()],
            "--time",
        ),
        (vec!["code".into(), "--time".into(), "5".into()], "--uri"),
        (
            vec!["inspect".into(), format!("otpauth://totp/X?secret={K}"), format!("otpauth://totp/Y?secret={K}")],
            "unexpected argument",
        ),
    ];
    for (args, message) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = bad_input(&cli(&args));
        assert!(err.contains(message), "{args:?}: {err}");
        assert!(!err.contains("ZQXW"), "{args:?}: the secret leaked: {err}");
    }
}

/// The code an independent implementation (`twofold_tests::reference`) computes for these parameters.
fn reference_code(algorithm: &str, key: &[u8], digits: u32, counter: u64) -> String {
    let algorithm = match algorithm {
        "SHA1" => Algorithm::Sha1,
        "SHA256" => Algorithm::Sha256,
        _ => Algorithm::Sha512,
    };
    twofold_tests::reference::hotp(algorithm, key, digits, counter)
}

fn base32(bytes: &[u8]) -> String {
    const A: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(char::from(A[((n >> (35 - 5 * i)) & 31) as usize]));
        }
    }
    out
}

proptest! {
    // Each case starts a process; 24 cases keep this under a second or two.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// `twofold-cli code` agrees with the independent implementation on random accounts.
    #[test]
    fn code_agrees_with_reference_on_random_accounts(
        key in proptest::collection::vec(any::<u8>(), 10..65),
        algorithm in prop_oneof![Just("SHA1"), Just("SHA256"), Just("SHA512")],
        digits in 4u32..=10,
        period in 1u32..=300,
        now in 0i64..=4_102_444_800,
        counter in any::<u64>(),
        hotp in any::<bool>(),
    ) {
        let secret = base32(&key);
        let (link, flag, value, moving) = if hotp {
            (format!("otpauth://hotp/R?secret={secret}&algorithm={algorithm}&digits={digits}&counter=0"), "--counter", counter.to_string(), counter)
        } else {
            (format!("otpauth://totp/R?secret={secret}&algorithm={algorithm}&digits={digits}&period={period}"), "--time", now.to_string(), now as u64 / u64::from(period))
        };
        let out = ok_stdout(&cli(&["code", "--uri", &link, flag, &value]));
        prop_assert_eq!(out.trim_end(), reference_code(algorithm, &key, digits, moving));
    }
}
