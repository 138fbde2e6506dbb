//! Backup and restore of a 10,000-account vault: `cargo bench -p twofold-core --bench backup`.
//!
//! Argon2 runs at the **minimum** cost (`KdfParams::MINIMUM`: 19 MiB, t = 2, p = 1) so the loop measures the
//! backup work, not the password hardening; at the default cost add one Argon2 run (about half a second) to
//! `open` and to deriving a `BackupKey`. What each figure covers:
//!
//! * `write_verified`: seal with a fresh data key (key derived once, as automatic backups do), write a temp
//!   file, fsync, read back, decrypt, parse and compare, rename, fsync the folder.
//! * `open`: read, Argon2 (minimum), decrypt, parse the 10,000 accounts.
//! * `preview` and `apply_merge`: compare with a vault of 10,000 accounts (half of them duplicates) in
//!   memory; `restore_into_vault`: the same merge through `Vault::update`, i.e. including the vault's own
//!   verified atomic save.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a bench: a failure is a failed run")]

mod common;

use std::hint::black_box;

use common::{NOW, accounts};
use criterion::{Criterion, criterion_group, criterion_main};
use twofold_core::backup::{self, BackupKey, RestoreMode};
use twofold_core::vault::{KdfParams, VaultStore};

const N: usize = 10_000;
const PASSWORD: &str = "bench password";

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let contents = accounts(0..N as u32);
    let key = BackupKey::derive(PASSWORD, KdfParams::MINIMUM).unwrap();
    let path = dir.path().join("bench.twofold-backup");
    let size = {
        backup::write_backup(&path, &contents, &key, NOW).unwrap();
        std::fs::metadata(&path).unwrap().len()
    };
    println!("backup of {N} accounts: {} KiB", size / 1024);

    let mut group = c.benchmark_group("backup_10k");
    group.sample_size(10);
    group.bench_function("write_verified", |b| {
        b.iter(|| backup::write_backup(black_box(&path), black_box(&contents), &key, NOW).unwrap())
    });
    group.bench_function("open", |b| b.iter(|| backup::open_backup(black_box(&path), PASSWORD).unwrap()));

    // A vault sharing half of the backup's accounts (the ids differ, the keys match): 5,000 duplicates.
    let opened = backup::open_backup(&path, PASSWORD).unwrap().contents;
    let vault_contents = accounts(N as u32 / 2..N as u32 + N as u32 / 2);
    group.bench_function("preview", |b| b.iter(|| backup::preview(black_box(&vault_contents), black_box(&opened))));
    group.bench_function("apply_merge", |b| {
        b.iter(|| {
            let mut target = vault_contents.clone();
            backup::apply(&mut target, black_box(&opened), RestoreMode::Merge)
        })
    });
    let store = VaultStore::new(dir.path().join("bench.vault"));
    store.create(PASSWORD, KdfParams::MINIMUM, &vault_contents).unwrap();
    let vault = store.unlock(PASSWORD).unwrap();
    group.bench_function("restore_into_vault", |b| {
        b.iter_batched(
            || {
                // Each iteration restores into the same 10,000-account vault.
                let mut v = vault.clone();
                v.reload().unwrap();
                v.update(|c| -> Result<(), twofold_core::vault::VaultError> {
                    *c = vault_contents.clone();
                    Ok(())
                })
                .unwrap();
                v
            },
            |mut v| backup::restore_into(&mut v, &opened, RestoreMode::Merge).unwrap(),
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
