//! Tests of `window`.

use super::*;

#[test]
fn drops_of_images_are_left_to_the_qr_intake() {
    let paths = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
    assert_eq!(dropped_import_file(&paths(&["/a/aegis.json"])), Some(&PathBuf::from("/a/aegis.json")));
    assert_eq!(dropped_import_file(&paths(&["/a/qr.PNG", "/a/b.jpeg", "/c.webp", "/d.gif", "/e.jpg"])), None);
    assert_eq!(dropped_import_file(&paths(&["/a/qr.png", "/a/backup.2fas"])), Some(&PathBuf::from("/a/backup.2fas")));
    assert_eq!(dropped_import_file(&paths(&["/a/no-extension"])), Some(&PathBuf::from("/a/no-extension")));
    assert_eq!(dropped_import_file(&[]), None);
}

/// Issue 13 point 7: a drop reaches the page as a token and a name, never as a path.
#[test]
fn drops_reach_the_page_as_tokens() {
    use std::sync::{Arc, Mutex};
    use tauri::Listener as _;
    let h = crate::testing::harness("drops");
    let drop = |paths: &[&str]| {
        let paths = paths.iter().map(PathBuf::from).collect();
        let event = WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, position: Default::default() });
        on_drop(&h.window.as_ref().window(), &event);
    };
    let got: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    for name in [EVENT_IMPORT_FILE_DROPPED, EVENT_IMAGE_DROPPED] {
        let got = got.clone();
        h._app.listen_any(name, move |e| got.lock().unwrap().push((name.to_string(), e.payload().to_string())));
    }
    drop(&["/home/ann/aegis.json"]);
    assert!(got.lock().unwrap().is_empty(), "nothing is sent while the vault is locked");
    h.invoke("create_vault", serde_json::json!({"password": "correct horse battery"})).unwrap();
    drop(&["/home/ann/aegis.json"]);
    drop(&["/home/ann/shot.png"]);
    let got = got.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "{got:?}");
    let files = h._app.state::<Files>();
    for ((event, payload), (want_event, path)) in got
        .iter()
        .zip([(EVENT_IMPORT_FILE_DROPPED, "/home/ann/aegis.json"), (EVENT_IMAGE_DROPPED, "/home/ann/shot.png")])
    {
        assert_eq!(event, want_event);
        let view: crate::ipc::ChosenFile = serde_json::from_str(payload).unwrap();
        assert_eq!(files.get(&view.token, Kind::Read).unwrap().path, PathBuf::from(path));
        assert!(!view.token.contains('/'), "{payload}");
    }
}
