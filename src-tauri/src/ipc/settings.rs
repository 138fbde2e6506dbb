//! The user's preferences: one store (`settings.json` beside the vault, written by `AppState::replace_settings`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::text::{Key, Text};

/// User preferences, stored next to the vault in plain JSON (they hold nothing secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct Settings {
    /// Seconds after a copy before the clipboard is cleared (if it still holds our code); 0 = never.
    pub clipboard_clear_seconds: u32,
    /// Minutes without input before the vault locks; 0 = never.
    pub auto_lock_minutes: u32,
    /// Hide codes until a card is hovered or focused.
    pub privacy_mode: bool,
    /// Ask the platform to keep the window out of screen captures.
    pub content_protection: bool,
    /// Write a verified backup after changes (at most one a minute), sealed with the vault password.
    pub auto_backup: bool,
    /// The folder automatic backups go to (empty until one is chosen).
    pub auto_backup_folder: String,
    /// How many automatic backups to keep in that folder.
    pub auto_backup_keep: u32,
    /// Compare the system clock with an SNTP server at unlock and hourly, and warn when it is off (off by
    /// default: it sends a packet to that server).
    pub clock_check: bool,
    /// The SNTP server the clock check asks: a host name or address, with an optional `:port`.
    pub clock_server: String,
    /// The camera last chosen in the *Add account* dialog (`device:N` or `fake:PATH`); none yet = the first.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub camera: Option<String>,
    /// The global shortcut that opens the quick switcher (`Ctrl+Alt+K`, canonical spelling of
    /// `switcher::canonical`); none = off, the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub quick_switcher_shortcut: Option<String>,
    /// Closing the window hides it in the tray instead of quitting (the tray's Quit quits).
    pub close_to_tray: bool,
    /// The order of the account list (favourites always first).
    pub list_sort: ListSort,
    /// Smaller cards, more of them in view.
    pub compact_list: bool,
    /// Keep the vault in step with other computers through `sync_folder`.
    pub sync: bool,
    /// The folder a sync engine shares (empty until one is chosen); set only through the folder chooser.
    pub sync_folder: String,
    /// With `sync` on: keep in step through the WebDAV server kept in the vault instead of `sync_folder` (one
    /// of the two at a time). Set only by `set_webdav_sync` and `set_sync`.
    pub sync_webdav: bool,
    /// The language the window speaks (`de`, `fr`, … or the test-only `x-pseudo`); none = the system's.
    /// The UI picks the best catalog it has for it, so an unknown tag falls back rather than failing.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub language: Option<String>,
}

/// The orders the account list offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum ListSort {
    /// The user's own order (moved with Alt+arrows or the card's Move).
    #[default]
    Manual,
    Name,
    Issuer,
    MostUsed,
    RecentlyUsed,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            clipboard_clear_seconds: 30,
            auto_lock_minutes: 5,
            privacy_mode: false,
            content_protection: true,
            auto_backup: false,
            auto_backup_folder: String::new(),
            auto_backup_keep: Self::DEFAULT_AUTO_BACKUP_KEEP,
            clock_check: false,
            clock_server: Self::DEFAULT_CLOCK_SERVER.into(),
            camera: None,
            quick_switcher_shortcut: None,
            close_to_tray: false,
            list_sort: ListSort::Manual,
            compact_list: false,
            sync: false,
            sync_folder: String::new(),
            sync_webdav: false,
            language: None,
        }
    }
}

impl Settings {
    pub const MAX_CLIPBOARD_CLEAR_SECONDS: u32 = 3600;
    pub const MAX_AUTO_LOCK_MINUTES: u32 = 24 * 60;
    pub const DEFAULT_AUTO_BACKUP_KEEP: u32 = twofold_core::backup::auto::DEFAULT_KEEP as u32;
    pub const MAX_AUTO_BACKUP_KEEP: u32 = 1000;
    pub const DEFAULT_CLOCK_SERVER: &str = "pool.ntp.org";
    /// BCP 47 allows long tags; nothing the picker offers comes near this.
    pub const MAX_LANGUAGE_LEN: usize = 35;

    /// Rejects values outside the ranges the settings page offers, saying which and why.
    pub fn validate(&self) -> Result<(), Text> {
        if self.clipboard_clear_seconds > Self::MAX_CLIPBOARD_CLEAR_SECONDS {
            return Err(
                Text::new(Key::SettingClipboardDelay).with("max", Self::MAX_CLIPBOARD_CLEAR_SECONDS.to_string())
            );
        }
        if self.auto_lock_minutes > Self::MAX_AUTO_LOCK_MINUTES {
            return Err(Text::new(Key::SettingAutoLock).with("max", Self::MAX_AUTO_LOCK_MINUTES.to_string()));
        }
        if !(1..=Self::MAX_AUTO_BACKUP_KEEP).contains(&self.auto_backup_keep) {
            return Err(Text::new(Key::SettingBackupKeep).with("max", Self::MAX_AUTO_BACKUP_KEEP.to_string()));
        }
        if self.auto_backup && self.auto_backup_folder.trim().is_empty() {
            return Err(Text::new(Key::SettingBackupFolder));
        }
        let server = self.clock_server.trim();
        if server.len() > 255 || server.chars().any(|c| c.is_whitespace() || c.is_control() || c == '/') {
            return Err(Text::new(Key::SettingTimeServer));
        }
        if self.sync && !self.sync_webdav && self.sync_folder.trim().is_empty() {
            return Err(Text::new(Key::SettingSyncFolder));
        }
        if let Some(language) = &self.language {
            let tag = |c: char| c.is_ascii_alphanumeric() || c == '-';
            if language.is_empty() || language.len() > Self::MAX_LANGUAGE_LEN || !language.chars().all(tag) {
                return Err(Text::new(Key::SettingLanguage));
            }
        }
        if self.clock_check && server.is_empty() {
            return Err(Text::new(Key::SettingClockServer));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
