//! Restoring a backup: the preview (new, exact duplicate, changed version), merge and replace, and a restore
//! racing another writer.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::backup_common;

use crate::vault_common::{field, with_field};
use backup_common::*;
use twofold_core::backup::{self, RestoreMode, RestoreStatus, RestoreSummary};
use twofold_core::vault::VaultContents;
use twofold_core::{AccountId, Secret};

/// A vault of GitHub, Bank and Steam, a backup of it, then edits: GitHub renamed (same key), Bank
/// re-enrolled (new secret), Steam removed, Extra added. Returns the vault's contents and the backup's.
fn diverged() -> (VaultContents, VaultContents) {
    let original = sample();
    let mut now = original.clone();
    now.accounts[0].name = String::from("alice@new.example");
    now.accounts[1].secret = Secret::from_bytes(vec![9; 20]).unwrap();
    now.remove(original.accounts[2].id);
    now.accounts.push(account("Extra", "carol", 77));
    (now, original)
}

#[test]
fn preview_marks_new_duplicates_and_changed_versions() {
    let (vault, backup) = diverged();
    let plan = backup::preview(&vault, &backup);
    let statuses: Vec<_> = plan.items.iter().map(|i| (i.label.as_str(), i.status)).collect();
    assert_eq!(
        statuses,
        [
            ("GitHub (alice@example.com)", RestoreStatus::Duplicate { of: backup.accounts[0].id }),
            ("Bank (bob)", RestoreStatus::Changed),
            ("Steam", RestoreStatus::New),
        ]
    );
    assert_eq!(plan.only_in_vault, [vault.accounts[2].id]);
    assert_eq!(plan.summary(RestoreMode::Merge), RestoreSummary { added: 1, skipped: 2, replaced: 0, removed: 0 });
    assert_eq!(plan.summary(RestoreMode::Replace), RestoreSummary { added: 1, skipped: 0, replaced: 2, removed: 1 });
    // The preview carries names and ids, never a secret.
    assert!(!format!("{plan:?}").contains("rc-1234"));
}

#[test]
fn the_same_key_under_another_id_is_a_duplicate() {
    let vault = sample();
    let mut backup = VaultContents::new();
    let mut copy = vault.accounts[1].clone();
    copy.id = AccountId::new_random();
    copy.name = String::from("renamed on another machine");
    backup.accounts.push(copy);
    let plan = backup::preview(&vault, &backup);
    assert_eq!(plan.items[0].status, RestoreStatus::Duplicate { of: vault.accounts[1].id });
    // Same secret but another period is another key.
    let mut other = vault.accounts[0].clone();
    other.id = AccountId::new_random();
    other.otp.kind = twofold_core::OtpKind::Totp { period: 60 };
    backup.accounts = vec![other];
    assert_eq!(backup::preview(&vault, &backup).items[0].status, RestoreStatus::New);
}

#[test]
fn merge_adds_new_accounts_and_changes_nothing_else() {
    let (vault, backup) = diverged();
    let mut merged = vault.clone();
    let summary = backup::apply(&mut merged, &backup, RestoreMode::Merge);
    assert_eq!(summary, RestoreSummary { added: 1, skipped: 2, replaced: 0, removed: 0 });
    assert_eq!(merged.accounts[..3], vault.accounts[..]);
    assert_eq!(merged.accounts[3], backup.accounts[2]);
    assert_eq!(field(&merged, "profile"), field(&vault, "profile"));
    // Merging the same backup again adds nothing.
    let again = backup::apply(&mut merged, &backup, RestoreMode::Merge);
    assert_eq!(again, RestoreSummary { added: 0, skipped: 3, replaced: 0, removed: 0 });
}

#[test]
fn replace_makes_the_accounts_exactly_the_backups() {
    let (vault, backup) = diverged();
    let mut replaced = vault.clone();
    replaced = with_field(replaced, "profile", serde_json::json!("dark"));
    let summary = backup::apply(&mut replaced, &backup, RestoreMode::Replace);
    assert_eq!(summary, RestoreSummary { added: 1, skipped: 0, replaced: 2, removed: 1 });
    assert_eq!(replaced.accounts, backup.accounts);
    // Non-account data is not part of a restore.
    assert_eq!(field(&replaced, "profile"), Some(serde_json::json!("dark")));
}

#[test]
fn restore_from_a_file_into_a_vault_on_disk() {
    let s = Scratch::new();
    let (now, original) = diverged();
    let path = s.path("b.twofold-backup");
    backup::write_backup(&path, &original, &key(), NOW).unwrap();
    let mut vault = s.vault(&now);
    let counter = vault.counter();

    // A dry run is a preview: the vault file is not written.
    let opened = backup::open_backup(&path, BACKUP_PASSWORD).unwrap();
    let _ = backup::preview(vault.contents(), &opened.contents);
    assert_eq!(vault.store().inspect().unwrap().save_counter, counter);

    let summary = backup::restore_into(&mut vault, &opened.contents, RestoreMode::Merge).unwrap();
    assert_eq!(summary.added, 1);
    let reopened = s.store().unlock(VAULT_PASSWORD).unwrap();
    assert_eq!(reopened.contents().accounts.len(), 4);
    assert!(reopened.contents().account(original.accounts[2].id).is_some());
    // Merging again adds nothing and saves nothing.
    let saved = vault.counter();
    let again = backup::restore_into(&mut vault, &opened.contents, RestoreMode::Merge).unwrap();
    assert_eq!(again, RestoreSummary { added: 0, skipped: 3, replaced: 0, removed: 0 });
    assert_eq!(s.store().inspect().unwrap().save_counter, saved);
}

#[test]
fn a_restore_racing_another_writer_loses_nothing() {
    let s = Scratch::new();
    let backup_contents = many(3);
    let mut first = s.vault(&sample());
    let mut second = s.store().unlock(VAULT_PASSWORD).unwrap();
    // Another program adds an account after `second` was opened.
    let extra = account("Added", "elsewhere", 500);
    let extra_id = extra.id;
    first
        .update(|c| -> Result<(), twofold_core::vault::VaultError> {
            c.accounts.push(extra);
            Ok(())
        })
        .unwrap();
    let summary = backup::restore_into(&mut second, &backup_contents, RestoreMode::Merge).unwrap();
    assert_eq!(summary, RestoreSummary { added: 3, skipped: 0, replaced: 0, removed: 0 });
    let after = s.store().unlock(VAULT_PASSWORD).unwrap();
    assert_eq!(after.contents().accounts.len(), 3 + 1 + 3);
    assert!(after.contents().account(extra_id).is_some());
    // Replace, computed on the newest contents, removes the other program's account knowingly and says so.
    let summary = backup::restore_into(&mut first, &backup_contents, RestoreMode::Replace).unwrap();
    assert_eq!(summary, RestoreSummary { added: 0, skipped: 0, replaced: 3, removed: 4 });
    assert_eq!(s.store().unlock(VAULT_PASSWORD).unwrap().contents().accounts, backup_contents.accounts);
}
