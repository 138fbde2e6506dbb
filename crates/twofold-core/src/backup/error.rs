//! The error type of the backup boundary.
//!
//! Messages are single lowercase lines for people (the CLI prints them as they are). No variant carries a
//! password, a key or decrypted text: only paths, numbers and fixed descriptions.

use std::path::PathBuf;

use crate::vault::VaultError;

/// Everything that can go wrong writing, reading, restoring or rotating backups.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError {
    #[error("wrong password for this backup")]
    WrongPassword,
    #[error("password is empty")]
    EmptyPassword,
    #[error("{} is not a Twofold backup", path.display())]
    NotTwofold { path: PathBuf },
    #[error("{} is a Twofold vault, not a backup", path.display())]
    NotABackup { path: PathBuf },
    #[error("backup {} is damaged or was tampered with", path.display())]
    Damaged { path: PathBuf },
    #[error("backup {} was written by a newer Twofold (format {major})", path.display())]
    NewerFormat { path: PathBuf, major: u16 },
    #[error("backup {} asks for key derivation costs out of range", path.display())]
    KdfOutOfRange { path: PathBuf },
    #[error("no backup at {}", path.display())]
    NotFound { path: PathBuf },
    #[error("{} already exists", path.display())]
    AlreadyExists { path: PathBuf },
    #[error("the backup written to {} did not read back intact; it was not kept", path.display())]
    VerifyFailed { path: PathBuf },
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("backup status {} is unreadable", path.display())]
    BadStatus { path: PathBuf },
    /// The backup file could not be put in place (a link at the destination, a folder…).
    #[error(transparent)]
    Write(crate::atomic::WriteError),
    /// An error of the vault being backed up or restored into (not of the backup file).
    #[error(transparent)]
    Vault(#[from] VaultError),
}

impl From<crate::atomic::WriteError> for BackupError {
    fn from(error: crate::atomic::WriteError) -> Self {
        use crate::atomic::WriteError;
        match error {
            WriteError::Exists { path } => BackupError::AlreadyExists { path },
            WriteError::VerifyFailed { path } => BackupError::VerifyFailed { path },
            WriteError::Io { action, path, source } => BackupError::Io { action, path, source },
            other => BackupError::Write(other),
        }
    }
}

impl BackupError {
    pub(crate) fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        BackupError::Io { action, path: path.into(), source }
    }

    /// Words a vault-container error met while reading the backup file at `path` as a backup error: the
    /// container is shared, the message names the backup.
    pub(crate) fn reading(path: &std::path::Path, error: VaultError) -> Self {
        use crate::vault::Corruption;
        let path = path.to_path_buf();
        match error {
            VaultError::WrongPassword => BackupError::WrongPassword,
            VaultError::EmptyPassword => BackupError::EmptyPassword,
            VaultError::Corrupt { what: Corruption::BadMagic } => BackupError::NotTwofold { path },
            VaultError::Corrupt { .. } | VaultError::InvalidContents { .. } => BackupError::Damaged { path },
            VaultError::NewerFormat { major, .. } => BackupError::NewerFormat { path, major },
            VaultError::KdfOutOfRange { .. } => BackupError::KdfOutOfRange { path },
            VaultError::NotFound { .. } => BackupError::NotFound { path },
            other => BackupError::Vault(other),
        }
    }
}
