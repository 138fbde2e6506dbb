//! [`Why`]: the reason a file, or one entry of it, could not be read, as a small closed vocabulary instead of
//! English prose, so that a front end can word it in any language.
//!
//! Parameters are language-neutral: field names as the file spells them (`kdfIterations`, `db`, `Type`),
//! numbers, values copied (and shortened) from the file, and the typed errors of the link parsers. `Display`
//! stays English, for logs and the CLI. The one exception to "no prose" is `detail` of [`Why::Database`] and
//! [`Why::Archive`]: the SQLite or ZIP library's own English words, kept for logs; front ends leave it out.

use crate::migration::{EntryError, MigrationError};
use crate::uri::LinkError;

use super::EntryProblem;

/// Why a file (inside an [`super::ImportError`]) or one entry (inside a [`super::ProblemKind`]) could not be
/// read. Never carries a secret: values copied from the file are names, numbers and type codes, shortened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Why {
    /// The file, its decrypted contents or a text inside it is not JSON.
    #[error("it is not valid JSON")]
    NotJson,
    /// Text that must be UTF-8 is not.
    #[error("it holds text that is not UTF-8")]
    NotUtf8,
    /// A field the format needs is missing, or not of its kind (a list where a list belongs).
    #[error("it has no \"{field}\"")]
    MissingField { field: String },
    /// A field is there but its value cannot be used (a cipher string of the wrong shape, a masked serial
    /// that does not unmask, hex that is not hex).
    #[error("its \"{field}\" cannot be read")]
    InvalidField { field: String },
    /// A field that holds base64 does not.
    #[error("its \"{field}\" is not valid base64")]
    NotBase64 { field: String },
    /// The whole file should be base64 text and is not.
    #[error("it is not base64 text")]
    FileNotBase64,
    /// A key, nonce or salt has a length the format does not allow.
    #[error("its \"{field}\" has the wrong length")]
    WrongLength { field: String },
    /// The file's structure is not the one the app writes (a Java stream without the expected map).
    #[error("its structure is not the one the app writes")]
    UnexpectedStructure,
    /// A list was expected (of entries, of tokens).
    #[error("it is not a list")]
    NotAList,
    /// Data that the password (or the file's own key) should open does not: damaged, or the wrong key.
    #[error("its data cannot be decrypted")]
    CannotDecrypt,
    /// The file stops before its structure does (cut short while copying).
    #[error("it ends early")]
    EndsEarly,
    /// A field holds a value the format does not define (a type, an algorithm, an encoding, a version).
    #[error("its \"{field}\" has an unknown value {value}")]
    Unknown { field: String, value: String },
    /// A field that must be a whole number is not.
    #[error("its \"{field}\" {value} is not a whole number")]
    NotANumber { field: String, value: String },
    /// A counter (or other count) below zero.
    #[error("its \"{field}\" {value} is negative")]
    Negative { field: String, value: i64 },
    /// A number outside the range Twofold accepts (digits, period, key-derivation costs).
    #[error("its \"{field}\" {value} is outside {min}-{max}")]
    OutOfRange { field: String, value: i64, min: i64, max: i64 },
    /// scrypt's N must be a power of two.
    #[error("its \"{field}\" {value} is not a power of two")]
    NotPowerOfTwo { field: String, value: u64 },
    /// Key derivation that would take far longer or far more memory than any app asks for.
    #[error("its key derivation asks for {work} units of work (at most {max})")]
    TooMuchWork { work: u64, max: u64 },
    /// The key-derivation library refused the (already range-checked) parameters.
    #[error("the key-derivation settings are refused")]
    KdfRefused,
    /// A password-protected export without a password slot (Aegis with only biometric slots).
    #[error("it has no password slot")]
    NoPasswordSlot,
    /// An export encrypted with a PGP key (Proton Pass): export again without encryption.
    #[error("it is encrypted with PGP: export again without encryption")]
    PgpEncrypted,
    /// A database table computes a column (SQLite generated column): reading it could run the file's code.
    #[error("its table {table} computes its column {column} (a generated column)")]
    GeneratedColumn { table: String, column: String },
    /// The database cannot be read; `detail` is SQLite's own (English) message, for logs.
    #[error("the database cannot be read ({detail})")]
    Database { detail: String },
    /// The ZIP archive cannot be read; `detail` is the ZIP library's own (English) message, for logs.
    #[error("the archive cannot be read ({detail})")]
    Archive { detail: String },
    /// Too many of something: password slots (`slots`), files in an archive (`zip`).
    #[error("it has {count} \"{field}\" (at most {max})")]
    TooMany { field: String, count: usize, max: usize },
    /// A table with more rows than any real app database has.
    #[error("its table {table} has more than {max} rows")]
    TooManyRows { table: String, max: usize },
    /// Decompressed or decoded data beyond what any real export needs.
    #[error("its data adds up to more than {max} bytes")]
    TooMuchData { max: usize },
    /// A database query that does not finish (a hostile view or trigger).
    #[error("a query does not finish")]
    EndlessQuery,
    /// Nothing in the file (an empty CSV, an archive without files).
    #[error("it holds nothing")]
    NoEntries,
    /// A text file or archive without a single `otpauth://` or `otpauth-migration://` link.
    #[error("it holds no otpauth:// or otpauth-migration:// links")]
    NoLinks,
    /// A line that is neither an `otpauth://` nor an `otpauth-migration://` link.
    #[error("not an otpauth:// or otpauth-migration:// link")]
    NotALink,
    /// Every line of a file of links failed; the first failure says why.
    #[error("no line is a readable link ({first})")]
    NoReadableLink { first: Box<EntryProblem> },
    /// An `otpauth://` link that could not be read.
    #[error("{0}")]
    Link(LinkError),
    /// A Google Authenticator transfer link that could not be read.
    #[error("{0}")]
    Transfer(MigrationError),
    /// One account of a transfer link that could not be taken.
    #[error("{0}")]
    TransferEntry(EntryError),
}

