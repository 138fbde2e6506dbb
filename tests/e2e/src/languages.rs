//! Languages in the real window: started with `LANG=de_DE.UTF-8`, Twofold speaks German from its first frame
//! (WebKitGTK reports the process locale as `navigator.languages`); under the pseudo-locale (`x-pseudo` in
//! settings.json: every word about 40% longer and accented), no button, heading, label, tab strip or card on the
//! main screens is wider than its box (nor in German).
//!
//! With `TWOFOLD_E2E_SCREENSHOTS=1` the German screens are saved as `target/e2e/de-<screen>.png`, the pseudo
//! ones as `pseudo-<screen>.png`.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::webdriver::{Result, Session};
use crate::{Driver, LINK, Options, PASSWORD, chooser_script, data_dir, now_s, oracle};

const WAIT: Duration = Duration::from_secs(30);

/// A driver whose apps run in `lang`, with every variable that would outrank `LANG` emptied (GLib and glibc
/// treat an empty one as unset), so the runner's own locale cannot leak in.
fn driver_in(lang: &str) -> Result<Driver> {
    Driver::start_with(&[
        ("LANG", lang.to_string()),
        ("LC_ALL", String::new()),
        ("LC_MESSAGES", String::new()),
        ("LANGUAGE", String::new()),
    ])
}

fn start(driver: &Driver, options: &Options, dir: &Path) -> Result<Session> {
    let args = vec![
        "--data-dir".to_string(),
        dir.display().to_string(),
        "--choose-files".to_string(),
        chooser_script(dir).display().to_string(),
    ];
    Session::start(&driver.url, &options.app.display().to_string(), &args)
}

fn screenshot(options: &Options, s: &Session, name: &str) -> Result<()> {
    if std::env::var_os("TWOFOLD_E2E_SCREENSHOTS").is_some() { crate::doc_shot(options, s, name) } else { Ok(()) }
}

/// Runs `steps` in a window started by `driver`; the session ends (and a failure's screenshot is taken) while
/// the driver still runs.
fn in_window(
    options: &Options,
    driver: Driver,
    dir: &Path,
    name: &str,
    steps: impl FnOnce(&Session) -> Result<()>,
) -> Result<()> {
    let s = start(&driver, options, dir)?;
    let result = steps(&s);
    if result.is_err() {
        crate::save_failure_screenshot(options, name, &s);
    }
    let _ = s.quit();
    drop(driver);
    let _ = std::fs::remove_dir_all(dir);
    result
}

/// `LANG=de_DE.UTF-8`, no language chosen: create, add, list, lock, unlock, settings, backups and import read
/// German.
pub fn german_from_the_system_language(options: &Options, _slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("lang-de")?;
    in_window(options, driver_in("de_DE.UTF-8")?, &dir, "german_from_the_system_language", |s| {
        s.heading("Tresor anlegen", WAIT)?;
        let languages = s.execute("return [navigator.languages, document.documentElement.lang];")?;
        println!("    navigator.languages and <html lang> under LANG=de_DE.UTF-8: {languages}");
        if !languages.to_string().contains("de") {
            return Err(format!("WebKitGTK did not report the process locale: {languages}"));
        }
        fits(options, s, "de-create")?;
        s.type_text(&s.field("Passwort")?, PASSWORD)?;
        s.type_text(&s.field("Passwort wiederholen")?, PASSWORD)?;
        s.click(&s.field("Ich habe verstanden, dass ein verlorenes Passwort nicht wiederhergestellt werden kann")?)?;
        s.click(&s.button("Tresor anlegen")?)?;
        s.heading("Noch keine Konten", WAIT)?;
        fits(options, s, "de-empty")?;

        s.click(&s.button("Konto hinzufügen")?)?;
        s.heading("Konto hinzufügen", WAIT)?;
        fits(options, s, "de-add")?;
        s.type_text(&s.field("otpauth://-Link")?, LINK)?;
        s.click(&s.button("Hinzufügen")?)?;
        s.wait_xpath("a code", "//*[@data-code]", WAIT)?;
        fits(options, s, "de-list")?;

        s.click(&s.button("Einstellungen")?)?;
        s.heading("Einstellungen", WAIT)?;
        s.field("Sprache")?;
        let shown = s.execute("return document.getElementById('language').selectedOptions[0].textContent;")?;
        if shown.as_str() != Some("Systemstandard (Deutsch)") {
            return Err(format!("the language picker shows {shown}, expected the system default, German"));
        }
        fits(options, s, "de-settings")?;
        s.click(&s.button("Zurück zu den Konten")?)?;

        s.click(&s.button("Sicherungen")?)?;
        s.heading("Sicherungen", WAIT)?;
        fits(options, s, "de-backups")?;
        s.click(&s.button("Zurück zu den Konten")?)?;

        s.click(&s.button("Konten importieren")?)?;
        s.heading("Konten importieren", WAIT)?;
        fits(options, s, "de-import")?;
        s.click(&s.button("Zurück zu den Konten")?)?;

        s.click(&s.button("Sperren")?)?;
        s.heading("Twofold entsperren", WAIT)?;
        fits(options, s, "de-unlock")?;
        s.type_text(&s.field("Passwort")?, PASSWORD)?;
        s.click(&s.button("Entsperren")?)?;
        s.wait_xpath("a code", "//*[@data-code]", WAIT).map(drop)
    })
}

