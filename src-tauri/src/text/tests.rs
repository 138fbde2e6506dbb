//! Tests of `text`: the keys and the catalog agree, every core variant is worded by a key with all its
//! placeholders filled, and the English wording is the catalog's.

use std::collections::BTreeSet;
use std::io;
use std::path::PathBuf;

use twofold_camera::CameraError;
use twofold_core::atomic::{TypedPathError, WriteError};
use twofold_core::backup::BackupError;
use twofold_core::export::{self, ExportError};
use twofold_core::follow::FollowError;
use twofold_core::iconpack::PackError;
use twofold_core::import::{ImportError, ProblemKind, Why};
use twofold_core::migration::{EntryError, MigrationError, Rejected};
use twofold_core::otp::OtpError;
use twofold_core::qr::{FileCause, ImageFault, QrError};
use twofold_core::sync::SyncError;
use twofold_core::uri::{LinkError, LinkWarning};
use twofold_core::vault::{Corruption, Invalid, VaultError};
use twofold_core::{AccountId, SecretError};

use super::*;

fn catalog() -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(CATALOG).unwrap()
}

/// The `{name}`s of a catalog message (every plural form).
fn placeholders(message: &serde_json::Value) -> BTreeSet<String> {
    let texts: Vec<&str> = match message {
        serde_json::Value::String(text) => vec![text.as_str()],
        serde_json::Value::Object(forms) => forms.values().filter_map(|v| v.as_str()).collect(),
        other => panic!("not a message: {other}"),
    };
    let mut names = BTreeSet::new();
    for text in texts {
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after.find('}').unwrap();
            names.insert(after[..close].to_string());
            rest = &after[close + 1..];
        }
    }
    names
}

#[test]
fn every_key_the_shell_sends_is_in_the_catalog_and_every_catalog_key_is_sent() {
    let catalog = catalog();
    let keys: BTreeSet<&str> = Key::ALL.iter().map(|k| k.name()).collect();
    assert_eq!(keys.len(), Key::ALL.len(), "a key name is listed twice");
    let missing: Vec<&&str> = keys.iter().filter(|k| !catalog.contains_key(**k)).collect();
    assert!(missing.is_empty(), "keys the shell sends but en/detail.json lacks: {missing:?}");
    let unused: Vec<&String> = catalog.keys().filter(|k| !keys.contains(k.as_str())).collect();
    assert!(unused.is_empty(), "keys of en/detail.json the shell never sends: {unused:?}");
}

/// Asserts that `text` names a catalog key whose placeholders are exactly its parameters (nested texts too).
fn assert_worded(text: &Text) {
    let catalog = catalog();
    let name = text.key.strip_prefix("detail.").unwrap_or_else(|| panic!("not a detail key: {}", text.key));
    let message = catalog.get(name).unwrap_or_else(|| panic!("{name} is not in en/detail.json"));
    let wanted = placeholders(message);
    let given: BTreeSet<String> = text.params.keys().cloned().collect();
    assert_eq!(wanted, given, "{name}: the message's placeholders and the parameters differ");
    if message.is_object() {
        assert!(matches!(text.params.get("count"), Some(Param::Number(_))), "{name}: a plural needs a count");
    }
    for param in text.params.values() {
        if let Param::Text(inner) = param {
            assert_worded(inner);
        }
    }
    assert!(!text.to_string().contains('{'), "{text}");
}

fn os(kind: io::ErrorKind) -> io::Error {
    io::Error::from(kind)
}

