//! Brand icons and the list's views (issue 19): GitHub's and Google's accounts show their logos, an unknown
//! service its initial; axe finds nothing serious in the list with icons, light and dark; screenshots of the
//! list, the grid, the compact list and the dark theme are saved among the artifacts (`icons_*.png`).

use std::time::Duration;

use crate::webdriver::{Result, Session};
use crate::{Options, PASSWORD, a11y, cli, data_dir, open};

/// Services as they write their links; the first three are checked, the rest fill the screenshots.
const SERVICES: &[(&str, &str)] = &[
    ("GitHub", "alice"),
    ("", "alice@google.com"),
    ("Acme Intranet", "alice"),
    ("GitLab", "alice@example.com"),
    ("Mastodon", "@alice@mastodon.social"),
    ("Proton", "alice@proton.me"),
    ("Discord", "alice"),
    ("Dropbox", "alice@example.com"),
    ("PayPal", "alice@example.com"),
    ("Steam", "alice"),
    ("Bitwarden", "alice@example.com"),
    ("Company VPN", "alice"),
    ("Coinbase", "alice@example.com"),
    ("Reddit", "alice"),
    ("Twitch", "alice"),
    ("Cloudflare", "alice@example.com"),
];

/// Switches the page's own `prefers-color-scheme` rules to dark (WebDriver cannot change the system's).
const FORCE_DARK: &str = r#"
const walk = (rules) => {
  for (const rule of rules) {
    if (rule.media && rule.media.mediaText.includes("prefers-color-scheme")) {
      rule.media.mediaText = rule.media.mediaText.includes("dark") ? "all" : "not all";
    }
    if (rule.cssRules) walk(rule.cssRules);
  }
};
for (const sheet of document.styleSheets) { try { walk(sheet.cssRules); } catch (e) { /* not ours */ } }
document.documentElement.style.colorScheme = "dark";
"#;

fn link(i: usize, issuer: &str, name: &str) -> Result<String> {
    let secret = twofold_core::Secret::from_bytes(format!("twofold-e2e-icons-{i:06}").into_bytes())
        .map_err(|e| e.to_string())?;
    let enc = |t: &str| t.replace('%', "%25").replace(' ', "%20").replace('@', "%40").replace(':', "%3A");
    let label = if issuer.is_empty() { enc(name) } else { format!("{}:{}", enc(issuer), enc(name)) };
    Ok(format!("otpauth://totp/{label}?secret={}&issuer={}\n", secret.to_base32().as_str(), enc(issuer)))
}

fn save(options: &Options, s: &Session, name: &str) -> Result<()> {
    std::fs::create_dir_all(&options.artifacts).map_err(|e| e.to_string())?;
    let path = options.artifacts.join(format!("icons_{name}.png"));
    std::fs::write(&path, s.screenshot()?).map_err(|e| e.to_string())?;
    println!("    screenshot: {}", path.display());
    // On the list only the list scrolls: the page itself fits the window, so the toolbar and the footer stay
    // in view. (Other pages, like Edit, scroll as a whole.)
    if name.starts_with("edit") {
        return Ok(());
    }
    let sizes = s.execute("return [document.documentElement.scrollHeight, window.innerHeight];")?;
    if sizes[0].as_f64() > sizes[1].as_f64() {
        return Err(format!("{name}: the page is taller than the window ([scrollHeight, innerHeight] = {sizes})"));
    }
    Ok(())
}

/// The icon element of the card of `issuer`/`name` with `data-icon` = `icon`.
fn icon_xpath(issuer: &str, name: &str, icon: &str) -> String {
    format!("//li[@data-issuer='{issuer}' and @data-name='{name}']//*[@data-icon='{icon}']")
}

pub fn brand_icons_and_list_views(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("icons")?;
    let vault = dir.join(twofold_core::vault::VaultStore::DEFAULT_FILE_NAME);
    cli(options, &dir, &vault, &["init"])?;
    let mut links = String::new();
    for (i, (issuer, name)) in SERVICES.iter().enumerate() {
        links.push_str(&link(i, issuer, name)?);
    }
    let list = dir.join("links.txt");
    std::fs::write(&list, links).map_err(|e| e.to_string())?;
    cli(options, &dir, &vault, &["import", &list.display().to_string(), "--format", "otpauth"])?;

    let s: &Session = slot.insert(open(options, &dir)?);
    s.heading("Unlock Twofold", Duration::from_secs(30))?;
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    let wait = Duration::from_secs(30);
    s.wait_xpath(
        "GitHub's logo",
        &format!("{}/*[local-name()='svg']/*[local-name()='path']", icon_xpath("GitHub", "alice", "github")),
        wait,
    )?;
    s.wait_xpath(
        "Google's logo on an account named by its address",
        &format!("{}/*[local-name()='svg']/*[local-name()='path']", icon_xpath("", "alice@google.com", "google")),
        wait,
    )?;
    let initial = s.wait_xpath("Acme's initial", &icon_xpath("Acme Intranet", "alice", "initial"), wait)?;
    let letter = s.text(&initial)?;
    if letter.trim() != "A" {
        return Err(format!("the unknown service shows {letter:?}, expected its initial A"));
    }
    a11y::axe_check(s, "list with icons")?;
    save(options, s, "list")?;

    // Wide: the cards flow into columns.
    s.set_window_size(1100, 760)?;
    s.wait_xpath("the grid", "//ul[contains(@class, 'grid')]", Duration::from_secs(10))?;
    save(options, s, "grid")?;

    s.click(&s.button("Compact")?)?;
    s.wait_xpath("the compact list", "//ul[contains(@class, 'compact')]", Duration::from_secs(10))?;
    a11y::axe_check(s, "compact grid with icons")?;
    save(options, s, "compact")?;
    s.click(&s.button("Compact")?)?;

    s.set_window_size(440, 720)?;

    // Issue 19 point 3: a picture of the person's own, an SVG chosen in Edit, shown on the card instead of the
    // initial (as a PNG the core drew: the page never gets the SVG).
    let svg = dir.join("acme.svg");
    std::fs::write(
        &svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#5b2a86"/><circle cx="12" cy="12" r="6" fill="#f4d35e"/></svg>"##,
    )
    .map_err(|e| e.to_string())?;
    s.click(&s.button("Edit Acme Intranet")?)?;
    crate::answer_chooser(&dir, &svg)?;
    s.click(&s.button("Choose picture…")?)?;
    s.wait_xpath(
        "the picture in Edit",
        "//section[contains(@class, 'picture')]//img[starts-with(@src, 'data:image/png')]",
        wait,
    )?;
    s.button("Remove picture")?;
    save(options, s, "edit_picture")?;
    s.click(&s.button("Back to accounts")?)?;
    s.wait_xpath("the picture on the card", &format!("{}/img", icon_xpath("Acme Intranet", "alice", "picture")), wait)?;
    save(options, s, "picture")?;

    s.execute(FORCE_DARK)?;
    std::thread::sleep(Duration::from_millis(400));
    save(options, s, "dark")?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
