//! One captured picture in the two forms the scan loop needs: luma for the decoder, colour for the preview.
//!
//! YUV sources (YUYV, NV12, the fake camera's Y4M) keep their Y plane as the luma and their chroma as it
//! came: colour is only computed for the preview, at the preview's size (a quarter of the pixels of a
//! 1280×720 frame), so the decoder's input costs one copy of the Y plane and no RGB round trip.

use image::ImageEncoder as _;

/// The widest preview sent to the UI; wider frames are halved (box filter) before encoding.
pub const PREVIEW_MAX_WIDTH: usize = 640;

/// One captured picture: `luma` is tightly packed (`width × height`); `colour` is what the preview adds.
pub struct Frame {
    width: usize,
    height: usize,
    luma: Vec<u8>,
    colour: Colour,
}

/// The colour of a frame, kept in the source's own form until the preview needs it.
pub(crate) enum Colour {
    /// A grey source.
    Grey,
    /// Interleaved RGB, `width × height × 3`.
    Rgb(Vec<u8>),
    /// YUV: the luma is the frame's, the chroma is here.
    Yuv(Chroma),
}

/// Chroma of a YUV frame as the source laid it out.
pub(crate) enum Chroma {
    /// YUYV (4:2:2 packed): the whole buffer, `Y0 U Y1 V` for each pair of pixels, `width.div_ceil(2) × 4`
    /// bytes a row.
    Yuyv(Vec<u8>),
    /// NV12: the interleaved UV plane, one `U V` pair per 2×2 pixels, `width.div_ceil(2) × 2` bytes a row.
    Nv12(Vec<u8>),
    /// Planar U and V planes of `columns` samples a row, each sample covering `sx × sy` pixels.
    Planar { u: Vec<u8>, v: Vec<u8>, columns: usize, sx: usize, sy: usize },
}

impl Chroma {
    /// `(U, V)` at pixel `(x, y)` of a frame `width` pixels wide.
    fn at(&self, width: usize, x: usize, y: usize) -> (u8, u8) {
        match self {
            Chroma::Yuyv(data) => {
                let i = y * width.div_ceil(2) * 4 + (x / 2) * 4;
                (data[i + 1], data[i + 3])
            }
            Chroma::Nv12(uv) => {
                let i = (y / 2) * width.div_ceil(2) * 2 + (x / 2) * 2;
                (uv[i], uv[i + 1])
            }
            Chroma::Planar { u, v, columns, sx, sy } => {
                let i = (y / sy) * columns + x / sx;
                (u[i], v[i])
            }
        }
    }
}

/// A preview picture for the UI, JPEG-encoded: small enough to send to a webview 10–30 times a second.
#[derive(Clone)]
pub struct PreviewFrame {
    /// Width of the JPEG in pixels (the capture width, halved when wider than 640).
    pub width: u32,
    /// Height of the JPEG in pixels.
    pub height: u32,
    /// The JPEG file's bytes.
    pub jpeg: Vec<u8>,
    /// Frames captured since the scan started, this one included.
    pub sequence: u64,
}

impl std::fmt::Debug for PreviewFrame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreviewFrame")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("jpeg_bytes", &self.jpeg.len())
            .field("sequence", &self.sequence)
            .finish()
    }
}

