//! The IPC commands, `verb_noun`. Each one translates between IPC types and `twofold-core` (through
//! [`crate::backend`]); none decides anything about OTP, links or cryptography.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tauri::{AppHandle, Manager, Runtime, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use twofold_core::{Account, AccountId, Algorithm, OtpKind, OtpParams, Secret};
use zeroize::Zeroizing;

use crate::backend;
use crate::error::{ShellError, ShellResult};
use crate::ipc::{
    AccountEdit, AccountList, AccountView, AddOutcome, AlgorithmView, LinkPreview, NewAccount, OtpKindView,
    RecoveryCodeView, RevealedSecret, Settings, VaultStatus,
};
use crate::state::{self as app_state, AppState, Unlocked, VaultState};

/// Unix milliseconds. The shell is a binary: it is allowed to read the clock.
fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

pub(crate) fn now_s() -> i64 {
    now_ms().div_euclid(1000)
}

/// Runs slow work on a blocking thread.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> ShellResult<T> + Send + 'static) -> ShellResult<T> {
    tauri::async_runtime::spawn_blocking(f).await.map_err(|e| ShellError::Io(format!("background task failed: {e}")))?
}

fn parse_id(id: &str) -> ShellResult<AccountId> {
    uuid::Uuid::parse_str(id).map(AccountId).map_err(|_| ShellError::NotFound(id.to_string()))
}

fn find_mut(accounts: &mut [Account], id: AccountId) -> ShellResult<&mut Account> {
    accounts.iter_mut().find(|a| a.id == id).ok_or_else(|| ShellError::NotFound(id.to_string()))
}

fn find(open: &Unlocked, id: AccountId) -> ShellResult<&Account> {
    open.vault.accounts().iter().find(|a| a.id == id).ok_or_else(|| ShellError::NotFound(id.to_string()))
}

fn password(text: String) -> ShellResult<Zeroizing<String>> {
    let text = Zeroizing::new(text);
    if text.is_empty() {
        return Err(ShellError::InvalidInput("the password is empty".into()));
    }
    Ok(text)
}

/// Applies `change` to the accounts and saves the vault. The lock is held only to clone the open vault out
/// and to put the saved one back; the save itself (encryption, file I/O) runs on a blocking thread.
pub(crate) async fn mutate_and_save<T: Send + 'static>(
    state: &AppState,
    change: impl FnMut(&mut Vec<Account>) -> ShellResult<T> + Send + 'static,
) -> ShellResult<T> {
    let _order = state.save_order.lock().await;
    let mut vault = state.with_unlocked(|open| Ok(open.vault.clone()))?;
    let (vault, value) = blocking(move || {
        let value = backend::update(&mut vault, change)?;
        Ok((vault, value))
    })
    .await?;
    // If the vault was locked meanwhile, the change is saved and the copy is simply dropped.
    let _ = state.with_unlocked(|open| {
        open.vault = vault;
        Ok(())
    });
    Ok(value)
}

// ---- conversions -------------------------------------------------------------------------------------------

pub(crate) fn kind_view(kind: &OtpKind) -> OtpKindView {
    match kind {
        OtpKind::Hotp { .. } => OtpKindView::Hotp,
        OtpKind::Steam { .. } => OtpKindView::Steam,
        _ => OtpKindView::Totp,
    }
}

pub(crate) fn algorithm_view(a: Algorithm) -> AlgorithmView {
    match a {
        Algorithm::Sha1 => AlgorithmView::Sha1,
        Algorithm::Sha256 => AlgorithmView::Sha256,
        Algorithm::Sha512 => AlgorithmView::Sha512,
    }
}

fn algorithm_core(a: AlgorithmView) -> Algorithm {
    match a {
        AlgorithmView::Sha1 => Algorithm::Sha1,
        AlgorithmView::Sha256 => Algorithm::Sha256,
        AlgorithmView::Sha512 => Algorithm::Sha512,
    }
}

