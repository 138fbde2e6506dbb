//! `sync_dir`, which keeps the built UI's unchanged files untouched so Cargo does not recompile the app.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::sync_dir;

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-sync-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn only_changed_files_are_written_and_stale_ones_removed() {
    let (from, to) = (temp("from"), temp("to"));
    write(&from.join("index.html"), "same");
    write(&from.join("assets/index-new.js"), "new build");
    write(&from.join("assets/shared.css"), "changed");
    write(&to.join("index.html"), "same");
    write(&to.join("assets/index-old.js"), "old build");
    write(&to.join("assets/shared.css"), "before");
    write(&to.join("stale/leftover.txt"), "gone");
    let long_ago = SystemTime::now() - Duration::from_secs(3600);
    std::fs::File::options().write(true).open(to.join("index.html")).unwrap().set_modified(long_ago).unwrap();

    sync_dir(&from, &to).unwrap();

    assert_eq!(modified(&to.join("index.html")), long_ago, "an identical file was rewritten");
    assert_eq!(std::fs::read_to_string(to.join("assets/index-new.js")).unwrap(), "new build");
    assert_eq!(std::fs::read_to_string(to.join("assets/shared.css")).unwrap(), "changed");
    assert!(!to.join("assets/index-old.js").exists());
    assert!(!to.join("stale").exists());
    let _ = std::fs::remove_dir_all(&from);
    let _ = std::fs::remove_dir_all(&to);
}
