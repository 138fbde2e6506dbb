//! Showing an account's QR code, to move it to another authenticator app.
//!
//! Like `reveal_secret`, it needs the vault password again. The QR image (a PNG drawn in Rust by the core's
//! encoder) carries the account's `otpauth://` link, key included; the webview receives only the image, never
//! the link text.

use serde::Serialize;
use tauri::State;
use ts_rs::TS;
use zeroize::Zeroizing;

use crate::backend;
use crate::error::{ShellError, ShellResult};
use crate::state::AppState;

/// Pixels per QR module: about 300 px for a typical link, sharp on screen and easy for a phone to read.
const PIXELS_PER_MODULE: u32 = 6;

/// An account's QR code as a `data:image/png;base64,…` URL, returned only after the password was typed again.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AccountQr {
    pub image: String,
    /// Width and height of the image in pixels.
    pub size: u32,
}

impl std::fmt::Debug for AccountQr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccountQr(<redacted>)")
    }
}

/// Draws an account's QR code after checking the vault password again.
#[tauri::command]
pub async fn show_account_qr(state: State<'_, AppState>, id: String, password: String) -> ShellResult<AccountQr> {
    let id = uuid::Uuid::parse_str(&id).map(twofold_core::AccountId).map_err(|_| ShellError::NotFound(id.clone()))?;
    let password = Zeroizing::new(password);
    if password.is_empty() {
        return Err(ShellError::InvalidInput("the password is empty".into()));
    }
    let account = state.with_unlocked(|open| {
        let account = open.vault.accounts().iter().find(|a| a.id == id).cloned();
        account.map(|a| (a, open.vault.clone())).ok_or_else(|| ShellError::NotFound(id.to_string()))
    })?;
    tauri::async_runtime::spawn_blocking(move || {
        let (account, vault) = account;
        backend::check_password(&vault, &password)?;
        let png = backend::link_qr_png(&account, PIXELS_PER_MODULE)?;
        let size = png_side(&png).ok_or_else(|| ShellError::Io("the QR image was not drawn".into()))?;
        let image = Zeroizing::new(format!("data:image/png;base64,{}", data_encoding::BASE64.encode(&png)));
        Ok(AccountQr { image: image.to_string(), size })
    })
    .await
    .map_err(|e| ShellError::Io(format!("background task failed: {e}")))?
}

/// The width of a PNG, from its header (our QR images are square).
fn png_side(png: &[u8]) -> Option<u32> {
    let width: [u8; 4] = png.get(16..20)?.try_into().ok()?;
    Some(u32::from_be_bytes(width))
}
