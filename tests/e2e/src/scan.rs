//! Adding accounts from QR codes in the real window: through the fake camera (a Y4M file generated here:
//! blank frames, then a setup code), through an image dropped on the window, and through a screen capture
//! of a code shown in a second window. Fixtures are generated at test time with the core's QR encoder.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use twofold_core::export::qr::QrMatrix;

use crate::webdriver::{Result, Session};
use crate::{ISSUER, LINK, NAME, Options, create_vault, data_dir, doc_shot};

const W: usize = 640;
const H: usize = 480;
const FPS: u32 = 30;

/// A soft diagonal gradient: a plausible dim room, different in every frame so each preview JPEG is real work.
fn backdrop(seed: usize) -> Vec<u8> {
    let mut frame = vec![0u8; W * H];
    for y in 0..H {
        for x in 0..W {
            frame[y * W + x] = (70 + (x + y + seed * 3) * 60 / (W + H)) as u8;
        }
    }
    frame
}

/// `backdrop` with a phone-like white card in the middle, showing `text`'s QR code when given.
pub(crate) fn scene(seed: usize, text: Option<&str>) -> Result<Vec<u8>> {
    let mut frame = backdrop(seed);
    let (cw, ch) = (260, 300);
    let (cx, cy) = ((W - cw) / 2, (H - ch) / 2);
    for y in cy..cy + ch {
        frame[y * W + cx..y * W + cx + cw].fill(236);
    }
    if let Some(text) = text {
        let raster = QrMatrix::encode(text).map_err(|e| e.to_string())?.raster(6);
        let side = (raster.len() as f64).sqrt() as usize;
        let (x0, y0) = ((W - side) / 2, (H - side) / 2);
        for y in 0..side {
            frame[(y0 + y) * W + x0..(y0 + y) * W + x0 + side].copy_from_slice(&raster[y * side..(y + 1) * side]);
        }
    }
    Ok(frame)
}

/// Writes a 640×480 Y4M (mono) at 30 fps, as a webcam would deliver.
pub(crate) fn write_y4m(path: &Path, frames: &[Vec<u8>]) -> Result<()> {
    let mut out = format!("YUV4MPEG2 W{W} H{H} F{FPS}:1 Ip A1:1 Cmono\n").into_bytes();
    for frame in frames {
        out.extend_from_slice(b"FRAME\n");
        out.extend_from_slice(frame);
    }
    std::fs::write(path, out).map_err(|e| format!("{}: {e}", path.display()))
}

pub(crate) fn open_with_camera(options: &Options, dir: &Path, camera: &Path) -> Result<Session> {
    let args = vec![
        "--data-dir".to_string(),
        dir.display().to_string(),
        "--fake-camera".to_string(),
        camera.display().to_string(),
        // Files are chosen through the scripted chooser here too (the Image tab of the same session).
        "--choose-files".to_string(),
        crate::chooser_script(dir).display().to_string(),
    ];
    Session::start(&options.driver, &options.app.display().to_string(), &args)
}

/// Frames the preview has shown so far (the dialog counts them on the viewport).
fn frames_shown(s: &Session) -> Result<u64> {
    let v = s.execute(
        "const v = document.querySelector('[aria-label=\"Camera preview\"]'); return v ? Number(v.dataset.frames) : -1;",
    )?;
    v.as_i64().and_then(|n| u64::try_from(n).ok()).ok_or_else(|| "no camera preview on screen".to_string())
}

/// The app's processes that hold `path` open (read from `/proc/*/fd`): the fake camera's "light".
fn holders_of(path: &Path) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|pid| {
            std::fs::read_dir(format!("/proc/{pid}/fd"))
                .map(|fds| {
                    fds.filter_map(|fd| fd.ok()).any(|fd| std::fs::read_link(fd.path()).is_ok_and(|l| l == path))
                })
                .unwrap_or(false)
        })
        .collect()
}

fn expect_card(s: &Session) -> Result<()> {
    crate::expect_core_code(s, ISSUER, NAME, LINK)
}

fn card_count(s: &Session) -> Result<usize> {
    Ok(s.find_all_xpath("//li[.//*[@data-code]]")?.len())
}

