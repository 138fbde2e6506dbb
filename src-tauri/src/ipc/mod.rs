//! The types that cross IPC, exported to TypeScript (`ui/src/lib/ipc/`) by `ts-rs`, one module per area, with
//! their conversions from the core's types next to them.
//!
//! None of them carries an account's key: the UI gets codes, validity windows and metadata. Keys only travel
//! *into* the shell (typed by the user in [`NewAccount`]), and out only through [`RevealedSecret`] and
//! [`AccountQr`], which the shell returns after the vault password has been typed again.

mod accounts;
mod backups;
mod events;
mod files;
mod follow;
mod iconpacks;
mod import;
mod keyring;
mod platform;
mod scan;
mod settings;
mod sync;
mod webdav;

pub use accounts::*;
pub use backups::*;
pub use events::*;
pub use files::*;
pub use follow::*;
pub use iconpacks::*;
pub use import::*;
pub use keyring::*;
pub use platform::*;
pub use scan::*;
pub use settings::*;
pub use sync::*;
pub use webdav::*;
