//! Custom account icons (issue 19): a picture the person chose, or one an import carried, made into a small
//! PNG that the vault stores with the account.
//!
//! Whatever comes in (PNG, JPEG, WebP, GIF or SVG) is decoded here and encoded again as a PNG of at most
//! [`MAX_SIDE`] pixels a side, so the page only ever shows a PNG we wrote. SVG is rasterised with `resvg`
//! (no scripts, no text, no external files: the features that could read another file are off) and never
//! reaches the webview as markup. Decoding is bounded: the input size ([`MAX_INPUT`]), the decoded image's
//! dimensions and memory (`image::Limits`), and the SVG's canvas.

use std::fmt;
use std::io::Cursor;

/// The largest side of a stored icon, in pixels (cards show icons at 40 px; 128 covers 3× screens).
pub const MAX_SIDE: u32 = 128;
/// The largest picture file read (a phone's full-size photo fits; anything larger is refused before decoding).
pub const MAX_INPUT: usize = 8 << 20;
/// The largest stored icon accepted from a vault or a sync copy: a 128 px PNG is far below it.
pub const MAX_STORED: usize = 256 << 10;
/// The largest picture decoded, per side, and the memory its decoder may take.
const MAX_DECODED_SIDE: u32 = 8192;
const MAX_DECODE_ALLOC: u64 = 128 << 20;
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// A stored icon: PNG bytes, at most [`MAX_SIDE`] pixels a side when we made it.
#[derive(Clone, PartialEq, Eq)]
pub struct Icon {
    png: Vec<u8>,
}

impl fmt::Debug for Icon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Icon({} bytes of PNG)", self.png.len())
    }
}

/// Why a picture cannot be an icon. The texts name the problem, never the file's contents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IconError {
    #[error("the picture is larger than {} MiB", MAX_INPUT >> 20)]
    TooLarge,
    #[error("the picture is not a PNG, JPEG, WebP, GIF or SVG image")]
    Unsupported,
    /// Damaged, or an SVG without a size; the text is the decoder's own (English) words, for logs only.
    #[error("the picture could not be read: {0}")]
    Unreadable(String),
    #[error("the picture is too large to decode (over {MAX_DECODED_SIDE} pixels a side)")]
    TooManyPixels,
    #[error("the stored icon is not a PNG of at most {} KiB", MAX_STORED >> 10)]
    NotStoredPng,
}

impl Icon {
    /// Makes an icon from a picture file's bytes: decoded, scaled down to fit [`MAX_SIDE`] (never up), and
    /// encoded as PNG. `svg_hint` says the file was named or typed as SVG (an SVG has no magic number).
    pub fn from_picture(bytes: &[u8], svg_hint: bool) -> Result<Icon, IconError> {
        if bytes.len() > MAX_INPUT {
            return Err(IconError::TooLarge);
        }
        match image::guess_format(bytes) {
            Ok(format) if !svg_hint || !looks_like_svg(bytes) => raster(bytes, format),
            _ if looks_like_svg(bytes) => svg(bytes),
            _ => Err(IconError::Unsupported),
        }
    }

    /// An icon read back from a vault, a backup or a sync copy: only checked to be a PNG within
    /// [`MAX_STORED`] (it was made by [`Icon::from_picture`]; a hostile copy gets no further than a small PNG,
    /// which the page decodes as an image and nothing else).
    pub fn from_stored_png(png: Vec<u8>) -> Result<Icon, IconError> {
        if png.len() > MAX_STORED || !png.starts_with(PNG_SIGNATURE) {
            return Err(IconError::NotStoredPng);
        }
        Ok(Icon { png })
    }

    /// The PNG bytes.
    pub fn png(&self) -> &[u8] {
        &self.png
    }

    /// The PNG as base64 (the vault's and Aegis's `icon` field).
    pub fn to_base64(&self) -> String {
        data_encoding::BASE64.encode(&self.png)
    }

    /// A `data:` URL of the PNG, for an `<img>` in the page (the CSP allows `data:` images only).
    pub fn data_url(&self) -> String {
        format!("data:image/png;base64,{}", self.to_base64())
    }
}

/// An SVG file starts, after an optional byte-order mark and white space, with `<` (`<?xml`, `<svg`, a
/// comment or a doctype), and says `<svg` early on; a compressed `.svgz` is not accepted.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(text.len());
    let head = &text[start..text.len().min(start + 4096)];
    head.starts_with(b"<") && head.windows(4).any(|w| w.eq_ignore_ascii_case(b"<svg"))
}

fn raster(bytes: &[u8], format: image::ImageFormat) -> Result<Icon, IconError> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let picture = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => IconError::TooManyPixels,
        image::ImageError::Unsupported(_) => IconError::Unsupported,
        other => IconError::Unreadable(other.to_string()),
    })?;
    let picture = if picture.width() > MAX_SIDE || picture.height() > MAX_SIDE {
        picture.resize(MAX_SIDE, MAX_SIDE, image::imageops::FilterType::Lanczos3)
    } else {
        picture
    };
    let mut png = Vec::new();
    picture
        .to_rgba8()
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .map_err(|e| IconError::Unreadable(e.to_string()))?;
    Ok(Icon { png })
}

