//! Generated QR frames for the decoding tests and the side-by-side benchmark against `zbarimg`.
//!
//! Each [`Damage`] is one kind of hard frame a webcam or a screenshot produces. Frames are rendered from a
//! QR module matrix (crate `qrcode`) through a perspective mapping with 4× supersampling onto an uneven
//! background, then damaged. Everything is deterministic in the seed (a small xorshift generator), so a
//! failing frame can be regenerated and looked at.

use qrcode::{Color, EcLevel, QrCode};

/// A kind of damage; each sample is one code unless the kind says otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Damage {
    /// Upright, sharp, full contrast.
    Plain,
    /// Turned by 20–70 degrees.
    Rotated,
    /// Seen at an angle: the far side up to a quarter shorter, plus a small turn.
    Perspective,
    /// Out of focus: Gaussian blur, σ of about a third of a module.
    Blurred,
    /// Sensor noise: Gaussian, σ = 40 grey levels.
    Noisy,
    /// A dim, washed-out picture: dark and light 36 grey levels apart, with slight noise.
    LowContrast,
    /// Light modules on a dark background (dark-mode screens).
    Inverted,
    /// A Google Authenticator transfer code of about 1.2 KB, slightly turned.
    Dense,
    /// Three codes side by side; expected in reading order.
    Several,
    /// The whole frame seen at an angle (keystone): two corners of one side moved towards each other by 6%
    /// of the frame width each. See [`Damage::keystone`] for the mix of payloads, axes and formats.
    Keystone6,
    /// The same with the corners moved by 12% of the frame width.
    Keystone12,
    /// The same with the corners moved by 18% of the frame width.
    Keystone18,
}

impl Damage {
    /// Every kind, in the order tables print them.
    pub const ALL: [Damage; 12] = [
        Damage::Plain,
        Damage::Rotated,
        Damage::Perspective,
        Damage::Blurred,
        Damage::Noisy,
        Damage::LowContrast,
        Damage::Inverted,
        Damage::Dense,
        Damage::Several,
        Damage::Keystone6,
        Damage::Keystone12,
        Damage::Keystone18,
    ];

    /// A short name for tables and file names.
    pub fn name(self) -> &'static str {
        match self {
            Damage::Plain => "plain",
            Damage::Rotated => "rotated",
            Damage::Perspective => "perspective",
            Damage::Blurred => "blurred",
            Damage::Noisy => "noisy",
            Damage::LowContrast => "low-contrast",
            Damage::Inverted => "inverted",
            Damage::Dense => "dense",
            Damage::Several => "several",
            Damage::Keystone6 => "keystone-6",
            Damage::Keystone12 => "keystone-12",
            Damage::Keystone18 => "keystone-18",
        }
    }

    /// For the keystone kinds, how far the corners move, as a fraction of the frame width.
    ///
    /// Each keystone frame is a phone held in front of a webcam: a code filling 45–75% of the short side,
    /// turned by up to 5°, then the whole frame warped so that one side shrinks. The seed picks the mix, so
    /// every 12 consecutive seeds hold each combination: odd seeds carry a dense code (an
    /// `otpauth-migration://` batch of 250–420 bytes at level L), even seeds a sparse one (an `otpauth://`
    /// link at level M); seeds 2–3 of every 4 are saved as JPEG at quality 35–85 and read back; and by
    /// `seed / 4 % 3` the warp is horizontal (top or bottom edge shorter), vertical (left or right edge
    /// shorter), or both at once (the second axis at half strength).
    pub fn keystone(self) -> Option<f64> {
        match self {
            Damage::Keystone6 => Some(0.06),
            Damage::Keystone12 => Some(0.12),
            Damage::Keystone18 => Some(0.18),
            _ => None,
        }
    }
}

/// One generated frame: tightly packed luma (`stride == width`) and the payloads it shows, in reading order.
#[derive(Clone)]
pub struct Sample {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
    pub expected: Vec<String>,
}