fn account_view(open: &Unlocked, account: &Account, now_ms: i64) -> ShellResult<AccountView> {
    let (code, valid_from, valid_until, next_code, counter) = match account.otp.kind {
        OtpKind::Hotp { counter } => {
            let shown = open.hotp_shown.get(&account.id).map(|c| c.to_string()).unwrap_or_default();
            (shown, None, None, None, Some(counter))
        }
        _ => {
            let w = backend::time_code(account, now_ms)?;
            (w.code, Some(w.valid_from), Some(w.valid_until), Some(w.next_code), None)
        }
    };
    let unused = account.recovery_codes.iter().filter(|c| !c.used).count();
    Ok(AccountView {
        id: account.id.to_string(),
        issuer: account.issuer.clone(),
        name: account.name.clone(),
        groups: account.groups.clone(),
        favorite: account.favorite,
        order: account.order,
        kind: kind_view(&account.otp.kind),
        algorithm: algorithm_view(account.otp.algorithm),
        digits: account.otp.digits,
        period: account.otp.period(),
        counter,
        code,
        valid_from,
        valid_until,
        next_code,
        recovery_total: u32::try_from(account.recovery_codes.len()).unwrap_or(u32::MAX),
        recovery_unused: u32::try_from(unused).unwrap_or(u32::MAX),
        note: account.note.clone(),
    })
}

/// Builds an account from typed fields; the core checks the OTP parameters.
pub fn account_from_input(input: &NewAccount, now: i64) -> ShellResult<Account> {
    let secret = Secret::parse_base32(&input.secret).map_err(|e| ShellError::InvalidInput(e.to_string()))?;
    let otp = match input.kind {
        OtpKindView::Totp => OtpParams {
            kind: OtpKind::Totp { period: input.period },
            algorithm: algorithm_core(input.algorithm),
            digits: input.digits,
        },
        OtpKindView::Hotp => OtpParams {
            kind: OtpKind::Hotp { counter: input.counter },
            algorithm: algorithm_core(input.algorithm),
            digits: input.digits,
        },
        OtpKindView::Steam => OtpParams::steam(),
    };
    backend::validate_params(&otp)?;
    let mut account = Account::new(input.issuer.trim(), input.name.trim(), secret, otp, now);
    account.groups = clean_groups(&input.groups);
    Ok(account)
}

fn clean_groups(groups: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for g in groups.iter().map(|g| g.trim()).filter(|g| !g.is_empty()) {
        if !out.iter().any(|o| o == g) {
            out.push(g.to_string());
        }
    }
    out
}

pub(crate) fn duplicates_of(accounts: &[Account], account: &Account) -> Vec<String> {
    accounts.iter().filter(|a| a.same_key_as(account)).map(Account::display_name).collect()
}

pub(crate) fn insert_account(accounts: &mut Vec<Account>, mut account: Account, warnings: Vec<String>) -> AddOutcome {
    let duplicates = duplicates_of(accounts, &account);
    account.order = accounts.iter().map(|a| a.order).max().map_or(0, |m| m.saturating_add(1));
    let id = account.id.to_string();
    accounts.push(account);
    AddOutcome { id, warnings, duplicates }
}

// ---- clipboard ---------------------------------------------------------------------------------------------

/// Clears the clipboard if it still holds the code we put there (the user may have copied something else).
pub fn clear_clipboard_if_ours<R: Runtime>(app: &AppHandle<R>, state: &AppState, generation: Option<u64>) {
    let mut mark = state.clipboard_mark();
    if generation.is_some_and(|g| g != mark.generation) {
        return;
    }
    if let Some(ours) = mark.text.take() {
        if clipboard_read(app).is_some_and(|now| now == *ours) {
            clipboard_clear(app);
        }
    }
}

/// Copies an account's current code to the clipboard and schedules the clearing: what clicking a card (the
/// `copy_code` command) and a favourite in the tray menu both do.
pub fn copy_account_code<R: Runtime>(app: &AppHandle<R>, state: &AppState, id: AccountId) -> ShellResult<()> {
    let now = now_ms();
    let code = state.with_unlocked(|open| {
        let account = find(open, id)?;
        match account.otp.kind {
            OtpKind::Hotp { .. } => open
                .hotp_shown
                .get(&id)
                .cloned()
                .ok_or_else(|| ShellError::InvalidInput("press \u{201c}next code\u{201d} first".into())),
            _ => Ok(Zeroizing::new(backend::time_code(account, now)?.code)),
        }
    })?;
    clipboard_write(app, &code)?;
    let generation = {
        let mut mark = state.clipboard_mark();
        mark.generation = mark.generation.wrapping_add(1);
        mark.text = Some(code);
        mark.generation
    };
    let delay = state.settings().clipboard_clear_seconds;
    if delay > 0 {
        let app = app.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_secs(u64::from(delay)));
            let state = app.state::<AppState>();
            clear_clipboard_if_ours(&app, &state, Some(generation));
        });
    }
    Ok(())
}

