//! Twofold's desktop shell: a thin Tauri 2 layer between the web UI (`ui/`) and `twofold-core`.
//!
//! Entry points: [`run`] starts the app, [`configure`] registers the state, the commands and the listeners
//! (tests call it on Tauri's mock runtime). The layers, top to bottom (ARCHITECTURE.md has the rule; `cargo
//! xtask tidy` checks it):
//! - [`commands`], the IPC verbs (named only here), and the platform modules ([`tray`], [`session`],
//!   [`switcher`], [`deeplink`], [`clock`], [`window`]);
//! - the services: [`vault`] (open, lock, `save_with`, staging into the open vault, copying a code),
//!   [`camera`], [`dialog`], [`clipboard`], [`staging`], [`auto_backup`], [`sync`];
//! - [`state`] (`AppState`) with the state types [`idle`] (the auto-lock's deadline) and [`seen`] (what this
//!   computer saw of its vaults); then [`ipc`], [`error`], [`rt`] and the core.

pub mod auto_backup;
pub mod camera;
pub mod clipboard;
pub mod clock;
mod commands;
pub mod deeplink;
pub mod dialog;
pub mod error;
pub mod follow;
pub mod iconpacks;
pub mod idle;
pub mod ipc;
pub mod keyring_unlock;
pub mod rt;
pub mod seen;
pub mod session;
pub mod staging;
pub mod state;
pub mod switcher;
pub mod sync;
pub mod text;
pub mod tray;
pub mod vault;
pub mod window;

#[cfg(test)]
mod testing;

use tauri::{App, Emitter, Manager, Runtime};

use crate::state::{AppState, Paths};

/// Every command the webview may call. The capability file (`capabilities/default.json`), `build.rs` and
/// `ui/src/lib/api.ts` name the same ones (`cargo xtask tidy` checks).
macro_rules! twofold_handler {
    () => {
        tauri::generate_handler![
            commands::vault::vault_status,
            commands::vault::create_vault,
            commands::vault::unlock_vault,
            commands::vault::lock_vault,
            commands::vault::report_activity,
            commands::keyring::keyring_status,
            commands::keyring::unlock_with_keyring,
            commands::keyring::enable_keyring_unlock,
            commands::keyring::disable_keyring_unlock,
            commands::vault::change_vault_password,
            commands::vault::restore_previous_vault,
            commands::accounts::list_accounts,
            commands::accounts::add_account,
            commands::accounts::check_key,
            commands::accounts::preview_link,
            commands::links::stage_link,
            commands::accounts::add_account_link,
            commands::accounts::update_account,
            commands::accounts::delete_account,
            commands::accounts::move_account,
            commands::accounts::next_hotp_code,
            commands::accounts::copy_code,
            commands::accounts::list_recovery_codes,
            commands::accounts::reveal_recovery_codes,
            commands::accounts::add_recovery_codes,
            commands::accounts::mark_recovery_code,
            commands::accounts::remove_recovery_code,
            commands::icons::account_icon,
            commands::icons::set_account_icon,
            commands::icons::remove_account_icon,
            commands::iconpacks::import_icon_pack,
            commands::iconpacks::list_icon_packs,
            commands::iconpacks::remove_icon_pack,
            commands::iconpacks::account_pack_icons,
            commands::iconpacks::pack_icon,
            commands::iconpacks::pack_icon_matches,
            commands::iconpacks::set_account_icon_from_pack,
            commands::accounts::reveal_secret,
            commands::accounts::show_account_qr,
            commands::settings::get_settings,
            commands::settings::update_settings,
            commands::settings::tray_status,
            commands::files::choose_file,
            commands::import::choose_import_file,
            commands::import::unlock_import_file,
            commands::import::import_accounts,
            commands::import::cancel_import,
            commands::backups::backup_now,
            commands::backups::check_backup_file,
            commands::backups::preview_restore,
            commands::backups::restore_backup,
            commands::backups::export_formats,
            commands::backups::export_accounts,
            commands::backups::show_transfer_codes,
            commands::backups::backup_status,
            commands::backups::set_auto_backup,
            commands::links::take_pending_link,
            commands::clock::check_clock,
            commands::scan::list_cameras,
            commands::scan::start_camera,
            commands::scan::stop_camera,
            commands::scan::scan_image,
            commands::scan::scan_clipboard,
            commands::scan::scan_screen,
            commands::scan::add_pending,
            commands::scan::discard_pending,
            commands::switcher::hide_window,
            commands::switcher::quick_switcher_status,
            commands::follow::follow_status,
            commands::follow::detect_follow_folder,
            commands::follow::follow_folder,
            commands::follow::set_follow_password,
            commands::follow::set_follow_enabled,
            commands::follow::stop_following,
            commands::follow::follow_now,
            commands::sync::sync_status,
            commands::sync::set_sync,
            commands::sync::sync_now,
            commands::sync::sync_copy_password,
            commands::sync::adopt_sync_password,
            commands::webdav::webdav_settings,
            commands::webdav::check_webdav,
            commands::webdav::set_webdav_sync,
        ]
    };
}

