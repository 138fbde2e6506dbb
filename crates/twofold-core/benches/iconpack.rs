//! Importing an icon pack the size of aegis-icons' (about 1,100 SVG icons): `cargo bench -p twofold-core --bench
//! iconpack`. Measured: `iconpack::parse` (unzip, check, rasterise every SVG to a 128 px PNG) and
//! `PackStore::save` (write and sync every PNG and the index, swap the folder in), and matching one issuer
//! against every icon.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "a bench: a failure is a failed run")]

use std::hint::black_box;
use std::io::Write;

use criterion::{Criterion, criterion_group, criterion_main};
use twofold_core::iconpack::{self, store};

const ICONS: usize = 1_100;

/// A logo-like SVG: a rounded tile and a few curves, like aegis-icons' monochrome icons.
fn svg(i: usize) -> String {
    let hue = i * 37 % 360;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512"><rect width="512" height="512" rx="96" fill="hsl({hue},60%,40%)"/><path d="M128 256c0-70.7 57.3-128 128-128s128 57.3 128 128-57.3 128-128 128-128-57.3-128-128zm64 0c0 35.3 28.7 64 64 64s64-28.7 64-64-28.7-64-64-64-64 28.7-64 64z" fill="#fff"/><path d="M96 416h{w}v24H96z" fill="#fff"/></svg>"##,
        w = 100 + i % 200
    )
}

fn pack() -> Vec<u8> {
    let icons: Vec<serde_json::Value> = (0..ICONS)
        .map(|i| serde_json::json!({ "filename": format!("SVG/Service {i}.svg"), "category": null, "issuer": [format!("Service {i}")] }))
        .collect();
    let description = serde_json::json!({
        "uuid": "c1018b93-4e8c-490a-b575-30dde62a833e", "name": "bench", "version": 1, "icons": icons,
    });
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("pack.json", options).unwrap();
    zip.write_all(description.to_string().as_bytes()).unwrap();
    for i in 0..ICONS {
        zip.start_file(format!("SVG/Service {i}.svg"), options).unwrap();
        zip.write_all(svg(i).as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn bench(c: &mut Criterion) {
    let bytes = pack();
    let mut group = c.benchmark_group("iconpack");
    group.sample_size(10);
    group.bench_function("parse 1,100 SVG icons", |b| b.iter(|| iconpack::parse(black_box(&bytes)).unwrap()));
    let parsed = iconpack::parse(&bytes).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let packs = store::PackStore::new(dir.path());
    group.bench_function("save 1,100 icons", |b| b.iter(|| packs.save(black_box(&parsed)).unwrap()));
    let listed = packs.list().unwrap();
    group.bench_function("match one issuer", |b| b.iter(|| store::suggestions(black_box(&listed), "service 999")));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
