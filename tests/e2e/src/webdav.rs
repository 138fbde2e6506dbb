//! Settings → Sync → Keep in step through a WebDAV server, end to end against a real `rclone serve webdav` on
//! loopback (the shared harness `tests/src/servers/`): the address, user and app password typed, Test says the
//! server answers, Save and sync turns it on, the status line says "In step via …", and the copy is on the
//! server; a wrong app password makes Test say so (401).

use std::time::Duration;

use twofold_tests::servers::webdav::{PASSWORD as APP_PASSWORD, USER, WebDavServer};

use super::{Options, create_vault, data_dir, open};
use crate::webdriver::{Result, Session};

pub fn set_up_through_the_window_and_reach_in_step(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let Some(server) = WebDavServer::rclone("webdav_set_up_through_the_window") else {
        return if twofold_tests::servers::in_ci() { Err("rclone is not installed".into()) } else { Ok(()) };
    };
    let url = server.url("twofold.vault");
    let dir = data_dir("webdav")?;
    let s: &Session = slot.insert(open(options, &dir)?);
    create_vault(s)?;
    s.click(&s.button("Settings")?)?;
    s.heading("Settings", Duration::from_secs(10))?;
    s.execute("document.getElementById('webdav-title').scrollIntoView();")?;
    s.type_text(&s.field("WebDAV address")?, &url)?;
    s.type_text(&s.field("User name")?, USER)?;
    s.type_text(&s.field("App password")?, APP_PASSWORD)?;
    s.click(&s.button("Test")?)?;
    s.wait_xpath(
        "the test's answer",
        "//*[@role='status'][contains(., 'no copy yet; turning sync on creates it')]",
        Duration::from_secs(30),
    )?;
    s.click(&s.field("Keep in step through a WebDAV server")?)?;
    s.click(&s.button("Save and sync")?)?;
    s.wait_xpath(
        "the status line",
        &format!("//*[@role='status'][starts-with(normalize-space(.), 'In step via {url}')]"),
        Duration::from_secs(30),
    )?;
    s.wait_xpath(
        "the kept password",
        "//*[contains(., 'An app password is kept in the vault.')]",
        Duration::from_secs(10),
    )?;
    s.execute("document.getElementById('sync-title').scrollIntoView();")?;
    std::fs::create_dir_all(&options.artifacts).map_err(|e| e.to_string())?;
    std::fs::write(options.artifacts.join("webdav_settings.png"), s.screenshot()?).map_err(|e| e.to_string())?;
    // A wrong app password: Test says so in one sentence, and the one kept in the vault is not touched.
    s.type_text(&s.field("App password")?, "not the app password")?;
    s.click(&s.button("Test")?)?;
    s.wait_xpath(
        "the 401 sentence",
        "//*[@role='status'][contains(., 'the server refused the user name or app password (401)')]",
        Duration::from_secs(30),
    )?;
    s.execute("document.getElementById('webdav-password').scrollIntoView();")?;
    std::fs::write(options.artifacts.join("webdav_settings_401.png"), s.screenshot()?).map_err(|e| e.to_string())?;
    if !server.root.join("twofold.vault").exists() {
        return Err("the synced copy is not on the server".into());
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
