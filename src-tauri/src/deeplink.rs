//! `otpauth://` links opened with Twofold (a link clicked in a browser, `xdg-open otpauth://…`).
//!
//! The desktop entry registers `x-scheme-handler/otpauth` with `Exec=twofold %u` (the bundler writes it from
//! `plugins.deep-link` in `tauri.conf.json`). A second launch hands its argument to the running instance
//! through the single-instance plugin's `deep-link` feature; the deep-link plugin reports it (and a link
//! given to the first launch) here. Links wait in [`PendingLinks`] until the vault is open; then
//! [`take`] (the `take_pending_link` command) stages the link (`vault::stage`, the same confirmation the QR
//! intakes use) and the webview gets only its description (issuer, name, type), never the link or its key.
//! Nothing is saved until the user clicks Add. While the vault is locked, a link stays in Rust only.

use std::collections::VecDeque;
use std::sync::Mutex;

use tauri::{AppHandle, Emitter, Manager, Runtime};
use zeroize::Zeroizing;

use crate::error::ShellResult;
use crate::ipc::{EVENT_LINK_RECEIVED, ScanFound, VaultStatus};
use crate::rt::Guarded;
use crate::state::AppState;
use crate::text::{Key, Text};
use crate::{vault, window};

/// How many links wait at most; older ones are dropped (nobody clicks more links than this before unlocking).
const MAX_PENDING: usize = 8;

/// Links received and not yet shown, oldest first. They hold secrets: zeroized when dropped.
#[derive(Default)]
pub struct PendingLinks(Mutex<VecDeque<Zeroizing<String>>>);

impl PendingLinks {
    /// Keeps `link` if it is an `otpauth://` link; returns whether it was kept.
    pub fn push(&self, link: String) -> bool {
        let link = Zeroizing::new(link);
        if !is_otpauth(&link) {
            return false;
        }
        let mut queue = self.0.guard();
        if queue.len() == MAX_PENDING {
            queue.pop_front();
        }
        queue.push_back(link);
        true
    }

    /// The oldest waiting link.
    pub fn pop(&self) -> Option<Zeroizing<String>> {
        self.0.guard().pop_front()
    }

    pub fn len(&self) -> usize {
        self.0.guard().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// `otpauth://…`, the scheme in any case. Everything else handed to us as a link is ignored.
pub fn is_otpauth(link: &str) -> bool {
    link.get(..10).is_some_and(|scheme| scheme.eq_ignore_ascii_case("otpauth://"))
}

/// Keeps the links, brings the window forward and, when the vault is open, tells the webview.
pub fn receive<R: Runtime>(app: &AppHandle<R>, links: impl IntoIterator<Item = String>) {
    let pending = app.state::<PendingLinks>();
    let mut kept = false;
    for link in links {
        kept |= pending.push(link);
    }
    if !kept {
        return;
    }
    window::show(app);
    if app.state::<AppState>().status() == VaultStatus::Unlocked {
        let _ = app.emit(EVENT_LINK_RECEIVED, ());
    }
}

/// Wires the deep-link plugin (registered by `run`) to [`receive`] for links opened while running, and
/// receives the links this launch was started with.
pub fn listen<R: Runtime>(app: &AppHandle<R>, launch_args: impl IntoIterator<Item = String>) {
    use tauri_plugin_deep_link::DeepLinkExt;
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| receive(&handle, event.urls().iter().map(|u| u.to_string())));
    // Our own scan rather than the plugin's `get_current`, which only sees a link given as the sole argument:
    // `twofold --data-dir DIR 'otpauth://…'` counts too. `receive` ignores everything but otpauth:// links.
    receive(app, launch_args);
}

/// The oldest link waiting to be added, staged for confirmation like a scanned QR code (its key stays in the
/// shell), or nothing. While the vault is locked the link stays here and nothing is returned, so it never
/// shows on the unlock screen. A link that does not parse is the error the core gives for it.
pub fn take<R: Runtime>(app: &AppHandle<R>) -> ShellResult<Option<ScanFound>> {
    let state = app.state::<AppState>();
    if state.status() != VaultStatus::Unlocked {
        return Ok(None);
    }
    let Some(link) = app.state::<PendingLinks>().pop() else { return Ok(None) };
    vault::stage(&state, &[link.as_str()], Text::new(Key::SourceOpenedLink).into()).map(Some)
}

#[cfg(test)]
mod tests;
