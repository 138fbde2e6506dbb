//! End-to-end tests (and, with `--bench`, the app benchmark) of the real Twofold window.
//!
//! Needs a display (`cargo xtask test` starts Xvfb), `tauri-driver` and Debian's `WebKitWebDriver`, `xclip`,
//! and a debug build of the app. Each scenario drives the window like a person (labels, roles, clicks, typing),
//! saves a screenshot when it fails, and the run ends with `e2e: N passed, M failed`.
//!
//! Usage: `twofold-e2e [--app PATH] [--bench] [--screenshots DIR] [--only NAME]`

mod a11y;
mod add_keys;
mod backup;
mod desktop;
mod follow;
mod iconpacks;
mod icons;
mod import;
mod installed;
mod keyring;
mod languages;
mod oracle;
mod process;
mod scan;
mod session_qr;
mod switcher;
mod sync_windows;
mod tray;
mod webdav;
mod webdriver;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use webdriver::{Result, Session};

const PASSWORD: &str = "correct horse battery staple";
const ISSUER: &str = "Example";
const NAME: &str = "alice@example.com";
/// RFC 6238's SHA-1 test key, as a link.
const LINK: &str = "otpauth://totp/Example:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example";
/// The clipboard delay the tests configure, so waiting for the clearing stays short.
const CLEAR_SECONDS: u64 = 3;

struct Options {
    app: PathBuf,
    /// The WebDriver URL of this run's tauri-driver.
    driver: String,
    bench: bool,
    /// Where the benchmark refreshes the docs' pictures (`docs/screenshots`); the tests never write there.
    screenshots: PathBuf,
    /// Failure screenshots and the pictures scenarios take (`$CARGO_TARGET_DIR/e2e`, or `target/e2e`).
    artifacts: PathBuf,
    /// Run only the scenarios whose name contains this.
    only: Option<String>,
}

fn main() -> ExitCode {
    let mut options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("twofold-e2e: {e}");
            return ExitCode::FAILURE;
        }
    };
    if std::env::var_os("DISPLAY").is_none() {
        eprintln!("twofold-e2e: no DISPLAY; run through `cargo xtask test`, which starts Xvfb");
        return ExitCode::FAILURE;
    }
    let driver = match Driver::start() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("twofold-e2e: {e}");
            return ExitCode::FAILURE;
        }
    };
    options.driver = driver.url.clone();
    let ok = if options.bench { bench(&options) } else { run_tests(&options) };
    drop(driver);
    if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn parse_args() -> Result<Options> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("target"));
    let mut options = Options {
        app: target.join("debug").join("twofold"),
        driver: String::new(),
        bench: false,
        screenshots: PathBuf::from("docs/screenshots"),
        artifacts: target.join("e2e"),
        only: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--app" => options.app = args.next().ok_or("--app needs a path")?.into(),
            "--bench" => options.bench = true,
            "--screenshots" => options.screenshots = args.next().ok_or("--screenshots needs a folder")?.into(),
            "--only" => options.only = Some(args.next().ok_or("--only needs a scenario name")?),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    options.app = std::fs::canonicalize(&options.app)
        .map_err(|e| format!("app binary {}: {e} (build it with `cargo build -p twofold`)", options.app.display()))?;
    Ok(options)
}

/// `tauri-driver` and the WebKitWebDriver it starts, for the duration of the run, on ports that were free.
///
/// Not fixed ports: a second run on the machine (or a WebKitWebDriver left behind) held them, the new drivers
/// could not listen and exited, and this run's requests went to the other one, which starts the app on its own
/// display and session bus.
pub(crate) struct Driver {
    child: Child,
    /// The WebKitWebDriver that tauri-driver started.
    native: u32,
    pub(crate) url: String,
}

impl Driver {
    fn start() -> Result<Self> {
        Self::start_with(&[])
    }

