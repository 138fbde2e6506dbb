//! The `otpauth://` parser on arbitrary text: never panics, and what it reads survives format → parse.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twofold_core::uri;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(parsed) = uri::parse(&text) {
        let link = uri::to_link(&parsed.issuer, &parsed.name, &parsed.secret, &parsed.otp);
        let again = uri::parse(&link).expect("a formatted link parses");
        assert_eq!(again.issuer, parsed.issuer);
        assert_eq!(again.name, parsed.name);
        assert_eq!(again.secret, parsed.secret);
        assert_eq!(again.otp, parsed.otp);
    }
});
