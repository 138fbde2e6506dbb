//! Tests of `state`.

use super::*;

#[test]
fn settings_are_written_whole_and_private() {
    let dir = std::env::temp_dir().join(format!("twofold-settings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join(SETTINGS_FILE);
    let settings = Settings { clipboard_clear_seconds: 7, ..Settings::default() };
    save_settings(&path, &settings).unwrap();
    assert_eq!(load_settings(&path), settings);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // No temp file is left beside it.
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec![std::ffi::OsString::from(SETTINGS_FILE)]);
    // A folder that cannot be written keeps the old file and says which file failed.
    let state = AppState::new(Paths {
        vault: dir.join("v"),
        settings: dir.join("a-file").join("s.json"),
        seen: dir.join("seen.json"),
    });
    std::fs::write(dir.join("a-file"), b"x").unwrap();
    let error = state.replace_settings(|s| {
        s.clipboard_clear_seconds = 9;
        Ok(())
    });
    assert!(
        error.as_ref().is_err_and(|e| e.code() == crate::error::ErrorCode::Io && e.to_string().contains("s.json")),
        "{error:?}"
    );
    assert_eq!(state.settings().clipboard_clear_seconds, Settings::default().clipboard_clear_seconds);
    let _ = std::fs::remove_dir_all(&dir);
}
