//! Rounds of following driven by backups our own Aegis encoder writes, as a phone would, checked account by
//! account.

use std::path::Path;

use super::*;
use crate::export::{self, Protection};
use crate::model::OtpParams;
use crate::secret::Secret;

const PASSWORD: &str = "phone backup password";

fn totp(issuer: &str, name: &str, key: &str) -> Account {
    Account::new(issuer, name, Secret::parse_base32(key).unwrap(), OtpParams::default_totp(), 0)
}

fn hotp(issuer: &str, name: &str, key: &str, counter: u64) -> Account {
    let mut params = OtpParams::default_totp();
    params.kind = OtpKind::Hotp { counter };
    Account::new(issuer, name, Secret::parse_base32(key).unwrap(), params, 0)
}

/// Writes `phone` as Aegis would: an encrypted vault named `aegis-backup-YYYYMMDD-HHMMSS.json`.
fn backup(dir: &Path, stamp: &str, phone: &[Account], password: &str) -> PathBuf {
    let exported = export::export(phone, export::Format::AegisEncrypted, Protection::Password(password), 0).unwrap();
    let path = dir.join(format!("aegis-backup-{stamp}.json"));
    std::fs::write(&path, &*exported.bytes).unwrap();
    path
}

struct Desk {
    contents: VaultContents,
    id: uuid::Uuid,
}

impl Desk {
    fn new(dir: &Path) -> Self {
        let mut contents = VaultContents::new();
        let source = Source::new(dir.to_owned(), Format::Aegis, Some(PASSWORD));
        put_source(&mut contents, &source);
        Desk { contents, id: source.id }
    }

    /// One round as the shell runs it: fetch, then apply (or remember a failed password).
    fn round(&mut self) -> Outcome {
        let source = source(&self.contents, self.id).unwrap();
        match fetch(&source, 1000, &Cancel::new()).unwrap() {
            Fetch::New { fetched, skipped } => match apply(&mut self.contents, self.id, &fetched, 1000).unwrap() {
                Some(report) => Outcome::Applied { report, skipped },
                None => Outcome::Nothing { skipped },
            },
            Fetch::Nothing { skipped } => Outcome::Nothing { skipped },
            Fetch::PasswordMissing { file } => Outcome::PasswordMissing { file },
            Fetch::PasswordWrong { file } => {
                mark_password_failed(&mut self.contents, self.id).unwrap();
                Outcome::PasswordWrong { file }
            }
        }
    }

    fn applied(&mut self) -> FollowReport {
        match self.round() {
            Outcome::Applied { report, .. } => report,
            other => panic!("expected a backup to be applied, got {other:?}"),
        }
    }

    /// The desktop's account for the phone's entry (matched by the entry uuid our encoder writes: the id).
    fn of(&self, phone: &Account) -> &Account {
        let entry = phone.id.to_string();
        self.contents
            .accounts
            .iter()
            .find(|a| a.origin.as_ref().is_some_and(|o| o.entry == entry))
            .unwrap_or_else(|| panic!("no account follows {}", phone.display_name()))
    }
}

fn counter(a: &Account) -> u64 {
    match a.otp.kind {
        OtpKind::Hotp { counter } => counter,
        _ => panic!("not HOTP"),
    }
}

#[test]
fn name_time_reads_aegis_and_stratum_names() {
    let (aegis, clock) = name_time("aegis-backup-20261207-104213.json").unwrap();
    assert_eq!(clock, "10:42");
    assert_eq!(crate::time::format_utc(aegis), "2026-12-07 10:42:13 UTC");
    let (suffixed, _) = name_time("aegis-backup-20261207-104213-1.json").unwrap();
    assert_eq!(suffixed, aegis);
    assert_eq!(name_time("backup-2026-12-07_104213.authpro").map(|t| t.0), Some(aegis));
    assert_eq!(name_time("aegis-backup-2026.json"), None);
    assert_eq!(name_time("aegis-backup-20261307-104213.json"), None, "month 13");
}

