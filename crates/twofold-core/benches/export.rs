//! Export of a 10,000-account vault to Aegis JSON, plain and encrypted, and reading it back.
//!
//! `export` includes the read-back verification (for the encrypted file: a second scrypt, decryption and
//! parsing); `verify` is the read-back alone, i.e. what opening the file costs. Run with
//! `cargo bench -p twofold-core --bench export`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use twofold_core::export::{Format, PlaintextAck, Protection, export, verify};
use twofold_core::{Account, Algorithm, OtpKind, OtpParams, Secret};

const ACCOUNTS: usize = 10_000;

#[allow(clippy::unwrap_used)]
fn vault() -> Vec<Account> {
    (0..ACCOUNTS)
        .map(|i| {
            let key: Vec<u8> = (0..20).map(|j| (i * 31 + j * 7) as u8).collect();
            let otp = match i % 3 {
                0 => OtpParams::default_totp(),
                1 => OtpParams { kind: OtpKind::Hotp { counter: i as u64 }, algorithm: Algorithm::Sha256, digits: 8 },
                _ => OtpParams { kind: OtpKind::Totp { period: 60 }, algorithm: Algorithm::Sha512, digits: 6 },
            };
            let mut account = Account::new(
                format!("Service {i}"),
                format!("user{i}@example.com"),
                Secret::from_bytes(key).unwrap(),
                otp,
                1_700_000_000,
            );
            account.groups = vec![format!("Group {}", i % 20)];
            account.note = format!("note {i}");
            account
        })
        .collect()
}

#[allow(clippy::unwrap_used)]
fn bench(c: &mut Criterion) {
    let accounts = vault();
    let plain = Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets());
    let password = Protection::Password("correct horse battery staple");

    let mut group = c.benchmark_group("export_10k");
    group.sample_size(10).measurement_time(Duration::from_secs(10)).warm_up_time(Duration::from_secs(1));

    let plain_file = export(&accounts, Format::AegisPlain, plain, 0).unwrap();
    let sealed_file = export(&accounts, Format::AegisEncrypted, password, 0).unwrap();
    println!(
        "aegis plain: {} bytes, aegis encrypted: {} bytes, {} accounts",
        plain_file.bytes.len(),
        sealed_file.bytes.len(),
        sealed_file.count
    );

    group.bench_function("aegis_plain_export", |b| {
        b.iter(|| export(black_box(&accounts), Format::AegisPlain, plain, 0).unwrap())
    });
    group.bench_function("aegis_encrypted_export", |b| {
        b.iter(|| export(black_box(&accounts), Format::AegisEncrypted, password, 0).unwrap())
    });
    group.bench_function("aegis_plain_read_back", |b| {
        b.iter(|| verify(black_box(&plain_file.bytes), Format::AegisPlain, plain, &accounts).unwrap())
    });
    group.bench_function("aegis_encrypted_decrypt_back", |b| {
        b.iter(|| verify(black_box(&sealed_file.bytes), Format::AegisEncrypted, password, &accounts).unwrap())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