    /// A driver whose WebKitWebDriver, and so every app it starts, gets these extra environment variables on top
    /// of this runner's (the keyring scenario gives its app a private session bus with a Secret Service on it;
    /// the two-window scenario gives its second app a session bus of its own).
    pub(crate) fn start_with(env: &[(&str, String)]) -> Result<Self> {
        let (port, native_port) = free_ports()?;
        let child = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start tauri-driver ({e}); `cargo xtask test` installs it"))?;
        let mut driver = Driver { child, native: 0, url: format!("http://127.0.0.1:{port}") };
        // tauri-driver listens on its port before the WebKitWebDriver it starts listens on the native one: wait
        // for both, and for both to be ours.
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = driver.child.try_wait() {
                return Err(format!("tauri-driver exited at start ({status}): could it listen on port {port}?"));
            }
            // Live children only: one that could not listen has exited.
            let native = process::children(driver.child.id(), "WebKitWebDriver").first().copied();
            if let Some(native) = native {
                driver.native = native;
            }
            if port_open(port) && port_open(native_port) && native.is_some() {
                return Ok(driver);
            }
            if start.elapsed() > Duration::from_secs(30) {
                return Err(format!(
                    "tauri-driver and its WebKitWebDriver did not listen on ports {port} and {native_port} within 30 s"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // SIGTERM, on which tauri-driver stops its WebKitWebDriver. A SIGKILL (`Child::kill`) left that
        // WebKitWebDriver running, still listening, with this run's display and session bus in its environment.
        let _ = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).stderr(Stdio::null()).status();
        let asked = Instant::now();
        while matches!(self.child.try_wait(), Ok(None)) && asked.elapsed() < Duration::from_secs(5) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if process::is_alive(self.native, "WebKitWebDriver") {
            let _ = Command::new("kill").args(["-KILL", &self.native.to_string()]).stderr(Stdio::null()).status();
        }
    }
}

/// Two different ports nothing listens on now (the system picks them; they are free again once we close them).
fn free_ports() -> Result<(u16, u16)> {
    let bind = || std::net::TcpListener::bind(("127.0.0.1", 0)).map_err(|e| format!("no free port: {e}"));
    let (a, b) = (bind()?, bind()?);
    let port = |l: &std::net::TcpListener| l.local_addr().map(|a| a.port()).map_err(|e| e.to_string());
    Ok((port(&a)?, port(&b)?))
}

fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)).is_ok()
}

fn now_s() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

/// A fresh data folder with test settings (short clipboard delay, no auto-lock).
fn data_dir(name: &str) -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("twofold-e2e-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let settings = format!(
        r#"{{"clipboardClearSeconds": {CLEAR_SECONDS}, "autoLockMinutes": 0, "privacyMode": false, "contentProtection": true}}"#
    );
    std::fs::write(dir.join("settings.json"), settings).map_err(|e| e.to_string())?;
    Ok(dir)
}

fn open(options: &Options, dir: &Path) -> Result<Session> {
    let args = vec![
        "--data-dir".to_string(),
        dir.display().to_string(),
        "--choose-files".to_string(),
        chooser_script(dir).display().to_string(),
    ];
    Session::start(&options.driver, &options.app.display().to_string(), &args)
}

/// The file the app's scripted chooser answers from (`--choose-files`): WebDriver cannot drive the system's
/// file dialog, so this is the test-only way to hand the app a path. The webview still names none.
pub(crate) fn chooser_script(dir: &Path) -> PathBuf {
    dir.join("chooser-answer")
}

/// The next file chooser the app opens answers `path`.
pub(crate) fn answer_chooser(dir: &Path, path: &Path) -> Result<()> {
    std::fs::write(chooser_script(dir), format!("{}\n", path.display())).map_err(|e| format!("chooser script: {e}"))
}

fn read_clipboard() -> Result<String> {
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard"])
        .output()
        .map_err(|e| format!("cannot run xclip: {e}"))?;
    // An empty clipboard makes xclip exit non-zero; that is "nothing", not an error.
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The clipboard converted to `target` (`TARGETS` lists the formats the owner offers), read by `xclip`.
fn clipboard_as(target: &str) -> Result<String> {
    let out = Command::new("xclip")
        .args(["-o", "-selection", "clipboard", "-t", target])
        .output()
        .map_err(|e| format!("cannot run xclip: {e}"))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Waits (up to 20 s) for a process that hands a link to the running instance to exit successfully; its
/// standard error is the message when it fails.
fn wait_handover(mut child: Child, what: &str, stuck: &str) -> Result<()> {
    let started = Instant::now();
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) if status.success() => return Ok(()),
            Some(status) => {
                let mut err = String::new();
                if let Some(mut stderr) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut stderr, &mut err);
                }
                return Err(format!("{what} exited with {status}: {}", err.trim()));
            }
            None if started.elapsed() > Duration::from_secs(20) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{what} did not return within 20 s ({stuck})"));
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
}

/// The card of `issuer` (`name`) shows one of the core's codes for `link` around now.
fn expect_core_code(s: &Session, issuer: &str, name: &str, link: &str) -> Result<()> {
    let before = now_s();
    let shown = card_code(s, issuer, name)?;
    let expected = oracle::codes_around(link, before)?;
    if expected.contains(&shown) {
        Ok(())
    } else {
        Err(format!("the card of {issuer} ({name}) shows {shown}, the core says one of {expected:?}"))
    }
}

/// An account card's copy button, found by the account's issuer and name.
fn card_button(session: &Session, issuer: &str, name: &str) -> Result<webdriver::Element> {
    session.wait_xpath(
        &format!("the card of {issuer} ({name})"),
        &format!("{}//button[contains(@class, 'copy')]", card_xpath(issuer, name)),
        Duration::from_secs(10),
    )
}

fn card_xpath(issuer: &str, name: &str) -> String {
    format!("//li[@data-issuer='{issuer}' and @data-name='{name}']")
}