#[test]
fn every_core_error_is_worded_by_a_key_with_its_parameters() {
    let path = PathBuf::from("/home/ann/vault.twofold");
    let id = AccountId::new_random();
    let texts = vec![
        os_error(&os(io::ErrorKind::NotFound)),
        os_error(&os(io::ErrorKind::PermissionDenied)),
        os_error(&os(io::ErrorKind::StorageFull)),
        os_error(&os(io::ErrorKind::ReadOnlyFilesystem)),
        os_error(&os(io::ErrorKind::AlreadyExists)),
        os_error(&os(io::ErrorKind::TimedOut)),
        os_error(&io::Error::other("strange")),
        io_failed("read", &path, &os(io::ErrorKind::NotFound)),
        io_failed("write", &path, &os(io::ErrorKind::StorageFull)),
        io_failed("create the folder", &path, &os(io::ErrorKind::PermissionDenied)),
        io_failed("list", &path, &os(io::ErrorKind::NotFound)),
        io_failed("lock", &path, &os(io::ErrorKind::TimedOut)),
        io_failed("fold", &path, &os(io::ErrorKind::Other)),
        vault_error(&VaultError::WrongPassword),
        vault_error(&VaultError::EmptyPassword),
        vault_error(&VaultError::Locked { pid: Some(42) }),
        vault_error(&VaultError::Locked { pid: None }),
        vault_error(&VaultError::Corrupt { what: Corruption::HeaderChecksum }),
        vault_error(&VaultError::NewerFormat { major: 9, minor: 0 }),
        vault_error(&VaultError::KdfOutOfRange { memory_kib: 1, passes: 1, lanes: 1 }),
        vault_error(&VaultError::Stale { expected: 1, found: 2 }),
        vault_error(&VaultError::KeyChanged),
        vault_error(&VaultError::NotFound { path: path.clone() }),
        vault_error(&VaultError::AlreadyExists { path: path.clone() }),
        vault_error(&VaultError::PreviousExists { path: path.clone() }),
        vault_error(&VaultError::UnknownAccount { id }),
        vault_error(&VaultError::NotHotp { id }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::KeyWrapping }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::PayloadKey }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::SlotCount { max: 8 } }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::PayloadTooLarge }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::PayloadNotWritten }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::AccountsNotAList }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::AccountNotObject { index: 0 } }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::AccountRepeatsId { index: 2 } }),
        vault_error(&VaultError::InvalidContents {
            reason: Invalid::AccountField { index: 0, field: "digits".into() },
        }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::DeletedNotAList }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::DeletedEntry { index: 1 } }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::KeyringDays { days: 0, max: 365 } }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::CounterOverflow }),
        vault_error(&VaultError::InvalidContents { reason: Invalid::NoDeviceId { path: path.clone() } }),
        vault_error(&VaultError::InvalidContents {
            reason: Invalid::DeviceIdNotWritten(WriteError::NotAFile { path: path.clone() }),
        }),
        vault_error(&VaultError::ReadBackFailed),
        vault_error(&VaultError::NoDataDir),
        vault_error(&VaultError::Random),
        vault_error(&VaultError::NoDeviceSlot),
        vault_error(&VaultError::DeviceKeyMismatch),
        vault_error(&VaultError::TooManySlots { max: 8 }),
        typed_path_error(&TypedPathError::Empty),
        typed_path_error(&TypedPathError::Relative { typed: "a/b".into() }),
        typed_path_error(&TypedPathError::NoHome { typed: "~/b".into() }),
        write_error(&WriteError::Exists { path: path.clone() }),
        write_error(&WriteError::Symlink { path: path.clone() }),
        write_error(&WriteError::NotAFile { path: path.clone() }),
        write_error(&WriteError::NoFileName { path: path.clone() }),
        write_error(&WriteError::VerifyFailed { path: path.clone() }),
        backup_error(&BackupError::WrongPassword),
        backup_error(&BackupError::NotTwofold { path: path.clone() }),
        backup_error(&BackupError::NotABackup { path: path.clone() }),
        backup_error(&BackupError::Damaged { path: path.clone() }),
        backup_error(&BackupError::NewerFormat { path: path.clone(), major: 3 }),
        backup_error(&BackupError::KdfOutOfRange { path: path.clone() }),
        backup_error(&BackupError::NotFound { path: path.clone() }),
        backup_error(&BackupError::VerifyFailed { path: path.clone() }),
        backup_error(&BackupError::BadStatus { path: path.clone() }),
        export_error(&ExportError::PasswordRequired { format: export::Format::AegisEncrypted }),
        export_error(&ExportError::NotEncryptable { format: export::Format::OtpauthList }),
        export_error(&ExportError::Crypto),
        export_error(&ExportError::Serialize),
        export_error(&ExportError::QrTooLong { len: 5000 }),
        export_error(&ExportError::Image),
        export_error(&ExportError::NothingToExport { skipped: 2 }),
        export_error(&ExportError::Verification { why: export::Mismatch::NoSlotOpens }),
        sync_error(&SyncError::PasswordNeeded { file: path.clone() }),
        sync_error(&SyncError::WrongCopyPassword { file: path.clone() }),
        sync_error(&SyncError::Damaged { file: path.clone() }),
        sync_error(&SyncError::NewerFormat { file: path.clone() }),
        sync_error(&SyncError::NoFolder { path: path.clone() }),
        sync_error(&SyncError::VaultFolder { path: path.clone() }),
        follow_error(&FollowError::Folder {
            folder: path.clone(),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        }),
        follow_error(&FollowError::NoBackups { folder: path.clone() }),
        follow_error(&FollowError::UnknownSource),
        follow_error(&FollowError::Damaged),
        import_error(&ImportError::UnknownFormat),
        import_error(&ImportError::TwofoldFile),
        import_error(&ImportError::TooLarge { len: 10, max: 5 }),
        import_error(&ImportError::PasswordRequired),
        import_error(&ImportError::WrongPassword),
        import_error(&ImportError::Damaged { why: Why::NotJson }),
        import_error(&ImportError::Empty { why: Why::NoLinks }),
        import_error(&ImportError::AccountRestricted),
        import_error(&ImportError::KdfOutOfRange { why: Why::KdfRefused }),
        import_error(&ImportError::Unsupported { why: Why::NoPasswordSlot }),
        import_error(&ImportError::LimitExceeded { why: Why::EndlessQuery }),
        import_error(&ImportError::Cancelled),
        import_problem(&ProblemKind::UnsupportedType { kind: "yubikey".into() }),
        import_problem(&ProblemKind::InvalidParameter(Why::Unknown { field: "Type".into(), value: "7".into() })),
        import_problem(&ProblemKind::Secret(SecretError::Empty)),
        import_problem(&ProblemKind::SecretNotBase64),
        import_problem(&ProblemKind::Malformed(Why::NotALink)),
        secret_error(&SecretError::InvalidBase32Char { position: 3, character: '1' }),
        secret_error(&SecretError::InvalidBase32Char { position: 3, character: ' ' }),
        secret_error(&SecretError::InvalidBase32Length { len: 3 }),
        secret_error(&SecretError::NotWholeBytes { characters: 17 }),
        secret_error(&SecretError::TooShort { bits: 40, min: 80 }),
        secret_error(&SecretError::InvalidHex),
        secret_error(&SecretError::TooLong { len: 999, max: 128 }),
        link_error(&LinkError::Empty),
        link_error(&LinkError::TooLong { len: 9, max: 8 }),
        link_error(&LinkError::NotOtpauth),
        link_error(&LinkError::TransferLink),
        link_error(&LinkError::MissingType),
        link_error(&LinkError::UnsupportedType { kind: "x".into() }),
        link_error(&LinkError::MissingSecret),
        link_error(&LinkError::InvalidAlgorithm { value: "x".into() }),
        link_error(&LinkError::InvalidDigits { value: "x".into() }),
        link_error(&LinkError::InvalidPeriod { value: "x".into() }),
        link_error(&LinkError::InvalidCounter { value: "x".into() }),
        link_error(&LinkError::MissingCounter),
        otp_error(&OtpError::InvalidDigits { digits: 2, min: 4, max: 10 }),
        otp_error(&OtpError::InvalidPeriod { period: 0, min: 1, max: 86400 }),
        otp_error(&OtpError::SteamDigits { digits: 6, expected: 5 }),
        otp_error(&OtpError::SteamAlgorithm { algorithm: "SHA256" }),
        otp_error(&OtpError::TimeBeforeEpoch { now: -1 }),
        link_warning(&LinkWarning::IssuerMismatch { label: "a".into(), param: "b".into() }),
        link_warning(&LinkWarning::DuplicateParameter { name: "digits".into() }),
        link_warning(&LinkWarning::IgnoredForSteam { name: "digits".into() }),
        link_warning(&LinkWarning::UnusualKeyLength { characters: 9 }),
        link_warning(&LinkWarning::ShortKey { bits: 40, min: 80 }),
        qr_error(&QrError::EmptyFrame { width: 0, height: 0 }),
        qr_error(&QrError::FrameTooLarge { width: 1, height: 1 }),
        qr_error(&QrError::StrideTooSmall { width: 2, stride: 1 }),
        qr_error(&QrError::Image { fault: twofold_core::qr::ImageFault::Damaged, detail: "x".into() }),
        qr_error(&QrError::FileTooLarge { size: 1 }),
        qr_error(&QrError::File { path: path.clone(), cause: FileCause::Io(std::io::ErrorKind::NotFound.into()) }),
        qr_error(&QrError::File {
            path: path.clone(),
            cause: FileCause::Image { fault: ImageFault::Damaged, detail: "x".into() },
        }),
        qr_error(&QrError::NoCode { path: path.clone() }),
        qr_error(&QrError::NoAuthenticatorLink { path: path.clone(), count: 1 }),
        qr_error(&QrError::NoAuthenticatorLink { path: path.clone(), count: 3 }),
        camera_error(&CameraError::NoCamera),
        camera_error(&CameraError::Busy { camera: "Cam".into() }),
        camera_error(&CameraError::PermissionDenied { camera: "Cam".into() }),
        camera_error(&CameraError::Device { camera: "Cam".into(), reason: "x".into() }),
        camera_error(&CameraError::Fake { path: path.clone(), reason: "x".into() }),
        camera_error(&CameraError::BadId("x".into())),
        camera_error(&CameraError::Thread("x".into())),
        icon_error("a.png", &twofold_core::icon::IconError::TooLarge),
        icon_error("a.png", &twofold_core::icon::IconError::Unsupported),
        icon_error("a.png", &twofold_core::icon::IconError::Unreadable("x".into())),
        icon_error("a.png", &twofold_core::icon::IconError::TooManyPixels),
        pack_error(&PackError::FileTooLarge),
        pack_error(&PackError::NotZip("invalid Zip archive: Could not find EOCD".into())),
        pack_error(&PackError::TooManyEntries { count: 10_000 }),
        pack_error(&PackError::UnsafeName { name: "../evil.png".into() }),
        pack_error(&PackError::Encrypted),
        pack_error(&PackError::NoPackJson),
        pack_error(&PackError::BadPackJson("expected value at line 1 column 3".into())),
        pack_error(&PackError::BadUuid("not-a-uuid".into())),
        pack_error(&PackError::NoIcons),
        pack_error(&PackError::TooManyIcons { count: 6_000 }),
        pack_error(&PackError::MissingFile { name: "a.svg".into() }),
        pack_error(&PackError::UnsupportedIcon { name: "a.webp".into() }),
        pack_error(&PackError::EntryTooLarge { name: "a.svg".into(), max: 2 << 20 }),
        pack_error(&PackError::Bomb { name: "a.svg".into() }),
        pack_error(&PackError::TooMuchData),
        pack_error(&PackError::IconsTooLarge),
        pack_error(&PackError::Damaged { name: "a.svg".into(), reason: "invalid checksum".into() }),
        pack_error(&PackError::DamagedEntry { number: 3, reason: "invalid Zip archive".into() }),
        pack_error(&PackError::BadIcon { name: "a.png".into(), error: twofold_core::icon::IconError::TooManyPixels }),
        pack_error(&PackError::NotFound(uuid::Uuid::nil())),
        pack_error(&PackError::StoredDamaged { path: path.clone(), reason: "EOF".into() }),
        pack_error(&PackError::Io { action: "read", path: path.clone(), source: os(io::ErrorKind::NotFound) }),
        migration_error(&MigrationError::Empty),
        migration_error(&MigrationError::NotMigration),
        migration_error(&MigrationError::MissingData),
        migration_error(&MigrationError::NoAccounts),
        transfer_entry_error(&EntryError::MissingSecret),
        transfer_entry_error(&EntryError::UnsupportedAlgorithm("MD5")),
        transfer_entry_error(&EntryError::UnknownAlgorithm(7)),
        transfer_entry_error(&EntryError::UnknownDigits(7)),
        transfer_entry_error(&EntryError::MissingType),
        transfer_entry_error(&EntryError::UnknownType(7)),
        transfer_entry_error(&EntryError::SteamUnsupported),
        transfer_entry_error(&EntryError::PeriodUnsupported(60)),
        transfer_entry_error(&EntryError::DigitsUnsupported(7)),
        rejected(&Rejected { index: 0, issuer: "Ex".into(), name: "ann".into(), error: EntryError::MissingSecret }),
        rejected(&Rejected { index: 1, issuer: String::new(), name: String::new(), error: EntryError::MissingType }),
    ];
    let raw = format!("detail.{}", Key::Raw.name());
    for text in &texts {
        assert_ne!(text.key, raw, "a core variant falls back to the core's English: {text}");
        assert_worded(text);
    }
}

