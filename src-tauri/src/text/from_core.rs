//! The core's typed errors and remarks as [`Text`]s: one function per core type, one arm per variant, so a new
//! variant is worded here (the `_` arms of `#[non_exhaustive]` enums fall back to the core's English words).

use std::io::ErrorKind;
use std::path::Path;

use twofold_camera::CameraError;
use twofold_core::SecretError;
use twofold_core::atomic::{TypedPathError, WriteError};
use twofold_core::backup::BackupError;
use twofold_core::export::{ExportError, Mismatch, Skipped};
use twofold_core::follow::FollowError;
use twofold_core::icon::{self, IconError};
use twofold_core::iconpack::{self, PackError};
use twofold_core::import::{EntryProblem, ImportError, ProblemKind, Why};
use twofold_core::migration::{EntryError, MigrationError, Rejected};
use twofold_core::otp::OtpError;
use twofold_core::qr::{FileCause, ImageFault, QrError};
use twofold_core::secret::likely_meant;
use twofold_core::sync::SyncError;
use twofold_core::uri::{LinkError, LinkWarning};
use twofold_core::vault::{Corruption, Invalid, VaultError};

use super::{Key, Param, Text};

/// An operating system error: its kind when it is a common one, else the system's own words.
pub fn os_error(error: &std::io::Error) -> Text {
    let key = match error.kind() {
        ErrorKind::NotFound => Key::OsNotFound,
        ErrorKind::PermissionDenied => Key::OsPermissionDenied,
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => Key::OsDiskFull,
        ErrorKind::ReadOnlyFilesystem => Key::OsReadOnly,
        ErrorKind::AlreadyExists => Key::OsAlreadyExists,
        ErrorKind::TimedOut => Key::OsTimedOut,
        // The system's message is the last resort: it is in the system's language, not one we chose.
        _ => return Text::new(Key::OsOther).with("reason", error.to_string()),
    };
    Text::new(key)
}

/// "could not <action> <path>: <reason>", the core's `Io` errors; `action` is the core's verb.
pub fn io_failed(action: &str, path: &Path, source: &std::io::Error) -> Text {
    let key = match action {
        "read" | "read back" | "look at" => Key::IoRead,
        "write"
        | "create the temp file"
        | "create a file in"
        | "move the new file to"
        | "replace the vault with"
        | "save the backup status to"
        | "keep the previous copy as"
        | "restore the previous copy to"
        | "create"
        | "sync"
        | "sync the folder" => Key::IoWrite,
        "create the folder" | "create the backup folder" => Key::IoCreateFolder,
        "list" | "list the backup folder" | "read the folder" => Key::IoList,
        "lock" | "open the lock file" => Key::IoLock,
        _ => Key::IoOther,
    };
    Text::new(key).with("path", path).with("reason", os_error(source))
}

pub fn vault_error(error: &VaultError) -> Text {
    match error {
        VaultError::WrongPassword => Text::new(Key::ImportWrongPassword),
        VaultError::EmptyPassword => Text::new(Key::PasswordEmpty),
        VaultError::Locked { pid: Some(pid) } => Text::new(Key::VaultLockedBy).with("pid", pid.to_string()),
        VaultError::Locked { pid: None } => Text::new(Key::VaultLockedByOther),
        VaultError::Corrupt { what } => Text::new(Key::VaultCorrupt).with("what", corruption(*what)),
        VaultError::NewerFormat { major, .. } => Text::new(Key::VaultNewer).with("major", major.to_string()),
        VaultError::KdfOutOfRange { .. } => Text::new(Key::VaultKdfOutOfRange),
        VaultError::Stale { .. } => Text::new(Key::VaultStale),
        VaultError::KeyChanged => Text::new(Key::VaultKeyChanged),
        VaultError::NotFound { path } => Text::new(Key::BackupNotFound).with("path", path),
        VaultError::AlreadyExists { path } => Text::new(Key::VaultExistsAt).with("path", path),
        VaultError::PreviousExists { path } => Text::new(Key::VaultPreviousExists).with("path", path),
        VaultError::UnknownAccount { id } => Text::new(Key::NoAccountWithId).with("id", id.to_string()),
        VaultError::NotHotp { id } => Text::new(Key::VaultNotHotp).with("id", id.to_string()),
        VaultError::InvalidContents { reason } => {
            Text::new(Key::VaultInvalidContents).with("reason", invalid_contents(reason))
        }
        VaultError::ReadBackFailed => Text::new(Key::VaultReadBackFailed),
        VaultError::Io { action, path, source } => io_failed(action, path, source),
        VaultError::NoDataDir => Text::new(Key::VaultNoDataDir),
        VaultError::Random => Text::new(Key::NoRandom),
        VaultError::NoDeviceSlot => Text::new(Key::VaultNoDeviceSlot),
        VaultError::DeviceKeyMismatch => Text::new(Key::VaultDeviceKeyMismatch),
        VaultError::TooManySlots { max } => Text::new(Key::VaultTooManySlots).with("count", *max),
        other => Text::raw(other.to_string()),
    }
}

