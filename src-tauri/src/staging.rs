//! Accounts waiting for the user's choice: read from QR codes (camera, image, clipboard, screen), from an
//! opened `otpauth://` link, or from a file to import. One [`Staged`] value lives inside the open vault
//! (`Unlocked::staged`), so locking drops it (zeroized) by construction; cancelling and adding drop it too.
//!
//! The webview sees each staged account as one [`StagedAccountView`] (issuer, name, type, duplicates marked
//! the same way for every intake, never a key) and chooses by index. [`insert`] is the one place new accounts
//! join the vault's list and get their place in the manual order.

use std::sync::atomic::{AtomicU64, Ordering};

use twofold_core::backup::BackupError;
use twofold_core::duplicates::{self, KeyPrint, KnownKeys};
use twofold_core::import::{Cancel, Format, ImportReport};
use twofold_core::migration::{self, BatchCollector, BatchProgress};
use twofold_core::{Account, qr, uri};
use zeroize::Zeroizing;

use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{
    AddOutcome, BatchView, ImportFileView, ImportPreview, ImportProblemView, ScanFound, StagedAccountView,
};
use crate::text::{self, Key, Param, Text};

/// What waits for the user's choice.
pub struct Staged {
    pub origin: Origin,
    pub accounts: Vec<StagedAccount>,
}

/// One account waiting, with the remarks to show beside it.
pub struct StagedAccount {
    pub account: Account,
    pub warnings: Vec<Text>,
}

/// Where the staged accounts came from.
pub enum Origin {
    /// QR codes and opened links; a Google Authenticator transfer export spread over several codes is
    /// collected here until every part is in.
    Scan { batch: Option<BatchCollector> },
    /// A file chosen on the Import page.
    Import(ImportFile),
}

/// A file being imported: its bytes (they may be a plain export; zeroized on drop) until it has been read.
pub struct ImportFile {
    /// Tells apart files chosen one after the other, so a slow decryption never lands on a newer file.
    pub token: u64,
    pub file_name: String,
    pub bytes: Zeroizing<Vec<u8>>,
    pub format: Format,
    pub encrypted: bool,
    /// Whether the file has been read (an encrypted one waits for its password).
    pub read: bool,
    /// The entries that could not be read.
    pub problems: Vec<ImportProblemView>,
    /// Set by `cancel_import`: a decryption under way gives up (between key derivations and entries).
    pub cancel: Cancel,
}

impl ImportFile {
    pub fn new(file_name: String, bytes: Zeroizing<Vec<u8>>, format: Format, encrypted: bool) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let token = NEXT.fetch_add(1, Ordering::Relaxed);
        Self { token, file_name, bytes, format, encrypted, read: false, problems: Vec::new(), cancel: Cancel::new() }
    }
}

impl Staged {
    /// A file to import, with what was read from it (`None`: it waits for its password).
    pub fn import(mut file: ImportFile, report: Option<ImportReport>) -> Self {
        let accounts = match report {
            Some(report) => file.take_report(report),
            None => Vec::new(),
        };
        Self { origin: Origin::Import(file), accounts }
    }

    /// The import file, when this is one.
    pub fn import_file(&self) -> Option<&ImportFile> {
        match &self.origin {
            Origin::Import(file) => Some(file),
            Origin::Scan { .. } => None,
        }
    }

    /// Every staged account as the webview sees it, duplicates judged against `existing`.
    pub fn views(&self, existing: &[Account]) -> Vec<StagedAccountView> {
        views(&self.accounts, existing)
    }

    /// The staged accounts' descriptions, to be marked with [`Unmarked::mark`] once the lock is released.
    pub fn unmarked(&self) -> Unmarked {
        Unmarked::of(&self.accounts)
    }

