//! The system tray: the favourite accounts one click away, Lock, and a window that can hide instead of closing.
//!
//! The menu is a pure function of the vault's state ([`menu_model`]): locked, it offers *Unlock…*; unlocked, the
//! favourites in the user's order (labels name the issuer and account, never a code or key), each copying its
//! current code exactly as a card does ([`vault::copy_code`]), then *Show Twofold*, *Lock* (the Lock
//! button's [`vault::lock`]) and *Quit*. It is rebuilt on lock, on unlock, and after every save ([`watch`]); a
//! rebuild compares the new model with the one shown and touches the native menu only when they differ, on the
//! main thread, with no lock of ours held.
//!
//! Close to tray needs a tray host to bring the window back. Asking for one means D-Bus and X11 round trips,
//! so [`watch_host`] asks on a background thread every few seconds and a close request only reads the answer
//! ([`TrayMenu::host`]): the event loop never waits on a hung session bus.
//!
//! Labels come from the UI's catalog (`ui/src/lib/i18n/en/tray.json`), so the tray speaks like the window.
//! On Linux the icon is libayatana-appindicator's (a StatusNotifier item, or an XEmbed status icon when no
//! StatusNotifier host runs).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Emitter, Manager, Runtime, Window, WindowEvent};
use twofold_core::{Account, AccountId};

use crate::ipc::{EVENT_VAULT_LOCKED, Settings};
use crate::rt::Guarded;
use crate::state::{AppState, VaultEvent, VaultState};
use crate::{vault, window};

/// The tray's catalogs, shared with the web UI (`ui/src/lib/i18n/<language>/tray.json`), English first.
const CATALOGS: [(&str, &str); 5] = [
    ("en", include_str!("../../ui/src/lib/i18n/en/tray.json")),
    ("de", include_str!("../../ui/src/lib/i18n/de/tray.json")),
    ("fr", include_str!("../../ui/src/lib/i18n/fr/tray.json")),
    ("es", include_str!("../../ui/src/lib/i18n/es/tray.json")),
    ("it", include_str!("../../ui/src/lib/i18n/it/tray.json")),
];

/// The index in [`CATALOGS`] the menu speaks; English until [`set_language`] runs at start-up.
static LANGUAGE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Makes the menu speak the language the window does: the `language` setting when we have it, else the
/// system's (`LC_ALL`, `LC_MESSAGES`, `LANG`, as WebKitGTK's `navigator.languages` reads them), else English.
/// The menu is rebuilt by the caller.
pub fn set_language(setting: Option<&str>) {
    let system = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(|name| std::env::var(name).ok());
    LANGUAGE.store(language_index(setting, system.as_deref()), std::sync::atomic::Ordering::Relaxed);
}

/// The catalog for `setting`, else for the system's locale (`de_AT.UTF-8`), else English.
fn language_index(setting: Option<&str>, system: Option<&str>) -> usize {
    let find = |tag: &str| {
        let base = tag.split(['-', '_', '.', '@']).next().unwrap_or_default().to_ascii_lowercase();
        CATALOGS.iter().position(|(code, _)| *code == base)
    };
    setting.and_then(find).or_else(|| system.filter(|s| !s.is_empty()).and_then(find)).unwrap_or(0)
}

/// A label from the catalog the menu speaks, with `{name}` placeholders filled from `params`; English when that
/// catalog lacks the key, and the key itself when English does too (a test checks every key used here exists).
pub fn label(key: &str, params: &[(&str, &str)]) -> String {
    label_in(LANGUAGE.load(std::sync::atomic::Ordering::Relaxed), key, params)
}

fn label_in(language: usize, key: &str, params: &[(&str, &str)]) -> String {
    static MESSAGES: OnceLock<Vec<HashMap<String, String>>> = OnceLock::new();
    let messages = MESSAGES
        .get_or_init(|| CATALOGS.iter().map(|(_, json)| serde_json::from_str(json).unwrap_or_default()).collect());
    let found = messages.get(language).and_then(|m| m.get(key)).or_else(|| messages.first().and_then(|m| m.get(key)));
    let mut text = found.cloned().unwrap_or_else(|| format!("tray.{key}"));
    for (name, value) in params {
        text = text.replace(&format!("{{{name}}}"), value);
    }
    text
}

