//! A small W3C WebDriver client over plain HTTP: just what the end-to-end tests use.
//!
//! Elements are found the way a person finds them: by a button's accessible name, a field's label, a heading's
//! text (XPath over the rendered DOM). Every failure is an `Err(String)` naming what was looked for.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

pub type Result<T> = std::result::Result<T, String>;

/// WebDriver's key for element references in JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Session {
    agent: ureq::Agent,
    base: String,
    pub id: String,
    /// The program the session started, waited for on quit.
    application: String,
    /// Started beside another session's app (see [`Session::start_beside`]): quit does not wait.
    beside: bool,
}

#[derive(Clone, Debug)]
pub struct Element(String);

fn quote_xpath(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else {
        let parts: Vec<String> = text.split('\'').map(|p| format!("'{p}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}

impl Session {
    /// Opens a session that launches `application` with `args` through tauri-driver at `base`, once the app of
    /// any earlier session is gone (see [`crate::process`]).
    pub fn start(base: &str, application: &str, args: &[String]) -> Result<Self> {
        crate::process::wait_app_gone(application)?;
        Self::open(base, application, args, false)
    }

    /// Opens a second session while another session's app still runs (two app windows at once). Its
    /// tauri-driver must give the app a session bus of its own, or the app hands over to the first through
    /// the single-instance name and exits. Its [`Session::quit`] does not wait for the app to be gone (the
    /// other app still runs); the first session's quit waits for both.
    pub fn start_beside(base: &str, application: &str, args: &[String]) -> Result<Self> {
        Self::open(base, application, args, true)
    }

    fn open(base: &str, application: &str, args: &[String], beside: bool) -> Result<Self> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // Starting a debug build of the app under WebKitWebDriver can take over a minute on a loaded
            // 2-core machine; every other request is quick.
            .timeout_global(Some(Duration::from_secs(180)))
            .build()
            .into();
        let capabilities = json!({
            "capabilities": {
                "alwaysMatch": {
                    "browserName": "wry",
                    "tauri:options": { "application": application, "args": args }
                }
            }
        });
        let mut session = Self {
            agent,
            base: base.trim_end_matches('/').to_string(),
            id: String::new(),
            application: application.to_string(),
            beside,
        };
        let value = session.request("POST", "/session", Some(capabilities))?;
        session.id = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("no session id in {value}"))?
            .to_string();
        Ok(session)
    }

    fn request(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value> {
        let url = if path == "/session" {
            format!("{}{path}", self.base)
        } else {
            format!("{}/session/{}{path}", self.base, self.id)
        };
        let response = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("DELETE", _) => self.agent.delete(&url).call(),
            (_, body) => self.agent.post(&url).send_json(body.unwrap_or_else(|| json!({}))),
        };
        let mut response = response.map_err(|e| format!("{method} {path}: {e}"))?;
        let status = response.status();
        let json: Value = response.body_mut().read_json().map_err(|e| format!("{method} {path}: bad JSON: {e}"))?;
        let value = json.get("value").cloned().unwrap_or(Value::Null);
        if !status.is_success() {
            let message = value.get("message").and_then(Value::as_str).unwrap_or("");
            let error = value.get("error").and_then(Value::as_str).unwrap_or("unknown error");
            return Err(format!("{method} {path}: {status} {error}: {message}"));
        }
        Ok(value)
    }

    /// Ends the session and returns once its app has exited and released the single-instance name: `DELETE
    /// /session` alone returns before that, and an app started meanwhile would hand over to the dying one.
    pub fn quit(&self) -> Result<()> {
        self.request("DELETE", "", None)?;
        if self.beside {
            return Ok(());
        }
        crate::process::wait_app_gone(&self.application)
    }

    pub fn find_all_xpath(&self, xpath: &str) -> Result<Vec<Element>> {
        let value = self.request("POST", "/elements", Some(json!({"using": "xpath", "value": xpath})))?;
        Ok(value
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|e| e.get(ELEMENT_KEY).and_then(Value::as_str))
                    .map(|s| Element(s.to_string()))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Waits up to `timeout` for at least one displayed element matching `xpath`.
    pub fn wait_xpath(&self, what: &str, xpath: &str, timeout: Duration) -> Result<Element> {
        let start = Instant::now();
        loop {
            // The UI renders views conditionally (nothing is kept hidden by CSS), so present means shown.
            if let Some(element) = self.find_all_xpath(xpath)?.into_iter().next() {
                return Ok(element);
            }
            if start.elapsed() > timeout {
                return Err(format!("{what} did not appear within {timeout:?}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// A button (or tab, or link) by its accessible name: `aria-label` or its visible text.
    pub fn button(&self, name: &str) -> Result<Element> {
        let q = quote_xpath(name);
        self.wait_xpath(
            &format!("button `{name}`"),
            &format!("//*[self::button or @role='button' or @role='tab'][@aria-label={q} or normalize-space(.)={q}]"),
            Duration::from_secs(10),
        )
    }

    /// A form field by the text of its `<label>` (or its `aria-label`).
    pub fn field(&self, label: &str) -> Result<Element> {
        let q = quote_xpath(label);
        self.wait_xpath(
            &format!("field labelled `{label}`"),
            &format!(
                "//*[self::input or self::textarea or self::select][@id=//label[normalize-space(.)={q}]/@for or @aria-label={q}] \
                 | //label[normalize-space(.)={q}]//input"
            ),
            Duration::from_secs(10),
        )
    }

    /// A heading with exactly this text.
    pub fn heading(&self, text: &str, timeout: Duration) -> Result<Element> {
        let q = quote_xpath(text);
        self.wait_xpath(
            &format!("heading `{text}`"),
            &format!("//*[self::h1 or self::h2][normalize-space(.)={q}]"),
            timeout,
        )
    }

    /// An element with `role="alert"` whose text contains `text`.
    pub fn alert(&self, text: &str, timeout: Duration) -> Result<Element> {
        let q = quote_xpath(text);
        self.wait_xpath(
            &format!("alert `{text}`"),
            &format!("//*[@role='alert'][contains(normalize-space(.), {q})]"),
            timeout,
        )
    }

    /// Clicks `element`. An element that is momentarily not interactable (a view still settling on a loaded
    /// machine) is tried again for up to 5 s, as a person would wait for it; any other error is returned.
    pub fn click(&self, element: &Element) -> Result<()> {
        let start = std::time::Instant::now();
        loop {
            match self.request("POST", &format!("/element/{}/click", element.0), None) {
                Err(e) if e.contains("not interactable") && start.elapsed() < Duration::from_secs(5) => {
                    std::thread::sleep(Duration::from_millis(200));
                }
                result => return result.map(drop),
            }
        }
    }

    pub fn type_text(&self, element: &Element, text: &str) -> Result<()> {
        self.request("POST", &format!("/element/{}/value", element.0), Some(json!({ "text": text }))).map(drop)
    }

    pub fn clear(&self, element: &Element) -> Result<()> {
        self.request("POST", &format!("/element/{}/clear", element.0), None).map(drop)
    }

    pub fn text(&self, element: &Element) -> Result<String> {
        let v = self.request("GET", &format!("/element/{}/text", element.0), None)?;
        Ok(v.as_str().unwrap_or_default().to_string())
    }

    /// Runs synchronous JavaScript in the page (only to measure, never to drive the app).
    pub fn execute(&self, script: &str) -> Result<Value> {
        self.request("POST", "/execute/sync", Some(json!({ "script": script, "args": [] })))
    }

    /// Runs asynchronous JavaScript in the page: the script calls its last argument with the result.
    pub fn execute_async(&self, script: &str, args: Value) -> Result<Value> {
        self.request("POST", "/execute/async", Some(json!({ "script": script, "args": args })))
    }

    /// Resizes the window (CSS pixels).
    pub fn set_window_size(&self, width: u32, height: u32) -> Result<()> {
        self.request("POST", "/window/rect", Some(json!({ "width": width, "height": height }))).map(drop)
    }

    /// A PNG of the window.
    pub fn screenshot(&self) -> Result<Vec<u8>> {
        let v = self.request("GET", "/screenshot", None)?;
        let b64 = v.as_str().ok_or("screenshot was not a string")?;
        decode_base64(b64)
    }
}

fn decode_base64(text: &str) -> Result<Vec<u8>> {
    data_encoding::BASE64.decode(text.trim().as_bytes()).map_err(|e| format!("screenshot is not base64: {e}"))
}