/// Locks the vault: what the Lock button (the `lock_vault` command) and the tray's Lock both do. The open vault
/// and what the session remembers are dropped, our code leaves the clipboard, and the tray menu forgets the
/// favourites.
pub fn lock<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    *state.vault() = VaultState::Locked;
    state.backups.vault_locked();
    crate::scan::forget(app);
    clear_clipboard_if_ours(app, &state, None);
    crate::tray::vault_changed(app);
}

// The system clipboard through the plugin. Unit tests have no display: they manage an in-memory clipboard
// ([`MemoryClipboard`]), which these three then use instead.

/// An in-memory clipboard for unit tests (there is no display to hold a real one).
#[cfg(test)]
#[derive(Default)]
pub(crate) struct MemoryClipboard(std::sync::Mutex<Option<String>>);

#[cfg(test)]
impl MemoryClipboard {
    pub(crate) fn write(&self, text: &str) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(text.to_string());
    }
    pub(crate) fn read(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
    pub(crate) fn clear(&self) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

fn clipboard_write<R: Runtime>(app: &AppHandle<R>, text: &str) -> ShellResult<()> {
    #[cfg(test)]
    if let Some(memory) = app.try_state::<MemoryClipboard>() {
        memory.write(text);
        return Ok(());
    }
    app.clipboard().write_text(text).map_err(|e| ShellError::Clipboard(e.to_string()))
}

fn clipboard_read<R: Runtime>(app: &AppHandle<R>) -> Option<String> {
    #[cfg(test)]
    if let Some(memory) = app.try_state::<MemoryClipboard>() {
        return memory.read();
    }
    app.clipboard().read_text().ok()
}

fn clipboard_clear<R: Runtime>(app: &AppHandle<R>) {
    #[cfg(test)]
    if let Some(memory) = app.try_state::<MemoryClipboard>() {
        memory.clear();
        return;
    }
    let _ = app.clipboard().clear();
}

// ---- commands ----------------------------------------------------------------------------------------------

#[tauri::command]
pub fn vault_status(state: State<'_, AppState>) -> VaultStatus {
    state.status()
}

#[tauri::command]
pub async fn create_vault<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    password: String,
) -> ShellResult<()> {
    let password = self::password(password)?;
    if password.chars().count() < 8 {
        return Err(ShellError::InvalidInput("the password must have at least 8 characters".into()));
    }
    let path = state.paths.vault.clone();
    if backend::vault_exists(&path) {
        return Err(ShellError::VaultExists(path.display().to_string()));
    }
    let for_backups = password.clone();
    let mut vault = blocking(move || backend::create(&path, &password)).await?;
    state.backups.attach(&mut vault, &for_backups);
    crate::tray::attach(&app, &mut vault);
    *state.vault() = VaultState::Unlocked(Box::new(Unlocked::new(vault)));
    crate::tray::vault_changed(&app);
    Ok(())
}

#[tauri::command]
pub async fn unlock_vault<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    password: String,
) -> ShellResult<()> {
    let password = self::password(password)?;
    let path = state.paths.vault.clone();
    if !backend::vault_exists(&path) {
        return Err(ShellError::NoVault);
    }
    let for_backups = password.clone();
    let mut vault = blocking(move || backend::unlock(&path, &password)).await?;
    state.backups.attach(&mut vault, &for_backups);
    crate::tray::attach(&app, &mut vault);
    *state.vault() = VaultState::Unlocked(Box::new(Unlocked::new(vault)));
    crate::tray::vault_changed(&app);
    Ok(())
}

#[tauri::command]
pub fn lock_vault<R: Runtime>(app: AppHandle<R>) {
    lock(&app);
}

