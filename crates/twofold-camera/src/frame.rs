//! One captured picture in the two forms the scan loop needs: luma for the decoder, colour for the preview.

use image::ImageEncoder as _;

/// The widest preview sent to the UI; wider frames are halved (box filter) before encoding.
pub const PREVIEW_MAX_WIDTH: usize = 640;

/// One captured picture: `luma` is tightly packed (`width × height`), `rgb` (when the source has colour) is
/// `width × height × 3`.
pub(crate) struct Frame {
    pub width: usize,
    pub height: usize,
    pub luma: Vec<u8>,
    pub rgb: Option<Vec<u8>>,
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
    pub fn from_rgb(width: usize, height: usize, rgb: Vec<u8>) -> Self {
        let luma = rgb
            .chunks_exact(3)
            .map(|p| ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8) as u8)
            .collect();
        Self { width, height, luma, rgb: Some(rgb) }
    }

    pub fn from_luma(width: usize, height: usize, luma: Vec<u8>) -> Self {
        Self { width, height, luma, rgb: None }
    }

    /// Encodes the preview JPEG (quality 70), halving frames wider than [`PREVIEW_MAX_WIDTH`].
    pub fn preview(&self, sequence: u64) -> Result<PreviewFrame, image::ImageError> {
        let (channels, pixels) = match &self.rgb {
            Some(rgb) => (3, rgb.as_slice()),
            None => (1, self.luma.as_slice()),
        };
        let halved;
        let (width, height, pixels) = if self.width > PREVIEW_MAX_WIDTH && self.height >= 2 {
            halved = halve(self.width, self.height, channels, pixels);
            (self.width / 2, self.height / 2, halved.as_slice())
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

/// Planar Y, U, V (each chroma plane `cw × ch`, sampled at `(x / sx, y / sy)`) to a frame.
pub(crate) fn planar_yuv(
    width: usize,
    height: usize,
    planes: (&[u8], &[u8], &[u8]),
    chroma: (usize, usize, usize),
) -> Frame {
    let (yp, up, vp) = planes;
    let (cw, sx, sy) = chroma;
    let mut rgb = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        for x in 0..width {
            let ci = (y / sy) * cw + x / sx;
            rgb.extend_from_slice(&yuv_to_rgb(yp[y * width + x], up[ci], vp[ci]));
        }
    }
    Frame { width, height, luma: yp[..width * height].to_vec(), rgb: Some(rgb) }
}