/// Menu item ids. A favourite's id is [`COPY_PREFIX`] and its account id (a UUID, not a secret).
pub const SHOW: &str = "show";
pub const UNLOCK: &str = "unlock";
pub const LOCK: &str = "lock";
pub const QUIT: &str = "quit";
pub const NO_FAVOURITES: &str = "no-favourites";
pub const COPY_PREFIX: &str = "copy:";

/// Favourite labels no longer than this (in characters) keep the menu a sensible width.
const MAX_LABEL_CHARS: usize = 60;

/// A favourite as the menu shows it: who it is, never its key or code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Favourite {
    pub id: AccountId,
    pub issuer: String,
    pub name: String,
}

/// The favourite accounts in the user's order (the manual order, then issuer and name, as the list sorts).
pub fn favourites(accounts: &[Account]) -> Vec<Favourite> {
    let mut chosen: Vec<&Account> = accounts.iter().filter(|a| a.favorite).collect();
    chosen
        .sort_by(|a, b| a.order.cmp(&b.order).then_with(|| a.issuer.cmp(&b.issuer)).then_with(|| a.name.cmp(&b.name)));
    chosen.into_iter().map(|a| Favourite { id: a.id, issuer: a.issuer.clone(), name: a.name.clone() }).collect()
}

/// One line of the menu.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Item { id: String, label: String, enabled: bool },
    Separator,
}

fn item(id: &str, label: String) -> Entry {
    Entry::Item { id: id.to_string(), label, enabled: true }
}

/// The menu for a vault state: `None` when locked, else the favourites in order.
pub fn menu_model(favourites: Option<&[Favourite]>) -> Vec<Entry> {
    let Some(favourites) = favourites else {
        return vec![item(UNLOCK, label("unlock", &[])), Entry::Separator, item(QUIT, label("quit", &[]))];
    };
    let mut entries: Vec<Entry> = favourites
        .iter()
        .map(|f| Entry::Item { id: format!("{COPY_PREFIX}{}", f.id), label: favourite_label(f), enabled: true })
        .collect();
    if entries.is_empty() {
        entries.push(Entry::Item { id: NO_FAVOURITES.into(), label: label("noFavourites", &[]), enabled: false });
    }
    entries.extend([
        Entry::Separator,
        item(SHOW, label("show", &[])),
        item(LOCK, label("lock", &[])),
        Entry::Separator,
        item(QUIT, label("quit", &[])),
    ]);
    entries
}

fn favourite_label(f: &Favourite) -> String {
    let text = match (f.issuer.trim(), f.name.trim()) {
        ("", "") => label("unnamed", &[]),
        (issuer, "") => issuer.to_string(),
        ("", name) => name.to_string(),
        (issuer, name) => label("favourite", &[("issuer", issuer), ("name", name)]),
    };
    // One line, a sensible width.
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().count() > MAX_LABEL_CHARS {
        let mut short: String = text.chars().take(MAX_LABEL_CHARS - 1).collect();
        short.push('…');
        short
    } else {
        text
    }
}

/// What a click on a menu item asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Copy(AccountId),
    Show,
    Lock,
    Quit,
}

/// The action of a menu item id; `None` for ids that are not ours or do nothing.
pub fn action(id: &str) -> Option<Action> {
    match id {
        SHOW | UNLOCK => Some(Action::Show),
        LOCK => Some(Action::Lock),
        QUIT => Some(Action::Quit),
        _ => {
            let raw = id.strip_prefix(COPY_PREFIX)?;
            uuid::Uuid::parse_str(raw).ok().map(|u| Action::Copy(AccountId(u)))
        }
    }
}

/// Does what the menu item `id` says.
pub fn handle<R: Runtime>(app: &AppHandle<R>, id: &str) {
    match action(id) {
        Some(Action::Copy(account)) => {
            if let Err(e) = vault::copy_code(app, account) {
                // E.g. an HOTP favourite with no code shown yet: the window is where that is done.
                log::info!("tray: cannot copy a code ({e}); showing the window");
                window::show(app);
            }
        }
        Some(Action::Show) => window::show(app),
        Some(Action::Lock) => {
            vault::lock(app);
            let _ = app.emit(EVENT_VAULT_LOCKED, ());
        }
        Some(Action::Quit) => app.exit(0),
        None => {}
    }
}

