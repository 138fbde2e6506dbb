//! Fuzz the vault reader: header parsing, every length and range check, payload authentication and the
//! payload JSON parser. Never a panic, never a large allocation.
//!
//! The input is used twice: as a whole vault file opened with a fixed data key (no Argon2 run, so the fuzzer
//! stays fast and reaches the payload code when it finds a valid checksum), and as a payload JSON document.

#![no_main]

use libfuzzer_sys::fuzz_target;
use twofold_core::vault::VaultContents;
use twofold_core::vault::format::{self, DataKey, Header};

fuzz_target!(|data: &[u8]| {
    let key = DataKey::from_bytes([0x42; 32]);
    let _ = Header::parse(data);
    let _ = format::open_with_key(data, &key);
    let _ = VaultContents::from_json(data);
});
