//! Accessibility: an axe-core scan of every screen and state a user sees, in the light and the dark colour
//! scheme. A scan fails on any violation of impact `serious` or `critical`; every scan prints a one-line
//! summary so the moderate and minor ones stay visible.
//!
//! axe-core comes from `ui/node_modules/axe-core/axe.min.js` (a devDependency of `ui/`), injected through
//! WebDriver: scripts run by the automation session are not subject to the page's Content Security Policy.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use twofold_core::export::qr::QrMatrix;

use crate::webdriver::{Result, Session};
use crate::{ISSUER, LINK, NAME, Options, PASSWORD, card_button, card_code, data_dir, desktop, scan, session_qr};

/// Where `npm install` in `ui/` puts axe-core.
fn axe_script_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/node_modules/axe-core/axe.min.js")
}

/// Loads axe-core into the page unless it is already there (the app is one page: it stays for the session).
fn inject_axe(s: &Session) -> Result<()> {
    if s.execute("return typeof window.axe === 'object';")?.as_bool() == Some(true) {
        return Ok(());
    }
    let path = axe_script_path();
    let source = std::fs::read_to_string(&path)
        .map_err(|e| format!("{}: {e} (run `npm install` in ui/ for axe-core)", path.display()))?;
    let loaded = s.execute(&format!("{source}\n;return typeof window.axe === 'object';"))?;
    if loaded.as_bool() != Some(true) {
        return Err("axe-core did not load into the page".into());
    }
    Ok(())
}

/// Forces a colour scheme by switching the page's own `prefers-color-scheme` rules on or off (the app follows
/// the system scheme, which WebDriver cannot change), runs axe, puts the rules back and returns the violations
/// as `[{id, impact, help, targets}]`. Transitions are paused so colours are read at their final values.
const RUN_AXE: &str = r#"
const [dark, done] = arguments;
const changed = [];
const walk = (rules) => {
  for (const rule of rules) {
    if (rule.media && rule.media.mediaText.includes("prefers-color-scheme")) {
      const text = rule.media.mediaText;
      const wantsDark = text.includes("dark");
      changed.push([rule, text]);
      rule.media.mediaText = wantsDark === dark ? "all" : "not all";
    }
    if (rule.cssRules) walk(rule.cssRules);
  }
};
for (const sheet of document.styleSheets) {
  try { walk(sheet.cssRules); } catch (e) { /* a sheet we may not read */ }
}
const root = document.documentElement;
const scheme = root.style.colorScheme;
root.style.colorScheme = dark ? "dark" : "light";
const still = document.createElement("style");
still.textContent = "*, *::before, *::after { transition: none !important; animation: none !important; }";
document.head.appendChild(still);
const restore = () => {
  for (const [rule, text] of changed) rule.media.mediaText = text;
  root.style.colorScheme = scheme;
  still.remove();
};
window.axe.run(document, { resultTypes: ["violations"] }).then(
  (result) => {
    restore();
    done({ violations: result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")),
    })) });
  },
  (error) => { restore(); done({ error: String(error) }); },
);
"#;

