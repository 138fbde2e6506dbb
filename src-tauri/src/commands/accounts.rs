//! The account list and everything done to one account: add, edit, delete, reorder, codes, recovery codes,
//! and showing its key or QR code after the vault password was typed again.

use tauri::{AppHandle, Runtime, State};
use twofold_core::{Account, AccountId, OtpKind, OtpParams, Secret};
use zeroize::Zeroizing;

use crate::error::{ErrorCode, ShellError, ShellResult};
use crate::ipc::{
    AccountEdit, AccountList, AccountQr, AccountView, AddOutcome, CodeShown, KeyCheck, KeyProblem, NewAccount,
    OtpKindView, RecoveryCodeView, RevealedSecret, StagedAccountView,
};
use crate::rt::{blocking, now_ms, now_s};
use crate::staging::{self, StagedAccount};
use crate::state::AppState;
use crate::text::{self, Key, Text};
use crate::vault::{self, find, find_mut, parse_id};

/// Pixels per QR module: about 300 px for a typical link, sharp on screen and easy for a phone to read.
const PIXELS_PER_MODULE: u32 = 6;

/// Builds an account from typed fields; the core checks the key (the strict rule for typed keys:
/// `Secret::parse_typed`) and the OTP parameters.
pub fn account_from_input(input: &NewAccount, now: i64) -> ShellResult<Account> {
    let secret = Secret::parse_typed(&input.secret)
        .map_err(|e| ShellError::coded(ErrorCode::InvalidInput, text::secret_error(&e)))?;
    let otp = match input.kind {
        OtpKindView::Totp => OtpParams {
            kind: OtpKind::Totp { period: input.period },
            algorithm: input.algorithm.into(),
            digits: input.digits,
        },
        OtpKindView::Hotp => OtpParams {
            kind: OtpKind::Hotp { counter: input.counter },
            algorithm: input.algorithm.into(),
            digits: input.digits,
        },
        OtpKindView::Steam => OtpParams::steam(),
    };
    vault::validate_params(&otp)?;
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

/// A failure that the code around it rules out (one account staged, none comes back): named by a short code
/// for a report, worded as an internal error.
fn internal(what: &'static str) -> ShellError {
    ShellError::coded(ErrorCode::Io, Text::new(Key::InternalFailure).with("what", what))
}

/// Adds one new account with its warnings, at the end of the manual order.
async fn add_one(state: &AppState, account: Account, warnings: Vec<Text>) -> ShellResult<AddOutcome> {
    vault::update_accounts(state, move |accounts| {
        let staged = StagedAccount { account: account.clone(), warnings: warnings.clone() };
        staging::insert(accounts, [staged]).pop().ok_or_else(|| internal("account_not_added"))
    })
    .await
}

#[tauri::command]
pub fn list_accounts(state: State<'_, AppState>) -> ShellResult<AccountList> {
    let now = now_ms();
    state.with_unlocked(|open| {
        let accounts = open
            .accounts()
            .iter()
            .map(|account| {
                let shown = match account.otp.kind {
                    OtpKind::Hotp { .. } => {
                        CodeShown::Hotp(open.hotp_shown.get(&account.id).map(|c| c.to_string()).unwrap_or_default())
                    }
                    _ => {
                        let w = vault::time_code(account, now)?;
                        CodeShown::Time {
                            code: w.code,
                            valid_from: w.valid_from,
                            valid_until: w.valid_until,
                            next_code: w.next_code,
                        }
                    }
                };
                Ok(AccountView::new(account, shown))
            })
            .collect::<ShellResult<Vec<_>>>()?;
        Ok(AccountList { now, accounts })
    })
}

#[tauri::command]
pub async fn add_account(state: State<'_, AppState>, account: NewAccount) -> ShellResult<AddOutcome> {
    let account = account_from_input(&account, now_s())?;
    add_one(&state, account, Vec::new()).await
}

/// The verdict on a key as it is typed in the Add dialog, before Add: what is wrong with it (the same rule
/// `add_account` applies), or the accounts that already have it with these parameters. Only the problem's
/// code, position and offending character come back, never the key.
#[tauri::command]
pub fn check_key(state: State<'_, AppState>, account: NewAccount) -> ShellResult<KeyCheck> {
    if let Err(error) = Secret::parse_typed(&account.secret) {
        return Ok(KeyCheck { problem: Some(KeyProblem::from(&error)), duplicates: Vec::new() });
    }
    // Parameters still being typed (digits 0 on the way to 8) are `add_account`'s to refuse: no duplicates yet.
    let Ok(account) = account_from_input(&account, now_s()) else {
        return Ok(KeyCheck { problem: None, duplicates: Vec::new() });
    };
    let staged = [StagedAccount { account, warnings: Vec::new() }];
    let known = state.with_unlocked(|open| Ok(staging::known_keys(open.accounts())))?;
    let duplicates = staging::Unmarked::of(&staged).mark(&known).pop().map(|v| v.duplicates).unwrap_or_default();
    Ok(KeyCheck { problem: None, duplicates })
}

/// What a pasted link would add, before it is added: duplicates and warnings marked as every intake marks them
/// (the vault's key prints are copied under the lock; the marking runs after it is released).
#[tauri::command]
pub fn preview_link(state: State<'_, AppState>, link: String) -> ShellResult<StagedAccountView> {
    let (account, warnings) = vault::parse_link(link.trim(), now_s())?;
    let known = state.with_unlocked(|open| Ok(staging::known_keys(open.accounts())))?;
    let staged = [StagedAccount { account, warnings }];
    staging::Unmarked::of(&staged).mark(&known).pop().ok_or_else(|| internal("nothing_to_preview"))
}

#[tauri::command]
pub async fn add_account_link(state: State<'_, AppState>, link: String) -> ShellResult<AddOutcome> {
    let (account, warnings) = vault::parse_link(link.trim(), now_s())?;
    add_one(&state, account, warnings).await
}

#[tauri::command]
pub async fn update_account(state: State<'_, AppState>, id: String, edit: AccountEdit) -> ShellResult<()> {
    let id = parse_id(&id)?;
    let now = now_s();
    vault::update_accounts(&state, move |accounts| {
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
    vault::update_accounts(&state, move |accounts| {
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
    vault::update_accounts(&state, move |accounts| {
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
    state.with_unlocked(|open| match find(open.accounts(), id)?.otp.kind {
        OtpKind::Hotp { .. } => Ok(()),
        _ => Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::OnlyHotpNext))),
    })?;
    let now = now_s();
    let code = vault::save_with(&state, move |vault| vault::next_hotp(vault, id, now)).await?;
    state.with_unlocked(|open| {
        open.hotp_shown.insert(id, Zeroizing::new(code.clone()));
        Ok(code)
    })
}

/// Copies an account's current code to the clipboard and schedules the clearing.
#[tauri::command]
pub fn copy_code<R: Runtime>(app: AppHandle<R>, id: String) -> ShellResult<()> {
    vault::copy_code(&app, parse_id(&id)?)
}

/// An account's recovery codes, masked: each with its position, whether it was used and its last characters
/// to tell them apart. The codes themselves come only from [`reveal_recovery_codes`].
#[tauri::command]
pub fn list_recovery_codes(state: State<'_, AppState>, id: String) -> ShellResult<Vec<RecoveryCodeView>> {
    let id = parse_id(&id)?;
    state.with_unlocked(|open| Ok(recovery_views(find(open.accounts(), id)?, false)))
}

/// An account's recovery codes in full, after the vault password was typed again (they are as good as the
/// password of the account they recover).
#[tauri::command]
pub async fn reveal_recovery_codes(
    state: State<'_, AppState>,
    id: String,
    password: String,
) -> ShellResult<Vec<RecoveryCodeView>> {
    let id = parse_id(&id)?;
    state.with_unlocked(|open| find(open.accounts(), id).map(|_| ()))?;
    let vault = vault::after_password(&state, password).await?;
    Ok(recovery_views(find(&vault.contents().accounts, id)?, true))
}

fn recovery_views(account: &Account, revealed: bool) -> Vec<RecoveryCodeView> {
    account
        .recovery_codes
        .iter()
        .enumerate()
        .map(|(i, c)| RecoveryCodeView {
            index: i as u32,
            code: revealed.then(|| c.code.to_string()),
            hint: recovery_hint(&c.code),
            used: c.used,
        })
        .collect()
}

/// The last two characters of a code of eight or more (spaces and dashes left out), so that a list of masked
/// codes can be matched with the paper they came on; shorter codes show nothing.
fn recovery_hint(code: &str) -> String {
    let chars: Vec<char> = code.chars().filter(|c| c.is_alphanumeric()).collect();
    if chars.len() < 8 {
        return String::new();
    }
    chars[chars.len() - 2..].iter().collect()
}

/// How two spellings of one recovery code compare: spaces and letter case do not count.
fn code_key(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// Adds recovery codes, one per non-empty line of `codes`.
#[tauri::command]
pub async fn add_recovery_codes(state: State<'_, AppState>, id: String, codes: String) -> ShellResult<u32> {
    let id = parse_id(&id)?;
    let codes = Zeroizing::new(codes);
    let new: Vec<Zeroizing<String>> =
        codes.lines().map(str::trim).filter(|l| !l.is_empty()).map(|l| Zeroizing::new(l.to_string())).collect();
    if new.is_empty() {
        return Err(ShellError::coded(ErrorCode::InvalidInput, Text::new(Key::NoRecoveryCodes)));
    }
    vault::update_accounts(&state, move |accounts| {
        let account = find_mut(accounts, id)?;
        // A code is kept once (the list the webview sees is masked, so the check is here): one already saved,
        // or typed twice, is refused, naming the line typed.
        let mut seen: Vec<String> = account.recovery_codes.iter().map(|c| code_key(&c.code)).collect();
        let mut repeated = Vec::new();
        for code in &new {
            let key = code_key(code);
            if seen.contains(&key) {
                repeated.push(code.to_string());
            } else {
                seen.push(key);
            }
        }
        if !repeated.is_empty() {
            return Err(ShellError::coded(
                ErrorCode::InvalidInput,
                Text::new(Key::AlreadySaved).with("names", repeated.join(", ")),
            ));
        }
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
    vault::update_accounts(&state, move |accounts| {
        let code = find_mut(accounts, id)?.recovery_codes.get_mut(index as usize).ok_or_else(|| {
            ShellError::coded(
                ErrorCode::InvalidInput,
                Text::new(Key::NoRecoveryCodeNumber).with("number", (index + 1).to_string()),
            )
        })?;
        code.used = used;
        Ok(())
    })
    .await
}

/// Removes the recovery code at `index` (as `list_recovery_codes` numbers them), e.g. one typed by mistake.
#[tauri::command]
pub async fn remove_recovery_code(state: State<'_, AppState>, id: String, index: u32) -> ShellResult<()> {
    let id = parse_id(&id)?;
    vault::update_accounts(&state, move |accounts| {
        let codes = &mut find_mut(accounts, id)?.recovery_codes;
        if index as usize >= codes.len() {
            return Err(ShellError::coded(
                ErrorCode::InvalidInput,
                Text::new(Key::NoRecoveryCodeNumber).with("number", (u64::from(index) + 1).to_string()),
            ));
        }
        codes.remove(index as usize);
        Ok(())
    })
    .await
}

/// Shows an account's key and link after checking the vault password again.
#[tauri::command]
pub async fn reveal_secret(state: State<'_, AppState>, id: String, password: String) -> ShellResult<RevealedSecret> {
    let id = parse_id(&id)?;
    state.with_unlocked(|open| find(open.accounts(), id).map(|_| ()))?;
    let vault = vault::after_password(&state, password).await?;
    let account = find(&vault.contents().accounts, id)?;
    let link = vault::format_link(account);
    Ok(RevealedSecret { secret: account.secret.to_base32().to_string(), link: link.to_string() })
}

/// Draws an account's QR code (a PNG; the link it holds never crosses IPC as text) after checking the vault
/// password again.
#[tauri::command]
pub async fn show_account_qr(state: State<'_, AppState>, id: String, password: String) -> ShellResult<AccountQr> {
    let id = parse_id(&id)?;
    state.with_unlocked(|open| find(open.accounts(), id).map(|_| ()))?;
    let vault = vault::after_password(&state, password).await?;
    blocking(move || {
        let account = find(&vault.contents().accounts, id)?;
        let png = vault::link_qr_png(account, PIXELS_PER_MODULE)?;
        let size = png_side(&png).ok_or_else(|| ShellError::coded(ErrorCode::Io, Text::new(Key::ExportImage)))?;
        let image = Zeroizing::new(format!("data:image/png;base64,{}", data_encoding::BASE64.encode(&png)));
        Ok(AccountQr { image: image.to_string(), size })
    })
    .await
}

/// The width of a PNG, from its header (our QR images are square).
fn png_side(png: &[u8]) -> Option<u32> {
    let width: [u8; 4] = png.get(16..20)?.try_into().ok()?;
    Some(u32::from_be_bytes(width))
}
