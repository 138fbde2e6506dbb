//! Declares our commands to Tauri's ACL so the capability file can grant exactly them.

const COMMANDS: &[&str] = &[
    "vault_status",
    "create_vault",
    "unlock_vault",
    "lock_vault",
    "list_accounts",
    "add_account",
    "preview_link",
    "add_account_link",
    "update_account",
    "delete_account",
    "move_account",
    "next_hotp_code",
    "copy_code",
    "list_recovery_codes",
    "reveal_recovery_codes",
    "add_recovery_codes",
    "mark_recovery_code",
    "remove_recovery_code",
    "reveal_secret",
    "get_settings",
    "update_settings",
    "tray_status",
    "show_account_qr",
    "choose_import_file",
    "unlock_import_file",
    "import_accounts",
    "cancel_import",
    "choose_file",
    "backup_now",
    "check_backup_file",
    "preview_restore",
    "restore_backup",
    "export_formats",
    "export_accounts",
    "show_transfer_codes",
    "backup_status",
    "set_auto_backup",
    "take_pending_link",
    "check_clock",
    "list_cameras",
    "start_camera",
    "stop_camera",
    "scan_image",
    "scan_clipboard",
    "scan_screen",
    "add_pending",
    "discard_pending",
    "hide_window",
    "quick_switcher_status",
];

fn main() {
    let attributes = tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        // A build script reports failure by exiting non-zero with a message.
        println!("cargo::error={error:#}");
    }
}
