//! Keeping the vault in step through a WebDAV server, for the app and the CLI alike: where the server's
//! settings live (the vault's `webdav` payload field) and one sync [`round`] that joins the WebDAV client
//! ([`super::webdav::round`]) to the merge over bytes ([`super::exchange`]).
//!
//! **The settings live inside the encrypted vault**: address, user and app password in the top-level payload
//! field `webdav` (`{"url": …, "user": …, "appPassword": …}`), so the app password is never in a plain file,
//! and they come back with a restore of this vault's backup. The field is one of this computer's own
//! (`vault::payload::LOCAL_FIELDS`): it is left out of every synced copy (folder or WebDAV) and a merge never
//! takes another computer's, because servers such as Nextcloud issue one app password per device.
//!
//! **The round** is the client's round with [`super::exchange`] as its merge: every time the client holds the
//! server's bytes, `exchange` (given by the caller, so the app can run it under its save order and the network
//! outside it) merges them into the local vault and returns the bytes to store. What the merges brought is
//! summed in [`WebDavReport`]; a copy that cannot be merged (another password, damaged, newer) keeps its
//! [`SyncError`] rather than becoming text.

use std::path::Path;

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use super::merge::MergeReport;
use super::webdav::{self, RoundOutcome, WebDav, WebDavError, WebDavTarget};
use super::{Exchange, SyncError, SyncKeys};
use crate::vault::{Vault, VaultContents};

/// The payload field that holds the WebDAV settings.
const FIELD: &str = "webdav";

/// The WebDAV server this vault keeps in step with, if one was set. A field this version cannot read (or a
/// damaged one) is `None`.
pub fn target(contents: &VaultContents) -> Option<WebDavTarget> {
    let field = contents.extra_field(FIELD)?;
    let text = |key: &str| field.get(key).and_then(Value::as_str).map(str::to_owned);
    Some(WebDavTarget {
        url: text("url")?,
        user: text("user")?,
        app_password: Zeroizing::new(text("appPassword").unwrap_or_default()),
    })
}

/// Sets the WebDAV server (or removes it with `None`). Call inside [`Vault::update`] so it is saved.
pub fn set_target(contents: &mut VaultContents, target: Option<&WebDavTarget>) {
    contents.remove_extra_field(FIELD);
    if let Some(target) = target {
        let mut field = Map::new();
        field.insert("url".into(), Value::String(target.url.trim().to_owned()));
        field.insert("user".into(), Value::String(target.user.clone()));
        field.insert("appPassword".into(), Value::String(target.app_password.as_str().to_owned()));
        contents.set_extra_field(FIELD, Value::Object(field));
    }
}

/// What one WebDAV [`round`] did.
#[derive(Debug, Default)]
pub struct WebDavReport {
    /// The file's full address.
    pub file_url: String,
    /// What the client did (PUTs sent, whether one was stored, a server that ignored `If-Match`).
    pub outcome: RoundOutcome,
    /// Everything the round's merges changed in the local vault.
    pub merge: MergeReport,
}

