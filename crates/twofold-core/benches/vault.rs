//! Vault figures: unlock at the default Argon2id cost next to `keepassxc-cli` opening a KDBX4 database with
//! the same Argon2id parameters (one run, printed as a ratio), and save/unlock time for 10,000 accounts.
//! Prints figures; asserts nothing about speed. Run: `cargo bench -p twofold-core --bench vault`.
//! (The 1000-kill crash loop is `cargo bench -p twofold-tests --bench vault_crash`.)

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a bench: a failure is a failed run")]

use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use aes::cipher::{BlockCipherEncrypt, KeyInit as _};
use hmac::{Hmac, Mac as _};
use sha2::{Digest as _, Sha256, Sha512};
use twofold_core::model::RecoveryCode;
use twofold_core::vault::{KdfParams, VaultContents, VaultError, VaultStore};
use twofold_core::{Account, OtpParams, Secret};

const RUNS: usize = 5;
const PASSWORD: &str = "bench password";

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let kdf = KdfParams::DEFAULT;
    println!("vault bench: {} logical CPUs", std::thread::available_parallelism().map_or(0, |n| n.get()));

    // Unlock at the default cost.
    let store = VaultStore::new(dir.path().join("default.vault"));
    store.create(PASSWORD, kdf, &VaultContents::new()).unwrap();
    let ours = median(RUNS, || {
        store.unlock(PASSWORD).unwrap();
    });
    println!(
        "twofold unlock, Argon2id m={} MiB t={} p={}: median {} over {RUNS} runs",
        kdf.memory_kib / 1024,
        kdf.passes,
        kdf.lanes,
        ms(ours)
    );

    // keepassxc-cli on a KDBX4 file with the same Argon2id parameters, and on a nearly free one to measure
    // the process start-up it pays and we do not.
    match keepassxc(dir.path(), kdf) {
        Some((theirs, overhead)) => {
            println!("keepassxc-cli db-info, same Argon2id parameters: median {} over {RUNS} runs", ms(theirs));
            println!("keepassxc-cli db-info, Argon2id m=1 MiB t=1 p=1 (start-up cost): median {}", ms(overhead));
            let kdf_only = theirs.saturating_sub(overhead);
            println!(
                "ratio twofold / keepassxc: {:.2} (whole process), {:.2} (keepassxc minus its start-up)",
                ours.as_secs_f64() / theirs.as_secs_f64(),
                ours.as_secs_f64() / kdf_only.as_secs_f64().max(1e-9)
            );
        }
        None => println!("keepassxc-cli not found or failed: no comparison (Debian package `keepassxc`)"),
    }

    // 10,000 accounts: save and unlock.
    let big = VaultStore::new(dir.path().join("big.vault"));
    let mut vault = big.create(PASSWORD, KdfParams::MINIMUM, &many_accounts(10_000)).unwrap();
    let size = std::fs::metadata(big.path()).unwrap().len();
    let mut n = 0u64;
    let save = median(RUNS, || {
        n += 1;
        vault
            .update(|c| -> Result<(), VaultError> {
                c.accounts[0].use_count = n;
                Ok(())
            })
            .unwrap();
    });
    println!("save, 10,000 accounts ({:.1} MiB file): median {} over {RUNS} runs", size as f64 / 1048576.0, ms(save));
    let unlock_big = median(RUNS, || {
        big.unlock(PASSWORD).unwrap();
    });
    println!("unlock, 10,000 accounts at the minimum KDF cost (19 MiB, t=2, p=1): median {}", ms(unlock_big));
}

fn many_accounts(n: usize) -> VaultContents {
    let mut contents = VaultContents::new();
    for i in 0..n {
        let secret = Secret::from_bytes((0..20).map(|b| (b as usize * 7 + i) as u8).collect::<Vec<u8>>()).unwrap();
        let mut a = Account::new(
            format!("Issuer {i}"),
            format!("user{i}@example.com"),
            secret,
            OtpParams::default_totp(),
            1_700_000_000,
        );
        a.groups = vec!["work".into()];
        a.note = "a short note".into();
        a.recovery_codes =
            (0..4).map(|k| RecoveryCode { code: format!("code-{i}-{k}").into(), used: k == 0 }).collect();
        contents.accounts.push(a);
    }
    contents
}

fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}

/// Medians of `keepassxc-cli db-info` on a database with `kdf` and on one with a nearly free KDF.
fn keepassxc(dir: &Path, kdf: KdfParams) -> Option<(Duration, Duration)> {
    let same = dir.join("same.kdbx");
    let cheap = dir.join("cheap.kdbx");
    std::fs::write(&same, kdbx4(PASSWORD, kdf.memory_kib, kdf.passes, kdf.lanes)).ok()?;
    std::fs::write(&cheap, kdbx4(PASSWORD, 1024, 1, 1)).ok()?;
    let open = |path: &Path| -> Option<()> {
        let mut child = Command::new("keepassxc-cli")
            .args(["db-info", "-q"])
            .arg(path)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .ok()?;
        child.stdin.take()?.write_all(format!("{PASSWORD}\n").as_bytes()).ok()?;
        let out = child.wait_with_output().ok()?;
        if !out.status.success() {
            eprintln!("keepassxc-cli: {}", String::from_utf8_lossy(&out.stderr).trim());
            return None;
        }
        Some(())
    };
    open(&same)?;
    open(&cheap)?;
    let mut ok = true;
    let theirs = median(RUNS, || ok &= open(&same).is_some());
    let overhead = median(RUNS, || ok &= open(&cheap).is_some());
    ok.then_some((theirs, overhead))
}