    /// The accounts at `indices` (the others are dropped with `self`). An index past the end is an error
    /// naming it (1-based, as the user counts).
    pub fn take(self, indices: &[u32]) -> ShellResult<Vec<StagedAccount>> {
        if let Some(bad) = indices.iter().find(|&&i| i as usize >= self.accounts.len()) {
            let number = (u64::from(*bad) + 1).to_string();
            return Err(ShellError::coded(
                ErrorCode::InvalidInput,
                Text::new(Key::NoAccountNumber).with("number", number),
            ));
        }
        let wanted: std::collections::HashSet<u32> = indices.iter().copied().collect();
        let chosen: Vec<StagedAccount> = self
            .accounts
            .into_iter()
            .enumerate()
            .filter(|(i, _)| wanted.contains(&(*i as u32)))
            .map(|(_, a)| a)
            .collect();
        if chosen.is_empty() {
            return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::ChooseAtLeastOne)));
        }
        Ok(chosen)
    }
}

impl ImportFile {
    /// Takes the accounts of a read report (with their warnings) and keeps its problems.
    pub fn take_report(&mut self, report: ImportReport) -> Vec<StagedAccount> {
        self.read = true;
        self.problems = report
            .problems
            .iter()
            .map(|p| ImportProblemView {
                label: p.label.clone(),
                line: p.line.and_then(|n| u32::try_from(n).ok()),
                reason: p.kind.to_string(),
                detail: text::import_problem(&p.kind),
            })
            .collect();
        let ImportReport { accounts, warnings, .. } = report;
        accounts
            .into_iter()
            .enumerate()
            .map(|(i, account)| StagedAccount {
                account,
                warnings: warnings.iter().filter(|w| w.index == i).map(|w| text::link_warning(&w.warning)).collect(),
            })
            .collect()
    }

    /// The Import page's view of the file and, once read, its preview (`entries`: the staged accounts' views).
    pub fn view(&self, entries: Vec<StagedAccountView>) -> ImportFileView {
        ImportFileView {
            file_name: self.file_name.clone(),
            app: self.format.app_name().to_string(),
            format: self.format.id().to_string(),
            encrypted: self.encrypted,
            preview: self.read.then(|| ImportPreview { entries, problems: self.problems.clone() }),
        }
    }
}

/// The keys of `existing` (usually the vault's accounts) with the names the views show. Prints, never keys:
/// callers take them under the state lock and mark a batch after releasing it.
pub fn known_keys(existing: &[Account]) -> KnownKeys<String> {
    KnownKeys::of_accounts(existing, Account::label)
}

/// Staged accounts described, with their key prints, but not yet marked as duplicates: taken under the lock,
/// marked outside it by [`Unmarked::mark`].
pub struct Unmarked(Vec<(KeyPrint, StagedAccountView)>);

impl Unmarked {
    pub fn of(accounts: &[StagedAccount]) -> Self {
        Self(
            accounts
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let view = StagedAccountView::new(i, &s.account, Vec::new(), false, s.warnings.clone());
                    (KeyPrint::of(&s.account), view)
                })
                .collect(),
        )
    }

    /// The one view of staged accounts: a duplicate has the key of an account of `known` (named) or of an
    /// earlier staged account (the core's one duplicate notion, one pass).
    pub fn mark(self, known: &KnownKeys<String>) -> Vec<StagedAccountView> {
        let marks: Vec<(Vec<String>, bool)> = duplicates::mark(known, self.0.iter().map(|(print, _)| print))
            .into_iter()
            .map(|m| (m.existing.to_vec(), m.earlier))
            .collect();
        self.0
            .into_iter()
            .zip(marks)
            .map(|((_, mut view), (existing, earlier))| {
                view.duplicate = earlier || !existing.is_empty();
                view.duplicates = existing;
                view
            })
            .collect()
    }
}

/// [`Unmarked::mark`] in one step, for callers that hold no lock.
pub fn views(accounts: &[StagedAccount], existing: &[Account]) -> Vec<StagedAccountView> {
    Unmarked::of(accounts).mark(&known_keys(existing))
}

