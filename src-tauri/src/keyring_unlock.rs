//! The keyring unlock (docs/vault-format.md, "Device slots"): opening the vault with a device key kept in the
//! system keyring instead of the password, for N days after the password was last typed.
//!
//! What this computer remembers is `keyring.json` beside the settings (not in `settings.json`, which the
//! settings page writes whole: the webview must not be able to turn this on without the password): whether
//! it is on, N, and the id of this computer's device slot. The keyring itself is reached through
//! `twofold_keyring`, whose every call runs on its own thread and is bounded by a timeout; here every call
//! runs inside [`blocking`], never on the UI thread and never while the state lock is held.
//!
//! * [`status`]: on or off, whether it can open the vault now and why not, and how the vault was last opened.
//! * [`unlock`]: opens the vault with the keyring, or returns the reason (the vault is never written then).
//! * [`after_password_unlock`]: when it is on, typing the password renews it (a fresh key and slot, the N
//!   days counted again); after a password change this is what turns it back on.
//! * [`enable`] (after the password is checked again), [`disable`] (slot and item removed),
//!   [`after_password_change`] (the change dropped the slot; its item is deleted).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};
use twofold_core::vault::VaultStore;
use twofold_keyring::{DEFAULT_DAYS, DEFAULT_TIMEOUT, Failure, SecretStore, SystemKeyring};

use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{KeyringReason, KeyringStatus, KeyringUnlock, UnlockWay};
use crate::rt::{blocking, now_s, write_atomic_private};
use crate::state::AppState;
use crate::text::{Key, Text};
use crate::vault;

/// The file beside the settings that remembers the keyring unlock on this computer.
pub const CONFIG_FILE: &str = "keyring.json";

/// A name that is never an item: reading it tells whether the keyring answers at all.
const PROBE_NAME: &str = "availability-check";

/// What `keyring.json` holds. Nothing secret: the slot id is in the vault's header too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
struct Config {
    enabled: bool,
    days: u16,
    /// This computer's device slot (hex), when one was made since the last password change.
    slot: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Self { enabled: false, days: DEFAULT_DAYS, slot: None }
    }
}

impl Config {
    fn slot_id(&self) -> Option<[u8; 16]> {
        let bytes = data_encoding::HEXLOWER.decode(self.slot.as_deref()?.as_bytes()).ok()?;
        bytes.try_into().ok()
    }
}

/// The keyring unlock's state in the app: the keyring, and how the vault was last opened.
pub struct KeyringState {
    store: RwLock<Arc<dyn SecretStore>>,
    last: Mutex<Option<UnlockWay>>,
}

impl Default for KeyringState {
    fn default() -> Self {
        Self { store: RwLock::new(Arc::new(SystemKeyring::new(DEFAULT_TIMEOUT))), last: Mutex::new(None) }
    }
}

impl KeyringState {
    fn store(&self) -> Arc<dyn SecretStore> {
        match self.store.read() {
            Ok(store) => Arc::clone(&store),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Tests: a fake keyring instead of the system's.
    #[cfg(test)]
    pub fn replace_store(&self, store: Arc<dyn SecretStore>) {
        if let Ok(mut s) = self.store.write() {
            *s = store;
        }
    }

    fn set_last(&self, way: UnlockWay) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some(way);
        }
    }

    fn last(&self) -> Option<UnlockWay> {
        self.last.lock().ok().and_then(|l| *l)
    }
}

fn config_path(state: &AppState) -> PathBuf {
    state.paths.settings.with_file_name(CONFIG_FILE)
}

