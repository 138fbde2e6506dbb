//! The check that a test run leaves the tree as it found it, on a real git repository in a temporary folder;
//! reading libFuzzer's final figures and the fuzz target list.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{FuzzStats, TreeState, fuzz_targets};

struct Repo(PathBuf);

impl Repo {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("xtask-tree-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("docs")).unwrap();
        let repo = Repo(dir);
        repo.git(&["init", "-q"]);
        repo.write("docs/shot.png", "picture");
        repo.write("README.md", "readme");
        repo.git(&["add", "."]);
        repo.git(&["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "start"]);
        repo
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git").args(args).current_dir(&self.0).status().unwrap();
        assert!(status.success(), "git {args:?}");
    }

    fn write(&self, path: &str, text: &str) {
        std::fs::write(self.0.join(path), text).unwrap();
    }

    fn root(&self) -> &Path {
        &self.0
    }
}

impl Drop for Repo {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn an_untouched_tree_has_no_changes_even_when_it_was_dirty_before() {
    let repo = Repo::new("same");
    repo.write("README.md", "edited by the developer before the run");
    let before = TreeState::read(repo.root()).unwrap();
    let after = TreeState::read(repo.root()).unwrap();
    assert_eq!(before.changed_in(&after), Vec::<String>::new());
}

#[test]
fn files_written_created_or_deleted_by_the_run_are_named() {
    let repo = Repo::new("changed");
    repo.write("README.md", "edited by the developer before the run");
    let before = TreeState::read(repo.root()).unwrap();
    repo.write("docs/shot.png", "a new picture");
    repo.write("README.md", "edited again by the run");
    repo.write("docs/new.png", "left behind");
    let after = TreeState::read(repo.root()).unwrap();
    assert_eq!(before.changed_in(&after), ["README.md (modified)", "docs/new.png (new)", "docs/shot.png (modified)"]);
    std::fs::remove_file(repo.root().join("docs/shot.png")).unwrap();
    let gone = TreeState::read(repo.root()).unwrap();
    assert!(before.changed_in(&gone).contains(&"docs/shot.png (deleted)".to_string()));
}

#[test]
fn fuzz_figures_are_read_from_libfuzzers_last_lines() {
    let log = "#1048576\tpulse  cov: 812 ft: 2301 corp: 301/9Kb exec/s: 17476 rss: 412Mb\n\
               Done 10566431 runs in 601 second(s)\n\
               stat::number_of_executed_units: 10566431\n";
    assert_eq!(FuzzStats::read(log), Some(FuzzStats { runs: 10_566_431, seconds: 601 }));
    // A run that crashed prints no `Done` line: no figures rather than made-up ones.
    assert_eq!(FuzzStats::read("==1234==ERROR: AddressSanitizer: heap-buffer-overflow\n"), None);
}

#[test]
fn every_fuzz_target_of_the_manifest_is_listed() {
    let targets = fuzz_targets().unwrap();
    assert!(targets.contains(&"otpauth_link".to_string()), "{targets:?}");
    assert!(targets.contains(&"backup_reader".to_string()), "{targets:?}");
    // Every listed target has its source file.
    for target in &targets {
        let source = crate::setup::workspace_root().join("fuzz/fuzz_targets").join(format!("{target}.rs"));
        assert!(source.is_file(), "{target} has no {}", source.display());
    }
}
