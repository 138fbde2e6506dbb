//! [`Text`]: a sentence for a person, sent as a key of the UI's catalog (`ui/src/lib/i18n/en/detail.json`) with
//! its parameters, so the UI words it in the person's language. The shell never sends English prose it made
//! itself: error details, import problems, link warnings, scan notes and export losses all become a [`Text`].
//!
//! Parameters are values, not prose: names, paths, counts, app names, and other [`Text`]s (a reason inside a
//! sentence). The English rendering ([`Text`]'s `Display`) reads the same catalog, so logs, tests and the
//! `message` fields kept for them say exactly what the English UI says. Core types are mapped to keys in the
//! submodules, one per area.

mod from_core;

pub use from_core::*;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The English catalog of details, the one source of their wording (and of the keys the shell may send).
const CATALOG: &str = include_str!("../../ui/src/lib/i18n/en/detail.json");
/// The catalog area the keys live in: the UI looks a [`Text`] up as `detail.<key>`.
const AREA: &str = "detail";

/// A sentence the UI words: `key` is `detail.<name>` of the catalog, `params` fill its `{placeholders}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Text {
    pub key: String,
    pub params: BTreeMap<String, Param>,
}

/// A placeholder's value: a number (plural forms are chosen by `count`), a name or path shown as it is, or a
/// nested sentence (worded first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum Param {
    Number(u32),
    Plain(String),
    Text(Text),
}

impl From<u32> for Param {
    fn from(value: u32) -> Self {
        Param::Number(value)
    }
}

impl From<usize> for Param {
    fn from(value: usize) -> Self {
        Param::Number(u32::try_from(value).unwrap_or(u32::MAX))
    }
}

impl From<u64> for Param {
    fn from(value: u64) -> Self {
        Param::Number(u32::try_from(value).unwrap_or(u32::MAX))
    }
}

impl From<String> for Param {
    fn from(value: String) -> Self {
        Param::Plain(value)
    }
}

impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Param::Plain(value.to_string())
    }
}

impl From<&std::path::Path> for Param {
    fn from(value: &std::path::Path) -> Self {
        Param::Plain(value.display().to_string())
    }
}

impl From<&std::path::PathBuf> for Param {
    fn from(value: &std::path::PathBuf) -> Self {
        Param::Plain(value.display().to_string())
    }
}

impl From<Text> for Param {
    fn from(value: Text) -> Self {
        Param::Text(value)
    }
}

macro_rules! keys {
    ($($name:ident = $key:literal,)*) => {
        /// Every key the shell may send; a test holds this list and the catalog to each other.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Key { $($name,)* }

        impl Key {
            pub const ALL: &[Key] = &[$(Key::$name,)*];

            /// The key's name in the catalog (without the area).
            pub fn name(self) -> &'static str {
                match self { $(Key::$name => $key,)* }
            }
        }
    };
}

