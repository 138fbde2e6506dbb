//! Twofold's core library.
//!
//! Everything Twofold decides lives here: how one-time codes are computed, how `otpauth://` links are read
//! and written, how the vault is sealed and saved, how foreign backups are imported and our own exported,
//! and how QR codes are found in camera frames. There is no GUI, webview or camera dependency: the desktop
//! shell, the CLI and the camera crate only translate between their world and these functions.
//!
//! Time is always a parameter (`now` in Unix seconds, or an HOTP counter); nothing in this crate reads the
//! clock except where a function's name says so.

pub mod atomic;
pub mod backup;
mod crypto;
pub mod duplicates;
pub mod export;
pub mod follow;
pub mod icon;
pub mod iconpack;
pub mod import;
pub mod migration;
pub mod model;
pub mod otp;
pub mod qr;
pub mod secret;
pub mod sync;
pub mod time;
pub mod uri;
pub mod vault;
mod wipe;

pub use model::{Account, AccountId, Algorithm, OtpKind, OtpParams};
pub use secret::{Secret, SecretError};