#[test]
fn temporary_and_foreign_files_are_not_backups() {
    assert!(may_be_backup("aegis-backup-20261207-104213.json", Format::Aegis));
    assert!(!may_be_backup(".syncthing.aegis-backup-20261207-104213.json.tmp", Format::Aegis));
    assert!(!may_be_backup("aegis-backup-20261207-104213.json.part", Format::Aegis));
    assert!(!may_be_backup("notes.json", Format::Aegis));
}

/// The whole sequence of the issue: add, rename, HOTP advance, delete, a truncated file, an older file arriving
/// late, rotation copies, a password change.
#[test]
fn a_sequence_of_phone_backups_keeps_the_desktop_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::new(dir.path());
    let mut github = totp("GitHub", "alice", "JBSWY3DPEHPK3PXP");
    github.groups = vec!["work".into()];
    let mut bank = hotp("Bank", "alice", "GEZDGNBVGY3TQOJQ", 5);
    let mut mail = totp("Mail", "alice@example.com", "MFRGGZDFMZTWQ2LK");
    let mut phone = vec![github.clone(), bank.clone(), mail.clone()];

    // 1. The first backup: three new accounts, each from its Aegis entry.
    backup(dir.path(), "20261207-100000", &phone, PASSWORD);
    let r = desk.applied();
    assert_eq!((r.added.len(), r.changed.len(), r.removed.len()), (3, 0, 0));
    assert_eq!(r.to_string(), "Aegis backup of 10:00: 3 new");
    assert_eq!(desk.of(&github).groups, vec!["work".to_string()]);
    assert_eq!(counter(desk.of(&bank)), 5);
    assert!(desk.of(&github).same_key_as(&github));
    assert_eq!(desk.contents.accounts.len(), 3);

    // Nothing new: the same file is not applied twice.
    assert!(matches!(desk.round(), Outcome::Nothing { .. }));

    // 2. Renamed on the phone, a new account added there, the HOTP counter advanced.
    github.name = "alice@work".into();
    bank.otp.kind = OtpKind::Hotp { counter: 9 };
    let shop = totp("Shop", "alice", "ONSWG4TFOQYTEMZU");
    phone = vec![github.clone(), bank.clone(), mail.clone(), shop.clone()];
    backup(dir.path(), "20261207-101500", &phone, PASSWORD);
    let r = desk.applied();
    assert_eq!(r.to_string(), "Aegis backup of 10:15: 1 new, 2 changed");
    assert_eq!(desk.of(&github).name, "alice@work");
    assert_eq!(counter(desk.of(&bank)), 9);
    assert_eq!(desk.of(&shop).issuer, "Shop");
    assert_eq!(desk.of(&mail).name, "alice@example.com");

    // 3. The desktop used the HOTP account past the phone's counter: a phone backup never lowers it.
    if let Some(a) = desk.contents.accounts.iter_mut().find(|a| a.issuer == "Bank") {
        a.otp.kind = OtpKind::Hotp { counter: 20 };
    }
    bank.otp.kind = OtpKind::Hotp { counter: 12 };
    phone = vec![github.clone(), bank.clone(), mail.clone(), shop.clone()];
    backup(dir.path(), "20261207-102000", &phone, PASSWORD);
    let r = desk.applied();
    assert!(!r.changed_anything(), "{r}");
    assert_eq!(counter(desk.of(&bank)), 20);

    // 4. Deleted on the phone: marked, never deleted.
    phone = vec![github.clone(), bank.clone(), shop.clone()];
    backup(dir.path(), "20261207-103000", &phone, PASSWORD);
    let r = desk.applied();
    assert_eq!(r.to_string(), "Aegis backup of 10:30: 1 removed on the phone");
    assert!(desk.of(&mail).origin.as_ref().unwrap().removed);
    assert_eq!(desk.contents.accounts.len(), 4);
    assert!(!desk.of(&github).origin.as_ref().unwrap().removed);

    // 5. A truncated file (a sync still writing it) is skipped and tried again once complete.
    github.issuer = "GitHub Enterprise".into();
    phone = vec![github.clone(), bank.clone(), shop.clone()];
    let full = backup(dir.path(), "20261207-104200", &phone, PASSWORD);
    let bytes = std::fs::read(&full).unwrap();
    std::fs::write(&full, &bytes[..bytes.len() / 2]).unwrap();
    match desk.round() {
        Outcome::Nothing { skipped } => {
            assert_eq!(
                skipped,
                vec![Skipped { file: "aegis-backup-20261207-104200.json".into(), reason: SkipReason::Incomplete }]
            );
        }
        other => panic!("a truncated file must be skipped, got {other:?}"),
    }
    assert_eq!(desk.of(&github).issuer, "GitHub");
    std::fs::write(&full, &bytes).unwrap();
    let r = desk.applied();
    assert_eq!(r.to_string(), "Aegis backup of 10:42: 1 changed");
    assert_eq!(desk.of(&github).issuer, "GitHub Enterprise");

    // 6. An older backup arriving late (it still has "Mail" and the old names) changes nothing.
    let old_phone = vec![totp("Old", "x", "KRUGKIDROVUWG2ZA")];
    backup(dir.path(), "20261207-090000", &old_phone, PASSWORD);
    assert!(matches!(desk.round(), Outcome::Nothing { .. }));
    assert_eq!(desk.contents.accounts.len(), 4);
    assert_eq!(desk.of(&github).issuer, "GitHub Enterprise");

    // 7. A rotation copy of an applied backup under another name is not applied again.
    std::fs::copy(&full, dir.path().join("aegis-backup-20261207-104300.json")).unwrap();
    assert!(matches!(desk.round(), Outcome::Nothing { .. }));

    // 8. The password changed on the phone: asked once, then no key derivation until it is set again.
    github.name = "alice@new".into();
    phone = vec![github.clone(), bank.clone(), shop.clone()];
    backup(dir.path(), "20261207-110000", &phone, "new phone password");
    match desk.round() {
        Outcome::PasswordWrong { file } => assert_eq!(file, "aegis-backup-20261207-110000.json"),
        other => panic!("expected the password to be asked, got {other:?}"),
    }
    assert!(source(&desk.contents, desk.id).unwrap().password_failed);
    assert!(matches!(desk.round(), Outcome::PasswordWrong { .. }));
    assert_eq!(desk.of(&github).name, "alice@work");
    set_password(&mut desk.contents, desk.id, Some("new phone password")).unwrap();
    let r = desk.applied();
    assert_eq!(r.to_string(), "Aegis backup of 11:00: 1 changed");
    assert_eq!(desk.of(&github).name, "alice@new");
    assert!(!source(&desk.contents, desk.id).unwrap().password_failed);

    // 9. The entry comes back on the phone: the mark goes.
    phone = vec![github.clone(), bank.clone(), shop.clone(), mail.clone()];
    mail.note = "restored".into();
    phone[3] = mail.clone();
    backup(dir.path(), "20261207-111500", &phone, "new phone password");
    let r = desk.applied();
    assert_eq!(r.changed.len(), 1);
    assert!(!desk.of(&mail).origin.as_ref().unwrap().removed);
    assert_eq!(desk.of(&mail).note, "restored");
}

