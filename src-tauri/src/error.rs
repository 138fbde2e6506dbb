//! The shell's one error type and the `{ code, message }` shape every rejected command sends to the UI.
//!
//! Messages are lowercase without a trailing dot and never contain key material: they name what failed
//! (an account id, a file path), not the secret that was involved. This is the one place where the core's
//! errors (vault, import, backup, export, QR, camera) become [`ShellError`]s.

use serde::Serialize;
use ts_rs::TS;
use twofold_camera::CameraError;
use twofold_core::atomic::WriteError;
use twofold_core::backup::BackupError;
use twofold_core::export::ExportError;
use twofold_core::follow::FollowError;
use twofold_core::import::ImportError;
use twofold_core::qr::QrError;
use twofold_core::sync::SyncError;
use twofold_core::vault::VaultError;

/// A stable, machine-readable reason the UI can branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The password does not open the vault.
    WrongPassword,
    /// The command needs an unlocked vault.
    Locked,
    /// There is no vault yet: create one first.
    NoVault,
    /// A vault already exists where one would be created.
    VaultExists,
    /// No account with that id.
    NotFound,
    /// The user's input cannot be used as given (a bad key, an empty password, a broken link).
    InvalidInput,
    /// Reading or writing a file failed.
    Io,
    /// The vault file could not be read or saved (damaged, newer format, changed or locked by another program).
    Vault,
    /// The clipboard could not be read or written.
    Clipboard,
    /// This build does not have the core feature the command needs yet.
    NotAvailable,
    /// No camera is connected (or the chosen one has gone).
    NoCamera,
    /// Another program is using the camera.
    CameraBusy,
    /// The system refused access to the camera.
    CameraDenied,
    /// The image, clipboard or screen holds no readable QR code.
    NoQrCode,
    /// A QR code was read, but it is not an `otpauth://` or Google Authenticator transfer link.
    NotAuthenticator,
    /// The platform does not let us capture the screen (Wayland without a screenshot portal).
    CaptureUnavailable,
    /// A file given to Import is our own backup or vault: it is restored on Backups → Restore. The message is
    /// the file's name.
    TwofoldBackup,
    /// A file given to Backups (check or restore) is another app's export: its accounts come in through
    /// Import. The message is the app's name, as the user knows it.
    ForeignExport,
    /// The file to write exists: the UI asks whether to replace it and calls again with `replace`.
    FileExists,
}

/// The error a command returns; serialized as [`ErrorPayload`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShellError {
    #[error("wrong password")]
    WrongPassword,
    #[error("the vault is locked")]
    Locked,
    #[error("there is no vault yet")]
    NoVault,
    #[error("a vault already exists at {0}")]
    VaultExists(String),
    #[error("no account with id {0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    Vault(String),
    #[error("clipboard: {0}")]
    Clipboard(String),
    #[error("{0} is not available in this build yet")]
    NotAvailable(&'static str),
    /// The file named (a full path) exists and the person has not said to replace it.
    #[error("{0} already exists")]
    FileExists(String),
    /// A scan problem with its own code (no camera, no QR code…): see [`crate::scan`].
    #[error("{message}")]
    Scan { code: ErrorCode, message: String },
}

impl ShellError {
    pub fn code(&self) -> ErrorCode {
        match self {
            ShellError::WrongPassword => ErrorCode::WrongPassword,
            ShellError::Locked => ErrorCode::Locked,
            ShellError::NoVault => ErrorCode::NoVault,
            ShellError::VaultExists(_) => ErrorCode::VaultExists,
            ShellError::NotFound(_) => ErrorCode::NotFound,
            ShellError::InvalidInput(_) => ErrorCode::InvalidInput,
            ShellError::Io(_) => ErrorCode::Io,
            ShellError::Vault(_) => ErrorCode::Vault,
            ShellError::Clipboard(_) => ErrorCode::Clipboard,
            ShellError::NotAvailable(_) => ErrorCode::NotAvailable,
            ShellError::FileExists(_) => ErrorCode::FileExists,
            ShellError::Scan { code, .. } => *code,
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload { code: self.code(), message: self.to_string() }
    }
}

/// What the UI receives when a command fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    pub message: String,
}

impl Serialize for ShellError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

pub type ShellResult<T> = Result<T, ShellError>;

impl ShellError {
    /// A scan problem with its own code.
    pub fn scan(code: ErrorCode, message: impl Into<String>) -> Self {
        ShellError::Scan { code, message: message.into() }
    }

