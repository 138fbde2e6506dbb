//! Tests of `sync`.

use super::*;

#[test]
fn paths_show_home_as_tilde() {
    let home = Path::new("/home/ada");
    assert_eq!(shown_path("/home/ada/Sync/Twofold", Some(home)), "~/Sync/Twofold");
    assert_eq!(shown_path("/home/ada", Some(home)), "~");
    assert_eq!(shown_path("/srv/sync", Some(home)), "/srv/sync");
    assert_eq!(shown_path("/home/adam/x", Some(home)), "/home/adam/x");
}

#[test]
fn our_temp_files_call_for_no_round() {
    assert!(is_temp(Path::new("/s/~syncthing~twofold-1-00.tmp")));
    assert!(is_temp(Path::new("/s/.syncthing.twofold.vault.tmp")));
    assert!(!is_temp(Path::new("/s/twofold.vault")));
    assert!(!is_temp(Path::new("/s/twofold.sync-conflict-20261207-101112-ABCDEFG.vault")));
}
