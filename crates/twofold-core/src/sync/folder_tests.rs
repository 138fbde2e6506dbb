//! Tests of sync through a folder: one per rule of `folder.rs`'s module docs.

use std::sync::atomic::{AtomicI64, Ordering};

use super::*;
use crate::backup;
use crate::model::{Account, OtpKind, OtpParams};
use crate::secret::Secret;
use crate::vault::{DeviceId, KdfParams, VaultStore};

static NOW_MS: AtomicI64 = AtomicI64::new(5_000_000);

fn clock() -> i64 {
    NOW_MS.fetch_add(1000, Ordering::SeqCst)
}

fn account(issuer: &str) -> Account {
    Account::new(issuer, "me", Secret::from_bytes(issuer.as_bytes().to_vec()).unwrap(), OtpParams::default_totp(), 100)
}

fn hotp(issuer: &str) -> Account {
    let otp = OtpParams { kind: OtpKind::Hotp { counter: 0 }, ..OtpParams::default_totp() };
    Account::new(issuer, "me", Secret::from_bytes(issuer.as_bytes().to_vec()).unwrap(), otp, 100)
}

/// One computer: its data folder and its unlocked vault.
struct Computer {
    _dir: tempfile::TempDir,
    vault: Vault,
    keys: SyncKeys,
}

fn computer(password: &str, accounts: Vec<Account>, device: u128) -> Computer {
    let dir = tempfile::tempdir().unwrap();
    let mut contents = VaultContents::new();
    contents.accounts = accounts;
    let mut vault =
        VaultStore::new(dir.path().join("twofold.vault")).create(password, KdfParams::MINIMUM, &contents).unwrap();
    vault.set_device(DeviceId(uuid::Uuid::from_u128(device)));
    vault.set_clock(clock);
    let keys = SyncKeys::new(&vault, password);
    Computer { _dir: dir, vault, keys }
}

fn issuers(vault: &Vault) -> Vec<String> {
    let mut names: Vec<String> = vault.contents().accounts.iter().map(|a| a.issuer.clone()).collect();
    names.sort();
    names
}

fn add(c: &mut Computer, issuer: &str) {
    c.vault
        .update(|contents| -> Result<(), VaultError> {
            contents.accounts.push(account(issuer));
            Ok(())
        })
        .unwrap();
}

fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn sync_of(shared: &tempfile::TempDir, c: &Computer) -> FolderSync {
    FolderSync::new(shared.path(), c.vault.store().path()).unwrap()
}

#[test]
fn conflict_copy_names_of_every_engine() {
    let table: &[(&str, Option<Engine>)] = &[
        ("twofold.sync-conflict-20261207-101112-ABCDEFG.vault", Some(Engine::Syncthing)),
        ("twofold.sync-conflict-20261207-101112-7AB2C3D.vault", Some(Engine::Syncthing)),
        ("twofold (conflicted copy 2026-12-07 101112).vault", Some(Engine::Nextcloud)),
        ("twofold_conflict-20261207-101112.vault", Some(Engine::Nextcloud)),
        ("twofold (Jane's conflicted copy 2026-12-07).vault", Some(Engine::Dropbox)),
        ("twofold (Jane Doe's conflicted copy 2026-12-07 (1)).vault", Some(Engine::Dropbox)),
        ("twofold-LAPTOP-42.vault", Some(Engine::OneDrive)),
        ("twofold-desktop.vault", Some(Engine::OneDrive)),
        // Not conflict copies of the synced copy.
        ("twofold.vault", None),
        ("twofold.sync-conflict-2026127-101112-ABCDEFG.vault", None),
        ("twofold.sync-conflict-20261207-101112-abcdefg.vault", None),
        ("twofold.sync-conflict-20261207-101112-.vault", None),
        ("twofold (1).vault", None),
        ("twofold-.vault", None),
        ("twofold-a b.vault", None),
        ("other.sync-conflict-20261207-101112-ABCDEFG.vault", None),
        ("twofold.sync-conflict-20261207-101112-ABCDEFG.vault.tmp", None),
        ("notes.txt", None),
    ];
    for (name, engine) in table {
        assert_eq!(conflict_engine(name, COPY_NAME), *engine, "{name}");
    }
}