/// Adds `new` accounts at the end of the manual order, each with its warnings; says for each which accounts
/// already had its key (the vault's, or one added just before in the same batch).
pub fn insert(accounts: &mut Vec<Account>, new: impl IntoIterator<Item = StagedAccount>) -> Vec<AddOutcome> {
    let mut next = accounts.iter().map(|a| a.order).max().map_or(0, |m| m.saturating_add(1));
    let mut known = known_keys(accounts);
    let mut outcomes = Vec::new();
    for StagedAccount { mut account, warnings } in new {
        let print = KeyPrint::of(&account);
        let duplicates = known.get(&print).to_vec();
        known.insert(print, account.label());
        account.order = next;
        next = next.saturating_add(1);
        outcomes.push(AddOutcome { id: account.id.to_string(), warnings, duplicates });
        accounts.push(account);
    }
    outcomes
}

// ---- QR codes and links ------------------------------------------------------------------------------------

const MIGRATION_SCHEME: &str = "otpauth-migration://";

/// QR payloads (or links) read from one place, parsed into accounts and transfer-export parts. *Pure*, so it
/// runs before any lock is taken.
pub struct Parsed {
    accounts: Vec<StagedAccount>,
    parts: Vec<migration::Decoded>,
    notes: Vec<Text>,
}

/// Parses the authenticator links among `payloads` (read from `what`), created at `now`. Fails when there is
/// nothing to stage: no payload, no authenticator link, or only broken ones.
pub fn parse(payloads: &[&str], what: Param, now: i64) -> ShellResult<Parsed> {
    if payloads.is_empty() {
        return Err(ShellError::no_qr_code(what));
    }
    let links: Vec<&str> = payloads.iter().copied().filter(|p| qr::is_authenticator_link(p)).collect();
    if links.is_empty() {
        return Err(ShellError::not_authenticator(payloads.len()));
    }
    let mut notes = Vec::new();
    let ignored = payloads.len() - links.len();
    if ignored > 0 {
        notes.push(Text::new(Key::OtherCodesIgnored).with("count", ignored));
    }
    let mut accounts = Vec::new();
    let mut parts = Vec::new();
    let mut errors = Vec::new();
    for link in links {
        if link.trim_start().get(..MIGRATION_SCHEME.len()).is_some_and(|h| h.eq_ignore_ascii_case(MIGRATION_SCHEME)) {
            match migration::decode(link) {
                Ok(part) => parts.push(part),
                Err(e) => errors.push(text::migration_error(&e)),
            }
            continue;
        }
        match uri::parse(link.trim()) {
            Ok(parsed) => {
                let warnings: Vec<Text> = parsed.warnings.iter().map(text::link_warning).collect();
                notes.extend(warnings.iter().cloned());
                accounts.push(StagedAccount { account: parsed.into_account(now), warnings });
            }
            Err(e) => errors.push(text::link_error(&e)),
        }
    }
    if accounts.is_empty() && parts.is_empty() {
        let first = errors.into_iter().next().unwrap_or_else(|| Text::new(Key::LinkNotOtpauth));
        return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::BrokenLink).with("reason", first)));
    }
    notes.extend(errors);
    Ok(Parsed { accounts, parts, notes })
}

/// What [`stage`] staged, to be marked against the vault's keys ([`Staging::found`]) after the lock is released.
pub struct Staging {
    accounts: Unmarked,
    batch: Option<BatchView>,
    notes: Vec<Text>,
}

impl Staging {
    /// What the scan found, duplicates marked against `known` ([`known_keys`] of the vault).
    pub fn found(self, known: &KnownKeys<String>) -> ScanFound {
        ScanFound { accounts: self.accounts.mark(known), batch: self.batch, notes: self.notes }
    }
}