/// What [`run`] adds on a real desktop, after the listeners are wired.
type PlatformSetup<R> = Box<dyn FnOnce(&mut App<R>) -> Result<(), Box<dyn std::error::Error>> + Send>;

/// Registers the state and the commands; plugins that need a real desktop are added by [`run`]. The built app
/// then gets its listeners from [`wire`] (`run` calls it in its set-up, the tests' harness after building).
pub fn configure<R: Runtime>(builder: tauri::Builder<R>, paths: Paths) -> tauri::Builder<R> {
    builder
        .manage(AppState::new(paths))
        .manage(deeplink::PendingLinks::default())
        .manage(camera::CameraState::default())
        .manage(dialog::Files::default())
        .manage(clipboard::ClipboardMark::default())
        .manage(switcher::SwitcherState::default())
        .manage(tray::TrayMenu::default())
        .manage(keyring_unlock::KeyringState::default())
        .manage(follow::FollowWatch::default())
        .manage(std::sync::Arc::new(sync::SyncService::default()))
        .invoke_handler(twofold_handler!())
        .on_window_event(|window, event| {
            window::on_drop(window, event);
            tray::on_window_event(window, event);
        })
}

/// Wires who follows the vault: the camera stops and the tray menu is rebuilt on lock, unlock and save; the
/// idle auto-lock's timer starts; the phone's backup folders are watched while the vault is open.
pub fn wire<R: Runtime>(app: &tauri::AppHandle<R>) {
    camera::watch(app);
    tray::watch(app);
    session::watch_idle(app);
    follow::watch(app);
    sync::watch(app);
}

fn configure_with<R: Runtime>(
    builder: tauri::Builder<R>,
    paths: Paths,
    platform: PlatformSetup<R>,
) -> tauri::Builder<R> {
    configure(builder, paths).setup(move |app| {
        wire(app.handle());
        platform(app)
    })
}

/// Locks the vault on quit; a change waiting for its automatic backup is written now rather than lost with
/// the process.
fn lock_on_exit<R: Runtime>(app: &tauri::AppHandle<R>) {
    vault::lock(app);
    app.state::<AppState>().backups.run_pending(rt::now_s(), true);
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
    let fake_camera = camera::fake_camera_arg(std::env::args().skip(1))?;
    let choose_files = dialog::choose_files_arg(std::env::args().skip(1))?;
    let builder = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            if args.iter().any(|a| a == switcher::ARG_QUICK_SWITCHER) {
                switcher::bring_up(app);
            } else {
                window::show(app);
            }
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(switcher::plugin());
    let platform: PlatformSetup<tauri::Wry> = Box::new(move |app| {
        if let Some(path) = fake_camera {
            app.state::<camera::CameraState>().set_fake_camera(path);
        }
        if let Some(script) = choose_files {
            app.state::<dialog::Files>().set_script(script);
        }
        let protect = app.state::<AppState>().settings().content_protection;
        window::apply_content_protection(app.handle(), protect);
        session::watch(app.handle());
        deeplink::listen(app.handle(), std::env::args().skip(1));
        clock::schedule(app.handle().clone());
        switcher::register_saved(app.handle());
        tray::set_language(app.state::<AppState>().settings().language.as_deref());
        match tray::create(app.handle()) {
            Ok(()) => tray::watch_host(app.handle()),
            Err(e) => log::warn!("no tray icon ({e}): closing the window quits"),
        }
        Ok(())
    });
    let app = configure_with(builder, paths, platform)
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
