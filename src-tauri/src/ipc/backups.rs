//! The Backups page: backups written and checked, restores, exports, transfer codes, the status line.

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use twofold_core::export::{Format, LossKind};

use crate::text::Text;

/// A backup that was written and read back.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupDone {
    /// The full path written.
    pub path: String,
    /// How many accounts the backup holds, counted when it was read back.
    pub account_count: u32,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created: i64,
}

/// What a backup file says about itself (after it was opened with its password).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupInfoView {
    pub path: String,
    pub account_count: u32,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created: i64,
}

/// How one backup account relates to the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RestoreItemStatus {
    /// Not in the vault: a restore adds it.
    New,
    /// The vault has the same key already.
    Duplicate,
    /// The vault has this account with another key.
    Changed,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreItem {
    pub name: String,
    pub status: RestoreItemStatus,
}

/// What a restore did, or would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestoreCounts {
    pub added: u32,
    pub skipped: u32,
    pub replaced: u32,
    pub removed: u32,
}

/// The preview of a restore, before anything changes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RestorePreview {
    /// The token of the backup file, for `restore_backup`.
    pub file: String,
    /// The full path, to read.
    pub path: String,
    /// Unix milliseconds.
    #[ts(type = "number")]
    pub created: i64,
    pub items: Vec<RestoreItem>,
    pub merge: RestoreCounts,
    pub replace: RestoreCounts,
}

/// Merge (keep everything in the vault, add what is new) or replace (make the vault the backup).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RestoreModeView {
    Merge,
    Replace,
}

/// The formats the page exports to, by their CLI names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "kebab-case")]
#[ts(export)]
pub enum ExportFormatView {
    Aegis,
    AegisPlain,
    Otpauth,
    Paper,
    /// Google Authenticator transfer codes (shown on screen by `show_transfer_codes`, or as an HTML page).
    GoogleTransfer,
}

impl ExportFormatView {
    pub const ALL: [ExportFormatView; 5] = [
        ExportFormatView::Aegis,
        ExportFormatView::AegisPlain,
        ExportFormatView::Otpauth,
        ExportFormatView::Paper,
        ExportFormatView::GoogleTransfer,
    ];

    pub fn core(self) -> Format {
        match self {
            ExportFormatView::Aegis => Format::AegisEncrypted,
            ExportFormatView::AegisPlain => Format::AegisPlain,
            ExportFormatView::Otpauth => Format::OtpauthList,
            ExportFormatView::Paper => Format::PaperHtml,
            ExportFormatView::GoogleTransfer => Format::GoogleTransfer,
        }
    }
}

/// A kind of data an export format does not carry (the core's `export::LossKind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LossKindView {
    RecoveryCodes,
    Notes,
    Groups,
    Favorite,
    /// The account's own picture.
    Icons,
    /// Dates added and last used, and use counts.
    UsageHistory,
    /// A kind a newer core names; the UI says "other details".
    Other,
}

impl From<LossKind> for LossKindView {
    fn from(kind: LossKind) -> Self {
        match kind {
            LossKind::RecoveryCodes => LossKindView::RecoveryCodes,
            LossKind::Notes => LossKindView::Notes,
            LossKind::Groups => LossKindView::Groups,
            LossKind::Favorite => LossKindView::Favorite,
            LossKind::Icons => LossKindView::Icons,
            LossKind::UsageHistory => LossKindView::UsageHistory,
            _ => LossKindView::Other,
        }
    }
}

/// One format of the Export tab, with what it leaves out (said before anything is written).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportFormatInfo {
    pub format: ExportFormatView,
    /// Whether the file holds every key in the clear.
    pub plaintext: bool,
    /// The file name the chooser suggests, e.g. `twofold-export-aegis-2026-12-07.json`.
    pub suggested_name: String,
    pub leaves_out: Vec<LossKindView>,
}

impl ExportFormatInfo {
    /// The page's description of `format` on `date` (`YYYY-MM-DD`).
    pub fn new(format: ExportFormatView, date: &str) -> Self {
        let core = format.core();
        Self {
            format,
            plaintext: core.is_plaintext(),
            suggested_name: core.suggested_file_name(date),
            leaves_out: core.leaves_out().iter().map(|k| LossKindView::from(*k)).collect(),
        }
    }
}

/// Data of one account the export did not carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportLossView {
    /// The account's display name.
    pub account: String,
    pub kind: LossKindView,
}

/// A verified export file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ExportDone {
    /// The full path written.
    pub path: String,
    pub format: ExportFormatView,
    pub count: u32,
    /// Unix milliseconds when the file was written.
    #[ts(type = "number")]
    pub written: i64,
    /// What the format never carries (the same list the format choice showed).
    pub leaves_out: Vec<LossKindView>,
    /// Per account and kind, the data this export left out.
    pub losses: Vec<ExportLossView>,
    /// Accounts the format cannot carry at all, with the reason.
    pub skipped: Vec<Text>,
}

/// One Google Authenticator transfer code, as an image only (the link it holds never crosses IPC as text).
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransferCodeView {
    /// A `data:image/png;base64,…` URL of the QR code.
    pub image: String,
    /// The accounts in this code.
    pub names: Vec<String>,
}

impl std::fmt::Debug for TransferCodeView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TransferCodeView").field("image", &"<redacted>").field("names", &self.names).finish()
    }
}

/// Every transfer code, and the accounts Google Authenticator cannot take.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TransferView {
    pub codes: Vec<TransferCodeView>,
    /// Each account left out, with the reason.
    pub skipped: Vec<Text>,
}

/// Which sentence the status line shows; the UI words it (through its translation layer) from this and the times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum BackupStatusKind {
    /// Automatic backups are off.
    Off,
    /// On, but the key is gone (e.g. turned on from the settings file): the password must be given again.
    NeedsPassword,
    /// On, and no automatic backup was ever made.
    NeverMade,
    /// The last attempt succeeded at `last_success`.
    Ok,
    /// The last attempt failed at `failed_at` because of `failure`.
    Failed,
}

/// The status line of automatic backups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BackupStatusView {
    pub enabled: bool,
    pub kind: BackupStatusKind,
    /// One plain sentence.
    pub message: String,
    /// Unix milliseconds of the last good automatic backup.
    #[ts(type = "number | null")]
    pub last_success: Option<i64>,
    /// Why the last attempt failed, if it did (English, for logs).
    pub failure: Option<String>,
    /// Why the last attempt failed, for the UI to word.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub failure_detail: Option<Text>,
    /// Unix milliseconds of the last failed attempt, when it is newer than the last success.
    #[ts(type = "number | null")]
    pub failed_at: Option<i64>,
}

impl BackupStatusView {
    /// Whether the line is a warning: automatic backups are on and the last attempt failed, none was ever made
    /// or the password is needed. The UI derives the same from `enabled` and `kind`.
    pub fn warning(&self) -> bool {
        self.enabled && self.kind != BackupStatusKind::Ok
    }
}
