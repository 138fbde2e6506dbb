//! Icon pack tests: a well-formed pack, every hostile pack refused with its own error, matching, storage.

use std::io::{Cursor, Write};

use proptest::prelude::*;

use super::store::{PackStore, suggestions};
use super::*;
use crate::icon::Icon;

const UUID: &str = "8a1c3f0e-5b7d-4e2a-9c61-0d2b4f6e8a10";

fn svg(colour: &str) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" fill="{colour}"/></svg>"#
    )
}

fn options() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

/// A ZIP of the given (name, bytes) files.
fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in files {
        out.start_file(*name, options()).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn pack_json(icons: serde_json::Value) -> Vec<u8> {
    serde_json::json!({ "uuid": UUID, "name": "Test pack", "version": 2, "icons": icons }).to_string().into_bytes()
}

/// A small pack like aegis-icons': two SVG icons in a folder.
fn good_pack() -> Vec<u8> {
    let json = pack_json(serde_json::json!([
        { "filename": "SVG/GitHub.svg", "name": "GitHub", "category": "Developer", "issuer": ["github", "GitHub Enterprise"] },
        { "filename": "SVG/Example Bank.svg", "category": null, "issuer": ["Example Bank", "examplebank.com"] },
    ]));
    zip_of(&[
        (PACK_JSON, &json),
        ("SVG/GitHub.svg", svg("#112233").as_bytes()),
        ("SVG/Example Bank.svg", svg("#aa0000").as_bytes()),
    ])
}

#[test]
fn a_pack_in_aegis_format_is_read_and_each_icon_becomes_a_small_png() {
    let pack = parse(&good_pack()).unwrap();
    assert_eq!(pack.uuid.to_string(), UUID);
    assert_eq!((pack.name.as_str(), pack.version, pack.icons.len()), ("Test pack", 2, 2));
    assert_eq!(pack.icons[0].name, "GitHub");
    assert_eq!(pack.icons[0].category.as_deref(), Some("Developer"));
    assert_eq!(pack.icons[1].name, "Example Bank", "no name: the file name without its extension, as Aegis");
    assert_eq!(pack.icons[1].category, None);
    for icon in &pack.icons {
        let png = image::load_from_memory_with_format(icon.png.png(), image::ImageFormat::Png).unwrap();
        assert_eq!((png.width(), png.height()), (128, 128));
    }
}

#[test]
fn png_and_jpeg_icons_are_read_too() {
    let picture = |format| {
        let mut out = Vec::new();
        image::RgbImage::from_pixel(300, 300, image::Rgb([1, 2, 3]))
            .write_to(&mut Cursor::new(&mut out), format)
            .unwrap();
        out
    };
    let json = pack_json(serde_json::json!([
        { "filename": "PNG/a.png", "issuer": ["a"] },
        { "filename": "b.JPG", "issuer": ["b"] },
    ]));
    let bytes = zip_of(&[
        (PACK_JSON, &json),
        ("PNG/a.png", &picture(image::ImageFormat::Png)),
        ("b.JPG", &picture(image::ImageFormat::Jpeg)),
    ]);
    let pack = parse(&bytes).unwrap();
    assert_eq!(pack.icons.len(), 2);
    assert_eq!(pack.icons[1].name, "b");
}

/// Each hostile or broken pack is refused with its own error, and never panics.
#[test]
fn hostile_packs_are_refused_each_with_its_reason() {
    let one_icon = |name: &str| pack_json(serde_json::json!([{ "filename": name, "issuer": ["x"] }]));
    let svg = svg("#000");
    let refused = |bytes: &[u8]| parse(bytes).unwrap_err();

    assert!(matches!(refused(b"not a zip at all"), PackError::NotZip(_)));
    assert!(matches!(refused(&vec![0; MAX_PACK_FILE + 1]), PackError::FileTooLarge));
    assert!(matches!(refused(&zip_of(&[("icon.svg", svg.as_bytes())])), PackError::NoPackJson));
    // pack.json in a folder is not at the root (Aegis looks only there).
    assert!(matches!(refused(&zip_of(&[("pack/pack.json", &one_icon("a.svg"))])), PackError::NoPackJson));
    assert!(matches!(refused(&zip_of(&[(PACK_JSON, b"{ not json")])), PackError::BadPackJson(_)));
    assert!(matches!(
        refused(&zip_of(&[(PACK_JSON, br#"{"uuid":"x","name":"n","version":1}"#)])),
        PackError::BadPackJson(_)
    ));
    assert!(matches!(
        refused(&zip_of(&[(PACK_JSON, br#"{"uuid":"u","name":"n","version":-1,"icons":[]}"#)])),
        PackError::BadPackJson(_)
    ));
    let bad_uuid = br#"{"uuid":"not-a-uuid","name":"n","version":1,"icons":[{"filename":"a.svg","issuer":[]}]}"#;
    assert!(matches!(refused(&zip_of(&[(PACK_JSON, bad_uuid)])), PackError::BadUuid(u) if u == "not-a-uuid"));
    assert!(matches!(refused(&zip_of(&[(PACK_JSON, &pack_json(serde_json::json!([])))])), PackError::NoIcons));
    assert!(matches!(
        refused(&zip_of(&[(PACK_JSON, &one_icon("gone.svg"))])),
        PackError::MissingFile { name } if name == "gone.svg"
    ));
    assert!(matches!(
        refused(&zip_of(&[(PACK_JSON, &one_icon("a.webp")), ("a.webp", b"RIFF")])),
        PackError::UnsupportedIcon { name } if name == "a.webp"
    ));
    assert!(matches!(
        refused(&zip_of(&[(PACK_JSON, &one_icon("a.svg")), ("a.svg", b"<svg")])),
        PackError::BadIcon { .. }
    ));

    // Path traversal, absolute names, backslashes and NUL: in the archive or in pack.json.
    for name in ["../evil.png", "/abs.png", "SVG/../../evil.svg", "C:/evil.png", "dir\\evil.png", "a\0.png"] {
        let in_archive = zip_of(&[(PACK_JSON, &one_icon("a.svg")), ("a.svg", svg.as_bytes()), (name, b"x")]);
        let error = refused(&in_archive);
        assert!(matches!(&error, PackError::UnsafeName { name: n } if n == name), "{name:?} in the archive: {error}");
        let listed = zip_of(&[(PACK_JSON, &one_icon(name))]);
        let error = refused(&listed);
        assert!(matches!(&error, PackError::UnsafeName { name: n } if n == name), "{name:?} in pack.json: {error}");
    }

    // Ten thousand entries.
    let mut many = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..10_000 {
        many.start_file(format!("{i}.svg"), zip::write::SimpleFileOptions::default()).unwrap();
    }
    let many = many.finish().unwrap().into_inner();
    assert!(matches!(refused(&many), PackError::TooManyEntries { count: 10_000 }));

    // A ZIP bomb: an icon under the size cap but compressed a thousandfold.
    let bomb = vec![b' '; (MAX_ICON_FILE - 1) as usize];
    let bytes = zip_of(&[(PACK_JSON, &one_icon("a.svg")), ("a.svg", &bomb)]);
    assert!(bytes.len() < 64 << 10, "the bomb is small: {}", bytes.len());
    assert!(matches!(refused(&bytes), PackError::Bomb { name } if name == "a.svg"));
    // A file over the per-icon cap (not compressible, so not a bomb).
    let noise: Vec<u8> = (0..MAX_ICON_FILE + 10).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let bytes = zip_of(&[(PACK_JSON, &one_icon("a.svg")), ("a.svg", &noise)]);
    assert!(matches!(refused(&bytes), PackError::EntryTooLarge { name, max: MAX_ICON_FILE } if name == "a.svg"));

    // A 20000 × 20000 PNG header (a decompression bomb in the picture): refused before decoding.
    let bytes = zip_of(&[(PACK_JSON, &one_icon("big.png")), ("big.png", &huge_png_header(20_000))]);
    assert!(matches!(
        refused(&bytes),
        PackError::BadIcon { name, error: crate::icon::IconError::TooManyPixels } if name == "big.png"
    ));

    // Many icons that each become a large PNG (noise does not compress): the PNGs held before the pack is
    // written are bounded. pack.json lists one noisy 128 px file again and again.
    let noise = {
        let picture = image::RgbaImage::from_fn(128, 128, |x, y| {
            let v = (x * 131 + y * 7919).wrapping_mul(2_654_435_761);
            image::Rgba([(v >> 24) as u8, (v >> 16) as u8, (v >> 8) as u8, 255])
        });
        let mut out = Vec::new();
        picture.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
        out
    };
    let count = MAX_ICONS_PNG / Icon::from_picture(&noise, false).unwrap().png().len() + 2;
    assert!(count < MAX_ICONS, "{count}");
    let listed: Vec<serde_json::Value> =
        (0..count).map(|_| serde_json::json!({ "filename": "noise.png", "issuer": ["x"] })).collect();
    let json = pack_json(serde_json::Value::Array(listed));
    assert!(
        matches!(refused(&zip_of(&[(PACK_JSON, &json), ("noise.png", &noise)])), PackError::IconsTooLarge),
        "{count}"
    );

    // Encrypted entries.
    use zip::unstable::write::FileOptionsExt;
    let mut locked = zip::ZipWriter::new(Cursor::new(Vec::new()));
    locked
        .start_file(PACK_JSON, zip::write::SimpleFileOptions::default().with_deprecated_encryption(b"pw").unwrap())
        .unwrap();
    locked.write_all(&one_icon("a.svg")).unwrap();
    assert!(matches!(refused(&locked.finish().unwrap().into_inner()), PackError::Encrypted));

    // Every refusal has a code of its own for the app to word.
    assert_eq!(PackError::Bomb { name: String::new() }.code(), "bomb");
}

/// A 1 × 1 PNG whose header claims `side` × `side` pixels, with a correct header checksum.
fn huge_png_header(side: u32) -> Vec<u8> {
    let mut png = Vec::new();
    image::RgbImage::new(1, 1).write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png).unwrap();
    png[16..20].copy_from_slice(&side.to_be_bytes());
    png[20..24].copy_from_slice(&side.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[test]
fn matching_follows_aegis_and_ranks_exact_first() {
    let list = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(match_issuer("GitHub", &list(&["github"])), Some(Match::Exact));
    assert_eq!(match_issuer("  GITHUB ", &list(&["GitHub"])), Some(Match::Exact));
    assert_eq!(match_issuer("Proton Mail", &list(&["proton-mail"])), Some(Match::Exact), "folded");
    assert_eq!(match_issuer("Société Générale", &list(&["societegenerale"])), Some(Match::Exact));
    assert_eq!(match_issuer("GitHub Enterprise", &list(&["github"])), Some(Match::Partial), "issuer contains");
    assert_eq!(match_issuer("git", &list(&["github"])), Some(Match::Partial), "Aegis: the icon's contains it");
    assert_eq!(match_issuer("GitLab", &list(&["github"])), None);
    assert_eq!(match_issuer("", &list(&["github"])), None, "an empty issuer matches nothing");
    assert_eq!(match_issuer("GitHub", &list(&["", " "])), None, "an empty pack string matches nothing");
}

#[test]
fn suggestions_put_exact_matches_first_across_packs() {
    let pack = parse(&good_pack()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = PackStore::new(dir.path().join("icon-packs"));
    store.save(&pack).unwrap();
    let packs = store.list().unwrap();
    let found = suggestions(&packs, "examplebank.com");
    assert_eq!(found.len(), 1);
    assert_eq!((found[0].icon.name.as_str(), found[0].quality), ("Example Bank", Match::Exact));
    let found = suggestions(&packs, "Enterprise");
    assert_eq!(found.iter().map(|s| s.icon.name.as_str()).collect::<Vec<_>>(), ["GitHub"]);
    assert!(suggestions(&packs, "Nobody").is_empty());
}

/// aegis-icons' own layout: outdated icons and variations come first in pack.json, all for the same issuer, in
/// dot folders; the icon named like the issuer is suggested first.
#[test]
fn the_icon_named_like_the_issuer_comes_first_among_exact_matches() {
    let json = serde_json::json!({ "uuid": UUID, "name": "aegis-icons", "version": 0, "icons": [
        { "filename": "SVG/.Outdated/Bitpanda v1.svg", "category": "4. Outdated", "issuer": ["Bitpanda"] },
        { "filename": "SVG/.Variations/Bitpanda v2 bg.var.svg", "category": "2. Variations & Alts", "issuer": ["Bitpanda"] },
        { "filename": "SVG/Bitpanda.svg", "category": "1. Main", "issuer": ["Bitpanda", "IFTTT "] },
    ]})
    .to_string();
    let svg = svg("#123456");
    let names = ["SVG/.Outdated/Bitpanda v1.svg", "SVG/.Variations/Bitpanda v2 bg.var.svg", "SVG/Bitpanda.svg"];
    let mut files: Vec<(&str, &[u8])> = vec![(PACK_JSON, json.as_bytes())];
    files.extend(names.iter().map(|n| (*n, svg.as_bytes())));
    let pack = parse(&zip_of(&files)).unwrap();
    assert_eq!(pack.icons[1].name, "Bitpanda v2 bg.var");
    let dir = tempfile::tempdir().unwrap();
    let store = PackStore::new(dir.path());
    store.save(&pack).unwrap();
    let packs = store.list().unwrap();
    let found: Vec<_> = suggestions(&packs, "bitpanda").iter().map(|s| s.icon.name.clone()).collect();
    assert_eq!(found, ["Bitpanda", "Bitpanda v1", "Bitpanda v2 bg.var"]);
    assert_eq!(suggestions(&packs, "IFTTT")[0].quality, Match::Exact, "the pack's trailing space is trimmed");
}

#[test]
fn a_stored_pack_lists_reads_its_icons_is_replaced_by_its_uuid_and_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let store = PackStore::new(dir.path().join("icon-packs"));
    assert!(store.list().unwrap().is_empty(), "no folder yet: no packs");
    let mut pack = parse(&good_pack()).unwrap();
    assert_eq!(store.save(&pack).unwrap(), None);
    let listed = store.list().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].name.as_str(), listed[0].version, listed[0].icons.len()), ("Test pack", 2, 2));
    assert_eq!(store.icon(pack.uuid, 1).unwrap(), pack.icons[1].png);

    // The same uuid again (a newer version) replaces the pack, and nothing is left beside it.
    pack.version = 3;
    pack.icons.truncate(1);
    assert_eq!(store.save(&pack).unwrap(), Some(2));
    let listed = store.list().unwrap();
    assert_eq!((listed.len(), listed[0].version, listed[0].icons.len()), (1, 3, 1));
    assert!(matches!(store.icon(pack.uuid, 1), Err(PackError::NotFound(_))), "the old version's files are gone");
    assert_eq!(std::fs::read_dir(store.dir()).unwrap().count(), 1);

    store.remove(pack.uuid).unwrap();
    assert!(store.list().unwrap().is_empty());
    assert!(!store.dir().join(UUID).exists());
    assert!(matches!(store.remove(pack.uuid), Err(PackError::NotFound(u)) if u == pack.uuid));
}

#[test]
fn what_an_interrupted_save_left_is_cleaned_up_and_a_lone_old_version_put_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = PackStore::new(dir.path());
    let pack = parse(&good_pack()).unwrap();
    store.save(&pack).unwrap();
    // A crash after the old version was moved aside, before the new one took its place.
    std::fs::rename(dir.path().join(UUID), dir.path().join(format!(".old-{UUID}-abc"))).unwrap();
    std::fs::create_dir(dir.path().join(format!(".import-{UUID}-def"))).unwrap();
    let listed = store.list().unwrap();
    assert_eq!(listed.len(), 1);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, [std::ffi::OsString::from(UUID)]);
}

/// A list asked for while a pack is being saved leaves the save's temporary folder alone.
#[test]
fn a_list_during_a_save_does_not_clean_up_the_save() {
    let dir = tempfile::tempdir().unwrap();
    let store = PackStore::new(dir.path());
    let in_progress = dir.path().join(format!(".import-{UUID}-running"));
    std::fs::create_dir(&in_progress).unwrap();
    {
        let lock = super::store::folder_lock(dir.path());
        let _saving = lock.lock().unwrap();
        assert!(store.list().unwrap().is_empty());
        assert!(in_progress.exists(), "the running save's folder is kept");
    }
    store.list().unwrap();
    assert!(!in_progress.exists(), "a leftover is removed when no save runs");
}

/// The cards' map gives what the first exact suggestion gives, for every issuer of a pack and a few others.
#[test]
fn the_exact_index_agrees_with_suggestions() {
    let json = serde_json::json!({ "uuid": UUID, "name": "p", "version": 0, "icons": [
        { "filename": "SVG/.Outdated/Bitpanda v1.svg", "issuer": ["Bitpanda"] },
        { "filename": "SVG/Bitpanda.svg", "issuer": ["Bitpanda", "IFTTT "] },
        { "filename": "SVG/Yandex.svg", "issuer": ["Яндекс", "yandex"] },
        { "filename": "SVG/Proton.svg", "issuer": ["proton-mail", ""] },
    ]})
    .to_string();
    let svg = svg("#123456");
    let names = ["SVG/.Outdated/Bitpanda v1.svg", "SVG/Bitpanda.svg", "SVG/Yandex.svg", "SVG/Proton.svg"];
    let mut files: Vec<(&str, &[u8])> = vec![(PACK_JSON, json.as_bytes())];
    files.extend(names.iter().map(|n| (*n, svg.as_bytes())));
    let dir = tempfile::tempdir().unwrap();
    let store = PackStore::new(dir.path());
    store.save(&parse(&zip_of(&files)).unwrap()).unwrap();
    let packs = store.list().unwrap();
    let index = super::store::ExactIndex::new(&packs);
    for issuer in ["bitpanda", "BITPANDA", "ifttt", "Яндекс", "яндекс", "Proton Mail", "proton", "", "nobody", "!!"]
    {
        let expected = suggestions(&packs, issuer)
            .into_iter()
            .next()
            .filter(|s| s.quality == Match::Exact)
            .map(|s| s.icon.name.clone());
        assert_eq!(index.get(issuer).map(|(_, icon)| icon.name.clone()), expected, "{issuer:?}");
    }
    assert_eq!(index.get("bitpanda").unwrap().1.name, "Bitpanda");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any bytes, and any damage to a good pack: an error or a pack, never a panic.
    #[test]
    fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048), flip in 0usize..4096, bit in 0u8..8) {
        let _ = parse(&bytes);
        let mut good = good_pack();
        let at = flip % good.len();
        good[at] ^= 1 << bit;
        let _ = parse(&good);
    }

    /// Folding is idempotent, and an issuer always matches an icon listing it, however it is spaced or its
    /// ASCII letters cased (full Unicode upper case is not an inverse of lower case: "ß" → "SS").
    #[test]
    fn an_issuer_matches_itself(issuer in "[ -~À-ÿ]{1,30}") {
        prop_assert_eq!(fold(&fold(&issuer)), fold(&issuer));
        let listed = vec![issuer.to_ascii_uppercase()];
        if !issuer.trim().is_empty() {
            prop_assert_eq!(match_issuer(&format!(" {issuer} "), &listed), Some(Match::Exact));
        }
    }
}
