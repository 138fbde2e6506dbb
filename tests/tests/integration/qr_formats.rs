//! Webcam buffers in the formats cameras deliver (YUYV, NV12, MJPEG), built in memory as nokhwa hands them
//! over, run through the camera crate's own conversion (`twofold_camera::convert_buffer`, what the scan
//! loop calls on every frame) and decoded: the payload drawn into the frame must come back. YUYV and NV12
//! luma must be the Y plane byte for byte (no RGB round trip).

use image::ImageEncoder as _;
use twofold_camera::{Buffer, FrameFormat, Resolution, convert_buffer};
use twofold_tests::qr_corpus::{self, Placement};

const LINK: &str = "otpauth://totp/Example:carol%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Example";
const W: usize = 640;
const H: usize = 480;

/// A colour frame (RGB) with `LINK` drawn on a tinted, uneven background, slightly turned.
fn rgb_frame(width: usize, height: usize) -> Vec<u8> {
    let mut luma = qr_corpus::background(width, height, &mut qr_corpus::Rng::new(17));
    let modules = qr_corpus::encode(LINK, 'M').expect("encodes");
    let side = height as f64 * 0.6;
    let at = Placement {
        centre: (width as f64 / 2.0, height as f64 / 2.0),
        side,
        angle: 6.0,
        tilt: 0.05,
        dark: 25,
        light: 225,
    };
    qr_corpus::draw(&mut luma, width, height, &modules, &at);
    // A warm tint, as under a desk lamp: the chroma is not neutral, so a conversion that mixed it into the
    // luma would show.
    luma.iter().flat_map(|&l| [l.saturating_add(20), l, (f64::from(l) * 0.8) as u8]).collect()
}

/// BT.601 limited-range Y, U, V of one RGB pixel, as webcams encode them.
fn yuv(p: &[u8]) -> (u8, u8, u8) {
    let (r, g, b) = (f64::from(p[0]), f64::from(p[1]), f64::from(p[2]));
    let y = 16.0 + (65.738 * r + 129.057 * g + 25.064 * b) / 256.0;
    let u = 128.0 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256.0;
    let v = 128.0 + (112.439 * r - 94.154 * g - 18.285 * b) / 256.0;
    let c = |x: f64| x.round().clamp(0.0, 255.0) as u8;
    (c(y), c(u), c(v))
}

/// The frame's Y plane.
fn y_plane(rgb: &[u8]) -> Vec<u8> {
    rgb.chunks_exact(3).map(|p| yuv(p).0).collect()
}

/// Packed YUYV: `Y0 U Y1 V` per pair of pixels, chroma averaged over the pair. `width` is even.
fn yuyv(rgb: &[u8], width: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgb.len() / 3 * 2);
    for row in rgb.chunks_exact(width * 3) {
        for pair in row.chunks_exact(6) {
            let (y0, u0, v0) = yuv(&pair[..3]);
            let (y1, u1, v1) = yuv(&pair[3..]);
            let avg = |a: u8, b: u8| (u16::from(a) + u16::from(b)).div_ceil(2) as u8;
            out.extend_from_slice(&[y0, avg(u0, u1), y1, avg(v0, v1)]);
        }
    }
    out
}

/// NV12: the Y plane, then one interleaved `U V` pair per 2×2 block. Sides are even.
fn nv12(rgb: &[u8], width: usize, height: usize) -> Vec<u8> {
    let mut out = y_plane(rgb);
    for by in 0..height / 2 {
        for bx in 0..width / 2 {
            let (mut u, mut v) = (0u32, 0u32);
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
                let i = ((2 * by + dy) * width + 2 * bx + dx) * 3;
                let (_, pu, pv) = yuv(&rgb[i..i + 3]);
                u += u32::from(pu);
                v += u32::from(pv);
            }
            out.extend_from_slice(&[((u + 2) / 4) as u8, ((v + 2) / 4) as u8]);
        }
    }
    out
}

/// A baseline JPEG at `quality`, as a webcam's MJPEG stream sends each frame.
fn mjpeg(rgb: &[u8], width: usize, height: usize, quality: u8) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .write_image(rgb, width as u32, height as u32, image::ExtendedColorType::Rgb8)
        .expect("encodes");
    jpeg
}

