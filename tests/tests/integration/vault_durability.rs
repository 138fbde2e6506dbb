//! Durability: a failure at any save step leaves the old vault; SIGKILL during saves never loses the vault;
//! two processes saving at once lose no update; a stale writer is refused or re-applies; temp files left by
//! a crash are cleaned; a damaged vault can be replaced by its previous copy.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::vault_common;

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use twofold_core::vault::{KdfParams, SaveHook, SaveStep, VaultContents, VaultError, VaultStore};
use twofold_core::{Account, OtpKind, OtpParams, Secret};
use vault_common::{PASSWORD, files_starting_with, sample_contents, sample_store};

/// Fails one save step with `error`, once.
struct FailAt {
    step: SaveStep,
    errno: i32,
    fired: Mutex<bool>,
}

impl SaveHook for FailAt {
    fn before(&self, step: SaveStep, _path: &Path) -> io::Result<()> {
        let mut fired = self.fired.lock().unwrap();
        if step == self.step && !*fired {
            *fired = true;
            return Err(io::Error::from_raw_os_error(self.errno));
        }
        Ok(())
    }
}

const ENOSPC: i32 = 28;
const EIO: i32 = 5;

fn note(store: &VaultStore) -> String {
    store.unlock(PASSWORD).unwrap().contents().accounts[0].note.clone()
}

fn set_note(text: &str) -> impl FnOnce(&mut VaultContents) -> Result<(), VaultError> + '_ {
    move |c| {
        c.accounts[0].note = text.to_string();
        Ok(())
    }
}

#[test]
fn a_failure_at_each_save_step_keeps_the_old_vault_and_reports_it() {
    for step in SaveStep::ALL {
        for errno in [ENOSPC, EIO] {
            let (dir, store) = sample_store();
            let mut vault = store.unlock(PASSWORD).unwrap();
            vault.update(set_note("old")).unwrap();
            let hook = Arc::new(FailAt { step, errno, fired: Mutex::new(false) });
            let failing = store.clone().with_save_hook(hook.clone());
            let mut on_failing = failing.unlock(PASSWORD).unwrap();
            let err = on_failing.update(set_note("new")).unwrap_err();
            assert!(*hook.fired.lock().unwrap(), "{step:?} never ran");
            assert!(matches!(err, VaultError::Io { .. }), "{step:?}: {err:?}");
            let text = err.to_string();
            assert!(text.starts_with("could not "), "{text}");
            if errno == ENOSPC {
                assert!(text.contains("No space left on device"), "{text}");
            }
            if step == SaveStep::SyncFolder {
                // The rename happened: the new contents are in place and the handle knows it.
                assert_eq!(note(&store), "new");
                assert_eq!(store.read_previous(PASSWORD).unwrap().accounts[0].note, "old");
                assert_eq!(on_failing.counter(), store.inspect().unwrap().save_counter);
            } else {
                assert_eq!(note(&store), "old", "{step:?}");
                // The handle is still usable: the next save (the hook fired once) succeeds.
                on_failing.update(set_note("retried")).unwrap();
                assert_eq!(note(&store), "retried", "{step:?}");
            }
            assert!(files_starting_with(dir.path(), ".test.vault.tmp-").is_empty(), "{step:?} left a temp file");
        }
    }
}

/// Corrupts the temp file just before it is read back: the read-back check must catch it.
struct CorruptTemp;

impl SaveHook for CorruptTemp {
    fn before(&self, step: SaveStep, path: &Path) -> io::Result<()> {
        if step == SaveStep::ReadBack {
            let mut bytes = std::fs::read(path)?;
            let last = bytes.len() - 1;
            bytes[last] ^= 1;
            std::fs::write(path, bytes)?;
        }
        Ok(())
    }
}

#[test]
fn a_bad_write_is_caught_by_the_read_back() {
    let (_dir, store) = sample_store();
    let before = note(&store);
    let mut vault = store.clone().with_save_hook(Arc::new(CorruptTemp)).unlock(PASSWORD).unwrap();
    let err = vault.update(set_note("never")).unwrap_err();
    assert!(matches!(err, VaultError::ReadBackFailed), "{err:?}");
    assert_eq!(note(&store), before);
}

