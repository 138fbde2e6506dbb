//! Untrusted frames and image files into the QR decoder: any bytes, any claimed size and stride, must give
//! a result or a `QrError`, never a panic or a hang.
//!
//! Input layout: byte 0 picks the target (even: a raw luma frame, odd: image file bytes); for a frame,
//! bytes 1–2 are the width, 3–4 the height and 5–6 the stride (little endian, kept small so each run stays
//! fast), the rest is the pixel buffer as given, consistent or not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    if selector % 2 == 1 {
        let _ = twofold_core::qr::decode_image_bytes(rest);
        return;
    }
    if rest.len() < 6 {
        return;
    }
    let field = |i: usize| usize::from(u16::from_le_bytes([rest[i], rest[i + 1]]) % 512);
    let (width, height, stride) = (field(0), field(2), field(4));
    let pixels = &rest[6..];
    if let Ok(payloads) = twofold_core::qr::decode_luma(width, height, stride, pixels) {
        for payload in payloads {
            let _ = payload.is_authenticator_link();
        }
    }
});