impl Why {
    /// `field` is missing: the most common reason, spelled short.
    pub(crate) fn missing(field: &str) -> Self {
        Why::MissingField { field: field.to_owned() }
    }

    /// `field` cannot be read.
    pub(crate) fn invalid(field: &str) -> Self {
        Why::InvalidField { field: field.to_owned() }
    }

    /// `field` is not base64.
    pub(crate) fn not_base64(field: &str) -> Self {
        Why::NotBase64 { field: field.to_owned() }
    }

    /// `field` has the wrong length.
    pub(crate) fn wrong_length(field: &str) -> Self {
        Why::WrongLength { field: field.to_owned() }
    }

    /// `field` holds the unknown `value` (shortened: it comes from the file).
    pub(crate) fn unknown(field: &str, value: impl std::fmt::Display) -> Self {
        Why::Unknown { field: field.to_owned(), value: super::common::truncate(&value.to_string(), 32) }
    }

    /// One of every variant, for tests that check each is worded (front ends, catalogs). A new variant
    /// that is not added here fails the test in `import/tests` that counts them.
    pub fn samples() -> Vec<Why> {
        let first =
            EntryProblem { label: String::new(), line: Some(1), kind: super::ProblemKind::Malformed(Why::NotALink) };
        vec![
            Why::NotJson,
            Why::NotUtf8,
            Why::missing("kdfIterations"),
            Why::invalid("data"),
            Why::not_base64("db"),
            Why::FileNotBase64,
            Why::wrong_length("iv"),
            Why::UnexpectedStructure,
            Why::NotAList,
            Why::CannotDecrypt,
            Why::EndsEarly,
            Why::unknown("Type", 7),
            Why::NotANumber { field: "digits".into(), value: "six".into() },
            Why::Negative { field: "counter".into(), value: -1 },
            Why::OutOfRange { field: "n".into(), value: 1 << 30, min: 2, max: 1 << 20 },
            Why::NotPowerOfTwo { field: "n".into(), value: 3 },
            Why::TooMuchWork { work: 1 << 40, max: 1 << 30 },
            Why::KdfRefused,
            Why::NoPasswordSlot,
            Why::PgpEncrypted,
            Why::GeneratedColumn { table: "accounts".into(), column: "secret".into() },
            Why::Database { detail: "file is not a database".into() },
            Why::Archive { detail: "invalid Zip archive".into() },
            Why::TooMany { field: "slots".into(), count: 1000, max: 64 },
            Why::TooManyRows { table: "accounts".into(), max: 100_000 },
            Why::TooMuchData { max: 64 << 20 },
            Why::EndlessQuery,
            Why::NoEntries,
            Why::NoLinks,
            Why::NotALink,
            Why::NoReadableLink { first: Box::new(first) },
            Why::Link(LinkError::MissingSecret),
            Why::Transfer(MigrationError::NoAccounts),
            Why::TransferEntry(EntryError::SteamUnsupported),
        ]
    }
}
