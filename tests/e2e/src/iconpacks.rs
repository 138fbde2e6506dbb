//! An Aegis icon pack imports and is used (issue 19 points 4 and 8): a small pack built here (two SVG icons
//! with issuer lists) is imported in Settings through the file chooser, the card of the account whose issuer it
//! names shows the pack's icon, Edit → Picture → "From an icon pack" sets the other icon as the account's
//! picture, and after a restart the card still shows it; a pack with a path traversal name is refused first.
//! Screenshots `iconpacks_{refused,settings,list,edit}.png` are saved among the artifacts.

use std::io::Write;
use std::time::Duration;

use crate::webdriver::{Result, Session};
use crate::{Options, PASSWORD, answer_chooser, cli, data_dir, open};

const PACK_UUID: &str = "6c1f4a8e-2b3d-4e5f-8a9b-0c1d2e3f4a5b";

fn svg(colour: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="4" fill="{colour}"/><circle cx="12" cy="12" r="5" fill="#fff"/></svg>"##
    )
}

/// A pack in Aegis's format: pack.json at the root, the icons in a folder.
fn pack_zip() -> Result<Vec<u8>> {
    let description = serde_json::json!({
        "uuid": PACK_UUID,
        "name": "E2E pack",
        "version": 1,
        "icons": [
            { "filename": "SVG/Acme.svg", "name": "Acme", "category": null, "issuer": ["acme cloud", "acme"] },
            { "filename": "SVG/Second.svg", "name": "Second", "category": null, "issuer": ["second"] },
        ],
    });
    let e = |e: zip::result::ZipError| e.to_string();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in
        [("pack.json", description.to_string()), ("SVG/Acme.svg", svg("#0b7a75")), ("SVG/Second.svg", svg("#c2410c"))]
    {
        zip.start_file(name, options).map_err(e)?;
        zip.write_all(bytes.as_bytes()).map_err(|e| e.to_string())?;
    }
    Ok(zip.finish().map_err(e)?.into_inner())
}

/// A hostile pack: an entry named to leave the pack's folder.
fn traversal_zip() -> Result<Vec<u8>> {
    let e = |e: zip::result::ZipError| e.to_string();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("../evil.svg", zip::write::SimpleFileOptions::default()).map_err(e)?;
    zip.write_all(svg("#000").as_bytes()).map_err(|e| e.to_string())?;
    Ok(zip.finish().map_err(e)?.into_inner())
}

fn card_icon(issuer: &str, icon: &str) -> String {
    format!("//li[@data-issuer='{issuer}']//*[@data-icon='{icon}']/img[starts-with(@src, 'data:image/png')]")
}

fn save(options: &Options, s: &Session, name: &str) -> Result<()> {
    std::fs::create_dir_all(&options.artifacts).map_err(|e| e.to_string())?;
    let path = options.artifacts.join(format!("iconpacks_{name}.png"));
    std::fs::write(&path, s.screenshot()?).map_err(|e| e.to_string())?;
    println!("    screenshot: {}", path.display());
    Ok(())
}

fn unlock(s: &Session) -> Result<()> {
    s.heading("Unlock Twofold", Duration::from_secs(30))?;
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.click(&s.button("Unlock")?)
}