/// Stages what [`parse`] read into `slot`. Plain links replace whatever was staged; transfer parts join the
/// export being collected, and its accounts are staged once every part is in.
pub fn stage(slot: &mut Option<Staged>, parsed: Parsed, now: i64) -> Staging {
    let Parsed { mut accounts, parts, mut notes } = parsed;
    let (mut batch, before) = match slot.take() {
        Some(Staged { origin: Origin::Scan { batch }, accounts }) => (batch, accounts),
        _ => (None, Vec::new()),
    };
    let mut batch_view = None;
    if !parts.is_empty() {
        let collector = batch.get_or_insert_with(BatchCollector::new);
        let mut progress = BatchProgress::Partial { received: 0, total: 1 };
        for part in parts {
            progress = match collector.add(part.clone()) {
                BatchProgress::OtherBatch => {
                    // A code from another export: start over with it.
                    *collector = BatchCollector::new();
                    notes.push(Text::new(Key::OtherExport));
                    collector.add(part)
                }
                other => other,
            };
        }
        match progress {
            BatchProgress::Partial { received, total } => {
                batch_view = Some(BatchView {
                    received: u32::try_from(received).unwrap_or(u32::MAX),
                    total: u32::try_from(total).unwrap_or(u32::MAX),
                });
                if accounts.is_empty() {
                    // Only a part of an export: what was staged before stays staged, nothing new is offered.
                    *slot = Some(Staged { origin: Origin::Scan { batch }, accounts: before });
                    return Staging { accounts: Unmarked(Vec::new()), batch: batch_view, notes };
                }
                // Plain links that arrived with a partial export are offered; collecting goes on.
            }
            BatchProgress::Complete | BatchProgress::OtherBatch => {
                let (found, rejected) = batch.take().unwrap_or_default().finish();
                notes.extend(rejected.iter().map(text::rejected));
                let total = u32::try_from(found.len()).unwrap_or(u32::MAX);
                accounts.extend(
                    found.into_iter().map(|a| StagedAccount { account: a.into_account(now), warnings: Vec::new() }),
                );
                // `received`/`total` count codes while collecting; once complete, only "complete" matters.
                batch_view = Some(BatchView { received: total.max(1), total: total.max(1) });
            }
        }
    }
    let staged = Staged { origin: Origin::Scan { batch }, accounts };
    let staging = Staging { accounts: staged.unmarked(), batch: batch_view, notes };
    *slot = Some(staged);
    staging
}

/// The error for a file given as a backup (Backups → Test or Restore) that did not open. When it is not ours
/// but another app's export, says so and points to Import rather than "could not be read".
pub fn backup_error(path: &std::path::Path, error: BackupError) -> ShellError {
    if matches!(error, BackupError::NotTwofold { .. })
        && let Some(app) = export_app(path)
    {
        return ShellError::named(ErrorCode::ForeignExport, app);
    }
    ShellError::from(error)
}

/// The app whose export the file at `path` is, if any. *Slow* (reads the file, within the import's size limit).
fn export_app(path: &std::path::Path) -> Option<&'static str> {
    let len = std::fs::metadata(path).ok()?.len();
    if usize::try_from(len).map_or(true, |len| len > twofold_core::import::MAX_FILE_LEN) {
        return None;
    }
    let bytes = Zeroizing::new(std::fs::read(path).ok()?);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    Some(twofold_core::import::inspect(&bytes, name.as_deref()).ok()?.format.app_name())
}

/// Drops what is staged when it came from QR codes or links (the Add dialog closed or started over).
pub fn discard_scan(slot: &mut Option<Staged>) {
    if matches!(slot, Some(Staged { origin: Origin::Scan { .. }, .. })) {
        *slot = None;
    }
}

/// Drops what is staged when it is a file being imported (the Import page cancelled), and stops a
/// decryption of it that is under way.
pub fn discard_import(slot: &mut Option<Staged>) {
    if let Some(Staged { origin: Origin::Import(file), .. }) = slot {
        file.cancel.cancel();
        *slot = None;
    }
}