/// A small deterministic generator (xorshift64*), so the corpus needs no `rand`.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = self.range(f64::MIN_POSITIVE, 1.0);
        let v = self.range(0.0, 1.0);
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// A typical setup link with a random 160-bit secret.
pub fn otpauth_link(rng: &mut Rng) -> String {
    let secret: String = (0..32).map(|_| BASE32[(rng.next_u64() % 32) as usize] as char).collect();
    let user = rng.next_u64() % 10_000;
    format!("otpauth://totp/Example:user{user}%40example.com?secret={secret}&issuer=Example&digits=6&period=30")
}

/// A Google Authenticator transfer link whose base64 data is `data_len` characters (URL-escaped as Google
/// does), so its payload is a little longer than that.
pub fn migration_link(rng: &mut Rng, data_len: usize) -> String {
    let mut link = String::from("otpauth-migration://offline?data=");
    for _ in 0..data_len {
        match BASE64[(rng.next_u64() % 64) as usize] {
            b'+' => link.push_str("%2B"),
            b'/' => link.push_str("%2F"),
            c => link.push(c as char),
        }
    }
    link.push_str("%3D");
    link
}

/// A module matrix: `size × size`, `true` = dark.
pub struct Modules {
    pub size: usize,
    pub dark: Vec<bool>,
}

/// Encodes a payload at the given error-correction level (`'L'`, `'M'`, `'Q'` or `'H'`).
pub fn encode(payload: &str, level: char) -> Result<Modules, String> {
    let ec = match level {
        'L' => EcLevel::L,
        'M' => EcLevel::M,
        'Q' => EcLevel::Q,
        _ => EcLevel::H,
    };
    let code = QrCode::with_error_correction_level(payload.as_bytes(), ec).map_err(|e| e.to_string())?;
    let size = code.width();
    let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
    Ok(Modules { size, dark })
}

/// A projective map from the unit square to a quadrilateral (Heckbert's square-to-quad), both ways.
struct Homography {
    /// Unit square → image.
    forward: [f64; 9],
    /// Image → unit square.
    inverse: [f64; 9],
}

impl Homography {
    /// `quad` lists the images of (0,0), (1,0), (1,1), (0,1).
    fn square_to_quad(quad: [(f64, f64); 4]) -> Self {
        let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = quad;
        let (dx1, dx2, dx3) = (x1 - x2, x3 - x2, x0 - x1 + x2 - x3);
        let (dy1, dy2, dy3) = (y1 - y2, y3 - y2, y0 - y1 + y2 - y3);
        let det = dx1 * dy2 - dx2 * dy1;
        let g = (dx3 * dy2 - dx2 * dy3) / det;
        let h = (dx1 * dy3 - dx3 * dy1) / det;
        let m = [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1.0];
        // Adjugate: the inverse up to a scale, which the projective division removes.
        let inverse = [
            m[4] * m[8] - m[5] * m[7],
            m[2] * m[7] - m[1] * m[8],
            m[1] * m[5] - m[2] * m[4],
            m[5] * m[6] - m[3] * m[8],
            m[0] * m[8] - m[2] * m[6],
            m[2] * m[3] - m[0] * m[5],
            m[3] * m[7] - m[4] * m[6],
            m[1] * m[6] - m[0] * m[7],
            m[0] * m[4] - m[1] * m[3],
        ];
        Self { forward: m, inverse }
    }

    fn to_image(&self, u: f64, v: f64) -> (f64, f64) {
        let m = &self.forward;
        let w = m[6] * u + m[7] * v + m[8];
        ((m[0] * u + m[1] * v + m[2]) / w, (m[3] * u + m[4] * v + m[5]) / w)
    }

    fn to_unit(&self, x: f64, y: f64) -> (f64, f64) {
        let m = &self.inverse;
        let w = m[6] * x + m[7] * y + m[8];
        ((m[0] * x + m[1] * y + m[2]) / w, (m[3] * x + m[4] * y + m[5]) / w)
    }
}

/// How one code is drawn.
pub struct Placement {
    /// Centre in pixels.
    pub centre: (f64, f64),
    /// Side of the code including its 4-module quiet zone, in pixels.
    pub side: f64,
    /// Turn in degrees, clockwise.
    pub angle: f64,
    /// How much shorter the far (top) edge is than the near one, 0 = none.
    pub tilt: f64,
    /// Grey levels of dark and light modules.
    pub dark: u8,
    pub light: u8,
}

