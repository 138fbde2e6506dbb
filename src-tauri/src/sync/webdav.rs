//! Sync through a WebDAV server (`twofold_core::sync::webdav_sync`, `docs/sync.md` "WebDAV"): the settings
//! (address, user and app password inside the vault; the webview learns only whether a password is set), the
//! Test button, and the round the sync worker runs when `Settings::sync_webdav` is on.
//!
//! A round runs the client's GETs and PUTs on a blocking thread with no lock of ours held; each time it holds
//! the server's bytes, the merge (`exchange`) runs through `vault::save_with`, so the save order is held only
//! for the merge and the local save, never across the network: a person adding an account while the server
//! is slow waits for nobody. The keys are the session's `SyncKeys` (derived once per unlock), copied out and
//! put back with what the round derived.

use std::path::Path;
use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Manager, Runtime};
use twofold_core::sync::webdav::{WebDav, WebDavError, WebDavTarget};
use twofold_core::sync::webdav_sync::{self, WebDavReport, WebDavSyncError};
use twofold_core::sync::{SyncError, SyncKeys, exchange};
use twofold_core::vault::VaultError;
use zeroize::Zeroizing;

use super::{SyncService, change_view};
use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{SyncProblem, SyncState, SyncStatusView, WebDavCheck, WebDavView};
use crate::rt::{Guarded as _, blocking, now_ms};
use crate::state::AppState;
use crate::text::{Key, Text};
use crate::vault;

/// The WebDAV settings as the webview may see them (no password). Needs the vault open.
pub fn view<R: Runtime>(app: &AppHandle<R>) -> ShellResult<WebDavView> {
    let state = app.state::<AppState>();
    let settings = state.settings();
    let target = state.with_unlocked(|open| Ok(webdav_sync::target(open.vault.contents())))?;
    Ok(match target {
        Some(t) => WebDavView {
            url: t.url,
            user: t.user,
            password_set: !t.app_password.is_empty(),
            enabled: settings.sync && settings.sync_webdav,
        },
        None => WebDavView { url: String::new(), user: String::new(), password_set: false, enabled: false },
    })
}

/// The target from what the person typed: `app_password` `None` (or empty) keeps the one in the vault.
fn typed_target(
    state: &AppState,
    url: String,
    user: String,
    app_password: Option<String>,
) -> ShellResult<WebDavTarget> {
    let app_password = app_password.filter(|p| !p.is_empty()).map(Zeroizing::new);
    let app_password = match app_password {
        Some(p) => p,
        None => state
            .with_unlocked(|open| Ok(webdav_sync::target(open.vault.contents())))?
            .map(|t| t.app_password)
            .unwrap_or_default(),
    };
    Ok(WebDavTarget { url: url.trim().to_owned(), user: user.trim().to_owned(), app_password })
}

/// Tries the server: one GET of the file, on a blocking thread. Never fails: the answer says why not.
pub async fn check<R: Runtime>(
    app: &AppHandle<R>,
    url: String,
    user: String,
    app_password: Option<String>,
) -> ShellResult<WebDavCheck> {
    let state = app.state::<AppState>();
    let target = typed_target(&state, url, user, app_password)?;
    let failed = |file_url: String, e: WebDavError| WebDavCheck {
        ok: false,
        file_url,
        exists: false,
        problem: Some(SyncProblem::from(&e)),
        message: Some(e.to_string()),
    };
    // The address rules (https, or http to this computer only) are the client's.
    let dav = match WebDav::new(&target) {
        Ok(dav) => dav,
        Err(e) => return Ok(failed(String::new(), e)),
    };
    blocking(move || {
        let file_url = dav.file_url().to_owned();
        Ok(match dav.get() {
            Ok(found) => WebDavCheck { ok: true, file_url, exists: found.is_some(), problem: None, message: None },
            Err(e) => failed(file_url, e),
        })
    })
    .await
}

/// Turns WebDAV sync on (saving the address, user and app password in the vault; `None` keeps the password
/// set before) or off (the settings stay in the vault and nothing is deleted, here or on the server). Then a
/// round runs; returns where sync stands.
pub async fn configure<R: Runtime>(
    app: &AppHandle<R>,
    enabled: bool,
    url: String,
    user: String,
    app_password: Option<String>,
) -> ShellResult<SyncStatusView> {
    let state = app.state::<AppState>();
    if enabled {
        let target = typed_target(&state, url, user, app_password)?;
        WebDav::new(&target).map_err(|e| {
            let key = if e == WebDavError::NotAllowed { Key::WebdavNotAllowed } else { Key::WebdavBadUrl };
            ShellError::coded(ErrorCode::InvalidInput, Text::new(key))
        })?;
        if target.user.is_empty() {
            return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::EnterWebdavUser)));
        }
        if target.app_password.is_empty() {
            return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::EnterAppPassword)));
        }
        let unchanged =
            state.with_unlocked(|open| Ok(webdav_sync::target(open.vault.contents()).as_ref() == Some(&target)))?;
        if !unchanged {
            vault::save_with(&state, move |vault| {
                vault.update(|contents| -> Result<(), VaultError> {
                    webdav_sync::set_target(contents, Some(&target));
                    Ok(())
                })?;
                Ok(())
            })
            .await?;
        }
    }
    let handle = app.clone();
    blocking(move || {
        handle.state::<AppState>().replace_settings(move |settings| {
            if enabled {
                settings.sync = true;
                settings.sync_webdav = true;
            } else if settings.sync_webdav {
                settings.sync = false;
            }
            Ok(())
        })
    })
    .await?;
    Ok(super::round(app).await)
}