/// The menu shown now (`None` before the first build) and whether a tray host was last seen; managed by
/// [`crate::configure`].
#[derive(Default)]
pub struct TrayMenu {
    shown: Mutex<Option<Vec<Entry>>>,
    host: AtomicBool,
}

impl TrayMenu {
    /// The menu model last applied.
    pub fn shown(&self) -> Option<Vec<Entry>> {
        self.shown.guard().clone()
    }

    /// Whether a tray host was running when last asked ([`watch_host`], `tray_status`); false until asked.
    pub fn host(&self) -> bool {
        self.host.load(Ordering::Relaxed)
    }

    /// Records what [`host_present`] answered.
    pub fn set_host(&self, present: bool) {
        self.host.store(present, Ordering::Relaxed);
    }
}

/// How often [`watch_host`] asks whether a tray host runs (panels start and stop rarely; a close request within
/// this time of a change acts on the previous answer).
const HOST_POLL: Duration = Duration::from_secs(5);

/// Keeps [`TrayMenu::host`] current from a background thread, so a close request never does D-Bus or X11 work
/// on the event loop. The thread ends with the app.
pub fn watch_host<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    let spawned = std::thread::Builder::new().name("tray-host".into()).spawn(move || {
        loop {
            let present = host_present();
            match handle.try_state::<TrayMenu>() {
                Some(menu) => menu.set_host(present),
                None => return,
            }
            std::thread::sleep(HOST_POLL);
        }
    });
    if let Err(e) = spawned {
        log::warn!("tray: cannot start the tray host watcher: {e}");
    }
}

/// The tray icon, managed once it exists.
struct Icon<R: Runtime>(TrayIcon<R>);

/// Creates the tray icon with the menu for the current state. An error (no tray support) leaves the app
/// without a tray: closing the window then quits, as it does without the setting.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let model = menu_model(current_favourites(app).as_deref());
    let menu = build_menu(app, &model)?;
    let mut builder = TrayIconBuilder::with_id("twofold")
        .tooltip(label("tooltip", &[]))
        .menu(&menu)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| handle(app, event.id().as_ref()));
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let icon = builder.build(app)?;
    app.manage(Icon(icon));
    if let Some(menu) = app.try_state::<TrayMenu>() {
        *menu.shown.guard() = Some(model);
    }
    Ok(())
}

/// Follows the vault: unlock and lock rebuild the menu from the state; a save that changes the favourites
/// (set, order, names) rebuilds it from the saved contents.
pub fn watch<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    app.state::<AppState>().listen(std::sync::Arc::new(move |event| match event {
        VaultEvent::Opened | VaultEvent::Locked => vault_changed(&handle),
        VaultEvent::Saved(contents) => {
            // A save that lands after a lock must not bring the favourites back.
            let unlocked =
                handle.try_state::<AppState>().is_some_and(|s| matches!(&*s.vault(), VaultState::Unlocked(_)));
            if unlocked {
                refresh(&handle, menu_model(Some(&favourites(&contents.accounts))));
            }
        }
    }));
}

/// The language changed (Settings): the menu again, in it.
pub fn relabel<R: Runtime>(app: &AppHandle<R>) {
    vault_changed(app);
}

/// The vault was locked or unlocked: rebuild the menu from the state.
fn vault_changed<R: Runtime>(app: &AppHandle<R>) {
    refresh(app, menu_model(current_favourites(app).as_deref()));
}

/// The favourites of the open vault (`None` when locked), copied out under a short lock.
fn current_favourites<R: Runtime>(app: &AppHandle<R>) -> Option<Vec<Favourite>> {
    let state = app.try_state::<AppState>()?;
    match &*state.vault() {
        VaultState::Unlocked(open) => Some(favourites(open.accounts())),
        VaultState::Locked => None,
    }
}

/// Applies `model` on the main thread (native menus live there; queued updates keep their order). Nothing
/// native is touched when the menu already shows `model`.
fn refresh<R: Runtime>(app: &AppHandle<R>, model: Vec<Entry>) {
    let handle = app.clone();
    let _ = app.run_on_main_thread(move || apply(&handle, model));
}

