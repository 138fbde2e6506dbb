//! Ways out of Twofold: files that other authenticator apps (and people) can read.
//!
//! One [`Format`] enum names every export; [`export`] writes one and **reads it back** before it returns,
//! so an [`Exported`] is always a file that opens and holds the accounts it claims. Formats that store
//! secrets in the clear need a [`PlaintextAck`], which a caller can only get by naming the risk in code.
//! Each format module opens with the spec it follows and what it loses.
//!
//! Nothing here touches the file system: callers write [`Exported::bytes`] where the user chose.

mod aegis;
mod links;
mod paper;
pub mod qr;
mod transfer;

use std::fmt;

use zeroize::Zeroizing;

use crate::model::{Account, AccountId};

pub use transfer::{Transfer, TransferCode, google_transfer};

/// Every export format Twofold writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Aegis vault JSON, encrypted with an export password (scrypt + AES-256-GCM).
    AegisEncrypted,
    /// Aegis vault JSON in the clear.
    AegisPlain,
    /// One `otpauth://` link per line.
    OtpauthList,
    /// Google Authenticator transfer QR codes, on an HTML page (see [`google_transfer`] for single codes).
    GoogleTransfer,
    /// A printable HTML page: per account a QR code, issuer, name and key.
    PaperHtml,
}

impl Format {
    /// Every format, in the order a menu lists them.
    pub const ALL: [Format; 5] =
        [Format::AegisEncrypted, Format::AegisPlain, Format::OtpauthList, Format::GoogleTransfer, Format::PaperHtml];

    /// The short name used on the command line (`--format NAME`).
    pub fn name(self) -> &'static str {
        match self {
            Format::AegisEncrypted => "aegis",
            Format::AegisPlain => "aegis-plain",
            Format::OtpauthList => "otpauth",
            Format::GoogleTransfer => "google-transfer",
            Format::PaperHtml => "paper",
        }
    }

    /// The format with this [`name`](Format::name), if any.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// True when the output holds secrets in the clear, so [`export`] wants a [`PlaintextAck`].
    pub fn is_plaintext(self) -> bool {
        match self {
            Format::AegisEncrypted => false,
            Format::AegisPlain | Format::OtpauthList | Format::GoogleTransfer | Format::PaperHtml => true,
        }
    }

    /// What this format does not carry, in the order a person reads it: said before an export (with the
    /// format choice) and after it (with [`Exported::losses`], the accounts that had such data).
    pub fn leaves_out(self) -> &'static [LossKind] {
        match self {
            Format::AegisEncrypted | Format::AegisPlain => &[LossKind::RecoveryCodes, LossKind::UsageHistory],
            Format::OtpauthList | Format::GoogleTransfer | Format::PaperHtml => &[
                LossKind::RecoveryCodes,
                LossKind::Notes,
                LossKind::Groups,
                LossKind::Favorite,
                LossKind::Icons,
                LossKind::UsageHistory,
            ],
        }
    }

    /// The file name an export of this format suggests on `date` (`YYYY-MM-DD`), e.g.
    /// `twofold-export-aegis-2026-12-07.json`: the format in the name, so two exports cannot be confused.
    pub fn suggested_file_name(self, date: &str) -> String {
        format!("twofold-export-{}-{date}.{}", self.name(), self.extension())
    }

    /// The usual file name extension (without the dot).
    pub fn extension(self) -> &'static str {
        match self {
            Format::AegisEncrypted | Format::AegisPlain => "json",
            Format::OtpauthList => "txt",
            Format::GoogleTransfer | Format::PaperHtml => "html",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Proof that the caller asked the user and the user accepted that the export will hold readable secrets.
///
/// There is deliberately no `Default`: the only way to get one is to write out what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaintextAck(());

impl PlaintextAck {
    /// The user was told that anyone who gets the file can copy every account, and chose to go on.
    pub fn user_accepted_unencrypted_secrets() -> Self {
        PlaintextAck(())
    }
}

/// How the export is protected: a password for encrypted formats, the user's acknowledgement for the others.
#[derive(Clone, Copy)]
pub enum Protection<'a> {
    Password(&'a str),
    Plaintext(PlaintextAck),
}

impl fmt::Debug for Protection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Protection::Password(_) => f.write_str("Password(<redacted>)"),
            Protection::Plaintext(_) => f.write_str("Plaintext"),
        }
    }
}