    /// `what` (an image, the screen, the clipboard) holds no readable QR code.
    pub fn no_qr_code(what: &str) -> Self {
        Self::scan(ErrorCode::NoQrCode, format!("no QR code found in {what}"))
    }

    /// `count` QR codes were read and none is an authenticator link.
    pub fn not_authenticator(count: usize) -> Self {
        let message = if count == 1 {
            "this QR code is not an authenticator code (it holds no otpauth:// link)".to_string()
        } else {
            format!("none of these {count} QR codes is an authenticator code (no otpauth:// link)")
        };
        Self::scan(ErrorCode::NotAuthenticator, message)
    }

    /// The QR decoder's error for `what`.
    pub fn from_qr(error: QrError, what: &str) -> Self {
        match error {
            QrError::NoCode { .. } => Self::no_qr_code(what),
            QrError::NoAuthenticatorLink { count, .. } => Self::not_authenticator(count),
            other => ShellError::InvalidInput(other.to_string()),
        }
    }

    /// An importer's error for the file `file_name`.
    pub fn from_import(file_name: &str, error: ImportError) -> Self {
        match error {
            ImportError::WrongPassword => ShellError::WrongPassword,
            ImportError::TwofoldFile => Self::scan(ErrorCode::TwofoldBackup, file_name),
            // The user cancelled: the file is gone, so nothing about it is left to choose.
            ImportError::Cancelled => ShellError::InvalidInput("the import was cancelled".into()),
            other => ShellError::InvalidInput(format!("{file_name}: {other}")),
        }
    }
}

impl From<VaultError> for ShellError {
    fn from(error: VaultError) -> Self {
        match error {
            VaultError::WrongPassword => ShellError::WrongPassword,
            VaultError::EmptyPassword => ShellError::InvalidInput("the password is empty".into()),
            VaultError::NotFound { .. } => ShellError::NoVault,
            VaultError::AlreadyExists { path } => ShellError::VaultExists(path.display().to_string()),
            VaultError::UnknownAccount { id } => ShellError::NotFound(id.to_string()),
            other => ShellError::Vault(other.to_string()),
        }
    }
}

impl From<FollowError> for ShellError {
    fn from(error: FollowError) -> Self {
        match error {
            FollowError::Vault(error) => ShellError::from(error),
            FollowError::Import(error) => ShellError::from_import("", error),
            FollowError::Folder { .. } => ShellError::Io(error.to_string()),
            other => ShellError::InvalidInput(other.to_string()),
        }
    }
}

impl From<BackupError> for ShellError {
    fn from(error: BackupError) -> Self {
        match error {
            BackupError::WrongPassword => ShellError::WrongPassword,
            BackupError::EmptyPassword => ShellError::InvalidInput("the password is empty".into()),
            BackupError::AlreadyExists { path } => ShellError::FileExists(path.display().to_string()),
            BackupError::Io { .. } | BackupError::NotFound { .. } | BackupError::Write(_) => {
                ShellError::Io(error.to_string())
            }
            BackupError::Vault(error) => ShellError::from(error),
            other => ShellError::Vault(other.to_string()),
        }
    }
}

impl From<SyncError> for ShellError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::WrongCopyPassword { .. } => ShellError::WrongPassword,
            SyncError::Vault(error) => ShellError::from(error),
            SyncError::Write(error) => ShellError::from(error),
            SyncError::NoFolder { .. } | SyncError::VaultFolder { .. } => ShellError::InvalidInput(error.to_string()),
            SyncError::Io { .. } => ShellError::Io(error.to_string()),
            other => ShellError::Vault(other.to_string()),
        }
    }
}

impl From<WriteError> for ShellError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Exists { path } => ShellError::FileExists(path.display().to_string()),
            other => ShellError::Io(other.to_string()),
        }
    }
}

impl From<ExportError> for ShellError {
    fn from(error: ExportError) -> Self {
        match error {
            ExportError::EmptyPassword | ExportError::NothingToExport { .. } => {
                ShellError::InvalidInput(error.to_string())
            }
            other => ShellError::Vault(other.to_string()),
        }
    }
}

impl From<CameraError> for ShellError {
    fn from(error: CameraError) -> Self {
        let code = match error {
            CameraError::NoCamera => ErrorCode::NoCamera,
            CameraError::Busy { .. } => ErrorCode::CameraBusy,
            CameraError::PermissionDenied { .. } => ErrorCode::CameraDenied,
            _ => ErrorCode::Io,
        };
        Self::scan(code, error.to_string())
    }
}

#[cfg(test)]
mod tests;
