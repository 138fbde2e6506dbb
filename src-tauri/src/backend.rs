//! The shell's one seam to `twofold-core`: opening and saving the vault, computing codes, reading links.
//!
//! Every other module of the shell goes through these functions, so the commands stay the same whatever the
//! core's exact API is. Functions marked *slow* run Argon2 or file I/O: callers run them on a blocking thread
//! and never while holding the state lock.

use std::path::Path;
use std::sync::Arc;

use twofold_core::backup::{self, RestoreMode, RestoreSummary};
use twofold_core::vault::{KdfParams, Vault, VaultContents, VaultError, VaultStore};
use twofold_core::{Account, AccountId, OtpParams, otp, uri};
use zeroize::Zeroizing;

use crate::error::{ShellError, ShellResult};

/// Called with the saved contents after every successful save (automatic backups and the tray menu hang here).
pub type SaveHook = Arc<dyn Fn(&VaultContents) + Send + Sync>;

/// An unlocked vault. The core's [`Vault`] is `Clone` by design: the shell clones it out of the state lock for
/// a slow save and puts the saved one back.
#[derive(Clone)]
pub struct OpenVault {
    vault: Vault,
    on_save: Vec<SaveHook>,
}

impl OpenVault {
    fn new(vault: Vault) -> Self {
        Self { vault, on_save: Vec::new() }
    }

    pub fn accounts(&self) -> &[Account] {
        &self.vault.contents().accounts
    }

    pub fn contents(&self) -> &VaultContents {
        self.vault.contents()
    }

    /// Every later save of this vault (and of its clones) calls `hook` with the saved contents, after the
    /// hooks added before it.
    pub fn add_on_save(&mut self, hook: SaveHook) {
        self.on_save.push(hook);
    }

    /// The one place that hears of every save.
    fn saved(&self) {
        for hook in &self.on_save {
            hook(self.vault.contents());
        }
    }
}

impl From<VaultError> for ShellError {
    fn from(error: VaultError) -> Self {
        match error {
            VaultError::WrongPassword => ShellError::WrongPassword,
            VaultError::EmptyPassword => ShellError::InvalidInput("the password is empty".into()),
            VaultError::NotFound { .. } => ShellError::NoVault,
            VaultError::AlreadyExists { path } => ShellError::VaultExists(path.display().to_string()),
            VaultError::UnknownAccount { id } => ShellError::NotFound(id.to_string()),
            other => ShellError::Vault(other.to_string()),
        }
    }
}

/// Whether a vault file exists at `path`.
pub fn vault_exists(path: &Path) -> bool {
    VaultStore::new(path).exists()
}

/// Creates a new, empty vault protected by `password`, at the default Argon2id cost. *Slow.*
pub fn create(path: &Path, password: &Zeroizing<String>) -> ShellResult<OpenVault> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| ShellError::Io(format!("cannot create {}: {e}", dir.display())))?;
    }
    Ok(OpenVault::new(VaultStore::new(path).create(password, KdfParams::DEFAULT, &VaultContents::new())?))
}

/// Opens the vault at `path`. *Slow.*
pub fn unlock(path: &Path, password: &Zeroizing<String>) -> ShellResult<OpenVault> {
    Ok(OpenVault::new(VaultStore::new(path).unlock(password)?))
}

/// Checks `password` against the open vault (for revealing a key). *Slow.*
pub fn check_password(vault: &OpenVault, password: &Zeroizing<String>) -> ShellResult<()> {
    if vault.vault.check_password(password)? { Ok(()) } else { Err(ShellError::WrongPassword) }
}

/// Applies `change` to the accounts and saves the vault (the core reloads first if another program saved
/// meanwhile, so nothing is lost). Nothing is saved when `change` fails. *Slow.*
pub fn update<T>(vault: &mut OpenVault, mut change: impl FnMut(&mut Vec<Account>) -> ShellResult<T>) -> ShellResult<T> {
    let value = vault.vault.update(|contents: &mut VaultContents| change(&mut contents.accounts))?;
    vault.saved();
    Ok(value)
}

/// Restores a backup's accounts into the vault with `mode` (the core re-reads the file first). A merge that
/// adds nothing saves nothing. *Slow.*
pub fn restore(vault: &mut OpenVault, backup: &VaultContents, mode: RestoreMode) -> ShellResult<RestoreSummary> {
    let summary = backup::restore_into(&mut vault.vault, backup, mode).map_err(|e| match e {
        backup::BackupError::Vault(error) => ShellError::from(error),
        other => ShellError::Vault(other.to_string()),
    })?;
    if summary.added + summary.replaced + summary.removed > 0 {
        vault.saved();
    }
    Ok(summary)
}

/// Advances an HOTP account's counter, saves, and returns the code for the counter that was current. *Slow.*
pub fn next_hotp(vault: &mut OpenVault, id: AccountId, now: i64) -> ShellResult<String> {
    let counter = vault.vault.advance_hotp(id, now)?;
    vault.saved();
    let account = vault.accounts().iter().find(|a| a.id == id).ok_or_else(|| ShellError::NotFound(id.to_string()))?;
    let code = otp::code_at_counter(&account.secret, &account.otp, counter)
        .map_err(|e| ShellError::InvalidInput(e.to_string()))?;
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
    let current = otp::code(&account.secret, &account.otp, now).map_err(|e| ShellError::InvalidInput(e.to_string()))?;
    let window = current
        .window
        .ok_or_else(|| ShellError::InvalidInput(format!("{} is not time-based", account.display_name())))?;
    let next = otp::code(&account.secret, &account.otp, window.valid_until)
        .map_err(|e| ShellError::InvalidInput(e.to_string()))?;
    Ok(CodeWindow {
        code: current.code,
        valid_from: window.valid_from.saturating_mul(1000),
        valid_until: window.valid_until.saturating_mul(1000),
        next_code: next.code,
    })
}

/// Parses an `otpauth://` link into a new account (fresh id, created at `now` Unix seconds) and warnings.
pub fn parse_link(link: &str, now: i64) -> ShellResult<(Account, Vec<String>)> {
    let parsed = uri::parse(link).map_err(|e| ShellError::InvalidInput(e.to_string()))?;
    let warnings = parsed.warnings.iter().map(ToString::to_string).collect();
    Ok((parsed.into_account(now), warnings))
}

/// The `otpauth://` link of an account (it contains the key: only for `reveal_secret`).
pub fn format_link(account: &Account) -> Zeroizing<String> {
    uri::format(account)
}

/// Checks OTP parameters typed by the user, with the core's rules and messages.
pub fn validate_params(params: &OtpParams) -> ShellResult<()> {
    params.validate().map_err(|e| ShellError::InvalidInput(e.to_string()))
}

/// The QR code of an account's `otpauth://` link as a greyscale PNG, `scale` pixels per module (it contains the
/// key: only for `show_account_qr`).
pub fn link_qr_png(account: &Account, scale: u32) -> ShellResult<Zeroizing<Vec<u8>>> {
    let link = uri::format(account);
    let qr = twofold_core::export::qr::QrMatrix::encode(&link).map_err(|e| ShellError::InvalidInput(e.to_string()))?;
    qr.to_png(scale).map_err(|e| ShellError::Io(e.to_string()))
}
