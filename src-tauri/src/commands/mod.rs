//! The IPC verbs, `verb_noun`, one module per area: the only things the webview can call. Each turns IPC into
//! calls of the services (`vault`, `staging`, `clipboard`, `dialog`, `camera`, `auto_backup`) and the core;
//! none decides anything about OTP, links or cryptography, and nothing but `lib.rs` names this module.

pub mod accounts;
pub mod backups;
pub mod clock;
pub mod files;
pub mod follow;
pub mod iconpacks;
pub mod icons;
pub mod import;
pub mod keyring;
pub mod links;
pub mod scan;
pub mod settings;
pub mod switcher;
pub mod sync;
pub mod vault;
pub mod webdav;

#[cfg(test)]
mod tests;