/// The preview runs at the camera's pace (measured and printed, not asserted), the screenshot shows it.
pub fn scan_camera_preview(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("scan-preview")?;
    let camera = dir.join("room.y4m");
    let frames: Vec<Vec<u8>> = (0..30).map(|i| scene(i, None)).collect::<Result<_>>()?;
    write_y4m(&camera, &frames)?;
    let s: &Session = slot.insert(open_with_camera(options, &dir, &camera)?);
    create_vault(s)?;
    s.click(&s.button("Add account")?)?;
    s.click(&s.button("Camera")?)?;
    s.wait_xpath("the preview", "//*[@aria-label='Camera preview']//img", Duration::from_secs(20))?;
    let (start, first) = (Instant::now(), frames_shown(s)?);
    std::thread::sleep(Duration::from_secs(3));
    let (elapsed, last) = (start.elapsed(), frames_shown(s)?);
    let fps = (last - first) as f64 / elapsed.as_secs_f64();
    println!(
        "    camera preview: {} frames in {:.2} s = {fps:.1} fps at {W}x{H} (fake camera at {FPS} fps)",
        last - first,
        elapsed.as_secs_f64()
    );
    if last <= first {
        return Err("the preview shows no new frames".into());
    }
    doc_shot(options, s, "add-camera")?;
    // Changing the tab closes the camera.
    s.click(&s.button("Image")?)?;
    wait_released(&camera)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn wait_released(camera: &Path) -> Result<()> {
    let start = Instant::now();
    while !holders_of(camera).is_empty() {
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("{} is still open: the camera did not stop", camera.display()));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// Blank frames, then a setup code: the dialog confirms it, the camera closes, one account is added.
pub fn scan_camera_adds_account(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("scan-camera")?;
    let camera = dir.join("code.y4m");
    let mut frames: Vec<Vec<u8>> = (0..24).map(|i| scene(i, None)).collect::<Result<_>>()?;
    for i in 24..40 {
        frames.push(scene(i, Some(LINK))?);
    }
    write_y4m(&camera, &frames)?;
    let camera = std::fs::canonicalize(&camera).map_err(|e| e.to_string())?;
    let s: &Session = slot.insert(open_with_camera(options, &dir, &camera)?);
    create_vault(s)?;
    s.click(&s.button("Add account")?)?;
    s.click(&s.button("Camera")?)?;
    s.wait_xpath("the confirmation", "//h3[normalize-space(.)='Add this account?']", Duration::from_secs(30))?;
    s.wait_xpath("the issuer", "//*[normalize-space(.)='Example']", Duration::from_secs(5))?;
    if !s.find_all_xpath("//*[@aria-label='Camera preview']")?.is_empty() {
        return Err("the preview is still shown after the code was found".into());
    }
    wait_released(&camera)?;
    s.click(&s.button("Add")?)?;
    s.wait_xpath("the Added toast", "//*[@role='status'][contains(., 'Account added')]", Duration::from_secs(10))?;
    expect_card(s)?;
    if card_count(s)? != 1 {
        return Err(format!("{} accounts listed, expected exactly one", card_count(s)?));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Reads `path` on the Add dialog's Image tab: the scripted chooser answers it when "Choose an image…" opens
/// the chooser. (A file dropped on the window reaches the shell as a window event WebDriver cannot make; the
/// shell hands the page a token for it, which `window::on_drop`'s tests cover.)
pub(crate) fn choose_image(s: &Session, dir: &Path, path: &Path) -> Result<()> {
    crate::answer_chooser(dir, path)?;
    s.click(&s.button("Choose an image…")?)
}

/// A phone screenshot chosen on the Image tab adds the account.
pub fn scan_image_adds_account(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("scan-image")?;
    let image = dir.join("setup-code.png");
    std::fs::write(&image, &*QrMatrix::encode(LINK).map_err(|e| e.to_string())?.to_png(5).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let blank = dir.join("wifi-code.png");
    std::fs::write(&blank, &*QrMatrix::encode("x").map_err(|e| e.to_string())?.to_png(1).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let s: &Session = slot.insert(crate::open(options, &dir)?);
    create_vault(s)?;
    s.click(&s.button("Add account")?)?;
    s.click(&s.button("Image")?)?;
    // A code that is not an authenticator link gets its own message.
    choose_image(s, &dir, &blank)?;
    s.alert("not an authenticator code", Duration::from_secs(20))?;
    choose_image(s, &dir, &image)?;
    s.wait_xpath("the confirmation", "//h3[normalize-space(.)='Add this account?']", Duration::from_secs(20))?;
    s.click(&s.button("Add")?)?;
    expect_card(s)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A setup code shown in another window (ImageMagick's `display`) is found by scanning the screen.
pub fn scan_screen_adds_account(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("scan-screen")?;
    let image = dir.join("web-page-code.png");
    std::fs::write(&image, &*QrMatrix::encode(LINK).map_err(|e| e.to_string())?.to_png(5).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    let viewer = Viewer::show(&image)?;
    let s: &Session = slot.insert(crate::open(options, &dir)?);
    create_vault(s)?;
    s.click(&s.button("Add account")?)?;
    s.click(&s.button("Screen")?)?;
    s.click(&s.button("Scan the screen")?)?;
    s.wait_xpath("the confirmation", "//h3[normalize-space(.)='Add this account?']", Duration::from_secs(30))?;
    s.click(&s.button("Add")?)?;
    expect_card(s)?;
    drop(viewer);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// An image shown in its own X11 window at the screen's left edge, away from Twofold's centred window.
struct Viewer(std::process::Child);

impl Viewer {
    fn show(image: &PathBuf) -> Result<Self> {
        let child = Command::new("/usr/bin/display")
            .args(["-geometry", "+20+60", "-title", "Setup code"])
            .arg(image)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run ImageMagick's display ({e})"))?;
        // Give the window a moment to map before the screen is captured.
        std::thread::sleep(Duration::from_secs(2));
        Ok(Self(child))
    }
}

impl Drop for Viewer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