fn apply<R: Runtime>(app: &AppHandle<R>, model: Vec<Entry>) {
    let Some(menu) = app.try_state::<TrayMenu>() else { return };
    {
        let mut shown = menu.shown.guard();
        if shown.as_ref() == Some(&model) {
            return;
        }
        *shown = Some(model.clone());
    }
    let Some(icon) = app.try_state::<Icon<R>>() else { return };
    match build_menu(app, &model) {
        Ok(native) => {
            if let Err(e) = icon.0.set_menu(Some(native)) {
                log::warn!("tray: cannot set the menu: {e}");
            }
        }
        Err(e) => log::warn!("tray: cannot build the menu: {e}"),
    }
}

fn build_menu<R: Runtime>(app: &AppHandle<R>, model: &[Entry]) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    for entry in model {
        match entry {
            Entry::Separator => menu.append(&PredefinedMenuItem::separator(app)?)?,
            Entry::Item { id, label, enabled } => {
                menu.append(&MenuItem::with_id(app, id.as_str(), mnemonic_safe(label), *enabled, None::<&str>)?)?;
            }
        }
    }
    Ok(menu)
}

/// Menu texts treat `&` as a mnemonic marker; an account named "AT&T" must show its `&`.
fn mnemonic_safe(text: &str) -> String {
    text.replace('&', "&&")
}

/// Whether a tray host is running to show our icon: a StatusNotifier watcher on the session bus (KDE, GNOME
/// with the AppIndicator extension, most panels) or an XEmbed system tray on the X display. libayatana
/// creates the icon either way, so without a host close-to-tray would hide the window with no icon to bring
/// it back.
pub fn host_present() -> bool {
    #[cfg(target_os = "linux")]
    {
        linux_host::status_notifier_watcher() || linux_host::xembed_tray()
    }
    #[cfg(not(target_os = "linux"))]
    {
        true
    }
}

#[cfg(target_os = "linux")]
mod linux_host {
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::ConnectionExt as _;

    /// `org.kde.StatusNotifierWatcher` has an owner on the session bus.
    pub fn status_notifier_watcher() -> bool {
        let Ok(connection) = zbus::blocking::Connection::session() else { return false };
        let Ok(bus) = zbus::blocking::fdo::DBusProxy::new(&connection) else { return false };
        let Ok(name) = zbus::names::BusName::try_from("org.kde.StatusNotifierWatcher") else { return false };
        bus.name_has_owner(name).unwrap_or(false)
    }

    /// The X selection `_NET_SYSTEM_TRAY_S<screen>` has an owner (the freedesktop system tray protocol).
    pub fn xembed_tray() -> bool {
        if std::env::var_os("DISPLAY").is_none() {
            return false;
        }
        let Ok((connection, screen)) = x11rb::connect(None) else { return false };
        let name = format!("_NET_SYSTEM_TRAY_S{screen}");
        let owner = connection
            .intern_atom(false, name.as_bytes())
            .ok()
            .and_then(|cookie| cookie.reply().ok())
            .and_then(|atom| connection.get_selection_owner(atom.atom).ok())
            .and_then(|cookie| cookie.reply().ok())
            .map(|reply| reply.owner);
        let _ = connection.flush();
        owner.is_some_and(|owner| owner != x11rb::NONE)
    }
}

/// Whether closing the window hides it instead of quitting: only with the setting on and a tray (our icon
/// and a host showing it) to come back through.
pub fn hides_on_close(settings: &Settings, has_tray: bool) -> bool {
    settings.close_to_tray && has_tray
}

/// Close to tray: with the setting on, a close request hides the window (Show in the tray, or launching
/// Twofold again, brings it back). Runs on the event loop: it reads the last answer of [`watch_host`], it asks
/// nobody.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else { return };
    let app = window.app_handle();
    let has_tray = app.try_state::<Icon<R>>().is_some() && app.try_state::<TrayMenu>().is_some_and(|m| m.host());
    if app.try_state::<AppState>().is_some_and(|s| hides_on_close(&s.settings(), has_tray)) {
        api.prevent_close();
        let _ = window.hide();
    }
}

#[cfg(test)]
mod tests;
