//! Tests of `dialog`.

use super::*;

#[test]
fn tokens_are_bound_to_what_they_were_chosen_for() {
    let files = Files::default();
    let read = files.register(PathBuf::from("/home/ann/aegis.json"), Kind::Read, false).unwrap();
    assert_eq!((read.name.as_str(), read.location.as_str()), ("aegis.json", "/home/ann/aegis.json"));
    assert_eq!(read.token.len(), 32);
    assert_eq!(files.get(&read.token, Kind::Read).unwrap().path, PathBuf::from("/home/ann/aegis.json"));
    let err = files.get(&read.token, Kind::Write).unwrap_err().to_string();
    assert!(err.contains("chosen for something else"), "{err}");
    let err = files.get("/home/ann/aegis.json", Kind::Read).unwrap_err().to_string();
    assert!(err.contains("expired"), "a path is not a token: {err}");
}

#[test]
fn old_tokens_expire() {
    let files = Files::default();
    let first = files.register(PathBuf::from("/a"), Kind::Read, false).unwrap();
    for _ in 0..KEPT {
        files.register(PathBuf::from("/b"), Kind::Read, false).unwrap();
    }
    assert!(files.get(&first.token, Kind::Read).is_err());
}

#[test]
fn the_scripted_chooser_reads_a_typed_path() {
    let dir = std::env::temp_dir().join(format!("twofold-dialog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("choose");
    let home = Path::new("/home/ann");
    std::fs::write(&script, "~/bk2\n").unwrap();
    assert_eq!(scripted(&script, Some(home)).unwrap(), Some(PathBuf::from("/home/ann/bk2")));
    std::fs::write(&script, "bk3\n").unwrap();
    let err = scripted(&script, Some(home)).unwrap_err().to_string();
    assert!(err.contains("relative path"), "{err}");
    std::fs::write(&script, "").unwrap();
    assert_eq!(scripted(&script, Some(home)).unwrap(), None);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(
        choose_files_arg(["--choose-files", "/t/c"].map(String::from).into_iter()),
        Ok(Some(PathBuf::from("/t/c")))
    );
    assert_eq!(choose_files_arg(["--data-dir", "/d"].map(String::from).into_iter()), Ok(None));
}
