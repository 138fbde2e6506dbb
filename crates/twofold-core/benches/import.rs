//! Import throughput: a generated 10 000-account Aegis plain vault and a 10 000-account 2FAS backup, read
//! with `inspect` + `import`. `cargo bench -p twofold-core --bench import` (or `cargo xtask bench`).
//! Criterion prints the time per file and `thrpt` in accounts per second.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use twofold_core::Secret;
use twofold_core::import;

const ACCOUNTS: usize = 10_000;

fn secret(i: usize) -> String {
    let bytes: Vec<u8> = (0..20).map(|k| (i * 31 + k * 7) as u8).collect();
    Secret::from_bytes(bytes).expect("a 20-byte key").to_base32().to_string()
}

fn aegis_plain() -> Vec<u8> {
    let entries: Vec<_> = (0..ACCOUNTS)
        .map(|i| {
            json!({
                "type": if i % 10 == 0 { "hotp" } else { "totp" },
                "uuid": format!("00000000-0000-4000-8000-{i:012}"),
                "name": format!("user{i}@example.com"),
                "issuer": format!("Service {}", i % 500),
                "note": "",
                "favorite": i % 50 == 0,
                "icon": null,
                "info": { "secret": secret(i), "algo": "SHA1", "digits": 6, "period": 30, "counter": i },
                "groups": [],
            })
        })
        .collect();
    let vault = json!({
        "version": 1,
        "header": { "slots": null, "params": null },
        "db": { "version": 3, "entries": entries, "groups": [], "icons_optimized": true },
    });
    serde_json::to_vec(&vault).expect("json")
}

fn twofas() -> Vec<u8> {
    let services: Vec<_> = (0..ACCOUNTS)
        .map(|i| {
            json!({
                "name": format!("Service {}", i % 500),
                "secret": secret(i),
                "updatedAt": 1_700_000_000_000u64,
                "otp": {
                    "label": format!("user{i}@example.com"),
                    "account": format!("user{i}@example.com"),
                    "issuer": format!("Service {}", i % 500),
                    "digits": 6, "period": 30, "algorithm": "SHA1", "tokenType": "TOTP", "source": "Manual",
                },
                "order": { "position": i },
            })
        })
        .collect();
    let backup = json!({
        "services": services, "groups": [], "updatedAt": 1_700_000_000_000u64, "schemaVersion": 4,
        "appVersionCode": 5_000_000, "appVersionName": "5.0.0", "appOrigin": "android",
    });
    serde_json::to_vec(&backup).expect("json")
}

fn imports(c: &mut Criterion) {
    let mut group = c.benchmark_group("import_10k");
    group.throughput(Throughput::Elements(ACCOUNTS as u64));
    group.sample_size(20);
    for (name, bytes) in [("aegis_plain", aegis_plain()), ("2fas", twofas())] {
        let inspection = import::inspect(&bytes, None).expect("detected");
        let report = import::import(&bytes, inspection.format, None, 0).expect("imports");
        assert_eq!(report.accounts.len(), ACCOUNTS, "{name}: every generated account imports");
        println!("{name}: {} bytes, {} accounts", bytes.len(), report.accounts.len());
        group.bench_function(name, |b| {
            b.iter(|| {
                let inspection = import::inspect(black_box(&bytes), None).expect("detected");
                import::import(black_box(&bytes), inspection.format, None, 0).expect("imports")
            })
        });
    }
    group.finish();
}

criterion_group!(benches, imports);
criterion_main!(benches);
