//! Settings → Follow backups from my phone end to end: a folder holding an encrypted Aegis backup (written by
//! our own Aegis encoder, as the phone would) is chosen, its app detected, the backup password typed; the
//! account comes in; then a new backup dropped into the folder brings a new account into the open window.

use std::time::Duration;

use twofold_core::export::{self, Protection};
use twofold_core::{Account, OtpParams, Secret};

use super::{Options, PASSWORD, card_xpath, data_dir, now_s, open, oracle};
use crate::webdriver::{Result, Session};

const BACKUP_PASSWORD: &str = "phone backup password";

fn account(issuer: &str, name: &str, key: &str) -> Result<Account> {
    let secret = Secret::parse_base32(key).map_err(|e| e.to_string())?;
    Ok(Account::new(issuer, name, secret, OtpParams::default_totp(), 0))
}

fn backup(folder: &std::path::Path, stamp: &str, accounts: &[Account]) -> Result<()> {
    let out = export::export(accounts, export::Format::AegisEncrypted, Protection::Password(BACKUP_PASSWORD), 0)
        .map_err(|e| e.to_string())?;
    // As a sync tool does: written beside, then renamed into place.
    let temp = folder.join(format!(".syncthing.aegis-backup-{stamp}.json.tmp"));
    std::fs::write(&temp, &*out.bytes).map_err(|e| e.to_string())?;
    std::fs::rename(&temp, folder.join(format!("aegis-backup-{stamp}.json"))).map_err(|e| e.to_string())
}

pub fn new_backup_appears_in_the_window(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("follow")?;
    let phone = dir.join("phone");
    std::fs::create_dir_all(&phone).map_err(|e| e.to_string())?;
    let github = account("GitHub", "alice", "JBSWY3DPEHPK3PXP")?;
    backup(&phone, "20261207-100000", std::slice::from_ref(&github))?;
    oracle::write_vault_with_accounts(&dir, PASSWORD, 1, now_s())?;
    let s: &Session = slot.insert(open(options, &dir)?);
    s.heading("Unlock Twofold", Duration::from_secs(30))?;
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    s.wait_xpath("the vault's card", &card_xpath("Service 0000", "user0@example.com"), Duration::from_secs(30))?;

    s.click(&s.button("Settings")?)?;
    s.heading("Settings", Duration::from_secs(10))?;
    crate::answer_chooser(&dir, &phone)?;
    s.click(&s.button("Choose folder…")?)?;
    s.wait_xpath(
        "the detected app",
        "//*[@role='status'][contains(., 'Found Aegis backups')]",
        Duration::from_secs(10),
    )?;
    s.type_text(&s.field("Backup password")?, BACKUP_PASSWORD)?;
    let follow = s.button("Follow this folder")?;
    s.execute("document.getElementById('follow-title').scrollIntoView();")?;
    std::fs::create_dir_all(&options.artifacts).map_err(|e| e.to_string())?;
    std::fs::write(options.artifacts.join("follow_settings.png"), s.screenshot()?).map_err(|e| e.to_string())?;
    s.click(&follow)?;
    s.wait_xpath(
        "the confirmation",
        "//*[@role='status'][contains(., 'Following the folder.')]",
        Duration::from_secs(30),
    )?;
    s.click(&s.button("Back to accounts")?)?;
    s.wait_xpath("the phone's account", &card_xpath("GitHub", "alice"), Duration::from_secs(30))?;

    // The phone adds an account and writes its next backup: it appears in the open window.
    let shop = account("Shop", "alice@shop", "ONSWG4TFOQYTEMZU")?;
    backup(&phone, "20261207-101500", &[github, shop])?;
    s.wait_xpath("the new account from the phone", &card_xpath("Shop", "alice@shop"), Duration::from_secs(30))?;
    s.wait_xpath("the report", "//*[contains(., 'Aegis backup of 10:15: 1 new')]", Duration::from_secs(10))?;
    std::fs::write(options.artifacts.join("follow_list.png"), s.screenshot()?).map_err(|e| e.to_string())?;
    Ok(())
}
