//! Tests of `auto_backup`.

use super::*;
use twofold_core::backup;
use twofold_core::{Account, OtpParams, Secret};

fn contents(n: usize) -> VaultContents {
    let mut c = VaultContents::new();
    for i in 0..n {
        let secret = Secret::from_bytes(format!("backup-test-key-{i:04}").into_bytes()).unwrap();
        c.accounts.push(Account::new(format!("Service {i}"), "me", secret, OtpParams::default_totp(), 0));
    }
    c
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("twofold-autobackup-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn settings(folder: &Path) -> Settings {
    Settings { auto_backup: true, auto_backup_folder: folder.display().to_string(), ..Settings::default() }
}

fn key() -> BackupKey {
    BackupKey::derive("correct horse battery", KdfParams::MINIMUM).unwrap()
}

#[test]
fn an_unwritable_folder_raises_the_warning_with_the_reason() {
    let dir = temp("unwritable");
    // A folder "inside" a regular file cannot be created, whoever runs the test (root included).
    std::fs::write(dir.join("a-file"), b"x").unwrap();
    let folder = dir.join("a-file").join("backups");
    let auto = AutoBackups::without_thread(&dir.join("twofold.vault"), &settings(&folder));
    auto.set_key(Some(key()));
    auto.changed(&contents(2), 1_000);
    auto.run_pending(1_000, true);
    let status = auto.status_view();
    assert!(status.warning(), "{status:?}");
    assert!(status.message.starts_with("Backup failed"), "{status:?}");
    assert_eq!(status.kind, BackupStatusKind::Failed, "{status:?}");
    assert!(status.failed_at.is_some(), "{status:?}");
    let reason = status.failure.unwrap();
    assert!(reason.contains("create the backup folder"), "{reason}");
    assert!(reason.contains("a-file"), "{reason}");
    let detail = status.failure_detail.unwrap();
    assert_eq!(detail.key, "detail.io_create_folder", "{detail:?}");
    // The status survives a restart of the app, its reason still a key for the UI to word (issue 18: it was
    // the English words after a restart).
    let again = AutoBackups::without_thread(&dir.join("twofold.vault"), &settings(&folder)).status_view();
    assert!(again.warning());
    assert_eq!(again.failure_detail, Some(detail));
    // A status file from before the detail was kept still shows its reason, as words.
    let path = BackupStatus::path_beside(&dir.join("twofold.vault"));
    let old = serde_json::json!({"last_success": null, "last_failure": {"at": 5, "reason": "disk full"}});
    std::fs::write(&path, old.to_string()).unwrap();
    let old = AutoBackups::without_thread(&dir.join("twofold.vault"), &settings(&folder)).status_view();
    assert_eq!(old.failure_detail, Some(Text::raw("disk full")));
    // One naming a key this version does not have is read the same way.
    let gone = serde_json::json!({"last_failure": {"at": 5, "reason": "disk full", "detail": {"key": "detail.gone", "params": {}}}});
    std::fs::write(&path, gone.to_string()).unwrap();
    let gone = AutoBackups::without_thread(&dir.join("twofold.vault"), &settings(&folder)).status_view();
    assert_eq!(gone.failure_detail, Some(Text::raw("disk full")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_good_folder_gets_verified_backups_coalesced_to_one_a_minute_and_rotated() {
    let dir = temp("good");
    let folder = dir.join("backups");
    let mut s = settings(&folder);
    s.auto_backup_keep = 2;
    let auto = AutoBackups::without_thread(&dir.join("twofold.vault"), &s);
    let on = auto.status_view();
    assert!(on.enabled && on.warning() && on.message == "No backup has been made yet", "{on:?}");
    auto.inner().locked = false;
    auto.set_key(Some(key()));
    auto.changed(&contents(1), 1_000);
    assert!(auto.run_pending(1_000, false));
    // Changes keep coming: nothing is due until a minute after the last attempt.
    auto.changed(&contents(2), 1_010);
    auto.changed(&contents(3), 1_020);
    assert!(!auto.run_pending(1_030, false));
    assert!(auto.run_pending(1_060, false));
    auto.changed(&contents(4), 1_200);
    assert!(auto.run_pending(1_200, false));
    let files = auto::list(&folder).unwrap();
    assert_eq!(files.len(), 2, "keep 2: {files:?}");
    let status = auto.status_view();
    assert!(!status.warning(), "{status:?}");
    assert_eq!(status.last_success, Some(1_200_000));
    assert!(status.message.starts_with("Last backup 1970-01-01"), "{status:?}");
    let newest = files.iter().max().unwrap();
    let info = backup::check_backup(newest, "correct horse battery").unwrap();
    assert_eq!((info.account_count, info.created), (4, 1_200));
    // Locking forgets the key and the contents once nothing is pending.
    auto.vault_locked();
    assert!(auto.inner().key.is_none() && auto.inner().snapshot.is_none());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 13 point 6: a backup pending at lock gets one last try, and then the plaintext snapshot and the
/// key are dropped whether it worked or not (they used to stay in memory, retried, until one succeeded).
#[test]
fn a_backup_pending_at_lock_gets_one_last_try_and_then_the_key_and_contents_go() {
    let dir = temp("lastTry");
    std::fs::write(dir.join("a-file"), b"x").unwrap();
    for (folder, works) in [(dir.join("backups"), true), (dir.join("a-file").join("backups"), false)] {
        let auto = AutoBackups::without_thread(&dir.join("twofold.vault"), &settings(&folder));
        auto.inner().locked = false;
        auto.set_key(Some(key()));
        auto.changed(&contents(1), 1_000);
        assert!(auto.run_pending(1_000, false));
        // A change a few seconds later is not due for a minute; the vault is locked before that.
        auto.changed(&contents(2), 1_005);
        assert!(!auto.run_pending(1_006, false));
        auto.vault_locked();
        assert!(auto.inner().key.is_some(), "kept for the last try");
        // The last try runs at once, without waiting for the minute.
        assert!(auto.run_pending(1_007, false));
        let inner = auto.inner();
        assert!(inner.key.is_none() && inner.snapshot.is_none(), "works = {works}");
        assert!(!inner.schedule.pending(), "works = {works}");
        drop(inner);
        assert!(!auto.run_pending(1_100, true), "nothing is retried after the last try");
        if works {
            let newest = auto::list(&folder).unwrap().into_iter().max().unwrap();
            assert_eq!(backup::check_backup(&newest, "correct horse battery").unwrap().account_count, 2);
        }
        // A save that lands after the lock keeps no plaintext.
        auto.changed(&contents(3), 1_200);
        assert!(auto.inner().snapshot.is_none());
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn off_means_no_backup_and_no_warning() {
    let dir = temp("off");
    let auto = AutoBackups::without_thread(&dir.join("twofold.vault"), &Settings::default());
    auto.set_key(Some(key()));
    auto.changed(&contents(1), 5);
    assert!(!auto.run_pending(5, true));
    let status = auto.status_view();
    assert_eq!((status.enabled, status.warning()), (false, false));
    assert_eq!(status.message, "Automatic backups are off");
    assert!(auto::list(&dir).unwrap().is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}
