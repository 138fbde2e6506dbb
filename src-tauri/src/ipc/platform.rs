//! What the platform features tell the UI: the quick switcher and the clock check.

use serde::Serialize;
use ts_rs::TS;

use crate::text::Text;

/// The payload of the `quick-switcher` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuickSwitcherOpen {
    /// The window was hidden or minimized before: closing the switcher with Esc hides it again.
    pub from_hidden: bool,
}

/// What the settings page shows next to the shortcut field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct QuickSwitcherStatus {
    /// A Wayland session: global shortcuts only work while an X11 window has focus.
    pub wayland: bool,
    /// Why the saved shortcut could not be registered when Twofold started (`null` when it was, or none is set).
    pub error: Option<Text>,
}

/// The result of one check.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClockCheck {
    /// How far the system clock is ahead of the server's, in milliseconds (negative: behind).
    #[ts(type = "number")]
    pub ahead_ms: i64,
    /// The sentence the app shows when the clock is off by more than `clock::WARN_AFTER_SECONDS`; `null` when fine.
    pub warning: Option<String>,
}

/// Whether the system tray can bring the window back (close to tray needs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TrayStatus {
    /// A tray host (a StatusNotifier watcher or an XEmbed system tray) is running.
    pub host: bool,
}
