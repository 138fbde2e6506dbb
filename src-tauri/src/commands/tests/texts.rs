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
