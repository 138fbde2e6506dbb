//! Files as the webview knows them: an opaque token, the file's name, and its full path as text to read.
//! Commands take the token; the path behind it stays in the shell (`dialog::Files`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A file (or folder) the person chose in the system's chooser or dropped on the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ChosenFile {
    /// What commands take instead of a path; it means nothing outside this run of the app.
    pub token: String,
    /// The file or folder name, for a label.
    pub name: String,
    /// The full path, shown as text only (never sent back).
    pub location: String,
    /// The save dialog already asked whether to replace the existing file there.
    pub replace_confirmed: bool,
}

/// What a file is chosen for: the chooser's title, filters and suggested name, and which commands take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FilePurpose {
    /// Another app's export, for the Import page.
    ImportFile,
    /// An image holding QR codes.
    QrImage,
    /// A picture for an account (Edit → Picture).
    AccountIcon,
    /// Where a backup goes.
    SaveBackup,
    /// A backup to test or restore.
    OpenBackup,
    /// Where an export goes (the chooser suggests a name for the format given with it).
    SaveExport,
    /// The folder automatic backups go to.
    BackupFolder,
    /// The folder the phone's backups arrive in (Settings → Follow backups from my phone).
    FollowFolder,
    /// The folder a sync engine shares, for sync.
    SyncFolder,
}
