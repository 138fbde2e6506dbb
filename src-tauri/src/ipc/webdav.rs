//! What Settings → Sync shows of the WebDAV server: its address and user, whether an app password is set
//! (never the password itself), and why a round or a check did not get through, as a code the UI words
//! (`sync.webdav.problem.<code>`).

use serde::Serialize;
use ts_rs::TS;
use twofold_core::sync::webdav::WebDavError;

/// The WebDAV settings kept in the vault, as the webview may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WebDavView {
    /// The address as entered (a file, or a folder ending in `/`); empty when none is set.
    pub url: String,
    pub user: String,
    /// Whether an app password is kept in the vault. The password itself never leaves the shell.
    pub password_set: bool,
    /// Whether sync runs through this server now.
    pub enabled: bool,
}

/// Why the WebDAV server could not be used, one code per sentence the UI shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SyncProblem {
    /// 401: wrong user name or app password.
    Unauthorized,
    /// 403: the user may not read or write there.
    Forbidden,
    /// The folder in the address does not exist.
    NotFound,
    /// 507: the server is full.
    NoSpace,
    /// No connection (refused, no such host, cut off).
    Unreachable,
    /// The secure connection failed (certificate, handshake).
    Tls,
    /// No answer in time.
    Timeout,
    /// Plain `http://` to another computer.
    NotAllowed,
    /// The address is not valid.
    BadUrl,
    /// The file kept changing or was locked: tried again later.
    Busy,
    /// A redirect, a server error, or a file too large.
    Server,
    /// The copy on the server: another password, damaged, newer Twofold.
    Copy,
}

impl From<&WebDavError> for SyncProblem {
    fn from(error: &WebDavError) -> Self {
        match error {
            WebDavError::Unauthorized => SyncProblem::Unauthorized,
            WebDavError::Forbidden => SyncProblem::Forbidden,
            WebDavError::NotFound => SyncProblem::NotFound,
            WebDavError::InsufficientStorage => SyncProblem::NoSpace,
            WebDavError::Unreachable(_) | WebDavError::Disconnected => SyncProblem::Unreachable,
            WebDavError::Tls(_) => SyncProblem::Tls,
            WebDavError::Timeout => SyncProblem::Timeout,
            WebDavError::NotAllowed => SyncProblem::NotAllowed,
            WebDavError::BadUrl(_) => SyncProblem::BadUrl,
            WebDavError::Locked | WebDavError::TooManyConflicts => SyncProblem::Busy,
            WebDavError::Merge(_) => SyncProblem::Copy,
            _ => SyncProblem::Server,
        }
    }
}

/// The answer of the Test button: reached the server (and whether the file is there yet), or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WebDavCheck {
    pub ok: bool,
    /// The file's full address (the folder's with `twofold.vault` appended); empty when the address is bad.
    pub file_url: String,
    /// Whether the synced copy already exists there (another computer made it).
    pub exists: bool,
    pub problem: Option<SyncProblem>,
    /// The reason in the core's words (no password in it), shown as detail.
    pub message: Option<String>,
}

#[cfg(test)]
mod tests;