/// A second computer joins with the same password: its own accounts merge in, both end equal, and rounds
/// after that write nothing (no file bouncing between computers) and run no KDF.
#[test]
fn second_computer_joins_and_rounds_are_idempotent() {
    let shared = tempfile::tempdir().unwrap();
    let mut a = computer("pw", vec![account("A1"), account("A2")], 0xA);
    let mut b = computer("pw", vec![account("B1")], 0xB);

    let first = sync_of(&shared, &a).round(&mut a.vault, &mut a.keys).unwrap();
    assert!(first.wrote_copy && first.merge.is_empty());
    assert_eq!(names_in(shared.path()), vec![COPY_NAME], "the temp file is gone");

    let joined = sync_of(&shared, &b).round(&mut b.vault, &mut b.keys).unwrap();
    assert_eq!(joined.merge.added.len(), 2);
    assert!(joined.wrote_copy, "B's own account goes into the copy");
    assert_eq!(b.keys.derived.len(), 1, "B ran Argon2 once for the copy's slot");

    let back = sync_of(&shared, &a).round(&mut a.vault, &mut a.keys).unwrap();
    assert_eq!(back.merge.added.len(), 1);
    assert!(!back.wrote_copy, "the copy already holds everything");
    assert_eq!(issuers(&a.vault), vec!["A1", "A2", "B1"]);
    assert_eq!(a.vault.contents().accounts.len(), b.vault.contents().accounts.len());

    let copy_before = fs::read(shared.path().join(COPY_NAME)).unwrap();
    for c in [&mut a, &mut b] {
        let again = sync_of(&shared, c).round(&mut c.vault, &mut c.keys).unwrap();
        assert_eq!(again, RoundReport::default());
    }
    assert_eq!(fs::read(shared.path().join(COPY_NAME)).unwrap(), copy_before, "idempotent: nothing written");
    assert_eq!(b.keys.derived.len(), 1, "no KDF in later rounds");
    assert!(a.keys.derived.is_empty(), "A's copy opens with A's own key");
}

/// Both computers edit while the sync engine is cut off; it then keeps one version and makes a conflict copy
/// of the other. The round merges the conflict copy, writes the copy, and only then removes the conflict copy.
#[test]
fn conflict_copy_is_merged_then_removed_and_nothing_is_lost() {
    let shared = tempfile::tempdir().unwrap();
    let mut a = computer("pw", vec![account("Base"), hotp("Counter")], 0xA);
    sync_of(&shared, &a).round(&mut a.vault, &mut a.keys).unwrap();
    let mut b = computer("pw", vec![], 0xB);
    sync_of(&shared, &b).round(&mut b.vault, &mut b.keys).unwrap();
    let counter_id = a.vault.contents().accounts.iter().find(|x| x.issuer == "Counter").unwrap().id;

    // The link is cut: B's folder is a copy of the shared one from now on.
    let other = tempfile::tempdir().unwrap();
    fs::copy(shared.path().join(COPY_NAME), other.path().join(COPY_NAME)).unwrap();
    // A advances the counter twice and adds; B advances it once and adds.
    add(&mut a, "FromA");
    a.vault.advance_hotp(counter_id, 10).unwrap();
    a.vault.advance_hotp(counter_id, 11).unwrap();
    add(&mut b, "FromB");
    b.vault.advance_hotp(counter_id, 12).unwrap();
    // A's round writes the copy; B's version lands beside it as a Syncthing conflict copy.
    sync_of(&shared, &a).round(&mut a.vault, &mut a.keys).unwrap();
    sync_of(&other, &b).round(&mut b.vault, &mut b.keys).unwrap();
    let conflict = shared.path().join("twofold.sync-conflict-20261207-101112-BBBBBBB.vault");
    fs::copy(other.path().join(COPY_NAME), &conflict).unwrap();

    let report = sync_of(&shared, &a).round(&mut a.vault, &mut a.keys).unwrap();
    assert!(report.wrote_copy);
    assert_eq!(report.removed, vec![conflict.clone()]);
    assert!(a.keys.derived.is_empty(), "the conflict copy has the shared key: no KDF");
    assert_eq!(names_in(shared.path()), vec![COPY_NAME]);
    assert_eq!(issuers(&a.vault), vec!["Base", "Counter", "FromA", "FromB"]);
    let counter = |v: &Vault| v.contents().account(counter_id).unwrap().otp.kind;
    assert_eq!(counter(&a.vault), OtpKind::Hotp { counter: 2 }, "the larger counter");

    sync_of(&shared, &b).round(&mut b.vault, &mut b.keys).unwrap();
    assert_eq!(issuers(&b.vault), issuers(&a.vault));
    assert_eq!(counter(&b.vault), OtpKind::Hotp { counter: 2 });
}

