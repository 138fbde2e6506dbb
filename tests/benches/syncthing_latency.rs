//! How long a file written on one side of a Syncthing pair takes to appear on the other (issue 14's goal: one
//! Syncthing scan plus 2 s): `cargo bench -p twofold-tests --bench syncthing_latency`. Prints figures; never
//! a timed assertion.
//!
//! The pair is `twofold_tests::servers::syncthing::SyncthingPair` (loopback, file watcher with a 1 s delay,
//! full rescan every 5 s). Each sample writes a fresh ~300 KB file on A (temp name, then rename, as the
//! folder sync writes) and polls B every 10 ms until the same bytes are there.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a bench: a failure is a failed run")]

use std::time::{Duration, Instant};

use twofold_tests::servers::syncthing::{FS_WATCHER_DELAY_S, RESCAN_INTERVAL_S, SyncthingPair};

const SAMPLES: u32 = 8;

fn main() {
    let folders = tempfile::tempdir().unwrap();
    let (fa, fb) = (folders.path().join("a"), folders.path().join("b"));
    let Some(pair) = SyncthingPair::start("syncthing_latency bench", &fa, &fb) else { return };
    println!("syncthing pair: start to connected {} ms", pair.start_to_connected.as_millis());
    let mut times = Vec::new();
    for n in 0..SAMPLES {
        let bytes: Vec<u8> =
            (0..300_000u32).map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(n) >> 13) as u8).collect();
        let tmp = fa.join(".twofold.vault.tmp");
        std::fs::write(&tmp, &bytes).unwrap();
        let written = Instant::now();
        std::fs::rename(&tmp, fa.join("twofold.vault")).unwrap();
        loop {
            if std::fs::read(fb.join("twofold.vault")).is_ok_and(|b| b == bytes) {
                break;
            }
            assert!(written.elapsed() < Duration::from_secs(60), "sample {n}: not on B after 60 s");
            std::thread::sleep(Duration::from_millis(10));
        }
        let took = written.elapsed();
        println!("sample {n}: on B after {} ms", took.as_millis());
        times.push(took);
        pair.wait_in_sync(Duration::from_secs(30));
    }
    times.sort();
    println!(
        "syncthing A -> B: median {} ms, worst {} ms over {SAMPLES} writes (goal: one scan + 2 s; watcher delay {} s, \
         full rescan every {} s, so {} ms with the watcher, {} ms by rescan alone)",
        times[times.len() / 2].as_millis(),
        times[times.len() - 1].as_millis(),
        FS_WATCHER_DELAY_S,
        RESCAN_INTERVAL_S,
        (FS_WATCHER_DELAY_S + 2) * 1000,
        (RESCAN_INTERVAL_S + 2) * 1000
    );
}
