//! `twofold-cli sync [--folder DIR | --webdav URL --user U [--app-password-file F]] [--copy-password-file F]
//! [--json]`: one sync round through the folder the app was told to keep in step with (`syncFolder` in the
//! app's `settings.json` beside the vault) or `--folder` (`twofold_core::sync::folder`, `docs/sync.md`): what
//! the copy and its conflict copies hold merges into this vault, the copy is written back, merged conflict
//! copies are removed. The edits are stamped with this data folder's device id, the same as the app's.
//!
//! **WebDAV**: `--webdav URL --user U` saves the server in the vault (address, user and app password, the
//! same field the app uses, `twofold_core::sync::webdav_sync`) and syncs through it. The app password is read
//! from `--app-password-file` (first line) or else the next line of standard input (after the vault password
//! when that comes from standard input too), never from the command line, where other users could see it.
//! Without `--folder` or `--webdav`, the round goes through the folder when the app turned folder sync on,
//! else through the WebDAV server saved in the vault.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use serde_json::{Value, json};
use twofold_core::sync::folder::{SkipReason, Skipped};
use twofold_core::sync::webdav::{WebDav, WebDavTarget};
use twofold_core::sync::webdav_sync::{self, WebDavReport, WebDavSyncError};
use twofold_core::sync::{FolderSync, RoundReport, SyncError, SyncKeys, device};
use twofold_core::vault::VaultError;

use super::VaultOpts;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    vault: VaultOpts,
    /// The folder a sync engine shares (default: the one chosen in the app's Settings → Sync).
    #[arg(long, value_name = "DIR", conflicts_with = "webdav")]
    folder: Option<PathBuf>,
    /// Keep in step through this WebDAV file (or folder ending in `/`) from now on; saved in the vault.
    #[arg(long, value_name = "URL", requires = "user")]
    webdav: Option<String>,
    /// The WebDAV user name (with `--webdav`).
    #[arg(long, value_name = "USER", requires = "webdav")]
    user: Option<String>,
    /// The WebDAV app password: the first line of this file (default: the next line of standard input).
    #[arg(long, value_name = "FILE", requires = "webdav")]
    app_password_file: Option<PathBuf>,
    /// The password of a synced copy locked with another password than the vault's (first line of this file).
    #[arg(long, value_name = "FILE")]
    copy_password_file: Option<PathBuf>,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let store = args.vault.store()?;
    let folder = match &args.folder {
        Some(folder) => Some(folder.clone()),
        None if args.webdav.is_some() => None,
        None => configured_folder(store.path())?,
    };
    // A bad folder is refused before the password is asked for.
    let sync = folder.map(|folder| FolderSync::new(&folder, store.path()).map(|sync| (sync, folder))).transpose()?;
    store.inspect()?;
    let password = args.vault.password("Vault password: ")?;
    let mut vault = store.unlock(&password)?;
    vault.set_device(device::load_or_create(&device::device_path(store.path()))?);
    if let (Some(url), Some(user)) = (&args.webdav, &args.user) {
        let app_password = match &args.app_password_file {
            Some(file) => super::read_password_file(file)?,
            None => super::read_secret_line("WebDAV app password: ")?,
        };
        if app_password.is_empty() {
            bail!("the WebDAV app password is empty");
        }
        let target = WebDavTarget { url: url.trim().to_owned(), user: user.trim().to_owned(), app_password };
        // The address rules (https, or http to this computer only) are checked before anything is saved.
        WebDav::new(&target)?;
        vault.update(|contents| -> Result<(), VaultError> {
            webdav_sync::set_target(contents, Some(&target));
            Ok(())
        })?;
    }
    let mut keys = SyncKeys::new(&vault, &password);
    if let Some(file) = &args.copy_password_file {
        keys.add_password(&super::read_password_file(file)?);
    }
    let Some((sync, folder)) = sync else {
        let Some(target) = webdav_sync::target(vault.contents()) else {
            bail!(
                "sync is not turned on for this vault: turn it on in the app (Settings → Sync), or give --folder or \
                 --webdav"
            );
        };
        let dav = WebDav::new(&target)?;
        let report = match webdav_sync::round_vault(&dav, &mut vault, &mut keys) {
            Ok(report) => report,
            Err(WebDavSyncError::Copy(e @ SyncError::PasswordNeeded { .. })) => {
                bail!("{e} (give it with --copy-password-file)")
            }
            Err(e) => return Err(e.into()),
        };
        if args.json {
            println!("{}", webdav_json(&report));
        } else {
            print_webdav(&report);
        }
        return Ok(());
    };
    let report = match sync.round(&mut vault, &mut keys) {
        Ok(report) => report,
        Err(e @ SyncError::PasswordNeeded { .. }) => bail!("{e} (give it with --copy-password-file)"),
        Err(e) => return Err(e.into()),
    };
    if args.json {
        println!("{}", report_json(&folder, &report));
    } else {
        print_report(&folder, &report);
    }
    Ok(())
}