// The names below are the keys of `ui/src/lib/i18n/en/detail.json` (the UI's test reads this list too).
keys! {
    Raw = "raw",
    Name = "name",
    UnnamedAccount = "unnamed_account",
    WrongPassword = "wrong_password",
    VaultIsLocked = "vault_is_locked",
    NoVaultYet = "no_vault_yet",
    // Operating-system errors, by kind.
    OsNotFound = "os_not_found",
    OsPermissionDenied = "os_permission_denied",
    OsDiskFull = "os_disk_full",
    OsReadOnly = "os_read_only",
    OsAlreadyExists = "os_already_exists",
    OsTimedOut = "os_timed_out",
    OsOther = "os_other",
    // File operations that failed (the core's `Io` errors), by what was being done.
    IoRead = "io_read",
    IoWrite = "io_write",
    IoCreateFolder = "io_create_folder",
    IoList = "io_list",
    IoLock = "io_lock",
    IoOther = "io_other",
    // The shell's own errors.
    VaultExistsAt = "vault_exists_at",
    NoAccountWithId = "no_account_with_id",
    FileExistsAt = "file_exists_at",
    NotInThisBuild = "not_in_this_build",
    Clipboard = "clipboard",
    PasswordEmpty = "password_empty",
    PasswordTooShort = "password_too_short",
    ChooseAtLeastOne = "choose_at_least_one",
    NoAccountNumber = "no_account_number",
    FileChoiceExpired = "file_choice_expired",
    FileChoiceOther = "file_choice_other",
    BackgroundTaskFailed = "background_task_failed",
    InternalFailure = "internal_failure",
    FileNotLocal = "file_not_local",
    WindowNotHidden = "window_not_hidden",
    // Verbs of the shell that need something first.
    NoPreviousCopy = "no_previous_copy",
    PressNextCode = "press_next_code",
    NotTimeBased = "not_time_based",
    OnlyHotpNext = "only_hotp_next",
    NoRecoveryCodes = "no_recovery_codes",
    AlreadySaved = "already_saved",
    NoRecoveryCodeNumber = "no_recovery_code_number",
    BackupPasswordTooShort = "backup_password_too_short",
    ExportNeedsPassword = "export_needs_password",
    ExportConfirmPlain = "export_confirm_plain",
    NotAFile = "not_a_file",
    NoImport = "no_import",
    GiveFilePassword = "give_file_password",
    NoEntryNumber = "no_entry_number",
    PathEmpty = "path_empty",
    PathRelative = "path_relative",
    PathNoHome = "path_no_home",
    EnterWebdavUser = "enter_webdav_user",
    EnterAppPassword = "enter_app_password",
    WebdavNotAllowed = "webdav_not_allowed",
    WebdavBadUrl = "webdav_bad_url",
    ShortcutNotCombination = "shortcut_not_combination",
    ShortcutNeedsModifier = "shortcut_needs_modifier",
    ShortcutTaken = "shortcut_taken",
    EntryLine = "entry_line",
    EntryLineLabel = "entry_line_label",
    ChooseSyncFolder = "choose_sync_folder",
    FollowPasswordWrong = "follow_password_wrong",
    FollowPasswordMissing = "follow_password_missing",
    KeyringDays = "keyring_days",
    KeyringFailed = "keyring_failed",
    IconTooLarge = "icon_too_large",
    IconUnsupported = "icon_unsupported",
    IconUnreadable = "icon_unreadable",
    IconTooManyPixels = "icon_too_many_pixels",
    // Icon packs (`iconpack::PackError`).
    PackFileTooLarge = "pack_file_too_large",
    PackNotZip = "pack_not_zip",
    PackTooManyEntries = "pack_too_many_entries",
    PackUnsafeName = "pack_unsafe_name",
    PackEncrypted = "pack_encrypted",
    PackNoPackJson = "pack_no_pack_json",
    PackBadPackJson = "pack_bad_pack_json",
    PackBadUuid = "pack_bad_uuid",
    PackNoIcons = "pack_no_icons",
    PackTooManyIcons = "pack_too_many_icons",
    PackMissingFile = "pack_missing_file",
    PackUnsupportedIcon = "pack_unsupported_icon",
    PackEntryTooLarge = "pack_entry_too_large",
    PackBomb = "pack_bomb",
    PackTooMuchData = "pack_too_much_data",
    PackIconsTooLarge = "pack_icons_too_large",
    PackDamaged = "pack_damaged",
    PackDamagedEntry = "pack_damaged_entry",
    PackBadIcon = "pack_bad_icon",
    PackNotFound = "pack_not_found",
    PackStoredDamaged = "pack_stored_damaged",
    PackReadBackFailed = "pack_read_back_failed",
    NothingToAddScan = "nothing_to_add_scan",
    NoScannedNumber = "no_scanned_number",
    NothingToAdd = "nothing_to_add",
    NoAccountChosen = "no_account_chosen",
    FileWrite = "file_write",
    // Settings out of range.
    SettingClipboardDelay = "setting_clipboard_delay",
    SettingAutoLock = "setting_auto_lock",
    SettingBackupKeep = "setting_backup_keep",
    SettingBackupFolder = "setting_backup_folder",
    SettingTimeServer = "setting_time_server",
    SettingSyncFolder = "setting_sync_folder",
    SettingClockServer = "setting_clock_server",
    SettingLanguage = "setting_language",
    // The vault.
    VaultLockedBy = "vault_locked_by",
    VaultLockedByOther = "vault_locked_by_other",
    VaultCorrupt = "vault_corrupt",
    VaultNewer = "vault_newer",
    VaultKdfOutOfRange = "vault_kdf_out_of_range",
    VaultStale = "vault_stale",
    VaultKeyChanged = "vault_key_changed",
    VaultPreviousExists = "vault_previous_exists",
    VaultNotHotp = "vault_not_hotp",
    VaultInvalidContents = "vault_invalid_contents",
    // What is invalid in a vault's contents (`vault::Invalid`), the reason of `vault_invalid_contents`.
    InvalidKeyWrapping = "invalid_key_wrapping",
    InvalidPayloadKey = "invalid_payload_key",
    InvalidSlotCount = "invalid_slot_count",
    InvalidPayloadTooLarge = "invalid_payload_too_large",
    InvalidPayloadNotWritten = "invalid_payload_not_written",
    InvalidAccountsNotAList = "invalid_accounts_not_a_list",
    InvalidAccountNotObject = "invalid_account_not_object",
    InvalidAccountRepeatsId = "invalid_account_repeats_id",
    InvalidAccountField = "invalid_account_field",
    InvalidDeletedNotAList = "invalid_deleted_not_a_list",
    InvalidDeletedEntry = "invalid_deleted_entry",
    InvalidKeyringDays = "invalid_keyring_days",
    InvalidCounterOverflow = "invalid_counter_overflow",
    InvalidNoDeviceId = "invalid_no_device_id",
    VaultReadBackFailed = "vault_read_back_failed",
    VaultNoDataDir = "vault_no_data_dir",
    NoRandom = "no_random",
    VaultNoDeviceSlot = "vault_no_device_slot",
    VaultDeviceKeyMismatch = "vault_device_key_mismatch",
    VaultTooManySlots = "vault_too_many_slots",
    // Writing a file.
    WriteSymlink = "write_symlink",
    WriteNotAFile = "write_not_a_file",
    WriteNoFileName = "write_no_file_name",
    WriteVerifyFailed = "write_verify_failed",
    // Backups.
    BackupWrongPassword = "backup_wrong_password",
    BackupNotTwofold = "backup_not_twofold",
    BackupIsVault = "backup_is_vault",
    BackupDamaged = "backup_damaged",
    BackupNewer = "backup_newer",
    BackupKdfOutOfRange = "backup_kdf_out_of_range",
    BackupNotFound = "backup_not_found",
    BackupVerifyFailed = "backup_verify_failed",
    BackupBadStatus = "backup_bad_status",
    // Exports.
    ExportPasswordRequired = "export_password_required",
    ExportNotEncryptable = "export_not_encryptable",
    ExportCrypto = "export_crypto",
    ExportSerialize = "export_serialize",
    ExportQrTooLong = "export_qr_too_long",
    ExportImage = "export_image",
    ExportNothing = "export_nothing",
    ExportVerification = "export_verification",
    ExportVerifyCount = "export_verify_count",
    ExportVerifyDiffers = "export_verify_differs",
    ExportVerifyCode = "export_verify_code",
    ExportVerifyPrintedKey = "export_verify_printed_key",
    ExportVerifyNoSlot = "export_verify_no_slot",
    ExportVerifyUnreadable = "export_verify_unreadable",
    // Sync.
    SyncPasswordNeeded = "sync_password_needed",
    SyncWrongPassword = "sync_wrong_password",
    SyncDamaged = "sync_damaged",
    SyncNewer = "sync_newer",
    SyncNoFolder = "sync_no_folder",
    SyncVaultFolder = "sync_vault_folder",
    SyncSkipped = "sync_skipped",
    SyncSkipLocked = "sync_skip_locked",
    SyncSkipDamaged = "sync_skip_damaged",
    SyncSkipNewer = "sync_skip_newer",
    SyncSkipOtherPassword = "sync_skip_other_password",
    SyncSkipBackup = "sync_skip_backup",
    SyncSkipTooMany = "sync_skip_too_many",
    SyncSkipUnreadable = "sync_skip_unreadable",
    // Followed folders.
    FollowFolder = "follow_folder",
    FollowNoBackups = "follow_no_backups",
    FollowUnknown = "follow_unknown",
    FollowDamaged = "follow_damaged",
    // Whole import files.
    InFile = "in_file",
    ImportUnknownFormat = "import_unknown_format",
    ImportTwofoldFile = "import_twofold_file",
    ImportTooLarge = "import_too_large",
    ImportPasswordRequired = "import_password_required",
    ImportWrongPassword = "import_wrong_password",
    ImportDamaged = "import_damaged",
    ImportEmpty = "import_empty",
    ImportAccountRestricted = "import_account_restricted",
    ImportKdfOutOfRange = "import_kdf_out_of_range",
    ImportUnsupported = "import_unsupported",
    ImportLimitExceeded = "import_limit_exceeded",
    ImportCancelled = "import_cancelled",
    // One entry of an import file.
    EntryUnsupportedType = "entry_unsupported_type",
    EntryInvalid = "entry_invalid",
    EntrySecretNotBase64 = "entry_secret_not_base64",
    EntryMalformed = "entry_malformed",
    EntryWarning = "entry_warning",
    // Why a file or an entry could not be read (`import::Why`).
    WhyNotJson = "why_not_json",
    WhyNotUtf8 = "why_not_utf8",
    WhyMissingField = "why_missing_field",
    WhyInvalidField = "why_invalid_field",
    WhyNotBase64 = "why_not_base64",
    WhyFileNotBase64 = "why_file_not_base64",
    WhyWrongLength = "why_wrong_length",
    WhyUnexpectedStructure = "why_unexpected_structure",
    WhyNotAList = "why_not_a_list",
    WhyCannotDecrypt = "why_cannot_decrypt",
    WhyEndsEarly = "why_ends_early",
    WhyUnknown = "why_unknown",
    WhyNotANumber = "why_not_a_number",
    WhyNegative = "why_negative",
    WhyOutOfRange = "why_out_of_range",
    WhyNotPowerOfTwo = "why_not_power_of_two",
    WhyTooMuchWork = "why_too_much_work",
    WhyKdfRefused = "why_kdf_refused",
    WhyNoPasswordSlot = "why_no_password_slot",
    WhyPgpEncrypted = "why_pgp_encrypted",
    WhyGeneratedColumn = "why_generated_column",
    WhyDatabase = "why_database",
    WhyArchive = "why_archive",
    WhyTooMany = "why_too_many",
    WhyTooManyRows = "why_too_many_rows",
    WhyTooMuchData = "why_too_much_data",
    WhyEndlessQuery = "why_endless_query",
    WhyNoEntries = "why_no_entries",
    WhyNoLinks = "why_no_links",
    WhyNotALink = "why_not_a_link",
    WhyNoReadableLink = "why_no_readable_link",
    // Keys.
    SecretEmpty = "secret_empty",
    SecretBadCharacter = "secret_bad_character",
    SecretBadCharacterMeant = "secret_bad_character_meant",
    SecretBadLength = "secret_bad_length",
    SecretNotWholeBytes = "secret_not_whole_bytes",
    SecretTooShort = "secret_too_short",
    SecretNotHex = "secret_not_hex",
    SecretTooLong = "secret_too_long",
    // Links.
    LinkEmpty = "link_empty",
    LinkTooLong = "link_too_long",
    LinkNotOtpauth = "link_not_otpauth",
    LinkTransfer = "link_transfer",
    LinkMissingType = "link_missing_type",
    LinkUnsupportedType = "link_unsupported_type",
    LinkMissingSecret = "link_missing_secret",
    LinkBadAlgorithm = "link_bad_algorithm",
    LinkBadDigits = "link_bad_digits",
    LinkBadPeriod = "link_bad_period",
    LinkBadCounter = "link_bad_counter",
    LinkMissingCounter = "link_missing_counter",
    OtpDigits = "otp_digits",
    OtpPeriod = "otp_period",
    OtpSteamDigits = "otp_steam_digits",
    OtpSteamAlgorithm = "otp_steam_algorithm",
    OtpTime = "otp_time",
    // Remarks about a link that was read anyway.
    WarnIssuerMismatch = "warn_issuer_mismatch",
    WarnDuplicateParameter = "warn_duplicate_parameter",
    WarnIgnoredForSteam = "warn_ignored_for_steam",
    WarnUnusualKeyLength = "warn_unusual_key_length",
    WarnShortKey = "warn_short_key",
    // Google Authenticator transfer codes.
    TransferCode = "transfer_code",
    TransferNotMigration = "transfer_not_migration",
    TransferDamaged = "transfer_damaged",
    TransferEmpty = "transfer_empty",
    TransferUnknownDigits = "transfer_unknown_digits",
    TransferNoSteam = "transfer_no_steam",
    TransferPeriod = "transfer_period",
    TransferDigits = "transfer_digits",
    TransferRejected = "transfer_rejected",
    TransferRejectedNoLabel = "transfer_rejected_no_label",
    // Scan notes.
    OtherCodesIgnored = "other_codes_ignored",
    OtherExport = "other_export",
    BrokenLink = "broken_link",
    // Export losses.
    ExportSkipped = "export_skipped",
    // QR codes and cameras.
    SourceClipboard = "source_clipboard",
    SourceClipboardImage = "source_clipboard_image",
    SourceScreen = "source_screen",
    SourceCamera = "source_camera",
    SourceOpenedLink = "source_opened_link",
    SourcePastedLink = "source_pasted_link",
    ClipboardNotLink = "clipboard_not_link",
    ClipboardEmpty = "clipboard_empty",
    CaptureWayland = "capture_wayland",
    CaptureFailed = "capture_failed",
    NotAnImage = "not_an_image",
    QrEmptyFrame = "qr_empty_frame",
    QrFrameTooLarge = "qr_frame_too_large",
    QrBadFrame = "qr_bad_frame",
    QrNotImage = "qr_not_image",
    ImageUnknownFormat = "image_unknown_format",
    ImageUnsupported = "image_unsupported",
    ImageDamaged = "image_damaged",
    ImageTooLarge = "image_too_large",
    QrFileTooLarge = "qr_file_too_large",
    QrCannotRead = "qr_cannot_read",
    QrNoCode = "qr_no_code",
    QrNotAuthenticatorOne = "qr_not_authenticator_one",
    QrNotAuthenticatorMany = "qr_not_authenticator_many",
    CameraNone = "camera_none",
    CameraBusy = "camera_busy",
    CameraDenied = "camera_denied",
    CameraFailed = "camera_failed",
    CameraFake = "camera_fake",
    CameraBadId = "camera_bad_id",
    CameraThread = "camera_thread",
}

