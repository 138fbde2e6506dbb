//! Sync through a folder with real Syncthing (issue 14 point 6): two Twofold data folders, each with its own
//! Syncthing-shared folder, run `FolderSync` rounds as the app does after a save or a folder change.
//!
//! - an account added on A appears on B;
//! - with the link paused, A and B each edit, add and advance one HOTP counter; on resume Syncthing makes a
//!   conflict copy, Twofold merges it and removes it, and both end with every edit, the larger counter and no
//!   conflict copy.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use std::path::Path;
use std::time::{Duration, Instant};

use twofold_core::model::{Account, OtpKind, OtpParams};
use twofold_core::secret::Secret;
use twofold_core::sync::{FolderSync, SyncKeys};
use twofold_core::vault::{DeviceId, KdfParams, Vault, VaultContents, VaultError, VaultStore};
use twofold_tests::servers::syncthing::{SyncthingPair, conflict_copies};
use twofold_tests::servers::wait_for;

const PASSWORD: &str = "a shared pässword";

struct Computer {
    _dir: tempfile::TempDir,
    vault: Vault,
    keys: SyncKeys,
    sync: FolderSync,
}

impl Computer {
    fn new(folder: &Path, device: u128) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let store = VaultStore::new(dir.path().join("twofold.vault"));
        let mut vault = store.create(PASSWORD, KdfParams::MINIMUM, &VaultContents::new()).unwrap();
        vault.set_device(DeviceId(uuid::Uuid::from_u128(device)));
        let keys = SyncKeys::new(&vault, PASSWORD);
        let sync = FolderSync::new(folder, vault.store().path()).unwrap();
        Computer { _dir: dir, vault, keys, sync }
    }

    fn add(&mut self, issuer: &str, hotp: bool) {
        let otp = if hotp {
            OtpParams { kind: OtpKind::Hotp { counter: 0 }, ..OtpParams::default_totp() }
        } else {
            OtpParams::default_totp()
        };
        let account = Account::new(issuer, "me", Secret::from_bytes(issuer.as_bytes().to_vec()).unwrap(), otp, 100);
        self.vault
            .update(|c| -> Result<(), VaultError> {
                c.accounts.push(account);
                Ok(())
            })
            .unwrap();
    }

    fn edit_note(&mut self, issuer: &str, note: &str) {
        self.vault
            .update(|c| -> Result<(), VaultError> {
                let account = c.accounts.iter_mut().find(|a| a.issuer == issuer).unwrap();
                account.note = note.to_string();
                Ok(())
            })
            .unwrap();
    }

    fn round(&mut self) -> twofold_core::sync::RoundReport {
        self.sync.round(&mut self.vault, &mut self.keys).unwrap()
    }

    fn issuers(&self) -> Vec<String> {
        let mut names: Vec<String> = self.vault.contents().accounts.iter().map(|a| a.issuer.clone()).collect();
        names.sort();
        names
    }

    fn account(&self, issuer: &str) -> &Account {
        self.vault.contents().accounts.iter().find(|a| a.issuer == issuer).unwrap()
    }
}

/// Rounds on both sides, letting Syncthing carry each result over, until both hold the same and no conflict
/// copy is left (as the app's watcher would, round after round).
fn settle(pair: &SyncthingPair, a: &mut Computer, b: &mut Computer) {
    let start = Instant::now();
    loop {
        a.round();
        pair.wait_in_sync(Duration::from_secs(60));
        b.round();
        pair.wait_in_sync(Duration::from_secs(60));
        let same = a.vault.contents().accounts == b.vault.contents().accounts;
        if same && pair.conflict_copies().is_empty() && !a.round().wrote_copy && !b.round().wrote_copy {
            return;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "A and B did not settle");
    }
}

#[test]
fn syncthing_carries_an_account_from_a_to_b() {
    let folders = tempfile::tempdir().unwrap();
    let (fa, fb) = (folders.path().join("a"), folders.path().join("b"));
    let Some(pair) = SyncthingPair::start("syncthing_carries_an_account_from_a_to_b", &fa, &fb) else { return };
    let mut a = Computer::new(&fa, 0xA);
    let mut b = Computer::new(&fb, 0xB);
    a.add("Added on A", false);
    let written = Instant::now();
    assert!(a.round().wrote_copy);
    wait_for("the copy on B", Duration::from_secs(30), || fb.join("twofold.vault").exists().then_some(()));
    pair.wait_in_sync(Duration::from_secs(30));
    eprintln!("syncthing: the copy written on A was on B after {} ms", written.elapsed().as_millis());
    let report = b.round();
    assert_eq!(report.merge.added.len(), 1);
    assert_eq!(b.issuers(), vec!["Added on A"]);
    settle(&pair, &mut a, &mut b);
    assert_eq!(a.issuers(), b.issuers());
}

#[test]
fn syncthing_conflict_copy_is_merged_and_every_edit_survives() {
    let folders = tempfile::tempdir().unwrap();
    let (fa, fb) = (folders.path().join("a"), folders.path().join("b"));
    let Some(pair) = SyncthingPair::start("syncthing_conflict_copy_is_merged", &fa, &fb) else { return };
    let mut a = Computer::new(&fa, 0xA);
    let mut b = Computer::new(&fb, 0xB);
    a.add("Shared", false);
    a.add("Counter", true);
    settle(&pair, &mut a, &mut b);
    let counter_id = a.account("Counter").id;

    pair.pause_link();
    a.add("Only on A", false);
    a.edit_note("Shared", "edited on A");
    a.vault.advance_hotp(counter_id, 10).unwrap();
    a.vault.advance_hotp(counter_id, 11).unwrap();
    a.vault.advance_hotp(counter_id, 12).unwrap();
    b.add("Only on B", false);
    b.edit_note("Counter", "edited on B");
    b.vault.advance_hotp(counter_id, 13).unwrap();
    assert!(a.round().wrote_copy && b.round().wrote_copy);
    pair.rescan();
    pair.resume_link();
    pair.wait_in_sync(Duration::from_secs(60));
    let conflicts = wait_for("Syncthing's conflict copy", Duration::from_secs(30), || {
        let found = pair.conflict_copies();
        (!found.is_empty()).then_some(found)
    });
    eprintln!("syncthing made {}", conflicts[0].file_name().unwrap().to_string_lossy());

    // Whichever side sees it first merges it and removes it; the removal syncs to the other side.
    let first = if conflict_copies(&fa).is_empty() { b.round() } else { a.round() };
    assert_eq!(first.removed.len(), 1, "{first:?}");
    settle(&pair, &mut a, &mut b);

    for c in [&a, &b] {
        assert_eq!(c.issuers(), vec!["Counter", "Only on A", "Only on B", "Shared"]);
        assert_eq!(c.account("Shared").note, "edited on A");
        assert_eq!(c.account("Counter").note, "edited on B");
        assert_eq!(c.account("Counter").otp.kind, OtpKind::Hotp { counter: 3 }, "the larger counter");
    }
    assert!(conflict_copies(&fa).is_empty() && conflict_copies(&fb).is_empty());
}
