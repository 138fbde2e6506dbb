//! The check that a test run leaves the tree as it found it, on a real git repository in a temporary folder.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::TreeState;

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