impl Text {
    /// The sentence `key` with no parameters.
    pub fn new(key: Key) -> Self {
        Text { key: format!("{AREA}.{}", key.name()), params: BTreeMap::new() }
    }

    /// Adds the parameter `name`.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<Param>) -> Self {
        self.params.insert(name.to_string(), value.into());
        self
    }

    /// A text the shell stored earlier (as JSON, in a status file), if it still names keys this version sends:
    /// a file from another version may name one that is gone.
    pub fn from_stored(value: &serde_json::Value) -> Option<Text> {
        let text = Text::deserialize(value).ok()?;
        text.known().then_some(text)
    }

    /// Whether the key and every nested key are in [`Key::ALL`].
    fn known(&self) -> bool {
        let known = self
            .key
            .strip_prefix(AREA)
            .and_then(|k| k.strip_prefix('.'))
            .is_some_and(|name| Key::ALL.iter().any(|key| key.name() == name));
        known && self.params.values().all(|p| !matches!(p, Param::Text(inner) if !inner.known()))
    }

    /// Words the shell did not make into a key (a third-party library's message): shown as they are. Kept for
    /// the few places left; each is a place that still speaks English.
    pub fn raw(text: impl Into<String>) -> Self {
        let text: String = text.into();
        Text::new(Key::Raw).with("text", text)
    }
}