/// An uneven background: a diagonal light gradient with soft blotches, like a desk under a lamp.
pub fn background(width: usize, height: usize, rng: &mut Rng) -> Vec<u8> {
    let (fx, fy) = (rng.range(0.005, 0.02), rng.range(0.005, 0.02));
    let phase = rng.range(0.0, 6.0);
    let mut pixels = Vec::with_capacity(width * height);
    for y in 0..height {
        for x in 0..width {
            let ramp = 90.0 + 60.0 * (x + y) as f64 / (width + height) as f64;
            let blotch = 25.0 * ((x as f64 * fx + phase).sin() * (y as f64 * fy).cos());
            pixels.push((ramp + blotch).clamp(0.0, 255.0) as u8);
        }
    }
    pixels
}

impl Placement {
    /// The corners of the code with its quiet zone: top-left, top-right, bottom-right, bottom-left.
    pub fn quad(&self) -> [(f64, f64); 4] {
        let half = self.side / 2.0;
        let top_half = half * (1.0 - self.tilt);
        let (sin, cos) = self.angle.to_radians().sin_cos();
        let corner = |dx: f64, dy: f64| (self.centre.0 + dx * cos - dy * sin, self.centre.1 + dx * sin + dy * cos);
        [corner(-top_half, -half), corner(top_half, -half), corner(half, half), corner(-half, half)]
    }
}

/// Draws a code (with its quiet zone) into `pixels`.
pub fn draw(pixels: &mut [u8], width: usize, height: usize, modules: &Modules, at: &Placement) {
    draw_quad(pixels, width, height, modules, at.quad(), (at.dark, at.light));
}

/// Draws a code (with its quiet zone) onto the quadrilateral `quad` (top-left, top-right, bottom-right,
/// bottom-left corners), dark and light modules at the grey levels `levels`.
pub fn draw_quad(
    pixels: &mut [u8],
    width: usize,
    height: usize,
    modules: &Modules,
    quad: [(f64, f64); 4],
    (dark_level, light_level): (u8, u8),
) {
    let map = Homography::square_to_quad(quad);
    let xs = quad.map(|p| p.0);
    let ys = quad.map(|p| p.1);
    let min = |v: [f64; 4]| v.iter().copied().fold(f64::INFINITY, f64::min).floor().max(0.0) as usize;
    let max =
        |v: [f64; 4], limit: usize| (v.iter().copied().fold(f64::NEG_INFINITY, f64::max).ceil() as usize).min(limit);
    let (x_lo, x_hi, y_lo, y_hi) = (min(xs), max(xs, width), min(ys), max(ys, height));
    let quiet = 4.0;
    let total = modules.size as f64 + 2.0 * quiet;
    for y in y_lo..y_hi {
        for x in x_lo..x_hi {
            let mut inside = 0u32;
            let mut level = 0u32;
            for (sx, sy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                let (u, v) = map.to_unit(x as f64 + sx, y as f64 + sy);
                if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
                    continue;
                }
                inside += 1;
                let (mx, my) = (u * total - quiet, v * total - quiet);
                let dark = mx >= 0.0
                    && my >= 0.0
                    && (mx as usize) < modules.size
                    && (my as usize) < modules.size
                    && modules.dark[my as usize * modules.size + mx as usize];
                level += u32::from(if dark { dark_level } else { light_level });
            }
            if inside > 0 {
                let pixel = &mut pixels[y * width + x];
                *pixel = ((level + u32::from(*pixel) * (4 - inside)) / 4) as u8;
            }
        }
    }
}

/// Gaussian blur with standard deviation `sigma` (separable, clamped edges).
pub fn gaussian_blur(pixels: &mut [u8], width: usize, height: usize, sigma: f64) {
    let radius = (3.0 * sigma).ceil() as isize;
    let kernel: Vec<f64> = (-radius..=radius).map(|i| (-((i * i) as f64) / (2.0 * sigma * sigma)).exp()).collect();
    let norm: f64 = kernel.iter().sum();
    let mut tmp = vec![0f64; width * height];
    for y in 0..height {
        for x in 0..width {
            let mut acc = 0.0;
            for (k, weight) in kernel.iter().enumerate() {
                let sx = (x as isize + k as isize - radius).clamp(0, width as isize - 1) as usize;
                acc += weight * f64::from(pixels[y * width + sx]);
            }
            tmp[y * width + x] = acc / norm;
        }
    }
    for y in 0..height {
        for x in 0..width {
            let mut acc = 0.0;
            for (k, weight) in kernel.iter().enumerate() {
                let sy = (y as isize + k as isize - radius).clamp(0, height as isize - 1) as usize;
                acc += weight * tmp[sy * width + x];
            }
            pixels[y * width + x] = (acc / norm).round().clamp(0.0, 255.0) as u8;
        }
    }
}

