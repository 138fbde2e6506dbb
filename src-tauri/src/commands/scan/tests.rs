//! The scan commands through Tauri's IPC (`tauri::test`) on generated QR images, and the camera loop fed by
//! the fake camera.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tauri::Manager;
use twofold_camera::CameraId;
use twofold_core::export::qr::QrMatrix;
use twofold_core::{Account, OtpParams, Secret, migration};

use crate::camera::{CameraSink, CameraState, fake_camera_arg, start_scan};
use crate::ipc::CameraEvent;
use crate::testing::{Harness, harness};

const LINK: &str = "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example";
const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn unlocked(name: &str) -> Harness {
    let h = harness(name);
    assert_eq!(h.invoke("create_vault", json!({"password": "correct horse battery"})), Ok(Value::Null));
    h
}

fn write_png(path: &Path, width: u32, height: u32, luma: &[u8]) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.write_header().unwrap().write_image_data(luma).unwrap();
}

fn qr_png(dir: &Path, file: &str, text: &str) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, &*QrMatrix::encode(text).unwrap().to_png(4).unwrap()).unwrap();
    path
}

fn scan_image(h: &Harness, path: &Path) -> Result<Value, Value> {
    h.invoke("scan_image", json!({"file": h.file(path, crate::dialog::Kind::Read)}))
}

/// How many scanned accounts wait in the open vault (none once it is locked: they go with it).
fn staged_count(h: &Harness) -> usize {
    let state = h._app.state::<crate::state::AppState>();
    state.with_unlocked(|open| Ok(open.staged.as_ref().map_or(0, |s| s.accounts.len()))).unwrap_or(0)
}

fn account_count(h: &Harness) -> usize {
    h.invoke("list_accounts", json!({})).unwrap()["accounts"].as_array().map_or(0, Vec::len)
}

#[test]
fn an_image_without_a_code_and_a_code_that_is_not_a_link_get_their_own_messages() {
    let h = unlocked("scan-nocode");
    let blank = h.dir.join("blank.png");
    write_png(&blank, 64, 48, &[255u8; 64 * 48]);
    assert_eq!(scan_image(&h, &blank), Err(json!({"code": "no_qr_code", "message": "no QR code found in blank.png"})));
    let worded = h.invoke_worded("scan_image", json!({"file": h.file(&blank, crate::dialog::Kind::Read)})).unwrap_err();
    assert_eq!(worded["detail"], json!({"key": "detail.qr_no_code", "params": {"what": "blank.png"}}));
    let menu = qr_png(&h.dir, "menu.png", "https://example.com/menu");
    assert_eq!(
        scan_image(&h, &menu),
        Err(json!({
            "code": "not_authenticator",
            "message": "this QR code is not an authenticator code (it holds no otpauth:// link)"
        }))
    );
    let text = h.dir.join("notes.txt");
    std::fs::write(&text, "hello").unwrap();
    assert_eq!(scan_image(&h, &text).unwrap_err()["code"], json!("invalid_input"));
}

#[test]
fn an_image_code_is_previewed_without_its_key_then_added() {
    let h = unlocked("scan-image");
    let path = qr_png(&h.dir, "setup.png", LINK);
    let found = scan_image(&h, &path).unwrap();
    assert_eq!(
        found,
        json!({
            "accounts": [{
                "index": 0, "issuer": "Example", "name": "alice", "kind": "totp", "algorithm": "SHA1",
                "digits": 6, "period": 30, "duplicate": false, "duplicates": [], "warnings": []
            }],
            "batch": null,
            "notes": []
        })
    );
    assert!(!found.to_string().contains(KEY), "a key crossed IPC");
    assert_eq!(account_count(&h), 0, "nothing is added before the confirmation");
    let added = h.invoke("add_pending", json!({"indices": [0]})).unwrap();
    assert_eq!(added.as_array().map(Vec::len), Some(1));
    assert_eq!(account_count(&h), 1);
    // The pending list is gone once added: a second Add cannot add it twice.
    assert_eq!(h.invoke("add_pending", json!({"indices": [0]})).unwrap_err()["code"], json!("invalid_input"));
    // Scanning it again marks it as a duplicate.
    let again = scan_image(&h, &path).unwrap();
    assert_eq!(again["accounts"][0]["duplicates"], json!(["Example (alice)"]));
}

fn transfer_accounts(count: usize) -> Vec<Account> {
    (0..count)
        .map(|i| {
            let secret = Secret::from_bytes(format!("transfer-key-{i:02}-0123456").as_bytes()).unwrap();
            Account::new(format!("Service {i}"), format!("user{i}@example.com"), secret, OtpParams::default_totp(), 0)
        })
        .collect()
}

