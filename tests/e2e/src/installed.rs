//! Scenarios of the app installed from the `.deb`: `--app ROOT/usr/bin/twofold`, where ROOT is the folder
//! the package was unpacked into and registered in (`cargo xtask test` does both, then runs these with
//! `--only installed_`). A link goes the whole way a clicked one does: the real `xdg-open`, the desktop
//! database, the entry's `Exec=twofold %u`, the single-instance hand-over, the add dialog.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::webdriver::{Result, Session};
use crate::{ISSUER, LINK, NAME, Options, PASSWORD, cli, data_dir, open};

/// The installed app runs on a vault made by the installed `twofold-cli init`; `xdg-open 'otpauth://…'`
/// (seeing only the unpacked package) starts the desktop entry's command, which hands the link to the
/// running window; the add dialog names the account, and after Add the card shows the core's code.
pub fn link_click_adds_account(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let root = unpacked_root(&options.app)?;
    let dir = data_dir("installed-link")?;
    let vault = dir.join(twofold_core::vault::VaultStore::DEFAULT_FILE_NAME);
    cli(options, &dir, &vault, &["init"])?;

    let s: &Session = slot.insert(open(options, &dir)?);
    s.heading("Unlock Twofold", Duration::from_secs(30))?;
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    s.wait_xpath("the empty list", "//h2[normalize-space(.)='No accounts yet']", Duration::from_secs(30))?;

    xdg_open(&root, &dir, LINK)?;

    s.heading("Add account", Duration::from_secs(15))?;
    s.wait_xpath("the confirmation", &crate::desktop::confirmation(ISSUER), Duration::from_secs(10))?;
    crate::desktop::no_link_in_page(s, LINK)?;
    if crate::card_count(s)? != 0 {
        return Err("the link was saved before the user confirmed it".into());
    }
    s.click(&s.button("Add")?)?;
    crate::expect_core_code(s, ISSUER, NAME, LINK)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// ROOT for an app at `ROOT/usr/bin/twofold`, checked to hold the registered desktop entry.
fn unpacked_root(app: &Path) -> Result<PathBuf> {
    let root = app.parent().and_then(Path::parent).and_then(Path::parent).map(Path::to_path_buf);
    let root = root.filter(|r| app.starts_with(r.join("usr/bin"))).ok_or_else(|| {
        format!("{} is not ROOT/usr/bin/twofold of an unpacked package (run `cargo xtask test`)", app.display())
    })?;
    let cache = root.join("usr/share/applications/mimeinfo.cache");
    if !cache.is_file() {
        return Err(format!("{} is missing: the package's desktop entry was not registered", cache.display()));
    }
    Ok(root)
}

/// Runs `xdg-open LINK` as a desktop without its own opener would (freedesktop's generic path): it asks
/// `xdg-mime` for the `x-scheme-handler/otpauth` entry among ROOT's applications only, and runs that
/// entry's `Exec` line with the link, finding `twofold` on a PATH that starts with ROOT's `usr/bin`. Waits
/// for it to return (the second instance exits once it has handed the link over).
fn xdg_open(root: &Path, scratch: &Path, link: &str) -> Result<()> {
    let empty = scratch.join("xdg-empty");
    std::fs::create_dir_all(&empty).map_err(|e| format!("{}: {e}", empty.display()))?;
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![root.join("usr/bin")];
    dirs.extend(std::env::split_paths(&path));
    let path = std::env::join_paths(dirs).map_err(|e| e.to_string())?;
    let child = Command::new("xdg-open")
        .arg(link)
        .env("PATH", path)
        .env("XDG_CURRENT_DESKTOP", "X-Generic")
        .env("XDG_DATA_DIRS", root.join("usr/share"))
        .env("XDG_DATA_HOME", &empty)
        .env("XDG_CONFIG_HOME", &empty)
        .env("XDG_CONFIG_DIRS", &empty)
        .env_remove("BROWSER")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run xdg-open ({e}); it is in the xdg-utils package"))?;
    crate::wait_handover(child, "xdg-open", "the link was not handed over")
}