/// Adds Gaussian noise of standard deviation `sigma` grey levels.
pub fn add_noise(pixels: &mut [u8], sigma: f64, rng: &mut Rng) {
    for p in pixels {
        *p = (f64::from(*p) + sigma * rng.normal()).round().clamp(0.0, 255.0) as u8;
    }
}

/// One frame of the given damage at the given size; deterministic in `seed`.
pub fn sample(damage: Damage, width: usize, height: usize, seed: u64) -> Result<Sample, String> {
    let mut rng = Rng::new(seed ^ (damage as u64) << 32);
    let mut pixels = background(width, height, &mut rng);
    let short = width.min(height) as f64;
    let centre = (
        width as f64 / 2.0 + rng.range(-0.1, 0.1) * width as f64,
        height as f64 / 2.0 + rng.range(-0.05, 0.05) * height as f64,
    );
    let mut place = Placement {
        centre,
        side: short * rng.range(0.55, 0.7),
        angle: rng.range(-3.0, 3.0),
        tilt: 0.0,
        dark: rng.range(15.0, 45.0) as u8,
        light: rng.range(200.0, 240.0) as u8,
    };
    let link = otpauth_link(&mut rng);
    let mut expected = vec![link.clone()];
    let modules = encode(&link, 'M')?;
    match damage {
        Damage::Plain | Damage::Blurred | Damage::Noisy => draw(&mut pixels, width, height, &modules, &place),
        Damage::Rotated => {
            place.side = short * 0.6;
            place.angle = rng.range(20.0, 70.0) * if rng.next_u64().is_multiple_of(2) { 1.0 } else { -1.0 };
            draw(&mut pixels, width, height, &modules, &place);
        }
        Damage::Perspective => {
            place.tilt = rng.range(0.12, 0.25);
            place.angle = rng.range(-15.0, 15.0);
            draw(&mut pixels, width, height, &modules, &place);
        }
        Damage::LowContrast => {
            let light = rng.range(140.0, 180.0);
            place.light = light as u8;
            place.dark = (light - 36.0) as u8;
            for p in pixels.iter_mut() {
                *p = (f64::from(*p) * 0.3 + light * 0.6) as u8;
            }
            draw(&mut pixels, width, height, &modules, &place);
        }
        Damage::Inverted => {
            std::mem::swap(&mut place.dark, &mut place.light);
            for p in pixels.iter_mut() {
                *p /= 3;
            }
            draw(&mut pixels, width, height, &modules, &place);
        }
        Damage::Dense => {
            let link = migration_link(&mut rng, 1150);
            let modules = encode(&link, 'L')?;
            place.side = short * 0.94;
            place.centre = (width as f64 / 2.0, height as f64 / 2.0);
            place.angle = rng.range(-2.0, 2.0);
            draw(&mut pixels, width, height, &modules, &place);
            expected = vec![link];
        }
        Damage::Keystone6 | Damage::Keystone12 | Damage::Keystone18 => {
            let shift = damage.keystone().unwrap_or(0.0);
            expected = vec![keystone(&mut pixels, width, height, shift, seed, &mut rng)?];
        }
        Damage::Several => {
            expected.clear();
            let side = (width as f64 / 3.0 - 8.0).min(short * 0.6);
            for i in 0..3 {
                let link = otpauth_link(&mut rng);
                let modules = encode(&link, 'M')?;
                let at = Placement {
                    centre: (width as f64 * (2 * i + 1) as f64 / 6.0, height as f64 / 2.0 + rng.range(-20.0, 20.0)),
                    side,
                    angle: rng.range(-5.0, 5.0),
                    tilt: 0.0,
                    dark: place.dark,
                    light: place.light,
                };
                draw(&mut pixels, width, height, &modules, &at);
                expected.push(link);
            }
        }
    }
    match damage {
        Damage::Blurred => {
            // A third of a module: modules are about side / 49 pixels for these links.
            let module = place.side / 49.0;
            gaussian_blur(&mut pixels, width, height, module * 0.4);
        }
        Damage::Noisy => add_noise(&mut pixels, 40.0, &mut rng),
        Damage::LowContrast => add_noise(&mut pixels, 3.0, &mut rng),
        _ => add_noise(&mut pixels, 2.0, &mut rng),
    }
    if damage.keystone().is_some() && seed % 4 >= 2 {
        let quality = rng.range(35.0, 86.0) as u8;
        pixels = jpeg_round_trip(&pixels, width, height, quality)?;
    }
    Ok(Sample { width, height, pixels, expected })
}

