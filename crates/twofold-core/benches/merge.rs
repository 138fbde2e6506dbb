//! The merge of two copies of a 10,000-account vault that differ in 1,000 accounts (issue 14's goal: under
//! 20 ms): `cargo bench -p twofold-core --bench merge`.
//!
//! Theirs is ours with 400 accounts edited later (newer stamps, other notes, HOTP-free), 300 accounts deleted
//! (absent, with tombstones) and 300 accounts added. Measured: `sync::merge` alone, in memory (no file, no
//! KDF), which is what a sync round adds to reading and writing the vault.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a bench: a failure is a failed run")]

mod common;

use std::hint::black_box;

use common::NOW;
use criterion::{Criterion, criterion_group, criterion_main};
use twofold_core::Account;
use twofold_core::sync;
use twofold_core::vault::VaultContents;

const N: u32 = 10_000;

/// Sample account `i` with a fixed id and manual order, so that both copies name it the same way.
fn account(i: u32) -> Account {
    let mut a = common::account(i);
    a.id = twofold_core::AccountId(uuid::Uuid::from_u128(u128::from(i) + 1));
    a.order = i64::from(i);
    a
}

/// Ours (accounts `0..N`) and theirs (400 edited, 300 deleted with tombstones, 300 added).
fn copies() -> (VaultContents, VaultContents) {
    let mut ours = VaultContents::new();
    ours.accounts = (0..N).map(account).collect();
    let mut theirs = VaultContents::new();
    theirs.accounts = (0..N)
        .filter(|i| !(1_000..1_300).contains(i))
        .map(|i| {
            let mut a = account(i);
            if i < 400 {
                a.note = String::from("edited on the other computer");
                a.updated = NOW + 60;
            }
            a
        })
        .chain((N..N + 300).map(account))
        .collect();
    // Tombstones go in through the payload JSON, as another computer's file would carry them.
    let mut json: serde_json::Value = serde_json::from_slice(&theirs.to_json().unwrap()).unwrap();
    json["deleted"] = (1_000..1_300u32)
        .map(|i| {
            serde_json::json!({
                "id": uuid::Uuid::from_u128(u128::from(i) + 1).to_string(),
                "stamp": {"time": (NOW + 30) * 1000, "count": 0, "device": uuid::Uuid::from_u128(7).to_string()},
            })
        })
        .collect();
    let theirs = VaultContents::from_json(&serde_json::to_vec(&json).unwrap()).unwrap();
    (ours, theirs)
}

fn bench(c: &mut Criterion) {
    let (ours, theirs) = copies();
    // Ours as another computer's file would hold it: the same accounts, read from JSON into memory of its own
    // (`identical` merges a copy with itself, which compares each account with itself).
    let copy = VaultContents::from_json(&ours.to_json().unwrap()).unwrap();
    let (merged, report) = sync::merge(&ours, &theirs);
    assert_eq!((report.added.len(), report.changed.len(), report.removed.len()), (300, 400, 300));
    assert_eq!(merged.accounts.len(), N as usize);
    let mut group = c.benchmark_group("merge_10k");
    group.sample_size(20);
    group.bench_function("differ_in_1000", |b| b.iter(|| black_box(sync::merge(black_box(&ours), black_box(&theirs)))));
    group.bench_function("identical", |b| b.iter(|| black_box(sync::merge(black_box(&ours), black_box(&ours)))));
    group.bench_function("identical_parsed", |b| b.iter(|| black_box(sync::merge(black_box(&ours), black_box(&copy)))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