/// The code shown on a card, without the grouping spaces.
fn card_code(session: &Session, issuer: &str, name: &str) -> Result<String> {
    let element = session.wait_xpath(
        &format!("the code on the card of {issuer} ({name})"),
        &format!("{}//*[@data-code]", card_xpath(issuer, name)),
        Duration::from_secs(10),
    )?;
    Ok(session.text(&element)?.chars().filter(|c| !c.is_whitespace()).collect())
}

type Scenario = fn(&Options, &mut Option<Session>) -> Result<()>;

fn run_tests(options: &Options) -> bool {
    let scenarios: &[(&str, Scenario)] = &[
        ("create_add_copy_lock_unlock", create_add_copy_lock_unlock),
        ("add_dialog_checks_keys_and_duplicates", add_keys::add_dialog_checks_keys_and_duplicates),
        ("thousand_accounts_stay_usable", thousand_accounts_stay_usable),
        ("screensaver_locks_the_vault", session_qr::screensaver_locks_the_vault),
        ("account_qr_code_shows_the_account", session_qr::account_qr_code_shows_the_account),
        ("import_encrypted_aegis_file", import::encrypted_aegis_file),
        ("backup_wipe_restore", backup::backup_wipe_restore),
        ("opens_to_create_screen", desktop::opens_to_create_screen),
        ("deeplink_opens_prefilled_add_dialog", desktop::deeplink_opens_prefilled_add_dialog),
        ("deeplink_first_launch_waits_for_unlock", desktop::deeplink_first_launch_waits_for_unlock),
        ("clock_warning_banner", desktop::clock_warning_banner),
        ("scan_camera_preview", scan::scan_camera_preview),
        ("scan_camera_adds_account", scan::scan_camera_adds_account),
        ("scan_image_adds_account", scan::scan_image_adds_account),
        ("scan_screen_adds_account", scan::scan_screen_adds_account),
        ("installed_link_click_adds_account", installed::link_click_adds_account),
        ("accessibility_every_screen", a11y::accessibility_every_screen),
        ("brand_icons_and_list_views", icons::brand_icons_and_list_views),
        ("aegis_icon_pack_imports_and_is_used", iconpacks::aegis_icon_pack_imports_and_is_used),
        ("quick_switcher_copies_and_hides", switcher::quick_switcher_copies_and_hides),
        ("tray_copies_locks_and_hides", tray::tray_copies_locks_and_hides),
        ("settings_change_password", settings_change_password),
        ("follow_new_backup_appears_in_the_window", follow::new_backup_appears_in_the_window),
        ("keyring_unlock_without_typing", keyring::unlock_without_typing),
        ("webdav_set_up_through_the_window", webdav::set_up_through_the_window_and_reach_in_step),
        ("sync_two_windows_share_an_account", sync_windows::account_added_in_one_window_appears_in_the_other),
        ("languages_german_from_the_system", languages::german_from_the_system_language),
        ("languages_pseudo_locale_fits", languages::pseudo_locale_fits_every_screen),
    ];
    let (mut passed, mut failed) = (0, 0);
    // `installed_*` scenarios need the app unpacked from the `.deb` (`cargo xtask test` picks them by name).
    let chosen = |name: &str| match options.only.as_deref() {
        Some(only) => name.contains(only),
        None => !name.starts_with("installed_"),
    };
    for (name, scenario) in scenarios.iter().filter(|(name, _)| chosen(name)) {
        let started = Instant::now();
        let mut session = None;
        let result = scenario(options, &mut session);
        match &result {
            Ok(()) => {
                passed += 1;
                println!("test {name} ... ok ({:.1} s)", started.elapsed().as_secs_f64());
            }
            Err(e) => {
                failed += 1;
                println!("test {name} ... FAILED: {e}");
                if let Some(s) = &session {
                    save_failure_screenshot(options, name, s);
                }
            }
        }
        if let Some(s) = session {
            let _ = s.quit();
        }
    }
    println!("e2e: {passed} passed, {failed} failed");
    failed == 0
}

pub(crate) fn save_failure_screenshot(options: &Options, name: &str, session: &Session) {
    let path = options.artifacts.join(format!("{name}.png"));
    let saved = std::fs::create_dir_all(&options.artifacts)
        .map_err(|e| e.to_string())
        .and_then(|()| session.screenshot())
        .and_then(|png| std::fs::write(&path, png).map_err(|e| e.to_string()));
    match saved {
        Ok(()) => println!("    screenshot: {}", path.display()),
        Err(e) => println!("    (no screenshot: {e})"),
    }
}

/// The first-run screen: types the test password twice, acknowledges the warning, creates the vault, and
/// returns at the empty list.
fn create_vault(s: &Session) -> Result<()> {
    s.heading("Create your vault", Duration::from_secs(30))?;
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.type_text(&s.field("Repeat password")?, PASSWORD)?;
    s.click(&s.field("I understand that a lost password cannot be recovered")?)?;
    s.click(&s.button("Create vault")?)?;
    s.wait_xpath("the empty list", "//h2[normalize-space(.)='No accounts yet']", Duration::from_secs(30)).map(drop)
}