/// Data an account can hold that a format may not carry; the account itself is exported without it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LossKind {
    /// The account's recovery codes.
    RecoveryCodes,
    /// The account's note.
    Notes,
    /// The groups the account is in.
    Groups,
    /// The favourite mark.
    Favorite,
    /// The account's own picture ([`crate::icon`]).
    Icons,
    /// When the account was added and last used, and how often it was used (every account has these, so
    /// no per-account [`Loss`] names it).
    UsageHistory,
}

impl LossKind {
    /// Whether `account` has data of this kind (so exporting it loses something).
    fn has(self, account: &Account) -> bool {
        match self {
            LossKind::RecoveryCodes => !account.recovery_codes.is_empty(),
            LossKind::Notes => !account.note.trim().is_empty(),
            LossKind::Groups => !account.groups.is_empty(),
            LossKind::Favorite => account.favorite,
            LossKind::Icons => account.icon.is_some(),
            LossKind::UsageHistory => false,
        }
    }
}

impl fmt::Display for LossKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LossKind::RecoveryCodes => "recovery codes are not exported",
            LossKind::Notes => "the note is not exported",
            LossKind::Groups => "groups are not exported",
            LossKind::Favorite => "the favourite mark is not exported",
            LossKind::Icons => "the account's picture is not exported",
            LossKind::UsageHistory => "dates and use counts are not exported",
        })
    }
}

/// Per account, the data of `accounts` that `format` does not carry ([`Format::leaves_out`]), in account
/// order. Accounts a format skips entirely are not listed here (see [`Exported::skipped`]).
pub fn losses(accounts: &[Account], format: Format) -> Vec<Loss> {
    accounts
        .iter()
        .flat_map(|account| {
            format.leaves_out().iter().filter(|kind| kind.has(account)).map(move |kind| Loss::new(account, *kind))
        })
        .collect()
}

/// One account's loss, named so the user can see which account it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    pub id: AccountId,
    /// [`Account::label`] of the account (empty when it has no name).
    pub account: String,
    pub kind: LossKind,
}

impl Loss {
    fn new(account: &Account, kind: LossKind) -> Self {
        Self { id: account.id, account: account.label(), kind }
    }
}

/// An account the format cannot carry at all; it is not in the export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub id: AccountId,
    /// [`Account::label`] of the account (empty when it has no name).
    pub account: String,
    /// Why, in English words (never a secret): for the CLI and logs.
    pub reason: String,
    /// Why, as the typed reason a user interface words in its own language.
    pub error: crate::migration::EntryError,
}

impl Skipped {
    fn new(account: Option<&Account>, id: AccountId, error: crate::migration::EntryError) -> Self {
        let account = account.map(Account::label).unwrap_or_else(|| id.to_string());
        Self { id, account, reason: error.to_string(), error }
    }
}

/// A finished, verified export.
pub struct Exported {
    pub format: Format,
    /// The file content. It may hold secrets in the clear (see [`Format::is_plaintext`]).
    pub bytes: Zeroizing<Vec<u8>>,
    /// How many accounts the file holds, counted when it was read back.
    pub count: usize,
    /// Data the format could not carry, per account and kind (every format: see [`Format::leaves_out`]).
    pub losses: Vec<Loss>,
    /// Accounts the format cannot carry at all (Google Authenticator transfers only).
    pub skipped: Vec<Skipped>,
}