/// Draws one keystone frame's code (see [`Damage::keystone`]) and returns its payload.
fn keystone(
    pixels: &mut [u8],
    width: usize,
    height: usize,
    shift: f64,
    seed: u64,
    rng: &mut Rng,
) -> Result<String, String> {
    let (w, h) = (width as f64, height as f64);
    let short = w.min(h);
    let (payload, level) = if seed % 2 == 1 {
        // 210–360 base64 characters: with the scheme and Google's escapes, 250–420 bytes.
        let len = rng_len(rng, 210, 360);
        (migration_link(rng, len), 'L')
    } else {
        (otpauth_link(rng), 'M')
    };
    let modules = encode(&payload, level)?;
    let place = Placement {
        centre: (w / 2.0 + rng.range(-0.08, 0.08) * w, h / 2.0 + rng.range(-0.05, 0.05) * h),
        side: short * rng.range(0.45, 0.75),
        angle: rng.range(-5.0, 5.0),
        tilt: 0.0,
        dark: rng.range(15.0, 45.0) as u8,
        light: rng.range(200.0, 240.0) as u8,
    };
    // The frame's corners after the warp: `a` moves the ends of the top (or bottom) edge towards each
    // other, `b` those of the left (or right) edge, each by `a` or `b` frame widths.
    let (a, b) = match seed / 4 % 3 {
        0 => (shift, 0.0),
        1 => (0.0, shift),
        _ => (shift, shift / 2.0),
    };
    let (a, b) = (a * w, b * w);
    let top = rng.next_u64().is_multiple_of(2);
    let left = rng.next_u64().is_multiple_of(2);
    let (at, ab) = if top { (a, 0.0) } else { (0.0, a) };
    let (bl, br) = if left { (b, 0.0) } else { (0.0, b) };
    let frame = Homography::square_to_quad([(at, bl), (w - at, br), (w - ab, h - br), (ab, h - bl)]);
    let quad = place.quad().map(|(x, y)| frame.to_image(x / w, y / h));
    draw_quad(pixels, width, height, &modules, quad, (place.dark, place.light));
    Ok(payload)
}

/// A length in `[lo, hi]`.
fn rng_len(rng: &mut Rng, lo: usize, hi: usize) -> usize {
    lo + (rng.next_u64() % (hi - lo + 1) as u64) as usize
}

/// The frame saved as a JPEG at `quality` and decoded again (blocking and ringing, as a webcam's MJPEG).
pub fn jpeg_round_trip(pixels: &[u8], width: usize, height: usize, quality: u8) -> Result<Vec<u8>, String> {
    use image::ImageEncoder as _;
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .write_image(pixels, width as u32, height as u32, image::ExtendedColorType::L8)
        .map_err(|e| e.to_string())?;
    let image = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).map_err(|e| e.to_string())?;
    Ok(image.into_luma8().into_raw())
}

/// Writes a sample as a PNG (for `zbarimg`, and to look at a frame that fails).
pub fn write_png(sample: &Sample, path: &std::path::Path) -> Result<(), String> {
    image::save_buffer(path, &sample.pixels, sample.width as u32, sample.height as u32, image::ExtendedColorType::L8)
        .map_err(|e| e.to_string())
}
