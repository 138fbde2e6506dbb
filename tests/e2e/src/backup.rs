//! Backups in the real window: back up to a chosen file (asked before replacing it), export with the vault
//! password and see what the format leaves out, wipe the vault, restore the backup, and see the same accounts
//! with the core's codes. Files are chosen through the app's scripted chooser (`crate::answer_chooser`).

use std::time::Duration;

use super::webdriver::{Result, Session};
use super::{Options, PASSWORD, answer_chooser, card_code, create_vault, data_dir, open};

const ACCOUNTS: [(&str, &str, &str); 2] =
    [("Example", "alice@example.com", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"), ("Mastodon", "bob", "JBSWY3DPEHPK3PXP")];

fn link(issuer: &str, name: &str, key: &str) -> String {
    format!("otpauth://totp/{issuer}:{name}?secret={key}&issuer={issuer}")
}

/// Every card shows one of the core's codes for its key around now.
fn codes_match_the_core(s: &Session) -> Result<()> {
    for (issuer, name, key) in ACCOUNTS {
        crate::expect_core_code(s, issuer, name, &link(issuer, name, key))?;
    }
    Ok(())
}

fn status(s: &Session, text: &str, timeout: Duration) -> Result<()> {
    s.wait_xpath(
        &format!("status `{text}`"),
        &format!("//*[@role='status'][contains(normalize-space(.), '{text}')]"),
        timeout,
    )
    .map(drop)
}

pub fn backup_wipe_restore(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("backup")?;
    let file = dir.join("exported.twofold-backup");
    let s: &Session = slot.insert(open(options, &dir)?);
    create_vault(s)?;
    for (issuer, name, key) in ACCOUNTS {
        s.click(&s.button("Add account")?)?;
        s.type_text(&s.field("otpauth:// link")?, &link(issuer, name, key))?;
        s.click(&s.button("Add")?)?;
        card_code(s, issuer, name)?;
    }
    codes_match_the_core(s)?;

    // Back up with the vault password, to a file chosen with the button (the path is shown, never typed).
    s.click(&s.button("Backups")?)?;
    s.heading("Backups", Duration::from_secs(10))?;
    s.type_text(&s.field("Vault password")?, PASSWORD)?;
    answer_chooser(&dir, &file)?;
    s.click(&s.button("Choose file…")?)?;
    s.wait_xpath("the chosen path", &format!("//*[normalize-space(.)='{}']", file.display()), Duration::from_secs(10))?;
    s.click(&s.button("Back up now")?)?;
    status(s, &format!("Verified: 2 accounts written to {}", file.display()), Duration::from_secs(60))?;

    // Backing up to the same file again asks before replacing it (issue 21 point 4).
    s.type_text(&s.field("Vault password")?, PASSWORD)?;
    s.click(&s.button("Back up now")?)?;
    s.wait_xpath(
        "the replace question",
        "//*[@role='alertdialog'][.//strong[normalize-space(.)='Replace the existing file?']]",
        Duration::from_secs(60),
    )?;
    s.click(&s.button("Replace")?)?;
    status(s, &format!("Verified: 2 accounts written to {}", file.display()), Duration::from_secs(60))?;

    // An export needs the vault password and says what the format leaves out, before and after.
    s.click(&s.button("Export")?)?;
    s.wait_xpath(
        "what Aegis leaves out",
        "//p[starts-with(normalize-space(.), 'This format leaves out: recovery codes')]",
        Duration::from_secs(10),
    )?;
    let export = dir.join("twofold-export.json");
    s.type_text(&s.field("Export password")?, "export pass 1")?;
    s.type_text(&s.field("Repeat export password")?, "export pass 1")?;
    s.type_text(&s.field("Vault password")?, PASSWORD)?;
    answer_chooser(&dir, &export)?;
    s.click(&s.button("Choose file…")?)?;
    save_page_screenshot(options, s, "backups-export.png");
    // The tab is named Export too: the form's submit button.
    let submit = "//button[@type='submit'][normalize-space(.)='Export']";
    s.click(&s.wait_xpath("the Export button", submit, Duration::from_secs(10))?)?;
    status(s, &format!("Exported and checked: 2 accounts written to {}", export.display()), Duration::from_secs(60))?;
    status(s, "Not in this file: recovery codes", Duration::from_secs(5))?;
    save_page_screenshot(options, s, "backups-exported.png");

    // Wipe: the vault and its previous copy go (a lost disk; with the previous copy left the app would offer
    // to restore that instead), the app starts again on an empty vault.
    if let Some(session) = slot.take() {
        session.quit()?;
    }
    for name in ["twofold.vault", "twofold.vault.prev"] {
        std::fs::remove_file(dir.join(name)).map_err(|e| format!("cannot delete {name}: {e}"))?;
    }
    let s: &Session = slot.insert(open(options, &dir)?);
    create_vault(s)?;

    // Restore: the preview lists both accounts as new, a merge adds them.
    s.click(&s.button("Backups")?)?;
    s.click(&s.button("Restore")?)?;
    answer_chooser(&dir, &file)?;
    s.click(&s.button("Choose file…")?)?;
    s.type_text(&s.field("Backup password")?, PASSWORD)?;
    s.click(&s.button("Preview restore")?)?;
    s.wait_xpath(
        "the preview",
        "//ul[@aria-label='Accounts in the backup'][count(li)=2][count(.//span[normalize-space(.)='New'])=2]",
        Duration::from_secs(60),
    )?;
    save_page_screenshot(options, s, "backups-page.png");
    s.click(&s.button("Restore accounts")?)?;
    status(s, "Restored: 2 accounts added", Duration::from_secs(60))?;
    s.click(&s.button("Back to accounts")?)?;
    codes_match_the_core(s)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A picture of the page (the restore preview is `docs/screenshots/backups.png`, copied by hand; the run does
/// not touch docs).
fn save_page_screenshot(options: &Options, s: &Session, name: &str) {
    let path = options.artifacts.join(name);
    let _ = std::fs::create_dir_all(&options.artifacts);
    if let Ok(png) = s.screenshot() {
        let _ = std::fs::write(path, png);
    }
}