type Messages = HashMap<String, serde_json::Value>;

/// The English catalog, read once.
fn english() -> &'static Messages {
    static MESSAGES: OnceLock<Messages> = OnceLock::new();
    MESSAGES.get_or_init(|| serde_json::from_str(CATALOG).unwrap_or_default())
}

/// `message` (a string, or an object of plural forms chosen by `count`) in English, with `{name}` filled in.
fn fill(message: &serde_json::Value, params: &BTreeMap<String, Param>) -> Option<String> {
    let template = match message {
        serde_json::Value::String(text) => text.as_str(),
        serde_json::Value::Object(forms) => {
            let one = matches!(params.get("count"), Some(Param::Number(1)));
            let form = if one { forms.get("one").or_else(|| forms.get("other")) } else { forms.get("other") };
            form?.as_str()?
        }
        _ => return None,
    };
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_alphanumeric() || c == '_') => {
                match params.get(&after[..close]) {
                    Some(Param::Number(n)) => out.push_str(&n.to_string()),
                    Some(Param::Plain(text)) => out.push_str(text),
                    Some(Param::Text(text)) => out.push_str(&text.to_string()),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The English wording, as the English UI shows it (for logs, the `message` fields and tests).
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.key.strip_prefix(AREA).and_then(|k| k.strip_prefix('.')).unwrap_or(&self.key);
        match english().get(name).and_then(|message| fill(message, &self.params)) {
            Some(text) => f.write_str(&text),
            None => f.write_str(&self.key),
        }
    }
}

#[cfg(test)]
mod tests;