/// A copy that is truncated (still arriving) or damaged is never merged nor written over, and the conflict
/// copies wait; the next round after it arrived whole goes on.
#[test]
fn damaged_or_truncated_copy_is_skipped_and_retried() {
    let shared = tempfile::tempdir().unwrap();
    let mut a = computer("pw", vec![account("A1")], 0xA);
    let sync = sync_of(&shared, &a);
    sync.round(&mut a.vault, &mut a.keys).unwrap();
    let whole = fs::read(sync.copy_path()).unwrap();
    let conflict = shared.path().join("twofold (conflicted copy 2026-12-07 101112).vault");
    fs::write(&conflict, &whole).unwrap();
    add(&mut a, "Local");

    let mut flipped = whole.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    for bad in [whole[..whole.len() / 2].to_vec(), Vec::new(), flipped] {
        fs::write(sync.copy_path(), &bad).unwrap();
        let report = sync.round(&mut a.vault, &mut a.keys).unwrap();
        assert_eq!(report.skipped, vec![Skipped { file: sync.copy_path().to_path_buf(), reason: SkipReason::Damaged }]);
        assert!(!report.wrote_copy && report.removed.is_empty());
        assert_eq!(fs::read(sync.copy_path()).unwrap(), bad, "not written over");
        assert!(conflict.exists(), "nothing removed while the copy cannot hold it");
    }
    fs::write(sync.copy_path(), &whole).unwrap();
    let report = sync.round(&mut a.vault, &mut a.keys).unwrap();
    assert!(report.wrote_copy && report.skipped.is_empty());
    assert_eq!(report.removed, vec![conflict]);
    assert_eq!(issuers(&a.vault), vec!["A1", "Local"]);
}

/// A damaged conflict copy is skipped and left; the rest of the round goes on.
#[test]
fn damaged_conflict_copy_is_left_alone() {
    let shared = tempfile::tempdir().unwrap();
    let mut a = computer("pw", vec![account("A1")], 0xA);
    let sync = sync_of(&shared, &a);
    sync.round(&mut a.vault, &mut a.keys).unwrap();
    let bytes = fs::read(sync.copy_path()).unwrap();
    let conflict = shared.path().join("twofold-LAPTOP.vault");
    fs::write(&conflict, &bytes[..bytes.len() - 3]).unwrap();
    add(&mut a, "Local");
    let report = sync.round(&mut a.vault, &mut a.keys).unwrap();
    assert!(report.wrote_copy);
    assert_eq!(report.skipped, vec![Skipped { file: conflict.clone(), reason: SkipReason::Damaged }]);
    assert!(conflict.exists());
}

