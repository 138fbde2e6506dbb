//! The Import page end to end: an encrypted Aegis export from the peer fixtures, opened by its path, a wrong
//! then the right file password, the preview with every entry of `expected.json`, the import, and a card's
//! code compared with the core's.

use std::time::Duration;

use super::{Options, PASSWORD, card_code, data_dir, now_s, open, oracle};
use crate::webdriver::{Result, Session};

const FIXTURE: &str = "aegis/aegis/aegis_encrypted.json";
/// From `peers/README.md`.
const FILE_PASSWORD: &str = "test";

pub fn encrypted_aegis_file(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let Some(fixtures) = twofold_tests::fixtures_dir("import_encrypted_aegis") else { return Ok(()) };
    let peers = fixtures.join("peers");
    let expected = twofold_tests::read_json(&peers.join("expected.json"));
    let entries = expected["fixtures"][FIXTURE]["expected"]["entries"].as_array().cloned().unwrap_or_default();
    if entries.is_empty() {
        return Err(format!("expected.json has no entries for {FIXTURE}"));
    }
    let deno = entries
        .iter()
        .find(|e| e["issuer"] == "Deno" && e["name"] == "Mason")
        .ok_or("expected.json has no Deno (Mason) entry")?;
    let link = format!(
        "otpauth://totp/Deno:Mason?secret={}&issuer=Deno&algorithm={}&digits={}&period={}",
        deno["secret"].as_str().ok_or("Deno has no secret")?,
        deno["algorithm"].as_str().unwrap_or("SHA1"),
        deno["digits"].as_u64().unwrap_or(6),
        deno["period"].as_u64().unwrap_or(30),
    );

    let dir = data_dir("import")?;
    oracle::write_vault_with_accounts(&dir, PASSWORD, 1, now_s())?;
    let s: &Session = slot.insert(open(options, &dir)?);
    s.heading("Unlock Twofold", Duration::from_secs(30))?;
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    card_code(s, "Service 0000", "user0@example.com")?;

    // Open the Import page from the toolbar and choose the file (the scripted chooser answers its path).
    s.click(&s.button("Import accounts")?)?;
    s.heading("Import accounts", Duration::from_secs(10))?;
    crate::answer_chooser(&dir, &peers.join(FIXTURE))?;
    s.click(&s.button("Choose file…")?)?;

    // The app and the encryption are detected; a wrong password is refused and can be retried.
    let password = s.field("File password")?;
    s.wait_xpath("the detected app", "//strong[normalize-space(.)='Aegis']", Duration::from_secs(5))?;
    s.wait_xpath("the encrypted badge", "//*[normalize-space(.)='Encrypted']", Duration::from_secs(5))?;
    s.type_text(&password, "not the password")?;
    s.click(&s.button("Decrypt")?)?;
    s.alert("Wrong password", Duration::from_secs(30))?;
    s.clear(&password)?;
    s.type_text(&password, FILE_PASSWORD)?;
    s.click(&s.button("Decrypt")?)?;

    // The preview lists every entry of the file, all checked (none is in the vault yet).
    s.wait_xpath("the preview", "//ul[@aria-label='Accounts in the file']", Duration::from_secs(30))?;
    let counted = s.execute(
        "const boxes = document.querySelectorAll('ul[aria-label=\"Accounts in the file\"] input[type=checkbox]'); \
         return [boxes.length, [...boxes].filter((b) => b.checked).length];",
    )?;
    let want = entries.len() as u64;
    if counted != serde_json::json!([want, want]) {
        return Err(format!("preview shows [boxes, checked] = {counted}, expected.json has {want} entries"));
    }
    s.field("Import Deno (Mason)")?;
    // For docs/screenshots/import.png (copied by hand: a test run never writes into the repository).
    let preview_png = options.artifacts.join("import-preview.png");
    let png = s.screenshot()?;
    std::fs::create_dir_all(&options.artifacts)
        .and_then(|()| std::fs::write(&preview_png, png))
        .map_err(|e| format!("{}: {e}", preview_png.display()))?;

    // Import: the report, then the list with the new cards.
    s.click(&s.button(&format!("Import {want} accounts"))?)?;
    s.wait_xpath("the report", "//h3[normalize-space(.)='Import finished']", Duration::from_secs(30))?;
    s.wait_xpath(
        "the added count",
        &format!("//p[contains(normalize-space(.), 'Added {want} · skipped 0 duplicates · could not read 0')]"),
        Duration::from_secs(5),
    )?;
    s.click(&s.button("Done")?)?;
    crate::expect_core_code(s, "Deno", "Mason", &link)?;
    let cards = super::card_count(s)?;
    if cards != entries.len() + 1 {
        return Err(format!("{cards} cards after the import, expected {}", entries.len() + 1));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
