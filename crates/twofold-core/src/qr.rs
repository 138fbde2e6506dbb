//! Finding and reading QR codes in camera frames and image files.
//!
//! The one decoder every intake uses: the webcam (`twofold-camera` hands each frame to [`decode_frame`]),
//! image files, the clipboard and screen captures ([`decode_image_bytes`]) and the CLI's `scan`
//! ([`scan_files`]). Detection and error correction are `rqrr`'s; this module adds what makes hard frames
//! decode and what callers need around it:
//!
//! - a frame is checked before it is read: a stride or byte count that does not match the stated size is a
//!   [`QrError`], never a panic or an out-of-bounds read;
//! - every pass binarises with a local mean over a square window (running sums, no division per pixel)
//!   and hands the bits to rqrr. The plain pass runs first and alone when it finds something. Only when it
//!   finds nothing are the extra passes tried, in this order: the inverted threshold (light-on-dark codes),
//!   a light 3×3 blur (sensor noise), an unsharp mask (out of focus: timing patterns get their edges back),
//!   a half-size copy and its inverse (blur and noise average out), a contrast stretch with rqrr's own
//!   binarisation (dim, washed-out frames), and the blurred frame inverted. The first pass that finds a
//!   code wins. One exception to the order: a frame measured as grainy (sensor noise) starts with the
//!   blurred and half-size passes (half-size first on frames 600 pixels high and more), because the plain
//!   threshold turns grain into thousands of false finder patterns that are slow to reject and never
//!   read; and a frame whose plain threshold shows only the finder patterns of a light-on-dark code skips
//!   straight to the inverted pass;
//! - every binarised pass looks for finder patterns itself ([`finder`]) and reads the triples they make
//!   first: each finder's ring gives its four corners, the corners a homography (so tilted codes, whose
//!   finders' parallelogram misses the far corner by many modules, are placed right), alignment patterns
//!   are found on the grey frame by template and the fit redone with all of them, and the sampled modules
//!   go to rqrr's decoder. This is much cheaper than rqrr's own grid fitting;
//! - rqrr's detection then runs only where finder patterns that could still make a code are left over:
//!   on the area each such triple outlines, and on the whole frame when the finder pass read nothing and
//!   that leaves some (or the scan found none: blur can merge a finder's rings, which rqrr's flood fill
//!   still finds). Those whole-frame runs are the costly step, so they wait: every pass first has its
//!   finder reading, in the order above, and only when none reads a code do the passes' whole-frame rqrr
//!   runs follow, in the same order;
//! - a margin of a few grey levels beyond the local-mean threshold keeps flat noisy areas (dark
//!   backgrounds above all) from turning into speckle;
//! - when a pass reads some codes but rqrr also finds grids it cannot read (codes close together whose
//!   finder patterns it paired wrongly) and the finder scan read nothing more, it reads the frame again in
//!   overlapping tiles;
//! - several codes in one frame are all returned, in reading order (rows top to bottom, left to right in a
//!   row), the same payload only once;
//! - payloads are bytes in a QR code. They are returned as text: bytes that are not UTF-8 are replaced with
//!   U+FFFD (lossy), because every authenticator link is ASCII and anything else is reported by the caller
//!   as "not an authenticator link" rather than as a decoding failure;
//! - a payload usually carries a secret, so [`Payload`] zeroizes on drop and prints `<redacted>` in `Debug`;
//!   no error in this module ever carries payload text.

use std::fmt;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

mod finder;

/// The largest frame decoded, in pixels (64 megapixels: a 48 MP phone photo fits).
pub const MAX_PIXELS: usize = 64 * 1024 * 1024;
/// The largest side of a frame, in pixels.
pub const MAX_SIDE: usize = 16_384;
/// The largest image file read by [`decode_image_bytes`], in bytes.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// What is wrong with bytes that should be an image, as a front end words it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageFault {
    /// Not a format we read (or not an image at all).
    UnknownFormat,
    /// A format we read, using a feature the decoder does not support.
    Unsupported,
    /// Cut short or corrupt.
    Damaged,
    /// Larger than the decoder's limits.
    TooLarge,
}

impl ImageFault {
    /// Every fault, for tests of the front ends' wording.
    pub const ALL: [ImageFault; 4] =
        [ImageFault::UnknownFormat, ImageFault::Unsupported, ImageFault::Damaged, ImageFault::TooLarge];

    fn of(error: &image::ImageError) -> Self {
        match error {
            image::ImageError::Unsupported(_) => ImageFault::Unsupported,
            image::ImageError::Limits(_) => ImageFault::TooLarge,
            _ => ImageFault::Damaged,
        }
    }
}