/// `"language": "x-pseudo"` in settings.json: on the unlock screen, the list, Add, Edit, Settings, every
/// Backups tab and Import, nothing a person reads is cut off or pushed out of its box.
pub fn pseudo_locale_fits_every_screen(options: &Options, _slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("lang-pseudo")?;
    let settings = dir.join("settings.json");
    let mut json: Value = serde_json::from_str(&std::fs::read_to_string(&settings).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    json["language"] = "x-pseudo".into();
    std::fs::write(&settings, json.to_string()).map_err(|e| e.to_string())?;
    oracle::write_vault_with_accounts(&dir, PASSWORD, 3, now_s())?;
    let catalog = Catalog::load()?;
    in_window(options, driver_in("C.UTF-8")?, &dir, "pseudo_locale_fits_every_screen", |s| {
        let p = |key: &str| catalog.pseudo(key);
        s.heading(&p("unlock.title")?, WAIT)?;
        fits(options, s, "pseudo-unlock")?;
        s.type_text(&s.field(&p("unlock.password")?)?, PASSWORD)?;
        s.click(&s.button(&p("unlock.unlock")?)?)?;
        s.wait_xpath("a code", "//*[@data-code]", Duration::from_secs(60))?;
        fits(options, s, "pseudo-list")?;

        s.click(&s.button(&p("list.addLabel")?)?)?;
        s.heading(&p("add.title")?, WAIT)?;
        fits(options, s, "pseudo-add")?;
        s.click(&s.button(&p("add.enterKey")?)?)?;
        fits(options, s, "pseudo-add-key")?;
        s.click(&s.button(&p("common.back")?)?)?;

        let edit = p("card.editLabel")?;
        let edit = edit.split("{title}").next().unwrap_or_default();
        s.click(&s.wait_xpath("an Edit button", &format!("//button[starts-with(@aria-label, '{edit}')]"), WAIT)?)?;
        let title = p("edit.title")?;
        let title = title.split("{name}").next().unwrap_or_default();
        s.wait_xpath("the Edit page", &format!("//h2[starts-with(normalize-space(.), '{title}')]"), WAIT)?;
        fits(options, s, "pseudo-edit")?;
        s.click(&s.button(&p("common.back")?)?)?;

        s.click(&s.button(&p("list.settingsLabel")?)?)?;
        s.heading(&p("settings.title")?, WAIT)?;
        fits(options, s, "pseudo-settings")?;
        s.click(&s.button(&p("common.back")?)?)?;

        s.click(&s.button(&p("list.backupsLabel")?)?)?;
        s.heading(&p("backups.title")?, WAIT)?;
        for tab in ["tabBackup", "tabTest", "tabRestore", "tabExport", "tabAuto"] {
            s.click(&s.button(&p(&format!("backups.{tab}"))?)?)?;
            fits(options, s, &format!("pseudo-backups-{tab}"))?;
        }
        s.click(&s.button(&p("common.back")?)?)?;

        s.click(&s.button(&p("list.importLabel")?)?)?;
        s.heading(&p("import.title")?, WAIT)?;
        fits(options, s, "pseudo-import")
    })
}

/// Every shown element a person reads whose content is wider than its box, as `tag.class "text" (content > box)`.
const OVERFLOWS: &str = r#"
const out = [];
const read = "button, h1, h2, h3, label, legend, summary, [role=tab], [role=tablist], li.card, .card, p, th, td, dt, dd, select";
for (const el of document.querySelectorAll(read)) {
  // Shown, and not the screen-reader-only text that is 1 px wide by design.
  if (!el.getClientRects().length || el.closest(".sr-only")) continue;
  if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== "inline") {
    const text = (el.getAttribute("aria-label") || el.textContent || "").trim().slice(0, 60);
    out.push(`${el.tagName.toLowerCase()}.${[...el.classList].filter(c => !c.startsWith("svelte-")).join(".")} "${text}" (${el.scrollWidth} > ${el.clientWidth})`);
  }
}
const page = document.documentElement;
if (page.scrollWidth > page.clientWidth + 1) out.push(`the page scrolls sideways (${page.scrollWidth} > ${page.clientWidth})`);
return out;
"#;

