//! The keyring unlock as the UI sees it: whether it is on, whether it can open the vault now (or why not),
//! and which way the vault was last opened. Nothing here is secret.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::RollbackWarning;

/// Why the keyring cannot be used (or did not open the vault). The UI shows one sentence per code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum KeyringReasonCode {
    NoService,
    Locked,
    Timeout,
    ItemMissing,
    NotEnrolled,
    SlotGone,
    KeyMismatch,
    Expired,
    Other,
    Vault,
}

/// A reason, with the number of days for `expired` and the keyring's own words for `other`/`no_service`/`vault`
/// (never a key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyringReason {
    pub code: KeyringReasonCode,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<u16>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl From<&twofold_keyring::Failure> for KeyringReason {
    fn from(failure: &twofold_keyring::Failure) -> Self {
        use twofold_keyring::Failure as F;
        let (code, days, detail) = match failure {
            F::NoService { detail } => (KeyringReasonCode::NoService, None, Some(detail.clone())),
            F::Locked => (KeyringReasonCode::Locked, None, None),
            F::Timeout { .. } => (KeyringReasonCode::Timeout, None, None),
            F::ItemMissing => (KeyringReasonCode::ItemMissing, None, None),
            F::NotEnrolled => (KeyringReasonCode::NotEnrolled, None, None),
            F::SlotGone => (KeyringReasonCode::SlotGone, None, None),
            F::KeyMismatch => (KeyringReasonCode::KeyMismatch, None, None),
            F::Expired { days } => (KeyringReasonCode::Expired, Some(*days), None),
            F::Vault(detail) => (KeyringReasonCode::Vault, None, Some(detail.clone())),
            other => (KeyringReasonCode::Other, None, Some(other.to_string())),
        };
        Self { code, days, detail }
    }
}

/// How the vault was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum UnlockWay {
    Keyring,
    Password,
}

/// What the unlock screen and Settings show of the keyring unlock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyringStatus {
    /// Turned on for this vault on this computer (Settings).
    pub enabled: bool,
    /// "Ask for the password every N days".
    pub days: u16,
    /// On, and the vault can be opened through the keyring now (slot there and current, item present).
    pub ready: bool,
    /// Why not, when on but not ready, or when the keyring cannot be used at all (then the option is off).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<KeyringReason>,
    /// How the vault was last opened in this run of the app.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_unlock: Option<UnlockWay>,
}

/// The answer of a keyring unlock: opened (with a possible rollback warning), or the reason to show above the
/// password field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyringUnlock {
    pub unlocked: bool,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<KeyringReason>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<RollbackWarning>,
}
