//! Tests of `error`.

use super::*;
use serde_json::json;
use twofold_core::import::Why;

#[test]
fn errors_serialize_as_code_message_and_detail() {
    let raw = |text: &str| json!({"key": "detail.raw", "params": {"text": text}});
    let cases = [
        (
            ShellError::WrongPassword,
            json!({"code": "wrong_password", "message": "wrong password",
                   "detail": {"key": "detail.wrong_password", "params": {}}}),
        ),
        (
            ShellError::Locked,
            json!({"code": "locked", "message": "the vault is locked",
                   "detail": {"key": "detail.vault_is_locked", "params": {}}}),
        ),
        (
            ShellError::NoVault,
            json!({"code": "no_vault", "message": "there is no vault yet",
                   "detail": {"key": "detail.no_vault_yet", "params": {}}}),
        ),
        (
            ShellError::VaultExists("/v".into()),
            json!({"code": "vault_exists", "message": "a vault already exists at /v",
                   "detail": {"key": "detail.vault_exists_at", "params": {"path": "/v"}}}),
        ),
        (
            ShellError::NotFound("x".into()),
            json!({"code": "not_found", "message": "no account with id x",
                   "detail": {"key": "detail.no_account_with_id", "params": {"id": "x"}}}),
        ),
        (
            ShellError::InvalidInput("the key is empty".into()),
            json!({"code": "invalid_input", "message": "the key is empty", "detail": raw("the key is empty")}),
        ),
        (ShellError::Io("disk full".into()), json!({"code": "io", "message": "disk full", "detail": raw("disk full")})),
        (
            ShellError::Clipboard("no display".into()),
            json!({"code": "clipboard", "message": "clipboard: no display",
                   "detail": {"key": "detail.clipboard", "params": {"reason": "no display"}}}),
        ),
        (
            ShellError::FileExists("/home/ann/x.json".into()),
            json!({"code": "file_exists", "message": "/home/ann/x.json already exists",
                   "detail": {"key": "detail.file_exists_at", "params": {"path": "/home/ann/x.json"}}}),
        ),
        (
            ShellError::NotAvailable("the vault"),
            json!({"code": "not_available", "message": "the vault is not available in this build yet",
                   "detail": {"key": "detail.not_in_this_build", "params": {"what": "the vault"}}}),
        ),
    ];
    for (error, expected) in cases {
        assert_eq!(serde_json::to_value(&error).unwrap(), expected, "{error:?}");
    }
}

/// The English message of a detail is the catalog's wording, so logs and the English UI say the same.
fn assert_english(error: &ShellError) {
    assert_eq!(error.to_string(), error.detail().to_string());
    assert!(!error.detail().key.ends_with(".raw"), "{error:?} still sends English words");
}

#[test]
fn core_errors_arrive_as_keys_with_parameters() {
    let disk_full = std::io::Error::from(std::io::ErrorKind::StorageFull);
    let error =
        ShellError::from(BackupError::Io { action: "write", path: "/media/usb/b.twofold".into(), source: disk_full });
    assert_eq!(error.code(), ErrorCode::Io);
    assert_eq!(
        serde_json::to_value(error.detail()).unwrap(),
        json!({"key": "detail.io_write", "params": {
            "path": "/media/usb/b.twofold",
            "reason": {"key": "detail.os_disk_full", "params": {}}
        }})
    );
    assert_eq!(error.to_string(), "could not write /media/usb/b.twofold: the disk is full");
    assert_english(&error);

    let error = ShellError::from_import("keys.json", ImportError::Damaged { why: Why::NotJson });
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert_eq!(
        serde_json::to_value(error.detail()).unwrap(),
        json!({"key": "detail.in_file", "params": {
            "file": "keys.json",
            "reason": {"key": "detail.import_damaged", "params": {
                "reason": {"key": "detail.why_not_json", "params": {}}
            }}
        }})
    );
    assert_eq!(error.to_string(), "keys.json: the file is damaged or incomplete: it is not valid JSON");

    for error in [
        ShellError::from(VaultError::Stale { expected: 1, found: 2 }),
        ShellError::from(VaultError::EmptyPassword),
        ShellError::from(ExportError::NothingToExport { skipped: 2 }),
        ShellError::from(SyncError::NoFolder { path: "/gone".into() }),
        ShellError::from(WriteError::NotAFile { path: "/tmp".into() }),
        ShellError::from(FollowError::UnknownSource),
        ShellError::from(CameraError::Busy { camera: "Webcam".into() }),
        ShellError::from_qr(QrError::NoCode { path: "a.png".into() }, "a.png".into()),
        ShellError::not_authenticator(3),
        ShellError::from_import("a.json", ImportError::Cancelled),
        ShellError::named(ErrorCode::ForeignExport, "Aegis"),
    ] {
        assert_english(&error);
    }
}