/// What is invalid in a vault's contents. Accounts and deleted entries are counted from 1 here (the core's
/// English counts from 0, as the file's list does).
pub fn invalid_contents(reason: &Invalid) -> Text {
    let number = |index: &usize| index.saturating_add(1).to_string();
    match reason {
        Invalid::KeyWrapping => Text::new(Key::InvalidKeyWrapping),
        Invalid::PayloadKey => Text::new(Key::InvalidPayloadKey),
        Invalid::SlotCount { max } => Text::new(Key::InvalidSlotCount).with("count", *max),
        Invalid::PayloadTooLarge => Text::new(Key::InvalidPayloadTooLarge),
        Invalid::PayloadNotWritten => Text::new(Key::InvalidPayloadNotWritten),
        Invalid::AccountsNotAList => Text::new(Key::InvalidAccountsNotAList),
        Invalid::AccountNotObject { index } => Text::new(Key::InvalidAccountNotObject).with("number", number(index)),
        Invalid::AccountRepeatsId { index } => Text::new(Key::InvalidAccountRepeatsId).with("number", number(index)),
        Invalid::AccountField { index, field } => {
            Text::new(Key::InvalidAccountField).with("number", number(index)).with("field", field.as_str())
        }
        Invalid::DeletedNotAList => Text::new(Key::InvalidDeletedNotAList),
        Invalid::DeletedEntry { index } => Text::new(Key::InvalidDeletedEntry).with("number", number(index)),
        Invalid::KeyringDays { days, max } => {
            Text::new(Key::InvalidKeyringDays).with("days", days.to_string()).with("max", max.to_string())
        }
        Invalid::CounterOverflow => Text::new(Key::InvalidCounterOverflow),
        Invalid::NoDeviceId { path } => Text::new(Key::InvalidNoDeviceId).with("path", path),
        Invalid::DeviceIdNotWritten(error) => write_error(error),
        other => Text::raw(other.to_string()),
    }
}

/// Which part of the vault file is damaged: a short code shown in the detail, not prose.
fn corruption(what: Corruption) -> &'static str {
    match what {
        Corruption::BadMagic => "magic",
        Corruption::BadLength => "length",
        Corruption::BadHeader => "header",
        Corruption::HeaderChecksum => "checksum",
        Corruption::PayloadAuthentication => "payload",
        Corruption::PayloadSyntax => "json",
        _ => "?",
    }
}

pub fn write_error(error: &WriteError) -> Text {
    match error {
        WriteError::Exists { path } => Text::new(Key::FileExistsAt).with("path", path),
        WriteError::Symlink { path } => Text::new(Key::WriteSymlink).with("path", path),
        WriteError::NotAFile { path } => Text::new(Key::WriteNotAFile).with("path", path),
        WriteError::NoFileName { path } => Text::new(Key::WriteNoFileName).with("path", path),
        WriteError::VerifyFailed { path } => Text::new(Key::WriteVerifyFailed).with("path", path),
        WriteError::Io { action, path, source } => io_failed(action, path, source),
        other => Text::raw(other.to_string()),
    }
}

pub fn typed_path_error(error: &TypedPathError) -> Text {
    match error {
        TypedPathError::Empty => Text::new(Key::PathEmpty),
        TypedPathError::Relative { typed } => Text::new(Key::PathRelative).with("typed", typed.as_str()),
        TypedPathError::NoHome { typed } => Text::new(Key::PathNoHome).with("typed", typed.as_str()),
        other => Text::raw(other.to_string()),
    }
}