impl Frame {
    pub(crate) fn from_rgb(width: usize, height: usize, rgb: Vec<u8>) -> Self {
        let luma = rgb
            .chunks_exact(3)
            .map(|p| ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8) as u8)
            .collect();
        Self { width, height, luma, colour: Colour::Rgb(rgb) }
    }

    pub(crate) fn from_luma(width: usize, height: usize, luma: Vec<u8>) -> Self {
        Self { width, height, luma, colour: Colour::Grey }
    }

    /// A YUV frame: `luma` is its Y plane (`width × height`, tightly packed).
    pub(crate) fn from_yuv(width: usize, height: usize, luma: Vec<u8>, chroma: Chroma) -> Self {
        Self { width, height, luma, colour: Colour::Yuv(chroma) }
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The luma the decoder reads (`width × height`, tightly packed).
    pub fn luma(&self) -> &[u8] {
        &self.luma
    }

    /// Decodes the frame's QR codes exactly as the scan loop does.
    pub fn decode(&self) -> Vec<twofold_core::qr::Payload> {
        twofold_core::qr::decode_luma(self.width, self.height, self.width, &self.luma).unwrap_or_default()
    }

    /// Encodes the preview JPEG (quality 70), halving frames wider than [`PREVIEW_MAX_WIDTH`].
    pub fn preview(&self, sequence: u64) -> Result<PreviewFrame, image::ImageError> {
        let halve_it = self.width > PREVIEW_MAX_WIDTH && self.height >= 2;
        let converted;
        let (channels, pixels) = match &self.colour {
            Colour::Rgb(rgb) => (3, rgb.as_slice()),
            Colour::Grey => (1, self.luma.as_slice()),
            Colour::Yuv(chroma) => {
                converted = self.yuv_preview(chroma, if halve_it { 2 } else { 1 });
                (3, converted.as_slice())
            }
        };
        let halved;
        let (width, height, pixels) = if halve_it {
            if matches!(self.colour, Colour::Yuv(_)) {
                (self.width / 2, self.height / 2, pixels)
            } else {
                halved = halve(self.width, self.height, channels, pixels);
                (self.width / 2, self.height / 2, halved.as_slice())
            }
        } else {
            (self.width, self.height, pixels)
        };
        let mut jpeg = Vec::with_capacity(width * height / 4);
        let color = if channels == 3 { image::ExtendedColorType::Rgb8 } else { image::ExtendedColorType::L8 };
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 70).write_image(
            pixels,
            width as u32,
            height as u32,
            color,
        )?;
        Ok(PreviewFrame { width: width as u32, height: height as u32, jpeg, sequence })
    }
}

impl Frame {
    /// RGB at `1 / step` of the frame's size (`step` 1 or 2): luma averaged over each `step × step` block,
    /// chroma taken at the block's top-left pixel (chroma is subsampled by two anyway).
    fn yuv_preview(&self, chroma: &Chroma, step: usize) -> Vec<u8> {
        let (w, h) = (self.width / step, self.height / step);
        let mut rgb = Vec::with_capacity(w * h * 3);
        for oy in 0..h {
            let y = oy * step;
            for ox in 0..w {
                let x = ox * step;
                let luma = if step == 2 {
                    let (r0, r1) = (y * self.width + x, (y + 1) * self.width + x);
                    let sum = u16::from(self.luma[r0])
                        + u16::from(self.luma[r0 + 1])
                        + u16::from(self.luma[r1])
                        + u16::from(self.luma[r1 + 1]);
                    ((sum + 2) / 4) as u8
                } else {
                    self.luma[y * self.width + x]
                };
                let (u, v) = chroma.at(self.width, x, y);
                rgb.extend_from_slice(&yuv_to_rgb(luma, u, v));
            }
        }
        rgb
    }
}

/// 2×2 box downscale of an interleaved image with `channels` bytes per pixel.
fn halve(width: usize, height: usize, channels: usize, pixels: &[u8]) -> Vec<u8> {
    let (w, h) = (width / 2, height / 2);
    let stride = width * channels;
    let mut out = Vec::with_capacity(w * h * channels);
    for y in 0..h {
        let (r0, r1) = (2 * y * stride, (2 * y + 1) * stride);
        for x in 0..w {
            for c in 0..channels {
                let i = 2 * x * channels + c;
                let sum = u16::from(pixels[r0 + i])
                    + u16::from(pixels[r0 + i + channels])
                    + u16::from(pixels[r1 + i])
                    + u16::from(pixels[r1 + i + channels]);
                out.push(((sum + 2) / 4) as u8);
            }
        }
    }
    out
}

/// BT.601 limited-range YCbCr to RGB for one pixel.
pub(crate) fn yuv_to_rgb(y: u8, u: u8, v: u8) -> [u8; 3] {
    let c = 298 * (i32::from(y) - 16);
    let d = i32::from(u) - 128;
    let e = i32::from(v) - 128;
    let clamp = |x: i32| ((x + 128) >> 8).clamp(0, 255) as u8;
    [clamp(c + 409 * e), clamp(c - 100 * d - 208 * e), clamp(c + 516 * d)]
}

/// Planar Y, U, V (each chroma plane `cw` samples a row, sampled at `(x / sx, y / sy)`) to a frame.
pub(crate) fn planar_yuv(
    width: usize,
    height: usize,
    planes: (&[u8], &[u8], &[u8]),
    chroma: (usize, usize, usize),
) -> Frame {
    let (yp, up, vp) = planes;
    let (columns, sx, sy) = chroma;
    Frame::from_yuv(
        width,
        height,
        yp[..width * height].to_vec(),
        Chroma::Planar { u: up.to_vec(), v: vp.to_vec(), columns, sx, sy },
    )
}
