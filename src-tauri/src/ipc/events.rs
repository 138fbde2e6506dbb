//! The names of the events the shell sends to the webview.

/// Sent to the webview as the `vault-locked` event when the shell locks on its own (quit, session
/// locked, machine going to sleep).
pub const EVENT_VAULT_LOCKED: &str = "vault-locked";

/// Sent (no payload) when an `otpauth://` link arrived while the vault is open; the UI calls
/// `take_pending_link`.
pub const EVENT_LINK_RECEIVED: &str = "link-received";

/// Sent with a `QuickSwitcherOpen` when the quick switcher's shortcut was pressed (the window is shown).
pub const EVENT_QUICK_SWITCHER: &str = "quick-switcher";

/// Sent with a `ClockCheck` after each hourly clock check.
pub const EVENT_CLOCK_CHECKED: &str = "clock-checked";

/// Sent with a `ChosenFile` when a file that is not an image is dropped on the window while the vault is open.
pub const EVENT_IMPORT_FILE_DROPPED: &str = "import-file-dropped";

/// Sent with a `ChosenFile` when an image is dropped on the window while the vault is open (the Add dialog's
/// Image tab reads it).
pub const EVENT_IMAGE_DROPPED: &str = "image-dropped";

/// Sent with a `FollowRoundView` after a round of following the phone's backups changed accounts or needs the
/// backup password; the UI reloads the list and shows the report.
pub const EVENT_FOLLOW_ROUND: &str = "follow-round";
/// Sent with a `SyncStatusView` after every sync round that changed the vault or where sync stands; the UI
/// reloads the account list and the status line.
pub const EVENT_SYNCED: &str = "vault-synced";
