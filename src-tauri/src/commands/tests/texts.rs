//! Issue 18 point 1 through Tauri's IPC path: what the shell tells a person (an error's detail, an import
//! problem, a scan note, an export loss) arrives as a key of the UI's catalog with its parameters, never only as
//! English words.

use serde_json::{Value, json};
use twofold_core::export::qr::QrMatrix;

use crate::dialog::Kind;
use crate::testing::{Harness, harness};

const PASSWORD: &str = "correct horse battery";

fn with_vault(name: &str) -> Harness {
    let h = harness(name);
    assert_eq!(h.invoke("create_vault", json!({"password": PASSWORD})), Ok(Value::Null));
    h
}

#[test]
fn an_error_arrives_with_its_detail_as_a_key() {
    let h = harness("texts-error");
    assert_eq!(
        h.invoke_worded("create_vault", json!({"password": "short"})),
        Err(json!({
            "code": "invalid_input",
            "message": "the password must have at least 8 characters",
            "detail": {"key": "detail.password_too_short", "params": {}},
        }))
    );
    let h = with_vault("texts-error-settings");
    let mut settings = h.invoke("get_settings", json!({})).unwrap();
    settings["clipboardClearSeconds"] = json!(99_999);
    let error = h.invoke_worded("update_settings", json!({"settings": settings})).unwrap_err();
    assert_eq!(error["detail"], json!({"key": "detail.setting_clipboard_delay", "params": {"max": "3600"}}));
}

#[test]
fn a_scan_note_arrives_as_a_key() {
    let h = with_vault("texts-scan");
    let path = h.dir.join("odd.png");
    let link = "otpauth://totp/Odd:carol?secret=JBSWY3DPE&issuer=Odd";
    std::fs::write(&path, &*QrMatrix::encode(link).unwrap().to_png(4).unwrap()).unwrap();
    let found = h.invoke("scan_image", json!({"file": h.file(&path, Kind::Read)})).unwrap();
    let unusual = json!({"key": "detail.warn_unusual_key_length", "params": {"count": 9}});
    assert_eq!(found["notes"], json!([unusual]), "{found}");
    assert_eq!(found["accounts"][0]["warnings"], json!([unusual]), "{found}");
}

#[test]
fn an_export_loss_arrives_as_a_key() {
    let h = with_vault("texts-export");
    for link in [
        "otpauth://totp/Alpha:me?secret=JBSWY3DPEHPK3PXP&issuer=Alpha",
        "otpauth://totp/Slow:me?secret=GEZDGNBVGY3TQOJQ&issuer=Slow&period=60",
    ] {
        h.invoke("add_account_link", json!({"link": link})).unwrap();
    }
    let transfer = h.invoke("show_transfer_codes", json!({"password": PASSWORD})).unwrap();
    assert_eq!(
        transfer["skipped"],
        json!([{"key": "detail.export_skipped", "params": {
            "account": "Slow (me)",
            "reason": {"key": "detail.transfer_period", "params": {"value": "60"}}
        }}])
    );
}

/// Every plain parameter of `text` (nested ones too) except the file's name: none may be an English sentence.
fn plain_params<'a>(text: &'a Value, out: &mut Vec<(&'a str, &'a str)>) {
    for (name, value) in text["params"].as_object().into_iter().flatten() {
        match value {
            Value::Object(_) => plain_params(value, out),
            Value::String(plain) if name != "file" => out.push((name, plain)),
            _ => {}
        }
    }
}

