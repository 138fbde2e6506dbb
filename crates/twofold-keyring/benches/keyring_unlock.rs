//! Keyring unlock next to password unlock: the time from "unlock" to the decrypted accounts (the first code is
//! one HMAC away), for an empty vault and one of 1,000 accounts. The keyring path runs no Argon2: it reads the
//! device key from the keyring and unwraps one AES-GCM slot. Measured with a fake keyring (the vault part
//! alone) and with a real Secret Service (gnome-keyring-daemon on a private bus, started here and stopped at
//! the end), whose D-Bus round trips are most of that path. Prints figures; asserts nothing about speed.
//! Run: `cargo bench -p twofold-keyring --bench keyring_unlock`. The goal (issue 16): under 150 ms.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a bench: a failure is a failed run")]

use std::time::{Duration, Instant};

use twofold_core::vault::{KdfParams, VaultContents, VaultStore};
use twofold_core::{Account, OtpParams, Secret, otp};
use twofold_keyring::{DEFAULT_TIMEOUT, MemoryKeyring, SecretStore, SystemKeyring, enroll, unlock};

const RUNS: usize = 7;
const PASSWORD: &str = "bench password";
const NOW: u64 = 1_800_000_000;
/// Set in the child process that talks to the private Secret Service (its bus address is in the environment).
const CHILD: &str = "TWOFOLD_KEYRING_BENCH_CHILD";

fn main() {
    if std::env::var_os(CHILD).is_some() {
        measure("real Secret Service (gnome-keyring-daemon)", &SystemKeyring::new(DEFAULT_TIMEOUT), false);
        return;
    }
    measure("fake keyring (vault part only)", &MemoryKeyring::new(), true);
    match twofold_tests::secret_service::SecretService::start("keyring_unlock bench") {
        Ok(Some(ss)) => {
            let me = std::env::current_exe().unwrap();
            let status = ss.command(me).env(CHILD, "1").arg("--bench").status().unwrap();
            assert!(status.success(), "the Secret Service run failed");
        }
        Ok(None) => println!("no Secret Service programs: the real keyring line is missing"),
        Err(e) => println!("the Secret Service did not start ({e}): the real keyring line is missing"),
    }
}

fn measure(what: &str, keyring: &dyn SecretStore, with_password: bool) {
    let dir = tempfile::tempdir().unwrap();
    for count in [0usize, 1000] {
        let store = VaultStore::new(dir.path().join(format!("v{count}.vault")));
        let mut vault = store.create(PASSWORD, KdfParams::DEFAULT, &accounts(count)).unwrap();
        let slot = enroll(&mut vault, keyring, None, 7, NOW).unwrap();
        drop(vault);
        let first_code = |v: &twofold_core::vault::Vault| {
            if let Some(a) = v.contents().accounts.first() {
                otp::code(&a.secret, &a.otp, 1_800_000_000).unwrap();
            }
        };
        let by_keyring = median(|| {
            let opened = unlock(&store, keyring, Some(slot), NOW).unwrap();
            first_code(&opened.vault);
        });
        println!("{what}, {count} accounts: keyring unlock to first code, median {} over {RUNS}", ms(by_keyring));
        if with_password {
            let by_password = median(|| {
                let v = store.unlock(PASSWORD).unwrap();
                first_code(&v);
            });
            println!(
                "{what}, {count} accounts: password unlock (Argon2id 64 MiB, t=3, p=4) to first code, median {}",
                ms(by_password)
            );
        }
        // Leave the keyring clean.
        let _ = keyring.delete(&twofold_keyring::item_name(&slot));
    }
}

fn accounts(n: usize) -> VaultContents {
    let mut contents = VaultContents::new();
    for i in 0..n {
        let secret = Secret::from_bytes((0..20).map(|b| (b as usize * 7 + i) as u8).collect::<Vec<_>>()).unwrap();
        contents.accounts.push(Account::new(format!("Issuer {i}"), "me", secret, OtpParams::default_totp(), 1));
    }
    contents
}

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