fn fits(options: &Options, s: &Session, screen: &str) -> Result<()> {
    // Let the view settle (lazy pages, fonts) before measuring.
    std::thread::sleep(Duration::from_millis(300));
    screenshot(options, s, screen)?;
    let found = s.execute(OVERFLOWS)?;
    let list: Vec<String> =
        found.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_string)).collect();
    if list.is_empty() { Ok(()) } else { Err(format!("on {screen}, wider than its box: {}", list.join("; "))) }
}

/// The English catalog, read from the UI's sources, to find controls by their pseudo-localised names.
struct Catalog(Value);

impl Catalog {
    fn load() -> Result<Self> {
        let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/i18n/en");
        let mut all = serde_json::Map::new();
        for entry in std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            let (Some(area), Some("json")) =
                (path.file_stem().and_then(|s| s.to_str()), path.extension().and_then(|s| s.to_str()))
            else {
                continue;
            };
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            all.insert(area.to_string(), serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?);
        }
        Ok(Self(Value::Object(all)))
    }

    /// `area.key`'s English message as the pseudo-locale shows it.
    fn pseudo(&self, key: &str) -> Result<String> {
        let (area, name) = key.split_once('.').ok_or_else(|| format!("`{key}` is not area.key"))?;
        let message = self.0[area][name].as_str().ok_or_else(|| format!("no English message `{key}`"))?;
        Ok(pseudo(message))
    }
}

/// The same transformation as `ui/src/lib/i18n/pseudo.ts`'s `pseudoMessage` (its tests pin the result).
fn pseudo(message: &str) -> String {
    const PLAIN: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const ACCENTED: &str = "áƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ";
    let accent = |c: char| PLAIN.find(c).and_then(|i| ACCENTED.chars().nth(i)).unwrap_or(c);
    let mut out = String::new();
    let mut words = false;
    let mut rest = message;
    while !rest.is_empty() {
        // A `{name}` placeholder stays as it is.
        if let Some(end) = rest.strip_prefix('{').and_then(|r| r.find('}').map(|i| i + 2))
            && rest[1..end - 1].chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && end > 2
        {
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let run = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        if run == 0 {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        words = true;
        for (i, c) in rest[..run].chars().enumerate() {
            let a = accent(c);
            out.push(a);
            if i % 5 == 1 || i % 5 == 3 {
                out.push(a);
            }
        }
        rest = &rest[run..];
    }
    if words { format!("⟦{out}⟧") } else { out }
}

#[cfg(test)]
mod tests {
    use super::pseudo;

    #[test]
    fn pseudo_matches_the_ui() {
        // The UI's own tests pin these (ui/src/lib/pseudo.test.ts).
        assert_eq!(pseudo("Copy code for {name}"), "⟦Çööþýý çööðéé ƒööŕ {name}⟧");
        assert_eq!(pseudo(", "), ", ");
    }
}