/// A desktop edit survives a backup that did not change the same field; the phone wins on a field it changed.
#[test]
fn desktop_edits_are_kept_where_the_phone_did_not_change_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::new(dir.path());
    let mut github = totp("GitHub", "alice", "JBSWY3DPEHPK3PXP");
    backup(dir.path(), "20261207-100000", std::slice::from_ref(&github), PASSWORD);
    desk.applied();
    let account = desk.contents.accounts.iter_mut().next().unwrap();
    account.name = "alice (desktop)".into();
    account.note = "desk note".into();
    account.groups = vec!["desk".into()];
    // The phone renames the issuer only.
    github.issuer = "GitHub Inc".into();
    backup(dir.path(), "20261207-101000", std::slice::from_ref(&github), PASSWORD);
    let r = desk.applied();
    assert_eq!(r.changed.len(), 1);
    let a = desk.of(&github);
    assert_eq!((a.issuer.as_str(), a.name.as_str(), a.note.as_str()), ("GitHub Inc", "alice (desktop)", "desk note"));
    assert_eq!(a.groups, vec!["desk".to_string()]);
    // Now the phone renames the account too: the phone's newer change of that field wins.
    github.name = "alice@phone".into();
    backup(dir.path(), "20261207-102000", std::slice::from_ref(&github), PASSWORD);
    desk.applied();
    let a = desk.of(&github);
    assert_eq!((a.name.as_str(), a.note.as_str()), ("alice@phone", "desk note"));
}