/// The five catalogs the UI ships, by language.
const CATALOGS: [(&str, &str); 5] = [
    ("en", CATALOG),
    ("de", include_str!("../../../ui/src/lib/i18n/de/detail.json")),
    ("fr", include_str!("../../../ui/src/lib/i18n/fr/detail.json")),
    ("es", include_str!("../../../ui/src/lib/i18n/es/detail.json")),
    ("it", include_str!("../../../ui/src/lib/i18n/it/detail.json")),
];

/// Asserts that `text` (and every text nested in it) names a key of `catalog` whose placeholders are exactly
/// its parameters, and that no parameter is a sentence: names, numbers and values from a file only.
fn assert_worded_in(lang: &str, catalog: &serde_json::Map<String, serde_json::Value>, text: &Text) {
    let name = text.key.strip_prefix("detail.").unwrap_or_else(|| panic!("not a detail key: {}", text.key));
    let message = catalog.get(name).unwrap_or_else(|| panic!("{lang}: {name} is not in detail.json"));
    let given: BTreeSet<String> = text.params.keys().cloned().collect();
    assert_eq!(placeholders(message), given, "{lang}: {name}: the placeholders and the parameters differ");
    for (param, value) in &text.params {
        match value {
            Param::Text(inner) => assert_worded_in(lang, catalog, inner),
            // Labels and account names are the user's own words, shown as they are.
            Param::Plain(plain) if param != "label" && param != "account" => {
                assert!(!plain.contains(' '), "{name}: the parameter {param} is prose: {plain:?}")
            }
            _ => {}
        }
    }
}

