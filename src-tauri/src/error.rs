//! The shell's one error type and the `{ code, message }` shape every rejected command sends to the UI.
//!
//! Messages are lowercase without a trailing dot and never contain key material: they name what failed
//! (an account id, a file path), not the secret that was involved. This is the one place where the core's
//! errors (vault, import, backup, export, QR, camera) become [`ShellError`]s, each with its detail as a
//! [`Text`] the UI words (`crate::text`).

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

use crate::text::{self, Key, Param, Text};

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
    /// Words the shell has not made into a key yet (the UI shows them as they are: English).
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
    /// A failure with its code and its detail as a key of the UI's catalog; the message is the English wording.
    #[error("{detail}")]
    Coded { code: ErrorCode, detail: Text },
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
            ShellError::Coded { code, .. } => *code,
        }
    }

    /// The detail the UI words into its sentence for [`ShellError::code`].
    pub fn detail(&self) -> Text {
        match self {
            ShellError::WrongPassword => Text::new(Key::WrongPassword),
            ShellError::Locked => Text::new(Key::VaultIsLocked),
            ShellError::NoVault => Text::new(Key::NoVaultYet),
            ShellError::VaultExists(path) => Text::new(Key::VaultExistsAt).with("path", path.as_str()),
            ShellError::NotFound(id) => Text::new(Key::NoAccountWithId).with("id", id.as_str()),
            ShellError::InvalidInput(words) | ShellError::Io(words) | ShellError::Vault(words) => {
                Text::raw(words.as_str())
            }
            ShellError::Clipboard(reason) => Text::new(Key::Clipboard).with("reason", reason.as_str()),
            ShellError::NotAvailable(what) => Text::new(Key::NotInThisBuild).with("what", *what),
            ShellError::FileExists(path) => Text::new(Key::FileExistsAt).with("path", path.as_str()),
            ShellError::Coded { detail, .. } => detail.clone(),
        }
    }

    pub fn payload(&self) -> ErrorPayload {
        ErrorPayload { code: self.code(), message: self.to_string(), detail: self.detail() }
    }
}

/// What the UI receives when a command fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ErrorPayload {
    pub code: ErrorCode,
    /// The detail in English, for logs and the CLI; the UI words [`ErrorPayload::detail`].
    pub message: String,
    pub detail: Text,
}

impl Serialize for ShellError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.payload().serialize(serializer)
    }
}

pub type ShellResult<T> = Result<T, ShellError>;

impl ShellError {
    /// A failure with its own code, worded by `detail`.
    pub fn coded(code: ErrorCode, detail: Text) -> Self {
        ShellError::Coded { code, detail }
    }

    /// A failure with its own code whose detail is a name (a file's, an app's), shown as it is.
    pub fn named(code: ErrorCode, name: impl Into<String>) -> Self {
        let name: String = name.into();
        Self::coded(code, Text::new(Key::Name).with("name", name))
    }

    /// `what` (an image, the screen, the clipboard) holds no readable QR code.
    pub fn no_qr_code(what: Param) -> Self {
        Self::coded(ErrorCode::NoQrCode, Text::new(Key::QrNoCode).with("what", what))
    }

    /// `count` QR codes were read and none is an authenticator link.
    pub fn not_authenticator(count: usize) -> Self {
        Self::coded(ErrorCode::NotAuthenticator, text::not_authenticator(count))
    }

    /// The QR decoder's error for `what`.
    pub fn from_qr(error: QrError, what: Param) -> Self {
        match error {
            QrError::NoCode { .. } => Self::no_qr_code(what),
            QrError::NoAuthenticatorLink { count, .. } => Self::not_authenticator(count),
            other => Self::coded(ErrorCode::InvalidInput, text::qr_error(&other)),
        }
    }

    /// An importer's error for the file `file_name`.
    pub fn from_import(file_name: &str, error: ImportError) -> Self {
        match error {
            ImportError::WrongPassword => ShellError::WrongPassword,
            ImportError::TwofoldFile => Self::named(ErrorCode::TwofoldBackup, file_name),
            // The user cancelled: the file is gone, so nothing about it is left to choose.
            ImportError::Cancelled => Self::coded(ErrorCode::InvalidInput, Text::new(Key::ImportCancelled)),
            other if file_name.is_empty() => Self::coded(ErrorCode::InvalidInput, text::import_error(&other)),
            other => Self::coded(
                ErrorCode::InvalidInput,
                Text::new(Key::InFile).with("file", file_name).with("reason", text::import_error(&other)),
            ),
        }
    }
}

impl From<VaultError> for ShellError {
    fn from(error: VaultError) -> Self {
        match error {
            VaultError::WrongPassword => ShellError::WrongPassword,
            VaultError::EmptyPassword => Self::coded(ErrorCode::InvalidInput, Text::new(Key::PasswordEmpty)),
            VaultError::NotFound { .. } => ShellError::NoVault,
            VaultError::AlreadyExists { path } => ShellError::VaultExists(path.display().to_string()),
            VaultError::UnknownAccount { id } => ShellError::NotFound(id.to_string()),
            other => Self::coded(ErrorCode::Vault, text::vault_error(&other)),
        }
    }
}

impl From<FollowError> for ShellError {
    fn from(error: FollowError) -> Self {
        match error {
            FollowError::Vault(error) => ShellError::from(error),
            FollowError::Import(error) => ShellError::from_import("", error),
            FollowError::Folder { .. } => Self::coded(ErrorCode::Io, text::follow_error(&error)),
            other => Self::coded(ErrorCode::InvalidInput, text::follow_error(&other)),
        }
    }
}

impl From<BackupError> for ShellError {
    fn from(error: BackupError) -> Self {
        match error {
            BackupError::WrongPassword => ShellError::WrongPassword,
            BackupError::EmptyPassword => Self::coded(ErrorCode::InvalidInput, Text::new(Key::PasswordEmpty)),
            BackupError::AlreadyExists { path } => ShellError::FileExists(path.display().to_string()),
            BackupError::Io { .. } | BackupError::NotFound { .. } | BackupError::Write(_) => {
                Self::coded(ErrorCode::Io, text::backup_error(&error))
            }
            BackupError::Vault(error) => ShellError::from(error),
            other => Self::coded(ErrorCode::Vault, text::backup_error(&other)),
        }
    }
}

impl From<SyncError> for ShellError {
    fn from(error: SyncError) -> Self {
        match error {
            SyncError::WrongCopyPassword { .. } => ShellError::WrongPassword,
            SyncError::Vault(error) => ShellError::from(error),
            SyncError::Write(error) => ShellError::from(error),
            SyncError::NoFolder { .. } | SyncError::VaultFolder { .. } => {
                Self::coded(ErrorCode::InvalidInput, text::sync_error(&error))
            }
            SyncError::Io { .. } => Self::coded(ErrorCode::Io, text::sync_error(&error)),
            other => Self::coded(ErrorCode::Vault, text::sync_error(&other)),
        }
    }
}

impl From<WriteError> for ShellError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::Exists { path } => ShellError::FileExists(path.display().to_string()),
            other => Self::coded(ErrorCode::Io, text::write_error(&other)),
        }
    }
}

impl From<ExportError> for ShellError {
    fn from(error: ExportError) -> Self {
        match error {
            ExportError::EmptyPassword | ExportError::NothingToExport { .. } => {
                Self::coded(ErrorCode::InvalidInput, text::export_error(&error))
            }
            other => Self::coded(ErrorCode::Vault, text::export_error(&other)),
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
        Self::coded(code, text::camera_error(&error))
    }
}

#[cfg(test)]
mod tests;
