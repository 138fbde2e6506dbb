//! Throughput of code generation and link parsing: `cargo bench -p twofold-core` (or `cargo xtask bench`).
//! Criterion prints `thrpt` in elements per second: codes/s and links/s.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use twofold_core::{Account, Algorithm, OtpKind, OtpParams, Secret, migration, otp, uri};

fn codes(c: &mut Criterion) {
    let mut group = c.benchmark_group("totp");
    group.throughput(Throughput::Elements(1));
    for (algorithm, key_len) in [(Algorithm::Sha1, 20), (Algorithm::Sha256, 32), (Algorithm::Sha512, 64)] {
        let secret = Secret::from_bytes(vec![0x5a; key_len]).expect("a non-empty key");
        let params = OtpParams { kind: OtpKind::Totp { period: 30 }, algorithm, digits: 6 };
        let mut now = 1_700_000_000i64;
        group.bench_function(algorithm.as_str(), |b| {
            b.iter(|| {
                now += 30;
                otp::code(black_box(&secret), black_box(&params), black_box(now))
            })
        });
    }
    group.finish();
}

fn links(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(1));
    let link = "otpauth://totp/ACME%20Co:john.doe@email.com?secret=HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30";
    group.bench_function("otpauth", |b| b.iter(|| uri::parse(black_box(link))));
    let secret = Secret::parse_base32("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ").expect("valid base32");
    let accounts: Vec<Account> = (0..10)
        .map(|i| Account::new("ACME Co", format!("user{i}@example.com"), secret.clone(), OtpParams::default_totp(), 0))
        .collect();
    let encoded = migration::encode(&accounts, 1);
    let transfer = encoded.links[0].clone();
    group.throughput(Throughput::Elements(10));
    group.bench_function("migration_10_accounts", |b| b.iter(|| migration::decode(black_box(&transfer))));
    group.finish();
}

criterion_group!(benches, codes, links);
criterion_main!(benches);
