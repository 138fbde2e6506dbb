//! Our own encrypted backups: writing them (always verified), testing them, restoring them, and the policy
//! of automatic backups.
//!
//! The byte format is specified in `docs/backup-format.md`: a backup *is* a vault file (same container, same
//! sealing code in [`crate::vault::format`]) with its **own fresh data key**, one password slot, and a
//! `backup` record (creation time, account count) inside the encrypted payload.
//!
//! * [`BackupKey`] is a password run through Argon2 once. Every backup sealed with it gets a fresh data key
//!   wrapped under it, so an app can write automatic backups without asking for the password again. Use the
//!   backup's own password or the vault's: the vault's data key is never reused.
//! * [`write_backup`] / [`write_backup_with`] are the only way to write a backup: through
//!   [`crate::atomic::write_verified`] (the one writer of files a user names) a temp file beside the target is
//!   synced, read back and decrypted, then renamed into place and the folder synced. It returns
//!   [`BackupInfo`] only once the bytes on disk opened and matched.
//! * [`check_backup`] / [`open_backup`] read a backup without touching any vault.
//! * [`restore`]: [`preview`] tells, per backup account, whether it is new, an exact duplicate or a changed
//!   version of an existing id; [`restore_into`] applies a [`RestoreMode`] through [`Vault::update`], so a
//!   concurrent writer loses nothing.
//! * [`auto`]: when an automatic backup is due ([`auto::Schedule`], pure, `now` is a parameter), writing one
//!   into a folder with rotation ([`auto::run`]), and the status the app shows ([`auto::BackupStatus`]).
//!
//! [`Vault::update`]: crate::vault::Vault::update

pub mod auto;
mod error;
mod file;
pub mod restore;

pub use crate::time::format_utc;
pub use error::BackupError;
pub use file::{
    BACKUP_EXTENSION, BackupInfo, BackupKey, OpenedBackup, check_backup, open_backup, write_backup, write_backup_with,
};
pub use restore::{PlanItem, RestoreMode, RestorePlan, RestoreStatus, RestoreSummary, apply, preview, restore_into};