/// Following a folder after a one-time import links the imported accounts instead of adding them twice.
#[test]
fn accounts_imported_once_are_linked_by_key_not_added_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::new(dir.path());
    let github = totp("GitHub", "alice", "JBSWY3DPEHPK3PXP");
    let mut imported = github.clone();
    imported.id = AccountId::new_random();
    imported.name = "renamed on the desktop".into();
    desk.contents.accounts.push(imported.clone());
    backup(dir.path(), "20261207-100000", std::slice::from_ref(&github), PASSWORD);
    let r = desk.applied();
    assert_eq!((r.added.len(), r.linked.clone(), r.changed_anything()), (0, vec![imported.id], false));
    assert_eq!(desk.contents.accounts.len(), 1);
    assert_eq!(desk.of(&github).name, "renamed on the desktop");
}

#[test]
fn a_missing_password_is_reported_without_applying() {
    let dir = tempfile::tempdir().unwrap();
    let mut contents = VaultContents::new();
    let source = Source::new(dir.path().to_owned(), Format::Aegis, None);
    put_source(&mut contents, &source);
    backup(dir.path(), "20261207-100000", &[totp("A", "b", "JBSWY3DPEHPK3PXP")], PASSWORD);
    assert!(matches!(fetch(&source, 0, &Cancel::new()).unwrap(), Fetch::PasswordMissing { .. }));
}

#[test]
fn sources_and_origins_survive_the_payload() {
    let dir = tempfile::tempdir().unwrap();
    let mut desk = Desk::new(dir.path());
    backup(dir.path(), "20261207-100000", &[totp("A", "b", "JBSWY3DPEHPK3PXP")], PASSWORD);
    desk.applied();
    let json = desk.contents.to_json().unwrap();
    let read = VaultContents::from_json(&json).unwrap();
    assert_eq!(read, desk.contents);
    let s = source(&read, desk.id).unwrap();
    assert_eq!(s.password.as_deref().map(String::as_str), Some(PASSWORD));
    assert_eq!(s.applied.len(), 1);
    assert!(!format!("{s:?}").contains(PASSWORD), "the password stays out of Debug");
    assert!(read.accounts[0].origin.is_some());
    // Stopping following leaves the accounts, no longer followed.
    let mut read = read;
    remove_source(&mut read, desk.id);
    assert!(sources(&read).is_empty());
    assert!(read.accounts[0].origin.is_none());
}

#[test]
fn detect_names_the_app_of_the_newest_backup() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(detect(dir.path()), Err(FollowError::NoBackups { .. })));
    backup(dir.path(), "20261207-100000", &[totp("A", "b", "JBSWY3DPEHPK3PXP")], PASSWORD);
    std::fs::write(dir.path().join(".stfolder"), b"").unwrap();
    let found = detect(dir.path()).unwrap();
    assert_eq!((found.app, found.encrypted), (Format::Aegis, true));
}