/// Why a WebDAV round failed: the server (or the way to it), or the copy on it.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebDavSyncError {
    #[error(transparent)]
    Server(#[from] WebDavError),
    #[error(transparent)]
    Copy(#[from] SyncError),
}

/// One round through `dav`: fetch, merge with `exchange` (called with the server's bytes, `None` when there is
/// no copy yet; it must return [`super::exchange`]'s answer), store, read back. See
/// [`super::webdav::round`].
///
/// A copy that reads as damaged is fetched again a few times (with the client's back-off) before the round
/// gives up with [`SyncError::Damaged`]: a server that writes files in place (rclone) serves the first bytes
/// of a file another computer is still uploading, whole and with a `200`.
pub fn round<F>(dav: &WebDav, mut exchange: F) -> Result<WebDavReport, WebDavSyncError>
where
    F: FnMut(Option<&[u8]>) -> Result<Exchange, SyncError>,
{
    let mut merge = MergeReport::default();
    let mut tries = 1;
    loop {
        let mut failed: Option<SyncError> = None;
        let result = webdav::round(dav, |remote| match exchange(remote) {
            Ok(done) => {
                add(&mut merge, done.merge);
                Ok(done.upload)
            }
            Err(e) => {
                let text = e.to_string();
                failed = Some(e);
                Err(text)
            }
        });
        return match (result, failed) {
            (Ok(outcome), _) => Ok(WebDavReport { file_url: dav.file_url().to_owned(), outcome, merge }),
            (Err(WebDavError::Merge(_)), Some(SyncError::Damaged { .. })) if tries < DAMAGED_TRIES => {
                std::thread::sleep(webdav::backoff(tries));
                tries += 1;
                continue;
            }
            (Err(WebDavError::Merge(_)), Some(e)) => Err(WebDavSyncError::Copy(e)),
            (Err(e), _) => Err(WebDavSyncError::Server(e)),
        };
    }
}

/// How many times a round fetches a copy that reads as damaged before it says so (about 0.7 s in all).
const DAMAGED_TRIES: u32 = 4;

/// One round for a vault held here (the CLI): [`round`] with [`super::exchange`] on `vault` and `keys`.
pub fn round_vault(dav: &WebDav, vault: &mut Vault, keys: &mut SyncKeys) -> Result<WebDavReport, WebDavSyncError> {
    let name = dav.file_url().to_owned();
    round(dav, |remote| super::exchange(vault, keys, remote, Path::new(&name)))
}

fn add(total: &mut MergeReport, more: MergeReport) {
    total.added.extend(more.added);
    total.changed.extend(more.changed);
    total.removed.extend(more.removed);
    total.kept_after_deletion.extend(more.kept_after_deletion);
    total.renamed.extend(more.renamed);
    total.ties.extend(more.ties);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{KdfParams, VaultStore};

    fn sample() -> WebDavTarget {
        WebDavTarget {
            url: "https://cloud.example/dav/".into(),
            user: "me".into(),
            app_password: Zeroizing::new("app-pass-1".into()),
        }
    }

    #[test]
    fn the_target_is_kept_in_the_vault_and_never_in_a_synced_copy() {
        let dir = tempfile::tempdir().unwrap();
        let store = VaultStore::new(dir.path().join("v.vault"));
        let mut vault = store.create("pw", KdfParams::MINIMUM, &VaultContents::new()).unwrap();
        assert!(target(vault.contents()).is_none());
        vault
            .update(|c| -> Result<(), crate::vault::VaultError> {
                set_target(c, Some(&sample()));
                Ok(())
            })
            .unwrap();
        let reopened = VaultStore::new(dir.path().join("v.vault")).unlock("pw").unwrap();
        assert_eq!(target(reopened.contents()), Some(sample()));

        // The copy for the server holds no WebDAV settings, and merging it back keeps ours.
        let mut keys = SyncKeys::new(&vault, "pw");
        let first = super::super::exchange(&mut vault, &mut keys, None, Path::new("remote")).unwrap();
        let plain = crate::vault::format::open_with_password(&first.upload, "pw").unwrap().2;
        let text = String::from_utf8_lossy(&plain);
        assert!(!text.contains("app-pass-1") && !text.contains("cloud.example"), "{text}");
        // The server's copy holds all that is shared: nothing to upload, nothing changed here.
        let again = super::super::exchange(&mut vault, &mut keys, Some(&first.upload), Path::new("remote")).unwrap();
        assert!(!again.changed_remote, "a copy without our own fields is in step");
        assert_eq!(again.upload, first.upload);
        assert_eq!(target(vault.contents()), Some(sample()));

        // Another computer's copy carrying its own WebDAV settings does not replace ours.
        let mut theirs = vault.contents().clone();
        set_target(
            &mut theirs,
            Some(&WebDavTarget {
                url: "https://zzz.example/".into(),
                user: "zz".into(),
                app_password: Zeroizing::new("zz".into()),
            }),
        );
        vault.merge_from(&theirs).unwrap();
        assert_eq!(target(vault.contents()), Some(sample()));

        vault
            .update(|c| -> Result<(), crate::vault::VaultError> {
                set_target(c, None);
                Ok(())
            })
            .unwrap();
        assert!(target(vault.contents()).is_none());
    }

    /// Without `shared()` in the folder round the copy (lacking our own field) never equals the vault, so every
    /// round rewrote it and each write woke the watcher for another round.
    #[test]
    fn a_folder_copy_leaves_the_webdav_settings_out_and_settles() {
        let dir = tempfile::tempdir().unwrap();
        let shared = dir.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        let store = VaultStore::new(dir.path().join("v.vault"));
        let mut vault = store.create("pw", KdfParams::MINIMUM, &VaultContents::new()).unwrap();
        vault
            .update(|c| -> Result<(), crate::vault::VaultError> {
                set_target(c, Some(&sample()));
                Ok(())
            })
            .unwrap();
        let mut keys = SyncKeys::new(&vault, "pw");
        let sync = super::super::FolderSync::new(&shared, vault.store().path()).unwrap();
        assert!(sync.round(&mut vault, &mut keys).unwrap().wrote_copy);
        let second = sync.round(&mut vault, &mut keys).unwrap();
        assert!(!second.wrote_copy, "a copy holding all that is shared is not written again");
        let copy = crate::sync::open_copy(sync.copy_path(), "pw").unwrap();
        assert!(target(&copy).is_none());
        assert_eq!(target(vault.contents()), Some(sample()));
    }
}
