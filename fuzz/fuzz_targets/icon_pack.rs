//! Fuzz the icon pack reader (`twofold_core::iconpack::parse`): the ZIP directory, entry names, `pack.json`,
//! the size and ratio limits and the icon decoders behind them. Never a panic, never a large allocation.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = twofold_core::iconpack::parse(data);
});
