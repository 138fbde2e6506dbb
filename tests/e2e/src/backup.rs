//! Backups in the real window: export a backup, wipe the vault, restore it, and see the same accounts with the
//! core's codes.

use std::time::Duration;

use super::webdriver::{Result, Session};
use super::{Options, PASSWORD, card_code, create_vault, data_dir, open};

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

    // Back up with the vault password, to a path typed in (a native file dialog cannot be driven).
    s.click(&s.button("Backups")?)?;
    s.heading("Backups", Duration::from_secs(10))?;
    s.type_text(&s.field("Vault password")?, PASSWORD)?;
    s.type_text(&s.field("Save to")?, &file.display().to_string())?;
    s.click(&s.button("Back up now")?)?;
    status(s, "Verified: 2 accounts", Duration::from_secs(60))?;

    // Wipe: the vault file goes, the app starts again on an empty vault.
    if let Some(session) = slot.take() {
        session.quit()?;
    }
    std::fs::remove_file(dir.join("twofold.vault")).map_err(|e| format!("cannot delete the vault: {e}"))?;
    let s: &Session = slot.insert(open(options, &dir)?);
    create_vault(s)?;

    // Restore: the preview lists both accounts as new, a merge adds them.
    s.click(&s.button("Backups")?)?;
    s.click(&s.button("Restore")?)?;
    s.type_text(&s.field("Backup file")?, &file.display().to_string())?;
    s.type_text(&s.field("Backup password")?, PASSWORD)?;
    s.click(&s.button("Preview restore")?)?;
    s.wait_xpath(
        "the preview",
        "//ul[@aria-label='Accounts in the backup'][count(li)=2][count(.//span[normalize-space(.)='New'])=2]",
        Duration::from_secs(60),
    )?;
    save_page_screenshot(options, s);
    s.click(&s.button("Restore accounts")?)?;
    status(s, "Restored: 2 accounts added", Duration::from_secs(60))?;
    s.click(&s.button("Back to accounts")?)?;
    codes_match_the_core(s)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The restore preview, for `docs/screenshots/backups.png` (copied by hand; the run does not touch docs).
fn save_page_screenshot(options: &Options, s: &Session) {
    let path = options.artifacts.join("backups-page.png");
    let _ = std::fs::create_dir_all(&options.artifacts);
    if let Ok(png) = s.screenshot() {
        let _ = std::fs::write(path, png);
    }
}