pub fn backup_error(error: &BackupError) -> Text {
    match error {
        BackupError::WrongPassword => Text::new(Key::BackupWrongPassword),
        BackupError::EmptyPassword => Text::new(Key::PasswordEmpty),
        BackupError::NotTwofold { path } => Text::new(Key::BackupNotTwofold).with("path", path),
        BackupError::NotABackup { path } => Text::new(Key::BackupIsVault).with("path", path),
        BackupError::Damaged { path } => Text::new(Key::BackupDamaged).with("path", path),
        BackupError::NewerFormat { path, major } => {
            Text::new(Key::BackupNewer).with("path", path).with("major", major.to_string())
        }
        BackupError::KdfOutOfRange { path } => Text::new(Key::BackupKdfOutOfRange).with("path", path),
        BackupError::NotFound { path } => Text::new(Key::BackupNotFound).with("path", path),
        BackupError::AlreadyExists { path } => Text::new(Key::FileExistsAt).with("path", path),
        BackupError::VerifyFailed { path } => Text::new(Key::BackupVerifyFailed).with("path", path),
        BackupError::Io { action, path, source } => io_failed(action, path, source),
        BackupError::BadStatus { path } => Text::new(Key::BackupBadStatus).with("path", path),
        BackupError::Write(error) => write_error(error),
        BackupError::Vault(error) => vault_error(error),
        other => Text::raw(other.to_string()),
    }
}

pub fn export_error(error: &ExportError) -> Text {
    match error {
        ExportError::PasswordRequired { format } => {
            Text::new(Key::ExportPasswordRequired).with("format", format.name())
        }
        ExportError::NotEncryptable { format } => Text::new(Key::ExportNotEncryptable).with("format", format.name()),
        ExportError::EmptyPassword => Text::new(Key::PasswordEmpty),
        ExportError::Random => Text::new(Key::NoRandom),
        ExportError::Crypto => Text::new(Key::ExportCrypto),
        ExportError::Serialize => Text::new(Key::ExportSerialize),
        ExportError::QrTooLong { len } => Text::new(Key::ExportQrTooLong).with("count", *len),
        ExportError::Image => Text::new(Key::ExportImage),
        ExportError::NothingToExport { skipped } => Text::new(Key::ExportNothing).with("count", *skipped),
        ExportError::Verification { why } => Text::new(Key::ExportVerification).with("reason", export_mismatch(why)),
        other => Text::raw(other.to_string()),
    }
}

/// How an export failed to read back as written; the English `detail` and `part` stay in the logs.
pub fn export_mismatch(why: &Mismatch) -> Text {
    match why {
        Mismatch::Count { written, read } => {
            Text::new(Key::ExportVerifyCount).with("written", written.to_string()).with("read", read.to_string())
        }
        Mismatch::Differs { number, account, .. } => Text::new(Key::ExportVerifyDiffers)
            .with("number", number.to_string())
            .with("account", account_name(account)),
        Mismatch::Code { number, .. } => Text::new(Key::ExportVerifyCode).with("number", number.to_string()),
        Mismatch::PrintedKey { number } => Text::new(Key::ExportVerifyPrintedKey).with("number", number.to_string()),
        Mismatch::NoSlotOpens => Text::new(Key::ExportVerifyNoSlot),
        Mismatch::Unreadable { .. } => Text::new(Key::ExportVerifyUnreadable),
        other => Text::raw(other.to_string()),
    }
}

pub fn sync_error(error: &SyncError) -> Text {
    match error {
        SyncError::PasswordNeeded { file } => Text::new(Key::SyncPasswordNeeded).with("path", file),
        SyncError::WrongCopyPassword { file } => Text::new(Key::SyncWrongPassword).with("path", file),
        SyncError::Damaged { file } => Text::new(Key::SyncDamaged).with("path", file),
        SyncError::NewerFormat { file } => Text::new(Key::SyncNewer).with("path", file),
        SyncError::NoFolder { path } => Text::new(Key::SyncNoFolder).with("path", path),
        SyncError::VaultFolder { path } => Text::new(Key::SyncVaultFolder).with("path", path),
        SyncError::Vault(error) => vault_error(error),
        SyncError::Write(error) => write_error(error),
        SyncError::Io { action, path, source } => io_failed(action, path, source),
        other => Text::raw(other.to_string()),
    }
}

