//! An account's own picture through Tauri's IPC path (issue 19 point 3): set from a PNG or an SVG file token,
//! listed by fingerprint only, fetched as a `data:` PNG, kept after locking and unlocking, removed; bad files
//! refused with their reason and nothing changed.

use serde_json::{Value, json};

use crate::testing::{Harness, harness};

const PASSWORD: &str = "correct horse battery";

fn with_account(name: &str) -> (Harness, String) {
    let h = harness(name);
    h.invoke("create_vault", json!({"password": PASSWORD})).unwrap();
    h.invoke("add_account_link", json!({"link": "otpauth://totp/Acme:alice?secret=JBSWY3DPEHPK3PXP&issuer=Acme"}))
        .unwrap();
    let list = h.invoke("list_accounts", json!({})).unwrap();
    let id = list["accounts"][0]["id"].as_str().unwrap().to_owned();
    (h, id)
}

fn file(h: &Harness, name: &str, bytes: &[u8]) -> String {
    let path = h.dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    h.file(&path, crate::dialog::Kind::Read)
}

fn message(answer: Result<Value, Value>) -> String {
    answer.unwrap_err()["message"].as_str().unwrap().to_owned()
}

fn listed_icon(h: &Harness) -> Value {
    h.invoke("list_accounts", json!({})).unwrap()["accounts"][0]["icon"].clone()
}

#[test]
fn a_picture_is_set_listed_by_fingerprint_kept_and_removed() {
    let (h, id) = with_account("icons_set");
    assert_eq!(listed_icon(&h), Value::Null);
    assert_eq!(h.invoke("account_icon", json!({"id": id})), Ok(Value::Null));

    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="5" fill="#0a0"/></svg>"##;
    let token = file(&h, "logo.svg", svg);
    assert_eq!(h.invoke("set_account_icon", json!({"id": id, "file": token})), Ok(Value::Bool(true)));
    let fingerprint = listed_icon(&h);
    assert!(fingerprint.as_str().is_some_and(|f| f.len() == 16), "{fingerprint}");
    // The list carries no picture: only its fingerprint. The picture comes as a PNG we encoded, never the SVG.
    let list = h.invoke("list_accounts", json!({})).unwrap().to_string();
    assert!(!list.contains("data:") && !list.contains("<svg"));
    let url = h.invoke("account_icon", json!({"id": id})).unwrap();
    let url = url.as_str().unwrap();
    assert!(url.starts_with("data:image/png;base64,"), "{url}");
    assert!(!url.contains("svg"));

    // Kept in the vault: still there after a lock and an unlock.
    h.invoke("lock_vault", json!({})).unwrap();
    h.invoke("unlock_vault", json!({"password": PASSWORD})).unwrap();
    assert_eq!(listed_icon(&h), fingerprint);

    // Another picture, another fingerprint.
    let mut png = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut png, 300, 300);
        encoder.set_color(png::ColorType::Rgba);
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(&[200, 10, 10, 255].repeat(300 * 300)).unwrap();
    }
    let token = file(&h, "photo.png", &png);
    h.invoke("set_account_icon", json!({"id": id, "file": token})).unwrap();
    assert_ne!(listed_icon(&h), fingerprint);

    h.invoke("remove_account_icon", json!({"id": id})).unwrap();
    assert_eq!(listed_icon(&h), Value::Null);
    assert_eq!(h.invoke("account_icon", json!({"id": id})), Ok(Value::Null));
}

#[test]
fn bad_pictures_are_refused_with_their_reason_and_change_nothing() {
    let (h, id) = with_account("icons_bad");
    let token = file(&h, "notes.txt", b"not a picture");
    let err = message(h.invoke("set_account_icon", json!({"id": id, "file": token})));
    assert!(err.contains("notes.txt") && err.contains("not a PNG, JPEG, WebP, GIF or SVG"), "{err}");
    let token = file(&h, "broken.svg", b"<svg");
    let err = message(h.invoke("set_account_icon", json!({"id": id, "file": token})));
    assert!(err.contains("broken.svg") && err.contains("could not be read"), "{err}");
    assert_eq!(listed_icon(&h), Value::Null);
    // A token chosen for writing (an export's destination) cannot be read as a picture.
    let path = h.dir.join("out.png");
    let write_token = h.file(&path, crate::dialog::Kind::Write);
    assert!(h.invoke("set_account_icon", json!({"id": id, "file": write_token})).is_err());
    // An unknown account.
    let token = file(&h, "ok.svg", br#"<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>"#);
    let unknown = "00000000-0000-0000-0000-000000000000";
    assert!(h.invoke("set_account_icon", json!({"id": unknown, "file": token})).is_err());
}