#[test]
fn sigkill_during_saves_always_leaves_an_openable_vault() {
    let iterations = std::env::var("TWOFOLD_CRASH_ITERATIONS").ok().and_then(|n| n.parse().ok()).unwrap_or(200u32);
    let (_dir, store) = sample_store();
    let stats =
        vault_common::crash::crash_loop(Path::new(env!("CARGO_BIN_EXE_vault_saver")), &store, PASSWORD, iterations)
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stats.kills, iterations);
    // The kills must have landed inside saves (a temp file was left), and saves must have completed between
    // them, or the loop proved nothing.
    assert!(stats.killed_mid_save > 0 && stats.saves > 0, "{stats:?}");
    assert_eq!(store.unlock(PASSWORD).unwrap().contents().accounts.len(), sample_contents().accounts.len());
    println!("{stats:?}: the vault always opened with the old or newer contents");
}

#[test]
fn two_processes_saving_at_once_lose_no_update() {
    let (_dir, store) = sample_store();
    let per_process = 25;
    let spawn = |prefix: &str| {
        Command::new(env!("CARGO_BIN_EXE_vault_saver"))
            .args(["add", store.path().to_str().unwrap(), PASSWORD, prefix, &per_process.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let a = spawn("alpha");
    let b = spawn("beta");
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let vault = store.unlock(PASSWORD).unwrap();
    let names: Vec<&str> = vault.contents().accounts.iter().map(|a| a.name.as_str()).collect();
    for prefix in ["alpha", "beta"] {
        for i in 0..per_process {
            let name = format!("{prefix}-{i}");
            assert_eq!(names.iter().filter(|n| **n == name).count(), 1, "{name} missing or doubled");
        }
    }
    assert_eq!(names.len(), sample_contents().accounts.len() + 2 * per_process);
    assert_eq!(vault.counter(), 1 + 2 * per_process as u64);
}

#[test]
fn a_stale_handle_refuses_save_and_update_reapplies() {
    let (_dir, store) = sample_store();
    let mut app = store.unlock(PASSWORD).unwrap();
    let mut cli = store.unlock(PASSWORD).unwrap();
    cli.update(set_note("from the cli")).unwrap();

    let mut whole = app.contents().clone();
    whole.accounts[1].note = String::from("from the app");
    let err = app.save(whole).unwrap_err();
    assert!(matches!(err, VaultError::Stale { expected: 1, found: 2 }), "{err:?}");
    assert!(err.to_string().contains("reload it"));

    app.update(|c| -> Result<(), VaultError> {
        c.accounts[1].note = String::from("from the app");
        Ok(())
    })
    .unwrap();
    let fresh = store.unlock(PASSWORD).unwrap();
    assert_eq!(fresh.contents().accounts[0].note, "from the cli");
    assert_eq!(fresh.contents().accounts[1].note, "from the app");

    // reload() catches up without a password.
    assert!(cli.reload().unwrap());
    assert_eq!(cli.contents().accounts[1].note, "from the app");
    assert!(!cli.reload().unwrap());
}

#[test]
fn password_change_keeps_other_handles_and_rotation_invalidates_them() {
    let (_dir, store) = sample_store();
    let mut app = store.unlock(PASSWORD).unwrap();
    let mut cli = store.unlock(PASSWORD).unwrap();

    cli.change_password("new password", KdfParams::MINIMUM).unwrap();
    assert!(matches!(store.unlock(PASSWORD), Err(VaultError::WrongPassword)));
    assert!(cli.check_password("new password").unwrap());
    assert!(!cli.check_password(PASSWORD).unwrap());
    // The data key did not change: the app's handle still saves (re-applying on top).
    app.update(set_note("after passwd")).unwrap();
    assert_eq!(store.unlock("new password").unwrap().contents().accounts[0].note, "after passwd");

    cli.rotate_key("rotated", KdfParams::MINIMUM).unwrap();
    let err = app.update(set_note("lost?")).unwrap_err();
    assert!(matches!(err, VaultError::KeyChanged), "{err:?}");
    let reopened = store.unlock("rotated").unwrap();
    assert_eq!(reopened.contents().accounts[0].note, "after passwd");
    assert_eq!(reopened.contents().accounts, cli.contents().accounts);
    assert!(matches!(store.unlock("new password"), Err(VaultError::WrongPassword)));
}

#[test]
fn another_writer_holding_the_lock_is_named() {
    let (_dir, store) = sample_store();
    let (entered_tx, entered_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    struct Hold(Mutex<(mpsc::Sender<()>, mpsc::Receiver<()>)>);
    impl SaveHook for Hold {
        fn before(&self, step: SaveStep, _path: &Path) -> io::Result<()> {
            if step == SaveStep::WriteTemp {
                let guard = self.0.lock().unwrap();
                guard.0.send(()).unwrap();
                guard.1.recv().unwrap();
            }
            Ok(())
        }
    }
    let slow = store.clone().with_save_hook(Arc::new(Hold(Mutex::new((entered_tx, release_rx)))));
    let mut slow_vault = slow.unlock(PASSWORD).unwrap();
    let saver = std::thread::spawn(move || slow_vault.update(set_note("slow")));
    entered_rx.recv().unwrap();

    let mut other = store.clone().with_lock_wait(Duration::ZERO).unlock(PASSWORD).unwrap();
    let err = other.update(set_note("blocked")).unwrap_err();
    assert_eq!(err.to_string(), format!("vault is locked by process {}", std::process::id()));

    release_tx.send(()).unwrap();
    saver.join().unwrap().unwrap();
    assert_eq!(note(&store), "slow");
    // Once the save is over the lock is free again (and the other handle re-applies on top).
    other.update(set_note("after")).unwrap();
    assert_eq!(note(&store), "after");
}

#[test]
fn leftover_temp_files_are_cleaned_at_unlock() {
    let (dir, store) = sample_store();
    let leftover = dir.path().join(".test.vault.tmp-99999-deadbeef");
    std::fs::write(&leftover, b"half a vault").unwrap();
    let unrelated = dir.path().join("notes.txt");
    std::fs::write(&unrelated, b"keep me").unwrap();
    store.unlock(PASSWORD).unwrap();
    assert!(!leftover.exists());
    assert!(unrelated.exists());
    assert!(store.clean_leftovers().unwrap().is_empty());
}

#[test]
fn a_damaged_vault_is_replaced_by_its_previous_copy() {
    let (dir, store) = sample_store();
    let mut vault = store.unlock(PASSWORD).unwrap();
    vault.update(set_note("good")).unwrap();
    vault.update(set_note("newest")).unwrap();
    std::fs::write(store.path(), b"TWOFOLDV garbage after a disk error").unwrap();
    assert!(matches!(store.unlock(PASSWORD), Err(VaultError::Corrupt { .. })));
    assert_eq!(store.read_previous(PASSWORD).unwrap().accounts[0].note, "good");
    store.restore_previous().unwrap();
    assert_eq!(note(&store), "good");
    assert!(dir.path().join("test.vault.damaged").exists());
    // Saving works again from a fresh unlock.
    store.unlock(PASSWORD).unwrap().update(set_note("resumed")).unwrap();
    assert_eq!(note(&store), "resumed");
}

#[test]
fn hotp_counter_is_saved_before_the_code_is_shown() {
    let (_dir, store) = sample_store();
    let mut vault = store.unlock(PASSWORD).unwrap();
    let id = vault.contents().accounts[1].id;
    assert_eq!(vault.advance_hotp(id, 1_800_000_000).unwrap(), 17);
    assert_eq!(vault.advance_hotp(id, 1_800_000_001).unwrap(), 18);
    let reopened = store.unlock(PASSWORD).unwrap();
    let bank = reopened.contents().account(id).unwrap();
    assert_eq!(bank.otp.kind, OtpKind::Hotp { counter: 19 });
    assert_eq!(bank.last_used, Some(1_800_000_001));
    assert_eq!(bank.use_count, 2);
    let totp = vault.contents().accounts[0].id;
    assert!(matches!(vault.advance_hotp(totp, 0), Err(VaultError::NotHotp { .. })));
}

#[test]
fn create_refuses_an_existing_vault_and_empty_passwords() {
    let (_dir, store) = sample_store();
    let err = store.create(PASSWORD, KdfParams::MINIMUM, &VaultContents::new()).unwrap_err();
    assert!(matches!(err, VaultError::AlreadyExists { .. }));
    let (_dir2, other) = vault_common::temp_store();
    assert!(matches!(other.create("", KdfParams::MINIMUM, &VaultContents::new()), Err(VaultError::EmptyPassword)));
    let mut vault = store.unlock(PASSWORD).unwrap();
    assert!(matches!(vault.change_password("", KdfParams::MINIMUM), Err(VaultError::EmptyPassword)));
    // Accounts added through a handle round-trip exactly.
    let account = Account::new("New", "n", Secret::from_bytes(vec![9; 20]).unwrap(), OtpParams::default_totp(), 7);
    let copy = account.clone();
    vault
        .update(|c| -> Result<(), VaultError> {
            c.accounts.push(account);
            Ok(())
        })
        .unwrap();
    assert_eq!(store.unlock(PASSWORD).unwrap().contents().account(copy.id), Some(&copy));
}

/// Issue 13 point 9: a vault file that disappeared while `NAME.prev` exists is restored from that copy, and
/// no new vault is created over it (its second save would have pushed the only copy out).
#[test]
fn a_missing_vault_comes_back_from_its_previous_copy_and_create_refuses_over_it() {
    let (_dir, store) = sample_store();
    let mut vault = store.unlock(PASSWORD).unwrap();
    vault.update(set_note("kept")).unwrap();
    vault.update(set_note("newest")).unwrap();
    assert!(!store.only_previous_exists());
    std::fs::remove_file(store.path()).unwrap();
    assert!(store.only_previous_exists());
    let refused = store.create("another", KdfParams::MINIMUM, &VaultContents::new()).unwrap_err();
    assert!(matches!(refused, VaultError::PreviousExists { .. }), "{refused:?}");
    assert!(!store.exists(), "a refused create writes nothing");
    store.restore_previous().unwrap();
    assert_eq!(note(&store), "kept");
    assert!(store.previous_path().exists(), "the previous copy stays where it was");
    assert!(!store.only_previous_exists());
}

/// Issue 13 point 9: `restore_previous` never leaves nothing at the vault's path. It used to rename the
/// damaged vault away first, so a failure writing the restored copy left no file at all; now the damaged file
/// is copied aside and one rename replaces it, so a failure at that rename leaves the damaged file in place.
#[test]
fn a_failed_restore_leaves_the_damaged_vault_in_place() {
    let (dir, store) = sample_store();
    let mut vault = store.unlock(PASSWORD).unwrap();
    vault.update(set_note("good")).unwrap();
    vault.update(set_note("newest")).unwrap();
    let damaged = b"TWOFOLDV garbage after a disk error".to_vec();
    std::fs::write(store.path(), &damaged).unwrap();
    let failing =
        store.clone().with_save_hook(Arc::new(FailAt { step: SaveStep::Rename, errno: EIO, fired: Mutex::new(false) }));
    assert!(failing.restore_previous().is_err(), "the hook fails the rename that puts the copy in place");
    assert_eq!(std::fs::read(store.path()).unwrap(), damaged, "the vault's path still holds the damaged file");
    assert!(files_starting_with(dir.path(), ".test.vault.tmp-").is_empty(), "no temp file is left");
    store.restore_previous().unwrap();
    assert_eq!(note(&store), "good");
    assert_eq!(std::fs::read(dir.path().join("test.vault.damaged")).unwrap(), damaged);
}

/// Issue 13 point 5: rotating the key at a password change means an old copy of the file and the old password
/// give nothing that opens files written after it: the key id differs and the old data key fails on the new
/// payload.
#[test]
fn after_a_key_rotation_the_old_copy_and_password_open_no_newer_file() {
    use twofold_core::vault::format;
    let (dir, store) = sample_store();
    let old_bytes = std::fs::read(store.path()).unwrap();
    let mut vault = store.unlock(PASSWORD).unwrap();
    let old_id = vault.key_id();
    assert_eq!(store.inspect().unwrap().key_id, old_id);
    vault.rotate_key("a new password", KdfParams::MINIMUM).unwrap();
    vault.update(set_note("written after the change")).unwrap();
    let new_bytes = std::fs::read(store.path()).unwrap();
    assert_ne!(store.inspect().unwrap().key_id, old_id);
    assert_eq!(store.inspect().unwrap().key_id, vault.key_id());
    // The attacker's view: the old file opened with the old password gives the old data key...
    let (_, old_sealing, _) = format::open_with_password(&old_bytes, PASSWORD).unwrap();
    // ...which does not decrypt the new payload,
    assert!(format::open_with_key(&new_bytes, &old_sealing.data_key).is_err());
    // and a handle opened from the old copy cannot follow the new file.
    let old_copy = VaultStore::new(dir.path().join("old-copy.vault"));
    std::fs::write(old_copy.path(), &old_bytes).unwrap();
    let mut old_handle = old_copy.unlock(PASSWORD).unwrap();
    std::fs::write(old_copy.path(), &new_bytes).unwrap();
    assert!(matches!(old_handle.reload(), Err(VaultError::KeyChanged)));
    assert!(matches!(old_copy.unlock(PASSWORD), Err(VaultError::WrongPassword)));
}
