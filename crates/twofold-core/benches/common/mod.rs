//! The sample accounts the core's benches share (`mod common;`), so that "a 1,000-account vault" means the
//! same vault in every figure: account `i` always has the same key, names, note and group.

#![allow(dead_code, reason = "each bench uses part of it")]

use twofold_core::vault::VaultContents;
use twofold_core::{Account, OtpParams, Secret};

/// The allocator of the shipped binaries (`twofold`, `twofold-cli`), so these figures are theirs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The accounts' creation time.
pub const NOW: i64 = 1_700_000_000;

/// Sample account `i`: a 20-byte key of its own, `user{i}@example.com` at "Example Issuer", a short note, the
/// group "work". Its id is random (as `Account::new` makes it); benches that need fixed ids set them.
pub fn account(i: u32) -> Account {
    let mut secret: Vec<u8> = vec![0x42; 16];
    secret.extend_from_slice(&i.to_be_bytes());
    let secret = Secret::from_bytes(secret).unwrap();
    let mut a = Account::new("Example Issuer", format!("user{i}@example.com"), secret, OtpParams::default_totp(), NOW);
    a.note = String::from("a short note");
    a.groups = vec![String::from("work")];
    a
}

/// A vault holding sample accounts `range`.
pub fn accounts(range: std::ops::Range<u32>) -> VaultContents {
    let mut contents = VaultContents::new();
    contents.accounts = range.map(account).collect();
    contents
}