/// Why a frame, an image or a file could not be scanned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum QrError {
    /// Width or height is zero.
    #[error("frame is empty ({width}×{height})")]
    EmptyFrame { width: usize, height: usize },
    /// A side or the pixel count is beyond [`MAX_SIDE`] or [`MAX_PIXELS`].
    #[error("frame of {width}×{height} is larger than twofold decodes")]
    FrameTooLarge { width: usize, height: usize },
    /// The stride (bytes from one row to the next) is smaller than the width.
    #[error("frame stride {stride} is smaller than its width {width}")]
    StrideTooSmall { width: usize, stride: usize },
    /// The buffer does not hold exactly `height` rows of `stride` bytes (the last row may stop at `width`).
    #[error("frame of {width}×{height} with stride {stride} needs {min_len} to {max_len} bytes but has {actual}")]
    BufferSizeMismatch { width: usize, height: usize, stride: usize, min_len: usize, max_len: usize, actual: usize },
    /// The bytes are not an image in a supported format (PNG, JPEG, WebP, GIF) or are corrupt. `fault` is
    /// typed for front ends; `detail` is the image library's own (English) message, for logs.
    #[error("not a readable PNG, JPEG, WebP or GIF image: {detail}")]
    Image { fault: ImageFault, detail: String },
    /// The image file is larger than [`MAX_FILE_BYTES`].
    #[error("image of {size} bytes is larger than twofold reads")]
    FileTooLarge { size: u64 },
    /// A file could not be read: the system refused it, or it holds no readable image.
    #[error("cannot read {}: {cause}", path.display())]
    File { path: PathBuf, cause: FileCause },
    /// An image holds no QR code that could be read.
    #[error("no QR code found in {}", path.display())]
    NoCode { path: PathBuf },
    /// An image holds QR codes, but none is an `otpauth://` or `otpauth-migration://` link.
    #[error("{} holds {count} QR code(s) but none is an authenticator link", path.display())]
    NoAuthenticatorLink { path: PathBuf, count: usize },
}

/// Why a file could not be read (in [`QrError::File`]), typed for front ends.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FileCause {
    /// The system's error opening or reading it.
    #[error(transparent)]
    Io(std::io::Error),
    /// The bytes are not a readable image; `detail` is the image library's own (English) message, for logs.
    #[error("not a readable PNG, JPEG, WebP or GIF image: {detail}")]
    Image { fault: ImageFault, detail: String },
}

/// The text of one QR code. Zeroized on drop, redacted in `Debug`: it usually carries a secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Payload(Zeroizing<String>);

impl Payload {
    fn from_bytes(bytes: &[u8]) -> Self {
        Self(Zeroizing::new(String::from_utf8_lossy(bytes).into_owned()))
    }

    /// The payload's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is an `otpauth://` or `otpauth-migration://` link (scheme compared case-insensitively).
    pub fn is_authenticator_link(&self) -> bool {
        is_authenticator_link(&self.0)
    }
}

impl fmt::Debug for Payload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Payload(<redacted>)")
    }
}

/// Whether `text` is an `otpauth://` or `otpauth-migration://` link (scheme compared case-insensitively).
pub fn is_authenticator_link(text: &str) -> bool {
    let text = text.trim_start();
    ["otpauth://", "otpauth-migration://"]
        .iter()
        .any(|scheme| text.get(..scheme.len()).is_some_and(|head| head.eq_ignore_ascii_case(scheme)))
}

/// A borrowed 8-bit luma (grey) frame: `height` rows `stride` bytes apart, each `width` bytes of pixels
/// (0 black, 255 white). Build one with [`LumaFrame::new`], which checks the sizes agree.
#[derive(Clone, Copy)]
pub struct LumaFrame<'a> {
    width: usize,
    height: usize,
    stride: usize,
    data: &'a [u8],
}

impl fmt::Debug for LumaFrame<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LumaFrame")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("stride", &self.stride)
            .finish_non_exhaustive()
    }
}

impl<'a> LumaFrame<'a> {
    /// Checks that `data` holds exactly `height` rows of `stride` bytes, of which the first `width` are
    /// pixels. The last row may end right after its pixels (a cropped buffer) or carry its full padding.
    pub fn new(width: usize, height: usize, stride: usize, data: &'a [u8]) -> Result<Self, QrError> {
        if width == 0 || height == 0 {
            return Err(QrError::EmptyFrame { width, height });
        }
        if width > MAX_SIDE || height > MAX_SIDE || width.saturating_mul(height) > MAX_PIXELS {
            return Err(QrError::FrameTooLarge { width, height });
        }
        if stride < width {
            return Err(QrError::StrideTooSmall { width, stride });
        }
        let too_large = || QrError::FrameTooLarge { width, height };
        let max_len = stride.checked_mul(height).ok_or_else(too_large)?;
        let min_len = max_len - (stride - width);
        if data.len() < min_len || data.len() > max_len {
            return Err(QrError::BufferSizeMismatch { width, height, stride, min_len, max_len, actual: data.len() });
        }
        Ok(Self { width, height, stride, data })
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    fn to_grey(self) -> Grey {
        let mut pixels = Vec::with_capacity(self.width * self.height);
        for row in self.data.chunks(self.stride).take(self.height) {
            pixels.extend_from_slice(&row[..self.width]);
        }
        Grey { width: self.width, height: self.height, pixels }
    }
}

/// Decodes every QR code in a luma frame; see the module documentation for the passes and the order.
///
/// An empty vector means no code was found; an error means the frame itself is inconsistent.
pub fn decode_luma(width: usize, height: usize, stride: usize, data: &[u8]) -> Result<Vec<Payload>, QrError> {
    Ok(decode_frame(LumaFrame::new(width, height, stride, data)?))
}

/// Decodes every QR code in a checked frame, in reading order.
pub fn decode_frame(frame: LumaFrame<'_>) -> Vec<Payload> {
    decode_grey(&frame.to_grey())
}

/// Decodes every QR code in an image file's bytes (PNG, JPEG, WebP or GIF; a GIF's first frame), in
/// reading order. The JPEG/WebP orientation tag is applied and transparency is composited onto white, as an
/// image viewer would show it, so phone screenshots and transparent PNGs decode.
pub fn decode_image_bytes(bytes: &[u8]) -> Result<Vec<Payload>, QrError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(QrError::FileTooLarge { size: bytes.len() as u64 });
    }
    let grey = load_grey(bytes)?;
    Ok(decode_grey(&grey))
}

