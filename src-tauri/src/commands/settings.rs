//! Reading and changing the settings (one store: `AppState::replace_settings`).

use tauri::{AppHandle, Manager, Runtime, State};

use crate::error::ShellResult;
use crate::ipc::{Settings, TrayStatus};
use crate::rt::blocking;
use crate::state::AppState;
use crate::{switcher, tray, window};

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Settings {
    state.settings()
}

#[tauri::command]
pub async fn update_settings<R: Runtime>(app: AppHandle<R>, mut settings: Settings) -> ShellResult<()> {
    settings
        .validate()
        .map_err(|detail| crate::error::ShellError::coded(crate::error::ErrorCode::InvalidInput, detail))?;
    let state = app.state::<AppState>();
    let old_shortcut = state.settings().quick_switcher_shortcut;
    settings.quick_switcher_shortcut =
        switcher::apply_setting(&app, old_shortcut.as_deref(), settings.quick_switcher_shortcut.as_deref())?;
    let handle = app.clone();
    let saved = blocking(move || {
        handle.state::<AppState>().replace_settings(move |current| {
            // The camera is remembered by the Add account dialog (`start_camera`), never chosen on the settings
            // page: a page loaded before the latest choice must not undo it. The backup folder is set only
            // through the folder chooser (`set_auto_backup`): the webview names no paths.
            let camera = current.camera.take();
            let folder = std::mem::take(&mut current.auto_backup_folder);
            // Sync is turned on and off by `set_sync` (Settings → Sync saves at once), never by this form.
            let (sync, sync_folder) = (current.sync, std::mem::take(&mut current.sync_folder));
            let sync_webdav = current.sync_webdav;
            *current = settings;
            current.camera = camera;
            current.auto_backup_folder = folder;
            current.sync = sync;
            current.sync_folder = sync_folder;
            current.sync_webdav = sync_webdav;
            Ok(())
        })
    })
    .await?;
    window::apply_content_protection(&app, saved.content_protection);
    // The tray menu speaks the window's language (issue 18).
    tray::set_language(saved.language.as_deref());
    tray::relabel(&app);
    Ok(())
}

/// Whether close to tray can work here: a tray host shows our icon (otherwise the setting is unavailable and
/// the Settings page says why).
#[tauri::command]
pub async fn tray_status<R: Runtime>(app: AppHandle<R>) -> ShellResult<TrayStatus> {
    let host = blocking(|| Ok(tray::host_present())).await?;
    if let Some(menu) = app.try_state::<tray::TrayMenu>() {
        menu.set_host(host);
    }
    Ok(TrayStatus { host })
}
