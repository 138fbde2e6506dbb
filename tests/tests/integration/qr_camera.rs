//! The camera scan loop fed by the fake camera: a code appears after blank frames → exactly one payload
//! accepted and the camera closed; cancelling closes it too; the fake camera's sources and errors.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use twofold_camera::{
    CameraError, CameraId, PreviewFrame, ScanEnd, ScanOptions, Scanner, Verdict, fake, list_cameras_with,
};
use twofold_tests::qr_corpus::{self, Placement};

const LINK: &str = "otpauth://totp/Example:bob%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example";
const W: usize = 320;
const H: usize = 240;

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("twofold-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn blank(seed: u64) -> Vec<u8> {
    qr_corpus::background(W, H, &mut qr_corpus::Rng::new(seed))
}

fn with_code(payload: &str, seed: u64) -> Vec<u8> {
    let mut pixels = blank(seed);
    let modules = qr_corpus::encode(payload, 'M').expect("encodes");
    let at = Placement { centre: (160.0, 120.0), side: 200.0, angle: 4.0, tilt: 0.0, dark: 20, light: 235 };
    qr_corpus::draw(&mut pixels, W, H, &modules, &at);
    pixels
}

/// A running scan, the payloads offered to it, and its previews.
type Scan = (twofold_camera::ScanHandle, Arc<Mutex<Vec<String>>>, mpsc::Receiver<PreviewFrame>);

/// Starts a scan that accepts authenticator links and records every payload offered and every preview.
fn scan(camera: &CameraId) -> Result<Scan, CameraError> {
    let offered = Arc::new(Mutex::new(Vec::new()));
    let (previews, preview_rx) = mpsc::channel();
    let seen = Arc::clone(&offered);
    let handle = Scanner::start(
        camera,
        ScanOptions::default(),
        move |preview| {
            let _ = previews.send(preview);
        },
        move |payload| {
            seen.lock().expect("not poisoned").push(payload.as_str().to_string());
            if payload.is_authenticator_link() { Verdict::Accept } else { Verdict::Continue }
        },
    )?;
    Ok((handle, offered, preview_rx))
}

#[test]
fn a_code_after_blank_frames_is_accepted_once_and_the_camera_closes() {
    let dir = TempDir::new("camera-y4m");
    let path = dir.0.join("scan.y4m");
    let mut frames: Vec<Vec<u8>> = (0..8).map(blank).collect();
    // A code that is not a link first: offered once although it shows in three frames, then scanning goes on.
    frames.extend((0..3).map(|i| with_code("https://example.com/menu", 100 + i)));
    frames.extend((0..6).map(|i| with_code(LINK, 200 + i)));
    fake::write_y4m(&path, W, H, 60, &frames).expect("y4m written");

    let (mut handle, offered, previews) = scan(&CameraId::Fake(path)).expect("fake camera opens");
    let end = handle.wait();
    match end {
        ScanEnd::Accepted(payload) => assert_eq!(payload.as_str(), LINK),
        other => panic!("expected an accepted code, got {other:?}"),
    }
    assert!(!handle.camera_open(), "the camera is closed when the scan reports its end");
    assert!(!handle.is_running());
    let offered = offered.lock().expect("not poisoned").clone();
    assert_eq!(offered.iter().filter(|p| p.as_str() == LINK).count(), 1, "exactly one link accepted");
    assert!(offered.len() <= 2, "each payload is offered once: {} offers", offered.len());
    let stats = handle.stats();
    assert!(stats.frames_captured >= 9, "the code shows only after the blank frames");
    assert!(stats.frames_decoded >= 1 && stats.frames_decoded <= stats.frames_captured);
    let previews: Vec<PreviewFrame> = previews.try_iter().collect();
    assert_eq!(previews.len() as u64, stats.frames_captured, "every captured frame was previewed");
    let first = &previews[0];
    assert_eq!((first.width, first.height, first.sequence), (W as u32, H as u32, 1));
    assert_eq!(&first.jpeg[..2], &[0xFF, 0xD8], "previews are JPEG");
    let decoded = image::load_from_memory(&first.jpeg).expect("preview decodes");
    assert_eq!((decoded.width(), decoded.height()), (W as u32, H as u32));
}

#[test]
fn stopping_a_scan_closes_the_camera() {
    let dir = TempDir::new("camera-stop");
    let path = dir.0.join("blank.y4m");
    fake::write_y4m(&path, W, H, 60, &(0..4).map(blank).collect::<Vec<_>>()).expect("y4m written");
    let (mut handle, offered, previews) = scan(&CameraId::Fake(path)).expect("fake camera opens");
    assert!(handle.camera_open());
    // The file loops: more frames than it holds arrive while nobody stops it.
    for _ in 0..6 {
        previews.recv().expect("previews keep coming");
    }
    assert!(matches!(handle.stop(), ScanEnd::Stopped));
    assert!(!handle.camera_open());
    assert!(offered.lock().expect("not poisoned").is_empty());
    assert!(handle.stats().frames_captured >= 6);
}