/// The copy was locked with another password (first synced from a computer with another one, or changed
/// there): the round asks for it, a wrong answer is refused, the right one syncs on, and the local vault takes
/// the copy's password only when asked to.
#[test]
fn copy_with_another_password_asks_once_and_adopts_only_on_request() {
    let shared = tempfile::tempdir().unwrap();
    let mut a = computer("first", vec![account("A1")], 0xA);
    sync_of(&shared, &a).round(&mut a.vault, &mut a.keys).unwrap();
    let mut b = computer("second", vec![account("B1")], 0xB);
    let sync = sync_of(&shared, &b);

    let err = sync.round(&mut b.vault, &mut b.keys).unwrap_err();
    assert!(matches!(&err, SyncError::PasswordNeeded { file } if file == sync.copy_path()), "{err:?}");
    assert!(!err.to_string().contains("first"));
    let derived = b.keys.derived.len();
    assert!(matches!(sync.round(&mut b.vault, &mut b.keys), Err(SyncError::PasswordNeeded { .. })));
    assert_eq!(b.keys.derived.len(), derived, "asking again runs no KDF again");

    let wrong = b.keys.try_password(sync.copy_path(), "nope").unwrap_err();
    assert!(matches!(wrong, SyncError::WrongCopyPassword { .. }));
    b.keys.try_password(sync.copy_path(), "first").unwrap();
    let report = sync.round(&mut b.vault, &mut b.keys).unwrap();
    assert_eq!(report.merge.added.len(), 1);
    assert!(report.wrote_copy);

    // The local vault still opens with its own password until the person adopts the copy's.
    let store = b.vault.store().clone();
    assert!(store.unlock("second").is_ok());
    sync.adopt_copy_key(&mut b.vault, &mut b.keys).unwrap();
    assert!(matches!(store.unlock("second"), Err(VaultError::WrongPassword)));
    let reopened = store.unlock("first").unwrap();
    assert_eq!(reopened.key_id(), a.vault.key_id(), "one key on both computers now");
    assert_eq!(issuers(&reopened), vec!["A1", "B1"]);
}

/// Other files: not vaults are ignored and kept; another vault with another password and a backup are
/// skipped and kept; a vault file with the same password (a copy the person dropped in) is merged and removed.
#[test]
fn other_files_in_the_folder() {
    let shared = tempfile::tempdir().unwrap();
    let mut a = computer("pw", vec![account("A1")], 0xA);
    let sync = sync_of(&shared, &a);
    sync.round(&mut a.vault, &mut a.keys).unwrap();

    fs::write(shared.path().join("notes.txt"), b"hello").unwrap();
    fs::write(shared.path().join("TWOFOLDV-lookalike.vault"), b"TWOFOLDV and then nothing").unwrap();
    fs::create_dir(shared.path().join(".stversions")).unwrap();
    let stranger = computer("other", vec![account("Stranger")], 0xC);
    fs::copy(stranger.vault.store().path(), shared.path().join("someone-else.vault")).unwrap();
    let key = backup::BackupKey::derive("pw", KdfParams::MINIMUM).unwrap();
    backup::write_backup(&shared.path().join("b.twofold-backup"), a.vault.contents(), &key, 1).unwrap();
    let mine = computer("pw", vec![account("Dropped in")], 0xD);
    fs::copy(mine.vault.store().path(), shared.path().join("laptop.vault")).unwrap();

    let report = sync.round(&mut a.vault, &mut a.keys).unwrap();
    assert_eq!(report.removed, vec![shared.path().join("laptop.vault")]);
    let mut skipped: Vec<(String, SkipReason)> =
        report.skipped.iter().map(|s| (s.file.file_name().unwrap().to_string_lossy().into_owned(), s.reason)).collect();
    skipped.sort_by(|x, y| x.0.cmp(&y.0));
    assert_eq!(
        skipped,
        vec![
            (String::from("TWOFOLDV-lookalike.vault"), SkipReason::Damaged),
            (String::from("b.twofold-backup"), SkipReason::Backup),
            (String::from("someone-else.vault"), SkipReason::OtherPassword),
        ]
    );
    assert_eq!(issuers(&a.vault), vec!["A1", "Dropped in"]);
    assert_eq!(
        names_in(shared.path()),
        vec![
            ".stversions",
            "TWOFOLDV-lookalike.vault",
            "b.twofold-backup",
            "notes.txt",
            "someone-else.vault",
            COPY_NAME
        ]
    );
    let derived = a.keys.derived.len();
    sync.round(&mut a.vault, &mut a.keys).unwrap();
    assert_eq!(a.keys.derived.len(), derived, "files seen once cost no KDF again");
}

#[test]
fn the_vault_folder_and_a_missing_folder_are_refused() {
    let a = computer("pw", vec![], 0xA);
    let own = atomic::folder_of(a.vault.store().path());
    assert!(matches!(FolderSync::new(&own, a.vault.store().path()), Err(SyncError::VaultFolder { .. })));
    let missing = own.join("nope");
    assert!(matches!(FolderSync::new(&missing, a.vault.store().path()), Err(SyncError::NoFolder { .. })));
}