pub fn follow_error(error: &FollowError) -> Text {
    match error {
        FollowError::Folder { folder, source } => {
            Text::new(Key::FollowFolder).with("path", folder).with("reason", os_error(source))
        }
        FollowError::NoBackups { folder } => Text::new(Key::FollowNoBackups).with("path", folder),
        FollowError::UnknownSource => Text::new(Key::FollowUnknown),
        FollowError::Damaged => Text::new(Key::FollowDamaged),
        FollowError::Import(error) => import_error(error),
        FollowError::Vault(error) => vault_error(error),
        other => Text::raw(other.to_string()),
    }
}

/// A whole import file that could not be read.
pub fn import_error(error: &ImportError) -> Text {
    match error {
        ImportError::UnknownFormat => Text::new(Key::ImportUnknownFormat),
        ImportError::TwofoldFile => Text::new(Key::ImportTwofoldFile),
        ImportError::TooLarge { len, max } => {
            Text::new(Key::ImportTooLarge).with("size", len.to_string()).with("max", max.to_string())
        }
        ImportError::PasswordRequired => Text::new(Key::ImportPasswordRequired),
        ImportError::WrongPassword => Text::new(Key::ImportWrongPassword),
        ImportError::Damaged { why } => Text::new(Key::ImportDamaged).with("reason", import_why(why)),
        ImportError::Empty { why } => Text::new(Key::ImportEmpty).with("reason", import_why(why)),
        ImportError::AccountRestricted => Text::new(Key::ImportAccountRestricted),
        ImportError::KdfOutOfRange { why } => Text::new(Key::ImportKdfOutOfRange).with("reason", import_why(why)),
        ImportError::Unsupported { why } => Text::new(Key::ImportUnsupported).with("reason", import_why(why)),
        ImportError::LimitExceeded { why } => Text::new(Key::ImportLimitExceeded).with("reason", import_why(why)),
        ImportError::Cancelled => Text::new(Key::ImportCancelled),
        other => Text::raw(other.to_string()),
    }
}

/// An account's label (`model::label`, "Issuer (name)") as a parameter: as it is, or the catalog's words
/// for an unnamed account when it is empty (the core's "(unnamed account)" is English, for the CLI).
pub fn account_name(label: &str) -> Param {
    if label.is_empty() { Param::Text(Text::new(Key::UnnamedAccount)) } else { Param::Plain(label.to_owned()) }
}

/// How an entry that was not imported is named: its line of a text file, its name in the file, or both.
pub fn entry_label(problem: &EntryProblem) -> Text {
    match problem.line {
        Some(line) if problem.label.is_empty() => Text::new(Key::EntryLine).with("line", line.to_string()),
        Some(line) => {
            Text::new(Key::EntryLineLabel).with("line", line.to_string()).with("label", problem.label.as_str())
        }
        None => Text::new(Key::Name).with("name", account_name(&problem.label)),
    }
}

/// Why one entry of an import file was not imported.
pub fn import_problem(kind: &ProblemKind) -> Text {
    match kind {
        ProblemKind::UnsupportedType { kind } => Text::new(Key::EntryUnsupportedType).with("kind", kind.as_str()),
        ProblemKind::InvalidParameter(why) => Text::new(Key::EntryInvalid).with("reason", import_why(why)),
        ProblemKind::Secret(error) => secret_error(error),
        ProblemKind::SecretNotBase64 => Text::new(Key::EntrySecretNotBase64),
        ProblemKind::Malformed(why) => Text::new(Key::EntryMalformed).with("reason", import_why(why)),
        other => Text::raw(other.to_string()),
    }
}

