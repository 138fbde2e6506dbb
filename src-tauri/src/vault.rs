//! The open vault: unlocking and creating it (one path), locking it (one function), saving it
//! ([`save_with`], the only place that takes the save order), changing its password (with a new data key),
//! restoring a lone previous copy, staging what an intake read into it, copying a
//! code; and the shell's seam to the core's vault, codes and links.
//!
//! Functions marked *slow* run Argon2 or file I/O: they run on a blocking thread and never under the state lock.

use std::path::Path;

use tauri::{AppHandle, Manager, Runtime};
use twofold_core::sync::SyncKeys;
use twofold_core::vault::{KdfParams, Vault, VaultContents, VaultError, VaultStore};
use twofold_core::{Account, AccountId, OtpKind, OtpParams, otp, uri};
use zeroize::Zeroizing;

use crate::clipboard;
use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{RollbackWarning, ScanFound};
use crate::rt::{blocking, now_ms, now_s};
use crate::seen;
use crate::staging;
use crate::state::{AppState, Unlocked, VaultEvent, VaultState};
use crate::text::{self, Key, Param, Text};

/// A password from the UI, refused when empty.
pub fn password(text: String) -> ShellResult<Zeroizing<String>> {
    let text = Zeroizing::new(text);
    if text.is_empty() {
        return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::PasswordEmpty)));
    }
    Ok(text)
}

/// How [`open`] opens the vault.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// First run: create an empty vault with this password.
    Create,
    /// Unlock the existing vault.
    Unlock,
}

/// Creates or unlocks the vault with `password`, then opens the session: automatic backups get the password
/// to derive their key, the idle auto-lock starts counting, and listeners (the tray) hear of it. Returns a
/// warning when the file is older than the newest this computer saw at that path (`seen`): it is opened all
/// the same.
pub async fn open<R: Runtime>(
    app: &AppHandle<R>,
    password: String,
    how: Opening,
) -> ShellResult<Option<RollbackWarning>> {
    let state = app.state::<AppState>();
    let password = self::password(password)?;
    let path = state.paths.vault.clone();
    let store = VaultStore::new(&path);
    match how {
        Opening::Create if password.chars().count() < 8 => {
            return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::PasswordTooShort)));
        }
        Opening::Create if store.exists() => return Err(ShellError::VaultExists(path.display().to_string())),
        // A new vault over a lone previous copy would push that copy out at its second save (issue 13 point 9).
        Opening::Create if store.only_previous_exists() => {
            return Err(ShellError::from(VaultError::PreviousExists { path }));
        }
        Opening::Unlock if !store.exists() => return Err(ShellError::NoVault),
        _ => {}
    }
    let for_backups = password.clone();
    let seen_file = state.paths.seen.clone();
    let (vault, warning) = blocking(move || {
        let vault = match how {
            Opening::Create => create(&path, &password)?,
            Opening::Unlock => unlock(&path, &password)?,
        };
        let warning = seen_warning(&seen_file, &vault);
        Ok((vault, warning))
    })
    .await?;
    start_session(state.inner(), vault, Some(&for_backups));
    Ok(warning)
}

/// Records the opened `vault` in the record of vaults seen and returns the rollback warning, if any. The record
/// is a warning aid: failing to read or write it must not keep the vault shut. *Slow* (file I/O).
pub fn seen_warning(seen_file: &Path, vault: &Vault) -> Option<RollbackWarning> {
    seen::check_and_record(seen_file, vault.store().path(), vault.key_id(), vault.counter()).unwrap_or_else(|e| {
        log::warn!("cannot update the record of vaults seen: {e}");
        None
    })
}

/// Makes an opened vault the session: automatic backups get the password to derive their key (none after a
/// keyring unlock: they wait for the next password unlock), the idle auto-lock starts counting, and listeners
/// (the tray) hear of it. The one place a session starts, whichever way the vault was opened.
pub fn start_session(state: &AppState, mut vault: Vault, backup_password: Option<&Zeroizing<String>>) {
    // Edits are stamped with this data folder's device id (sync's merge orders edits by it).
    vault.set_device(state.device);
    // Sync opens copies with the session's keys (no KDF here); after a keyring unlock it has no password, so a
    // copy sealed under another key waits for the next password unlock or asks for its password.
    let keys = match backup_password {
        Some(password) => SyncKeys::new(&vault, password),
        None => SyncKeys::without_password(&vault),
    };
    match backup_password {
        Some(password) => state.backups.unlocked(password),
        None => state.backups.unlocked_without_password(),
    }
    let mut unlocked = Unlocked::new(vault);
    unlocked.sync_keys = Some(keys);
    *state.vault() = VaultState::Unlocked(Box::new(unlocked));
    state.idle.opened();
    state.notify(&VaultEvent::Opened);
}