#[test]
fn a_folder_of_images_plays_as_a_camera() {
    let dir = TempDir::new("camera-folder");
    for (name, pixels) in [("01-blank.png", blank(1)), ("02-blank.png", blank(2)), ("03-code.png", with_code(LINK, 3))]
    {
        image::save_buffer(dir.0.join(name), &pixels, W as u32, H as u32, image::ExtendedColorType::L8)
            .expect("png written");
    }
    std::fs::write(dir.0.join("notes.txt"), "ignored").expect("written");
    let (mut handle, offered, _previews) = scan(&CameraId::Fake(dir.0.clone())).expect("folder opens");
    assert!(matches!(handle.wait(), ScanEnd::Accepted(p) if p.as_str() == LINK));
    assert!(!handle.camera_open());
    assert_eq!(offered.lock().expect("not poisoned").as_slice(), [LINK]);
}

#[test]
fn dropping_the_handle_stops_the_scan() {
    let dir = TempDir::new("camera-drop");
    let path = dir.0.join("still.png");
    image::save_buffer(&path, &blank(9), W as u32, H as u32, image::ExtendedColorType::L8).expect("png written");
    let (handle, _offered, previews) = scan(&CameraId::Fake(path)).expect("a single image opens");
    previews.recv().expect("a first preview");
    drop(handle);
    // The capture thread has ended and dropped its sender: the channel drains and closes.
    while previews.recv().is_ok() {}
}

fn open_error(path: &Path) -> CameraError {
    match scan(&CameraId::Fake(path.to_path_buf())) {
        Err(error) => error,
        Ok(_) => panic!("{} should not open", path.display()),
    }
}

#[test]
fn unplayable_fake_cameras_are_clear_errors() {
    let dir = TempDir::new("camera-bad");
    let missing = dir.0.join("missing.y4m");
    assert!(matches!(open_error(&missing), CameraError::Fake { path, .. } if path == missing));

    let not_y4m = dir.0.join("frames.y4m");
    std::fs::write(&not_y4m, b"RIFF....AVI LIST\n").expect("written");
    let message = open_error(&not_y4m).to_string();
    assert!(message.contains("not a YUV4MPEG2 file"), "{message}");

    let bad_colour = dir.0.join("colour.y4m");
    std::fs::write(&bad_colour, b"YUV4MPEG2 W4 H4 F30:1 C420p10\nFRAME\n").expect("written");
    assert!(open_error(&bad_colour).to_string().contains("colour space 420p10 is not supported"));

    let empty_dir = dir.0.join("empty");
    std::fs::create_dir_all(&empty_dir).expect("dir");
    assert!(open_error(&empty_dir).to_string().contains("folder holds no PNG"));

    let other = dir.0.join("notes.txt");
    std::fs::write(&other, b"hello").expect("written");
    assert!(open_error(&other).to_string().contains("not a .y4m file"));
}

#[test]
fn a_truncated_y4m_ends_the_scan_with_an_error() {
    let dir = TempDir::new("camera-cut");
    let path = dir.0.join("cut.y4m");
    fake::write_y4m(&path, W, H, 60, &[blank(1)]).expect("y4m written");
    let mut bytes = std::fs::read(&path).expect("read");
    bytes.extend_from_slice(b"FRAME\n\x10\x10");
    std::fs::write(&path, bytes).expect("written");
    let (mut handle, _offered, _previews) = scan(&CameraId::Fake(path)).expect("header is fine");
    match handle.wait() {
        ScanEnd::Failed(CameraError::Fake { reason, .. }) => assert!(reason.contains("cut short"), "{reason}"),
        other => panic!("expected a failure, got {other:?}"),
    }
    assert!(!handle.camera_open());
}

#[test]
fn the_fake_camera_is_listed_first_and_ids_round_trip() {
    let path = Path::new("/tmp/frames.y4m");
    let cameras = list_cameras_with(Some(path));
    assert_eq!(cameras[0].id, CameraId::Fake(path.to_path_buf()));
    assert_eq!(cameras[0].name, "Fake camera (frames.y4m)");
    // This machine has no webcam; a machine that has one lists it after the fake.
    assert!(cameras[1..].iter().all(|c| matches!(c.id, CameraId::Device(_))));
    for id in [CameraId::Device(2), CameraId::Fake(path.to_path_buf())] {
        assert_eq!(id.to_string().parse::<CameraId>().expect("parses"), id);
    }
    assert_eq!(CameraId::Device(0).to_string(), "device:0");
    assert!(matches!("webcam".parse::<CameraId>(), Err(CameraError::BadId(_))));
    assert!(matches!("device:x".parse::<CameraId>(), Err(CameraError::BadId(_))));
    assert!(matches!("fake:".parse::<CameraId>(), Err(CameraError::BadId(_))));
}

#[test]
fn a_missing_device_is_no_camera() {
    // No machine running these tests has 200 video devices.
    assert!(matches!(scan(&CameraId::Device(199)), Err(CameraError::NoCamera)));
    assert_eq!(CameraError::NoCamera.to_string(), "no camera found");
}