/// The folder the app keeps in step with, from its settings beside the vault; `None` when the app syncs
/// through WebDAV or not at all (then the WebDAV server saved in the vault is used, if any).
fn configured_folder(vault: &Path) -> anyhow::Result<Option<PathBuf>> {
    let settings = vault.with_file_name("settings.json");
    let text = match std::fs::read(&settings) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(e).with_context(|| format!("could not read {}", settings.display())),
    };
    let value: Value = serde_json::from_slice(&text).unwrap_or(Value::Null);
    let webdav = value["syncWebdav"].as_bool() == Some(true);
    match (value["sync"].as_bool(), value["syncFolder"].as_str().map(str::trim)) {
        (Some(true), Some(folder)) if !folder.is_empty() && !webdav => Ok(Some(PathBuf::from(folder))),
        _ => Ok(None),
    }
}

fn reason(reason: SkipReason) -> &'static str {
    match reason {
        SkipReason::Damaged => "damaged or still arriving",
        SkipReason::NewerFormat => "written by a newer Twofold",
        SkipReason::OtherPassword => "another vault (another password)",
        SkipReason::Backup => "a Twofold backup (restore it instead)",
        SkipReason::TooMany => "too many files for one round",
        _ => "could not be read",
    }
}

fn skipped_json(list: &[Skipped]) -> Value {
    list.iter().map(|s| json!({"file": s.file.display().to_string(), "reason": reason(s.reason)})).collect()
}

fn paths(list: &[PathBuf]) -> Value {
    list.iter().map(|p| json!(p.display().to_string())).collect()
}

fn report_json(folder: &Path, r: &RoundReport) -> Value {
    let names = |list: &[twofold_core::sync::MergeItem]| -> Value { list.iter().map(|i| json!(i.name)).collect() };
    json!({
        "folder": folder.display().to_string(),
        "wrote_copy": r.wrote_copy,
        "added": names(&r.merge.added),
        "changed": names(&r.merge.changed),
        "removed": names(&r.merge.removed),
        "kept_after_deletion": names(&r.merge.kept_after_deletion),
        "conflict_copies_removed": paths(&r.removed),
        "locked": paths(&r.locked),
        "skipped": skipped_json(&r.skipped),
    })
}

fn print_report(folder: &Path, r: &RoundReport) {
    for (word, list) in [("added", &r.merge.added), ("changed", &r.merge.changed), ("removed", &r.merge.removed)] {
        for i in list {
            println!("{word:<8} {}", i.name);
        }
    }
    for i in &r.merge.kept_after_deletion {
        println!("kept     {} (deleted on one computer, edited later on another)", i.name);
    }
    for p in &r.removed {
        println!("merged and removed {}", p.display());
    }
    for p in &r.locked {
        println!("left alone {} (locked with another password: give it with --copy-password-file)", p.display());
    }
    for s in &r.skipped {
        println!("left alone {} ({}; tried again next time)", s.file.display(), reason(s.reason));
    }
    let copy = if r.wrote_copy { "copy written" } else { "copy already up to date" };
    println!("in step via {}: {copy}", folder.display());
}

fn names(list: &[twofold_core::sync::MergeItem]) -> Value {
    list.iter().map(|i| json!(i.name)).collect()
}

fn webdav_json(r: &WebDavReport) -> Value {
    json!({
        "webdav": r.file_url,
        "wrote_copy": r.outcome.uploaded,
        "attempts": r.outcome.attempts,
        "server_ignored_if_match": r.outcome.remote_ignored_if_match,
        "added": names(&r.merge.added),
        "changed": names(&r.merge.changed),
        "removed": names(&r.merge.removed),
        "kept_after_deletion": names(&r.merge.kept_after_deletion),
    })
}

fn print_webdav(r: &WebDavReport) {
    for (word, list) in [("added", &r.merge.added), ("changed", &r.merge.changed), ("removed", &r.merge.removed)] {
        for i in list {
            println!("{word:<8} {}", i.name);
        }
    }
    for i in &r.merge.kept_after_deletion {
        println!("kept     {} (deleted on one computer, edited later on another)", i.name);
    }
    if r.outcome.remote_ignored_if_match {
        println!("note: the server stored a stale write over ours (it ignores If-Match); merged again");
    }
    let copy = if r.outcome.uploaded { "copy written" } else { "copy already up to date" };
    println!("in step via {}: {copy}", r.file_url);
}