fn buffer(data: &[u8], format: FrameFormat, width: usize, height: usize) -> Buffer {
    Buffer::new(Resolution::new(width as u32, height as u32), data, format)
}

/// Converts as the scan loop does, decodes, and checks the payload and that a preview can be made.
fn decodes(buffer: &Buffer) -> twofold_camera::Frame {
    let frame = convert_buffer(buffer).expect("the buffer converts");
    let payloads: Vec<String> = frame.decode().iter().map(|p| p.as_str().to_string()).collect();
    assert_eq!(payloads, [LINK], "{:?} frame", buffer.source_frame_format());
    let preview = frame.preview(1).expect("a preview is encoded");
    let image = image::load_from_memory(&preview.jpeg).expect("the preview is a JPEG");
    assert_eq!((image.width(), image.height()), (preview.width, preview.height));
    frame
}

#[test]
fn a_yuyv_buffer_decodes_from_its_y_plane() {
    let rgb = rgb_frame(W, H);
    let frame = decodes(&buffer(&yuyv(&rgb, W), FrameFormat::YUYV, W, H));
    assert!(frame.luma() == y_plane(&rgb).as_slice(), "YUYV luma is the Y plane as it came");
}

#[test]
fn an_nv12_buffer_decodes_from_its_y_plane() {
    let rgb = rgb_frame(W, H);
    let frame = decodes(&buffer(&nv12(&rgb, W, H), FrameFormat::NV12, W, H));
    assert!(frame.luma() == y_plane(&rgb).as_slice(), "NV12 luma is the Y plane as it came");
}

#[test]
fn an_mjpeg_buffer_decodes() {
    let rgb = rgb_frame(W, H);
    decodes(&buffer(&mjpeg(&rgb, W, H, 60), FrameFormat::MJPEG, W, H));
}

#[test]
fn a_720p_nv12_preview_is_halved_and_keeps_its_colour() {
    // A flat orange frame: the preview, computed from the chroma at half size, must still be orange.
    let (w, h) = (1280, 720);
    let rgb: Vec<u8> = std::iter::repeat_n([230u8, 120, 30], w * h).flatten().collect();
    let frame = convert_buffer(&buffer(&nv12(&rgb, w, h), FrameFormat::NV12, w, h)).expect("converts");
    let preview = frame.preview(1).expect("a preview is encoded");
    assert_eq!((preview.width, preview.height), (640, 360));
    let image = image::load_from_memory(&preview.jpeg).expect("JPEG").into_rgb8();
    let p = image.get_pixel(320, 180).0;
    for (got, want) in p.iter().zip([230u8, 120, 30]) {
        assert!(got.abs_diff(want) <= 12, "preview pixel {p:?}, wanted about [230, 120, 30]");
    }
}

#[test]
fn short_and_odd_buffers_are_errors_not_panics() {
    let (w, h) = (33, 17);
    for format in [FrameFormat::YUYV, FrameFormat::NV12, FrameFormat::GRAY, FrameFormat::RAWRGB, FrameFormat::MJPEG] {
        let short = vec![128u8; 40];
        assert!(convert_buffer(&buffer(&short, format, w, h)).is_err(), "{format:?} buffer of 40 bytes");
    }
    // An odd width: YUYV rows are padded to whole pixel pairs, NV12 chroma rounds up; both convert.
    let yuyv_odd = vec![128u8; w.div_ceil(2) * 4 * h];
    let frame = convert_buffer(&buffer(&yuyv_odd, FrameFormat::YUYV, w, h)).expect("odd-width YUYV converts");
    assert_eq!(frame.luma().len(), w * h);
    assert!(frame.preview(1).is_ok());
    let nv12_odd = vec![128u8; w * h + w.div_ceil(2) * 2 * h.div_ceil(2)];
    let frame = convert_buffer(&buffer(&nv12_odd, FrameFormat::NV12, w, h)).expect("odd-size NV12 converts");
    assert!(frame.preview(1).is_ok());
}
