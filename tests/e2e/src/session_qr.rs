//! Scenarios for locking when the desktop session locks, and for showing an account's QR code.

use std::process::Command;
use std::time::{Duration, Instant};

use super::webdriver::{Element, Result, Session};
use super::{ISSUER, LINK, NAME, Options, PASSWORD, card_button, create_vault, data_dir, open, read_clipboard};

const QR_SUMMARY: &str = "//summary[normalize-space(.)='Show QR code']";
const QR_PASSWORD: &str = "//details[summary[normalize-space(.)='Show QR code']]//input[@type='password']";

/// Creates a vault and adds the test account by its link; returns at the list showing it.
fn create_vault_with_account(s: &Session) -> Result<()> {
    create_vault(s)?;
    s.click(&s.button("Add account")?)?;
    s.type_text(&s.field("otpauth:// link")?, LINK)?;
    s.click(&s.button("Add")?)?;
    card_button(s, ISSUER, NAME).map(drop)
}

/// The screensaver coming on (a D-Bus signal on the session bus) locks the vault and clears our code from the
/// clipboard. The clipboard delay is long here, so only the lock can have cleared it.
pub fn screensaver_locks_the_vault(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("screensaver")?;
    let settings =
        r#"{"clipboardClearSeconds": 600, "autoLockMinutes": 0, "privacyMode": false, "contentProtection": true}"#;
    std::fs::write(dir.join("settings.json"), settings).map_err(|e| e.to_string())?;
    let s: &Session = slot.insert(open(options, &dir)?);
    create_vault_with_account(s)?;

    s.click(&card_button(s, ISSUER, NAME)?)?;
    s.wait_xpath("the Copied toast", "//*[@role='status'][contains(., 'Copied code for')]", Duration::from_secs(5))?;
    let copied = read_clipboard()?;
    if copied.len() != 6 {
        return Err(format!("expected a 6-digit code on the clipboard, found `{copied}`"));
    }

    let sent = Command::new("dbus-send")
        .args([
            "--session",
            "--type=signal",
            "/org/freedesktop/ScreenSaver",
            "org.freedesktop.ScreenSaver.ActiveChanged",
            "boolean:true",
        ])
        .output()
        .map_err(|e| format!("cannot run dbus-send ({e}); install dbus (`cargo xtask setup`)"))?;
    if !sent.status.success() {
        return Err(format!(
            "dbus-send failed (is there a session bus? run under dbus-run-session): {}",
            String::from_utf8_lossy(&sent.stderr).trim()
        ));
    }

    s.heading("Unlock Twofold", Duration::from_secs(10))?;
    let started = Instant::now();
    while !read_clipboard()?.is_empty() {
        if started.elapsed() > Duration::from_secs(10) {
            return Err(format!("the clipboard still holds `{}` after the lock", read_clipboard()?));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // The lock is the shell's, not only the screen's: the password opens the list again.
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    card_button(s, ISSUER, NAME).map(drop)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Opens the edit view of the account titled `title`, asks for its QR code with the password and returns the
/// image. A wrong password first must be refused.
pub fn show_qr(s: &Session, title: &str) -> Result<Element> {
    s.click(&s.button(&format!("Edit {title}"))?)?;
    s.click(&s.wait_xpath("the QR section", QR_SUMMARY, Duration::from_secs(5))?)?;
    // Two sections ask for the vault password (the key and the QR code): take the QR section's field.
    let field = s.wait_xpath("the QR password field", QR_PASSWORD, Duration::from_secs(5))?;
    s.type_text(&field, "not the password")?;
    s.click(&s.button("Show QR code")?)?;
    s.alert("Wrong password", Duration::from_secs(30))?;
    s.type_text(&field, PASSWORD)?;
    s.click(&s.button("Show QR code")?)?;
    let image =
        s.wait_xpath("the QR code image", &format!("//img[@alt='QR code for {title}']"), Duration::from_secs(30))?;
    s.wait_xpath("the secret warning", "//*[contains(., 'carries the secret key')]", Duration::from_secs(5))?;
    // Let the image decode and paint (and the view scroll to it) before anyone takes its picture.
    std::thread::sleep(Duration::from_millis(500));
    Ok(image)
}

/// "Show QR code" in the edit view asks for the password and shows a QR code that the core reads back as the
/// same account; it is gone after leaving the view.
pub fn account_qr_code_shows_the_account(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("qr")?;
    let s: &Session = slot.insert(open(options, &dir)?);
    create_vault_with_account(s)?;
    show_qr(s, ISSUER)?;
    // A picture of the window, as a phone would see the screen. (WebKitWebDriver's element screenshot is
    // offset when the view has scrolled inside the page: it cut the code off, so the window is used.)
    let png = s.screenshot()?;
    let decoded = twofold_core::qr::decode_image_bytes(&png);
    let Some(text) = decoded.iter().flatten().next().map(|p| p.as_str().to_string()) else {
        let path = options.artifacts.join("account_qr_window.png");
        let _ = std::fs::create_dir_all(&options.artifacts).and_then(|()| std::fs::write(&path, &png));
        return Err(format!("no QR code found in the window ({decoded:?}; saved to {})", path.display()));
    };
    let shown = twofold_core::uri::parse(&text).map_err(|e| format!("the QR code holds no account link: {e}"))?;
    let added = twofold_core::uri::parse(LINK).map_err(|e| e.to_string())?;
    if (shown.issuer.as_str(), shown.name.as_str()) != (ISSUER, NAME)
        || shown.secret.to_base32().as_str() != added.secret.to_base32().as_str()
        || shown.otp != added.otp
    {
        return Err(format!("the QR code shows {} ({}), not the account added", shown.issuer, shown.name));
    }

    // Leaving the view drops the image: coming back asks for the password again.
    s.click(&s.button("Back to accounts")?)?;
    s.click(&s.button(&format!("Edit {ISSUER}"))?)?;
    s.click(&s.wait_xpath("the QR section", QR_SUMMARY, Duration::from_secs(5))?)?;
    s.wait_xpath("the QR password field", QR_PASSWORD, Duration::from_secs(5))?;
    let shown = s.execute("return document.querySelectorAll('img[alt^=\"QR code\"]').length;")?;
    if shown.as_u64() != Some(0) {
        return Err("the QR code is still shown after leaving the view".into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
