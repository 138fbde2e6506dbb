//! Sync in the background: keeps the open vault in step with the synced copy in the folder a sync engine
//! shares (`twofold_core::sync::folder`, `docs/sync.md`).
//!
//! A round runs after every local save (a vault listener), when the folder changes (the `notify` crate's
//! watcher, inotify on Linux), on a slow poll for file systems that send no events (network shares, some
//! FUSE mounts), and when asked (`sync_now`). Rounds run one at a time on the worker thread or a command's
//! task, through `vault::save_with` (the save order, a blocking thread): no Argon2 and no file I/O under the
//! state lock or on the UI thread. The keys that open the copy are made at unlock (`Unlocked::sync_keys`) and
//! copied out for a round, then put back with what the round derived. After a round that changed the vault or
//! where sync stands, the webview hears `vault-synced` with the status and reloads the list.
//!
//! With `Settings::sync_webdav` on, the rounds go through the WebDAV server kept in the vault instead of the
//! folder ([`webdav`]): the same triggers, the same status, no folder watcher.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use notify::Watcher as _;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use twofold_core::sync::folder::SkipReason;
use twofold_core::sync::{FolderSync, RoundReport, SyncError, SyncKeys};

use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{DeviceView, EVENT_SYNCED, Settings, SyncChangeView, SyncProblem, SyncState, SyncStatusView};
use crate::rt::{Guarded, blocking, now_ms};
use crate::state::{AppState, VaultEvent};
use crate::text::{self, Key, Text};
use crate::vault;

/// How often a round runs when nothing asked for one: the fallback where the folder sends no events.
const POLL: Duration = Duration::from_secs(60);
/// A change in the folder comes as several events (temp file, rename): wait this long for the rest.
const SETTLE: Duration = Duration::from_millis(400);

/// The sync service: where sync stands, the folder watcher, and the worker's wake-up.
pub struct SyncService {
    inner: Mutex<Inner>,
    wake: Condvar,
    /// Held across one round, so two rounds never interleave (their keys would be put back out of order).
    runner: tauri::async_runtime::Mutex<()>,
}

struct Inner {
    requested: bool,
    state: SyncState,
    message: Option<String>,
    skipped: Vec<Text>,
    last_in_step: Option<i64>,
    last_change: Option<SyncChangeView>,
    watcher: Option<(PathBuf, notify::RecommendedWatcher)>,
    /// Why the last WebDAV round failed.
    problem: Option<SyncProblem>,
    /// Why the last round failed or waits, for the UI to word (`message` holds the English words).
    detail: Option<Text>,
}

impl Default for SyncService {
    fn default() -> Self {
        SyncService {
            inner: Mutex::new(Inner {
                requested: false,
                state: SyncState::Off,
                message: None,
                skipped: Vec::new(),
                last_in_step: None,
                last_change: None,
                watcher: None,
                problem: None,
                detail: None,
            }),
            wake: Condvar::new(),
            runner: tauri::async_runtime::Mutex::new(()),
        }
    }
}

