//! Icon packs through Tauri's IPC path (issue 19 point 4): a pack imported from a file token and listed, its
//! icons offered to an account (matching first), shown on a card without a picture, copied into the vault as
//! the account's picture; a re-import with the same uuid replaces it; hostile packs refused with their code;
//! a pack removed with its folder.

use std::io::Write;

use serde_json::{Value, json};

use crate::testing::{Harness, harness};

const PASSWORD: &str = "correct horse battery";
const UUID: &str = "3f0b8c2e-6d1a-4b5e-9f7c-2a4d6e8b0c13";

fn pack(version: u32, icons: &[(&str, &[&str])]) -> Vec<u8> {
    let listed: Vec<Value> =
        icons.iter().map(|(name, issuers)| json!({"filename": format!("SVG/{name}.svg"), "issuer": issuers})).collect();
    let description = json!({"uuid": UUID, "name": "Test icons", "version": version, "icons": listed});
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("pack.json", options).unwrap();
    zip.write_all(description.to_string().as_bytes()).unwrap();
    for (name, _) in icons {
        zip.start_file(format!("SVG/{name}.svg"), options).unwrap();
        zip.write_all(br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8" fill="#09c"/></svg>"##)
            .unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn token(h: &Harness, name: &str, bytes: &[u8]) -> String {
    let path = h.dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    h.file(&path, crate::dialog::Kind::Read)
}

fn with_accounts(name: &str) -> (Harness, String, String) {
    let h = harness(name);
    h.invoke("create_vault", json!({"password": PASSWORD})).unwrap();
    for link in [
        "otpauth://totp/Acme%20Cloud:alice?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Cloud",
        "otpauth://totp/Other:bob?secret=KRSXG5CTMVRXEZLU&issuer=Other",
    ] {
        h.invoke("add_account_link", json!({"link": link})).unwrap();
    }
    let list = h.invoke("list_accounts", json!({})).unwrap();
    let id = |i: usize| list["accounts"][i]["id"].as_str().unwrap().to_owned();
    (h, id(0), id(1))
}

#[test]
fn a_pack_is_imported_offered_shown_and_copied_into_the_vault() {
    let (h, acme, other) = with_accounts("iconpacks_flow");
    assert_eq!(h.invoke("list_icon_packs", json!({})), Ok(json!([])));
    assert_eq!(h.invoke("pack_icon_matches", json!({})), Ok(json!([])));

    let file = token(&h, "pack.zip", &pack(1, &[("Acme", &["acme cloud", "acme"]), ("Zeta", &["zeta"])]));
    let imported = h.invoke("import_icon_pack", json!({"file": file})).unwrap();
    assert_eq!(
        imported,
        json!({"outcome": "imported", "pack": {"uuid": UUID, "name": "Test icons", "version": 1, "icons": 2}})
    );
    assert_eq!(h.invoke("list_icon_packs", json!({})).unwrap()[0]["icons"], 2);
    assert!(h.dir.join("icon-packs").join(UUID).join("index.json").is_file(), "beside the settings");

    // Edit → Picture: the matching icon first, then the rest.
    let offered = h.invoke("account_pack_icons", json!({"id": acme})).unwrap();
    assert_eq!(offered[0], json!({"pack": UUID, "packName": "Test icons", "id": 0, "name": "Acme", "matches": true}));
    assert_eq!(offered[1]["name"], "Zeta");
    assert_eq!(offered[1]["matches"], false);

    // The card of an account without a picture shows the matching pack icon; the other has none.
    assert_eq!(h.invoke("pack_icon_matches", json!({})), Ok(json!([{"account": acme, "pack": UUID, "id": 0}])));
    let url = h.invoke("pack_icon", json!({"pack": UUID, "icon": 0})).unwrap();
    assert!(url.as_str().unwrap().starts_with("data:image/png;base64,"), "{url}");

    // Chosen for the other account: copied into the vault, kept after lock and unlock, listed as a picture.
    h.invoke("set_account_icon_from_pack", json!({"id": other, "pack": UUID, "icon": 1})).unwrap();
    h.invoke("lock_vault", json!({})).unwrap();
    h.invoke("unlock_vault", json!({"password": PASSWORD})).unwrap();
    let list = h.invoke("list_accounts", json!({})).unwrap();
    assert!(list["accounts"][1]["icon"].is_string());
    assert_eq!(h.invoke("account_icon", json!({"id": other})), Ok(url_of(&h, 1)));
    // Removing the pack leaves the account's copy in the vault.
    h.invoke("remove_icon_pack", json!({"pack": UUID})).unwrap();
    assert_eq!(h.invoke("list_icon_packs", json!({})), Ok(json!([])));
    assert!(!h.dir.join("icon-packs").join(UUID).exists());
    assert!(h.invoke("account_icon", json!({"id": other})).unwrap().is_string());
    assert_eq!(h.invoke("pack_icon_matches", json!({})), Ok(json!([])));
    assert_eq!(h.invoke("remove_icon_pack", json!({"pack": UUID})).unwrap_err()["code"], "not_found");
}

fn url_of(h: &Harness, icon: u32) -> Value {
    // Read before the pack is removed: the same PNG the pack holds.
    h.invoke("pack_icon", json!({"pack": UUID, "icon": icon})).unwrap()
}

#[test]
fn a_newer_version_replaces_the_pack_with_the_same_uuid() {
    let (h, _, _) = with_accounts("iconpacks_replace");
    let first = token(&h, "v1.zip", &pack(1, &[("Acme", &["acme"])]));
    h.invoke("import_icon_pack", json!({"file": first})).unwrap();
    let second = token(&h, "v2.zip", &pack(2, &[("Acme", &["acme"]), ("Other", &["other"])]));
    let imported = h.invoke("import_icon_pack", json!({"file": second})).unwrap();
    assert_eq!(imported["replaced"], 1);
    let packs = h.invoke("list_icon_packs", json!({})).unwrap();
    assert_eq!(packs, json!([{"uuid": UUID, "name": "Test icons", "version": 2, "icons": 2}]));
}

#[test]
fn hostile_packs_are_refused_with_a_code_and_nothing_is_stored() {
    let (h, _, _) = with_accounts("iconpacks_hostile");
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("pack.json", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(
        json!({"uuid": UUID, "name": "n", "version": 1, "icons": [{"filename": "../evil.svg", "issuer": []}]})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    let traversal = zip.finish().unwrap().into_inner();
    // A ZIP bomb: an icon of nearly 2 MiB of spaces, compressed a thousandfold.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("pack.json", deflated).unwrap();
    let listed = json!({"uuid": UUID, "name": "n", "version": 1, "icons": [{"filename": "a.svg", "issuer": []}]});
    zip.write_all(listed.to_string().as_bytes()).unwrap();
    zip.start_file("a.svg", deflated).unwrap();
    zip.write_all(&vec![b' '; (2 << 20) - 1]).unwrap();
    let bomb = zip.finish().unwrap().into_inner();
    // Issue 18: the detail is a key with its values, for the page to word; the libraries' English stays out.
    let cases = [
        (
            "traversal.zip",
            traversal,
            "unsafeName",
            json!({"key": "detail.pack_unsafe_name", "params": {"name": "../evil.svg"}}),
        ),
        ("notes.zip", b"just text".to_vec(), "notZip", json!({"key": "detail.pack_not_zip", "params": {}})),
        ("bomb.zip", bomb, "bomb", json!({"key": "detail.pack_bomb", "params": {"name": "a.svg", "ratio": "100"}})),
    ];
    for (name, bytes, code, detail) in cases {
        let file = token(&h, name, &bytes);
        let answer = h.invoke("import_icon_pack", json!({"file": file})).unwrap();
        assert_eq!(answer["outcome"], "refused", "{name}");
        assert_eq!(answer["reason"], code, "{name}");
        assert_eq!(answer["detail"], detail, "{name}");
    }
    assert_eq!(h.invoke("list_icon_packs", json!({})), Ok(json!([])));
    let unknown = h.invoke_worded("pack_icon", json!({"pack": "nope", "icon": 0})).unwrap_err();
    assert_eq!(unknown["code"], "not_found");
    assert_eq!(unknown["detail"], json!({"key": "detail.pack_not_found", "params": {"uuid": "nope"}}));
    let gone = h.invoke_worded("remove_icon_pack", json!({"pack": UUID})).unwrap_err();
    assert_eq!(gone["detail"], json!({"key": "detail.pack_not_found", "params": {"uuid": UUID}}));
}