/// What the CLI's `scan IMAGE…` does: reads each file, decodes it exactly as the app does, and returns the
/// authenticator links found, file by file in argument order and in reading order within a file.
///
/// Stops at the first file that cannot be read, holds no QR code ([`QrError::NoCode`]) or holds no
/// authenticator link ([`QrError::NoAuthenticatorLink`]); codes that are not authenticator links are
/// skipped when a file also holds links.
pub fn scan_files<P: AsRef<Path>>(paths: &[P]) -> Result<Vec<Payload>, QrError> {
    let mut links = Vec::new();
    for path in paths {
        links.extend(scan_file(path.as_ref())?);
    }
    Ok(links)
}

/// [`scan_files`] for one file.
pub fn scan_file(path: &Path) -> Result<Vec<Payload>, QrError> {
    let file_error = |cause: FileCause| QrError::File { path: path.to_path_buf(), cause };
    let size = std::fs::metadata(path).map_err(|e| file_error(FileCause::Io(e)))?.len();
    if size > MAX_FILE_BYTES as u64 {
        return Err(QrError::FileTooLarge { size });
    }
    let bytes = std::fs::read(path).map_err(|e| file_error(FileCause::Io(e)))?;
    let payloads = decode_image_bytes(&bytes).map_err(|e| match e {
        QrError::Image { fault, detail } => file_error(FileCause::Image { fault, detail }),
        other => other,
    })?;
    if payloads.is_empty() {
        return Err(QrError::NoCode { path: path.to_path_buf() });
    }
    let count = payloads.len();
    let links: Vec<Payload> = payloads.into_iter().filter(Payload::is_authenticator_link).collect();
    if links.is_empty() {
        return Err(QrError::NoAuthenticatorLink { path: path.to_path_buf(), count });
    }
    Ok(links)
}

fn load_grey(bytes: &[u8]) -> Result<Grey, QrError> {
    use image::ImageDecoder as _;
    let image_error = |e: image::ImageError| QrError::Image { fault: ImageFault::of(&e), detail: e.to_string() };
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| QrError::Image { fault: ImageFault::Damaged, detail: e.to_string() })?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE as u32);
    limits.max_image_height = Some(MAX_SIDE as u32);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    if reader.format().is_none() {
        return Err(QrError::Image { fault: ImageFault::UnknownFormat, detail: "unknown image format".into() });
    }
    let mut decoder = reader.into_decoder().map_err(image_error)?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = image::DynamicImage::from_decoder(decoder).map_err(image_error)?;
    image.apply_orientation(orientation);
    let (width, height) = (image.width() as usize, image.height() as usize);
    if width == 0 || height == 0 {
        return Err(QrError::EmptyFrame { width, height });
    }
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(QrError::FrameTooLarge { width, height });
    }
    let pixels = if image.color().has_alpha() {
        // Transparent pixels are shown over a light background by viewers; a code drawn as dark modules on
        // a transparent canvas would otherwise turn into a black square.
        image
            .to_luma_alpha8()
            .pixels()
            .map(|p| {
                let [l, a] = p.0;
                let (l, a) = (u32::from(l), u32::from(a));
                ((l * a + 255 * (255 - a) + 127) / 255) as u8
            })
            .collect()
    } else {
        image.into_luma8().into_raw()
    };
    Ok(Grey { width, height, pixels })
}