#[test]
fn a_transfer_export_in_two_codes_is_collected_then_previewed_with_duplicates_marked() {
    let h = unlocked("scan-batch");
    let accounts = transfer_accounts(12);
    let encoded = migration::encode(&accounts, 77);
    assert_eq!(encoded.links.len(), 2, "12 accounts need two transfer codes");
    // One of the exported accounts is already in the vault.
    let existing = twofold_core::uri::format(&accounts[3]);
    h.invoke("add_account_link", json!({"link": existing.as_str()})).unwrap();

    let second = qr_png(&h.dir, "part2.png", &encoded.links[1]);
    let first = qr_png(&h.dir, "part1.png", &encoded.links[0]);
    let partial = scan_image(&h, &second).unwrap();
    assert_eq!(partial["batch"], json!({"received": 1, "total": 2}));
    assert_eq!(partial["accounts"], json!([]));
    // The same part again does not count twice.
    assert_eq!(scan_image(&h, &second).unwrap()["batch"], json!({"received": 1, "total": 2}));

    let full = scan_image(&h, &first).unwrap();
    let listed = full["accounts"].as_array().unwrap();
    assert_eq!(listed.len(), 12);
    assert_eq!(listed[0]["issuer"], json!("Service 0"));
    let duplicates: Vec<usize> =
        listed.iter().enumerate().filter(|(_, a)| a["duplicates"] != json!([])).map(|(i, _)| i).collect();
    assert_eq!(duplicates, vec![3]);
    assert!(!full.to_string().to_lowercase().contains("secret"), "no key field crossed IPC");

    // Add all but the duplicate.
    let chosen: Vec<u32> = (0..12).filter(|&i| i != 3).collect();
    assert_eq!(h.invoke("add_pending", json!({"indices": chosen})).unwrap().as_array().map(Vec::len), Some(11));
    assert_eq!(account_count(&h), 12);
}

#[test]
fn locking_forgets_what_was_scanned() {
    let h = unlocked("scan-lock");
    let path = qr_png(&h.dir, "setup.png", LINK);
    scan_image(&h, &path).unwrap();
    assert_eq!(staged_count(&h), 1);
    assert_eq!(h.invoke("lock_vault", json!({})), Ok(Value::Null));
    assert_eq!(staged_count(&h), 0);
    assert_eq!(scan_image(&h, &path).unwrap_err()["code"], json!("locked"));
    assert_eq!(h.invoke("unlock_vault", json!({"password": "correct horse battery"})), Ok(Value::Null));
    assert_eq!(h.invoke("add_pending", json!({"indices": [0]})).unwrap_err()["code"], json!("invalid_input"));
    assert_eq!(account_count(&h), 0);
}

#[test]
fn the_camera_list_offers_the_fake_camera_first() {
    let h = unlocked("scan-cameras");
    let state = h._app.state::<CameraState>();
    state.set_fake_camera(h.dir.join("frames.y4m"));
    let list = h.invoke("list_cameras", json!({})).unwrap();
    let id = format!("fake:{}", h.dir.join("frames.y4m").display());
    assert_eq!(list["cameras"][0], json!({"id": id, "name": "Fake camera (frames.y4m)"}));
    assert_eq!(list["selected"], json!(id));
    assert_eq!(h.invoke("stop_camera", json!({})), Ok(Value::Null), "stopping without a running camera is harmless");
}

#[test]
fn the_fake_camera_argument_is_read() {
    let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter();
    assert_eq!(fake_camera_arg(args(&["--fake-camera", "/f.y4m"])), Ok(Some("/f.y4m".into())));
    assert_eq!(fake_camera_arg(args(&["--data-dir", "/d", "--fake-camera=/g"])), Ok(Some("/g".into())));
    assert_eq!(fake_camera_arg(args(&[])), Ok(None));
    assert!(fake_camera_arg(args(&["--fake-camera"])).is_err());
}

#[derive(Default)]
struct Recorder {
    previews: Mutex<usize>,
    events: Mutex<Vec<CameraEvent>>,
}

impl CameraSink for Recorder {
    fn preview(&self, jpeg: Vec<u8>) {
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "previews are JPEG");
        *self.previews.lock().unwrap() += 1;
    }

    fn event(&self, event: CameraEvent) {
        self.events.lock().unwrap().push(event);
    }
}

const W: usize = 320;
const H: usize = 240;

/// A grey frame with `text`'s QR code drawn in the middle.
fn frame_with_code(text: &str) -> Vec<u8> {
    let code = QrMatrix::encode(text).unwrap();
    let raster = code.raster(4);
    let side = (raster.len() as f64).sqrt() as usize;
    let mut frame = vec![200u8; W * H];
    let (x0, y0) = ((W - side) / 2, (H - side) / 2);
    for y in 0..side {
        frame[(y0 + y) * W + x0..(y0 + y) * W + x0 + side].copy_from_slice(&raster[y * side..(y + 1) * side]);
    }
    frame
}

