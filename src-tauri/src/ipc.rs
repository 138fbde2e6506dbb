//! The types that cross IPC, exported to TypeScript (`ui/src/lib/ipc/`) by `ts-rs`.
//!
//! None of them carries an account's key: the UI gets codes, validity windows and metadata. Keys only travel
//! *into* the shell (typed by the user in [`NewAccount`]), and out only through [`RevealedSecret`], which
//! `reveal_secret` returns after the vault password has been typed again.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether there is a vault and whether it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum VaultStatus {
    /// First run: no vault file yet.
    NoVault,
    Locked,
    Unlocked,
}

/// How an account's codes advance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum OtpKindView {
    Totp,
    Hotp,
    Steam,
}

/// The HMAC hash of an account, as written in links.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub enum AlgorithmView {
    #[serde(rename = "SHA1")]
    Sha1,
    #[serde(rename = "SHA256")]
    Sha256,
    #[serde(rename = "SHA512")]
    Sha512,
}

/// One account as the list shows it: metadata and the current code, never the key.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountView {
    pub id: String,
    pub issuer: String,
    pub name: String,
    pub groups: Vec<String>,
    pub favorite: bool,
    #[ts(type = "number")]
    pub order: i64,
    pub kind: OtpKindView,
    pub algorithm: AlgorithmView,
    pub digits: u8,
    /// Seconds per code for time-based kinds.
    pub period: Option<u32>,
    /// The counter the next HOTP code uses.
    #[ts(type = "number | null")]
    pub counter: Option<u64>,
    /// The current code (for HOTP: the last one shown, or empty before the first "next code").
    pub code: String,
    /// Unix milliseconds when the current code became valid (time-based kinds).
    #[ts(type = "number | null")]
    pub valid_from: Option<i64>,
    /// Unix milliseconds when the current code stops being valid (time-based kinds).
    #[ts(type = "number | null")]
    pub valid_until: Option<i64>,
    /// The code after the current one, for showing near expiry.
    pub next_code: Option<String>,
    pub recovery_total: u32,
    pub recovery_unused: u32,
    pub note: String,
}

/// Every account with its codes at one instant.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountList {
    /// The instant the codes were computed for, Unix milliseconds.
    #[ts(type = "number")]
    pub now: i64,
    pub accounts: Vec<AccountView>,
}

/// An account the user typed in. `secret` is the base32 key; it goes into the vault and never comes back.
#[derive(Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct NewAccount {
    pub issuer: String,
    pub name: String,
    pub secret: String,
    pub kind: OtpKindView,
    pub algorithm: AlgorithmView,
    pub digits: u8,
    pub period: u32,
    #[ts(type = "number")]
    pub counter: u64,
    pub groups: Vec<String>,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("issuer", &self.issuer)
            .field("name", &self.name)
            .field("secret", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// The fields an edit may change (the key and OTP parameters are fixed once added).
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountEdit {
    pub issuer: String,
    pub name: String,
    pub groups: Vec<String>,
    pub note: String,
    pub favorite: bool,
}

/// What adding an account did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AddOutcome {
    pub id: String,
    /// Non-fatal remarks from the link parser (an unusual period, an ignored parameter).
    pub warnings: Vec<String>,
    /// Names of existing accounts with the same key and parameters.
    pub duplicates: Vec<String>,
}

/// A parsed link before it is added: what the UI previews and warns about.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LinkPreview {
    pub issuer: String,
    pub name: String,
    pub kind: OtpKindView,
    pub algorithm: AlgorithmView,
    pub digits: u8,
    pub period: Option<u32>,
    pub warnings: Vec<String>,
    pub duplicates: Vec<String>,
}

/// One recovery code. These are shown on request, like a printed sheet; they are not OTP keys.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RecoveryCodeView {
    pub index: u32,
    pub code: String,
    pub used: bool,
}

/// An account's key and link, returned only after the password was typed again.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RevealedSecret {
    pub secret: String,
    pub link: String,
}

impl std::fmt::Debug for RevealedSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RevealedSecret(<redacted>)")
    }
}

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
        }
    }
}

impl Settings {
    pub const MAX_CLIPBOARD_CLEAR_SECONDS: u32 = 3600;
    pub const MAX_AUTO_LOCK_MINUTES: u32 = 24 * 60;
    pub const DEFAULT_AUTO_BACKUP_KEEP: u32 = twofold_core::backup::auto::DEFAULT_KEEP as u32;
    pub const MAX_AUTO_BACKUP_KEEP: u32 = 1000;
    pub const DEFAULT_CLOCK_SERVER: &str = "pool.ntp.org";

    /// Rejects values outside the ranges the settings page offers.
    pub fn validate(&self) -> Result<(), String> {
        if self.clipboard_clear_seconds > Self::MAX_CLIPBOARD_CLEAR_SECONDS {
            return Err(format!("clipboard delay must be at most {} seconds", Self::MAX_CLIPBOARD_CLEAR_SECONDS));
        }
        if self.auto_lock_minutes > Self::MAX_AUTO_LOCK_MINUTES {
            return Err(format!("auto-lock delay must be at most {} minutes", Self::MAX_AUTO_LOCK_MINUTES));
        }
        if !(1..=Self::MAX_AUTO_BACKUP_KEEP).contains(&self.auto_backup_keep) {
            return Err(format!("keep between 1 and {} automatic backups", Self::MAX_AUTO_BACKUP_KEEP));
        }
        if self.auto_backup && self.auto_backup_folder.trim().is_empty() {
            return Err("choose a folder for automatic backups".into());
        }
        let server = self.clock_server.trim();
        if server.len() > 255 || server.chars().any(|c| c.is_whitespace() || c.is_control() || c == '/') {
            return Err("the time server must be a host name or address, like pool.ntp.org".into());
        }
        if self.clock_check && server.is_empty() {
            return Err("the clock check needs a time server, like pool.ntp.org".into());
        }
        Ok(())
    }
}

/// Sent to the webview as the `vault-locked` event when the shell locks on its own (quit, session
/// locked, machine going to sleep).
pub const EVENT_VAULT_LOCKED: &str = "vault-locked";