/// An owned, tightly packed luma image.
#[derive(Clone)]
struct Grey {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// One code found in one pass, with its centre and size in the original frame's coordinates.
struct Found {
    bytes: Zeroizing<Vec<u8>>,
    top: f64,
    bottom: f64,
    left: f64,
    right: f64,
}

/// The passes, in the order they are tried; the first that finds a code wins.
#[derive(Clone, Copy, Debug)]
enum Pass {
    /// Local-mean threshold on the frame as it is.
    Plain,
    /// The same for light modules on a dark background.
    Inverted,
    /// A 3×3 blur against sensor noise, thresholded at the plain mean (blurred modules sit near it).
    Blurred,
    /// Half size: blur and noise average out, large codes shrink into rqrr's comfort zone.
    Half,
    HalfInverted,
    /// Unsharp mask: out-of-focus timing patterns and dense modules get their edges back.
    Sharpened,
    /// Contrast stretched to full range (dim, washed-out frames), then rqrr's own binarisation.
    Stretched,
    BlurredInverted,
}

const PASSES: [Pass; 8] = [
    Pass::Plain,
    Pass::Inverted,
    Pass::Blurred,
    Pass::Sharpened,
    Pass::Half,
    Pass::HalfInverted,
    Pass::Stretched,
    Pass::BlurredInverted,
];

/// On a noisy frame the plain threshold turns grain into thousands of false finder patterns, which rqrr
/// examines one by one: slow, and it finds nothing. Such frames start with the blurred pass instead.
const NOISY_PASSES: [Pass; 8] = [
    Pass::Blurred,
    Pass::Half,
    Pass::BlurredInverted,
    Pass::HalfInverted,
    Pass::Plain,
    Pass::Inverted,
    Pass::Sharpened,
    Pass::Stretched,
];

/// The same for frames whose short side is at least [`LARGE`]: the half-size copy comes first, because
/// halving averages the grain away and leaves codes large enough to read, and rqrr runs on a quarter of
/// the pixels.
const NOISY_LARGE_PASSES: [Pass; 8] = [
    Pass::Half,
    Pass::Blurred,
    Pass::HalfInverted,
    Pass::BlurredInverted,
    Pass::Plain,
    Pass::Inverted,
    Pass::Sharpened,
    Pass::Stretched,
];

/// The short side from which a noisy frame starts at half size.
const LARGE: usize = 600;

/// Mean absolute second difference along rows above which a frame counts as noisy. Sharp, clean frames
/// measure 2–15 (module edges included); Gaussian sensor noise of σ adds about 1.8σ.
const NOISY: u64 = 30;

fn decode_grey(grey: &Grey) -> Vec<Payload> {
    let passes = if noise_level(grey) <= NOISY {
        PASSES
    } else if grey.width.min(grey.height) >= LARGE {
        NOISY_LARGE_PASSES
    } else {
        NOISY_PASSES
    };
    // Each pass's own finder reading goes first, in pass order; the whole-frame rqrr runs of the passes
    // whose finder reading found nothing wait until every pass has had its cheap try, then run in the
    // same order. A low-contrast frame whose plain threshold breaks a finder pattern's rings is often
    // read by the blurred pass's finder reading in a few milliseconds, where rqrr on the plain bits
    // spent 15–25 ms on a 720p frame. A frame no pass reads does the same work as before.
    let keep = grey.width * grey.height <= KEEP_BITS;
    let mut deferred: Vec<(Pass, Option<Bits>, f64)> = Vec::new();
    for pass in passes {
        match run_pass(grey, pass) {
            Outcome::Found(found) => return in_reading_order(found),
            Outcome::Nothing => {}
            Outcome::Deferred(bits, scale) => deferred.push((pass, bits.filter(|_| keep), scale)),
        }
    }
    for (pass, bits, scale) in deferred {
        let found = match bits {
            Some(bits) => detect_full(bits, scale),
            None => match run_pass_bits(grey, pass) {
                Some((bits, scale)) => detect_full(bits, scale),
                None => full_rqrr(grey, pass),
            },
        };
        if !found.is_empty() {
            return in_reading_order(found);
        }
    }
    Vec::new()
}

/// Frames up to this many pixels keep each deferred pass's bits for its rqrr run (at most eight passes,
/// so 32 MB); larger ones threshold again, so a 64-megapixel frame never holds more than one copy.
const KEEP_BITS: usize = 4 * 1024 * 1024;

/// Mean `|2p(x) − p(x−1) − p(x+1)|` over every eighth row.
fn noise_level(grey: &Grey) -> u64 {
    let w = grey.width;
    if w < 3 {
        return 0;
    }
    let (mut sum, mut count) = (0u64, 0u64);
    for row in grey.pixels.chunks_exact(w).step_by(8) {
        for x in row.windows(3) {
            let (l, p, r) = (i32::from(x[0]), i32::from(x[1]), i32::from(x[2]));
            sum += u64::from((2 * p - l - r).unsigned_abs());
        }
        count += (w - 2) as u64;
    }
    sum.checked_div(count).unwrap_or(0)
}

/// Grey levels a pixel must also lie beyond the threshold to count: flat areas with sensor noise (a dark
/// background above all, where 5% of the mean is only a few levels) otherwise turn into speckle that rqrr
/// examines region by region.
const MARGIN: u64 = 4;

/// Dark when below 95% of the local mean (rqrr's own rule), or above 105% of it for inverted codes.
const STRICT: (u64, u64) = (95, 105);
/// Dark when below the local mean, or above it for inverted codes.
const EVEN: (u64, u64) = (100, 100);

/// What a pass's finder reading came to.
enum Outcome {
    /// Codes read: the pass wins.
    Found(Vec<Found>),
    /// Nothing read; rqrr on the whole of these bits (at this scale) is still to try. `None` for the
    /// stretched pass, which hands grey levels to rqrr.
    Deferred(Option<Bits>, f64),
    /// Nothing to read and nothing more to try.
    Nothing,
}

fn run_pass(grey: &Grey, pass: Pass) -> Outcome {
    match pass {
        Pass::Plain => {
            let bits = thresholded(grey, STRICT, false);
            let [finders, inverted] = finder::scan(&bits);
            // Finder patterns of a light-on-dark code and none of a dark-on-light one: this pass would
            // find nothing, the inverted one comes next.
            if finders.len() < 3 && inverted.len() >= 3 {
                return Outcome::Nothing;
            }
            detect_all_with(grey, bits, false, 1.0, finders)
        }
        Pass::Inverted => detect_all(grey, thresholded(grey, STRICT, true), true, 1.0),
        Pass::Blurred => {
            let b = blurred(grey);
            detect_all(&b, thresholded(&b, EVEN, false), false, 1.0)
        }
        Pass::BlurredInverted => {
            let b = blurred(grey);
            detect_all(&b, thresholded(&b, EVEN, true), true, 1.0)
        }
        Pass::Half => match halved(grey) {
            Some(h) => detect_all(&h, thresholded(&h, EVEN, false), false, 2.0),
            None => Outcome::Nothing,
        },
        Pass::HalfInverted => match halved(grey) {
            Some(h) => detect_all(&h, thresholded(&h, EVEN, true), true, 2.0),
            None => Outcome::Nothing,
        },
        Pass::Sharpened => {
            let s = sharpened(grey, 2);
            detect_all(&s, thresholded(&s, EVEN, false), false, 1.0)
        }
        Pass::Stretched => Outcome::Deferred(None, 1.0),
    }
}

/// A deferred pass's bits made again (frames too large to keep them), and their scale; `None` for the
/// stretched pass.
fn run_pass_bits(grey: &Grey, pass: Pass) -> Option<(Bits, f64)> {
    Some(match pass {
        Pass::Plain => (thresholded(grey, STRICT, false), 1.0),
        Pass::Inverted => (thresholded(grey, STRICT, true), 1.0),
        Pass::Blurred => (thresholded(&blurred(grey), EVEN, false), 1.0),
        Pass::BlurredInverted => (thresholded(&blurred(grey), EVEN, true), 1.0),
        Pass::Half => (thresholded(&halved(grey)?, EVEN, false), 2.0),
        Pass::HalfInverted => (thresholded(&halved(grey)?, EVEN, true), 2.0),
        Pass::Sharpened => (thresholded(&sharpened(grey, 2), EVEN, false), 1.0),
        Pass::Stretched => return None,
    })
}

/// The rqrr run of a pass that has no bits of its own (the stretched pass).
fn full_rqrr(grey: &Grey, pass: Pass) -> Vec<Found> {
    match pass {
        Pass::Stretched => match stretched(grey) {
            Some(s) => detect(Input::Grey(&s), 1.0).0,
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// What a pass hands to rqrr.
enum Input<'a> {
    /// Grey levels: rqrr binarises them with its own row-wise local mean.
    Grey(&'a Grey),
    /// Already binarised (`true` = dark).
    Bits(&'a Bits),
}

/// Runs rqrr once; returns the codes read and the centres (in original frame coordinates) of the grids it
/// found but could not read.
fn detect(input: Input<'_>, scale: f64) -> (Vec<Found>, Vec<(f64, f64)>) {
    // Both constructors return the same (unnameable) buffer type, so one match builds either.
    let mut prepared = match input {
        Input::Grey(grey) => {
            let width = grey.width;
            rqrr::PreparedImage::prepare_from_greyscale(width, grey.height, |x, y| grey.pixels[y * width + x])
        }
        Input::Bits(bits) => {
            let width = bits.width;
            rqrr::PreparedImage::prepare_from_bitmap(width, bits.height, |x, y| bits.dark[y * width + x])
        }
    };
    let mut found = Vec::new();
    let mut unread = Vec::new();
    for grid in prepared.detect_grids() {
        let mut bytes = Zeroizing::new(Vec::new());
        if grid.decode_to(&mut *bytes).is_err() {
            let (x, y) = grid.bounds.iter().fold((0.0, 0.0), |(x, y), p| (x + f64::from(p.x), y + f64::from(p.y)));
            unread.push((x / 4.0 * scale, y / 4.0 * scale));
            continue;
        }
        let ys = grid.bounds.map(|p| f64::from(p.y) * scale);
        let xs = grid.bounds.map(|p| f64::from(p.x) * scale);
        let top = ys.iter().copied().fold(f64::INFINITY, f64::min);
        let bottom = ys.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let left = xs.iter().copied().fold(f64::INFINITY, f64::min);
        let right = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        found.push(Found { bytes, top, bottom, left, right });
    }
    (found, unread)
}

/// Runs rqrr on a binarised frame, then on overlapping tiles when that is worth it.
///
/// rqrr pairs finder patterns greedily and keeps a grouping that looks like a code even when it then fails
/// to read it: with several codes close together it can pair patterns of neighbouring codes and lose them.
/// When one run reads some codes but also finds grids it cannot read, the frame is read again in tiles
/// twice the size of the largest code read, overlapping by half, so each code sits alone in some tile.
fn detect_all(grey: &Grey, bits: Bits, invert: bool, scale: f64) -> Outcome {
    let [finders, _] = finder::scan(&bits);
    detect_all_with(grey, bits, invert, scale, finders)
}

/// [`detect_all`] with the finder patterns of `bits` already scanned.
///
/// The finder scan's own reading goes first: it samples through a homography fitted to the finders'
/// corners and alignment patterns, which costs far less than rqrr's grid fitting (its perspective
/// "jiggle" was most of the time of a frame rqrr reads). rqrr then runs only where finders are left
/// that could still make a code: on the areas they outline, and on the whole frame when that leaves some
/// (or the scan outlined nothing, as on blurred frames where rqrr's flood fill finds what the scan's
/// run lengths miss).
fn detect_all_with(grey: &Grey, bits: Bits, invert: bool, scale: f64, finders: Vec<finder::Finder>) -> Outcome {
    let mut found = finder::decode(grey, &bits, finders.clone(), invert, scale, &[]);
    // When the finder scan read codes, it has done what the tiles below are for.
    let settled = !found.is_empty();
    let left = |found: &[Found]| -> Vec<finder::Finder> {
        let inside =
            |(x, y): (f64, f64)| found.iter().any(|f| x >= f.left && x <= f.right && y >= f.top && y <= f.bottom);
        finders.iter().copied().filter(|f| !inside(f.centre(scale))).collect()
    };
    let regions = finder::regions(&left(&found), bits.width, bits.height);
    if settled && regions.is_empty() {
        return Outcome::Found(found);
    }
    if !regions.is_empty() {
        for region in regions {
            for code in detect_crop(&bits, region, scale) {
                if !found.iter().any(|f| f.bytes == code.bytes) {
                    found.push(code);
                }
            }
        }
        // Once the finder pass has read a code, the finders left over are ones whose triples failed its
        // format check (on noisy frames, chance patterns in the grain): rqrr on the whole frame would
        // examine every speck for nothing, 40 ms and more on a noisy 720p frame.
        if settled || (!found.is_empty() && finder::regions(&left(&found), bits.width, bits.height).is_empty()) {
            return Outcome::Found(found);
        }
    }
    if found.is_empty() {
        return Outcome::Deferred(Some(bits), scale);
    }
    Outcome::Found(detect_rest(&bits, scale, found, settled))
}

/// rqrr on the whole of a pass's bits, for a pass whose finder reading found nothing.
fn detect_full(bits: Bits, scale: f64) -> Vec<Found> {
    detect_rest(&bits, scale, Vec::new(), false)
}

/// rqrr on the whole frame after the finder reading and the areas (`found` so far), then the tiles when
/// rqrr also found grids it could not read.
fn detect_rest(bits: &Bits, scale: f64, mut found: Vec<Found>, settled: bool) -> Vec<Found> {
    let (codes, unread) = detect(Input::Bits(bits), scale);
    for code in codes {
        if !found.iter().any(|f| f.bytes == code.bytes) {
            found.push(code);
        }
    }
    if found.is_empty() || unread.is_empty() || settled {
        return found;
    }
    let side = found.iter().map(|f| (f.right - f.left).max(f.bottom - f.top)).fold(0.0, f64::max) / scale;
    let tile = ((side * 2.0) as usize).max(64);
    if tile >= bits.width && tile >= bits.height {
        return found;
    }
    let step = (tile / 2).max(1);
    let starts = |len: usize| -> Vec<usize> {
        if tile >= len {
            return vec![0];
        }
        let mut v: Vec<usize> = (0..=len - tile).step_by(step).collect();
        if v.last().is_some_and(|&last| last + tile < len) {
            v.push(len - tile);
        }
        v
    };
    for y0 in starts(bits.height) {
        for x0 in starts(bits.width) {
            let (w, h) = (tile.min(bits.width - x0), tile.min(bits.height - y0));
            for code in detect_crop(bits, [x0, y0, x0 + w, y0 + h], scale) {
                if !found.iter().any(|f| f.bytes == code.bytes) {
                    found.push(code);
                }
            }
        }
    }
    found
}

/// Runs rqrr on the part `[x0, y0, x1, y1)` of a binarised frame; positions in frame coordinates.
fn detect_crop(bits: &Bits, [x0, y0, x1, y1]: [usize; 4], scale: f64) -> Vec<Found> {
    let (w, h) = (x1 - x0, y1 - y0);
    let mut dark = Vec::with_capacity(w * h);
    for y in y0..y1 {
        dark.extend_from_slice(&bits.dark[y * bits.width + x0..y * bits.width + x1]);
    }
    let (mut codes, _) = detect(Input::Bits(&Bits { width: w, height: h, dark }), scale);
    let (dx, dy) = (x0 as f64 * scale, y0 as f64 * scale);
    for code in &mut codes {
        code.left += dx;
        code.right += dx;
        code.top += dy;
        code.bottom += dy;
    }
    codes
}

/// Rows top to bottom (a code joins the row it vertically overlaps by its centre), left to right within a
/// row; the same payload only once.
fn in_reading_order(mut found: Vec<Found>) -> Vec<Payload> {
    found.sort_by(|a, b| a.top.total_cmp(&b.top));
    let mut rows: Vec<Vec<Found>> = Vec::new();
    let mut row_bottom = f64::NEG_INFINITY;
    for code in found {
        let centre_y = (code.top + code.bottom) / 2.0;
        match rows.last_mut() {
            Some(row) if centre_y <= row_bottom => {
                row_bottom = row_bottom.max(code.bottom);
                row.push(code);
            }
            _ => {
                row_bottom = code.bottom;
                rows.push(vec![code]);
            }
        }
    }
    let mut payloads: Vec<Payload> = Vec::new();
    for mut row in rows {
        row.sort_by(|a, b| (a.left + a.right).total_cmp(&(b.left + b.right)));
        for code in row {
            let payload = Payload::from_bytes(&code.bytes);
            if !payloads.contains(&payload) {
                payloads.push(payload);
            }
        }
    }
    payloads
}

/// A 3×3 binomial blur (σ ≈ 0.85): removes pixel noise, keeps modules of 2 px and more.
fn blurred(grey: &Grey) -> Grey {
    let (w, h) = (grey.width, grey.height);
    let src = &grey.pixels;
    let mut horizontal = vec![0u16; w * h];
    for y in 0..h {
        let row = &src[y * w..(y + 1) * w];
        for x in 0..w {
            let left = row[x.saturating_sub(1)];
            let right = row[(x + 1).min(w - 1)];
            horizontal[y * w + x] = u16::from(left) + 2 * u16::from(row[x]) + u16::from(right);
        }
    }
    let mut pixels = vec![0u8; w * h];
    for y in 0..h {
        let up = y.saturating_sub(1) * w;
        let here = y * w;
        let down = (y + 1).min(h - 1) * w;
        for x in 0..w {
            let sum = horizontal[up + x] + 2 * horizontal[here + x] + horizontal[down + x];
            pixels[here + x] = ((sum + 8) / 16) as u8;
        }
    }
    Grey { pixels, ..*grey }
}

/// A box blur of radius `r` (clamped edges), from running sums.
fn box_blurred(grey: &Grey, r: usize) -> Grey {
    let (w, h) = (grey.width, grey.height);
    let mut horizontal = vec![0u32; w * h];
    let mut prefix = vec![0u32; w + 1];
    for y in 0..h {
        for x in 0..w {
            prefix[x + 1] = prefix[x] + u32::from(grey.pixels[y * w + x]);
        }
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            horizontal[y * w + x] = (prefix[x1] - prefix[x0]) * 256 / (x1 - x0) as u32;
        }
    }
    let mut pixels = vec![0u8; w * h];
    let mut column = vec![0u32; h + 1];
    for x in 0..w {
        for y in 0..h {
            column[y + 1] = column[y] + horizontal[y * w + x];
        }
        for y in 0..h {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
            pixels[y * w + x] = ((column[y1] - column[y0]) / (y1 - y0) as u32 / 256) as u8;
        }
    }
    Grey { pixels, ..*grey }
}

/// Unsharp mask: `pixel + 1.5 × (pixel − box blur of radius r)`.
fn sharpened(grey: &Grey, r: usize) -> Grey {
    let soft = box_blurred(grey, r);
    let pixels = grey
        .pixels
        .iter()
        .zip(&soft.pixels)
        .map(|(&p, &b)| {
            let (p, b) = (i32::from(p), i32::from(b));
            (p + (p - b) * 3 / 2).clamp(0, 255) as u8
        })
        .collect();
    Grey { pixels, ..*grey }
}

/// Stretches the 1st–99th percentile of luma to 0–255; `None` when the frame is already full range or flat.
fn stretched(grey: &Grey) -> Option<Grey> {
    let mut histogram = [0usize; 256];
    for &p in &grey.pixels {
        histogram[usize::from(p)] += 1;
    }
    let total = grey.pixels.len();
    let cut = total / 100;
    let mut seen = 0;
    let low = histogram.iter().position(|&n| {
        seen += n;
        seen > cut
    })?;
    seen = 0;
    let high = 255
        - histogram.iter().rev().position(|&n| {
            seen += n;
            seen > cut
        })?;
    if high <= low + 2 || (low < 16 && high > 239) {
        return None;
    }
    let span = (high - low) as u32;
    let table: Vec<u8> =
        (0..256u32).map(|v| ((v.saturating_sub(low as u32) * 255 + span / 2) / span).min(255) as u8).collect();
    Some(Grey { pixels: grey.pixels.iter().map(|&p| table[usize::from(p)]).collect(), ..*grey })
}

/// A half-size copy (2×2 box average); `None` when the frame is too small for a code to survive it.
fn halved(grey: &Grey) -> Option<Grey> {
    let (w, h) = (grey.width / 2, grey.height / 2);
    if w < 64 || h < 64 {
        return None;
    }
    let src = &grey.pixels;
    let sw = grey.width;
    let mut pixels = Vec::with_capacity(w * h);
    for y in 0..h {
        let (r0, r1) = (2 * y * sw, (2 * y + 1) * sw);
        for x in 0..w {
            let sum = u16::from(src[r0 + 2 * x])
                + u16::from(src[r0 + 2 * x + 1])
                + u16::from(src[r1 + 2 * x])
                + u16::from(src[r1 + 2 * x + 1]);
            pixels.push(((sum + 2) / 4) as u8);
        }
    }
    Some(Grey { width: w, height: h, pixels })
}

struct Bits {
    width: usize,
    height: usize,
    dark: Vec<bool>,
}

/// Local mean threshold: a pixel is dark when `pixel × 100 < mean × percent` (`percent.0`), or for inverted
/// codes when `pixel × 100 > mean × percent.1`. The mean is over a square window an eighth of the long side
/// wide, from running sums (no division per pixel): a finder pattern always fits inside it, and uneven light
/// across the frame does not.
///
/// Every pass starts here, so it is written to be cheap on a 720p frame (about a millisecond): the row sums
/// live in a ring of the window's rows rather than a whole-frame buffer, and the comparison runs on whole
/// rows in 32-bit integers where the window is small enough for them (frames up to about 2300 pixels on the
/// long side), in 64-bit ones beyond; both compare exactly the same numbers.
fn thresholded(grey: &Grey, percent: (u64, u64), invert: bool) -> Bits {
    let (w, h) = (grey.width, grey.height);
    let r = (w.max(h) / 16).max(4);
    let side = (2 * r + 1) as u64;
    let largest = side * side * (100 * (255 + MARGIN) + 255 * percent.0.max(percent.1));
    let mut dark = vec![false; w * h];
    if largest <= u64::from(u32::MAX) && percent.0 <= 255 && percent.1 <= 255 {
        let percent = (percent.0 as u32, percent.1 as u32);
        threshold_rows(grey, r, &mut dark, |pixels, column, widths, rows, out| {
            let margin = MARGIN as u32;
            if invert {
                for (((d, &p), &c), &wd) in out.iter_mut().zip(pixels).zip(column).zip(widths) {
                    let area = wd * rows * 100;
                    *d = u32::from(p) * area > c * percent.1 + margin * area;
                }
            } else {
                for (((d, &p), &c), &wd) in out.iter_mut().zip(pixels).zip(column).zip(widths) {
                    let area = wd * rows * 100;
                    *d = (u32::from(p) + margin) * area < c * percent.0;
                }
            }
        });
    } else {
        threshold_rows(grey, r, &mut dark, |pixels, column, widths, rows, out| {
            for (((d, &p), &c), &wd) in out.iter_mut().zip(pixels).zip(column).zip(widths) {
                let area = u64::from(wd) * u64::from(rows) * 100;
                let (p, c) = (u64::from(p), u64::from(c));
                *d =
                    if invert { p * area > c * percent.1 + MARGIN * area } else { (p + MARGIN) * area < c * percent.0 };
            }
        });
    }
    Bits { width: w, height: h, dark }
}

/// The running sums behind [`thresholded`]: for each row, the sum of the window around each pixel
/// (`column`), the window's width at each pixel (`widths`, clamped at the frame's edges) and its height in
/// rows, handed to `compare` with the row's pixels to fill the row of `dark`.
fn threshold_rows(
    grey: &Grey,
    r: usize,
    dark: &mut [bool],
    mut compare: impl FnMut(&[u8], &[u32], &[u32], u32, &mut [bool]),
) {
    let (w, h) = (grey.width, grey.height);
    let widths: Vec<u32> = (0..w).map(|x| ((x + r + 1).min(w) - x.saturating_sub(r)) as u32).collect();
    // Row sums over [x - r, x + r], clamped to the frame, for the rows inside the window: a ring of 2r + 2.
    let ring = (2 * r + 2).min(h);
    let mut row_sums = vec![0u32; w * ring];
    let mut prefix = vec![0u32; w + 1];
    let mut sum_row = |y: usize, row_sums: &mut [u32]| {
        let row = &grey.pixels[y * w..(y + 1) * w];
        // The running total stays in a register (a reload of `prefix[x]` would wait on the store).
        let mut total = 0u32;
        for (slot, &p) in prefix[1..].iter_mut().zip(row) {
            total += u32::from(p);
            *slot = total;
        }
        let out = &mut row_sums[(y % ring) * w..(y % ring + 1) * w];
        // Away from the edges the window is whole, and the subtraction runs over two shifted slices.
        let (inner_start, inner_end) = (r.min(w), w.saturating_sub(r).max(r.min(w)));
        for (x, o) in out[..inner_start].iter_mut().enumerate() {
            *o = prefix[(x + r + 1).min(w)];
        }
        if inner_end > inner_start {
            let ends = &prefix[inner_start + r + 1..];
            let starts = &prefix[inner_start - r..];
            for ((o, &end), &start) in out[inner_start..inner_end].iter_mut().zip(ends).zip(starts) {
                *o = end - start;
            }
        }
        for (x, o) in out.iter_mut().enumerate().skip(inner_end) {
            *o = prefix[w] - prefix[x.saturating_sub(r)];
        }
    };
    let mut column = vec![0u32; w];
    for y in 0..r.min(h) {
        sum_row(y, &mut row_sums);
        for (c, a) in column.iter_mut().zip(&row_sums[(y % ring) * w..(y % ring + 1) * w]) {
            *c += a;
        }
    }
    for y in 0..h {
        if y > r {
            let old = (y - r - 1) % ring;
            for (c, s) in column.iter_mut().zip(&row_sums[old * w..(old + 1) * w]) {
                *c -= s;
            }
        }
        if y + r < h {
            sum_row(y + r, &mut row_sums);
            let new = (y + r) % ring;
            for (c, a) in column.iter_mut().zip(&row_sums[new * w..(new + 1) * w]) {
                *c += a;
            }
        }
        let rows = ((y + r + 1).min(h) - y.saturating_sub(r)) as u32;
        compare(&grey.pixels[y * w..(y + 1) * w], &column, &widths, rows, &mut dark[y * w..(y + 1) * w]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`thresholded`] as it was before it was made faster: one whole-frame buffer of row sums and 64-bit
    /// arithmetic per pixel. The fast one must mark exactly the same pixels.
    fn thresholded_reference(grey: &Grey, percent: (u64, u64), invert: bool) -> Vec<bool> {
        let (w, h) = (grey.width, grey.height);
        let r = (w.max(h) / 16).max(4);
        let mut row_sums = vec![0u32; w * h];
        let mut prefix = vec![0u32; w + 1];
        for y in 0..h {
            for x in 0..w {
                prefix[x + 1] = prefix[x] + u32::from(grey.pixels[y * w + x]);
            }
            for x in 0..w {
                row_sums[y * w + x] = prefix[(x + r + 1).min(w)] - prefix[x.saturating_sub(r)];
            }
        }
        let mut dark = Vec::with_capacity(w * h);
        for y in 0..h {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
            for x in 0..w {
                let sum: u64 = (y0..y1).map(|yy| u64::from(row_sums[yy * w + x])).sum();
                let area = ((x + r + 1).min(w) - x.saturating_sub(r)) as u64 * (y1 - y0) as u64 * 100;
                let scaled = u64::from(grey.pixels[y * w + x]) * area;
                let margin = MARGIN * area;
                dark.push(if invert { scaled > sum * percent.1 + margin } else { scaled + margin < sum * percent.0 });
            }
        }
        dark
    }

    #[test]
    fn fast_threshold_marks_the_same_pixels_as_the_plain_one() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // Small frames (window wider than the frame), a 720p-like one, and one long enough for 64-bit sums.
        for (w, h) in [(1, 1), (7, 3), (5, 40), (64, 48), (333, 197), (1280, 40), (2600, 12)] {
            // Smooth areas with noise and some hard edges, so pixels sit on both sides of the mean.
            let pixels: Vec<u8> = (0..w * h)
                .map(|i| {
                    let (x, y) = (i % w, i / w);
                    let base = if (x / 7 + y / 5) % 2 == 0 { 60 } else { 190 };
                    (base + (next() % 90) as i32 - 45).clamp(0, 255) as u8
                })
                .collect();
            let grey = Grey { width: w, height: h, pixels };
            for (percent, invert) in [(STRICT, false), (STRICT, true), (EVEN, false), (EVEN, true)] {
                let fast = thresholded(&grey, percent, invert);
                assert_eq!(fast.dark, thresholded_reference(&grey, percent, invert), "{w}×{h} {percent:?} {invert}");
            }
        }
    }
}
