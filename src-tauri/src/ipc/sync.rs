//! What the Settings → Sync section shows: where sync stands, what the last merge brought, which device is
//! which. Paths are shown with `~` for the home folder; no key, password or account secret is here.

use serde::Serialize;
use ts_rs::TS;

/// Where sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncState {
    /// Sync is off (or no folder chosen).
    Off,
    /// On, but the vault is locked: nothing syncs until it is unlocked.
    Locked,
    /// On, no round finished yet.
    Waiting,
    /// The last round finished: the copy and this vault hold the same.
    InStep,
    /// The copy is locked with another password: ask for it (`sync_copy_password`).
    PasswordNeeded,
    /// The last round failed; `message` says why. Retried on the next change and by the slow poll.
    Failed,
}

/// The status line and what the last merge that brought changes did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncStatusView {
    pub state: SyncState,
    /// The folder, `~` for the home folder; empty when none is chosen.
    pub folder: String,
    /// When a round last finished in step (Unix milliseconds).
    #[ts(type = "number | null")]
    pub last_in_step: Option<i64>,
    /// Why sync is not in step (a sentence), or what the last round left alone.
    pub message: Option<String>,
    /// Why sync is not in step, for the UI to word (`message` has the English words).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub detail: Option<crate::text::Text>,
    /// Files the last round left alone, with why ("twofold.vault: damaged or still arriving").
    pub skipped: Vec<crate::text::Text>,
    /// The last round that changed this vault.
    pub last_change: Option<SyncChangeView>,
    /// This computer's device id.
    pub this_device: String,
    /// Every device that made an edit in this vault, newest first.
    pub devices: Vec<DeviceView>,
    /// Sync runs through the WebDAV server (`folder` is then its file address), not a folder.
    pub webdav: bool,
    /// Why the last WebDAV round failed, as a code the UI words; `message` has the detail.
    pub problem: Option<super::SyncProblem>,
}

/// What a merge brought in (counts only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SyncChangeView {
    #[ts(type = "number")]
    pub at: i64,
    pub arrived: u32,
    pub changed: u32,
    pub removed: u32,
    /// Deleted elsewhere but edited here later (or the other way round): kept.
    pub kept_after_deletion: u32,
    /// Conflict copies merged and removed.
    pub conflict_copies: u32,
}

/// A device seen in the vault's edit stamps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DeviceView {
    /// The device id (a UUID).
    pub id: String,
    pub this_device: bool,
    /// Accounts whose last edit it made.
    pub accounts: u32,
    /// Its newest edit (Unix milliseconds).
    #[ts(type = "number")]
    pub last_edit: i64,
}
