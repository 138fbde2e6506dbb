//! This computer's device id, kept in its data folder beside the vault (`twofold-device.id`), so that every
//! program using that vault (the app, `twofold-cli`) stamps its edits with the same id across unlocks.
//!
//! The id only breaks ties between edits in the same millisecond and tells the person which computer is
//! which; it is random, carries no name and nothing secret. A data folder copied to a second computer carries
//! its id along: the merge then reports ties it broke by the accounts' fields (`docs/vault-format.md`).

use std::path::{Path, PathBuf};

use crate::atomic::{self, Existing, WriteError};
use crate::vault::{DeviceId, Invalid, VaultError};

/// The file's name, beside the vault.
pub const DEVICE_FILE: &str = "twofold-device.id";

/// Where the device id of the vault at `vault_path` is kept.
pub fn device_path(vault_path: &Path) -> PathBuf {
    vault_path.with_file_name(DEVICE_FILE)
}

/// The device id kept at `path`, made and written (atomically, never over another program's) the first time.
/// A file that does not hold an id is replaced by a new one: the id is no data worth keeping.
pub fn load_or_create(path: &Path) -> Result<DeviceId, VaultError> {
    if let Some(id) = read(path) {
        return Ok(id);
    }
    let id = DeviceId::new_random();
    let text = format!("{id}\n");
    let existing = if path.exists() { Existing::Replace } else { Existing::Refuse };
    let written = atomic::write_verified(path, text.as_bytes(), existing, |_, _| Ok::<(), WriteError>(()));
    match written {
        Ok(()) => Ok(id),
        // Another program made it first: use theirs.
        Err(WriteError::Exists { .. }) => read(path)
            .ok_or_else(|| VaultError::InvalidContents { reason: Invalid::NoDeviceId { path: path.to_owned() } }),
        Err(e) => Err(VaultError::InvalidContents { reason: Invalid::DeviceIdNotWritten(e) }),
    }
}

fn read(path: &Path) -> Option<DeviceId> {
    let text = std::fs::read_to_string(path).ok()?;
    uuid::Uuid::parse_str(text.trim()).ok().filter(|u| !u.is_nil()).map(DeviceId)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_once_then_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = device_path(&dir.path().join("twofold.vault"));
        let first = load_or_create(&path).unwrap();
        assert_eq!(load_or_create(&path).unwrap(), first);
        std::fs::write(&path, b"not an id").unwrap();
        let replaced = load_or_create(&path).unwrap();
        assert_ne!(replaced, first);
        assert_eq!(load_or_create(&path).unwrap(), replaced);
    }
}