impl SyncService {
    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.guard()
    }

    /// Asks the worker for a round soon.
    pub fn request(&self) {
        self.inner().requested = true;
        self.wake.notify_all();
    }

    /// Watches `folder` for changes (or stops watching with `None`). A folder that cannot be watched is
    /// left to the slow poll.
    fn watch_folder(self: &Arc<Self>, folder: Option<&Path>) {
        let mut inner = self.inner();
        if inner.watcher.as_ref().map(|(p, _)| p.as_path()) == folder {
            return;
        }
        inner.watcher = None;
        let Some(folder) = folder else { return };
        let weak = Arc::downgrade(self);
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if let (Ok(event), Some(service)) = (event, weak.upgrade())
                && !event.kind.is_access()
                && !event.paths.iter().all(|p| is_temp(p))
            {
                service.request();
            }
        });
        match watcher {
            Ok(mut watcher) => match watcher.watch(folder, notify::RecursiveMode::NonRecursive) {
                Ok(()) => inner.watcher = Some((folder.to_path_buf(), watcher)),
                Err(e) => log::warn!("sync: cannot watch {}: {e}; polling instead", folder.display()),
            },
            Err(e) => log::warn!("sync: no folder watcher ({e}); polling instead"),
        }
    }

    fn set(&self, state: SyncState, detail: Option<Text>) {
        let mut inner = self.inner();
        inner.state = state;
        inner.message = detail.as_ref().map(ToString::to_string);
        inner.detail = detail;
        inner.problem = None;
    }

    /// A failed round with the code the UI words.
    fn failed(&self, problem: SyncProblem, message: String) {
        let mut inner = self.inner();
        inner.state = SyncState::Failed;
        inner.message = Some(message);
        inner.problem = Some(problem);
        inner.detail = None;
    }

    fn finished(&self, report: &RoundReport) {
        let mut inner = self.inner();
        let now = now_ms();
        inner.state = SyncState::InStep;
        inner.last_in_step = Some(now);
        inner.skipped = report
            .skipped
            .iter()
            .map(|s| Text::new(Key::SyncSkipped).with("file", file_name(&s.file)).with("reason", skip_reason(s.reason)))
            .chain(report.locked.iter().map(|p| {
                Text::new(Key::SyncSkipped).with("file", file_name(p)).with("reason", Text::new(Key::SyncSkipLocked))
            }))
            .collect();
        inner.message = None;
        inner.problem = None;
        inner.detail = None;
        if let Some(change) = change_view(now, &report.merge, report.removed.len()) {
            inner.last_change = Some(change);
        }
    }

    /// Where sync stands, for the Settings page.
    pub fn view(&self, state: &AppState, home: Option<&Path>) -> SyncStatusView {
        let settings = state.settings();
        let this_device = state.device;
        let mut server = String::new();
        let devices = state
            .with_unlocked(|open| {
                let contents = open.vault.contents();
                server = twofold_core::sync::webdav_sync::target(contents).map(|t| t.url).unwrap_or_default();
                let mut by_device: std::collections::HashMap<_, (u32, i64)> = std::collections::HashMap::new();
                for account in &contents.accounts {
                    let Some(stamp) = contents.stamp(account.id) else { continue };
                    if stamp.device == twofold_core::vault::DeviceId::NONE {
                        continue;
                    }
                    let entry = by_device.entry(stamp.device).or_insert((0, 0));
                    entry.0 += 1;
                    entry.1 = entry.1.max(stamp.time_ms);
                }
                let mut devices: Vec<DeviceView> = by_device
                    .into_iter()
                    .map(|(id, (accounts, last_edit))| DeviceView {
                        id: id.to_string(),
                        this_device: id == this_device,
                        accounts,
                        last_edit,
                    })
                    .collect();
                devices.sort_by(|a, b| b.last_edit.cmp(&a.last_edit).then(a.id.cmp(&b.id)));
                Ok(devices)
            })
            .unwrap_or_default();
        let inner = self.inner();
        let webdav = settings.sync && settings.sync_webdav;
        let on = webdav || (settings.sync && !settings.sync_folder.trim().is_empty());
        SyncStatusView {
            state: if on { inner.state } else { SyncState::Off },
            folder: if webdav { server } else { shown_path(settings.sync_folder.trim(), home) },
            last_in_step: inner.last_in_step,
            message: if on { inner.message.clone() } else { None },
            detail: if on { inner.detail.clone() } else { None },
            skipped: if on { inner.skipped.clone() } else { Vec::new() },
            last_change: inner.last_change.clone(),
            this_device: this_device.to_string(),
            devices,
            webdav,
            problem: if on { inner.problem } else { None },
        }
    }
}

