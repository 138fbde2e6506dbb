//! Tests of `switcher`.

use std::cell::RefCell;

use super::*;

#[test]
fn parses_and_spells_combinations_one_way() {
    for (text, spelled) in [
        ("Ctrl+Alt+K", "Ctrl+Alt+K"),
        ("ctrl+alt+k", "Ctrl+Alt+K"),
        ("  Control+Shift+KeyP ", "Ctrl+Shift+P"),
        ("Super+1", "Super+1"),
        ("Alt+Shift+Digit7", "Alt+Shift+7"),
        ("Ctrl+Space", "Ctrl+Space"),
        ("F7", "F7"),
        ("Shift+F12", "Shift+F12"),
    ] {
        let parsed = parse(text).unwrap().unwrap();
        assert_eq!(canonical(&parsed), spelled, "{text}");
        // The stored spelling reads back to the same shortcut.
        assert_eq!(parse(spelled).unwrap(), Some(parsed), "{spelled}");
    }
    assert_eq!(normalize(None).unwrap(), None);
    assert_eq!(normalize(Some("   ")).unwrap(), None);
}

#[test]
fn refuses_what_is_not_a_combination_or_would_steal_a_key() {
    for text in ["Ctrl+Alt+", "Ctrl+Banana", "Hyper+K", "Ctrl+K+L"] {
        let error = parse(text).unwrap_err();
        assert_eq!(error, Text::new(Key::ShortcutNotCombination).with("text", text.trim()), "{text}");
        assert!(error.to_string().contains("is not a key combination"), "{text}: {error}");
    }
    for text in ["K", "Shift+K", "Space"] {
        let error = parse(text).unwrap_err();
        assert_eq!(error, Text::new(Key::ShortcutNeedsModifier).with("text", text.trim()), "{text}");
        assert!(error.to_string().contains("needs Ctrl, Alt or Super"), "{text}: {error}");
    }
}

/// Records calls; refuses to register the combinations in `taken` (as when another program holds them).
#[derive(Default)]
struct Recorder {
    calls: RefCell<Vec<String>>,
    taken: Vec<&'static str>,
}

impl Registrar for Recorder {
    fn register(&self, shortcut: Shortcut) -> Result<(), String> {
        let name = canonical(&shortcut);
        self.calls.borrow_mut().push(format!("register {name}"));
        if self.taken.contains(&name.as_str()) {
            return Err("already registered".into());
        }
        Ok(())
    }
    fn unregister(&self, shortcut: Shortcut) -> Result<(), String> {
        self.calls.borrow_mut().push(format!("unregister {}", canonical(&shortcut)));
        Ok(())
    }
}

#[test]
fn a_new_shortcut_replaces_the_old_one() {
    let recorder = Recorder::default();
    switch(&recorder, None, Some("Ctrl+Alt+K")).unwrap();
    switch(&recorder, Some("Ctrl+Alt+K"), Some("Super+J")).unwrap();
    switch(&recorder, Some("Super+J"), Some("Super+J")).unwrap();
    switch(&recorder, Some("Super+J"), None).unwrap();
    assert_eq!(
        recorder.calls.into_inner(),
        ["register Ctrl+Alt+K", "unregister Ctrl+Alt+K", "register Super+J", "unregister Super+J"]
    );
}

#[test]
fn a_combination_held_elsewhere_is_refused_and_the_old_one_kept() {
    let recorder = Recorder { taken: vec!["Ctrl+Alt+T"], ..Recorder::default() };
    let error = switch(&recorder, Some("Ctrl+Alt+K"), Some("ctrl+alt+t")).unwrap_err();
    assert!(error.to_string().starts_with("Ctrl+Alt+T could not be set up as a global shortcut"), "{error}");
    assert_eq!(error, Text::new(Key::ShortcutTaken).with("shortcut", "Ctrl+Alt+T"), "{error}");
    assert!(error.to_string().contains("another program"), "{error}");
    assert_eq!(recorder.calls.into_inner(), ["unregister Ctrl+Alt+K", "register Ctrl+Alt+T", "register Ctrl+Alt+K"]);
}

#[test]
fn an_unparsable_combination_changes_nothing() {
    let recorder = Recorder::default();
    assert!(switch(&recorder, Some("Ctrl+Alt+K"), Some("Ctrl+Nope")).is_err());
    assert!(recorder.calls.into_inner().is_empty());
}

#[test]
fn the_setting_is_validated_spelled_one_way_and_persisted_through_ipc() {
    use serde_json::{Value, json};
    let h = crate::testing::harness("switcher-setting");
    let mut settings = h.invoke("get_settings", json!({})).unwrap();
    assert_eq!(settings.get("quickSwitcherShortcut"), None, "off by default");
    settings["quickSwitcherShortcut"] = json!("control+alt+k");
    assert_eq!(h.invoke("update_settings", json!({"settings": settings.clone()})), Ok(Value::Null));
    let saved = h.invoke("get_settings", json!({})).unwrap();
    assert_eq!(saved["quickSwitcherShortcut"], json!("Ctrl+Alt+K"));
    let on_disk: Value = serde_json::from_slice(&std::fs::read(h.dir.join("settings.json")).unwrap()).unwrap();
    assert_eq!(on_disk["quickSwitcherShortcut"], json!("Ctrl+Alt+K"));

    settings["quickSwitcherShortcut"] = json!("Ctrl+Alt+Banana");
    let refused = h.invoke("update_settings", json!({"settings": settings.clone()})).unwrap_err();
    assert_eq!(refused["code"], json!("invalid_input"));
    let message = refused["message"].as_str().unwrap();
    assert!(message.starts_with("\u{201c}Ctrl+Alt+Banana\u{201d} is not a key combination"), "{message}");
    assert_eq!(h.invoke("get_settings", json!({})).unwrap(), saved, "a refused shortcut changes nothing");

    settings["quickSwitcherShortcut"] = json!("  ");
    assert_eq!(h.invoke("update_settings", json!({"settings": settings})), Ok(Value::Null));
    assert_eq!(h.invoke("get_settings", json!({})).unwrap().get("quickSwitcherShortcut"), None);
}

#[test]
fn old_settings_files_have_the_switcher_off() {
    let old = serde_json::json!({"clipboardClearSeconds": 5, "autoLockMinutes": 1});
    let settings: crate::ipc::Settings = serde_json::from_value(old).unwrap();
    assert_eq!(settings.quick_switcher_shortcut, None);
}

#[test]
fn the_status_names_a_wayland_session() {
    let h = crate::testing::harness("switcher-status");
    let status = h.invoke("quick_switcher_status", serde_json::json!({})).unwrap();
    assert_eq!(status["wayland"], serde_json::json!(is_wayland()));
    assert_eq!(status["error"], serde_json::Value::Null);
}
