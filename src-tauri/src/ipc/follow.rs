//! Following the phone's backups (Settings → "Follow backups from my phone"): the followed folders as the page
//! shows them and what a round did. No password ever goes out: only whether one is kept and whether it failed.

use serde::Serialize;
use ts_rs::TS;
use twofold_core::follow::{self, FollowReport, Source};

/// One followed folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FollowSourceView {
    pub id: String,
    /// The folder, as text to show.
    pub folder: String,
    /// The import format id (`aegis`, `stratum`, …).
    pub app: String,
    /// The app's name (`Aegis`).
    pub app_name: String,
    pub enabled: bool,
    pub has_password: bool,
    /// The kept password did not open the newest backup: the page asks for it (once).
    pub password_failed: bool,
    /// The last backup applied: its file name and time of day (`10:42`), if any.
    pub last_file: Option<String>,
    pub last_clock: Option<String>,
}

impl From<&Source> for FollowSourceView {
    fn from(s: &Source) -> Self {
        let last = s.last_applied();
        FollowSourceView {
            id: s.id.to_string(),
            folder: s.folder.display().to_string(),
            app: s.app.id().to_string(),
            app_name: follow::app_short_name(s.app).to_string(),
            enabled: s.enabled,
            has_password: s.password.is_some(),
            password_failed: s.password_failed,
            last_file: last.map(|a| a.file.clone()),
            last_clock: last.and_then(|a| follow::name_time(&a.file).map(|(_, clock)| clock)),
        }
    }
}

/// What the app found in a folder the person picked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct FollowDetected {
    pub app: String,
    pub app_name: String,
    /// The newest backup needs a password.
    pub encrypted: bool,
    pub file: String,
}

/// What one round did for one followed folder, for the report the page and the list show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase", tag = "kind")]
#[ts(export)]
pub enum FollowRoundView {
    /// A backup was applied (`added` + `changed` + `removed` may all be 0).
    Applied {
        source: String,
        #[serde(rename = "appName")]
        app_name: String,
        clock: String,
        added: u32,
        changed: u32,
        removed: u32,
    },
    /// The backup password is missing or did not open the newest backup.
    PasswordNeeded {
        source: String,
        #[serde(rename = "appName")]
        app_name: String,
        file: String,
    },
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl FollowRoundView {
    pub fn applied(source: &Source, report: &FollowReport) -> Self {
        FollowRoundView::Applied {
            source: source.id.to_string(),
            app_name: follow::app_short_name(source.app).to_string(),
            clock: report.clock.clone(),
            added: count(report.added.len()),
            changed: count(report.changed.len()),
            removed: count(report.removed.len()),
        }
    }
}