/// What a merge brought, or `None` when it brought nothing.
fn change_view(now: i64, merge: &twofold_core::sync::MergeReport, conflict_copies: usize) -> Option<SyncChangeView> {
    (!merge.is_empty() || conflict_copies > 0).then(|| SyncChangeView {
        at: now,
        arrived: count(merge.added.len()),
        changed: count(merge.changed.len() + merge.renamed.len()),
        removed: count(merge.removed.len()),
        kept_after_deletion: count(merge.kept_after_deletion.len()),
        conflict_copies: count(conflict_copies),
    })
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

fn skip_reason(reason: SkipReason) -> Text {
    Text::new(match reason {
        SkipReason::Damaged => Key::SyncSkipDamaged,
        SkipReason::NewerFormat => Key::SyncSkipNewer,
        SkipReason::OtherPassword => Key::SyncSkipOtherPassword,
        SkipReason::Backup => Key::SyncSkipBackup,
        SkipReason::TooMany => Key::SyncSkipTooMany,
        _ => Key::SyncSkipUnreadable,
    })
}

/// Our own temp files (`~syncthing~twofold-*.tmp`) and the sync engines' hidden ones do not call for a round.
fn is_temp(path: &Path) -> bool {
    let name = file_name(path);
    name.starts_with('.') || name.starts_with("~syncthing~")
}

/// `path` with the home folder shown as `~`.
fn shown_path(path: &str, home: Option<&Path>) -> String {
    match home.and_then(|h| Path::new(path).strip_prefix(h).ok()) {
        Some(rest) if rest.as_os_str().is_empty() => String::from("~"),
        Some(rest) => format!("~/{}", rest.display()),
        None => path.to_string(),
    }
}

fn service<R: Runtime>(app: &AppHandle<R>) -> Arc<SyncService> {
    Arc::clone(&app.state::<Arc<SyncService>>())
}

/// The status for the webview.
pub fn status<R: Runtime>(app: &AppHandle<R>) -> SyncStatusView {
    let home = app.path().home_dir().ok();
    service(app).view(&app.state::<AppState>(), home.as_deref())
}

/// Starts the worker and follows the vault: a round after every open and save.
pub fn watch<R: Runtime>(app: &AppHandle<R>) {
    let service = service(app);
    let listener = Arc::clone(&service);
    app.state::<AppState>().listen(Arc::new(move |event| match event {
        VaultEvent::Opened | VaultEvent::Saved(_) => listener.request(),
        VaultEvent::Locked => listener.set(SyncState::Locked, None),
    }));
    let handle = app.clone();
    let spawned = std::thread::Builder::new().name("sync".into()).spawn(move || {
        loop {
            {
                let mut inner = service.inner();
                if !inner.requested {
                    inner = service.wake.wait_timeout(inner, POLL).map(|(g, _)| g).unwrap_or_else(|e| e.into_inner().0);
                }
                let asked = inner.requested;
                inner.requested = false;
                drop(inner);
                if asked {
                    std::thread::sleep(SETTLE);
                    service.inner().requested = false;
                }
            }
            tauri::async_runtime::block_on(round(&handle));
        }
    });
    if let Err(e) = spawned {
        log::warn!("sync: cannot start the sync worker: {e}");
    }
}

/// One round now; returns where sync stands. Never fails: a failure is the status.
pub async fn round<R: Runtime>(app: &AppHandle<R>) -> SyncStatusView {
    let service = service(app);
    let state = app.state::<AppState>();
    let _run = service.runner.lock().await;
    let before = status(app);
    let settings = state.settings();
    let folder = PathBuf::from(settings.sync_folder.trim());
    if !settings.sync || (!settings.sync_webdav && settings.sync_folder.trim().is_empty()) {
        service.watch_folder(None);
        service.set(SyncState::Off, None);
        return finish(app, before);
    }
    let keys = match state.with_unlocked(|open| Ok(open.sync_keys.clone())) {
        Ok(Some(keys)) => keys,
        _ => {
            service.set(SyncState::Locked, None);
            return finish(app, before);
        }
    };
    if settings.sync_webdav {
        service.watch_folder(None);
        webdav::round(app, &service, keys).await;
        return finish(app, before);
    }
    service.watch_folder(Some(&folder));
    let vault_path = state.paths.vault.clone();
    let outcome = vault::save_with(&state, move |vault| {
        let mut keys = keys;
        let result = FolderSync::new(&folder, &vault_path).and_then(|sync| sync.round(vault, &mut keys));
        Ok((result, keys))
    })
    .await;
    match outcome {
        Ok((result, keys)) => {
            let _ = state.with_unlocked(|open| {
                open.sync_keys = Some(keys);
                Ok(())
            });
            match result {
                Ok(report) => service.finished(&report),
                Err(e @ SyncError::PasswordNeeded { .. }) => {
                    service.set(SyncState::PasswordNeeded, Some(text::sync_error(&e)))
                }
                Err(e) => service.set(SyncState::Failed, Some(text::sync_error(&e))),
            }
        }
        Err(ShellError::Locked) => service.set(SyncState::Locked, None),
        Err(e) => service.set(SyncState::Failed, Some(e.detail())),
    }
    finish(app, before)
}

/// Tells the webview when the round changed the vault or where sync stands.
fn finish<R: Runtime>(app: &AppHandle<R>, before: SyncStatusView) -> SyncStatusView {
    let after = status(app);
    let moved = |v: &SyncStatusView| (v.state, v.message.clone(), v.skipped.clone(), v.last_change.clone());
    if moved(&before) != moved(&after) {
        let _ = app.emit(EVENT_SYNCED, &after);
    }
    after
}

/// Turns sync on or off, with the folder `folder` (already resolved from a chooser token; `None` keeps the
/// one set). Refuses a missing folder and the vault's own. Turning it off deletes nothing. *Slow* (file I/O).
pub async fn configure<R: Runtime>(
    app: &AppHandle<R>,
    enabled: bool,
    folder: Option<PathBuf>,
) -> ShellResult<Settings> {
    let state = app.state::<AppState>();
    let vault_path = state.paths.vault.clone();
    let check = folder.clone().or_else(|| {
        let set = state.settings().sync_folder;
        (!set.trim().is_empty()).then(|| PathBuf::from(set.trim()))
    });
    if enabled && let Some(check) = check {
        blocking(move || FolderSync::new(&check, &vault_path).map(|_| ()).map_err(ShellError::from)).await?;
    }
    let handle = app.clone();
    let settings = blocking(move || {
        handle.state::<AppState>().replace_settings(move |settings| {
            settings.sync = enabled;
            // One way at a time: turning the folder on turns WebDAV off (its settings stay in the vault).
            if enabled {
                settings.sync_webdav = false;
            }
            if let Some(folder) = &folder {
                settings.sync_folder = folder.display().to_string();
            }
            Ok(())
        })
    })
    .await?;
    service(app).request();
    Ok(settings)
}

/// The password of a copy locked with another one: checked against the copy (Argon2, on a blocking thread),
/// kept for this session, and a round runs.
pub async fn copy_password<R: Runtime>(app: &AppHandle<R>, password: String) -> ShellResult<SyncStatusView> {
    let password = vault::password(password)?;
    if app.state::<AppState>().settings().sync_webdav {
        return webdav::copy_password(app, password).await;
    }
    let keys = added_password(app, password).await?;
    let state = app.state::<AppState>();
    {
        // Not while a round runs: it puts its own copy of the keys back when it ends (see webdav::copy_password).
        let service = service(app);
        let _no_round = service.runner.lock().await;
        state.with_unlocked(|open| {
            open.sync_keys = Some(keys);
            Ok(())
        })?;
    }
    Ok(round(app).await)
}

/// This session's keys with `password` tried on the synced copy. *Slow* (Argon2).
async fn added_password<R: Runtime>(app: &AppHandle<R>, password: zeroize::Zeroizing<String>) -> ShellResult<SyncKeys> {
    let state = app.state::<AppState>();
    let copy = copy_path(&state)?;
    let keys = state.with_unlocked(|open| open.sync_keys.clone().ok_or(ShellError::Locked))?;
    blocking(move || {
        let mut keys = keys;
        keys.try_password(&copy, &password)?;
        Ok(keys)
    })
    .await
}

fn copy_path(state: &AppState) -> ShellResult<PathBuf> {
    let settings = state.settings();
    if settings.sync_folder.trim().is_empty() {
        return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::ChooseSyncFolder)));
    }
    Ok(Path::new(settings.sync_folder.trim()).join(twofold_core::sync::folder::COPY_NAME))
}

/// The person confirmed: this computer's vault takes the synced copy's password (`password`, typed again and
/// checked against the copy) and key. Automatic backups follow the new password.
pub async fn adopt_password<R: Runtime>(app: &AppHandle<R>, password: String) -> ShellResult<SyncStatusView> {
    let password = vault::password(password)?;
    let keys = added_password(app, password.clone()).await?;
    let state = app.state::<AppState>();
    let folder = PathBuf::from(state.settings().sync_folder.trim());
    let vault_path = state.paths.vault.clone();
    let keys = vault::save_with(&state, move |vault| {
        let mut keys = keys;
        FolderSync::new(&folder, &vault_path)?.adopt_copy_key(vault, &mut keys)?;
        Ok(keys)
    })
    .await?;
    state.with_unlocked(|open| {
        open.sync_keys = Some(keys);
        Ok(())
    })?;
    state.backups.rekey(&password);
    Ok(round(app).await)
}

#[cfg(test)]
mod tests;
pub mod webdav;
