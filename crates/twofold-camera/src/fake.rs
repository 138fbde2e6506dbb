//! The fake camera: a file of frames played as if it were a webcam, in the manner of Chromium's
//! `--use-file-for-fake-video-capture`.
//!
//! Three kinds of source, told apart by the path:
//! - a `.y4m` file (YUV4MPEG2; colour spaces 420*, 422, 444 and mono): played at its `F` frame rate;
//! - a folder: its PNG, JPEG, WebP and GIF files in name order, played at [`FOLDER_FPS`];
//! - one image file: shown as a still camera at [`FOLDER_FPS`].
//!
//! Like Chromium's, the file loops at its end. Frames are paced in real time, as a webcam delivers them.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::CameraError;
use crate::frame::{Frame, planar_yuv};

/// Frames per second for a folder of images or a single image.
pub const FOLDER_FPS: u32 = 15;
/// The largest frame side a fake camera accepts.
const MAX_SIDE: usize = 8192;

const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "webp", "gif"];

pub(crate) struct FakeCamera {
    path: PathBuf,
    source: Source,
    interval: Duration,
    next_due: Option<Instant>,
}

enum Source {
    Y4m(Y4m),
    Images { files: Vec<PathBuf>, next: usize },
}

impl FakeCamera {
    pub fn open(path: &Path) -> Result<Self, CameraError> {
        let fake_error = |reason: String| CameraError::Fake { path: path.to_path_buf(), reason };
        let meta = std::fs::metadata(path).map_err(|e| fake_error(e.to_string()))?;
        let (source, fps) = if meta.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| fake_error(e.to_string()))?
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|p| is_image(p))
                .collect();
            files.sort();
            if files.is_empty() {
                return Err(fake_error("folder holds no PNG, JPEG, WebP or GIF file".into()));
            }
            (Source::Images { files, next: 0 }, FOLDER_FPS)
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("y4m")) {
            let y4m = Y4m::open(path).map_err(fake_error)?;
            let fps = y4m.fps;
            (Source::Y4m(y4m), fps)
        } else if is_image(path) {
            (Source::Images { files: vec![path.to_path_buf()], next: 0 }, FOLDER_FPS)
        } else {
            return Err(fake_error("not a .y4m file, an image or a folder of images".into()));
        };
        Ok(Self { path: path.to_path_buf(), source, interval: Duration::from_secs(1) / fps.max(1), next_due: None })
    }

    /// The next frame, after waiting for its turn at the file's frame rate.
    pub fn next_frame(&mut self) -> Result<Frame, CameraError> {
        let now = Instant::now();
        if let Some(due) = self.next_due
            && due > now
        {
            std::thread::sleep(due - now);
        }
        self.next_due = Some(self.next_due.map_or(now, |d| d.max(now - self.interval)) + self.interval);
        let fake_error = |reason: String| CameraError::Fake { path: self.path.clone(), reason };
        match &mut self.source {
            Source::Y4m(y4m) => y4m.next_frame().map_err(fake_error),
            Source::Images { files, next } => {
                let file = &files[*next % files.len()];
                *next = (*next + 1) % files.len();
                let bytes = std::fs::read(file).map_err(|e| fake_error(format!("{}: {e}", file.display())))?;
                let image = image::load_from_memory(&bytes)
                    .map_err(|e| fake_error(format!("{}: {e}", file.display())))?
                    .into_rgb8();
                let (w, h) = (image.width() as usize, image.height() as usize);
                if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
                    return Err(fake_error(format!("{}: frame of {w}×{h} is out of range", file.display())));
                }
                Ok(Frame::from_rgb(w, h, image.into_raw()))
            }
        }
    }
}

fn is_image(path: &Path) -> bool {
    path.is_file()
        && path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| IMAGE_EXTENSIONS.iter().any(|known| e.eq_ignore_ascii_case(known)))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chroma {
    /// Chroma halved both ways.
    C420,
    /// Chroma halved horizontally.
    C422,
    C444,
    Mono,
}

/// A YUV4MPEG2 reader that reopens the file at its end.
struct Y4m {
    path: PathBuf,
    reader: BufReader<File>,
    width: usize,
    height: usize,
    chroma: Chroma,
    fps: u32,
    frames_read: u64,
}