impl fmt::Debug for Exported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Exported")
            .field("format", &self.format)
            .field("bytes", &format_args!("<{} bytes>", self.bytes.len()))
            .field("count", &self.count)
            .field("losses", &self.losses)
            .field("skipped", &self.skipped)
            .finish()
    }
}

/// Why an export failed. Never carries a secret or a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    #[error("the {format} export is encrypted: a password is required")]
    PasswordRequired { format: Format },
    #[error("the {format} export cannot be encrypted: it needs the user's acknowledgement that secrets are readable")]
    NotEncryptable { format: Format },
    #[error("the export password is empty")]
    EmptyPassword,
    #[error("the operating system gave no random bytes")]
    Random,
    #[error("encryption failed")]
    Crypto,
    #[error("the export could not be serialized")]
    Serialize,
    #[error("a QR code cannot hold {len} bytes")]
    QrTooLong { len: usize },
    #[error("the QR code image could not be drawn")]
    Image,
    #[error("none of the accounts can be exported in this format ({skipped} cannot)")]
    NothingToExport { skipped: usize },
    #[error("the export did not verify: {why}")]
    Verification { why: Mismatch },
}

/// How an export failed to read back as written (a bug of ours, or a failing disk or memory): typed, so a front
/// end words it. `detail` and `part` are English for logs; front ends leave them out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Mismatch {
    /// A different number of accounts came back.
    #[error("{written} accounts written but {read} read back")]
    Count { written: usize, read: usize },
    /// Account `number` (from 1) came back different.
    #[error("account {number} ({}) reads back with a different {part}", crate::model::or_unnamed(account))]
    Differs { number: usize, account: String, part: &'static str },
    /// Transfer code `number` (from 1) does not read back as written.
    #[error("transfer code {number} does not read back as written ({detail})")]
    Code { number: usize, detail: String },
    /// Printed key `number` (from 1) of a paper backup differs from its QR code.
    #[error("printed key {number} differs from its QR code")]
    PrintedKey { number: usize },
    /// No password slot of the written Aegis file opens with the export password.
    #[error("no password slot opens with the export password")]
    NoSlotOpens,
    /// The written file cannot be read back at all.
    #[error("the written file cannot be read back ({detail})")]
    Unreadable { detail: String },
}

impl Mismatch {
    /// One of every variant, for tests of the front ends' wording.
    pub fn samples() -> Vec<Mismatch> {
        vec![
            Mismatch::Count { written: 3, read: 2 },
            Mismatch::Differs { number: 2, account: "Ex (ann)".into(), part: "secret" },
            Mismatch::Code { number: 1, detail: "wrong batch header".into() },
            Mismatch::PrintedKey { number: 4 },
            Mismatch::NoSlotOpens,
            Mismatch::Unreadable { detail: "not UTF-8".into() },
        ]
    }
}

/// The written file cannot be read back; `detail` says where, for logs.
pub(crate) fn unreadable(detail: impl Into<String>) -> ExportError {
    ExportError::Verification { why: Mismatch::Unreadable { detail: detail.into() } }
}

/// Writes `accounts` in `format`, then reads the result back and checks that every account came through;
/// only then is the export returned. `now` (Unix seconds) dates the paper backup.
pub fn export(
    accounts: &[Account],
    format: Format,
    protection: Protection<'_>,
    now: i64,
) -> Result<Exported, ExportError> {
    let password = check_protection(format, protection)?;
    let mut skipped = Vec::new();
    let bytes = match format {
        Format::AegisEncrypted | Format::AegisPlain => aegis::write(accounts, password)?,
        Format::OtpauthList => links::write(accounts),
        Format::GoogleTransfer => {
            let transfer = google_transfer(accounts, PlaintextAck(()))?;
            let page = transfer::page(&transfer);
            skipped = transfer.skipped;
            page
        }
        Format::PaperHtml => paper::page(accounts, now)?,
    };
    let count = verify(&bytes, format, protection, accounts)?;
    let losses = losses(accounts, format).into_iter().filter(|l| !skipped.iter().any(|s| s.id == l.id)).collect();
    Ok(Exported { format, bytes, count, losses, skipped })
}