/// Issue 18: every reason the importers give (`import::Why`, each variant) is worded by a key that all five
/// catalogs have, with the same placeholders, and none of its parameters is an English sentence.
#[test]
fn every_import_reason_is_worded_in_every_language() {
    let samples = Why::samples();
    assert!(samples.len() >= 34, "Why::samples lost variants: {}", samples.len());
    let raw = format!("detail.{}", Key::Raw.name());
    for (lang, source) in CATALOGS {
        let catalog: serde_json::Map<String, serde_json::Value> = serde_json::from_str(source).unwrap();
        for why in &samples {
            let text = import_why(why);
            assert_ne!(text.key, raw, "{why:?} falls back to the core's English");
            assert_worded_in(lang, &catalog, &text);
            for outer in [
                import_error(&ImportError::Damaged { why: why.clone() }),
                import_error(&ImportError::Unsupported { why: why.clone() }),
                import_problem(&ProblemKind::Malformed(why.clone())),
            ] {
                assert_worded_in(lang, &catalog, &outer);
            }
        }
    }
    for (lang, source) in CATALOGS {
        let catalog: serde_json::Map<String, serde_json::Value> = serde_json::from_str(source).unwrap();
        for why in export::Mismatch::samples() {
            let text = export_error(&ExportError::Verification { why: why.clone() });
            let Some(Param::Text(reason)) = text.params.get("reason") else { panic!("{text:?}") };
            assert_ne!(reason.key, raw, "{why:?} falls back to the core's English");
            assert_worded_in(lang, &catalog, &text);
        }
    }
    for (lang, source) in CATALOGS {
        let catalog: serde_json::Map<String, serde_json::Value> = serde_json::from_str(source).unwrap();
        for fault in twofold_core::qr::ImageFault::ALL {
            let text = qr_error(&QrError::Image { fault, detail: "the image library's words".into() });
            assert_worded_in(lang, &catalog, &text);
        }
        let unreadable = twofold_core::icon::IconError::Unreadable("Format error decoding Png".into());
        assert_worded_in(lang, &catalog, &icon_error("a.png", &unreadable));
    }
    // The English rendering is the catalog's, not the core's `Display`.
    let text = import_error(&ImportError::Damaged { why: Why::MissingField { field: "kdfIterations".into() } });
    assert_eq!(text.to_string(), "the file is damaged or incomplete: “kdfIterations” is missing");
}