/// Puts the previous copy (`NAME.prev`) back at the vault's path when the vault file is gone (status
/// `previous_only`); the vault then unlocks as usual. *Slow* (file I/O).
pub async fn restore_previous(state: &AppState) -> ShellResult<()> {
    let store = VaultStore::new(&state.paths.vault);
    if !store.only_previous_exists() {
        return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::NoPreviousCopy)));
    }
    let seen_file = state.paths.seen.clone();
    blocking(move || {
        store.restore_previous()?;
        // Restored on purpose: its lower save counter is no rollback to warn about at the next unlock.
        let counter = store.inspect()?.save_counter;
        seen::accept_restored(&seen_file, store.path(), counter)
    })
    .await
}

/// Changes the vault password after checking the current one, and replaces the data key (issue 13 point 5: an
/// old copy of the file and the old password must open nothing written after the change). Automatic backups
/// forget their key first (no backup is sealed with the old password after the change) and derive the new
/// one after. *Slow* (two Argon2 runs and a save).
pub async fn change_password(state: &AppState, current: String, new: String) -> ShellResult<()> {
    let current = password(current)?;
    let new = password(new)?;
    if new.chars().count() < 8 {
        return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::PasswordTooShort)));
    }
    // Checked before anything changes, so a failed change below can hand backups back a password that works.
    after_password(state, current.to_string()).await?;
    state.backups.set_key(None);
    let for_backups = new.clone();
    let for_sync = new.clone();
    let result = save_with(state, move |vault| {
        // Keep the vault's cost unless it is below today's floor.
        let kdf = vault.kdf_params().first().copied().and_then(|k| k.check().ok()).unwrap_or(KdfParams::DEFAULT);
        Ok(vault.rotate_key(&new, kdf)?)
    })
    .await;
    if result.is_ok() {
        // The synced copy follows: the next round seals it with the new key and password.
        let _ = state.with_unlocked(|open| {
            if let Some(keys) = open.sync_keys.as_mut() {
                keys.local_key_changed(&open.vault, &for_sync);
            }
            Ok(())
        });
    }
    // Automatic backups follow the password that now opens the vault.
    state.backups.rekey(if result.is_ok() { &for_backups } else { &current });
    result
}

/// Locks the vault: what the Lock button, the tray, the session watcher, the idle auto-lock and quitting all
/// do. The open vault and everything the session holds (staged accounts, shown HOTP codes) are dropped,
/// automatic backups make their last try and forget their key, our code leaves the clipboard, and listeners
/// (the camera, the tray) hear of it.
pub fn lock<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    *state.vault() = VaultState::Locked;
    state.idle.locked();
    state.backups.vault_locked();
    clipboard::clear_if_ours(app, None);
    state.notify(&VaultEvent::Locked);
}

/// Saves a change to the vault: `change` gets a copy of the open vault on a blocking thread and changes it
/// through the core (`update`, `advance_hotp`, a restore), which writes the file. The save order is held
/// across the whole write, so saves land in the order they were asked for; the state lock is held only to
/// copy the vault out and to put the saved one back. Automatic backups and listeners hear of the save.
pub async fn save_with<T: Send + 'static>(
    state: &AppState,
    change: impl FnOnce(&mut Vault) -> ShellResult<T> + Send + 'static,
) -> ShellResult<T> {
    let _order = state.save_order().lock().await;
    let mut vault = state.with_unlocked(|open| Ok(open.vault.clone()))?;
    let before = vault.counter();
    let seen_file = state.paths.seen.clone();
    let (vault, value) = blocking(move || {
        let value = change(&mut vault)?;
        if vault.counter() != before {
            // The newest save this computer made is the newest it saw (rollback warning at the next unlock).
            let path = vault.store().path().to_path_buf();
            if let Err(e) = seen::check_and_record(&seen_file, &path, vault.key_id(), vault.counter()) {
                log::warn!("cannot update the record of vaults seen: {e}");
            }
        }
        Ok((vault, value))
    })
    .await?;
    let saved = (vault.counter() != before).then(|| vault.contents().clone());
    // If the vault was locked meanwhile, the change is saved and the copy is simply dropped.
    let _ = state.with_unlocked(|open| {
        open.vault = vault;
        Ok(())
    });
    if let Some(contents) = saved {
        state.notify(&VaultEvent::Saved(&contents));
    }
    Ok(value)
}

