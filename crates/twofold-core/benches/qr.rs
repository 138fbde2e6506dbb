//! Time per frame of `qr::decode_luma`: a clean code (the plain pass alone), an inverted code (the plain pass
//! fails, the second finds it) and a frame with no code at all (every pass runs: what the camera loop pays
//! for most frames). `cargo bench -p twofold-core --bench qr`; the side-by-side comparison with zbar is
//! `cargo run --release -p twofold-tests --bin qr_bench`.

use criterion::{Criterion, criterion_group, criterion_main};
use qrcode::{Color, QrCode};

const LINK: &str = "otpauth://totp/Example:alice%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Example";

/// A mid-grey frame with the code drawn upright in its middle, 60% of the height, with a quiet zone.
fn frame(width: usize, height: usize, inverted: bool, with_code: bool) -> Vec<u8> {
    let (dark, light, background) = if inverted { (230, 25, 60) } else { (25, 230, 140) };
    let mut pixels: Vec<u8> = (0..width * height).map(|i| background + ((i % width + i / width) % 17) as u8).collect();
    if !with_code {
        return pixels;
    }
    let Ok(code) = QrCode::new(LINK) else { return pixels };
    let modules = code.width();
    let colors = code.to_colors();
    let total = modules + 8;
    let scale = height * 6 / 10 / total;
    let (x0, y0) = ((width - total * scale) / 2, (height - total * scale) / 2);
    for y in 0..total * scale {
        for x in 0..total * scale {
            let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
            let is_dark = mx >= 0
                && my >= 0
                && (mx as usize) < modules
                && (my as usize) < modules
                && colors[my as usize * modules + mx as usize] == Color::Dark;
            pixels[(y0 + y) * width + x0 + x] = if is_dark { dark } else { light };
        }
    }
    pixels
}

fn bench(c: &mut Criterion) {
    for (w, h) in [(640, 480), (1280, 720)] {
        for (name, inverted, with_code) in [("plain", false, true), ("inverted", true, true), ("no-code", false, false)]
        {
            let pixels = frame(w, h, inverted, with_code);
            c.bench_function(&format!("decode {name} {w}x{h}"), |b| {
                b.iter(|| twofold_core::qr::decode_luma(w, h, w, std::hint::black_box(&pixels)))
            });
        }
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
