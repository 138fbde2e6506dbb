//! Settings → Sync end to end with two app windows at once (issue 14, point 6): two data folders, one shared
//! folder, sync turned on in each window through Settings; an account added in window A appears in window B
//! without a restart.
//!
//! Two apps of one identifier on one session bus cannot both run (the second hands over to the first through
//! the single-instance name and exits), so window B runs on a D-Bus session bus of its own, started here, under
//! a second tauri-driver (on its own ports) whose environment names that bus.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use super::{Driver, LINK, Options, card_xpath, chooser_script, create_vault, data_dir, open};
use crate::webdriver::{Result, Session};

const ISSUER: &str = "Example";
const NAME: &str = "alice@example.com";
/// The sync section of Settings (`SyncSettings.svelte`).
const SECTION: &str = "//section[@aria-labelledby='sync-title']";

/// A private `dbus-daemon --session`, stopped (killed and reaped) on drop.
struct Bus {
    child: Child,
    address: String,
}

impl Bus {
    fn start() -> Result<Self> {
        let mut child = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start dbus-daemon ({e}); `cargo xtask setup` installs dbus"))?;
        let mut line = String::new();
        let read = child.stdout.take().map(|out| BufReader::new(out).read_line(&mut line));
        let bus = Bus { child, address: line.trim().to_string() };
        match read {
            Some(Ok(_)) if !bus.address.is_empty() => Ok(bus),
            _ => Err(String::from("dbus-daemon printed no address")),
        }
    }
}

impl Drop for Bus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Window B's session, ended on drop (before window A's, which the runner ends and waits for both apps).
struct Beside(Session);

impl Drop for Beside {
    fn drop(&mut self) {
        let _ = self.0.quit();
    }
}

fn shared_folder() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("twofold-e2e-{}-sync-shared", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    Ok(dir)
}

/// Settings → Sync: tick "Keep in step through a folder", choose `shared`, Apply, and wait until the status
/// line says the vault is in step; then back to the list.
fn turn_on_folder_sync(s: &Session, data: &Path, shared: &Path) -> Result<()> {
    s.click(&s.button("Settings")?)?;
    s.heading("Settings", Duration::from_secs(10))?;
    s.execute("document.getElementById('sync-title').scrollIntoView();")?;
    let keep = s.field("Keep in step through a folder")?;
    s.click(&keep)?;
    crate::answer_chooser(data, shared)?;
    let choose = s.wait_xpath(
        "the sync folder's Choose folder… button",
        &format!("{SECTION}//button[normalize-space(.)='Choose folder…']"),
        Duration::from_secs(10),
    )?;
    s.click(&choose)?;
    s.wait_xpath(
        "the chosen folder",
        &format!("{SECTION}//*[contains(., '{}')]", shared.file_name().unwrap_or_default().to_string_lossy()),
        Duration::from_secs(10),
    )?;
    let apply = s.wait_xpath(
        "the sync Apply button",
        &format!("{SECTION}//button[normalize-space(.)='Apply' and not(@disabled)]"),
        Duration::from_secs(10),
    )?;
    s.click(&apply)?;
    s.wait_xpath(
        "the in-step status line",
        &format!("{SECTION}//*[@role='status'][contains(., 'In step via')]"),
        Duration::from_secs(60),
    )?;
    // The chooser answer is used up; a later chooser must not pick the shared folder by accident.
    let _ = std::fs::remove_file(chooser_script(data));
    s.click(&s.button("Back to accounts")?)
}

pub fn account_added_in_one_window_appears_in_the_other(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let (dir_a, dir_b, shared) = (data_dir("sync-a")?, data_dir("sync-b")?, shared_folder()?);
    let bus = Bus::start()?;
    let driver_b = Driver::start_with(&[("DBUS_SESSION_BUS_ADDRESS", bus.address.clone())])?;

    let a: &Session = slot.insert(open(options, &dir_a)?);
    create_vault(a)?;
    let args_b = vec![
        "--data-dir".to_string(),
        dir_b.display().to_string(),
        "--choose-files".to_string(),
        chooser_script(&dir_b).display().to_string(),
    ];
    let b = Beside(Session::start_beside(&driver_b.url, &options.app.display().to_string(), &args_b)?);
    let result = (|| {
        create_vault(&b.0)?;
        turn_on_folder_sync(a, &dir_a, &shared)?;
        turn_on_folder_sync(&b.0, &dir_b, &shared)?;
        if !shared.join("twofold.vault").is_file() {
            return Err(String::from("no synced copy in the shared folder after both windows turned sync on"));
        }

        // Window A adds an account; window B shows it without being touched.
        a.click(&a.button("Add account")?)?;
        a.type_text(&a.field("otpauth:// link")?, LINK)?;
        a.click(&a.button("Add")?)?;
        a.wait_xpath("the new card in window A", &card_xpath(ISSUER, NAME), Duration::from_secs(10))?;
        b.0.wait_xpath("the card from window A in window B", &card_xpath(ISSUER, NAME), Duration::from_secs(60))?;
        std::fs::create_dir_all(&options.artifacts).map_err(|e| e.to_string())?;
        std::fs::write(options.artifacts.join("sync_two_windows_b.png"), b.0.screenshot()?)
            .map_err(|e| e.to_string())?;
        Ok(())
    })();
    if result.is_err()
        && let Ok(png) = b.0.screenshot()
    {
        let _ = std::fs::create_dir_all(&options.artifacts);
        let _ = std::fs::write(options.artifacts.join("sync_two_windows_share_an_account-b.png"), png);
    }
    drop(b);
    drop(driver_b);
    drop(bus);
    if result.is_ok() {
        for dir in [&dir_a, &dir_b, &shared] {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    result
}