#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> ShellResult<AccountList> {
    let now = now_ms();
    state.with_unlocked(|open| {
        let accounts =
            open.vault.accounts().iter().map(|a| account_view(open, a, now)).collect::<ShellResult<Vec<_>>>()?;
        Ok(AccountList { now, accounts })
    })
}

#[tauri::command]
pub async fn add_account(state: State<'_, AppState>, account: NewAccount) -> ShellResult<AddOutcome> {
    let account = account_from_input(&account, now_s())?;
    mutate_and_save(&state, move |accounts| Ok(insert_account(accounts, account.clone(), Vec::new()))).await
}

#[tauri::command]
pub fn preview_link(state: State<'_, AppState>, link: String) -> ShellResult<LinkPreview> {
    let (account, warnings) = backend::parse_link(link.trim(), now_s())?;
    let duplicates = state.with_unlocked(|open| Ok(duplicates_of(open.vault.accounts(), &account)))?;
    Ok(LinkPreview {
        issuer: account.issuer.clone(),
        name: account.name.clone(),
        kind: kind_view(&account.otp.kind),
        algorithm: algorithm_view(account.otp.algorithm),
        digits: account.otp.digits,
        period: account.otp.period(),
        warnings,
        duplicates,
    })
}

#[tauri::command]
pub async fn add_account_link(state: State<'_, AppState>, link: String) -> ShellResult<AddOutcome> {
    let (account, warnings) = backend::parse_link(link.trim(), now_s())?;
    mutate_and_save(&state, move |accounts| Ok(insert_account(accounts, account.clone(), warnings.clone()))).await
}

#[tauri::command]
pub async fn update_account(state: State<'_, AppState>, id: String, edit: AccountEdit) -> ShellResult<()> {
    let id = parse_id(&id)?;
    let now = now_s();
    mutate_and_save(&state, move |accounts| {
        let account = find_mut(accounts, id)?;
        account.issuer = edit.issuer.trim().to_string();
        account.name = edit.name.trim().to_string();
        account.groups = clean_groups(&edit.groups);
        account.note = edit.note.clone();
        account.favorite = edit.favorite;
        account.updated = now;
        Ok(())
    })
    .await
}

#[tauri::command]
pub async fn delete_account(state: State<'_, AppState>, id: String) -> ShellResult<()> {
    let id = parse_id(&id)?;
    mutate_and_save(&state, move |accounts| {
        let before = accounts.len();
        accounts.retain(|a| a.id != id);
        if accounts.len() == before { Err(ShellError::NotFound(id.to_string())) } else { Ok(()) }
    })
    .await?;
    let _ = state.with_unlocked(|open| {
        open.hotp_shown.remove(&id);
        Ok(())
    });
    Ok(())
}

/// Moves an account to position `to` of the manual order (0 = first) and renumbers the order.
#[tauri::command]
pub async fn move_account(state: State<'_, AppState>, id: String, to: u32) -> ShellResult<()> {
    let id = parse_id(&id)?;
    mutate_and_save(&state, move |accounts| {
        let mut order: Vec<(i64, AccountId)> = accounts.iter().map(|a| (a.order, a.id)).collect();
        order.sort();
        let from = order.iter().position(|(_, a)| *a == id).ok_or_else(|| ShellError::NotFound(id.to_string()))?;
        let entry = order.remove(from);
        let to = (to as usize).min(order.len());
        order.insert(to, entry);
        for (position, (_, account_id)) in order.iter().enumerate() {
            find_mut(accounts, *account_id)?.order = position as i64;
        }
        Ok(())
    })
    .await
}

/// Shows the next HOTP code: the advanced counter is saved before the code is returned.
#[tauri::command]
pub async fn next_hotp_code(state: State<'_, AppState>, id: String) -> ShellResult<String> {
    let id = parse_id(&id)?;
    let _order = state.save_order.lock().await;
    let mut vault = state.with_unlocked(|open| match find(open, id)?.otp.kind {
        OtpKind::Hotp { .. } => Ok(open.vault.clone()),
        _ => Err(ShellError::InvalidInput("only counter-based (HOTP) accounts have a next code".into())),
    })?;
    let now = now_s();
    let (vault, code) = blocking(move || {
        let code = backend::next_hotp(&mut vault, id, now)?;
        Ok((vault, code))
    })
    .await?;
    state.with_unlocked(|open| {
        open.vault = vault;
        open.hotp_shown.insert(id, Zeroizing::new(code.clone()));
        Ok(code)
    })
}

