//! The quick switcher's global shortcut (`Settings::quick_switcher_shortcut`, off by default).
//!
//! The shortcut is registered from Rust through the official `tauri-plugin-global-shortcut` (the webview is
//! granted none of its commands). Pressing it shows, unminimizes and focuses the main window and emits
//! [`EVENT_QUICK_SWITCHER`]; the UI opens its search overlay (after the unlock screen when the vault is locked).
//! Enter there copies a code through `copy_code` (the same clipboard clearing as a card click) and calls
//! [`hide_window`].
//!
//! Text like `Ctrl+Alt+K` is parsed by the plugin's own parser ([`Shortcut`]) and stored in one canonical
//! spelling ([`canonical`]). A combination another program already holds fails to register: the setting is
//! then refused with a clear error and the previous shortcut stays in place. On Wayland, programs cannot grab
//! keys pressed in other windows (the plugin uses X11 grabs, which only see X11 windows): the settings page
//! says so, and `twofold --quick-switcher` (for a shortcut set in the desktop's own keyboard settings) does the
//! same as the shortcut through the single-instance plugin.

use std::str::FromStr;
use std::sync::Mutex;

use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_global_shortcut::{Code, GlobalShortcut, Modifiers, Shortcut, ShortcutState};

use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{EVENT_QUICK_SWITCHER, QuickSwitcherOpen, QuickSwitcherStatus};
use crate::rt::Guarded;
use crate::state::AppState;
use crate::text::{Key, Text};

/// The command-line flag that opens the switcher in the running instance (for desktop-defined shortcuts).
pub const ARG_QUICK_SWITCHER: &str = "--quick-switcher";

/// The startup registration's failure, for [`quick_switcher_status`].
#[derive(Default)]
pub struct SwitcherState {
    startup_error: Mutex<Option<Text>>,
}

impl SwitcherState {
    fn set_error(&self, error: Option<Text>) {
        *self.startup_error.guard() = error;
    }
}

/// Parses `text` (`Ctrl+Alt+K`, `Super+Shift+F2`…) into a shortcut. Empty (or only spaces) means none.
///
/// A combination needs Ctrl, Alt or Super unless its key is a function key: a bare letter or Shift+letter
/// would take that key away from every other program.
pub fn parse(text: &str) -> Result<Option<Shortcut>, Text> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    // The parser's own words ("Couldn't recognize…") are English; the key names the text instead.
    let shortcut = Shortcut::from_str(text).map_err(|_| Text::new(Key::ShortcutNotCombination).with("text", text))?;
    let commanding = Modifiers::CONTROL | Modifiers::ALT | Modifiers::SUPER | Modifiers::META;
    if !shortcut.mods.intersects(commanding) && !is_function_key(shortcut.key) {
        return Err(Text::new(Key::ShortcutNeedsModifier).with("text", text));
    }
    Ok(Some(shortcut))
}

