//! Following the phone's backups (the service behind Settings → "Follow backups from my phone"): the folders
//! the vault follows are watched with `notify`, and a round (`twofold_core::follow`) runs at unlock, when a
//! file in a followed folder changes, and when the page asks.
//!
//! One worker thread runs the rounds, one at a time: file events are gathered for a second first (a sync tool
//! writes a file in several steps, and Aegis rotates old backups right after writing a new one). A round copies
//! the sources out under the state lock, reads and decrypts the backup on a blocking thread without any lock,
//! then applies it through `vault::save_with` (the save order, `Vault::update`: stamped, reloaded first if
//! another program saved). A round that changed accounts, or that needs the backup password, is sent to the
//! webview as `follow-round`; a wrong password is sent once (the vault remembers it failed).

use std::sync::{Mutex, mpsc};
use std::time::Duration;

use notify::{RecursiveMode, Watcher as _};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use twofold_core::follow::{self as core, Fetch, FollowError, Source};
use twofold_core::import::Cancel;
use twofold_core::vault::VaultContents;

use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{EVENT_FOLLOW_ROUND, FollowRoundView, FollowSourceView};
use crate::rt::{Guarded as _, blocking, now_s};
use crate::state::{AppState, VaultEvent};
use crate::text::{Key, Text};
use crate::vault;

/// How long file events are gathered before a round.
const SETTLE: Duration = Duration::from_secs(1);

/// What the worker is asked to do.
enum Job {
    /// Watch the followed folders again (unlock, a source added or changed), then run a round.
    Rewatch,
    /// Run a round.
    Round,
    /// Stop watching (lock).
    Stop,
}

/// The watcher of the followed folders and the worker's mailbox (managed by the app).
#[derive(Default)]
pub struct FollowWatch {
    jobs: Mutex<Option<mpsc::Sender<Job>>>,
}

impl FollowWatch {
    fn send(&self, job: Job) {
        if let Some(tx) = self.jobs.guard().as_ref() {
            let _ = tx.send(job);
        }
    }
}

/// Starts the worker and wires it to the vault: watching starts with a round at unlock and stops at lock.
pub fn watch<R: Runtime>(app: &AppHandle<R>) {
    let (tx, rx) = mpsc::channel::<Job>();
    let Some(watch) = app.try_state::<FollowWatch>() else { return };
    *watch.jobs.guard() = Some(tx.clone());
    let handle = app.clone();
    let spawned = std::thread::Builder::new().name("follow".into()).spawn(move || worker(&handle, &rx, &tx));
    if let Err(e) = spawned {
        log::warn!("follow: cannot start the worker: {e}");
        return;
    }
    let handle = app.clone();
    app.state::<AppState>().listen(std::sync::Arc::new(move |event| {
        let job = match event {
            VaultEvent::Opened => Job::Rewatch,
            VaultEvent::Locked => Job::Stop,
            VaultEvent::Saved(_) => return,
        };
        if let Some(watch) = handle.try_state::<FollowWatch>() {
            watch.send(job);
        }
    }));
}

/// Asks the worker to watch the sources again and run a round (after the page changed a source).
/// The followed folders of the open vault, as Settings shows them.
pub fn sources(state: &AppState) -> ShellResult<Vec<FollowSourceView>> {
    state.with_unlocked(|open| Ok(core::sources(open.vault.contents()).iter().map(FollowSourceView::from).collect()))
}

/// Changes the followed sources with `change`, saves, watches the folders anew and returns them as Settings shows
/// them: the one path by which the commands edit what is followed.
pub async fn change_sources<R: Runtime>(
    app: &AppHandle<R>,
    change: impl FnOnce(&mut VaultContents) -> Result<(), FollowError> + Send + 'static,
) -> ShellResult<Vec<FollowSourceView>> {
    let state = app.state::<AppState>();
    vault::save_with(&state, move |v| v.update(change).map_err(ShellError::from)).await?;
    rewatch(app);
    sources(&state)
}

pub fn rewatch<R: Runtime>(app: &AppHandle<R>) {
    if let Some(watch) = app.try_state::<FollowWatch>() {
        watch.send(Job::Rewatch);
    }
}

