//! What this computer has seen of its vaults, to notice a rollback: someone (or a sync tool, or a restore of a
//! disk image) putting an older copy of the vault file in its place. Per vault path it keeps the highest save
//! counter seen and the key ids that vault had (a password change makes a new one); the file
//! (`vaults-seen.json` beside the settings) is plain JSON with nothing secret, written atomically.
//!
//! At unlock, a file with a key id this computer knows for that path and a lower save counter than it saw is an
//! older copy: the app warns and opens it anyway (the user may have restored it on purpose). A key id never
//! seen there is another vault (created anew at the same path), and starts a new record. Saves raise the
//! record.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{ShellError, ShellResult};
use crate::ipc::RollbackWarning;
use crate::rt;

/// The file's name, beside the settings.
pub const FILE_NAME: &str = "vaults-seen.json";

/// Key ids kept per vault: enough for years of password changes, and the file stays small.
const MAX_KEY_IDS: usize = 32;

#[derive(Debug, Default, Serialize, Deserialize)]
struct SeenFile {
    /// By the vault's path as given to the app.
    vaults: BTreeMap<String, Seen>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct Seen {
    /// The highest save counter seen for this vault.
    counter: u64,
    /// The key ids it had, oldest first (hex).
    key_ids: Vec<String>,
}

fn hex(key_id: [u8; 16]) -> String {
    key_id.iter().map(|b| format!("{b:02x}")).collect()
}

/// A missing or unreadable record is an empty one: it is a warning aid, nothing to lose.
fn load(file: &Path) -> SeenFile {
    std::fs::read(file).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
}

/// Compares the vault at `vault` (key id, save counter) with what this computer saw, raises the record, and
/// returns the warning for an older copy. The record is never lowered. *Slow* (file I/O).
pub fn check_and_record(
    file: &Path,
    vault: &Path,
    key_id: [u8; 16],
    counter: u64,
) -> ShellResult<Option<RollbackWarning>> {
    let mut seen = load(file);
    let key = vault.display().to_string();
    let id = hex(key_id);
    let entry = seen.vaults.entry(key).or_default();
    let known = entry.key_ids.contains(&id);
    let warning = (known && counter < entry.counter).then_some(RollbackWarning { saved: counter, seen: entry.counter });
    let before = entry.clone();
    if !known {
        if counter < entry.counter {
            // Another vault at this path (the old one was deleted and a new one created): start afresh.
            *entry = Seen::default();
        }
        entry.key_ids.push(id);
        let extra = entry.key_ids.len().saturating_sub(MAX_KEY_IDS);
        entry.key_ids.drain(..extra);
    }
    entry.counter = entry.counter.max(counter);
    if *entry != before {
        let json = serde_json::to_vec_pretty(&seen).map_err(|e| ShellError::Io(e.to_string()))?;
        rt::write_atomic_private(file, &json)?;
    }
    Ok(warning)
}

/// The person restored an older copy on purpose (the lone previous copy): the record for `vault` becomes that
/// copy's save counter, so opening it does not warn of a rollback the person asked for. *Slow* (file I/O).
pub fn accept_restored(file: &Path, vault: &Path, counter: u64) -> ShellResult<()> {
    let mut seen = load(file);
    if let Some(entry) = seen.vaults.get_mut(&vault.display().to_string()) {
        entry.counter = counter;
        let json = serde_json::to_vec_pretty(&seen).map_err(|e| ShellError::Io(e.to_string()))?;
        rt::write_atomic_private(file, &json)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