/// Why a file or one of its entries could not be read. Field names, numbers and values from the file go in as
/// they are; the libraries' own words (`detail`) stay in the logs.
pub fn import_why(why: &Why) -> Text {
    let field = |key: Key, field: &str| Text::new(key).with("field", field);
    match why {
        Why::NotJson => Text::new(Key::WhyNotJson),
        Why::NotUtf8 => Text::new(Key::WhyNotUtf8),
        Why::MissingField { field: name } => field(Key::WhyMissingField, name),
        Why::InvalidField { field: name } => field(Key::WhyInvalidField, name),
        Why::NotBase64 { field: name } => field(Key::WhyNotBase64, name),
        Why::FileNotBase64 => Text::new(Key::WhyFileNotBase64),
        Why::WrongLength { field: name } => field(Key::WhyWrongLength, name),
        Why::UnexpectedStructure => Text::new(Key::WhyUnexpectedStructure),
        Why::NotAList => Text::new(Key::WhyNotAList),
        Why::CannotDecrypt => Text::new(Key::WhyCannotDecrypt),
        Why::EndsEarly => Text::new(Key::WhyEndsEarly),
        Why::Unknown { field: name, value } => field(Key::WhyUnknown, name).with("value", value.as_str()),
        Why::NotANumber { field: name, value } => field(Key::WhyNotANumber, name).with("value", value.as_str()),
        Why::Negative { field: name, value } => field(Key::WhyNegative, name).with("value", value.to_string()),
        Why::OutOfRange { field: name, value, min, max } => field(Key::WhyOutOfRange, name)
            .with("value", value.to_string())
            .with("min", min.to_string())
            .with("max", max.to_string()),
        Why::NotPowerOfTwo { field: name, value } => {
            field(Key::WhyNotPowerOfTwo, name).with("value", value.to_string())
        }
        Why::TooMuchWork { work, max } => {
            Text::new(Key::WhyTooMuchWork).with("work", work.to_string()).with("max", max.to_string())
        }
        Why::KdfRefused => Text::new(Key::WhyKdfRefused),
        Why::NoPasswordSlot => Text::new(Key::WhyNoPasswordSlot),
        Why::PgpEncrypted => Text::new(Key::WhyPgpEncrypted),
        Why::GeneratedColumn { table, column } => {
            Text::new(Key::WhyGeneratedColumn).with("table", table.as_str()).with("column", column.as_str())
        }
        Why::Database { .. } => Text::new(Key::WhyDatabase),
        Why::Archive { .. } => Text::new(Key::WhyArchive),
        Why::TooMany { field: name, count, max } => {
            field(Key::WhyTooMany, name).with("number", count.to_string()).with("max", max.to_string())
        }
        Why::TooManyRows { table, max } => {
            Text::new(Key::WhyTooManyRows).with("table", table.as_str()).with("max", max.to_string())
        }
        Why::TooMuchData { max } => Text::new(Key::WhyTooMuchData).with("max", max.to_string()),
        Why::EndlessQuery => Text::new(Key::WhyEndlessQuery),
        Why::NoEntries => Text::new(Key::WhyNoEntries),
        Why::NoLinks => Text::new(Key::WhyNoLinks),
        Why::NotALink => Text::new(Key::WhyNotALink),
        Why::NoReadableLink { first } => Text::new(Key::WhyNoReadableLink)
            .with("label", entry_label(first))
            .with("reason", import_problem(&first.kind)),
        Why::Link(error) => link_error(error),
        Why::Transfer(error) => migration_error(error),
        Why::TransferEntry(error) => transfer_entry_error(error),
        other => Text::raw(other.to_string()),
    }
}

pub fn secret_error(error: &SecretError) -> Text {
    match error {
        SecretError::Empty => Text::new(Key::SecretEmpty),
        SecretError::InvalidBase32Char { position, character } => {
            let shown = if character.is_control() || character.is_whitespace() {
                format!("U+{:04X}", u32::from(*character))
            } else {
                format!("\"{character}\"")
            };
            // 0, 1 and 8 get a sentence of their own that asks whether O, I or B was meant.
            let key =
                if likely_meant(*character).is_some() { Key::SecretBadCharacterMeant } else { Key::SecretBadCharacter };
            Text::new(key).with("position", position.to_string()).with("character", shown)
        }
        SecretError::InvalidBase32Length { len } => Text::new(Key::SecretBadLength).with("count", *len),
        SecretError::NotWholeBytes { characters } => Text::new(Key::SecretNotWholeBytes).with("count", *characters),
        SecretError::TooShort { bits, min } => {
            Text::new(Key::SecretTooShort).with("bits", bits.to_string()).with("min", min.to_string())
        }
        SecretError::InvalidHex => Text::new(Key::SecretNotHex),
        SecretError::TooLong { len, max } => {
            Text::new(Key::SecretTooLong).with("size", len.to_string()).with("max", max.to_string())
        }
        other => Text::raw(other.to_string()),
    }
}