/// Applies `change` to the accounts and saves (the core reloads first if another program saved meanwhile, so
/// nothing is lost; it may call `change` again). Nothing is saved when `change` fails.
pub async fn update_accounts<T: Send + 'static>(
    state: &AppState,
    mut change: impl FnMut(&mut Vec<Account>) -> ShellResult<T> + Send + 'static,
) -> ShellResult<T> {
    save_with(state, move |vault| vault.update(|contents: &mut VaultContents| change(&mut contents.accounts))).await
}

/// Gives account `id` the picture `icon` (a ≤128 px PNG, `twofold_core::icon`), or takes its picture away
/// (`None`); the account counts as edited only when that changed something. Custom pictures and pack icons
/// both land here, so backups and sync carry them alike.
pub async fn set_account_icon(
    state: &AppState,
    id: AccountId,
    icon: Option<twofold_core::icon::Icon>,
) -> ShellResult<()> {
    let now = now_s();
    update_accounts(state, move |accounts| {
        let account = find_mut(accounts, id)?;
        if account.icon != icon {
            account.icon = icon.clone();
            account.updated = now;
        }
        Ok(())
    })
    .await
}

/// Stages what an intake read from `what` (QR payloads or a link) for the user's choice. Parsing runs before
/// the lock is taken; duplicates are judged against the open vault's key prints, after the lock is released.
pub fn stage(state: &AppState, payloads: &[&str], what: Param) -> ShellResult<ScanFound> {
    let now = now_s();
    let parsed = staging::parse(payloads, what, now)?;
    let (staged, known) = state.with_unlocked(|open| {
        let staged = staging::stage(&mut open.staged, parsed, now);
        Ok((staged, staging::known_keys(&open.vault.contents().accounts)))
    })?;
    Ok(staged.found(&known))
}

/// The open vault, after `password` was checked against it again (revealing a key, exports). *Slow.*
pub async fn after_password(state: &AppState, password: String) -> ShellResult<Vault> {
    let password = self::password(password)?;
    let vault = state.with_unlocked(|open| Ok(open.vault.clone()))?;
    blocking(move || check_password(&vault, &password).map(|()| vault)).await
}

/// Copies an account's current code to the clipboard and schedules the clearing: what clicking a card (the
/// `copy_code` command), a favourite in the tray menu and the quick switcher all do.
pub fn copy_code<R: Runtime>(app: &AppHandle<R>, id: AccountId) -> ShellResult<()> {
    let state = app.state::<AppState>();
    let now = now_ms();
    let code = state.with_unlocked(|open| {
        let account = find(open.accounts(), id)?;
        match account.otp.kind {
            OtpKind::Hotp { .. } => open
                .hotp_shown
                .get(&id)
                .cloned()
                .ok_or_else(|| ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::PressNextCode))),
            _ => Ok(Zeroizing::new(time_code(account, now)?.code)),
        }
    })?;
    clipboard::copy(app, code, state.settings().clipboard_clear_seconds)?;
    // A copy is use, wherever it came from (a card, the tray, the quick switcher): the idle deadline moves.
    state.idle.used();
    Ok(())
}

/// The account with `id`.
pub fn find(accounts: &[Account], id: AccountId) -> ShellResult<&Account> {
    accounts.iter().find(|a| a.id == id).ok_or_else(|| ShellError::NotFound(id.to_string()))
}

/// The account with `id`, to change.
pub fn find_mut(accounts: &mut [Account], id: AccountId) -> ShellResult<&mut Account> {
    accounts.iter_mut().find(|a| a.id == id).ok_or_else(|| ShellError::NotFound(id.to_string()))
}

