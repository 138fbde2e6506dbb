//! The quick switcher: set its global shortcut on the Settings page like a user, open it with Ctrl+K in the
//! app and with the global shortcut pressed on the X server (`xdotool key`) while the window is hidden, type
//! part of an account's name, press Enter: the real clipboard holds the core's code and the window is hidden.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::webdriver::{Result, Session};
use crate::{
    CLEAR_SECONDS, ISSUER, LINK, NAME, Options, card_code, create_vault, data_dir, open, oracle, read_clipboard,
};

const OTHER: &str = "otpauth://totp/Mastodon:bob@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Mastodon";
/// WebDriver's key codes (W3C WebDriver, "Keyboard actions").
const CTRL: char = '\u{E009}';
const ALT: char = '\u{E00A}';
const ENTER: char = '\u{E007}';

pub fn quick_switcher_copies_and_hides(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("switcher")?;
    let s: &Session = slot.insert(open(options, &dir)?);
    create_vault(s)?;
    for link in [LINK, OTHER] {
        s.click(&s.button("Add account")?)?;
        s.type_text(&s.field("otpauth:// link")?, link)?;
        s.click(&s.button("Add")?)?;
        s.wait_xpath("the list", "//input[@id='search']", Duration::from_secs(20))?;
    }
    card_code(s, "Mastodon", "bob@example.com")?;
    card_code(s, ISSUER, NAME)?;

    // Settings: press Ctrl+Alt+K in the shortcut field; it records the combination.
    s.click(&s.button("Settings")?)?;
    s.heading("Settings", Duration::from_secs(10))?;
    let field = s.field("Quick switcher shortcut")?;
    s.click(&field)?;
    s.type_text(&field, &format!("{CTRL}{ALT}k"))?;
    let recorded = s.execute("return document.getElementById('quick-switcher-shortcut').value;")?;
    if recorded.as_str() != Some("Ctrl+Alt+K") {
        return Err(format!("the shortcut field recorded {recorded}, expected Ctrl+Alt+K"));
    }
    s.click(&s.button("Save settings")?)?;
    s.wait_xpath("the saved toast", "//*[@role='status'][contains(., 'Settings saved')]", Duration::from_secs(10))?;
    let saved = std::fs::read_to_string(dir.join("settings.json")).map_err(|e| e.to_string())?;
    if !saved.contains(r#""quickSwitcherShortcut": "Ctrl+Alt+K""#) {
        return Err(format!("settings.json does not hold the shortcut: {saved}"));
    }

    // In the app, Ctrl+K opens the switcher; Enter copies the chosen account's code and hides the window.
    let search = s.field("Search accounts")?;
    s.type_text(&search, &format!("{CTRL}k"))?;
    let query = switcher_box(s)?;
    s.type_text(&query, "alice")?;
    s.type_text(&query, &ENTER.to_string())?;
    wait_clipboard(LINK)?;
    wait_window_visible(false)?;

    // Let the first copy be cleared, so the second copy is seen to replace it.
    std::thread::sleep(Duration::from_secs(CLEAR_SECONDS));

    // The global shortcut on the X server brings the hidden window up with the switcher open.
    xdotool(&["key", "ctrl+alt+k"])?;
    wait_window_visible(true)?;
    let query = switcher_box(s)?;
    s.type_text(&query, "masto")?;
    if std::env::var_os("TWOFOLD_E2E_SCREENSHOTS").is_some() {
        crate::doc_shot(options, s, "switcher")?;
    }
    crate::a11y::axe_check(s, "quick switcher")?;
    s.type_text(&query, &ENTER.to_string())?;
    wait_clipboard(OTHER)?;
    wait_window_visible(false)?;

    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The switcher's search box, once open.
fn switcher_box(s: &Session) -> Result<crate::webdriver::Element> {
    s.wait_xpath(
        "the quick switcher",
        "//*[@role='dialog']//input[@role='combobox'][@aria-label='Search accounts']",
        Duration::from_secs(10),
    )
}

/// Waits until the clipboard holds one of the core's codes for `link` (bounded: 10 s).
fn wait_clipboard(link: &str) -> Result<()> {
    let start = Instant::now();
    loop {
        let held = read_clipboard()?;
        let expected = oracle::codes_around(link, crate::now_s())?;
        if expected.contains(&held) {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(10) {
            return Err(format!("clipboard holds `{held}` after 10 s, the core says one of {expected:?}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Waits until the Twofold window is mapped (`true`) or unmapped (bounded: 10 s).
fn wait_window_visible(visible: bool) -> Result<()> {
    let start = Instant::now();
    loop {
        // `--onlyvisible` lists mapped windows only; xdotool exits non-zero when none matches.
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", "^Twofold$"])
            .output()
            .map_err(|e| format!("cannot run xdotool ({e}); `cargo xtask setup` installs it"))?;
        if found.status.success() == visible {
            return Ok(());
        }
        if start.elapsed() > Duration::from_secs(10) {
            let state = if visible { "shown" } else { "hidden" };
            return Err(format!("the window is not {state} after 10 s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn xdotool(args: &[&str]) -> Result<()> {
    let status = Command::new("xdotool")
        .args(args)
        .status()
        .map_err(|e| format!("cannot run xdotool ({e}); `cargo xtask setup` installs it"))?;
    if status.success() { Ok(()) } else { Err(format!("xdotool {} failed: {status}", args.join(" "))) }
}