fn is_function_key(code: Code) -> bool {
    let name = code.to_string();
    name.strip_prefix('F').is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The spelling we store and show: modifiers in a fixed order, then the key without `Key`/`Digit` prefixes
/// (`Ctrl+Alt+K`, `Super+Shift+1`, `Ctrl+F5`). The plugin's parser reads it back to the same shortcut.
pub fn canonical(shortcut: &Shortcut) -> String {
    let mut parts = Vec::new();
    for (flag, name) in [
        (Modifiers::CONTROL, "Ctrl"),
        (Modifiers::ALT, "Alt"),
        (Modifiers::SHIFT, "Shift"),
        (Modifiers::SUPER | Modifiers::META, "Super"),
    ] {
        if shortcut.mods.intersects(flag) {
            parts.push(name.to_string());
        }
    }
    let key = shortcut.key.to_string();
    let key = key.strip_prefix("Key").or_else(|| key.strip_prefix("Digit")).unwrap_or(&key).to_string();
    parts.push(key);
    parts.join("+")
}

/// Validates the setting's text and returns its canonical spelling (`None` = off).
pub fn normalize(text: Option<&str>) -> Result<Option<String>, Text> {
    Ok(parse(text.unwrap_or(""))?.map(|s| canonical(&s)))
}

/// Where shortcuts get registered: the plugin in the app, a recorder in tests.
pub trait Registrar {
    fn register(&self, shortcut: Shortcut) -> Result<(), String>;
    fn unregister(&self, shortcut: Shortcut) -> Result<(), String>;
}

impl<R: Runtime> Registrar for GlobalShortcut<R> {
    fn register(&self, shortcut: Shortcut) -> Result<(), String> {
        GlobalShortcut::register(self, shortcut).map_err(|e| e.to_string())
    }
    fn unregister(&self, shortcut: Shortcut) -> Result<(), String> {
        GlobalShortcut::unregister(self, shortcut).map_err(|e| e.to_string())
    }
}

/// Replaces the registered shortcut `old` by `new` (canonical texts or `None`). On failure the old one is put
/// back and the error names the combination; on success `old` is no longer registered.
pub fn switch(registrar: &impl Registrar, old: Option<&str>, new: Option<&str>) -> Result<(), Text> {
    // The old text was valid when it was saved; a hand-edited settings file may hold anything.
    let old = old.and_then(|t| parse(t).ok().flatten());
    let new_shortcut = parse(new.unwrap_or(""))?;
    if old == new_shortcut {
        return Ok(());
    }
    if let Some(old) = old {
        // It may never have been registered (taken at startup): nothing to undo then.
        if let Err(e) = registrar.unregister(old) {
            log::warn!("could not unregister the quick switcher shortcut {}: {e}", canonical(&old));
        }
    }
    let Some(shortcut) = new_shortcut else { return Ok(()) };
    if let Err(e) = registrar.register(shortcut) {
        if let Some(old) = old {
            let _ = registrar.register(old);
        }
        log::warn!("the global shortcut {} could not be registered: {e}", canonical(&shortcut));
        return Err(Text::new(Key::ShortcutTaken).with("shortcut", canonical(&shortcut)));
    }
    Ok(())
}

/// Applies a settings change: validates the new shortcut and, where the plugin runs (not in `tauri::test`),
/// moves the registration from the old shortcut to the new. Returns the canonical text to save.
pub fn apply_setting<R: Runtime>(
    app: &AppHandle<R>,
    old: Option<&str>,
    new: Option<&str>,
) -> ShellResult<Option<String>> {
    let refused = |text: Text| ShellError::coded(ErrorCode::InvalidInput, text);
    let new = normalize(new).map_err(refused)?;
    if let Some(plugin) = app.try_state::<GlobalShortcut<R>>() {
        switch(plugin.inner(), old, new.as_deref()).map_err(refused)?;
    }
    if let Some(state) = app.try_state::<SwitcherState>() {
        state.set_error(None);
    }
    Ok(new)
}

/// The plugin, with the handler that brings up the switcher.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_global_shortcut::Builder::new()
        .with_handler(|app, _shortcut, event| {
            // We register one shortcut only, so any press is ours.
            if event.state == ShortcutState::Pressed {
                bring_up(app);
            }
        })
        .build()
}

/// Registers the saved shortcut at startup; a failure is logged and shown on the settings page.
pub fn register_saved<R: Runtime>(app: &AppHandle<R>) {
    let saved = app.state::<AppState>().settings().quick_switcher_shortcut;
    let Some(plugin) = app.try_state::<GlobalShortcut<R>>() else { return };
    if let Err(e) = switch(plugin.inner(), None, saved.as_deref()) {
        log::warn!("quick switcher shortcut: {e}");
        app.state::<SwitcherState>().set_error(Some(e));
    }
}

/// Shows, unminimizes and focuses the main window and asks the UI to open the switcher.
pub fn bring_up<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window("main") else { return };
    let from_hidden = !window.is_visible().unwrap_or(true) || window.is_minimized().unwrap_or(false);
    let _ = window.unminimize();
    let _ = window.show();
    let _ = window.set_focus();
    let _ = app.emit(EVENT_QUICK_SWITCHER, QuickSwitcherOpen { from_hidden });
}

/// Whether this process runs in a Wayland session.
pub fn is_wayland() -> bool {
    std::env::var("XDG_SESSION_TYPE").is_ok_and(|t| t.eq_ignore_ascii_case("wayland"))
        || std::env::var_os("WAYLAND_DISPLAY").is_some()
}

/// Hides the main window (the switcher copied a code, or was closed after the shortcut brought it up).
pub fn hide<R: Runtime>(app: &AppHandle<R>) -> ShellResult<()> {
    if let Some(window) = app.get_webview_window("main") {
        // Tauri's reason is English words for the log; the person is told what did not happen.
        window.hide().map_err(|e| {
            log::warn!("hiding the window: {e}");
            ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::WindowNotHidden))
        })?;
    }
    Ok(())
}

/// What the settings page shows next to the shortcut field.
pub fn status(state: &SwitcherState) -> QuickSwitcherStatus {
    QuickSwitcherStatus { wayland: is_wayland(), error: state.startup_error.guard().clone() }
}

#[cfg(test)]
mod tests;