pub fn aegis_icon_pack_imports_and_is_used(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let wait = Duration::from_secs(30);
    let dir = data_dir("iconpacks")?;
    let vault = dir.join(twofold_core::vault::VaultStore::DEFAULT_FILE_NAME);
    cli(options, &dir, &vault, &["init"])?;
    let links = "otpauth://totp/Acme%20Cloud:alice?secret=JBSWY3DPEHPK3PXP&issuer=Acme%20Cloud\n\
                 otpauth://totp/Globex:bob?secret=KRSXG5CTMVRXEZLU&issuer=Globex\n";
    let list = dir.join("links.txt");
    std::fs::write(&list, links).map_err(|e| e.to_string())?;
    cli(options, &dir, &vault, &["import", &list.display().to_string(), "--format", "otpauth"])?;
    let pack = dir.join("e2e-pack.zip");
    std::fs::write(&pack, pack_zip()?).map_err(|e| e.to_string())?;

    let s: &Session = slot.insert(open(options, &dir)?);
    unlock(s)?;
    s.wait_xpath("Acme Cloud's card", "//li[@data-issuer='Acme Cloud']", wait)?;

    // Settings → Icon packs → Import a pack…, answered by the scripted chooser. A hostile pack first: refused,
    // with the reason in words and the entry's name.
    s.click(&s.button("Settings")?)?;
    s.heading("Settings", Duration::from_secs(10))?;
    let evil = dir.join("evil-pack.zip");
    std::fs::write(&evil, traversal_zip()?).map_err(|e| e.to_string())?;
    answer_chooser(&dir, &evil)?;
    s.click(&s.button("Import a pack…")?)?;
    s.wait_xpath(
        "the refusal of a path traversal",
        "//*[@role='alert'][contains(., 'path traversal')][contains(., '../evil.svg')]",
        wait,
    )?;
    s.execute("document.querySelector('.iconpacks [role=alert]').scrollIntoView({ block: 'center' });")?;
    save(options, s, "refused")?;
    answer_chooser(&dir, &pack)?;
    s.click(&s.button("Import a pack…")?)?;
    s.wait_xpath(
        "the import's confirmation",
        "//*[@role='status'][normalize-space(.)='Imported E2E pack: 2 icons.']",
        wait,
    )?;
    s.button("Remove the icon pack E2E pack")?;
    s.execute("document.getElementById('iconpacks-title').scrollIntoView();")?;
    save(options, s, "settings")?;
    if !dir.join("icon-packs").join(PACK_UUID).join("index.json").is_file() {
        return Err("the pack is not stored in icon-packs/<uuid>/ beside the settings".into());
    }
    s.click(&s.button("Back to accounts")?)?;

    // The card whose issuer the pack names shows the pack's icon; the other keeps its brand icon or initial.
    s.wait_xpath("the pack icon on Acme Cloud's card", &card_icon("Acme Cloud", "pack"), wait)?;
    save(options, s, "list")?;
    if s.execute("return document.querySelector(\"li[data-issuer='Globex'] [data-icon='pack']\") !== null;")?.as_bool()
        == Some(true)
    {
        return Err("Globex shows a pack icon, but the pack names no such issuer".into());
    }

    // Edit → Picture → From an icon pack: the matching icon first; the other one found by the search and used.
    s.click(&s.button("Edit Acme Cloud")?)?;
    s.click(&s.wait_xpath("From an icon pack", "//summary[normalize-space(.)='From an icon pack']", wait)?)?;
    s.wait_xpath(
        "the matching pack icon",
        "//button[@aria-label='Use Acme (E2E pack)']/img[starts-with(@src, 'data:image/png')]",
        wait,
    )?;
    s.type_text(&s.field("Search all pack icons")?, "sec")?;
    let second = s.wait_xpath(
        "the searched pack icon",
        "//button[@aria-label='Use Second (E2E pack)']/img[starts-with(@src, 'data:image/png')]",
        wait,
    )?;
    save(options, s, "edit")?;
    s.click(&second)?;
    s.button("Remove picture")?;
    s.click(&s.button("Back to accounts")?)?;
    s.wait_xpath("the chosen picture on the card", &card_icon("Acme Cloud", "picture"), wait)?;
    let chosen = picture_src(s)?;

    // After a restart the account still has the picture (it is in the vault, not the pack's folder).
    if let Some(session) = slot.take() {
        session.quit()?;
    }
    let s: &Session = slot.insert(open(options, &dir)?);
    unlock(s)?;
    s.wait_xpath("the picture after a restart", &card_icon("Acme Cloud", "picture"), wait)?;
    if picture_src(s)? != chosen {
        return Err("after the restart the card shows another picture".into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn picture_src(s: &Session) -> Result<String> {
    let src = s.execute(
        "return document.querySelector(\"li[data-issuer='Acme Cloud'] [data-icon='picture'] img\").getAttribute('src');",
    )?;
    src.as_str().map(str::to_owned).ok_or_else(|| "the card's picture has no src".to_string())
}
