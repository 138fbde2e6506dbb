//! One WebDAV sync round of a 1,000-account vault on loopback (issue 14's goal: under 150 ms):
//! `cargo bench -p twofold-tests --bench webdav_round`.
//!
//! The file is a real sealed vault (1,000 accounts, minimum KDF; the Argon2 run is outside the measurement,
//! as the app derives the key once per unlock). A round is `twofold_core::sync::webdav::round`: GET with
//! ETag, PUT with If-Match, GET to read back. `upload_for` hands back a copy that differs from the remote
//! (eight bytes changed per round) so every round uploads; merging and sealing are the folder-sync bench's
//! part and not in this figure.
//!
//! - rclone: measured by criterion, back to back.
//! - Apache: its ETag is weak for a second after each change, and a weak ETag fails If-Match (see
//!   `tests/src/servers/webdav.rs`), so back-to-back rounds would measure the client's back-off instead.
//!   Ten rounds 1.1 s apart are timed by hand and printed (median and worst).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a bench: a failure is a failed run")]

use std::time::{Duration, Instant};

use criterion::Criterion;
use twofold_core::sync::webdav::{WebDav, WebDavTarget, round};
use twofold_core::vault::format::{self, DataKey, Sealing, Slot};
use twofold_core::vault::{KdfParams, VaultContents};
use twofold_core::{Account, OtpParams, Secret};
use twofold_tests::servers::webdav::{Kind, PASSWORD, USER, WebDavServer};
use zeroize::Zeroizing;

const ACCOUNTS: u32 = 1_000;

fn sealed_vault() -> Vec<u8> {
    let mut contents = VaultContents::new();
    contents.accounts = (0..ACCOUNTS)
        .map(|i| {
            let mut secret = vec![0x42; 16];
            secret.extend_from_slice(&i.to_be_bytes());
            let mut a = Account::new(
                "Example Issuer",
                format!("user{i}@example.com"),
                Secret::from_bytes(secret).unwrap(),
                OtpParams::default_totp(),
                1_700_000_000,
            );
            a.note = String::from("a short note");
            a.groups = vec![String::from("work")];
            a
        })
        .collect();
    let plaintext = contents.to_json().unwrap();
    let data_key = DataKey::random().unwrap();
    let slot = Slot::seal(PASSWORD, KdfParams::MINIMUM, &data_key).unwrap();
    let sealing =
        Sealing { data_key, key_id: [7; 16], slots: vec![slot], others: Vec::new(), minor: format::FORMAT_MINOR };
    format::seal(&sealing, 1, &plaintext).unwrap()
}

fn client(server: &WebDavServer) -> WebDav {
    let target = WebDavTarget {
        url: server.url("twofold.vault"),
        user: USER.into(),
        app_password: Zeroizing::new(PASSWORD.into()),
    };
    WebDav::new(&target).unwrap()
}

/// One round that uploads `vault` with round number `n` stamped into its last eight bytes.
fn one_round(dav: &WebDav, vault: &[u8], n: u64) {
    let mut ours = vault.to_vec();
    let tail = ours.len() - 8;
    ours[tail..].copy_from_slice(&n.to_le_bytes());
    let outcome = round(dav, |_| Ok(ours.clone())).unwrap();
    assert!(outcome.uploaded && outcome.attempts == 1, "{outcome:?}");
}

fn main() {
    let vault = sealed_vault();
    println!("vault: {ACCOUNTS} accounts seal to {} bytes", vault.len());
    let mut criterion = Criterion::default().configure_from_args();

    if let Some(server) = WebDavServer::start(Kind::Rclone, "webdav_round bench") {
        let dav = client(&server);
        let mut n = 0u64;
        criterion.bench_function("webdav round, 1000 accounts, rclone", |b| {
            b.iter(|| {
                n += 1;
                one_round(&dav, &vault, n);
            })
        });
    }

    if let Some(server) = WebDavServer::start(Kind::Apache, "webdav_round bench") {
        let dav = client(&server);
        one_round(&dav, &vault, 0);
        let mut times: Vec<Duration> = (1..=10)
            .map(|n| {
                std::thread::sleep(Duration::from_millis(1100));
                let start = Instant::now();
                one_round(&dav, &vault, n);
                start.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "webdav round, 1000 accounts, Apache (rounds 1.1 s apart): median {:.1} ms, worst {:.1} ms (goal < 150 ms)",
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3
        );
    }
    criterion.final_summary();
}
