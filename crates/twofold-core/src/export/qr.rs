//! QR codes for exports: encode a text into a module matrix, draw it as SVG or PNG, and read it back.
//!
//! Encoding uses the `qrcode` crate at error-correction level M. We draw the SVG ourselves (one `<path>` of
//! horizontal runs, a 4-module quiet zone) so that an export can be **read back from its own bytes**: the
//! path is parsed into the matrix again and decoded with `rqrr`, which proves the image in the file holds
//! the intended text.

use std::fmt::Write as _;

use zeroize::Zeroizing;

use super::ExportError;

/// White border around a code, in modules, as ISO/IEC 18004 asks.
const QUIET_ZONE: usize = 4;
/// Largest matrix we draw or parse: version 40 is 177 modules wide.
const MAX_SIZE: usize = 177;

/// A QR code's modules, `true` = dark, row by row.
#[derive(Clone, PartialEq, Eq)]
pub struct QrMatrix {
    size: usize,
    dark: Zeroizing<Vec<bool>>,
}

impl std::fmt::Debug for QrMatrix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "QrMatrix({0}x{0})", self.size)
    }
}

impl QrMatrix {
    /// Encodes `text` (error-correction level M).
    pub fn encode(text: &str) -> Result<Self, ExportError> {
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
            .map_err(|_| ExportError::QrTooLong { len: text.len() })?;
        let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
        Ok(Self { size: code.width(), dark: Zeroizing::new(dark) })
    }

    /// Modules per side (without the quiet zone).
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether the module at column `x`, row `y` is dark.
    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.size && y < self.size && self.dark[y * self.size + x]
    }

    /// A standalone SVG of `px` CSS pixels per side, quiet zone included. `label` becomes its accessible name.
    pub fn to_svg(&self, px: u32, label: &str) -> Zeroizing<String> {
        let side = self.size + 2 * QUIET_ZONE;
        let mut svg = Zeroizing::new(String::with_capacity(64 + self.size * self.size * 4));
        // Writing to a String cannot fail.
        let _ = write!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" aria-label=\"{}\" \
             data-modules=\"{}\" viewBox=\"0 0 {side} {side}\" width=\"{px}\" height=\"{px}\" \
             shape-rendering=\"crispEdges\"><rect width=\"{side}\" height=\"{side}\" fill=\"#fff\"/>\
             <path fill=\"#000\" d=\"",
            html_escape(label),
            self.size
        );
        for y in 0..self.size {
            let mut x = 0;
            while x < self.size {
                if !self.is_dark(x, y) {
                    x += 1;
                    continue;
                }
                let start = x;
                while x < self.size && self.is_dark(x, y) {
                    x += 1;
                }
                let run = x - start;
                let _ = write!(svg, "M{} {}h{run}v1h-{run}z", start + QUIET_ZONE, y + QUIET_ZONE);
            }
        }
        svg.push_str("\"/></svg>");
        svg
    }

    /// A greyscale PNG with `scale` pixels per module, quiet zone included.
    pub fn to_png(&self, scale: u32) -> Result<Zeroizing<Vec<u8>>, ExportError> {
        let scale = usize::try_from(scale.clamp(1, 64)).map_err(|_| ExportError::Image)?;
        let side = (self.size + 2 * QUIET_ZONE) * scale;
        let pixels = self.raster(scale);
        let mut out = Zeroizing::new(Vec::new());
        let side32 = u32::try_from(side).map_err(|_| ExportError::Image)?;
        let mut encoder = png::Encoder::new(&mut *out, side32, side32);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|_| ExportError::Image)?;
        writer.write_image_data(&pixels).map_err(|_| ExportError::Image)?;
        writer.finish().map_err(|_| ExportError::Image)?;
        Ok(out)
    }

    /// Greyscale pixels (0 = black, 255 = white), `scale` per module, quiet zone included, row by row.
    pub fn raster(&self, scale: usize) -> Zeroizing<Vec<u8>> {
        let side = (self.size + 2 * QUIET_ZONE) * scale;
        let mut pixels = Zeroizing::new(vec![255u8; side * side]);
        for py in 0..side {
            for px in 0..side {
                let (mx, my) = ((px / scale).wrapping_sub(QUIET_ZONE), (py / scale).wrapping_sub(QUIET_ZONE));
                if self.is_dark(mx, my) {
                    pixels[py * side + px] = 0;
                }
            }
        }
        pixels
    }

    /// The text the modules hold, decoded by `rqrr` (error correction included).
    pub fn decode(&self) -> Result<Zeroizing<String>, ExportError> {
        let grid = rqrr::Grid::new(self);
        let (_, text) = grid.decode().map_err(|e| super::unreadable(format!("a QR code does not decode ({e})")))?;
        Ok(Zeroizing::new(text))
    }

    /// Reads back an SVG written by [`to_svg`](QrMatrix::to_svg) (and nothing else).
    pub fn from_svg(svg: &str) -> Result<Self, ExportError> {
        let bad = |what: &str| super::unreadable(format!("a QR code image cannot be read back ({what})"));
        let size: usize =
            attribute(svg, "data-modules").ok_or_else(|| bad("no size"))?.parse().map_err(|_| bad("size"))?;
        if size == 0 || size > MAX_SIZE {
            return Err(bad("size out of range"));
        }
        let path_start = svg.find("<path").ok_or_else(|| bad("no path"))?;
        let d = attribute(&svg[path_start..], "d").ok_or_else(|| bad("no path data"))?;
        let mut dark = Zeroizing::new(vec![false; size * size]);
        for segment in d.split('z').filter(|s| !s.is_empty()) {
            let numbers = segment
                .strip_prefix('M')
                .and_then(|s| {
                    let (xy, rest) = s.split_once('h')?;
                    let (x, y) = xy.split_once(' ')?;
                    let (run, rest) = rest.split_once("v1h-")?;
                    Some((x.parse::<usize>().ok()?, y.parse::<usize>().ok()?, run.parse::<usize>().ok()?, rest))
                })
                .ok_or_else(|| bad("path syntax"))?;
            let (x, y, run, back) = numbers;
            if back.parse::<usize>().ok() != Some(run) || run == 0 {
                return Err(bad("path syntax"));
            }
            let (x, y) = (
                x.checked_sub(QUIET_ZONE).ok_or_else(|| bad("path range"))?,
                y.checked_sub(QUIET_ZONE).ok_or_else(|| bad("path range"))?,
            );
            if y >= size || x + run > size {
                return Err(bad("path range"));
            }
            dark[y * size + x..y * size + x + run].iter_mut().for_each(|m| *m = true);
        }
        Ok(Self { size, dark })
    }
}