/// Copies an account's current code to the clipboard and schedules the clearing.
#[tauri::command]
pub fn copy_code<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, id: String) -> ShellResult<()> {
    copy_account_code(&app, &state, parse_id(&id)?)
}

#[tauri::command]
pub fn list_recovery_codes(state: State<'_, AppState>, id: String) -> ShellResult<Vec<RecoveryCodeView>> {
    let id = parse_id(&id)?;
    state.with_unlocked(|open| {
        Ok(find(open, id)?
            .recovery_codes
            .iter()
            .enumerate()
            .map(|(i, c)| RecoveryCodeView { index: i as u32, code: c.code.to_string(), used: c.used })
            .collect())
    })
}

/// Adds recovery codes, one per non-empty line of `codes`.
#[tauri::command]
pub async fn add_recovery_codes(state: State<'_, AppState>, id: String, codes: String) -> ShellResult<u32> {
    let id = parse_id(&id)?;
    let codes = Zeroizing::new(codes);
    let new: Vec<Zeroizing<String>> =
        codes.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Zeroizing::new(l.to_string())).collect();
    if new.is_empty() {
        return Err(ShellError::InvalidInput("no recovery codes to add".into()));
    }
    mutate_and_save(&state, move |accounts| {
        let account = find_mut(accounts, id)?;
        for code in &new {
            account.recovery_codes.push(twofold_core::model::RecoveryCode { code: code.clone(), used: false });
        }
        Ok(new.len() as u32)
    })
    .await
}

#[tauri::command]
pub async fn mark_recovery_code(state: State<'_, AppState>, id: String, index: u32, used: bool) -> ShellResult<()> {
    let id = parse_id(&id)?;
    mutate_and_save(&state, move |accounts| {
        let code = find_mut(accounts, id)?
            .recovery_codes
            .get_mut(index as usize)
            .ok_or_else(|| ShellError::InvalidInput(format!("no recovery code number {}", index + 1)))?;
        code.used = used;
        Ok(())
    })
    .await
}

/// Shows an account's key and link after checking the vault password again.
#[tauri::command]
pub async fn reveal_secret(state: State<'_, AppState>, id: String, password: String) -> ShellResult<RevealedSecret> {
    let id = parse_id(&id)?;
    let password = self::password(password)?;
    let vault = state.with_unlocked(|open| find(open, id).map(|_| open.vault.clone()))?;
    blocking(move || backend::check_password(&vault, &password)).await?;
    state.with_unlocked(|open| {
        let account = find(open, id)?;
        let link = backend::format_link(account);
        Ok(RevealedSecret { secret: account.secret.to_base32().to_string(), link: link.to_string() })
    })
}

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings()
}

#[tauri::command]
pub async fn update_settings<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    mut settings: Settings,
) -> ShellResult<()> {
    settings.validate().map_err(ShellError::InvalidInput)?;
    // The camera is remembered by the Add account dialog (`scan::start_camera`), never chosen on the settings
    // page: a page loaded before the latest choice must not undo it.
    settings.camera.clone_from(&state.settings().camera);
    let old_shortcut = state.settings().quick_switcher_shortcut;
    settings.quick_switcher_shortcut =
        crate::switcher::apply_setting(&app, old_shortcut.as_deref(), settings.quick_switcher_shortcut.as_deref())?;
    let path = state.paths.settings.clone();
    let to_write = settings.clone();
    blocking(move || app_state::save_settings(&path, &to_write)).await?;
    apply_content_protection(&app, settings.content_protection);
    *state.settings.lock().unwrap_or_else(|p| p.into_inner()) = settings;
    Ok(())
}

/// Asks the platform to keep the window out of screen captures (a no-op where it cannot).
pub fn apply_content_protection<R: Runtime>(app: &AppHandle<R>, on: bool) {
    for window in app.webview_windows().values() {
        let _ = window.set_content_protected(on);
    }
}
