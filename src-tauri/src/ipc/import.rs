//! The Import page: the chosen file, its preview, what an import did.

use serde::Serialize;
use ts_rs::TS;

use super::StagedAccountView;
use crate::text::Text;

/// A file chosen for import: which app wrote it and, once it could be read, the preview.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportFileView {
    pub file_name: String,
    /// The app as the user knows it (`Aegis`, `2FAS`…).
    pub app: String,
    /// The format's stable id (`aegis`, `2fas`…).
    pub format: String,
    pub encrypted: bool,
    /// `None` until the file's password has been given (encrypted files).
    pub preview: Option<ImportPreview>,
}

/// What the file holds: one row per account that can be imported, and the entries that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportPreview {
    pub entries: Vec<StagedAccountView>,
    pub problems: Vec<ImportProblemView>,
}

/// An entry that could not be read, named so the user can find it in the other app.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportProblemView {
    /// The entry's name in the file (may be empty when `line` names it).
    pub label: String,
    /// Its line in a text file of links (from 1); the UI words "line".
    pub line: Option<u32>,
    /// The reason in English, for logs.
    pub reason: String,
    /// The reason the UI words.
    pub detail: Text,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportOutcome {
    /// Names of the accounts added.
    pub added: Vec<String>,
    /// Names of the duplicates that were not imported.
    pub skipped_duplicates: Vec<String>,
    /// How many other accounts were left unchecked.
    pub left_out: u32,
    /// The entries that could not be read, with the reason.
    pub problems: Vec<ImportProblemView>,
    /// Remarks about added accounts (`Issuer (name): …`).
    pub warnings: Vec<Text>,
}
