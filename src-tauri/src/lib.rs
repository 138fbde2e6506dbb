//! Twofold's desktop shell: a thin Tauri 2 layer between the web UI (`ui/`) and `twofold-core`.
//!
//! [`commands`] are the only things the webview can call; [`ipc`] holds the types they exchange (exported to
//! TypeScript); [`state`] holds the vault behind one lock; [`backend`] is the single seam to the core.

pub mod account_qr;
pub mod backend;
pub mod backups;
pub mod clock;
pub mod commands;
pub mod deeplink;
pub mod error;
pub mod import;
pub mod ipc;
pub mod scan;
pub mod session;
pub mod state;
pub mod switcher;
pub mod tray;

use tauri::{Emitter, Manager, Runtime};

use crate::state::{AppState, Paths, VaultState};

/// Every command the webview may call. The capability file (`capabilities/default.json`) grants exactly these.
#[macro_export]
macro_rules! twofold_handler {
    () => {
        tauri::generate_handler![
            $crate::commands::vault_status,
            $crate::commands::create_vault,
            $crate::commands::unlock_vault,
            $crate::commands::lock_vault,
            $crate::commands::list_accounts,
            $crate::commands::add_account,
            $crate::commands::preview_link,
            $crate::commands::add_account_link,
            $crate::commands::update_account,
            $crate::commands::delete_account,
            $crate::commands::move_account,
            $crate::commands::next_hotp_code,
            $crate::commands::copy_code,
            $crate::commands::list_recovery_codes,
            $crate::commands::add_recovery_codes,
            $crate::commands::mark_recovery_code,
            $crate::commands::reveal_secret,
            $crate::commands::get_settings,
            $crate::commands::update_settings,
            $crate::account_qr::show_account_qr,
            $crate::import::choose_import_file,
            $crate::import::unlock_import_file,
            $crate::import::import_accounts,
            $crate::import::cancel_import,
            $crate::backups::choose_backup_folder,
            $crate::backups::backup_now,
            $crate::backups::check_backup_file,
            $crate::backups::preview_restore,
            $crate::backups::restore_backup,
            $crate::backups::export_accounts,
            $crate::backups::show_transfer_codes,
            $crate::backups::backup_status,
            $crate::backups::set_auto_backup,
            $crate::deeplink::take_pending_link,
            $crate::clock::check_clock,
            $crate::scan::list_cameras,
            $crate::scan::start_camera,
            $crate::scan::stop_camera,
            $crate::scan::scan_image,
            $crate::scan::scan_clipboard,
            $crate::scan::scan_screen,
            $crate::scan::add_pending,
            $crate::scan::discard_pending,
            $crate::switcher::hide_window,
            $crate::switcher::quick_switcher_status,
        ]
    };
}

/// Registers the state and the commands; plugins that need a real desktop are added by [`run`].
pub fn configure<R: Runtime>(builder: tauri::Builder<R>, paths: Paths) -> tauri::Builder<R> {
    builder
        .manage(AppState::new(paths))
        .manage(deeplink::PendingLinks::default())
        .manage(scan::ScanState::default())
        .manage(switcher::SwitcherState::default())
        .manage(tray::TrayMenu::default())
        .invoke_handler(twofold_handler!())
        .on_window_event(|window, event| {
            import::on_window_event(window, event);
            tray::on_window_event(window, event);
        })
}

/// Locks the vault and clears our code from the clipboard; used on quit.
fn lock_on_exit<R: Runtime>(app: &tauri::AppHandle<R>) {
    let state = app.state::<AppState>();
    *state.vault() = VaultState::Locked;
    state.backups.vault_locked();
    // A change waiting for its automatic backup is written now rather than lost with the process.
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    state.backups.run_pending(now, true);
    scan::forget(app);
    commands::clear_clipboard_if_ours(app, &state, None);
}

/// `--data-dir DIR` (or `--data-dir=DIR`): keep the vault and settings in `DIR` (tests, portable use).
pub fn data_dir_arg(mut args: impl Iterator<Item = String>) -> Result<Option<std::path::PathBuf>, String> {
    while let Some(arg) = args.next() {
        if arg == "--data-dir" {
            return args.next().map(|d| Some(d.into())).ok_or_else(|| "--data-dir needs a folder".to_string());
        }
        if let Some(dir) = arg.strip_prefix("--data-dir=") {
            return Ok(Some(dir.into()));
        }
    }
    Ok(None)
}

/// Starts the app. Returns an error (instead of panicking) when there is no display to open a window on.
pub fn run() -> Result<(), String> {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err("no display found (neither DISPLAY nor WAYLAND_DISPLAY is set): Twofold needs a desktop \
                    session; from a terminal without one, use `twofold-cli`"
            .into());
    }
    let paths = match data_dir_arg(std::env::args().skip(1))? {
        Some(dir) => Paths::in_dir(&dir),
        None => Paths::from_env().map_err(|e| e.to_string())?,
    };
    let fake_camera = scan::fake_camera_arg(std::env::args().skip(1))?;
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            if args.iter().any(|a| a == switcher::ARG_QUICK_SWITCHER) {
                switcher::bring_up(app);
            } else {
                tray::show_window(app);
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(switcher::plugin())
        .setup(move |app| {
            if let Some(path) = fake_camera {
                app.state::<scan::ScanState>().set_fake_camera(path);
            }
            let protect = app.state::<AppState>().settings().content_protection;
            commands::apply_content_protection(app.handle(), protect);
            session::watch(app.handle());
            deeplink::listen(app.handle(), std::env::args().skip(1));
            clock::schedule(app.handle().clone());
            switcher::register_saved(app.handle());
            if let Err(e) = tray::create(app.handle()) {
                log::warn!("no tray icon ({e}): closing the window quits");
            }
            Ok(())
        });
    let app = configure(builder, paths)
        .build(tauri::generate_context!())
        .map_err(|e| format!("cannot start the window: {e}"))?;
    app.run(|handle, event| {
        if let tauri::RunEvent::ExitRequested { .. } | tauri::RunEvent::Exit = event {
            // Give up the single-instance name first (nothing here prevents the exit): a launch from now on starts
            // afresh instead of handing its arguments to this instance, which is going away.
            tauri_plugin_single_instance::destroy(handle);
            lock_on_exit(handle);
            let _ = handle.emit(ipc::EVENT_VAULT_LOCKED, ());
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests;