#[test]
fn english_wording_comes_from_the_catalog() {
    let text = io_failed("read", std::path::Path::new("/tmp/a.json"), &os(io::ErrorKind::PermissionDenied));
    assert_eq!(text.key, "detail.io_read");
    assert_eq!(text.to_string(), "could not read /tmp/a.json: permission denied");
    assert_eq!(
        Text::new(Key::OtherCodesIgnored).with("count", 1usize).to_string(),
        "1 other QR code ignored: not an authenticator link"
    );
    assert_eq!(
        Text::new(Key::OtherCodesIgnored).with("count", 2usize).to_string(),
        "2 other QR codes ignored: not authenticator links"
    );
    // The core's English counts accounts from 0 (as the file's list does); the person's sentence from 1.
    let field = Invalid::AccountField { index: 0, field: "digits".into() };
    assert_eq!(
        vault_error(&VaultError::InvalidContents { reason: field }).to_string(),
        "the vault's contents are invalid: account 1: the field “digits” is missing or invalid"
    );
    // A pack's entry name comes from strangers: control characters are escaped, the library's words left out.
    let unsafe_name = pack_error(&PackError::UnsafeName { name: "a\0.png".into() });
    assert_eq!(
        unsafe_name.to_string(),
        "the archive has a file named “a\\0.png”: names that leave the pack’s folder are refused"
    );
    let not_zip = pack_error(&PackError::NotZip("invalid Zip archive".into()));
    assert_eq!(not_zip.to_string(), "the file is not a ZIP archive");
    // An unknown key shows itself rather than nothing; a stray brace is kept.
    let unknown = Text { key: "detail.nope".into(), params: BTreeMap::new() };
    assert_eq!(unknown.to_string(), "detail.nope");
    assert_eq!(Text::raw("a {b c} {").to_string(), "a {b c} {");
}

