//! Automatic backups: timestamped names, rotation keeping N verified backups, other files left alone, and
//! an unwritable folder recorded as a failure the app can show.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use crate::backup_common;

use std::path::PathBuf;

use backup_common::*;
use twofold_core::backup::auto::{self, AutoBackupSettings, BackupStatus, Health, Schedule};
use twofold_core::backup::{self, BackupError};

fn names(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn rotation_keeps_the_newest_n_each_verified() {
    let s = Scratch::new();
    let folder = s.path("backups");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    std::fs::write(folder.join("twofold-hand-made.twofold-backup"), "mine too").unwrap();
    let key = key();
    let mut written: Vec<PathBuf> = Vec::new();
    for i in 0..12 {
        let now = NOW + 61 * i;
        let outcome = auto::run(&folder, 4, &many(i as usize + 1), &key, now).unwrap();
        assert_eq!(outcome.info.created, now);
        assert!(outcome.not_removed.is_empty());
        if i >= 4 {
            assert_eq!(outcome.removed, [written[(i - 4) as usize].clone()]);
        } else {
            assert!(outcome.removed.is_empty());
        }
        written.push(outcome.path);
    }
    let kept: Vec<PathBuf> = written[8..].to_vec();
    let mut listed = auto::list(&folder).unwrap();
    listed.sort();
    assert_eq!(listed, kept);
    // Every kept backup opens with the password and says what it holds.
    for (i, path) in kept.iter().enumerate() {
        let info = backup::check_backup(path, BACKUP_PASSWORD).unwrap();
        assert_eq!(info.account_count, 9 + i);
        assert_eq!(info.created, NOW + 61 * (8 + i as i64));
    }
    let all = names(&folder);
    assert!(
        all.contains(&String::from("notes.txt")) && all.contains(&String::from("twofold-hand-made.twofold-backup"))
    );
    assert_eq!(all.len(), 4 + 2, "{all:?}");
    assert_eq!(
        kept[0].file_name().unwrap().to_string_lossy(),
        format!("twofold-{}-00.twofold-backup", "20231114-222128")
    );
}

#[test]
fn two_backups_in_one_second_get_two_names_and_keep_zero_means_one() {
    let s = Scratch::new();
    let folder = s.path("nested/backups");
    let key = key();
    let a = auto::run(&folder, 10, &sample(), &key, NOW).unwrap();
    let b = auto::run(&folder, 10, &sample(), &key, NOW).unwrap();
    assert_ne!(a.path, b.path);
    assert!(b.path.to_string_lossy().ends_with("-01.twofold-backup"));
    let c = auto::run(&folder, 0, &sample(), &key, NOW + 5).unwrap();
    assert_eq!(c.removed.len(), 2);
    assert_eq!(auto::list(&folder).unwrap(), [c.path]);
}

#[test]
fn a_clock_set_back_never_deletes_the_new_backup() {
    let s = Scratch::new();
    let folder = s.path("b");
    let key = key();
    auto::run(&folder, 2, &sample(), &key, NOW).unwrap();
    auto::run(&folder, 2, &sample(), &key, NOW + 100).unwrap();
    let back = auto::run(&folder, 2, &sample(), &key, NOW - 100_000).unwrap();
    assert!(back.path.exists());
    assert_eq!(auto::list(&folder).unwrap().len(), 2);
}

#[test]
fn an_unwritable_folder_is_a_clear_error_and_a_failure_status() {
    let s = Scratch::new();
    // A file where the folder should be: no one can write into it, not even root.
    let blocked = s.path("not-a-folder");
    std::fs::write(&blocked, "x").unwrap();
    let settings = AutoBackupSettings { folder: blocked.join("backups"), keep: auto::DEFAULT_KEEP };
    let mut status = BackupStatus::default();
    assert_eq!(status.health(), Health::NeverMade);

    let err = auto::run_recorded(&settings, &sample(), &key(), NOW, &mut status).unwrap_err();
    assert!(matches!(err, BackupError::Io { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with("could not create the backup folder"), "{message}");
    assert!(message.contains("not-a-folder"), "{message}");
    match status.health() {
        Health::Failed { at, reason, last_success } => {
            assert_eq!((at, last_success), (NOW, None));
            assert_eq!(reason, message);
        }
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(status.message().starts_with("backup failed 2023-11-14 22:13:20 UTC: could not create"));
    assert!(status.message().ends_with("; no backup has been made yet"));

    // The status survives a restart of the app, beside the vault.
    let status_path = BackupStatus::path_beside(&s.path("test.vault"));
    status.save(&status_path).unwrap();
    assert_eq!(BackupStatus::load(&status_path).unwrap(), status);

    // Fixing the folder: the next success clears the warning.
    let good = AutoBackupSettings { folder: s.path("good"), keep: 3 };
    auto::run_recorded(&good, &sample(), &key(), NOW + 60, &mut status).unwrap();
    assert_eq!(status.health(), Health::Ok { at: NOW + 60 });
    assert_eq!(status.last_success.as_ref().unwrap().account_count, 3);
}

#[test]
fn status_files_missing_or_garbled() {
    let s = Scratch::new();
    assert_eq!(BackupStatus::load(&s.path("none.json")).unwrap(), BackupStatus::default());
    std::fs::write(s.path("bad.json"), "{not json").unwrap();
    let err = BackupStatus::load(&s.path("bad.json")).unwrap_err();
    assert!(matches!(err, BackupError::BadStatus { .. }), "{err:?}");
}

#[test]
fn the_schedule_drives_runs_at_most_once_a_minute() {
    // A simulated hour of edits every 10 s: backups happen once a minute, never more.
    let s = Scratch::new();
    let folder = s.path("b");
    let key = key();
    let mut schedule = Schedule::new();
    let mut runs = Vec::new();
    for t in (0..600).step_by(10) {
        let now = NOW + t;
        schedule.changed(now);
        if schedule.is_due(now) {
            let attempt = schedule.started(now);
            match auto::run(&folder, 100, &sample(), &key, now) {
                Ok(_) => runs.push(now),
                Err(_) => schedule.failed(attempt),
            }
        }
    }
    assert_eq!(runs.len(), 10, "{runs:?}");
    assert!(runs.windows(2).all(|w| w[1] - w[0] >= auto::MIN_INTERVAL_SECS), "{runs:?}");
    // The last change (at +590) is still pending, due one minute after the last run (+540).
    assert_eq!(schedule.due_at(), Some(NOW + 600));
}