/// A minimal KDBX 4.0 database (AES-256-CBC, Argon2id, no compression, one empty root group) protected by
/// `password`, written from the KeePass file format documentation.
fn kdbx4(password: &str, memory_kib: u32, passes: u32, lanes: u32) -> Vec<u8> {
    let rand = |n: usize| -> Vec<u8> {
        let mut v = vec![0u8; n];
        getrandom::fill(&mut v).unwrap();
        v
    };
    let (master_seed, iv, salt, stream_key) = (rand(32), rand(16), rand(32), rand(64));

    let mut kdf = vec![0x00, 0x01]; // VariantDictionary version 1.0
    let mut entry = |ty: u8, key: &str, value: &[u8]| {
        kdf.push(ty);
        kdf.extend_from_slice(&(key.len() as i32).to_le_bytes());
        kdf.extend_from_slice(key.as_bytes());
        kdf.extend_from_slice(&(value.len() as i32).to_le_bytes());
        kdf.extend_from_slice(value);
    };
    let argon2id_uuid =
        [0x9e, 0x29, 0x8b, 0x19, 0x56, 0xdb, 0x47, 0x73, 0xb2, 0x3d, 0xfc, 0x3e, 0xc6, 0xf0, 0xa1, 0xe6];
    entry(0x42, "$UUID", &argon2id_uuid);
    entry(0x42, "S", &salt);
    entry(0x04, "P", &lanes.to_le_bytes());
    entry(0x05, "M", &(u64::from(memory_kib) * 1024).to_le_bytes());
    entry(0x05, "I", &u64::from(passes).to_le_bytes());
    entry(0x04, "V", &0x13u32.to_le_bytes());
    kdf.push(0x00);

    let mut header = Vec::new();
    header.extend_from_slice(&0x9AA2_D903u32.to_le_bytes());
    header.extend_from_slice(&0xB54B_FB67u32.to_le_bytes());
    header.extend_from_slice(&0u16.to_le_bytes());
    header.extend_from_slice(&4u16.to_le_bytes());
    let mut field = |id: u8, data: &[u8]| {
        header.push(id);
        header.extend_from_slice(&(data.len() as u32).to_le_bytes());
        header.extend_from_slice(data);
    };
    let aes256_uuid = [0x31, 0xc1, 0xf2, 0xe6, 0xbf, 0x71, 0x43, 0x50, 0xbe, 0x58, 0x05, 0x21, 0x6a, 0xfc, 0x5a, 0xff];
    field(2, &aes256_uuid);
    field(3, &0u32.to_le_bytes());
    field(4, &master_seed);
    field(7, &iv);
    field(11, &kdf);
    field(0, b"\r\n\r\n");

    // Keys: composite = SHA256(SHA256(password)); transformed = Argon2id(composite, salt).
    let composite = Sha256::digest(Sha256::digest(password.as_bytes()));
    let params = argon2::Params::new(memory_kib, passes, lanes, Some(32)).unwrap();
    let mut transformed = [0u8; 32];
    argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
        .hash_password_into(&composite, &salt, &mut transformed)
        .unwrap();
    let cipher_key = Sha256::new().chain_update(&master_seed).chain_update(transformed).finalize();
    let hmac_base = Sha512::new().chain_update(&master_seed).chain_update(transformed).chain_update([1u8]).finalize();
    let block_key = |index: u64| Sha512::new().chain_update(index.to_le_bytes()).chain_update(hmac_base).finalize();
    let hmac = |key: &[u8], parts: &[&[u8]]| {
        let mut mac = <Hmac<Sha256>>::new_from_slice(key).unwrap();
        for p in parts {
            mac.update(p);
        }
        mac.finalize().into_bytes()
    };

    let mut file = header.clone();
    file.extend_from_slice(&Sha256::digest(&header));
    file.extend_from_slice(&hmac(&block_key(u64::MAX), &[&header]));

    // Inner header (ChaCha20 protected-value stream) and XML.
    let mut plain = Vec::new();
    let mut inner = |id: u8, data: &[u8]| {
        plain.push(id);
        plain.extend_from_slice(&(data.len() as u32).to_le_bytes());
        plain.extend_from_slice(data);
    };
    inner(1, &3u32.to_le_bytes());
    inner(2, &stream_key);
    inner(0, &[]);
    let group_uuid = data_encoding::BASE64.encode(&rand(16));
    plain.extend_from_slice(
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"yes\"?>\n<KeePassFile><Meta><Generator>twofold bench</Generator>\
             <DatabaseName>bench</DatabaseName></Meta><Root><Group><UUID>{group_uuid}</UUID><Name>Root</Name>\
             </Group></Root></KeePassFile>"
        )
        .as_bytes(),
    );

    // AES-256-CBC with PKCS#7 padding.
    let pad = 16 - plain.len() % 16;
    plain.extend(std::iter::repeat_n(pad as u8, pad));
    let aes = aes::Aes256::new_from_slice(&cipher_key).unwrap();
    let mut prev: [u8; 16] = iv.as_slice().try_into().unwrap();
    let mut encrypted = Vec::with_capacity(plain.len());
    for chunk in plain.chunks(16) {
        let mut block = aes::Block::default();
        for (b, (p, v)) in block.iter_mut().zip(chunk.iter().zip(prev.iter())) {
            *b = p ^ v;
        }
        aes.encrypt_block(&mut block);
        prev.copy_from_slice(&block);
        encrypted.extend_from_slice(&block);
    }

    // HMAC block stream: one data block, then the empty final block.
    for (index, data) in [(0u64, encrypted.as_slice()), (1, &[][..])] {
        let len = (data.len() as i32).to_le_bytes();
        file.extend_from_slice(&hmac(&block_key(index), &[&index.to_le_bytes(), &len, data]));
        file.extend_from_slice(&len);
        file.extend_from_slice(data);
    }
    file
}
