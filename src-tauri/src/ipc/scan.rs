//! The Add account dialog's QR intakes: cameras, what a scan found, the camera's events.

use serde::Serialize;
use ts_rs::TS;

use super::StagedAccountView;
use crate::error::ErrorCode;
use crate::text::Text;

/// A camera the picker offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CameraView {
    /// `device:N` or `fake:PATH`: what `start_camera` takes.
    pub id: String,
    pub name: String,
}

/// Every camera, and the one to preselect (the remembered one if still present, else the first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CameraList {
    pub cameras: Vec<CameraView>,
    pub selected: Option<String>,
}

/// How far a multi-part Google Authenticator export has been scanned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct BatchView {
    pub received: u32,
    pub total: u32,
}

/// What a scan found. With `batch` set and incomplete, `accounts` is empty: show the next code.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ScanFound {
    pub accounts: Vec<StagedAccountView>,
    /// Set when the codes were a Google Authenticator transfer export.
    pub batch: Option<BatchView>,
    /// Remarks for the user: link warnings, transfer entries that cannot be imported, codes that were not
    /// authenticator links.
    pub notes: Vec<Text>,
}

impl ScanFound {
    pub fn complete(&self) -> bool {
        self.batch.is_none_or(|b| b.received >= b.total)
    }
}

/// What the camera tells the dialog besides preview frames (those go over their own channel, as JPEG bytes).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum CameraEvent {
    /// A code was read but cannot be used; scanning goes on.
    Notice { code: ErrorCode, message: String, detail: Text },
    /// A part of a transfer export was read; scanning goes on for the next.
    Progress { received: u32, total: u32 },
    /// A code was accepted and the camera is closed: confirm `found`.
    Found { found: ScanFound },
    /// The camera failed while capturing (it is closed).
    Failed { code: ErrorCode, message: String, detail: Text },
}