/// Scans the current screen in both colour schemes. Prints one summary line per scheme; fails listing every
/// `serious` or `critical` violation (rule, help text, target selectors, screen).
pub fn axe_check(s: &Session, screen: &str) -> Result<()> {
    inject_axe(s)?;
    let mut failures = Vec::new();
    for (scheme, dark) in [("light", false), ("dark", true)] {
        let result = s.execute_async(RUN_AXE, json!([dark]))?;
        if let Some(error) = result.get("error").and_then(Value::as_str) {
            return Err(format!("axe failed on {screen} ({scheme}): {error}"));
        }
        let violations = result.get("violations").and_then(Value::as_array).cloned().unwrap_or_default();
        let mut line = Vec::new();
        for impact in ["critical", "serious", "moderate", "minor"] {
            let ids: Vec<&str> =
                violations.iter().filter(|v| v["impact"] == impact).filter_map(|v| v["id"].as_str()).collect();
            line.push(if ids.is_empty() {
                format!("{impact} 0")
            } else {
                format!("{impact} {} ({})", ids.len(), ids.join(", "))
            });
        }
        println!("    a11y {screen} [{scheme}]: {}", line.join(", "));
        for v in violations.iter().filter(|v| v["impact"] == "serious" || v["impact"] == "critical") {
            let targets: Vec<&str> = v["targets"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            failures.push(format!(
                "{screen} [{scheme}]: {} {} ({}) at {}",
                v["impact"].as_str().unwrap_or("?"),
                v["id"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or(""),
                targets.join(" | ")
            ));
        }
    }
    if failures.is_empty() { Ok(()) } else { Err(failures.join("\n      ")) }
}

const ACCOUNTS: &str = "otpauth://totp/Mastodon:bob@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Mastodon
otpauth://hotp/Forge:carol@example.com?secret=KRUGKIDROVUWG2ZAMJZG653O&issuer=Forge&counter=3
otpauth://steam/Steam:dave?secret=MFRGGZDFMZTWQ2LKNNWG23TP&issuer=Steam
otpauth://totp/Broken:erin?secret=not-base32!
";

/// Scans every screen and state of the app a user meets, in order: create (with a validation error), the
/// empty list (with the clock banner and the backup warning), every tab of Add account (camera through the
/// fake camera, an unreadable image, the scan confirmation), the Import page (chooser, preview, report), Edit
/// (recovery codes, the QR code's password prompt and code), the list of several kinds of account (TOTP,
/// HOTP, Steam, a favourite, groups), a search without a match, Settings, every Backups tab, and unlock (with
/// a wrong password). All violations are gathered and listed at the end.
pub fn accessibility_every_screen(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let started = Instant::now();
    let (server, responder) = desktop::skewed_sntp_server(-42)?;
    let dir = data_dir("a11y")?;
    // Automatic backups to a folder that cannot exist: the list shows the backup warning.
    let settings = format!(
        r#"{{"clipboardClearSeconds": 3, "autoLockMinutes": 0, "privacyMode": false, "contentProtection": true,
            "clockCheck": true, "clockServer": "{server}", "autoBackup": true, "autoBackupFolder": "/proc/twofold-a11y/none"}}"#
    );
    std::fs::write(dir.join("settings.json"), settings).map_err(|e| e.to_string())?;
    let camera = dir.join("room.y4m");
    let frames: Vec<Vec<u8>> = (0..10).map(|i| scan::scene(i, None)).collect::<Result<_>>()?;
    scan::write_y4m(&camera, &frames)?;
    let code_png = dir.join("setup-code.png");
    let png = QrMatrix::encode(LINK).map_err(|e| e.to_string())?.to_png(5).map_err(|e| e.to_string())?;
    std::fs::write(&code_png, &*png).map_err(|e| e.to_string())?;
    let other_png = dir.join("wifi-code.png");
    let png = QrMatrix::encode("WIFI:S:home;;").map_err(|e| e.to_string())?.to_png(3).map_err(|e| e.to_string())?;
    std::fs::write(&other_png, &*png).map_err(|e| e.to_string())?;
    let links = dir.join("accounts.txt");
    std::fs::write(&links, ACCOUNTS).map_err(|e| e.to_string())?;

    let s: &Session = slot.insert(scan::open_with_camera(options, &dir, &camera)?);
    let mut failures: Vec<String> = Vec::new();
    let mut scans = 0;
    let mut check = |s: &Session, screen: &str| -> Result<()> {
        scans += 1;
        if let Err(e) = axe_check(s, screen) {
            if e.starts_with("axe failed") || e.starts_with("POST") {
                return Err(e);
            }
            failures.push(e);
        }
        Ok(())
    };

    // Create, with a too-short password and a repeat that does not match.
    s.heading("Create your vault", Duration::from_secs(30))?;
    check(s, "create vault")?;
    let password = s.field("Password")?;
    let repeat = s.field("Repeat password")?;
    s.type_text(&password, "short")?;
    s.type_text(&repeat, "shorter")?;
    s.alert("The passwords do not match", Duration::from_secs(5))?;
    check(s, "create vault: validation errors")?;
    s.clear(&password)?;
    s.clear(&repeat)?;
    s.type_text(&password, PASSWORD)?;
    s.type_text(&repeat, PASSWORD)?;
    s.click(&s.field("I understand that a lost password cannot be recovered")?)?;
    s.click(&s.button("Create vault")?)?;
    s.wait_xpath("the empty list", "//h2[normalize-space(.)='No accounts yet']", Duration::from_secs(30))?;
    s.wait_xpath("the clock warning", "//*[contains(., 'Your clock is 42 s fast')]", Duration::from_secs(20))?;
    s.wait_xpath(
        "the backup warning",
        "//footer//button[starts-with(@aria-label, 'Backups:')]",
        Duration::from_secs(20),
    )?;
    check(s, "empty list, clock banner, backup warning")?;

    // Add account: every tab.
    s.click(&s.button("Add account")?)?;
    s.heading("Add account", Duration::from_secs(10))?;
    check(s, "add: paste a link")?;
    s.click(&s.button("Enter a key")?)?;
    check(s, "add: enter a key")?;
    s.click(&s.button("Camera")?)?;
    s.wait_xpath("the camera preview", "//*[@aria-label='Camera preview']//img", Duration::from_secs(20))?;
    check(s, "add: camera")?;
    s.click(&s.button("Image")?)?;
    check(s, "add: image")?;
    scan::choose_image(s, &dir, &other_png)?;
    s.alert("not an authenticator code", Duration::from_secs(20))?;
    check(s, "add: image that is not a setup code")?;
    s.click(&s.button("Clipboard")?)?;
    check(s, "add: clipboard")?;
    s.click(&s.button("Screen")?)?;
    check(s, "add: screen")?;
    s.click(&s.button("Image")?)?;
    scan::choose_image(s, &dir, &code_png)?;
    s.wait_xpath("the confirmation", "//h3[normalize-space(.)='Add this account?']", Duration::from_secs(20))?;
    check(s, "add: scan confirmation")?;
    s.click(&s.button("Add")?)?;
    card_code(s, ISSUER, NAME)?;

    // Import: chooser, preview (with an unreadable line), report.
    s.click(&s.button("Import accounts")?)?;
    s.heading("Import accounts", Duration::from_secs(10))?;
    check(s, "import: chooser")?;
    crate::answer_chooser(&dir, &links)?;
    s.click(&s.button("Choose file…")?)?;
    s.wait_xpath("the preview", "//ul[@aria-label='Accounts in the file']", Duration::from_secs(30))?;
    check(s, "import: preview")?;
    s.click(&s.button("Import 3 accounts")?)?;
    s.wait_xpath("the report", "//h3[normalize-space(.)='Import finished']", Duration::from_secs(30))?;
    check(s, "import: report")?;
    s.click(&s.button("Done")?)?;

    // Edit: groups and a favourite; recovery codes; the QR code's prompt.
    for (title, groups, favourite) in [("Mastodon", "Social", true), ("Forge", "Work, Code", false)] {
        s.click(&s.button(&format!("Edit {title}"))?)?;
        s.heading(&format!("Edit {title}"), Duration::from_secs(10))?;
        s.type_text(&s.field("Groups (comma separated)")?, groups)?;
        if favourite {
            s.click(&s.field("Favourite (shown first)")?)?;
        }
        if title == "Mastodon" {
            check(s, "edit account")?;
        }
        s.click(&s.button("Save")?)?;
        s.wait_xpath("the list", "//ul[@aria-label='Accounts']", Duration::from_secs(10))?;
    }
    s.click(&s.button(&format!("Edit {ISSUER}"))?)?;
    s.click(&s.wait_xpath("recovery codes", "//summary[starts-with(normalize-space(.), 'Recovery codes')]", SHORT)?)?;
    s.type_text(&s.field("Add codes (one per line)")?, "alpha-1234\nbravo-5678")?;
    s.click(&s.button("Add codes")?)?;
    s.wait_xpath("a recovery code", "//ul[contains(@class, 'recovery')]//li//input", Duration::from_secs(10))?;
    s.click(&s.wait_xpath("a recovery code", "//ul[contains(@class, 'recovery')]//li//input", SHORT)?)?;
    check(s, "edit: recovery codes")?;
    s.click(&s.wait_xpath("the QR section", "//summary[normalize-space(.)='Show QR code']", SHORT)?)?;
    check(s, "edit: QR code password prompt")?;
    s.click(&s.button("Back to accounts")?)?;
    session_qr::show_qr(s, ISSUER)?;
    check(s, "edit: QR code shown")?;
    s.click(&s.button("Back to accounts")?)?;

    // The list: TOTP, HOTP, Steam, a favourite, groups; a search that finds nothing.
    card_button(s, "Steam", "dave")?;
    check(s, "list of accounts")?;
    let search = s.field("Search accounts")?;
    s.type_text(&search, "zzzz")?;
    s.wait_xpath("no match", "//p[contains(., 'No account matches')]", Duration::from_secs(10))?;
    check(s, "search without a match")?;
    s.clear(&search)?;

    // Settings and every Backups tab.
    s.click(&s.button("Settings")?)?;
    s.heading("Settings", Duration::from_secs(10))?;
    check(s, "settings")?;
    s.click(&s.button("Back to accounts")?)?;
    s.click(&s.button("Backups")?)?;
    s.heading("Backups", Duration::from_secs(10))?;
    for tab in ["Back up", "Test", "Restore", "Export", "Automatic"] {
        s.click(&s.button(tab)?)?;
        s.wait_xpath(tab, &format!("//*[@role='tab'][@aria-selected='true'][normalize-space(.)='{tab}']"), SHORT)?;
        check(s, &format!("backups: {tab}"))?;
    }
    s.click(&s.button("Back to accounts")?)?;

    // Unlock, with a wrong password.
    s.click(&s.button("Lock")?)?;
    s.heading("Unlock Twofold", Duration::from_secs(10))?;
    check(s, "unlock")?;
    let field = s.field("Password")?;
    s.type_text(&field, "not the password")?;
    s.click(&s.button("Unlock")?)?;
    s.alert("Wrong password", Duration::from_secs(30))?;
    check(s, "unlock: wrong password")?;
    s.clear(&field)?;
    s.type_text(&field, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    card_code(s, ISSUER, NAME)?;

    drop(responder);
    println!("    a11y: {scans} screens scanned in light and dark in {:.0} s", started.elapsed().as_secs_f64());
    if !failures.is_empty() {
        return Err(format!("serious or critical accessibility violations:\n      {}", failures.join("\n      ")));
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

const SHORT: Duration = Duration::from_secs(5);