/// The remembered config; a missing or unreadable file is "off" (the keyring unlock is never on by accident).
fn load(path: &Path) -> Config {
    std::fs::read(path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
}

fn save(path: &Path, config: &Config) -> ShellResult<()> {
    let json = serde_json::to_vec_pretty(config).map_err(|e| ShellError::InvalidInput(e.to_string()))?;
    write_atomic_private(path, &json)
}

fn now() -> u64 {
    u64::try_from(now_s()).unwrap_or(0)
}

fn reason(failure: &Failure) -> KeyringReason {
    KeyringReason::from(failure)
}

/// On or off, whether the keyring can open the vault now (or why not), and how it was last opened. When off,
/// the keyring is asked once whether it answers at all, so Settings can say why the option cannot be turned on.
pub async fn status<R: Runtime>(app: &AppHandle<R>) -> ShellResult<KeyringStatus> {
    let state = app.state::<AppState>();
    let ks = app.state::<KeyringState>();
    let keyring = ks.store();
    let path = config_path(&state);
    let vault_path = state.paths.vault.clone();
    let last = ks.last();
    blocking(move || {
        let config = load(&path);
        let store = VaultStore::new(&vault_path);
        let (ready, why) = if config.enabled {
            match config.slot_id() {
                None => (false, Some(Failure::SlotGone)),
                Some(id) => match twofold_keyring::probe(&store, &*keyring, Some(id), now()) {
                    Ok(_) => (true, None),
                    Err(failure) => (false, Some(failure)),
                },
            }
        } else {
            (false, keyring.get(PROBE_NAME).err())
        };
        Ok(KeyringStatus {
            enabled: config.enabled,
            days: config.days,
            ready,
            reason: why.as_ref().map(reason),
            last_unlock: last,
        })
    })
    .await
}

/// Opens the vault through the keyring, or says why not (the UI then asks for the password). A failure never
/// writes the vault.
pub async fn unlock<R: Runtime>(app: &AppHandle<R>) -> ShellResult<KeyringUnlock> {
    let state = app.state::<AppState>();
    let ks = app.state::<KeyringState>();
    let keyring = ks.store();
    let path = config_path(&state);
    let vault_path = state.paths.vault.clone();
    let seen_file = state.paths.seen.clone();
    let opened = blocking(move || {
        let config = load(&path);
        let slot = config.slot_id().filter(|_| config.enabled);
        let Some(slot) = slot else {
            return Ok(Err(if config.enabled { Failure::SlotGone } else { Failure::NotEnrolled }));
        };
        match twofold_keyring::unlock(&VaultStore::new(&vault_path), &*keyring, Some(slot), now()) {
            Ok(unlocked) => {
                let warning = vault::seen_warning(&seen_file, &unlocked.vault);
                Ok(Ok((unlocked.vault, warning)))
            }
            Err(failure) => Ok(Err(failure)),
        }
    })
    .await?;
    match opened {
        Ok((vault, warning)) => {
            vault::start_session(&state, vault, None);
            ks.set_last(UnlockWay::Keyring);
            Ok(KeyringUnlock { unlocked: true, reason: None, warning })
        }
        Err(failure) => Ok(KeyringUnlock { unlocked: false, reason: Some(reason(&failure)), warning: None }),
    }
}

/// The password was typed and opened the vault: remembered as the way it was opened, and when the keyring
/// unlock is on, renewed (a fresh key and slot replacing this computer's previous one, the N days counted from
/// now). A failure to renew is logged, not an unlock failure: the vault is open and the status will say why.
pub async fn after_password_unlock<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let ks = app.state::<KeyringState>();
    ks.set_last(UnlockWay::Password);
    let path = config_path(&state);
    let config = load(&path);
    if !config.enabled {
        return;
    }
    if let Err(e) = renew(&state, &ks, &path, config).await {
        log::warn!("the keyring unlock could not be renewed: {e}");
    }
}

async fn renew(state: &AppState, ks: &KeyringState, path: &Path, mut config: Config) -> ShellResult<()> {
    let keyring = ks.store();
    let (previous, days) = (config.slot_id(), config.days);
    let id = vault::save_with(state, move |vault| {
        twofold_keyring::enroll(vault, &*keyring, previous, days, now()).map_err(keyring_error)
    })
    .await?;
    config.enabled = true;
    config.slot = Some(data_encoding::HEXLOWER.encode(&id));
    let path = path.to_path_buf();
    blocking(move || save(&path, &config)).await
}

fn keyring_error(failure: Failure) -> ShellError {
    ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::KeyringFailed).with("reason", failure.to_string()))
}

/// Settings → turn on, after `password` was checked again; `days` is "ask for the password every N days".
pub async fn enable<R: Runtime>(app: &AppHandle<R>, password: String, days: u16) -> ShellResult<KeyringStatus> {
    if !(1..=twofold_core::vault::MAX_DEVICE_DAYS).contains(&days) {
        let max = twofold_core::vault::MAX_DEVICE_DAYS.to_string();
        return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::KeyringDays).with("max", max)));
    }
    let state = app.state::<AppState>();
    let ks = app.state::<KeyringState>();
    vault::after_password(&state, password).await?;
    let path = config_path(&state);
    let config = Config { days, ..load(&path) };
    renew(&state, &ks, &path, config).await?;
    status(app).await
}

/// Settings → turn off: this computer's slot leaves the vault and its item the keyring. Off is remembered even
/// when the keyring cannot be reached to delete the item (the item alone opens nothing).
pub async fn disable<R: Runtime>(app: &AppHandle<R>) -> ShellResult<KeyringStatus> {
    let state = app.state::<AppState>();
    let ks = app.state::<KeyringState>();
    let path = config_path(&state);
    let config = load(&path);
    if let Some(id) = config.slot_id() {
        let keyring = ks.store();
        let removed = vault::save_with(&state, move |vault| {
            // The slot first: it is what opens the vault. The item's deletion may fail (no keyring).
            vault.remove_device_slot(&id)?;
            Ok(twofold_keyring::forget_dropped(&*keyring, &[id]))
        })
        .await?;
        if let Err(failure) = removed {
            log::warn!("the keyring item could not be deleted: {failure}");
        }
    }
    blocking(move || save(&path, &Config { enabled: false, slot: None, ..config })).await?;
    status(app).await
}

/// After a password change (which dropped every device slot): this computer's item is deleted and the slot
/// forgotten; the keyring unlock stays on and is renewed at the next password unlock.
pub async fn after_password_change<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let ks = app.state::<KeyringState>();
    let path = config_path(&state);
    let keyring = ks.store();
    let result = blocking(move || {
        let config = load(&path);
        if let Some(id) = config.slot_id()
            && let Err(failure) = twofold_keyring::forget_dropped(&*keyring, &[id])
        {
            log::warn!("the old keyring item could not be deleted: {failure}");
        }
        save(&path, &Config { slot: None, ..config })
    })
    .await;
    if let Err(e) = result {
        log::warn!("cannot update {CONFIG_FILE}: {e}");
    }
}
