//! Tests of `seen`.

use super::*;

#[test]
fn an_older_copy_of_a_known_vault_warns_and_a_new_vault_does_not() {
    let dir = std::env::temp_dir().join(format!("twofold-seen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let file = dir.join(FILE_NAME);
    let vault = dir.join("twofold.vault");
    let (a, b, c) = ([1; 16], [2; 16], [3; 16]);
    assert_eq!(check_and_record(&file, &vault, a, 5).unwrap(), None, "first sight");
    assert_eq!(check_and_record(&file, &vault, a, 9).unwrap(), None, "saves move forward");
    assert_eq!(check_and_record(&file, &vault, a, 4).unwrap(), Some(RollbackWarning { saved: 4, seen: 9 }));
    assert_eq!(
        check_and_record(&file, &vault, a, 4).unwrap(),
        Some(RollbackWarning { saved: 4, seen: 9 }),
        "opening the old copy does not lower the record"
    );
    // A password change made a new key: the same vault, counting on.
    assert_eq!(check_and_record(&file, &vault, b, 10).unwrap(), None);
    // A copy from before the change (the old key) is older too.
    assert_eq!(check_and_record(&file, &vault, a, 8).unwrap(), Some(RollbackWarning { saved: 8, seen: 10 }));
    // A vault never seen here, with a low counter: created anew, no warning, and it is the record now.
    assert_eq!(check_and_record(&file, &vault, c, 1).unwrap(), None);
    assert_eq!(check_and_record(&file, &vault, c, 1).unwrap(), None);
    // Another path is another vault.
    assert_eq!(check_and_record(&file, &dir.join("other.vault"), a, 1).unwrap(), None);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