/// A leftover temp file of a crashed round is not a copy and is not merged; an old one is removed.
#[test]
fn leftover_temp_files_are_never_copies() {
    let shared = tempfile::tempdir().unwrap();
    let mut a = computer("pw", vec![account("A1")], 0xA);
    let sync = sync_of(&shared, &a);
    sync.round(&mut a.vault, &mut a.keys).unwrap();
    let temp = shared.path().join("~syncthing~twofold-1-0000000000000001.tmp");
    fs::copy(sync.copy_path(), &temp).unwrap();
    add(&mut a, "Local");
    let report = sync.round(&mut a.vault, &mut a.keys).unwrap();
    assert!(report.removed.is_empty() && report.skipped.is_empty());
    assert!(temp.exists(), "a fresh temp file may be another program's write");
}

/// The byte exchange a WebDAV round uses: a first upload, a merge of the remote, and the remote's own bytes
/// back when it already holds everything.
#[test]
fn exchange_merges_remote_bytes_and_returns_what_to_store() {
    let mut a = computer("pw", vec![account("A1")], 0xA);
    let mut b = computer("pw", vec![account("B1")], 0xB);
    let name = Path::new("https://dav.example/twofold.vault");
    let first = exchange(&mut a.vault, &mut a.keys, None, name).unwrap();
    assert!(first.changed_remote);
    let second = exchange(&mut b.vault, &mut b.keys, Some(&first.upload), name).unwrap();
    assert!(second.changed_remote);
    assert_eq!(second.merge.added.len(), 1);
    let third = exchange(&mut a.vault, &mut a.keys, Some(&second.upload), name).unwrap();
    assert_eq!(third.merge.added.len(), 1);
    assert!(!third.changed_remote);
    assert_eq!(third.upload, second.upload);
    assert_eq!(issuers(&a.vault), issuers(&b.vault));

    let damaged = &second.upload[..second.upload.len() - 1];
    assert!(matches!(exchange(&mut a.vault, &mut a.keys, Some(damaged), name), Err(SyncError::Damaged { .. })));
    // As an `upload_for` closure.
    let mut upload_for = |remote: Option<&[u8]>| -> Result<Vec<u8>, String> {
        exchange(&mut a.vault, &mut a.keys, remote, name).map(|e| e.upload).map_err(|e| e.to_string())
    };
    assert_eq!(upload_for(Some(&second.upload)).unwrap(), second.upload);
    assert!(upload_for(Some(b"garbage")).unwrap_err().contains("damaged"));
}

#[test]
fn debug_shows_no_key() {
    let a = computer("hunter2", vec![], 0xA);
    let shown = format!("{:?}", a.keys);
    assert!(!shown.contains("hunter2"));
    assert!(shown.starts_with("SyncKeys"));
}

/// A password changed on this computer reseals the copy with the new key: the old password opens nothing
/// synced after the change, and the other computer is asked for the new one.
#[test]
fn a_local_password_change_reseals_the_copy() {
    let shared = tempfile::tempdir().unwrap();
    let mut a = computer("old", vec![account("A1")], 0xA);
    let sync = sync_of(&shared, &a);
    sync.round(&mut a.vault, &mut a.keys).unwrap();
    let mut b = computer("old", vec![], 0xB);
    sync_of(&shared, &b).round(&mut b.vault, &mut b.keys).unwrap();

    a.vault.rotate_key("new", KdfParams::MINIMUM).unwrap();
    a.keys.local_key_changed(&a.vault, "new");
    let report = sync.round(&mut a.vault, &mut a.keys).unwrap();
    assert!(report.wrote_copy, "resealed although nothing else changed");
    assert!(matches!(crate::sync::open_copy(sync.copy_path(), "old"), Err(VaultError::WrongPassword)));
    assert!(crate::sync::open_copy(sync.copy_path(), "new").is_ok());
    assert!(!sync.round(&mut a.vault, &mut a.keys).unwrap().wrote_copy, "once");
    assert!(matches!(sync_of(&shared, &b).round(&mut b.vault, &mut b.keys), Err(SyncError::PasswordNeeded { .. })));
}