#[test]
fn the_camera_adds_exactly_one_account_after_blank_frames_and_stops() {
    let h = unlocked("scan-camera");
    let path = h.dir.join("scan.y4m");
    let mut frames: Vec<Vec<u8>> = (0..6).map(|_| vec![200u8; W * H]).collect();
    // The scanner decodes the newest frame and skips what arrived meanwhile, so on a loaded machine a code
    // shown for a frame or two can be missed: the web address stays up for half a second.
    frames.extend((0..10).map(|_| frame_with_code("https://example.com/menu")));
    frames.extend((0..4).map(|_| frame_with_code(LINK)));
    twofold_camera::fake::write_y4m(&path, W, H, 20, &frames).unwrap();

    let recorder = Arc::new(Recorder::default());
    let sink: Arc<dyn CameraSink> = recorder.clone();
    let state = h._app.state::<CameraState>();
    state.set_fake_camera(path.clone());
    start_scan(h._app.handle(), &CameraId::Fake(path), sink).unwrap();
    // Bounded wait for the outcome (a failure, not a timing assertion: the loop plays 20 frames at 20 fps).
    let started = Instant::now();
    while !recorder.events.lock().unwrap().iter().any(|e| matches!(e, CameraEvent::Found { .. })) {
        assert!(started.elapsed() < Duration::from_secs(60), "no code found: {:?}", recorder.events.lock().unwrap());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!state.camera_running(), "the camera is closed when the code is reported");
    let events = recorder.events.lock().unwrap().clone();
    assert!(
        matches!(&events[0], CameraEvent::Notice { code: crate::error::ErrorCode::NotAuthenticator, .. }),
        "the web address was reported: {events:?}"
    );
    let found =
        events.iter().find_map(|e| if let CameraEvent::Found { found } = e { Some(found.clone()) } else { None });
    let found = found.unwrap();
    assert_eq!(found.accounts.len(), 1);
    assert_eq!((found.accounts[0].issuer.as_str(), found.accounts[0].name.as_str()), ("Example", "alice"));
    assert!(*recorder.previews.lock().unwrap() >= 7, "the frames before the code were previewed");
    assert_eq!(h.invoke("add_pending", json!({"indices": [0]})).unwrap().as_array().map(Vec::len), Some(1));
    assert_eq!(account_count(&h), 1, "exactly one account added");
    assert_eq!(events.iter().filter(|e| matches!(e, CameraEvent::Found { .. })).count(), 1);
}

#[test]
fn locking_stops_the_camera() {
    let h = unlocked("scan-camera-lock");
    let path = h.dir.join("blank.y4m");
    let frames: Vec<Vec<u8>> = (0..4).map(|_| vec![200u8; W * H]).collect();
    twofold_camera::fake::write_y4m(&path, W, H, 30, &frames).unwrap();
    let state = h._app.state::<CameraState>();
    state.set_fake_camera(path.clone());
    start_scan(h._app.handle(), &CameraId::Fake(path), Arc::new(Recorder::default())).unwrap();
    assert!(state.camera_running());
    assert_eq!(h.invoke("lock_vault", json!({})), Ok(Value::Null));
    assert!(!state.camera_running(), "lock_vault returns with the camera closed");
}

#[test]
fn only_a_listed_camera_starts() {
    let h = unlocked("scan-listed");
    let (offered, other) = (h.dir.join("offered.y4m"), h.dir.join("other.y4m"));
    for path in [&offered, &other] {
        twofold_camera::fake::write_y4m(path, W, H, 30, &[vec![200u8; W * H]]).unwrap();
    }
    let start = |path: &std::path::Path| {
        start_scan(h._app.handle(), &CameraId::Fake(path.into()), Arc::new(Recorder::default()))
    };
    // Without `--fake-camera` no file plays as a camera, whatever the webview names.
    assert_eq!(start(&offered).unwrap_err().code(), crate::error::ErrorCode::InvalidInput);
    let state = h._app.state::<CameraState>();
    state.set_fake_camera(offered.clone());
    assert_eq!(
        start(&other).unwrap_err().code(),
        crate::error::ErrorCode::InvalidInput,
        "only the file it was started with"
    );
    assert!(!state.camera_running());
    start(&offered).unwrap();
    assert!(state.camera_running());
    assert_eq!(h.invoke("stop_camera", json!({})), Ok(Value::Null));
}

#[test]
fn no_camera_is_its_own_error() {
    let h = unlocked("scan-nocamera");
    let error = start_scan(h._app.handle(), &CameraId::Device(97), Arc::new(Recorder::default())).unwrap_err();
    assert_eq!(error.code(), crate::error::ErrorCode::NoCamera, "{error}");
}
