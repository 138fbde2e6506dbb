//! One sync round through a folder for a 1,000-account vault, keys cached (issue 14's goal: under 100 ms):
//! `cargo bench -p twofold-core --bench sync`.
//!
//! Two data folders A and B share one sync folder (a temporary folder on the same disk; the sync engine's own
//! time is not in it). Measured, each with its own setup outside the timing:
//! - `round_after_local_edit`: A edited one account (its own save); the round reads and decrypts the copy,
//!   merges, and writes the copy back (seal, temp file, fsync, read back, decrypt, rename, folder fsync);
//! - `round_bringing_a_change_in`: B edited one account and wrote the copy; A's round merges it and saves
//!   its own vault (the copy already holds everything, so it is not written);
//! - `idle_round`: nothing changed: read, decrypt, compare.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a bench: a failure is a failed run")]

mod common;

use std::cell::{Cell, RefCell};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use twofold_core::sync::{FolderSync, SyncKeys};
use twofold_core::vault::{DeviceId, KdfParams, Vault, VaultContents, VaultError, VaultStore};

const N: u32 = 1_000;
const PASSWORD: &str = "bench password";

struct Side {
    vault: Vault,
    keys: SyncKeys,
    sync: FolderSync,
}

fn side(dir: &std::path::Path, shared: &std::path::Path, contents: &VaultContents, device: u128) -> Side {
    std::fs::create_dir_all(dir).unwrap();
    let mut vault = VaultStore::new(dir.join("twofold.vault")).create(PASSWORD, KdfParams::MINIMUM, contents).unwrap();
    vault.set_device(DeviceId(uuid::Uuid::from_u128(device)));
    let keys = SyncKeys::new(&vault, PASSWORD);
    let sync = FolderSync::new(shared, vault.store().path()).unwrap();
    Side { vault, keys, sync }
}

fn edit(s: &mut Side, n: u64) {
    s.vault
        .update(|c| -> Result<(), VaultError> {
            let i = (n % u64::from(N)) as usize;
            c.accounts[i].note = format!("edit {n}");
            Ok(())
        })
        .unwrap();
}

fn bench(c: &mut Criterion) {
    let root = tempfile::tempdir().unwrap();
    let shared = root.path().join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    let mut contents = VaultContents::new();
    contents.accounts = (0..N).map(common::account).collect();
    let mut a = side(&root.path().join("a"), &shared, &contents, 0xA);
    let mut b = side(&root.path().join("b"), &shared, &VaultContents::new(), 0xB);
    a.sync.round(&mut a.vault, &mut a.keys).unwrap();
    b.sync.round(&mut b.vault, &mut b.keys).unwrap();
    a.sync.round(&mut a.vault, &mut a.keys).unwrap();
    assert_eq!(b.vault.contents().accounts.len(), N as usize);

    // Setup and routine both need the sides: criterion takes them as two closures.
    let (a, b) = (RefCell::new(a), RefCell::new(b));
    let round = |s: &RefCell<Side>| {
        let s = &mut *s.borrow_mut();
        s.sync.round(&mut s.vault, &mut s.keys).unwrap()
    };
    let mut group = c.benchmark_group("sync_folder_1000");
    group.sample_size(30);
    let n = Cell::new(0u64);
    group.bench_function("round_after_local_edit", |bench| {
        bench.iter_batched(
            || {
                n.set(n.get() + 1);
                edit(&mut a.borrow_mut(), n.get());
            },
            |()| assert!(round(&a).wrote_copy),
            BatchSize::PerIteration,
        );
    });
    group.bench_function("round_bringing_a_change_in", |bench| {
        bench.iter_batched(
            || {
                n.set(n.get() + 1);
                round(&b);
                edit(&mut b.borrow_mut(), n.get());
                assert!(round(&b).wrote_copy);
            },
            |()| assert_eq!(round(&a).merge.changed.len(), 1),
            BatchSize::PerIteration,
        );
    });
    round(&a);
    group.bench_function("idle_round", |bench| {
        bench.iter(|| assert!(!round(&a).wrote_copy));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
