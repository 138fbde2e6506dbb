//! The clipboard: copying a code, and clearing it later only if it still holds that code (the user may have
//! copied something else meanwhile), or if the clipboard cannot be read back to tell (a code must not outstay
//! its delay because a read failed). Handed the text to write; it knows no vault and no account.
//!
//! Codes are written as secrets (`write_secret` of the clipboard plugin, which uses `arboard`'s
//! `exclude_from_history`): on X11 and Wayland the offer carries `x-kde-passwordManagerHint` = `secret`, which
//! KDE's Klipper and other clipboard managers honour by not keeping the text in their history; on macOS it
//! adds `org.nspasteboard.ConcealedType`, on Windows it excludes the text from clipboard history and cloud
//! sync (`ExcludeClipboardContentFromMonitorProcessing`).
//!
//! Unit tests have no display: they manage a [`MemoryClipboard`], which the functions here then use instead
//! of the system clipboard.

use std::sync::Mutex;
use std::time::Duration;

use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;
use zeroize::Zeroizing;

use crate::error::{ShellError, ShellResult};
use crate::rt::Guarded;

/// The mark of the last code we put on the clipboard; managed by `configure`.
#[derive(Default)]
pub struct ClipboardMark(Mutex<Mark>);

#[derive(Default)]
struct Mark {
    /// Bumped on every copy, so an older clear timer knows it has been superseded.
    generation: u64,
    text: Option<Zeroizing<String>>,
}

#[cfg(test)]
impl ClipboardMark {
    /// The code we last put on the clipboard, if it is still marked.
    pub(crate) fn text(&self) -> Option<String> {
        self.0.guard().text.as_deref().map(ToString::to_string)
    }
    pub(crate) fn generation(&self) -> u64 {
        self.0.guard().generation
    }
}

/// Copies `code` and, when `clear_after_seconds` is not 0, clears it after that delay if it is still there.
pub fn copy<R: Runtime>(app: &AppHandle<R>, code: Zeroizing<String>, clear_after_seconds: u32) -> ShellResult<()> {
    write(app, &code)?;
    let Some(mark) = app.try_state::<ClipboardMark>() else { return Ok(()) };
    let generation = {
        let mut mark = mark.0.guard();
        mark.generation = mark.generation.wrapping_add(1);
        mark.text = Some(code);
        mark.generation
    };
    if clear_after_seconds > 0 {
        let app = app.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(u64::from(clear_after_seconds)));
            clear_if_ours(&app, Some(generation));
        });
    }
    Ok(())
}

/// Clears the clipboard if it still holds the code we put there, or if it cannot be read to tell; with
/// `generation`, only if no newer copy replaced that one.
pub fn clear_if_ours<R: Runtime>(app: &AppHandle<R>, generation: Option<u64>) {
    let Some(mark) = app.try_state::<ClipboardMark>() else { return };
    let mut mark = mark.0.guard();
    if generation.is_some_and(|g| g != mark.generation) {
        return;
    }
    if let Some(ours) = mark.text.take() {
        let still_ours = match read_back(app) {
            Ok(now) => now.as_deref() == Some(ours.as_str()),
            // Cannot tell: clearing what the user copied since is the lesser harm than a code left behind.
            Err(()) => true,
        };
        if still_ours {
            clear(app);
        }
    }
}

/// The clipboard's text, if it holds text.
pub fn read<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    read_back(app).ok().flatten()
}

/// The clipboard's text (`None`: it holds something else, or nothing), or `Err` when it could not be read.
fn read_back<R: Runtime>(app: &AppHandle<R>) -> Result<Option<String>, ()> {
    #[cfg(test)]
    if let Some(memory) = app.try_state::<MemoryClipboard>() {
        return memory.read_back();
    }
    match app.clipboard().read_text() {
        Ok(text) => Ok(Some(text)),
        Err(tauri_plugin_clipboard_manager::Error::Clipboard(reason)) if is_not_text(&reason) => Ok(None),
        Err(_) => Err(()),
    }
}

/// Whether the plugin's error says the clipboard holds no text (arboard's `ContentNotAvailable`), rather than
/// that it could not be read. The plugin flattens arboard's errors into their messages.
fn is_not_text(reason: &str) -> bool {
    reason.contains("content") && (reason.contains("not available") || reason.contains("empty"))
}

fn write<R: Runtime>(app: &AppHandle<R>, text: &str) -> ShellResult<()> {
    #[cfg(test)]
    if let Some(memory) = app.try_state::<MemoryClipboard>() {
        memory.write(text);
        return Ok(());
    }
    app.clipboard().write_secret(text).map_err(|e| ShellError::Clipboard(e.to_string()))
}

fn clear<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(test)]
    if let Some(memory) = app.try_state::<MemoryClipboard>() {
        memory.clear();
        return;
    }
    let _ = app.clipboard().clear();
}

/// An in-memory clipboard for unit tests (there is no display to hold a real one).
#[cfg(test)]
#[derive(Default)]
pub(crate) struct MemoryClipboard {
    text: Mutex<Option<String>>,
    /// Reads fail (a clipboard owner that does not answer, a Wayland compositor that refuses).
    unreadable: std::sync::atomic::AtomicBool,
}

#[cfg(test)]
impl MemoryClipboard {
    pub(crate) fn write(&self, text: &str) {
        *self.text.guard() = Some(text.to_string());
    }
    pub(crate) fn read(&self) -> Option<String> {
        self.text.guard().clone()
    }
    fn read_back(&self) -> Result<Option<String>, ()> {
        if self.unreadable.load(std::sync::atomic::Ordering::SeqCst) { Err(()) } else { Ok(self.read()) }
    }
    pub(crate) fn set_unreadable(&self, unreadable: bool) {
        self.unreadable.store(unreadable, std::sync::atomic::Ordering::SeqCst);
    }
    pub(crate) fn clear(&self) {
        *self.text.guard() = None;
    }
}