#[test]
fn texts_serialize_as_key_and_params() {
    let text = Text::new(Key::EntryWarning)
        .with("label", "Ex (ann)")
        .with("warning", Text::new(Key::WarnUnusualKeyLength).with("count", 9usize));
    assert_eq!(
        serde_json::to_value(&text).unwrap(),
        serde_json::json!({
            "key": "detail.entry_warning",
            "params": {"label": "Ex (ann)", "warning": {"key": "detail.warn_unusual_key_length", "params": {"count": 9}}}
        })
    );
}

/// Issue 18: an account with neither issuer nor name is named by the catalog's words in a sentence, not by
/// the core's English "(unnamed account)" (which the CLI prints).
#[test]
fn an_unnamed_account_is_a_key_and_a_named_one_its_label() {
    let unnamed = Text::new(Key::UnnamedAccount);
    let skipped = |account: &str| export::Skipped {
        id: AccountId::new_random(),
        account: account.into(),
        reason: "x".into(),
        error: EntryError::SteamUnsupported,
    };
    let text = export_skipped(&skipped(""));
    assert_eq!(text.params.get("account"), Some(&Param::Text(unnamed.clone())));
    assert!(text.to_string().starts_with("(unnamed account) — "), "{text}");
    let text = export_skipped(&skipped("Ex (ann)"));
    assert_eq!(text.params.get("account"), Some(&Param::Plain("Ex (ann)".into())));
    let differs = export::Mismatch::Differs { number: 1, account: String::new(), part: "secret" };
    let text = export_mismatch(&differs);
    assert_eq!(text.params.get("account"), Some(&Param::Text(unnamed.clone())));
    let problem =
        twofold_core::import::EntryProblem { label: String::new(), line: None, kind: ProblemKind::SecretNotBase64 };
    assert_eq!(entry_label(&problem), Text::new(Key::Name).with("name", unnamed));
    assert_worded(&entry_label(&problem));
}