pub fn link_error(error: &LinkError) -> Text {
    match error {
        LinkError::Empty => Text::new(Key::LinkEmpty),
        LinkError::TooLong { len, max } => {
            Text::new(Key::LinkTooLong).with("size", len.to_string()).with("max", max.to_string())
        }
        LinkError::NotOtpauth => Text::new(Key::LinkNotOtpauth),
        LinkError::TransferLink => Text::new(Key::LinkTransfer),
        LinkError::MissingType => Text::new(Key::LinkMissingType),
        LinkError::UnsupportedType { kind } => Text::new(Key::LinkUnsupportedType).with("value", kind.as_str()),
        LinkError::MissingSecret => Text::new(Key::LinkMissingSecret),
        LinkError::Secret(error) => secret_error(error),
        LinkError::InvalidAlgorithm { value } => Text::new(Key::LinkBadAlgorithm).with("value", value.as_str()),
        LinkError::InvalidDigits { value } => Text::new(Key::LinkBadDigits).with("value", value.as_str()),
        LinkError::InvalidPeriod { value } => Text::new(Key::LinkBadPeriod).with("value", value.as_str()),
        LinkError::InvalidCounter { value } => Text::new(Key::LinkBadCounter).with("value", value.as_str()),
        LinkError::MissingCounter => Text::new(Key::LinkMissingCounter),
        LinkError::Otp(error) => otp_error(error),
        other => Text::raw(other.to_string()),
    }
}

pub fn otp_error(error: &OtpError) -> Text {
    match error {
        OtpError::InvalidDigits { digits, min, max } => Text::new(Key::OtpDigits)
            .with("value", digits.to_string())
            .with("min", min.to_string())
            .with("max", max.to_string()),
        OtpError::InvalidPeriod { period, min, max } => Text::new(Key::OtpPeriod)
            .with("value", period.to_string())
            .with("min", min.to_string())
            .with("max", max.to_string()),
        OtpError::SteamDigits { digits, expected } => {
            Text::new(Key::OtpSteamDigits).with("value", digits.to_string()).with("expected", expected.to_string())
        }
        OtpError::SteamAlgorithm { algorithm } => Text::new(Key::OtpSteamAlgorithm).with("value", *algorithm),
        OtpError::TimeBeforeEpoch { .. } => Text::new(Key::OtpTime),
        other => Text::raw(other.to_string()),
    }
}

/// A remark about a link (or a file's entry) that was read anyway.
pub fn link_warning(warning: &LinkWarning) -> Text {
    match warning {
        LinkWarning::IssuerMismatch { label, param } => {
            Text::new(Key::WarnIssuerMismatch).with("label", label.as_str()).with("param", param.as_str())
        }
        LinkWarning::DuplicateParameter { name } => Text::new(Key::WarnDuplicateParameter).with("name", name.as_str()),
        LinkWarning::IgnoredForSteam { name } => Text::new(Key::WarnIgnoredForSteam).with("name", name.as_str()),
        LinkWarning::UnusualKeyLength { characters } => Text::new(Key::WarnUnusualKeyLength).with("count", *characters),
        LinkWarning::ShortKey { bits, min } => {
            Text::new(Key::WarnShortKey).with("bits", bits.to_string()).with("min", min.to_string())
        }
        other => Text::raw(other.to_string()),
    }
}

pub fn qr_error(error: &QrError) -> Text {
    match error {
        QrError::EmptyFrame { .. } => Text::new(Key::QrEmptyFrame),
        QrError::FrameTooLarge { width, height } => {
            Text::new(Key::QrFrameTooLarge).with("width", width.to_string()).with("height", height.to_string())
        }
        QrError::StrideTooSmall { .. } | QrError::BufferSizeMismatch { .. } => Text::new(Key::QrBadFrame),
        QrError::Image { fault, .. } => Text::new(Key::QrNotImage).with("reason", image_fault(*fault)),
        QrError::FileTooLarge { size } => Text::new(Key::QrFileTooLarge).with("size", size.to_string()),
        QrError::File { path, cause } => {
            let reason = match cause {
                FileCause::Io(e) => os_error(e),
                FileCause::Image { fault, .. } => image_fault(*fault),
                other => Text::raw(other.to_string()),
            };
            Text::new(Key::QrCannotRead).with("path", path).with("reason", reason)
        }
        QrError::NoCode { path } => Text::new(Key::QrNoCode).with("what", path),
        QrError::NoAuthenticatorLink { count, .. } => not_authenticator(*count),
        other => Text::raw(other.to_string()),
    }
}