impl Y4m {
    fn open(path: &Path) -> Result<Self, String> {
        let mut reader = BufReader::new(File::open(path).map_err(|e| e.to_string())?);
        let header = read_line(&mut reader, 1024)?.ok_or("empty file")?;
        let mut fields = header.split(' ');
        if fields.next() != Some("YUV4MPEG2") {
            return Err("not a YUV4MPEG2 file (no YUV4MPEG2 signature)".into());
        }
        let (mut width, mut height, mut fps, mut chroma) = (0usize, 0usize, 30u32, Chroma::C420);
        for field in fields.filter(|f| !f.is_empty()) {
            let (tag, value) = field.split_at(1);
            match tag {
                "W" => width = value.parse().map_err(|_| format!("bad width {value:?}"))?,
                "H" => height = value.parse().map_err(|_| format!("bad height {value:?}"))?,
                "F" => {
                    let (n, d) = value.split_once(':').ok_or_else(|| format!("bad frame rate {value:?}"))?;
                    let n: u32 = n.parse().map_err(|_| format!("bad frame rate {value:?}"))?;
                    let d: u32 = d.parse().map_err(|_| format!("bad frame rate {value:?}"))?;
                    fps = n.saturating_add(d / 2).checked_div(d).unwrap_or(0);
                    if fps == 0 || fps > 240 {
                        return Err(format!("frame rate {value} is out of range"));
                    }
                }
                "C" => {
                    chroma = if matches!(value, "420" | "420jpeg" | "420paldv" | "420mpeg2") {
                        Chroma::C420
                    } else if value == "422" {
                        Chroma::C422
                    } else if value == "444" {
                        Chroma::C444
                    } else if value == "mono" {
                        Chroma::Mono
                    } else {
                        return Err(format!("colour space {value} is not supported (420, 422, 444, mono)"));
                    }
                }
                _ => {}
            }
        }
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return Err(format!("frame size {width}×{height} is out of range"));
        }
        Ok(Self { path: path.to_path_buf(), reader, width, height, chroma, fps, frames_read: 0 })
    }

    fn chroma_size(&self) -> (usize, usize) {
        let (w, h) = (self.width, self.height);
        match self.chroma {
            Chroma::C420 => (w.div_ceil(2), h.div_ceil(2)),
            Chroma::C422 => (w.div_ceil(2), h),
            Chroma::C444 => (w, h),
            Chroma::Mono => (0, 0),
        }
    }

    fn next_frame(&mut self) -> Result<Frame, String> {
        let line = match read_line(&mut self.reader, 1024)? {
            Some(line) => line,
            None if self.frames_read == 0 => return Err("file holds no frame".into()),
            None => {
                // Loop, like Chromium's fake capture device.
                let mut again = Self::open(&self.path)?;
                again.frames_read = self.frames_read;
                *self = again;
                read_line(&mut self.reader, 1024)?.ok_or("file holds no frame")?
            }
        };
        if !line.starts_with("FRAME") {
            return Err(format!("frame {} has no FRAME marker", self.frames_read));
        }
        let (cw, ch) = self.chroma_size();
        let luma_len = self.width * self.height;
        let mut data = vec![0u8; luma_len + 2 * cw * ch];
        self.reader.read_exact(&mut data).map_err(|e| format!("frame {} is cut short: {e}", self.frames_read))?;
        self.frames_read += 1;
        let (y, rest) = data.split_at(luma_len);
        if self.chroma == Chroma::Mono {
            return Ok(Frame::from_luma(self.width, self.height, y.to_vec()));
        }
        let (u, v) = rest.split_at(cw * ch);
        let (sx, sy) = match self.chroma {
            Chroma::C420 => (2, 2),
            Chroma::C422 => (2, 1),
            _ => (1, 1),
        };
        Ok(planar_yuv(self.width, self.height, (y, u, v), (cw, sx, sy)))
    }
}

/// Reads one `\n`-terminated line of at most `limit` bytes; `None` at a clean end of file.
fn read_line(reader: &mut impl BufRead, limit: usize) -> Result<Option<String>, String> {
    let mut line = Vec::new();
    let read = reader.take(limit as u64 + 1).read_until(b'\n', &mut line).map_err(|e| e.to_string())?;
    if read == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err("header line is too long or cut short".into());
    }
    line.pop();
    String::from_utf8(line).map(Some).map_err(|_| "header line is not text".into())
}

/// Writes a Y4M file (420jpeg) from luma frames with neutral chroma: what the tests and demos feed the fake
/// camera with.
pub fn write_y4m(path: &Path, width: usize, height: usize, fps: u32, frames: &[Vec<u8>]) -> Result<(), std::io::Error> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::new(File::create(path)?);
    writeln!(out, "YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg")?;
    let chroma = vec![128u8; 2 * width.div_ceil(2) * height.div_ceil(2)];
    for frame in frames {
        if frame.len() != width * height {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "frame size does not match"));
        }
        out.write_all(b"FRAME\n")?;
        out.write_all(frame)?;
        out.write_all(&chroma)?;
    }
    out.flush()
}