impl rqrr::BitGrid for &QrMatrix {
    fn size(&self) -> usize {
        self.size
    }

    fn bit(&self, y: usize, x: usize) -> bool {
        self.is_dark(x, y)
    }
}

/// The value of `name="…"` in the first tag of `text`.
fn attribute<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let tag_end = text.find('>')?;
    let tag = &text[..tag_end];
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Escapes text for HTML content and attribute values.
pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_reads_back_to_the_same_matrix_and_text() {
        let text = "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&issuer=A";
        let qr = QrMatrix::encode(text).unwrap();
        let svg = qr.to_svg(200, "A <b> & \"c\"");
        assert!(svg.contains("aria-label=\"A &lt;b&gt; &amp; &quot;c&quot;\""));
        let back = QrMatrix::from_svg(&svg).unwrap();
        assert_eq!(back, qr);
        assert_eq!(back.decode().unwrap().as_str(), text);
    }

    #[test]
    fn png_is_a_png_of_the_right_size() {
        let qr = QrMatrix::encode("hello").unwrap();
        let png = qr.to_png(3).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let side = u32::try_from((qr.size() + 8) * 3).unwrap();
        assert_eq!(&png[16..24], [side.to_be_bytes(), side.to_be_bytes()].concat().as_slice());
    }

    #[test]
    fn too_long_text_is_a_clear_error() {
        let text = "x".repeat(5000);
        assert_eq!(QrMatrix::encode(&text).unwrap_err(), ExportError::QrTooLong { len: 5000 });
    }

    #[test]
    fn damaged_svg_is_refused() {
        let svg = QrMatrix::encode("hello").unwrap().to_svg(100, "x");
        assert!(QrMatrix::from_svg(&svg.replace("data-modules=\"21\"", "data-modules=\"999\"")).is_err());
        assert!(QrMatrix::from_svg(&svg.replacen("v1h-", "v1q-", 1)).is_err());
        assert!(QrMatrix::from_svg("<svg>").is_err());
    }
}