/// What is wrong with a picture; the image library's English words stay in the logs.
pub fn image_fault(fault: ImageFault) -> Text {
    match fault {
        ImageFault::UnknownFormat => Text::new(Key::ImageUnknownFormat),
        ImageFault::Unsupported => Text::new(Key::ImageUnsupported),
        ImageFault::Damaged => Text::new(Key::ImageDamaged),
        ImageFault::TooLarge => Text::new(Key::ImageTooLarge),
        _ => Text::new(Key::ImageDamaged),
    }
}

/// `count` QR codes were read and none is an authenticator link.
pub fn not_authenticator(count: usize) -> Text {
    if count == 1 {
        Text::new(Key::QrNotAuthenticatorOne)
    } else {
        Text::new(Key::QrNotAuthenticatorMany).with("count", count)
    }
}

pub fn camera_error(error: &CameraError) -> Text {
    match error {
        CameraError::NoCamera => Text::new(Key::CameraNone),
        CameraError::Busy { camera } => Text::new(Key::CameraBusy).with("camera", camera.as_str()),
        CameraError::PermissionDenied { camera } => Text::new(Key::CameraDenied).with("camera", camera.as_str()),
        // The driver library's own (English) words stay in the error's `Display`, for the log.
        CameraError::Device { camera, .. } => Text::new(Key::CameraFailed).with("camera", camera.as_str()),
        CameraError::Fake { path, reason } => {
            Text::new(Key::CameraFake).with("path", path).with("reason", reason.as_str())
        }
        CameraError::BadId(id) => Text::new(Key::CameraBadId).with("id", id.as_str()),
        CameraError::Thread(reason) => Text::new(Key::CameraThread).with("reason", reason.as_str()),
        other => Text::raw(other.to_string()),
    }
}

/// A Google Authenticator transfer code that could not be read.
pub fn migration_error(error: &MigrationError) -> Text {
    let reason = match error {
        MigrationError::Empty => Text::new(Key::LinkEmpty),
        MigrationError::TooLong { len, max } => {
            Text::new(Key::LinkTooLong).with("size", len.to_string()).with("max", max.to_string())
        }
        MigrationError::NotMigration => Text::new(Key::TransferNotMigration),
        MigrationError::MissingData | MigrationError::InvalidBase64 | MigrationError::InvalidPayload { .. } => {
            Text::new(Key::TransferDamaged)
        }
        MigrationError::NoAccounts => Text::new(Key::TransferEmpty),
        other => Text::raw(other.to_string()),
    };
    Text::new(Key::TransferCode).with("reason", reason)
}

/// Why one account of a transfer export cannot be read or written.
pub fn transfer_entry_error(error: &EntryError) -> Text {
    match error {
        EntryError::MissingSecret => Text::new(Key::LinkMissingSecret),
        EntryError::Secret(error) => secret_error(error),
        EntryError::UnsupportedAlgorithm(name) => Text::new(Key::LinkBadAlgorithm).with("value", *name),
        EntryError::UnknownAlgorithm(n) => Text::new(Key::LinkBadAlgorithm).with("value", n.to_string()),
        EntryError::UnknownDigits(n) => Text::new(Key::TransferUnknownDigits).with("value", n.to_string()),
        EntryError::MissingType => Text::new(Key::LinkMissingType),
        EntryError::UnknownType(n) => Text::new(Key::LinkUnsupportedType).with("value", n.to_string()),
        EntryError::SteamUnsupported => Text::new(Key::TransferNoSteam),
        EntryError::PeriodUnsupported(period) => Text::new(Key::TransferPeriod).with("value", period.to_string()),
        EntryError::DigitsUnsupported(digits) => Text::new(Key::TransferDigits).with("value", digits.to_string()),
        other => Text::raw(other.to_string()),
    }
}

/// An account of a transfer export that cannot be imported: its place and label, and why.
pub fn rejected(rejected: &Rejected) -> Text {
    let label = match (rejected.issuer.is_empty(), rejected.name.is_empty()) {
        (false, false) => format!("{} ({})", rejected.issuer, rejected.name),
        (false, true) => rejected.issuer.clone(),
        (true, false) => rejected.name.clone(),
        (true, true) => String::new(),
    };
    let text = Text::new(if label.is_empty() { Key::TransferRejectedNoLabel } else { Key::TransferRejected })
        .with("position", (rejected.index + 1).to_string())
        .with("reason", transfer_entry_error(&rejected.error));
    // The message without a label has no `{label}`: a parameter it does not name would be sent for nothing.
    if label.is_empty() { text } else { text.with("label", label) }
}