/// Reads an export back and checks that it holds exactly `expected` (the fields the format carries);
/// returns the number of accounts. [`export`] calls this on everything it writes.
pub fn verify(
    bytes: &[u8],
    format: Format,
    protection: Protection<'_>,
    expected: &[Account],
) -> Result<usize, ExportError> {
    let password = check_protection(format, protection)?;
    let read = match format {
        Format::AegisEncrypted | Format::AegisPlain => aegis::read(bytes, password)?,
        Format::OtpauthList => links::read(bytes)?,
        Format::GoogleTransfer => transfer::read_page(bytes)?,
        Format::PaperHtml => paper::read(bytes)?,
    };
    let carried;
    let expected = if format == Format::GoogleTransfer {
        let cannot = crate::migration::encode(expected, 0).skipped;
        carried = expected.iter().filter(|a| !cannot.iter().any(|(id, _)| *id == a.id)).cloned().collect::<Vec<_>>();
        &carried[..]
    } else {
        expected
    };
    if read.len() != expected.len() {
        return Err(ExportError::Verification { why: Mismatch::Count { written: expected.len(), read: read.len() } });
    }
    for (index, (want, got)) in expected.iter().zip(&read).enumerate() {
        if let Some(field) = first_difference(format, want, got) {
            return Err(ExportError::Verification {
                why: Mismatch::Differs { number: index + 1, account: want.label(), part: field },
            });
        }
    }
    Ok(read.len())
}

fn check_protection(format: Format, protection: Protection<'_>) -> Result<Option<&str>, ExportError> {
    match (format.is_plaintext(), protection) {
        (false, Protection::Password("")) => Err(ExportError::EmptyPassword),
        (false, Protection::Password(password)) => Ok(Some(password)),
        (false, Protection::Plaintext(_)) => Err(ExportError::PasswordRequired { format }),
        (true, Protection::Plaintext(_)) => Ok(None),
        (true, Protection::Password(_)) => Err(ExportError::NotEncryptable { format }),
    }
}

