//! Keeping several copies of one vault in step: the merge of two copies that loses no edit ([`merge`]), and
//! reading another copy of the vault (a synced copy, a conflict copy, a backup) to merge it ([`open_copy`]).
//!
//! The rules are in [`merge`]'s module docs and in `docs/vault-format.md` ("Merging copies"); the stamps they
//! compare are set by [`crate::vault::Vault`] on every edit.

pub mod device;
pub mod folder;
pub mod merge;
pub mod webdav;
pub mod webdav_sync;

pub use folder::{Exchange, FolderSync, RoundReport, SyncError, SyncKeys, exchange};
pub use merge::{MergeItem, MergeReport, Renamed, Tie, TieKind, merge};

use std::path::Path;

use crate::vault::{VaultContents, VaultError, format, storage};

/// The top-level payload field that makes a vault file a backup (`docs/backup-format.md`): it describes the
/// backup file, not the vault, so it never comes in with a merge.
const BACKUP_RECORD: &str = "backup";

/// Opens any Twofold vault file or backup at `path` with `password` to merge it, without taking its writer
/// lock or cleaning anything beside it (the file may sit in a folder a sync engine owns). Runs Argon2 once.
/// A backup's own record is dropped: what merges is the accounts and tombstones.
pub fn open_copy(path: &Path, password: &str) -> Result<VaultContents, VaultError> {
    let bytes = storage::read_file(path)?;
    let (_, _, plaintext) = format::open_with_password(&bytes, password)?;
    let mut contents = VaultContents::from_json(&plaintext)?;
    contents.remove_extra_field(BACKUP_RECORD);
    Ok(contents)
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, Ordering};

    use super::*;
    use crate::backup::{self, RestoreMode};
    use crate::model::{Account, OtpKind, OtpParams};
    use crate::secret::Secret;
    use crate::vault::{DeviceId, KdfParams, Stamp, Vault, VaultStore};

    static NOW_MS: AtomicI64 = AtomicI64::new(1_000_000);
    const DEVICE: DeviceId = DeviceId(uuid::Uuid::from_u128(0xD));

    fn clock() -> i64 {
        NOW_MS.load(Ordering::SeqCst)
    }

    fn account(issuer: &str, hotp: bool) -> Account {
        let otp = if hotp {
            OtpParams { kind: OtpKind::Hotp { counter: 0 }, ..OtpParams::default_totp() }
        } else {
            OtpParams::default_totp()
        };
        Account::new(issuer, "me", Secret::from_bytes(issuer.as_bytes().to_vec()).unwrap(), otp, 100)
    }

    fn vault(dir: &tempfile::TempDir) -> Vault {
        let mut contents = VaultContents::new();
        contents.accounts = vec![account("Kept", false), account("Counter", true), account("Gone", false)];
        let mut v = VaultStore::new(dir.path().join("v.vault")).create("pw", KdfParams::MINIMUM, &contents).unwrap();
        v.set_device(DEVICE);
        v.set_clock(clock);
        v
    }

    /// Regression for issue 14: stamps must move on every edit path without the caller doing anything, and
    /// only on the accounts the edit touched.
    #[test]
    fn every_edit_path_moves_the_stamp_and_only_there() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = vault(&dir);
        let ids: Vec<_> = v.contents().accounts.iter().map(|a| a.id).collect();
        assert_eq!(v.contents().stamp(ids[0]), Some(Stamp::implied(100)));

        v.update(|c| -> Result<(), VaultError> {
            c.accounts[0].note = String::from("edited");
            c.accounts.retain(|a| a.issuer != "Gone");
            Ok(())
        })
        .unwrap();
        let edit = Stamp { time_ms: 1_000_000, count: 0, device: DEVICE };
        assert_eq!(v.contents().stamp(ids[0]), Some(edit));
        assert_eq!(v.contents().stamp(ids[1]), Some(Stamp::implied(100)), "an untouched account keeps its stamp");
        assert_eq!(v.contents().tombstones().collect::<Vec<_>>(), vec![(ids[2], edit)]);

        // The clock did not move: the next edit still comes after the last one.
        v.advance_hotp(ids[1], 5).unwrap();
        let hotp = v.contents().stamp(ids[1]).unwrap();
        assert!(hotp > edit);

        NOW_MS.store(2_000_000, Ordering::SeqCst);
        let mut whole = v.contents().clone();
        whole.accounts[0].favorite = true;
        v.save(whole).unwrap();
        assert_eq!(v.contents().stamp(ids[0]).unwrap().time_ms, 2_000_000);
        assert_eq!(v.contents().stamp(ids[1]), Some(hotp));

        NOW_MS.store(3_000_000, Ordering::SeqCst);
        let mut from_backup = VaultContents::new();
        from_backup.accounts = vec![account("Restored", false)];
        backup::restore_into(&mut v, &from_backup, RestoreMode::Merge).unwrap();
        let restored = v.contents().accounts.iter().find(|a| a.issuer == "Restored").unwrap().id;
        assert_eq!(v.contents().stamp(restored).unwrap().time_ms, 3_000_000);

        // Stamps are written and read back.
        let reopened = VaultStore::new(dir.path().join("v.vault")).unlock("pw").unwrap();
        assert_eq!(reopened.contents(), v.contents());
    }

    #[test]
    fn a_merge_keeps_the_stamps_it_merged_and_open_copy_reads_backups() {
        let dir = tempfile::tempdir().unwrap();
        let mut v = vault(&dir);
        let mut theirs = v.contents().clone();
        theirs.accounts[0].note = String::from("from another computer");
        let id = theirs.accounts[0].id;
        let far = Stamp { time_ms: 9_000_000, count: 0, device: DeviceId(uuid::Uuid::from_u128(0xE)) };
        theirs.stamps.insert(id, far);
        let report = v.merge_from(&theirs).unwrap();
        assert_eq!(report.changed.len(), 1);
        assert_eq!(v.contents().stamp(id), Some(far), "a merge is not an edit");

        let key = backup::BackupKey::derive("backup pw", KdfParams::MINIMUM).unwrap();
        let path = dir.path().join("b.twofold-backup");
        backup::write_backup(&path, v.contents(), &key, 1).unwrap();
        let copy = open_copy(&path, "backup pw").unwrap();
        assert_eq!(copy.accounts, v.contents().accounts);
        assert!(!copy.has_unknown_fields(), "the backup record does not come in");
        assert!(matches!(open_copy(&path, "wrong"), Err(VaultError::WrongPassword)));
    }
}