/// Issue 18 point 1: a damaged file of another app fails with the importer's typed reason, worded by its own
/// key, never with English words in a parameter ("the Bitwarden export has no kdfIterations" reached a German
/// reader as it was).
#[test]
fn a_damaged_peer_file_arrives_as_typed_keys() {
    let h = with_vault("texts-damaged");
    let open = |name: &str, bytes: &[u8], password: Option<&str>| {
        let path = h.dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let chosen = h.invoke_worded("choose_import_file", json!({"file": h.file(&path, Kind::Read)}));
        let error = match (chosen, password) {
            (Ok(file), Some(password)) => {
                assert_eq!(file["encrypted"], json!(true), "{file}");
                h.invoke_worded("unlock_import_file", json!({"password": password})).unwrap_err()
            }
            (chosen, _) => chosen.unwrap_err(),
        };
        assert_eq!(error["code"], json!("invalid_input"), "{error}");
        assert_eq!(error["detail"]["key"], json!("detail.in_file"), "{error}");
        assert_eq!(error["detail"]["params"]["file"], json!(name), "{error}");
        let mut plain = Vec::new();
        plain_params(&error["detail"], &mut plain);
        for (param, value) in plain {
            assert!(!value.contains(' '), "{name}: the parameter {param} is English prose: {value:?}");
        }
        error["detail"]["params"]["reason"].clone()
    };
    let damaged = |why: Value| json!({"key": "detail.import_damaged", "params": {"reason": why}});

    // A password-protected Bitwarden export whose kdfIterations was cut out.
    let bitwarden = br#"{"encrypted":true,"passwordProtected":true,"salt":"s","kdfType":0,"data":"2.AA==|AA==|AA=="}"#;
    assert_eq!(
        open("bitwarden_export.json", bitwarden, Some("x")),
        damaged(json!({"key": "detail.why_missing_field", "params": {"field": "kdfIterations"}}))
    );
    // An encrypted andOTP backup cut after ten bytes.
    assert_eq!(
        open("otp_accounts.json.aes.andotp", &[7u8; 10], Some("x")),
        damaged(json!({"key": "detail.why_ends_early", "params": {}}))
    );
    // A FreeOTP tokens.xml cut before its closing </map>.
    let freeotp =
        br#"<?xml version='1.0' encoding='utf-8' standalone='yes' ?><map><string name="tokenOrder">["a"]</string>"#;
    assert_eq!(open("tokens.xml", freeotp, None), damaged(json!({"key": "detail.why_ends_early", "params": {}})));
    // An Aegis vault whose slot asks for a gigabyte of scrypt memory: the range comes as numbers.
    let aegis = br#"{"version":1,"header":{"slots":[{"type":1,"uuid":"u","key":"00","key_params":{"nonce":"00","tag":"00"},"n":1073741824,"r":8,"p":1,"salt":"00"}],"params":{"nonce":"00","tag":"00"}},"db":"AAAA"}"#;
    assert_eq!(
        open("aegis.json", aegis, Some("x")),
        json!({"key": "detail.import_kdf_out_of_range", "params": {"reason": {"key": "detail.why_out_of_range", "params": {
            "field": "n", "value": "1073741824", "min": "2", "max": "1048576"
        }}}})
    );
}

/// Issue 18: an account with neither issuer nor name reached the UI as the core's English "(unnamed account)"
/// (a duplicate's name, an imported account's name). Labels now arrive empty, for the UI to word.
#[test]
fn an_unnamed_account_arrives_with_an_empty_label() {
    let h = with_vault("texts-unnamed");
    let link = "otpauth://totp/?secret=JBSWY3DPEHPK3PXP";
    h.invoke("add_account_link", json!({"link": link})).unwrap();
    let again = h.invoke("add_account_link", json!({"link": link})).unwrap();
    assert_eq!(again["duplicates"], json!([""]));
    let path = h.dir.join("links.txt");
    std::fs::write(&path, format!("{link}\notpauth://totp/?secret=KRSXG5CTMVRXEZLU\n")).unwrap();
    let file = h.invoke("choose_import_file", json!({"file": h.file(&path, Kind::Read)})).unwrap();
    // The vault holds the unnamed account twice (added again above).
    assert_eq!(file["preview"]["entries"][0]["duplicates"], json!(["", ""]), "{file}");
    let outcome = h.invoke("import_accounts", json!({"indices": [1]})).unwrap();
    assert_eq!(outcome["added"], json!([""]), "{outcome}");
    assert!(!outcome.to_string().contains("unnamed"), "{outcome}");
}
