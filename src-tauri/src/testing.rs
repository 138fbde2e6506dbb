//! The test harness: the app configured as `run` does, on Tauri's mock runtime, in a temporary data folder,
//! and commands invoked through Tauri's real IPC path (`tauri::test`), so tests pin the JSON the UI receives.

use serde_json::Value;
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
    crate::wire(app.handle());
    let window = WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    Harness { _app: app, window, dir }
}

impl Harness {
    /// Hands `path` in as the webview would get it from the chooser: a token for `kind` (the test-only way to
    /// name a file; the webview itself never names a path).
    pub(crate) fn file(&self, path: &std::path::Path, kind: crate::dialog::Kind) -> String {
        use tauri::Manager as _;
        self._app.state::<crate::dialog::Files>().register(path.to_path_buf(), kind, false).unwrap().token
    }

    /// Calls `cmd`; an error comes back as `{code, message}` (its English words), which is what most tests pin.
    /// The `detail` the UI words is checked by the tests that call [`Harness::invoke_worded`].
    pub(crate) fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.invoke_worded(cmd, args).map_err(|mut error| {
            if let Some(fields) = error.as_object_mut() {
                fields.remove("detail");
            }
            error
        })
    }

    /// Calls `cmd`; an error comes back whole, with the `detail` the UI words (`{key, params}`).
    pub(crate) fn invoke_worded(&self, cmd: &str, args: Value) -> Result<Value, Value> {
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