/// An account an export left out, and why.
pub fn export_skipped(skipped: &Skipped) -> Text {
    Text::new(Key::ExportSkipped)
        .with("account", account_name(&skipped.account))
        .with("reason", transfer_entry_error(&skipped.error))
}

/// A picture chosen as an account's icon (`name` is the file's) that cannot be used.
pub fn icon_error(name: &str, error: &IconError) -> Text {
    match error {
        IconError::TooLarge => {
            Text::new(Key::IconTooLarge).with("name", name).with("max", (icon::MAX_INPUT >> 20).to_string())
        }
        IconError::Unsupported | IconError::NotStoredPng => Text::new(Key::IconUnsupported).with("name", name),
        // The reason is the image or SVG library's English words, kept for logs: every one of them means the
        // picture is damaged (or an SVG without a size), so the UI says that in its own words.
        IconError::Unreadable(_) => {
            Text::new(Key::IconUnreadable).with("name", name).with("reason", image_fault(ImageFault::Damaged))
        }
        IconError::TooManyPixels => Text::new(Key::IconTooManyPixels).with("name", name).with("max", "8192"),
    }
}

/// An entry name from a pack file, with control characters escaped (it comes from strangers).
fn entry_name(name: &str) -> String {
    name.escape_debug().to_string()
}

/// Why a file is not an icon pack we accept, or a stored pack cannot be used. The ZIP and JSON libraries' own
/// (English) reasons stay in the error's `Display`, for the log.
pub fn pack_error(error: &PackError) -> Text {
    let named = |key: Key, name: &str| Text::new(key).with("name", entry_name(name));
    let mib = |bytes: u64| (bytes >> 20).to_string();
    match error {
        PackError::FileTooLarge => Text::new(Key::PackFileTooLarge).with("max", mib(iconpack::MAX_PACK_FILE as u64)),
        PackError::NotZip(_) => Text::new(Key::PackNotZip),
        PackError::TooManyEntries { count } => {
            Text::new(Key::PackTooManyEntries).with("count", *count).with("max", iconpack::MAX_ENTRIES.to_string())
        }
        PackError::UnsafeName { name } => named(Key::PackUnsafeName, name),
        PackError::Encrypted => Text::new(Key::PackEncrypted),
        PackError::NoPackJson => Text::new(Key::PackNoPackJson),
        PackError::BadPackJson(_) => Text::new(Key::PackBadPackJson),
        PackError::BadUuid(value) => Text::new(Key::PackBadUuid).with("value", entry_name(value)),
        PackError::NoIcons => Text::new(Key::PackNoIcons),
        PackError::TooManyIcons { count } => {
            Text::new(Key::PackTooManyIcons).with("count", *count).with("max", iconpack::MAX_ICONS.to_string())
        }
        PackError::MissingFile { name } => named(Key::PackMissingFile, name),
        PackError::UnsupportedIcon { name } => named(Key::PackUnsupportedIcon, name),
        PackError::EntryTooLarge { name, max } => named(Key::PackEntryTooLarge, name).with("max", mib(*max)),
        PackError::Bomb { name } => named(Key::PackBomb, name).with("ratio", iconpack::MAX_RATIO.to_string()),
        PackError::TooMuchData => Text::new(Key::PackTooMuchData).with("max", mib(iconpack::MAX_TOTAL)),
        PackError::IconsTooLarge => Text::new(Key::PackIconsTooLarge).with("max", mib(iconpack::MAX_ICONS_PNG as u64)),
        PackError::Damaged { name, .. } => named(Key::PackDamaged, name),
        PackError::DamagedEntry { number, .. } => Text::new(Key::PackDamagedEntry).with("number", number.to_string()),
        PackError::BadIcon { name, error } => {
            Text::new(Key::PackBadIcon).with("reason", icon_error(&entry_name(name), error))
        }
        PackError::NotFound(uuid) => Text::new(Key::PackNotFound).with("uuid", uuid.to_string()),
        PackError::StoredDamaged { path, .. } => Text::new(Key::PackStoredDamaged).with("path", path),
        PackError::Io { action, path, source } => io_failed(action, path, source),
        other => Text::raw(other.to_string()),
    }
}
