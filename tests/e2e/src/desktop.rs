//! Scenarios of Twofold as an installed desktop program: the packaged app opens, and `otpauth://` links
//! handed to it (as `xdg-open` does, through the desktop entry) reach the running window.

use std::process::{Command, Stdio};
use std::time::Duration;

use crate::webdriver::{Result, Session};
use crate::{ISSUER, LINK, NAME, Options, PASSWORD, create_vault, data_dir, now_s, open, oracle};

/// The app opens on a fresh data folder and shows the create screen. `cargo xtask test` runs this one on
/// the binary installed from the `.deb` (`--app ROOT/usr/bin/twofold --only opens_to_create_screen`).
pub fn opens_to_create_screen(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("opens")?;
    let s: &Session = slot.insert(open(options, &dir)?);
    s.heading("Create your vault", Duration::from_secs(30))?;
    s.field("Password")?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// An `otpauth://` link given to a second launch (`twofold 'otpauth://…'`, what `xdg-open` runs through the
/// desktop entry) reaches the running, unlocked window: the add dialog names the account (the link stays in
/// the shell), and the account is saved only after the user clicks Add.
pub fn deeplink_opens_prefilled_add_dialog(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("deeplink")?;
    let s: &Session = slot.insert(open(options, &dir)?);
    create_vault(s)?;

    second_launch(options, LINK)?;

    s.heading("Add account", Duration::from_secs(15))?;
    // The confirmation names the account; the link itself (and its key) stays in the shell.
    s.wait_xpath("the confirmation", &confirmation(ISSUER), Duration::from_secs(10))?;
    no_link_in_page(s, LINK)?;
    screenshot(options, s, "deeplink-add")?;
    s.click(&s.button("Add")?)?;
    crate::expect_core_code(s, ISSUER, NAME, LINK)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The app started with a link while its vault is locked: the unlock screen shows no trace of it, and once
/// unlocked the add dialog names its account; Cancel saves nothing.
pub fn deeplink_first_launch_waits_for_unlock(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    const LATER: &str = "otpauth://totp/Later:bob@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Later";
    let dir = data_dir("deeplink-first")?;
    oracle::write_vault_with_accounts(&dir, PASSWORD, 1, now_s())?;
    let args = vec!["--data-dir".to_string(), dir.display().to_string(), LATER.to_string()];
    let s: &Session = slot.insert(Session::start(&options.driver, &options.app.display().to_string(), &args)?);
    s.heading("Unlock Twofold", Duration::from_secs(30))?;
    let page = s.execute("return document.body.innerText;")?;
    if page.as_str().is_some_and(|text| text.contains("otpauth") || text.contains("Later")) {
        return Err(format!("the locked window shows the link: {page}"));
    }
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    s.heading("Add account", Duration::from_secs(30))?;
    s.wait_xpath("the confirmation", &confirmation("Later"), Duration::from_secs(10))?;
    no_link_in_page(s, LATER)?;
    s.click(&s.button("Cancel")?)?;
    // Back on the list: only the account that was there before.
    crate::wait_count(s, 1, Duration::from_secs(10))?;
    if s.execute("return document.body.innerText.includes('bob@example.com');")?.as_bool() != Some(false) {
        return Err("the cancelled link was saved anyway".into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The add dialog's confirmation of an opened link, naming `issuer`.
pub(crate) fn confirmation(issuer: &str) -> String {
    format!("//*[h3[normalize-space(.)='Add this account?']]//strong[normalize-space(.)='{issuer}']")
}

/// Fails when the page holds `link` or its key anywhere (text, field values, attributes).
pub(crate) fn no_link_in_page(s: &Session, link: &str) -> Result<()> {
    let key = link.split("secret=").nth(1).and_then(|k| k.split('&').next()).unwrap_or(link);
    let script = format!(
        "const html = document.documentElement.outerHTML; \
         const values = [...document.querySelectorAll('input, textarea')].map((e) => e.value).join(' '); \
         return (html + values).includes('{key}');"
    );
    match s.execute(&script)?.as_bool() {
        Some(false) => Ok(()),
        _ => Err("the opened link's key reached the page".into()),
    }
}

/// Runs the app again with `link` as its only argument and waits for it to hand the link over and exit.
fn second_launch(options: &Options, link: &str) -> Result<()> {
    let child = Command::new(&options.app)
        .arg(link)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", options.app.display()))?;
    crate::wait_handover(child, "the second launch", "it did not hand the link over and exit")
}

/// The clock check, turned on, against an SNTP responder on loopback whose clock is 42 s behind ours: the
/// unlocked window shows the warning banner.
pub fn clock_warning_banner(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let (server, responder) = skewed_sntp_server(-42)?;
    let dir = data_dir("clock")?;
    let settings = format!(
        r#"{{"clipboardClearSeconds": 3, "autoLockMinutes": 0, "privacyMode": false, "contentProtection": true, "clockCheck": true, "clockServer": "{server}"}}"#
    );
    std::fs::write(dir.join("settings.json"), settings).map_err(|e| e.to_string())?;
    let s: &Session = slot.insert(open(options, &dir)?);
    s.heading("Create your vault", Duration::from_secs(30))?;
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.type_text(&s.field("Repeat password")?, PASSWORD)?;
    s.click(&s.field("I understand that a lost password cannot be recovered")?)?;
    s.click(&s.button("Create vault")?)?;
    s.wait_xpath(
        "the clock warning",
        "//*[@role='status'][contains(., 'Your clock is 42 s fast; codes may be rejected')]",
        Duration::from_secs(20),
    )?;
    screenshot(options, s, "clock-warning")?;
    // The settings page shows the check on, with the server it asked.
    s.click(&s.button("Settings")?)?;
    s.heading("Settings", Duration::from_secs(10))?;
    let on = s.execute(
        "const box = [...document.querySelectorAll('label')].find(l => l.textContent.includes('Warn me when my clock is wrong'))?.querySelector('input'); return box ? box.checked : null;",
    )?;
    if on.as_bool() != Some(true) {
        return Err(format!("the clock check box is {on}, expected checked"));
    }
    let shown = s.execute("return document.getElementById('clock-server')?.value ?? null;")?;
    if shown.as_str() != Some(server.as_str()) {
        return Err(format!("the time server field holds {shown}, expected {server}"));
    }
    screenshot(options, s, "settings-clock")?;
    drop(responder);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// With `TWOFOLD_E2E_SCREENSHOTS=1`, saves the screen to `target/e2e/NAME.png` for `docs/screenshots/`.
fn screenshot(options: &Options, s: &Session, name: &str) -> Result<()> {
    if std::env::var_os("TWOFOLD_E2E_SCREENSHOTS").is_some() { crate::doc_shot(options, s, name) } else { Ok(()) }
}

/// An SNTP responder on 127.0.0.1 whose clock is `skew_s` seconds off ours; answers until dropped.
pub(crate) fn skewed_sntp_server(skew_s: i64) -> Result<(String, Responder)> {
    let socket = std::net::UdpSocket::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    socket.set_read_timeout(Some(Duration::from_millis(200))).map_err(|e| e.to_string())?;
    let address = socket.local_addr().map_err(|e| e.to_string())?.to_string();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    std::thread::spawn(move || {
        while !flag.load(std::sync::atomic::Ordering::Relaxed) {
            let mut request = [0u8; 48];
            let Ok((48, from)) = socket.recv_from(&mut request) else { continue };
            let now =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_secs_f64()
                    + skew_s as f64
                    + 2_208_988_800.0;
            let mut stamp = [0u8; 8];
            stamp[..4].copy_from_slice(&(now.trunc() as u32).to_be_bytes());
            stamp[4..].copy_from_slice(&((now.fract() * 4_294_967_296.0) as u32).to_be_bytes());
            let mut reply = [0u8; 48];
            reply[0] = 4 << 3 | 4; // version 4, server
            reply[1] = 1; // stratum 1
            reply[12..16].copy_from_slice(b"TEST");
            reply[16..24].copy_from_slice(&stamp);
            reply[24..32].copy_from_slice(&request[40..48]);
            reply[32..40].copy_from_slice(&stamp);
            reply[40..48].copy_from_slice(&stamp);
            let _ = socket.send_to(&reply, from);
        }
    });
    Ok((address, Responder(stop)))
}

/// Stops the responder thread when dropped.
pub(crate) struct Responder(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for Responder {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}
