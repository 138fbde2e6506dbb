//! The system tray through a real tray host: `trayer` (an XEmbed system tray) runs on the test display, the
//! app docks its icon there, and the test clicks the icon and the menu with `xdotool` like a person would,
//! reads the real clipboard, locks from the tray, and closes the window as a window manager does
//! (`WM_DELETE_WINDOW`) to see it hide and come back.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use twofold_core::vault::{KdfParams, VaultContents, VaultStore};
use twofold_core::{Account, Secret};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{AtomEnum, ClientMessageEvent, ConnectionExt, EventMask, MapState, Window as XWindow};
use x11rb::rust_connection::RustConnection;

use crate::webdriver::{Result, Session};
use crate::{ISSUER, LINK, NAME, Options, PASSWORD, card_code, data_dir, now_s, open, oracle, read_clipboard};

/// How long anything on the X side may take to appear (a loaded 2-core machine starts GTK slowly).
const WAIT: Duration = Duration::from_secs(20);

/// Copy a favourite from the tray, lock from the tray, and close the window to the tray and back.
pub fn tray_copies_locks_and_hides(options: &Options, slot: &mut Option<Session>) -> Result<()> {
    let dir = data_dir("tray")?;
    write_vault(&dir)?;
    let x = X::connect()?;
    let _host = TrayHost::start(&x)?;
    let s: &Session = slot.insert(open(options, &dir)?);
    unlock(s)?;
    let shown = card_code(s, ISSUER, NAME)?;

    // Click the icon, then the favourite: its code lands on the real clipboard.
    let icon = poll("the tray icon docked in trayer", || x.tray_icon())?;
    let menu = open_menu(&x, icon)?;
    if std::env::var_os("TWOFOLD_E2E_SCREENSHOTS").is_some() {
        screenshot_menu(options, &x, menu)?;
    }
    let item = menu.first_item();
    xdotool(&["mousemove", &item.0.to_string(), &item.1.to_string(), "click", "1"])?;
    let copied = poll("the favourite's code on the clipboard", || {
        let text = read_clipboard().ok()?;
        (!text.is_empty()).then_some(text)
    })?;
    let card = card_code(s, ISSUER, NAME)?;
    let expected = oracle::codes_around(LINK, now_s())?;
    // The card's code, unless a 30 s step fell between reading the card and the clipboard.
    if !(copied == card || copied == shown) || !expected.contains(&copied) {
        return Err(format!("the tray copied `{copied}`, the card shows {card}, the core says one of {expected:?}"));
    }

    // Lock from the tray: the window shows the unlock screen, and the code left the clipboard.
    let menu = open_menu(&x, icon)?;
    choose_from_bottom(&x, menu, 2)?; // [favourite, —, Show, Lock, —, Quit]: Lock is second from the bottom
    s.heading("Unlock Twofold", WAIT)?;
    if read_clipboard()? == copied {
        return Err("locking from the tray left the code on the clipboard".into());
    }

    // Close to tray: on, the closed window hides and the process lives; Show brings it back.
    unlock(s)?;
    s.click(&s.button("Settings")?)?;
    s.click(&s.field("Keep running in the tray when the window is closed")?)?;
    s.click(&s.button("Save settings")?)?;
    card_code(s, ISSUER, NAME)?;
    let window = poll("the app window", || x.visible_window("Twofold"))?;
    let pid = window_pid(window)?;
    x.close(window)?;
    poll("the window hidden", || x.visible_window("Twofold").is_none().then_some(()))?;
    if !alive(pid) {
        return Err(format!("the app (pid {pid}) quit although closing should hide it"));
    }
    let menu = open_menu(&x, icon)?;
    choose_from_bottom(&x, menu, 3)?; // Show is third from the bottom
    poll("the window shown again", || x.visible_window("Twofold"))?;
    card_code(s, ISSUER, NAME)?;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// A vault with one favourite (the test link's account) and one other account.
fn write_vault(dir: &Path) -> Result<()> {
    let parsed = twofold_core::uri::parse(LINK).map_err(|e| e.to_string())?;
    let mut favourite = parsed.into_account(now_s());
    favourite.favorite = true;
    favourite.order = 1;
    let secret = Secret::from_bytes(b"twofold-e2e-not-a-favourite".to_vec()).map_err(|e| e.to_string())?;
    let mut other = Account::new("Other", "bob@example.com", secret, twofold_core::OtpParams::default_totp(), now_s());
    other.order = 0;
    let mut contents = VaultContents::new();
    contents.accounts = vec![other, favourite];
    let path = dir.join(VaultStore::DEFAULT_FILE_NAME);
    VaultStore::new(&path).create(PASSWORD, KdfParams::DEFAULT, &contents).map_err(|e| e.to_string())?;
    Ok(())
}

fn unlock(s: &Session) -> Result<()> {
    s.heading("Unlock Twofold", Duration::from_secs(30))?;
    s.type_text(&s.field("Password")?, PASSWORD)?;
    s.click(&s.button("Unlock")?)?;
    s.wait_xpath("a code", "//*[@data-code]", Duration::from_secs(60)).map(drop)
}

/// Calls `f` until it returns something, for at most [`WAIT`].
fn poll<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> Result<T> {
    let started = Instant::now();
    loop {
        if let Some(value) = f() {
            return Ok(value);
        }
        if started.elapsed() > WAIT {
            return Err(format!("{what}: not seen within {} s", WAIT.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn xdotool(args: &[&str]) -> Result<String> {
    let out = Command::new("xdotool").args(args).output().map_err(|e| format!("cannot run xdotool: {e}"))?;
    if !out.status.success() {
        return Err(format!("xdotool {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn window_pid(window: XWindow) -> Result<u32> {
    xdotool(&["getwindowpid", &window.to_string()])?.parse().map_err(|e| format!("window pid: {e}"))
}

fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
}

/// `trayer` on the test display, killed on drop.
struct TrayHost(Child);

impl TrayHost {
    fn start(x: &X) -> Result<Self> {
        let child = Command::new("trayer")
            .args(["--edge", "top", "--align", "right", "--widthtype", "request", "--height", "28"])
            .args(["--transparent", "false", "--SetDockType", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start trayer ({e}); `cargo xtask setup` installs it"))?;
        let host = TrayHost(child);
        poll("trayer owning the system tray", || x.tray_manager())?;
        Ok(host)
    }
}

impl Drop for TrayHost {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A rectangle in root coordinates.
#[derive(Clone, Copy, Debug)]
struct Rect {
    x: i32,
    y: i32,
    width: i32,
    height: i32,
}

impl Rect {
    fn center(self) -> (i32, i32) {
        (self.x + self.width / 2, self.y + self.height / 2)
    }

    /// Inside the menu's first item: GTK menus start with a few pixels of padding, items are over 20 high.
    fn first_item(self) -> (i32, i32) {
        (self.x + self.width / 2, self.y + 14)
    }
}

/// Clicks the icon and waits for the menu (a new override-redirect window) to show.
fn open_menu(x: &X, icon: Rect) -> Result<Rect> {
    let before = x.popups();
    let (cx, cy) = icon.center();
    xdotool(&["mousemove", &cx.to_string(), &cy.to_string(), "click", "1"])?;
    poll("the tray menu", || x.popups().into_iter().find(|p| !before.iter().any(|b| b.0 == p.0)).map(|p| p.1))
}

/// Chooses a menu item by keyboard, counting from the bottom (1 = the last item), then waits for the menu to
/// close.
fn choose_from_bottom(x: &X, _menu: Rect, n: usize) -> Result<()> {
    let mut keys = vec!["key", "--delay", "60"];
    keys.extend(std::iter::repeat_n("Up", n));
    keys.push("Return");
    xdotool(&keys)?;
    poll("the tray menu closed", || x.popups().is_empty().then_some(()))
}

/// Captures the screen while the menu is open and crops it to the tray and the menu.
fn screenshot_menu(options: &Options, x: &X, menu: Rect) -> Result<()> {
    std::thread::sleep(Duration::from_millis(300)); // let the menu paint
    let tray = x.tray_manager().and_then(|w| x.rect(w)).unwrap_or(menu);
    let left = menu.x.min(tray.x) - 12;
    let top = menu.y.min(tray.y).max(0);
    let right = (menu.x + menu.width).max(tray.x + tray.width) + 12;
    let bottom = (menu.y + menu.height).max(tray.y + tray.height) + 12;
    let (left, right) = (left.max(0), right.min(x.screen_width()));
    let root = options.artifacts.join("tray-root.png");
    std::fs::create_dir_all(&options.artifacts).map_err(|e| e.to_string())?;
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(&root)
        .status()
        .map_err(|e| format!("cannot run import: {e}"))?;
    if !status.success() {
        return Err("import -window root failed".into());
    }
    let crop = format!("{}x{}+{left}+{top}", right - left, bottom - top);
    // With the run's artifacts, for `docs/screenshots/tray.png`: a test run never writes into the repository.
    let out = options.artifacts.join("tray.png");
    let status = Command::new("/usr/bin/convert")
        .arg(&root)
        .args(["-crop", &crop, "+repage", "-strip"])
        .arg(&out)
        .status()
        .map_err(|e| format!("cannot run convert: {e}"))?;
    let _ = std::fs::remove_file(&root);
    if !status.success() {
        return Err("convert could not crop the screenshot".into());
    }
    println!("screenshot {}", out.display());
    Ok(())
}

/// A connection to the test display, for what xdotool cannot do: find the tray and its icon, list popups,
/// and close a window the way a window manager does.
struct X {
    conn: RustConnection,
    root: XWindow,
    width: i32,
}

impl X {
    fn connect() -> Result<Self> {
        let (conn, screen) = x11rb::connect(None).map_err(|e| format!("cannot connect to the display: {e}"))?;
        let s = &conn.setup().roots[screen];
        let (root, width) = (s.root, i32::from(s.width_in_pixels));
        Ok(Self { conn, root, width })
    }

    fn screen_width(&self) -> i32 {
        self.width
    }

    fn atom(&self, name: &str) -> Option<u32> {
        Some(self.conn.intern_atom(false, name.as_bytes()).ok()?.reply().ok()?.atom)
    }

    /// The window owning the system tray selection (trayer's), once it runs.
    fn tray_manager(&self) -> Option<XWindow> {
        let atom = self.atom("_NET_SYSTEM_TRAY_S0")?;
        let owner = self.conn.get_selection_owner(atom).ok()?.reply().ok()?.owner;
        (owner != x11rb::NONE).then_some(owner)
    }

    fn children(&self, window: XWindow) -> Vec<XWindow> {
        self.conn.query_tree(window).ok().and_then(|c| c.reply().ok()).map(|r| r.children).unwrap_or_default()
    }

    fn mapped(&self, window: XWindow) -> bool {
        self.conn
            .get_window_attributes(window)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|a| a.map_state == MapState::VIEWABLE)
    }

    /// A window's rectangle in root coordinates.
    fn rect(&self, window: XWindow) -> Option<Rect> {
        let g = self.conn.get_geometry(window).ok()?.reply().ok()?;
        let t = self.conn.translate_coordinates(window, self.root, 0, 0).ok()?.reply().ok()?;
        Some(Rect {
            x: i32::from(t.dst_x),
            y: i32::from(t.dst_y),
            width: i32::from(g.width),
            height: i32::from(g.height),
        })
    }

    fn has_property(&self, window: XWindow, atom: u32) -> bool {
        self.conn
            .get_property(false, window, atom, AtomEnum::ANY, 0, 1)
            .ok()
            .and_then(|c| c.reply().ok())
            .is_some_and(|p| p.type_ != x11rb::NONE)
    }

    /// The docked icon: a mapped window carrying `_XEMBED_INFO` somewhere under trayer's windows.
    fn tray_icon(&self) -> Option<Rect> {
        let xembed = self.atom("_XEMBED_INFO")?;
        let manager = self.tray_manager()?;
        let mut stack = vec![manager];
        // trayer's selection window may not be the panel: look under every top-level it could be.
        stack.extend(self.children(self.root));
        let mut seen = std::collections::HashSet::new();
        while let Some(window) = stack.pop() {
            if !seen.insert(window) {
                continue;
            }
            if self.has_property(window, xembed) && self.mapped(window) {
                let rect = self.rect(window)?;
                if rect.width > 1 && rect.height > 1 && rect.width < 200 {
                    return Some(rect);
                }
            }
            stack.extend(self.children(window));
        }
        None
    }

    /// Mapped override-redirect top-levels (popup menus), with their rectangles.
    fn popups(&self) -> Vec<(XWindow, Rect)> {
        self.children(self.root)
            .into_iter()
            .filter(|&w| {
                self.conn
                    .get_window_attributes(w)
                    .ok()
                    .and_then(|c| c.reply().ok())
                    .is_some_and(|a| a.override_redirect && a.map_state == MapState::VIEWABLE)
            })
            .filter_map(|w| self.rect(w).map(|r| (w, r)))
            .filter(|(_, r)| r.width > 20 && r.height > 20)
            .collect()
    }

    /// The mapped top-level window named `name`, if there is one.
    fn visible_window(&self, name: &str) -> Option<XWindow> {
        let wm_name = self.atom("_NET_WM_NAME")?;
        let utf8 = self.atom("UTF8_STRING")?;
        self.children(self.root).into_iter().find(|&w| {
            self.mapped(w)
                && self
                    .conn
                    .get_property(false, w, wm_name, utf8, 0, 256)
                    .ok()
                    .and_then(|c| c.reply().ok())
                    .is_some_and(|p| p.value == name.as_bytes())
        })
    }

    /// Asks `window` to close, as a window manager's close button does (`WM_PROTOCOLS` / `WM_DELETE_WINDOW`).
    fn close(&self, window: XWindow) -> Result<()> {
        let protocols = self.atom("WM_PROTOCOLS").ok_or("no WM_PROTOCOLS atom")?;
        let delete = self.atom("WM_DELETE_WINDOW").ok_or("no WM_DELETE_WINDOW atom")?;
        let event = ClientMessageEvent::new(32, window, protocols, [delete, x11rb::CURRENT_TIME, 0, 0, 0]);
        self.conn.send_event(false, window, EventMask::NO_EVENT, event).map_err(|e| e.to_string())?;
        self.conn.flush().map_err(|e| e.to_string())
    }
}