fn worker<R: Runtime>(app: &AppHandle<R>, rx: &mpsc::Receiver<Job>, tx: &mpsc::Sender<Job>) {
    let mut watcher: Option<notify::RecommendedWatcher> = None;
    while let Ok(first) = rx.recv() {
        let mut jobs = vec![first];
        if !matches!(jobs[0], Job::Stop) {
            std::thread::sleep(SETTLE);
        }
        jobs.extend(rx.try_iter());
        if jobs.iter().any(|j| matches!(j, Job::Stop)) && !jobs.iter().any(|j| matches!(j, Job::Rewatch)) {
            watcher = None;
            continue;
        }
        if jobs.iter().any(|j| matches!(j, Job::Rewatch)) {
            watcher = start_watching(app, tx.clone());
        }
        match tauri::async_runtime::block_on(round(app)) {
            Ok(views) => {
                for view in views {
                    let _ = app.emit(EVENT_FOLLOW_ROUND, view);
                }
            }
            Err(ShellError::Locked) => watcher = None,
            Err(e) => log::warn!("follow: {e}"),
        }
    }
    drop(watcher);
}

/// A watcher on every enabled followed folder of the open vault; `None` when the vault is locked or follows
/// nothing. A folder that cannot be watched is still checked at unlock.
fn start_watching<R: Runtime>(app: &AppHandle<R>, tx: mpsc::Sender<Job>) -> Option<notify::RecommendedWatcher> {
    let sources = app.state::<AppState>().with_unlocked(|open| Ok(core::sources(open.vault.contents()))).ok()?;
    let folders: Vec<_> = sources.into_iter().filter(|s| s.enabled).map(|s| s.folder).collect();
    if folders.is_empty() {
        return None;
    }
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(Job::Round);
        }
    })
    .map_err(|e| log::warn!("follow: cannot watch folders: {e}"))
    .ok()?;
    for folder in folders {
        if let Err(e) = watcher.watch(&folder, RecursiveMode::NonRecursive) {
            log::warn!("follow: cannot watch {}: {e}", folder.display());
        }
    }
    Some(watcher)
}

/// One round over every enabled source of the open vault; returns what the webview should hear of.
pub async fn round<R: Runtime>(app: &AppHandle<R>) -> ShellResult<Vec<FollowRoundView>> {
    let state = app.state::<AppState>();
    let sources = state.with_unlocked(|open| Ok(core::sources(open.vault.contents())))?;
    let mut views = Vec::new();
    for source in sources.into_iter().filter(|s| s.enabled) {
        if let Some(view) = round_one(&state, source).await? {
            views.push(view);
        }
    }
    Ok(views)
}

async fn round_one(state: &AppState, source: Source) -> ShellResult<Option<FollowRoundView>> {
    let now = now_s();
    let id = source.id;
    let reading = source.clone();
    let fetched = blocking(move || core::fetch(&reading, now, &Cancel::new()).map_err(ShellError::from)).await?;
    let needed = |file: String| FollowRoundView::PasswordNeeded {
        source: id.to_string(),
        app_name: core::app_short_name(source.app).to_string(),
        file,
    };
    match fetched {
        Fetch::New { fetched, .. } => {
            let report = vault::save_with(state, move |v| {
                v.update(|c| core::apply(c, id, &fetched, now)).map_err(ShellError::from)
            })
            .await?;
            Ok(report.filter(|r| r.changed_anything()).map(|r| FollowRoundView::applied(&source, &r)))
        }
        Fetch::PasswordWrong { file } | Fetch::PasswordMissing { file } => {
            // Said once: the vault remembers that the password failed, and the next rounds stay quiet.
            if source.password_failed {
                return Ok(None);
            }
            vault::save_with(state, move |v| v.update(|c| core::mark_password_failed(c, id)).map_err(ShellError::from))
                .await?;
            Ok(Some(needed(file)))
        }
        Fetch::Nothing { .. } => Ok(None),
        _ => Ok(None),
    }
}

/// Opens the newest backup in `source`'s folder with its password, to tell the person now rather than at the
/// first round: a wrong or missing password is an error with a clear sentence. *Slow* (one key derivation).
pub async fn check(source: Source) -> ShellResult<()> {
    blocking(move || {
        let name = core::app_short_name(source.app);
        match core::fetch(&source, 0, &Cancel::new())? {
            Fetch::PasswordWrong { file } => Err(ShellError::coded(
                ErrorCode::InvalidInput,
                Text::new(Key::FollowPasswordWrong).with("app", name).with("file", file.to_string()),
            )),
            Fetch::PasswordMissing { file } => Err(ShellError::coded(
                ErrorCode::InvalidInput,
                Text::new(Key::FollowPasswordMissing).with("app", name).with("file", file.to_string()),
            )),
            _ => Ok(()),
        }
    })
    .await
}
