//! Settings → "Unlock with this computer's keyring" through the window, against a real Secret Service
//! (issue 16 point 5): `gnome-keyring-daemon` on a private session bus (`twofold_tests::secret_service`),
//! reached by an app started through a driver of its own whose environment names that bus.
//!
//! The person turns the option on with the vault password, locks, and opens Twofold again with the keyring
//! button, typing nothing. Then the key is deleted from the keyring as Seahorse would (`secret-tool clear`):
//! the unlock screen says so and the password opens the vault, which renews the keyring key, so the next
//! unlock needs no typing again. Last, with the keyring daemon gone, Settings says why the option is off.

use std::time::Duration;

use twofold_tests::secret_service::SecretService;

use super::{Driver, Options, PASSWORD, card_xpath, data_dir, now_s, oracle, save_failure_screenshot};
use crate::webdriver::{Result, Session};

const ISSUER: &str = "Service 0000";
const NAME: &str = "user0@example.com";

/// The keyring button, clicked: the list comes back with no password typed.
fn unlock_with_keyring(s: &Session) -> Result<()> {
    s.heading("Unlock Twofold", Duration::from_secs(10))?;
    s.click(&s.button("Unlock with the keyring")?)?;
    s.wait_xpath("the card, opened by the keyring", &card_xpath(ISSUER, NAME), Duration::from_secs(30))?;
    Ok(())
}

fn lock(s: &Session) -> Result<()> {
    s.click(&s.button("Lock")?)?;
    s.heading("Unlock Twofold", Duration::from_secs(10)).map(drop)
}

fn open_settings(s: &Session) -> Result<()> {
    s.click(&s.button("Settings")?)?;
    s.heading("Settings", Duration::from_secs(10))?;
    s.execute("document.getElementById('keyring-title').scrollIntoView();").map(drop)
}