fn create_add_copy_lock_unlock(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("flow")?;
    let s: &Session = slot.insert(open(options, &dir)?);

    // First run: create the vault.
    create_vault(s)?;

    // Add an account by pasting its link.
    s.click(&s.button("Add account")?)?;
    s.type_text(&s.field("otpauth:// link")?, LINK)?;
    s.click(&s.button("Add")?)?;

    // The code on the card is the core's code for now.
    expect_core_code(s, ISSUER, NAME, LINK)?;

    // Click the card: the same code is on the system clipboard, then cleared.
    s.click(&card_button(s, ISSUER, NAME)?)?;
    s.wait_xpath(
        "the Copied toast",
        "//*[@role='status'][contains(., 'Copied code for Example')]",
        Duration::from_secs(5),
    )?;
    let copied = read_clipboard()?;
    let now_expected = oracle::codes_around(LINK, now_s())?;
    if !now_expected.contains(&copied) {
        return Err(format!("clipboard holds `{copied}`, the core says one of {now_expected:?}"));
    }
    // The copy is marked secret for clipboard managers (issue 13 point 10): KDE's hint is offered, saying so.
    let targets = clipboard_as("TARGETS")?;
    if !targets.lines().any(|t| t.trim() == "x-kde-passwordManagerHint") {
        return Err(format!("the clipboard's TARGETS lack x-kde-passwordManagerHint: {targets:?}"));
    }
    let hint = clipboard_as("x-kde-passwordManagerHint")?;
    if hint != "secret" {
        return Err(format!("x-kde-passwordManagerHint is `{hint}`, expected `secret`"));
    }
    let copied_at = Instant::now();
    loop {
        if read_clipboard()? != copied {
            break;
        }
        if copied_at.elapsed() > Duration::from_secs(CLEAR_SECONDS + 10) {
            return Err(format!("clipboard still holds the code {CLEAR_SECONDS} s + 10 s after copying"));
        }
        std::thread::sleep(Duration::from_millis(200));
    }

    // Lock, a wrong password is refused, the right one opens the list again.
    s.click(&s.button("Lock")?)?;
    s.heading("Unlock Twofold", Duration::from_secs(10))?;
    let field = s.field("Password")?;
    s.type_text(&field, "not the password")?;
    s.click(&s.button("Unlock")?)?;
    s.alert("Wrong password", Duration::from_secs(30))?;
    s.clear(&field)?;
    s.type_text(&field, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    card_code(s, ISSUER, NAME).map(drop)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Settings → Change password: the new password opens the vault after a lock, the old one no longer does.
/// Saves `settings_change_password.png` (the filled-in form) among the artifacts.
fn settings_change_password(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    const NEW: &str = "a brand new passphrase";
    let dir = data_dir("passwd")?;
    let s: &Session = slot.insert(open(options, &dir)?);
    create_vault(s)?;
    s.click(&s.button("Settings")?)?;
    s.heading("Settings", Duration::from_secs(10))?;
    s.type_text(&s.field("Current password")?, PASSWORD)?;
    s.type_text(&s.field("New password")?, NEW)?;
    s.type_text(&s.field("Repeat new password")?, NEW)?;
    let change = s.button("Change password")?;
    s.execute("document.getElementById('password-title').scrollIntoView();")?;
    std::fs::create_dir_all(&options.artifacts).map_err(|e| e.to_string())?;
    std::fs::write(options.artifacts.join("settings_change_password.png"), s.screenshot()?)
        .map_err(|e| e.to_string())?;
    s.click(&change)?;
    s.wait_xpath("the confirmation", "//*[@role='status'][contains(., 'Password changed.')]", Duration::from_secs(60))?;
    s.click(&s.button("Back to accounts")?)?;
    s.click(&s.button("Lock")?)?;
    s.heading("Unlock Twofold", Duration::from_secs(10))?;
    let field = s.field("Password")?;
    s.type_text(&field, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    s.alert("Wrong password", Duration::from_secs(30))?;
    s.clear(&field)?;
    s.type_text(&field, NEW)?;
    s.click(&s.button("Unlock")?)?;
    s.wait_xpath("the empty list", "//h2[normalize-space(.)='No accounts yet']", Duration::from_secs(30))?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

const MANY: usize = 1000;
/// The largest vault the benchmark opens (issue 19: the list stays fast at 10,000).
const LARGE: usize = 10_000;

/// Opens the vault in `dir`, of `count` accounts, and returns the session at the unlocked list with timings:
/// its cards in view drawn with their icons, or (`count` 0) the empty list.
fn open_vault(options: &Options, slot: &mut Option<Session>, dir: &Path, count: usize) -> Result<ListTimings> {
    let launched = epoch_ms();
    let started = Instant::now();
    let s: &Session = slot.insert(open(options, dir)?);
    s.heading("Unlock Twofold", Duration::from_secs(30))?;
    // From the launch to the page's own mark after the unlock screen's first paint (the driver's polling is
    // not in it); the WebDriver figure is kept as a fallback for a page that records no mark.
    let to_unlock_screen = match page_mark_epoch_ms(s, "twofold:unlock-screen")? {
        Some(painted) => Duration::from_secs_f64((painted - launched).max(0.0) / 1000.0),
        None => started.elapsed(),
    };
    s.type_text(&s.field("Password")?, PASSWORD)?;
    let unlock_clicked = Instant::now();
    s.click(&s.button("Unlock")?)?;
    if count == 0 {
        s.heading("No accounts yet", Duration::from_secs(60))?;
        let to_first_code = unlock_clicked.elapsed();
        return Ok(ListTimings { to_unlock_screen, to_first_code, to_all_cards: None });
    }
    s.wait_xpath("a code", "//*[@data-code]", Duration::from_secs(60))?;
    let to_first_code = page_measure(s, "twofold:unlock-to-first-code")?.unwrap_or_else(|| unlock_clicked.elapsed());
    wait_count(s, count, Duration::from_secs(60))?;
    // The cards in view have their icons or initials (the icon pack's index loads after the first code).
    s.wait_xpath(
        "the cards' icons",
        "//ul[@data-shown]//li[1]//*[@data-icon][not(@data-icon='loading')]",
        Duration::from_secs(60),
    )?;
    let polled = unlock_clicked.elapsed();
    // The page's own figure, from the list's arrival to the paint of the cards in view with all their icons;
    // the WebDriver figure (from the unlock press) only when the page recorded none.
    let to_all_cards = Some(page_measure(s, "twofold:all-cards")?.unwrap_or(polled));
    Ok(ListTimings { to_unlock_screen, to_first_code, to_all_cards })
}

/// Milliseconds since the Unix epoch, as the page's `performance.timeOrigin` counts them.
fn epoch_ms() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
}

/// The page's mark `name` (`ui/src/lib/perf.ts`) in Unix epoch milliseconds, waiting up to 5 s for it.
fn page_mark_epoch_ms(s: &Session, name: &str) -> Result<Option<f64>> {
    let script = format!(
        "const m = performance.getEntriesByName('{name}', 'mark').pop(); \
         return m ? performance.timeOrigin + m.startTime : null;"
    );
    poll_page(s, &script)
}

/// The newest of the page's measures `name` (`ui/src/lib/perf.ts`), waiting up to 5 s for it to be taken (it
/// is taken after the next paint).
pub(crate) fn page_measure(s: &Session, name: &str) -> Result<Option<Duration>> {
    let script =
        format!("const m = performance.getEntriesByName('{name}', 'measure').pop(); return m ? m.duration : null;");
    Ok(poll_page(s, &script)?.map(|ms| Duration::from_secs_f64(ms.max(0.0) / 1000.0)))
}

/// Every measure `name` the page holds, oldest first.
fn page_measures(s: &Session, name: &str) -> Result<Vec<Duration>> {
    let script = format!("return performance.getEntriesByName('{name}', 'measure').map((m) => m.duration);");
    let list = s.execute(&script)?;
    Ok(list
        .as_array()
        .map(|v| v.iter().filter_map(|d| d.as_f64()).map(|ms| Duration::from_secs_f64(ms.max(0.0) / 1000.0)).collect())
        .unwrap_or_default())
}

fn poll_page(s: &Session, script: &str) -> Result<Option<f64>> {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        if let Some(value) = s.execute(script)?.as_f64() {
            return Ok(Some(value));
        }
        if Instant::now() > deadline {
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

struct ListTimings {
    to_unlock_screen: Duration,
    /// For the empty vault, up to its empty list (a WebDriver figure: no code is shown).
    to_first_code: Duration,
    /// `None` for the empty vault.
    to_all_cards: Option<Duration>,
}

/// How many cards the list shows: its `data-shown` (only the cards in view are in the page, issue 19), 0 when
/// there is no list.
fn card_count(s: &Session) -> Result<usize> {
    let v = s.execute(
        "const list = document.querySelector('ul[data-shown]'); return list ? Number(list.dataset.shown) : 0;",
    )?;
    Ok(v.as_u64().unwrap_or(0) as usize)
}

fn wait_count(s: &Session, want: usize, timeout: Duration) -> Result<Duration> {
    let start = Instant::now();
    loop {
        let n = card_count(s)?;
        if n == want {
            return Ok(start.elapsed());
        }
        if start.elapsed() > timeout {
            return Err(format!("expected {want} cards, found {n} after {timeout:?}"));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Types `query` one key at a time into the search field and returns how long each keystroke took to filter.
fn type_search(s: &Session, query: &str, counts: &[usize]) -> Result<Vec<Duration>> {
    let field = s.field("Search accounts")?;
    s.execute("performance.clearMeasures('twofold:filter'); return null;")?;
    let mut times = Vec::new();
    for (key, want) in query.chars().zip(counts) {
        let start = Instant::now();
        s.type_text(&field, &key.to_string())?;
        wait_count(s, *want, Duration::from_secs(30))?;
        times.push(start.elapsed());
    }
    // The page's own figures, from each key's input event to the paint of the filtered list; the WebDriver
    // round trips above only when the page recorded none.
    std::thread::sleep(Duration::from_millis(200));
    let in_page = page_measures(s, "twofold:filter")?;
    Ok(if in_page.len() == times.len() { in_page } else { times })
}

/// How many of `count` generated accounts (`Service NNNN`) contain each prefix of `query`.
fn expected_counts(query: &str, count: usize) -> Vec<usize> {
    let names: Vec<String> = (0..count).map(|i| format!("service {i:04} user{i}@example.com")).collect();
    (1..=query.len()).map(|n| names.iter().filter(|name| name.contains(&query[..n])).count()).collect()
}

const SEARCH: &str = "0042";

fn thousand_accounts_stay_usable(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("many")?;
    // Through the CLI, as a user would script it: `init`, one `import` of a list of links for the bulk (one
    // Argon2 run), and `add` for the last one.
    let vault = cli_import_many(options, &dir, MANY - 1)?;
    cli_add(
        options,
        &dir,
        &vault,
        "otpauth://totp/Service%200999:user999@example.com?secret=KRUGKIDROVUWG2ZAMJZG653OEBTG66BAON2W24DT&issuer=Service%200999",
    )?;
    let t = open_vault(options, slot, &dir, MANY)?;
    let s = slot.as_ref().ok_or("no session")?;
    // Only the cards in view are in the page (issue 19): a 720 px window holds about ten.
    let in_page = s.execute("return document.querySelectorAll('li[data-id]').length;")?.as_u64().unwrap_or(0);
    if !(1..=60).contains(&in_page) {
        return Err(format!("{in_page} of {MANY} cards are in the page; only those in view should be"));
    }
    let times = type_search(s, SEARCH, &expected_counts(SEARCH, MANY))?;
    card_code(s, "Service 0042", "user42@example.com").map(drop)?;
    println!(
        "    measured: unlock screen {:.0} ms, first code {:.0} ms after unlock, cards in view with icons {:.0} ms \
         after the list arrived, filter per keystroke {}",
        ms(t.to_unlock_screen),
        ms(t.to_first_code),
        t.to_all_cards.map(ms).unwrap_or(0.0),
        times.iter().map(|d| format!("{:.0} ms", ms(*d))).collect::<Vec<_>>().join(", ")
    );
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Runs `twofold-cli ARGS --vault VAULT --password-file …` with the test password.
fn cli(options: &Options, dir: &Path, vault: &Path, args: &[&str]) -> Result<()> {
    let cli = options.app.with_file_name("twofold-cli");
    let password_file = dir.join("password.txt");
    std::fs::write(&password_file, PASSWORD).map_err(|e| e.to_string())?;
    let out = Command::new(&cli)
        .args(args)
        .arg("--vault")
        .arg(vault)
        .arg("--password-file")
        .arg(&password_file)
        .output()
        .map_err(|e| format!("cannot run {} ({e}); build it with `cargo build -p twofold-cli`", cli.display()));
    let _ = std::fs::remove_file(&password_file);
    let out = out?;
    if !out.status.success() {
        return Err(format!("twofold-cli {} failed: {}", args[0], String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(())
}

/// Creates the test vault with `twofold-cli init` and imports `count` generated accounts (`Service 0000` /
/// `user0@example.com` …) from a list of `otpauth://` links with one `twofold-cli import`.
fn cli_import_many(options: &Options, dir: &Path, count: usize) -> Result<PathBuf> {
    let vault = dir.join(twofold_core::vault::VaultStore::DEFAULT_FILE_NAME);
    cli(options, dir, &vault, &["init"])?;
    let mut links = String::new();
    for i in 0..count {
        let secret = twofold_core::Secret::from_bytes(format!("twofold-e2e-account-{i:06}").into_bytes())
            .map_err(|e| e.to_string())?;
        links.push_str(&format!(
            "otpauth://totp/Service%20{i:04}:user{i}@example.com?secret={}&issuer=Service%20{i:04}\n",
            secret.to_base32().as_str()
        ));
    }
    let list = dir.join("links.txt");
    std::fs::write(&list, links).map_err(|e| e.to_string())?;
    let list_arg = list.display().to_string();
    cli(options, dir, &vault, &["import", &list_arg, "--format", "otpauth"])?;
    let _ = std::fs::remove_file(&list);
    Ok(vault)
}

/// `twofold-cli add --uri LINK` on the test vault (the CLI sits next to the app binary).
fn cli_add(options: &Options, dir: &Path, vault: &Path, link: &str) -> Result<()> {
    let cli = options.app.with_file_name("twofold-cli");
    let password_file = dir.join("password.txt");
    std::fs::write(&password_file, PASSWORD).map_err(|e| e.to_string())?;
    let out = Command::new(&cli)
        .arg("add")
        .arg("--vault")
        .arg(vault)
        .arg("--password-file")
        .arg(&password_file)
        .arg("--uri")
        .arg(link)
        .output()
        .map_err(|e| format!("cannot run {} ({e}); build it with `cargo build -p twofold-cli`", cli.display()))?;
    let _ = std::fs::remove_file(&password_file);
    if !out.status.success() {
        return Err(format!("twofold-cli add failed: {}", String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Resident memory of the app and every process under it (WebKit's web and network processes), in KiB.
fn app_rss_kib(app: &Path) -> u64 {
    let name: String = app.file_name().map(|n| n.to_string_lossy().chars().take(15).collect()).unwrap_or_default();
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0 };
    let mut procs: Vec<(u32, u32, String, u64)> = Vec::new();
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else { continue };
        let field = |key: &str| {
            status.lines().find_map(|l| l.strip_prefix(key)).map(|v| v.trim().to_string()).unwrap_or_default()
        };
        let ppid = field("PPid:").parse().unwrap_or(0);
        let rss = field("VmRSS:").trim_end_matches("kB").trim().parse().unwrap_or(0);
        procs.push((pid, ppid, field("Name:"), rss));
    }
    let mut members: Vec<u32> = procs.iter().filter(|p| p.2 == name).map(|p| p.0).collect();
    let mut i = 0;
    while i < members.len() {
        let parent = members[i];
        for p in &procs {
            if p.1 == parent && !members.contains(&p.0) {
                members.push(p.0);
            }
        }
        i += 1;
    }
    procs.iter().filter(|p| members.contains(&p.0)).map(|p| p.3).sum()
}

/// The benchmark's pictures of the main screens: `docs/screenshots/NAME.png` (or `--screenshots DIR`).
fn shot(options: &Options, s: &Session, name: &str) -> Result<()> {
    save_shot(&options.screenshots, s, name)
}

/// A scenario's picture of a screen the docs show, saved with the run's artifacts (`target/e2e/NAME.png`): a test
/// run never writes into the repository (`cargo xtask test` fails if it does); copy it into `docs/screenshots/`
/// by hand when the docs need it.
fn doc_shot(options: &Options, s: &Session, name: &str) -> Result<()> {
    save_shot(&options.artifacts, s, name)
}

fn save_shot(dir: &Path, s: &Session, name: &str) -> Result<()> {
    // What the caller waited for is in the DOM, but WebKit's screenshot shows the last painted frame: let it
    // paint, or the search picture lacks its last letter and the first-run picture shows "Loading…".
    std::thread::sleep(Duration::from_millis(500));
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, s.screenshot()?).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("screenshot {}", path.display());
    Ok(())
}

/// "release" or "debug", from the app's path (`target/release/twofold` or `target/debug/twofold`).
fn build_kind(app: &Path) -> &'static str {
    if app.components().any(|c| c.as_os_str() == "release") { "release" } else { "debug" }
}

/// The benchmark: prints figures and saves screenshots of the main screens; asserts nothing about speed.
fn bench(options: &Options) -> bool {
    match run_bench(options) {
        Ok(()) => true,
        Err(e) => {
            eprintln!("bench failed: {e}");
            false
        }
    }
}

fn run_bench(options: &Options) -> Result<()> {
    // First-run screen.
    let fresh = data_dir("bench-fresh")?;
    let s = open(options, &fresh)?;
    s.heading("Create your vault", Duration::from_secs(30))?;
    shot(options, &s, "create-vault")?;
    s.quit()?;

    // The empty vault first: its memory is the baseline the lists' growth is counted from (issue 19).
    let mut vaults = Vec::new();
    for count in [0, MANY, LARGE] {
        let dir = data_dir(&format!("bench-{count}"))?;
        let writing = Instant::now();
        oracle::write_vault_with_accounts(&dir, PASSWORD, count, now_s())?;
        println!("wrote a vault of {count} accounts in {:.0} ms", ms(writing.elapsed()));
        let mut runs = Vec::new();
        for round in 0..3 {
            let mut slot = None;
            let t = open_vault(options, &mut slot, &dir, count)?;
            let s = slot.ok_or("no session")?;
            std::thread::sleep(Duration::from_secs(1));
            let rss = app_rss_kib(&options.app);
            let pictures = count == MANY && round == 0;
            if pictures {
                shot(options, &s, "accounts")?;
            }
            let keys = if count == 0 { Vec::new() } else { type_search(&s, SEARCH, &expected_counts(SEARCH, count))? };
            if pictures {
                screenshots(options, &s)?;
            }
            s.quit()?;
            runs.push(Round { t, keys, rss });
        }
        let _ = std::fs::remove_dir_all(&dir);
        vaults.push((count, runs));
    }
    println!(
        "app benchmark ({} rounds per vault, {} build under Xvfb, timed in the page up to the next paint):",
        vaults.first().map(|(_, runs)| runs.len()).unwrap_or(0),
        build_kind(&options.app)
    );
    for (count, runs) in &vaults {
        for (i, r) in runs.iter().enumerate() {
            let Some(cards) = r.t.to_all_cards else {
                println!(
                    "  {count} accounts, round {}: start to unlock screen {:.0} ms | unlock to the empty list {:.0} ms \
                     | RSS of app processes {:.0} MiB",
                    i + 1,
                    ms(r.t.to_unlock_screen),
                    ms(r.t.to_first_code),
                    mib(r.rss)
                );
                continue;
            };
            let mean = r.keys.iter().map(|d| ms(*d)).sum::<f64>() / r.keys.len().max(1) as f64;
            println!(
                "  {count} accounts, round {}: start to unlock screen {:.0} ms | unlock to first code {:.0} ms | \
                 cards in view with icons {:.0} ms after the list arrived | filter per keystroke mean {:.0} ms \
                 (max {:.0} ms) | RSS of app processes {:.0} MiB",
                i + 1,
                ms(r.t.to_unlock_screen),
                ms(r.t.to_first_code),
                ms(cards),
                mean,
                r.keys.iter().map(|d| ms(*d)).fold(0.0, f64::max),
                mib(r.rss)
            );
        }
    }
    // Growth from the empty list, each vault's mean over its rounds.
    let mean_rss = |runs: &[Round]| runs.iter().map(|r| r.rss as f64).sum::<f64>() / runs.len().max(1) as f64;
    let empty = vaults.first().map(|(_, runs)| mean_rss(runs)).unwrap_or(0.0);
    println!(
        "  RSS of app processes, mean of the rounds: {}",
        vaults
            .iter()
            .map(|(count, runs)| {
                let rss = mean_rss(runs);
                if *count == 0 {
                    format!("empty vault {:.0} MiB", rss / 1024.0)
                } else {
                    format!("{count} accounts {:.0} MiB ({:+.0} MiB)", rss / 1024.0, (rss - empty) / 1024.0)
                }
            })
            .collect::<Vec<_>>()
            .join(" | ")
    );
    // A typical vault (a few dozen accounts) and the large one.
    for count in [30, MANY] {
        match keyring::bench(options, count)? {
            Some(rounds) => {
                for (i, (keyring, password)) in rounds.iter().enumerate() {
                    println!(
                        "  keyring round {} ({count} accounts): keyring unlock to first code {:.0} ms | password \
                         unlock to first code {:.0} ms (same session, real gnome-keyring)",
                        i + 1,
                        ms(*keyring),
                        ms(*password)
                    );
                }
            }
            None => println!("  keyring unlock: skipped (no Secret Service here)"),
        }
    }
    let _ = std::fs::remove_dir_all(&fresh);
    Ok(())
}

struct Round {
    t: ListTimings,
    keys: Vec<Duration>,
    rss: u64,
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The benchmark's pictures of the main screens, from the 1,000-account list searched for `SEARCH`; ends locked.
fn screenshots(options: &Options, s: &Session) -> Result<()> {
    shot(options, s, "search")?;
    session_qr::show_qr(s, "Service 0042")?;
    shot(options, s, "account-qr")?;
    s.click(&s.button("Back to accounts")?)?;
    s.click(&s.button("Settings")?)?;
    s.heading("Settings", Duration::from_secs(5))?;
    shot(options, s, "settings")?;
    s.click(&s.button("Back to accounts")?)?;
    s.click(&s.button("Add account")?)?;
    s.type_text(&s.field("otpauth:// link")?, LINK)?;
    std::thread::sleep(Duration::from_millis(500));
    shot(options, s, "add-account")?;
    // The key checks as it is typed (issue 21 point 6).
    s.click(&s.button("Enter a key")?)?;
    s.type_text(&s.field("Secret key")?, "abcd efgh 1234")?;
    std::thread::sleep(Duration::from_millis(500));
    shot(options, s, "add-key-error")?;
    s.click(&s.button("Cancel")?)?;
    // The export form: what the format leaves out, the suggested name (issue 21 points 4 and 15).
    s.click(&s.button("Backups")?)?;
    s.click(&s.button("Export")?)?;
    s.field("Export password")?;
    shot(options, s, "export")?;
    s.click(&s.button("Back to accounts")?)?;
    s.click(&s.button("Lock")?)?;
    s.heading("Unlock Twofold", Duration::from_secs(5))?;
    shot(options, s, "unlock")?;
    Ok(())
}