/// One WebDAV round for the sync worker or `sync_now` (the caller holds the service's runner). Sets the
/// status; puts the keys back with what the round derived.
pub(super) async fn round<R: Runtime>(app: &AppHandle<R>, service: &Arc<SyncService>, keys: SyncKeys) {
    let state = app.state::<AppState>();
    let target = match state.with_unlocked(|open| Ok(webdav_sync::target(open.vault.contents()))) {
        Ok(Some(target)) => target,
        Ok(None) => {
            service.failed(SyncProblem::BadUrl, "no WebDAV server is set: enter its address in Settings → Sync".into());
            return;
        }
        Err(_) => {
            service.set(SyncState::Locked, None);
            return;
        }
    };
    let handle = app.clone();
    let ran = blocking(move || Ok(run(&handle, &target, keys))).await;
    let (result, keys) = match ran {
        Ok(ran) => ran,
        Err(e) => {
            service.failed(SyncProblem::Server, e.to_string());
            return;
        }
    };
    if let Some(keys) = keys {
        let _ = state.with_unlocked(|open| {
            open.sync_keys = Some(keys);
            Ok(())
        });
    }
    match result {
        Ok(report) => finished(service, &report),
        Err(Failure::Locked) => service.set(SyncState::Locked, None),
        Err(Failure::Shell(e)) => service.failed(SyncProblem::Server, e.to_string()),
        Err(Failure::Sync(WebDavSyncError::Copy(e @ SyncError::PasswordNeeded { .. }))) => {
            service.set(SyncState::PasswordNeeded, Some(crate::text::sync_error(&e)))
        }
        Err(Failure::Sync(WebDavSyncError::Copy(e))) => service.failed(SyncProblem::Copy, e.to_string()),
        Err(Failure::Sync(WebDavSyncError::Server(e))) => service.failed(SyncProblem::from(&e), e.to_string()),
        Err(Failure::Sync(e)) => service.failed(SyncProblem::Server, e.to_string()),
    }
}

enum Failure {
    Locked,
    Shell(ShellError),
    Sync(WebDavSyncError),
}

fn finished(service: &SyncService, report: &WebDavReport) {
    let mut inner = service.inner();
    let now = now_ms();
    inner.state = SyncState::InStep;
    inner.last_in_step = Some(now);
    inner.skipped = Vec::new();
    inner.message = None;
    inner.problem = None;
    if let Some(change) = change_view(now, &report.merge, 0) {
        inner.last_change = Some(change);
    }
}

/// The round itself, on a blocking thread: the network here, each merge through `vault::save_with`.
fn run<R: Runtime>(
    app: &AppHandle<R>,
    target: &WebDavTarget,
    keys: SyncKeys,
) -> (Result<WebDavReport, Failure>, Option<SyncKeys>) {
    let dav = match WebDav::new(target) {
        Ok(dav) => dav,
        Err(e) => return (Err(Failure::Sync(WebDavSyncError::Server(e))), Some(keys)),
    };
    let name = dav.file_url().to_owned();
    // The keys travel into each merge and back; a merge that could not run (the vault locked meanwhile)
    // leaves them out, and the session's own copy stays as it was.
    let keys = Mutex::new(Some(keys));
    let shell_failure: Mutex<Option<ShellError>> = Mutex::new(None);
    let result = webdav_sync::round(&dav, |remote| {
        let Some(taken) = keys.guard().take() else {
            return Err(SyncError::Vault(VaultError::ReadBackFailed));
        };
        let remote = remote.map(<[u8]>::to_vec);
        let name = name.clone();
        let state = app.state::<AppState>();
        let merged = tauri::async_runtime::block_on(vault::save_with(&state, move |vault| {
            let mut keys = taken;
            let result = exchange(vault, &mut keys, remote.as_deref(), Path::new(&name));
            Ok((result, keys))
        }));
        match merged {
            Ok((result, back)) => {
                *keys.guard() = Some(back);
                result
            }
            Err(e) => {
                *shell_failure.guard() = Some(e);
                // Stops the round; the shell's error is what is reported.
                Err(SyncError::Vault(VaultError::ReadBackFailed))
            }
        }
    });
    let keys = keys.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let shell = shell_failure.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let result = match (result, shell) {
        (_, Some(ShellError::Locked)) => Err(Failure::Locked),
        (_, Some(e)) => Err(Failure::Shell(e)),
        (Ok(report), None) => Ok(report),
        (Err(e), None) => Err(Failure::Sync(e)),
    };
    (result, keys)
}

/// The password of the server's copy, locked with another one: added to this session's keys (no KDF here), then
/// a round tries it on the copy (Argon2 once, on the round's blocking thread). A password that does not open
/// it is [`ShellError::WrongPassword`]; it stays among the keys, which costs nothing until another copy asks.
pub(super) async fn copy_password<R: Runtime>(
    app: &AppHandle<R>,
    password: Zeroizing<String>,
) -> ShellResult<SyncStatusView> {
    let state = app.state::<AppState>();
    {
        // A round in flight copied the keys out and puts its copy back when it ends, which would drop a password
        // added meanwhile (seen in the shell test: the right password answered "wrong password" two runs in
        // three). Add it while no round runs.
        let service = super::service(app);
        let _no_round = service.runner.lock().await;
        state.with_unlocked(|open| {
            let keys = open.sync_keys.as_mut().ok_or(ShellError::Locked)?;
            keys.add_password(&password);
            Ok(())
        })?;
    }
    let status = super::round(app).await;
    if status.state == SyncState::PasswordNeeded {
        return Err(ShellError::WrongPassword);
    }
    Ok(status)
}
