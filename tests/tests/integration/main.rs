//! The cross-crate tests, linked once: one module per former test binary, plus the helpers the `backup_*`
//! and `vault_*` modules share. Linking twofold-core (with bundled SQLite) once instead of twenty times
//! is most of the build time of `cargo test -p twofold-tests` after a core change.

mod backup_common;
mod vault_common;

mod backup_auto;
mod backup_format;
mod backup_golden;
mod backup_restore;
mod code_vectors;
mod export_aegis;
mod export_links;
mod export_qr;
mod follow_rounds;
mod import_fixtures;
mod import_robustness;
mod links;
mod migration_fixtures;
mod qr_camera;
mod qr_decode;
mod qr_formats;
mod rfc_vectors;
mod servers;
mod sync_crash;
mod sync_syncthing;
mod totp_rs_second_opinion;
mod vault_device;
mod vault_durability;
mod vault_golden;
mod vault_passwords;
mod vault_props;
mod vault_tamper;
mod webdav;
