//! Issue 21 in the real window: the Add dialog checks a typed key as it is typed (the offending character, its
//! place from 1 and the likely slip; a partial or short key refused before Add), says a key the vault already
//! has before Add, and takes a Google Authenticator transfer link in the link field as a batch to pick from.

use std::time::Duration;

use twofold_core::{Account, OtpParams, Secret, migration};

use crate::webdriver::{Result, Session};
use crate::{Options, create_vault, data_dir, doc_shot, open};

const GITHUB: &str = "otpauth://totp/GitHub:alice?secret=JBSWY3DPEHPK3PXP&issuer=GitHub";

pub fn add_dialog_checks_keys_and_duplicates(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("add-keys")?;
    let s: &Session = slot.insert(open(options, &dir)?);
    create_vault(s)?;
    s.click(&s.button("Add account")?)?;
    s.type_text(&s.field("otpauth:// link")?, GITHUB)?;
    s.click(&s.button("Add")?)?;
    crate::wait_count(s, 1, Duration::from_secs(10))?;

    // A slip in a typed key: the character itself, its place among what was typed (spaces counted), the hint.
    s.click(&s.button("Add account")?)?;
    s.click(&s.button("Enter a key")?)?;
    let key = s.field("Secret key")?;
    s.type_text(&key, "abcd efgh 1234")?;
    s.alert("Character 11, “1”, cannot be in a key", Duration::from_secs(10))?;
    s.alert("did you mean “I”?", Duration::from_secs(1))?;
    s.click(&s.button("Show key")?)?;
    doc_shot(options, s, "add-key-error")?;
    add_is_disabled(s, true)?;

    // `AB` was added and became `AA`: now refused before Add.
    s.clear(&key)?;
    s.type_text(&key, "AB")?;
    s.alert("does not end on a whole byte", Duration::from_secs(10))?;
    add_is_disabled(s, true)?;

    // The vault's GitHub key, typed with spaces and in lower case: said before Add.
    s.clear(&key)?;
    s.type_text(&key, "jbsw y3dp ehpk 3pxp")?;
    s.wait_xpath(
        "the duplicate warning",
        "//*[@role='status'][contains(., 'You already have this key: GitHub (alice)')]",
        Duration::from_secs(10),
    )?;
    add_is_disabled(s, false)?;

    // A transfer link in the link field: its batch, the vault's key unchecked.
    s.click(&s.button("Paste a link")?)?;
    let secret = |text: &str| Secret::parse_base32(text).map_err(|e| e.to_string());
    let accounts = [
        Account::new("GitHub", "alice", secret("JBSWY3DPEHPK3PXP")?, OtpParams::default_totp(), 0),
        Account::new("GitLab", "bob", secret("GEZDGNBVGY3TQOJQ")?, OtpParams::default_totp(), 0),
    ];
    let encoded = migration::encode(&accounts, 21);
    let link = encoded.links.first().ok_or("no transfer link")?;
    s.type_text(&s.field("otpauth:// link")?, link.as_str())?;
    s.wait_xpath("the batch", "//h3[normalize-space(.)='2 accounts in this code']", Duration::from_secs(10))?;
    s.click(&s.button("Add 1 account")?)?;
    crate::wait_count(s, 2, Duration::from_secs(10))?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn add_is_disabled(s: &Session, disabled: bool) -> Result<()> {
    let state = s.execute(
        "const b = [...document.querySelectorAll('button[type=submit]')].find((b) => b.textContent.trim() === 'Add'); \
         return b ? b.disabled : null;",
    )?;
    if state.as_bool() == Some(disabled) {
        Ok(())
    } else {
        Err(format!("Add is disabled: {state}, expected {disabled}"))
    }
}