/// The first field `format` carries on which `want` and `got` differ (named, never shown).
fn first_difference(format: Format, want: &Account, got: &Account) -> Option<&'static str> {
    // Links (and so the paper page and transfer codes) trim spaces around the issuer and the name.
    let link_based = matches!(format, Format::OtpauthList | Format::GoogleTransfer | Format::PaperHtml);
    let same_text = |a: &str, b: &str| if link_based { a.trim() == b.trim() } else { a == b };
    let otp = [
        ("issuer", same_text(&want.issuer, &got.issuer)),
        ("name", same_text(&want.name, &got.name)),
        ("secret", want.secret == got.secret),
        ("OTP parameters", want.otp == got.otp),
    ];
    let aegis = |want: &Account, got: &Account| {
        let mut want_groups = want.groups.clone();
        want_groups.sort();
        want_groups.dedup();
        let mut got_groups = got.groups.clone();
        got_groups.sort();
        [
            ("id", want.id == got.id),
            ("note", want.note == got.note),
            ("favorite flag", want.favorite == got.favorite),
            ("group list", want_groups == got_groups),
        ]
    };
    let extra = match format {
        Format::AegisEncrypted | Format::AegisPlain => aegis(want, got),
        Format::OtpauthList | Format::GoogleTransfer | Format::PaperHtml => [("", true); 4],
    };
    otp.into_iter().chain(extra).find(|(_, same)| !same).map(|(field, _)| field)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Algorithm, OtpKind, OtpParams};
    use crate::secret::Secret;

    fn one() -> Vec<Account> {
        vec![Account::new("A", "b", Secret::from_bytes(vec![1u8; 10]).unwrap(), OtpParams::default_totp(), 0)]
    }

    #[test]
    fn protection_must_match_the_format() {
        let ack = Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets());
        assert_eq!(
            export(&one(), Format::AegisEncrypted, ack, 0).unwrap_err(),
            ExportError::PasswordRequired { format: Format::AegisEncrypted }
        );
        assert_eq!(
            export(&one(), Format::AegisPlain, Protection::Password("x"), 0).unwrap_err(),
            ExportError::NotEncryptable { format: Format::AegisPlain }
        );
        assert_eq!(
            export(&one(), Format::AegisEncrypted, Protection::Password(""), 0).unwrap_err(),
            ExportError::EmptyPassword
        );
    }

    /// Issue 21 point 15: every format says what it leaves out, and every account that had such data is named.
    #[test]
    fn every_format_reports_what_it_leaves_out() {
        let mut rich = one().remove(0);
        rich.note = "desk drawer".into();
        rich.groups = vec!["Work".into()];
        rich.favorite = true;
        rich.recovery_codes =
            vec![crate::model::RecoveryCode { code: zeroize::Zeroizing::new("1234-5678".into()), used: false }];
        let plain = Account::new("P", "q", Secret::from_bytes(vec![3u8; 10]).unwrap(), OtpParams::default_totp(), 0);
        let accounts = vec![rich, plain];
        let ack = Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets());
        let kinds = |e: &Exported| e.losses.iter().map(|l| (l.account.clone(), l.kind)).collect::<Vec<_>>();
        let aegis = export(&accounts, Format::AegisEncrypted, Protection::Password("pw"), 0).unwrap();
        assert_eq!(kinds(&aegis), [("A (b)".to_string(), LossKind::RecoveryCodes)]);
        assert_eq!(kinds(&export(&accounts, Format::AegisPlain, ack, 0).unwrap()), kinds(&aegis));
        for format in [Format::OtpauthList, Format::PaperHtml, Format::GoogleTransfer] {
            let exported = export(&accounts, format, ack, 0).unwrap();
            let want = [LossKind::RecoveryCodes, LossKind::Notes, LossKind::Groups, LossKind::Favorite]
                .map(|k| ("A (b)".to_string(), k));
            assert_eq!(kinds(&exported), want, "{format}");
            assert_eq!(exported.losses, losses(&accounts, format), "{format}");
        }
        for format in Format::ALL {
            let leaves = format.leaves_out();
            assert!(leaves.contains(&LossKind::RecoveryCodes) && leaves.contains(&LossKind::UsageHistory), "{format}");
            let keeps_notes = matches!(format, Format::AegisEncrypted | Format::AegisPlain);
            assert_eq!(!leaves.contains(&LossKind::Notes), keeps_notes, "{format}");
            for kind in leaves {
                assert!(kind.to_string().ends_with("not exported"), "{kind:?}");
            }
        }
    }

    #[test]
    fn suggested_names_carry_the_format_and_its_extension() {
        let names: Vec<String> = Format::ALL.iter().map(|f| f.suggested_file_name("2026-12-07")).collect();
        assert_eq!(
            names,
            [
                "twofold-export-aegis-2026-12-07.json",
                "twofold-export-aegis-plain-2026-12-07.json",
                "twofold-export-otpauth-2026-12-07.txt",
                "twofold-export-google-transfer-2026-12-07.html",
                "twofold-export-paper-2026-12-07.html",
            ]
        );
    }

    #[test]
    fn names_round_trip() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("nope"), None);
    }

    #[test]
    fn verify_names_the_field_that_differs() {
        let accounts = one();
        let ack = Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets());
        let exported = export(&accounts, Format::AegisPlain, ack, 0).unwrap();
        assert_eq!(exported.count, 1);
        let mut other = accounts.clone();
        other[0].secret = Secret::from_bytes(vec![2u8; 10]).unwrap();
        let err = verify(&exported.bytes, Format::AegisPlain, ack, &other).unwrap_err();
        assert!(err.to_string().contains("different secret"), "{err}");
        assert!(!format!("{exported:?}").contains("AEAQ"), "debug output must not show the file");
    }

    fn arb_account() -> impl proptest::strategy::Strategy<Value = Account> {
        use proptest::prelude::*;
        let kind = prop_oneof![
            (1u32..=86_400).prop_map(|period| OtpKind::Totp { period }),
            any::<u64>().prop_map(|counter| OtpKind::Hotp { counter }),
            Just(OtpKind::Steam { period: 30 }),
        ];
        let algorithm = prop_oneof![Just(Algorithm::Sha1), Just(Algorithm::Sha256), Just(Algorithm::Sha512)];
        (
            (".{0,20}", ".{0,20}", ".{0,30}"),
            proptest::collection::vec(any::<u8>(), 1..80),
            (kind, algorithm, OtpParams::MIN_DIGITS..=OtpParams::MAX_DIGITS),
            proptest::collection::vec("[a-zA-Z0-9 éü家]{0,8}", 0..4),
            any::<bool>(),
        )
            .prop_map(|((issuer, name, note), key, (kind, algorithm, digits), groups, favorite)| {
                // Steam Guard is always SHA-1, 5 characters, 30 s; links carry nothing else for it.
                let otp = match kind {
                    OtpKind::Steam { .. } => OtpParams::steam(),
                    _ => OtpParams { kind, algorithm, digits },
                };
                let mut account = Account::new(issuer, name, Secret::from_bytes(key).unwrap(), otp, 0);
                account.note = note;
                account.groups = groups;
                account.favorite = favorite;
                account
            })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any accounts survive every plaintext format that can carry them (each export verifies itself).
        #[test]
        fn any_accounts_round_trip(accounts in proptest::collection::vec(arb_account(), 0..12)) {
            let ack = Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets());
            for format in [Format::AegisPlain, Format::OtpauthList, Format::PaperHtml] {
                let exported = export(&accounts, format, ack, 0).unwrap();
                proptest::prop_assert_eq!(exported.count, accounts.len());
            }
            match export(&accounts, Format::GoogleTransfer, ack, 0) {
                Ok(exported) => proptest::prop_assert_eq!(exported.count + exported.skipped.len(), accounts.len()),
                Err(ExportError::NothingToExport { skipped }) => proptest::prop_assert_eq!(skipped, accounts.len()),
                Err(e) => proptest::prop_assert!(false, "{e}"),
            }
        }
    }

    /// Regression: an issuer ending in a colon and a space (`Shop: `) came back from a link as issuer `Shop:`
    /// and name `:alice`, so the export failed to verify; labels are now trimmed before they are written.
    #[test]
    fn issuer_ending_in_colon_space_survives_link_formats() {
        let mut accounts = one();
        accounts[0].issuer = "Shop: ".into();
        accounts[0].name = " alice\t".into();
        let ack = Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets());
        for format in [Format::OtpauthList, Format::PaperHtml, Format::GoogleTransfer] {
            assert_eq!(export(&accounts, format, ack, 0).unwrap().count, 1, "{format}");
        }
        let list = export(&accounts, Format::OtpauthList, ack, 0).unwrap();
        let link = crate::uri::parse(std::str::from_utf8(&list.bytes).unwrap().trim()).unwrap();
        assert_eq!((link.issuer.as_str(), link.name.as_str()), ("Shop:", "alice"));
    }

    #[test]
    fn losses_are_reported() {
        let mut accounts = one();
        accounts[0].recovery_codes.push(crate::model::RecoveryCode { code: String::from("x").into(), used: false });
        let ack = Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets());
        let exported = export(&accounts, Format::AegisPlain, ack, 0).unwrap();
        assert_eq!(exported.losses.len(), 1);
        assert_eq!(exported.losses[0].kind, LossKind::RecoveryCodes);
    }
}
