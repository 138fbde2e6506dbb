//! Untrusted frames and image files into the QR decoder: any bytes, any claimed size and stride, and frames
//! crowded with fake finder patterns, must give a result or a `QrError`, never a panic or a hang.
//!
//! Input layout: byte 0 picks the target (mod 3). 0: a raw luma frame, where bytes 1–2 are the width, 3–4 the
//! height and 5–6 the stride (little endian, kept small so each run stays fast) and the rest is the pixel
//! buffer as given, consistent or not. 1: image file bytes. 2: a 320×240 frame on which every 3 following
//! bytes draw one finder pattern (x, y, module size 1–4), up to thousands of them, the hostile case for the
//! finder search and the grid fitting.
#![no_main]

use libfuzzer_sys::fuzz_target;

const W: usize = 320;
const H: usize = 240;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    match selector % 3 {
        1 => {
            let _ = twofold_core::qr::decode_image_bytes(rest);
        }
        2 => decode(W, H, W, &finder_frame(rest)),
        _ => {
            if rest.len() < 6 {
                return;
            }
            let field = |i: usize| usize::from(u16::from_le_bytes([rest[i], rest[i + 1]]) % 512);
            decode(field(0), field(2), field(4), &rest[6..]);
        }
    }
});

fn decode(width: usize, height: usize, stride: usize, pixels: &[u8]) {
    if let Ok(payloads) = twofold_core::qr::decode_luma(width, height, stride, pixels) {
        for payload in payloads {
            let _ = payload.is_authenticator_link();
        }
    }
}

/// A white frame with a finder pattern (7×7 modules: dark ring, light ring, dark 3×3 core) per 3 input bytes.
fn finder_frame(spec: &[u8]) -> Vec<u8> {
    let mut frame = vec![255u8; W * H];
    for chunk in spec.chunks_exact(3).take(4000) {
        let module = usize::from(chunk[2] % 4) + 1;
        let (x0, y0) = (usize::from(chunk[0]) * W / 256, usize::from(chunk[1]) * H / 256);
        for my in 0..7 {
            for mx in 0..7 {
                let ring = mx.min(my).min(6 - mx).min(6 - my);
                let dark = ring != 1;
                for dy in 0..module {
                    for dx in 0..module {
                        let (x, y) = (x0 + mx * module + dx, y0 + my * module + dy);
                        if x < W && y < H {
                            frame[y * W + x] = if dark { 0 } else { 255 };
                        }
                    }
                }
            }
        }
    }
    frame
}