fn svg(bytes: &[u8]) -> Result<Icon, IconError> {
    use resvg::{tiny_skia, usvg};
    let tree =
        usvg::Tree::from_data(bytes, &usvg::Options::default()).map_err(|e| IconError::Unreadable(e.to_string()))?;
    let size = tree.size();
    let (w, h) = (size.width(), size.height());
    if !(w.is_finite() && h.is_finite()) || w <= 0.0 || h <= 0.0 {
        return Err(IconError::Unreadable(String::from("the SVG has no size")));
    }
    // Fit the longer side to MAX_SIDE (an icon drawn small is scaled up: it is a drawing, not pixels).
    let scale = MAX_SIDE as f32 / w.max(h);
    let side = |v: f32| ((v * scale).round() as u32).clamp(1, MAX_SIDE);
    let mut pixmap = tiny_skia::Pixmap::new(side(w), side(h))
        .ok_or_else(|| IconError::Unreadable(String::from("the SVG has no size")))?;
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let png = pixmap.encode_png().map_err(|e| IconError::Unreadable(e.to_string()))?;
    Ok(Icon { png })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(icon: &Icon) -> image::DynamicImage {
        image::load_from_memory_with_format(icon.png(), image::ImageFormat::Png).unwrap()
    }

    fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
        let picture =
            image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut out = Vec::new();
        picture.write_to(&mut Cursor::new(&mut out), format).unwrap();
        out
    }

    #[test]
    fn every_raster_format_becomes_a_png_that_fits_128_pixels() {
        for format in
            [image::ImageFormat::Png, image::ImageFormat::Jpeg, image::ImageFormat::WebP, image::ImageFormat::Gif]
        {
            let icon = Icon::from_picture(&encoded(512, 256, format), false).unwrap();
            assert!(icon.png().starts_with(PNG_SIGNATURE), "{format:?}");
            let back = decoded(&icon);
            assert_eq!((back.width(), back.height()), (128, 64), "{format:?}: scaled to fit, aspect kept");
        }
        let small = Icon::from_picture(&encoded(32, 32, image::ImageFormat::Png), false).unwrap();
        assert_eq!(decoded(&small).width(), 32, "a small picture is never scaled up");
    }

    #[test]
    fn svg_is_rasterised_and_scripts_and_external_files_are_not_followed() {
        let svg = br##"<?xml version="1.0"?>
            <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 24 12">
              <script>alert(1)</script>
              <image xlink:href="file:///etc/passwd" width="24" height="12"/>
              <rect width="24" height="12" fill="#ff0000"/>
            </svg>"##;
        let icon = Icon::from_picture(svg, true).unwrap();
        let back = decoded(&icon).to_rgba8();
        assert_eq!(back.dimensions(), (128, 64));
        assert_eq!(back.get_pixel(64, 32).0, [255, 0, 0, 255]);
        // Found without the hint too (an SVG has no magic number, but its start says what it is).
        assert!(Icon::from_picture(svg, false).is_ok());
    }

    #[test]
    fn bad_pictures_are_refused_with_a_reason() {
        assert_eq!(Icon::from_picture(b"hello", false), Err(IconError::Unsupported));
        assert_eq!(Icon::from_picture(&vec![0; MAX_INPUT + 1], false), Err(IconError::TooLarge));
        let mut truncated = encoded(64, 64, image::ImageFormat::Png);
        truncated.truncate(60);
        assert!(matches!(Icon::from_picture(&truncated, false), Err(IconError::Unreadable(_))));
        assert!(matches!(Icon::from_picture(b"<svg", true), Err(IconError::Unreadable(_))));
        assert!(matches!(
            Icon::from_picture(br#"<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>"#, true),
            Err(IconError::Unreadable(_))
        ));
    }

    /// A PNG header claiming 100,000 × 100,000 pixels (a decompression bomb) is refused before decoding.
    #[test]
    fn a_picture_claiming_huge_dimensions_is_refused_before_decoding() {
        let mut png = encoded(1, 1, image::ImageFormat::Png);
        // IHDR's width and height follow the signature (8), the chunk length (4) and type (4).
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let result = Icon::from_picture(&png, false);
        assert!(matches!(result, Err(IconError::TooManyPixels) | Err(IconError::Unreadable(_))), "{result:?}");
    }

    #[test]
    fn stored_icons_are_checked_and_never_print_their_bytes() {
        let icon = Icon::from_picture(&encoded(8, 8, image::ImageFormat::Png), false).unwrap();
        assert_eq!(Icon::from_stored_png(icon.png().to_vec()).unwrap(), icon);
        assert_eq!(Icon::from_stored_png(b"GIF89a".to_vec()), Err(IconError::NotStoredPng));
        let mut huge = PNG_SIGNATURE.to_vec();
        huge.resize(MAX_STORED + 1, 0);
        assert_eq!(Icon::from_stored_png(huge), Err(IconError::NotStoredPng));
        assert!(format!("{icon:?}").starts_with("Icon("));
        assert!(icon.data_url().starts_with("data:image/png;base64,iVBORw0KGgo"));
    }
}