pub fn unlock_without_typing(options: &Options, _slot: &mut Option<Session>) -> Result<()> {
    let Some(mut service) = SecretService::start("keyring_unlock_without_typing")? else {
        // Outside CI with the programs missing: the start printed what to install.
        return Ok(());
    };
    // The app's environment comes from the driver that starts it: a driver of this scenario's own.
    let driver = Driver::start_with(&service.env())?;
    let dir = data_dir("keyring")?;
    oracle::write_vault_with_accounts(&dir, PASSWORD, 1, now_s())?;
    let args = vec![
        "--data-dir".to_string(),
        dir.display().to_string(),
        "--choose-files".to_string(),
        super::chooser_script(&dir).display().to_string(),
    ];
    let s = Session::start(&driver.url, &options.app.display().to_string(), &args)?;
    // The session ends before its driver; a failure's screenshot is taken here, while the driver still runs.
    let result = steps(options, &s, &mut service);
    if result.is_err() {
        save_failure_screenshot(options, "keyring_unlock_without_typing", &s);
    }
    let _ = s.quit();
    drop(driver);
    drop(service);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn steps(options: &Options, s: &Session, service: &mut SecretService) -> Result<()> {
    // No keyring button before the option is on.
    s.heading("Unlock Twofold", Duration::from_secs(30))?;
    if s.button("Unlock with the keyring").is_ok() {
        return Err(String::from("the unlock screen offers the keyring before it was turned on"));
    }
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    s.wait_xpath("the vault's card", &card_xpath(ISSUER, NAME), Duration::from_secs(30))?;

    // Turn it on: only with the password.
    open_settings(s)?;
    s.type_text(&s.field("Type the vault password to turn it on")?, PASSWORD)?;
    s.click(&s.button("Turn on")?)?;
    s.wait_xpath(
        "the option on",
        "//p[contains(., 'Twofold opens with the keyring for 7 days')]",
        Duration::from_secs(30),
    )?;
    std::fs::create_dir_all(&options.artifacts).map_err(|e| e.to_string())?;
    std::fs::write(options.artifacts.join("keyring_settings_on.png"), s.screenshot()?).map_err(|e| e.to_string())?;
    if service.twofold_items()?.is_empty() {
        return Err(String::from("turning the option on put no item in the keyring"));
    }
    s.click(&s.button("Back to accounts")?)?;

    // Lock, and open with the keyring: nothing typed.
    lock(s)?;
    std::fs::write(options.artifacts.join("keyring_unlock_screen.png"), s.screenshot()?).map_err(|e| e.to_string())?;
    unlock_with_keyring(s)?;
    lock(s)?;
    s.wait_xpath(
        "how it was last opened",
        "//p[contains(., 'Last unlocked with this computer')]",
        Duration::from_secs(10),
    )?;

    // The key deleted from the keyring: the unlock screen says why and the password is asked for.
    service.clear(&[("service", "twofold")])?;
    // The unlock screen was drawn while the key was there, so it still offers the keyring; the click says why not.
    s.click(&s.button("Unlock with the keyring")?)?;
    s.wait_xpath(
        "the reason the keyring did not open the vault",
        "//*[@role='status'][contains(., 'the key was deleted from the keyring')]",
        Duration::from_secs(30),
    )?;
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    s.wait_xpath("the card, opened by the password", &card_xpath(ISSUER, NAME), Duration::from_secs(30))?;

    // The typed password renewed the keyring key: the next unlock needs no typing again.
    lock(s)?;
    unlock_with_keyring(s)?;

    // No keyring service on the bus: Settings says why the keyring cannot open the vault now.
    service.stop_keyring();
    open_settings(s)?;
    s.wait_xpath(
        "why the keyring cannot be used",
        "//p[contains(., 'no keyring service answers on this computer')]",
        Duration::from_secs(30),
    )?;
    Ok(())
}

/// Unlock to first code, through the keyring and through the password, alternately in one session of a
/// `count`-account vault (issue 16 point 7; the figures are printed by `cargo xtask bench app`). `None` when no
/// Secret Service can be started here (outside CI, the start says what to install).
pub fn bench(options: &Options, count: usize) -> Result<Option<Vec<(Duration, Duration)>>> {
    let Some(service) = SecretService::start("bench app (keyring unlock)")? else { return Ok(None) };
    let driver = Driver::start_with(&service.env())?;
    let dir = data_dir("bench-keyring")?;
    oracle::write_vault_with_accounts(&dir, PASSWORD, count, now_s())?;
    let args = vec!["--data-dir".to_string(), dir.display().to_string()];
    let s = Session::start(&driver.url, &options.app.display().to_string(), &args)?;
    let result = bench_rounds(&s);
    let _ = s.quit();
    drop(driver);
    drop(service);
    let _ = std::fs::remove_dir_all(&dir);
    result.map(Some)
}

fn bench_rounds(s: &Session) -> Result<Vec<(Duration, Duration)>> {
    let first_code = |s: &Session| s.wait_xpath("a code", "//*[@data-code]", Duration::from_secs(60)).map(drop);
    let by_password = |s: &Session| -> Result<Duration> {
        s.heading("Unlock Twofold", Duration::from_secs(30))?;
        s.type_text(&s.field("Password")?, PASSWORD)?;
        let clicked = std::time::Instant::now();
        s.click(&s.button("Unlock")?)?;
        first_code(s)?;
        let polled = clicked.elapsed();
        Ok(crate::page_measure(s, "twofold:unlock-to-first-code")?.unwrap_or(polled))
    };
    by_password(s)?;
    open_settings(s)?;
    s.type_text(&s.field("Type the vault password to turn it on")?, PASSWORD)?;
    s.click(&s.button("Turn on")?)?;
    s.wait_xpath("the option on", "//p[contains(., 'Twofold opens with the keyring')]", Duration::from_secs(30))?;
    s.click(&s.button("Back to accounts")?)?;
    let mut rounds = Vec::new();
    for _ in 0..3 {
        lock(s)?;
        // The button appears once the unlock screen has asked the keyring whether it can open the vault.
        let button = s.wait_xpath(
            "the keyring button",
            "//button[normalize-space(.)='Unlock with the keyring']",
            Duration::from_secs(30),
        )?;
        let clicked = std::time::Instant::now();
        s.click(&button)?;
        first_code(s)?;
        let polled = clicked.elapsed();
        // Timed in the page, from the button's press to the paint of the first codes.
        let keyring = crate::page_measure(s, "twofold:unlock-to-first-code")?.unwrap_or(polled);
        // Let the list settle (and nothing else run) before the password round.
        std::thread::sleep(Duration::from_secs(1));
        lock(s)?;
        let password = by_password(s)?;
        // A password unlock renews the keyring key in the background: let it finish.
        std::thread::sleep(Duration::from_secs(1));
        rounds.push((keyring, password));
    }
    Ok(rounds)
}
