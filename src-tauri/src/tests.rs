//! Command wiring through Tauri's real IPC path (`tauri::test`), pinning the JSON the UI receives.

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

use crate::state::Paths;

pub(crate) struct Harness {
    pub(crate) _app: App<MockRuntime>,
    pub(crate) window: WebviewWindow<MockRuntime>,
    pub(crate) dir: std::path::PathBuf,
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

pub(crate) fn harness(name: &str) -> Harness {
    let dir = std::env::temp_dir().join(format!("twofold-shell-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let app = crate::configure(mock_builder(), Paths::in_dir(&dir)).build(mock_context(noop_assets())).unwrap();
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    Harness { _app: app, window, dir }
}

impl Harness {
    pub(crate) fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().unwrap(),
            body: InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request).map(|body| body.deserialize::<Value>().unwrap())
    }
}

#[test]
fn a_fresh_folder_has_no_vault() {
    let h = harness("status");
    assert_eq!(h.invoke("vault_status", json!({})), Ok(json!("no_vault")));
}

#[test]
fn commands_needing_an_open_vault_say_locked() {
    let h = harness("locked");
    let id = "00000000-0000-4000-8000-000000000001";
    let locked = json!({"code": "locked", "message": "the vault is locked"});
    assert_eq!(h.invoke("list_accounts", json!({})), Err(locked.clone()));
    assert_eq!(h.invoke("copy_code", json!({"id": id})), Err(locked.clone()));
    assert_eq!(h.invoke("list_recovery_codes", json!({"id": id})), Err(locked.clone()));
}

#[test]
fn unlocking_without_a_vault_or_password_is_a_clear_error() {
    let h = harness("unlock");
    assert_eq!(
        h.invoke("unlock_vault", json!({"password": ""})),
        Err(json!({"code": "invalid_input", "message": "the password is empty"}))
    );
    assert_eq!(
        h.invoke("unlock_vault", json!({"password": "hunter2"})),
        Err(json!({"code": "no_vault", "message": "there is no vault yet"}))
    );
}

#[test]
fn a_short_new_password_is_refused() {
    let h = harness("short");
    assert_eq!(
        h.invoke("create_vault", json!({"password": "short"})),
        Err(json!({"code": "invalid_input", "message": "the password must have at least 8 characters"}))
    );
}

#[test]
fn an_unknown_account_id_is_not_found() {
    let h = harness("notfound");
    assert_eq!(
        h.invoke("copy_code", json!({"id": "not-a-uuid"})),
        Err(json!({"code": "not_found", "message": "no account with id not-a-uuid"}))
    );
}

#[test]
fn settings_round_trip_through_ipc_and_disk() {
    let h = harness("settings");
    assert_eq!(
        h.invoke("get_settings", json!({})),
        Ok(json!({"clipboardClearSeconds": 30, "autoLockMinutes": 5, "privacyMode": false, "contentProtection": true}))
    );
    let changed =
        json!({"clipboardClearSeconds": 5, "autoLockMinutes": 1, "privacyMode": true, "contentProtection": false});
    assert_eq!(h.invoke("update_settings", json!({"settings": changed})), Ok(Value::Null));
    assert_eq!(h.invoke("get_settings", json!({})), Ok(changed.clone()));
    let on_disk: Value = serde_json::from_slice(&std::fs::read(h.dir.join("settings.json")).unwrap()).unwrap();
    assert_eq!(on_disk, changed);
}

#[test]
fn out_of_range_settings_are_refused() {
    let h = harness("badsettings");
    let bad =
        json!({"clipboardClearSeconds": 100000, "autoLockMinutes": 1, "privacyMode": false, "contentProtection": true});
    assert_eq!(
        h.invoke("update_settings", json!({"settings": bad})),
        Err(json!({"code": "invalid_input", "message": "clipboard delay must be at most 3600 seconds"}))
    );
}

#[test]
fn the_data_dir_argument_is_read() {
    let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter();
    assert_eq!(crate::data_dir_arg(args(&["--data-dir", "/x"])), Ok(Some("/x".into())));
    assert_eq!(crate::data_dir_arg(args(&["--data-dir=/y"])), Ok(Some("/y".into())));
    assert_eq!(crate::data_dir_arg(args(&[])), Ok(None));
    assert!(crate::data_dir_arg(args(&["--data-dir"])).is_err());
}

#[test]
fn typed_accounts_are_range_checked_with_the_cores_limits() {
    use crate::ipc::{AlgorithmView, NewAccount, OtpKindView};
    let input = |digits, period, secret: &str| NewAccount {
        issuer: " Example ".into(),
        name: "alice".into(),
        secret: secret.into(),
        kind: OtpKindView::Totp,
        algorithm: AlgorithmView::Sha1,
        digits,
        period,
        counter: 0,
        groups: vec![" Work ".into(), "Work".into(), "".into()],
    };
    let account = crate::commands::account_from_input(&input(6, 30, "GEZD GNBV GY3T QOJQ"), 100).unwrap();
    assert_eq!((account.issuer.as_str(), account.groups.clone()), ("Example", vec!["Work".to_string()]));
    assert!(crate::commands::account_from_input(&input(3, 30, "GEZDGNBV"), 0).is_err());
    assert!(crate::commands::account_from_input(&input(6, 0, "GEZDGNBV"), 0).is_err());
    assert!(crate::commands::account_from_input(&input(6, 30, "not base32!"), 0).is_err());
}

#[test]
fn create_add_by_link_list_lock_and_unlock_through_ipc() {
    let h = harness("roundtrip");
    let password = json!({"password": "correct horse battery"});
    assert_eq!(h.invoke("create_vault", password.clone()), Ok(Value::Null));
    assert_eq!(h.invoke("vault_status", json!({})), Ok(json!("unlocked")));
    let link = "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example";
    let added = h.invoke("add_account_link", json!({"link": link})).unwrap();
    assert_eq!(added["duplicates"], json!([]));
    let again = h.invoke("add_account_link", json!({"link": link})).unwrap();
    assert_eq!(again["duplicates"], json!(["Example (alice)"]));
    let list = h.invoke("list_accounts", json!({})).unwrap();
    let first = &list["accounts"][0];
    assert_eq!((first["issuer"].clone(), first["digits"].clone()), (json!("Example"), json!(6)));
    assert_eq!(first["code"].as_str().map(str::len), Some(6));
    assert!(first.get("secret").is_none(), "a key crossed IPC: {first}");
    assert_eq!(h.invoke("lock_vault", json!({})), Ok(Value::Null));
    assert_eq!(
        h.invoke("unlock_vault", json!({"password": "not it"})),
        Err(json!({"code": "wrong_password", "message": "wrong password"}))
    );
    assert_eq!(h.invoke("unlock_vault", password), Ok(Value::Null));
    assert_eq!(h.invoke("list_accounts", json!({})).unwrap()["accounts"].as_array().map(Vec::len), Some(2));
}
