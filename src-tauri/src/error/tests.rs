//! Tests of `error`.

use super::*;
use serde_json::json;

#[test]
fn errors_serialize_as_code_and_message() {
    let cases = [
        (ShellError::WrongPassword, json!({"code": "wrong_password", "message": "wrong password"})),
        (ShellError::Locked, json!({"code": "locked", "message": "the vault is locked"})),
        (ShellError::NoVault, json!({"code": "no_vault", "message": "there is no vault yet"})),
        (
            ShellError::VaultExists("/v".into()),
            json!({"code": "vault_exists", "message": "a vault already exists at /v"}),
        ),
        (ShellError::NotFound("x".into()), json!({"code": "not_found", "message": "no account with id x"})),
        (
            ShellError::InvalidInput("the key is empty".into()),
            json!({"code": "invalid_input", "message": "the key is empty"}),
        ),
        (ShellError::Io("disk full".into()), json!({"code": "io", "message": "disk full"})),
        (
            ShellError::Vault("vault file is corrupt or was tampered with".into()),
            json!({"code": "vault", "message": "vault file is corrupt or was tampered with"}),
        ),
        (ShellError::Clipboard("no display".into()), json!({"code": "clipboard", "message": "clipboard: no display"})),
        (
            ShellError::FileExists("/home/ann/x.json".into()),
            json!({"code": "file_exists", "message": "/home/ann/x.json already exists"}),
        ),
        (
            ShellError::NotAvailable("the vault"),
            json!({"code": "not_available", "message": "the vault is not available in this build yet"}),
        ),
    ];
    for (error, expected) in cases {
        assert_eq!(serde_json::to_value(&error).unwrap(), expected, "{error:?}");
    }
}