/// An account id from the UI; an id that is not one names no account.
pub fn parse_id(id: &str) -> ShellResult<AccountId> {
    uuid::Uuid::parse_str(id).map(AccountId).map_err(|_| ShellError::NotFound(id.to_string()))
}

// ---- the core's vault, codes and links ---------------------------------------------------------------------

/// Creates a new, empty vault protected by `password`, at the default Argon2id cost. *Slow.*
pub fn create(path: &Path, password: &Zeroizing<String>) -> ShellResult<Vault> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| ShellError::coded(ErrorCode::Io, text::io_failed("create the folder", dir, &e)))?;
    }
    Ok(VaultStore::new(path).create(password, KdfParams::DEFAULT, &VaultContents::new())?)
}

/// Opens the vault at `path`. *Slow.*
pub fn unlock(path: &Path, password: &Zeroizing<String>) -> ShellResult<Vault> {
    Ok(VaultStore::new(path).unlock(password)?)
}

/// Checks `password` against the open vault. *Slow.*
pub fn check_password(vault: &Vault, password: &Zeroizing<String>) -> ShellResult<()> {
    if vault.check_password(password)? { Ok(()) } else { Err(ShellError::WrongPassword) }
}

/// Advances an HOTP account's counter, saves, and returns the code for the counter that was current. *Slow.*
pub fn next_hotp(vault: &mut Vault, id: AccountId, now: i64) -> ShellResult<String> {
    let counter = vault.advance_hotp(id, now)?;
    let account = find(&vault.contents().accounts, id)?;
    let code = otp::code_at_counter(&account.secret, &account.otp, counter)
        .map_err(|e| ShellError::coded(ErrorCode::InvalidInput, text::otp_error(&e)))?;
    Ok(code.code)
}

/// A code and the window in which it is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeWindow {
    pub code: String,
    /// Unix milliseconds.
    pub valid_from: i64,
    /// Unix milliseconds.
    pub valid_until: i64,
    pub next_code: String,
}

/// The current code of a time-based account at `now_ms` (Unix milliseconds), and the one after it.
pub fn time_code(account: &Account, now_ms: i64) -> ShellResult<CodeWindow> {
    let now = now_ms.div_euclid(1000);
    let current = otp::code(&account.secret, &account.otp, now)
        .map_err(|e| ShellError::coded(ErrorCode::InvalidInput, text::otp_error(&e)))?;
    let window = current.window.ok_or_else(|| {
        ShellError::coded(
            ErrorCode::InvalidInput,
            Text::new(Key::NotTimeBased).with("name", text::account_name(&account.label())),
        )
    })?;
    let next = otp::code(&account.secret, &account.otp, window.valid_until)
        .map_err(|e| ShellError::coded(ErrorCode::InvalidInput, text::otp_error(&e)))?;
    Ok(CodeWindow {
        code: current.code,
        valid_from: window.valid_from.saturating_mul(1000),
        valid_until: window.valid_until.saturating_mul(1000),
        next_code: next.code,
    })
}

/// Parses an `otpauth://` link into a new account (fresh id, created at `now` Unix seconds) and warnings.
pub fn parse_link(link: &str, now: i64) -> ShellResult<(Account, Vec<Text>)> {
    let parsed = uri::parse(link).map_err(|e| ShellError::coded(ErrorCode::InvalidInput, text::link_error(&e)))?;
    let warnings = parsed.warnings.iter().map(text::link_warning).collect();
    Ok((parsed.into_account(now), warnings))
}

/// The `otpauth://` link of an account (it contains the key: only for `reveal_secret`).
pub fn format_link(account: &Account) -> Zeroizing<String> {
    uri::format(account)
}

/// Checks OTP parameters typed by the user, with the core's rules and messages.
pub fn validate_params(params: &OtpParams) -> ShellResult<()> {
    params.validate().map_err(|e| ShellError::coded(ErrorCode::InvalidInput, text::otp_error(&e)))
}

/// The QR code of an account's `otpauth://` link as a greyscale PNG, `scale` pixels per module (it contains the
/// key: only for `show_account_qr`).
pub fn link_qr_png(account: &Account, scale: u32) -> ShellResult<Zeroizing<Vec<u8>>> {
    let link = uri::format(account);
    let qr = twofold_core::export::qr::QrMatrix::encode(&link).map_err(ShellError::from)?;
    qr.to_png(scale).map_err(ShellError::from)
}
