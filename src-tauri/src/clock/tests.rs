//! Tests of `clock`.

use std::net::UdpSocket;
use std::time::{SystemTime, UNIX_EPOCH};

use super::*;

/// Seconds between 1900 (NTP's epoch) and 1970.
const NTP_UNIX_OFFSET: u64 = 2_208_988_800;

fn ntp_timestamp(t: SystemTime) -> [u8; 8] {
    let since = t.duration_since(UNIX_EPOCH).unwrap();
    let seconds = (since.as_secs() + NTP_UNIX_OFFSET) as u32;
    let fraction = ((u64::from(since.subsec_nanos()) << 32) / 1_000_000_000) as u32;
    let mut out = [0; 8];
    out[..4].copy_from_slice(&seconds.to_be_bytes());
    out[4..].copy_from_slice(&fraction.to_be_bytes());
    out
}

/// An SNTP server on 127.0.0.1 whose clock is `skew` ahead of ours (negative: behind). It answers
/// `replies` requests, then stops; returns its address.
fn skewed_server(skew_ms: i64, replies: usize) -> (String, std::thread::JoinHandle<()>) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let address = socket.local_addr().unwrap().to_string();
    let handle = std::thread::spawn(move || {
        for _ in 0..replies {
            let mut request = [0u8; 48];
            let Ok((n, from)) = socket.recv_from(&mut request) else { return };
            assert_eq!(n, 48, "an SNTP request is 48 bytes");
            let server_now = if skew_ms >= 0 {
                SystemTime::now() + Duration::from_millis(skew_ms as u64)
            } else {
                SystemTime::now() - Duration::from_millis(skew_ms.unsigned_abs())
            };
            let mut reply = [0u8; 48];
            reply[0] = 4 << 3 | 4; // no leap warning, version 4, mode 4 (server)
            reply[1] = 1; // stratum 1
            reply[2] = 6; // poll
            reply[3] = 0xEC; // precision
            reply[12..16].copy_from_slice(b"TEST");
            reply[16..24].copy_from_slice(&ntp_timestamp(server_now)); // reference
            reply[24..32].copy_from_slice(&request[40..48]); // originate = the client's transmit
            reply[32..40].copy_from_slice(&ntp_timestamp(server_now)); // receive
            reply[40..48].copy_from_slice(&ntp_timestamp(server_now)); // transmit
            socket.send_to(&reply, from).unwrap();
        }
    });
    (address, handle)
}

#[test]
fn a_server_42_s_ahead_means_our_clock_is_42_s_slow() {
    let (server, handle) = skewed_server(42_000, 1);
    let ahead = measure(&server, Duration::from_secs(5)).unwrap();
    handle.join().unwrap();
    // Loopback round trips take well under a second; the measurement is within that of the skew.
    assert!((ahead + 42.0).abs() < 1.0, "measured {ahead} s ahead");
    let check = check_from_ahead(ahead);
    assert_eq!(check.warning.as_deref(), Some("Your clock is 42 s slow; codes may be rejected"));
}

#[test]
fn a_server_behind_means_our_clock_is_fast() {
    let (server, handle) = skewed_server(-42_000, 1);
    let ahead = measure(&server, Duration::from_secs(5)).unwrap();
    handle.join().unwrap();
    assert!((ahead - 42.0).abs() < 1.0, "measured {ahead} s ahead");
    assert_eq!(warning(ahead).as_deref(), Some("Your clock is 42 s fast; codes may be rejected"));
}

#[test]
fn a_clock_within_the_tolerance_gets_no_warning() {
    let (server, handle) = skewed_server(2_000, 1);
    let ahead = measure(&server, Duration::from_secs(5)).unwrap();
    handle.join().unwrap();
    assert!((ahead + 2.0).abs() < 1.0, "measured {ahead} s ahead");
    assert_eq!(check_from_ahead(ahead).warning, None);
}

#[test]
fn a_silent_server_is_a_clear_error_after_the_timeout() {
    // Bound and never answering: the client's own timeout ends the wait.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let address = silent.local_addr().unwrap().to_string();
    let error = measure(&address, Duration::from_millis(300)).unwrap_err();
    assert!(error.starts_with(&format!("cannot ask the time server {address}")), "{error}");
    assert_eq!(measure("  ", TIMEOUT).unwrap_err(), "no time server is set");
}

#[test]
fn warnings_name_the_drift_in_a_readable_unit() {
    assert_eq!(warning(5.0), None);
    assert_eq!(warning(-5.0), None);
    assert_eq!(warning(f64::NAN), None);
    assert_eq!(warning(5.6).as_deref(), Some("Your clock is 6 s fast; codes may be rejected"));
    assert_eq!(warning(-119.0).as_deref(), Some("Your clock is 119 s slow; codes may be rejected"));
    assert_eq!(warning(600.0).as_deref(), Some("Your clock is 10 min fast; codes may be rejected"));
    assert_eq!(warning(-3.0 * 3600.0).as_deref(), Some("Your clock is 3 h slow; codes may be rejected"));
    assert_eq!(warning(3.0 * 86_400.0).as_deref(), Some("Your clock is 3 days fast; codes may be rejected"));
}

#[test]
fn old_settings_files_get_the_check_off_and_the_default_server() {
    let old = r#"{"clipboardClearSeconds": 10, "autoLockMinutes": 2, "privacyMode": true, "contentProtection": true}"#;
    let settings: crate::ipc::Settings = serde_json::from_str(old).unwrap();
    assert!(!settings.clock_check);
    assert_eq!(settings.clock_server, "pool.ntp.org");
    assert_eq!(settings.clipboard_clear_seconds, 10);
    assert_eq!(settings.validate(), Ok(()));
}

#[test]
fn the_server_setting_is_checked() {
    let with = |on: bool, server: &str| crate::ipc::Settings {
        clock_check: on,
        clock_server: server.into(),
        ..Default::default()
    };
    assert_eq!(with(true, "127.0.0.1:1123").validate(), Ok(()));
    assert_eq!(with(false, "").validate(), Ok(()));
    assert!(with(true, "").validate().is_err_and(|e| e.to_string().contains("needs a time server")));
    assert!(with(true, "pool ntp org").validate().is_err());
    assert!(with(true, "https://pool.ntp.org/").validate().is_err());
    assert!(with(true, &"a".repeat(300)).validate().is_err());
}

fn app_with_settings(name: &str, settings: Option<&str>) -> (tauri::App<tauri::test::MockRuntime>, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("twofold-clock-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    if let Some(settings) = settings {
        std::fs::write(dir.join("settings.json"), settings).unwrap();
    }
    let app = crate::configure(tauri::test::mock_builder(), crate::state::Paths::in_dir(&dir))
        .build(tauri::test::mock_context(tauri::test::noop_assets()))
        .unwrap();
    (app, dir)
}

/// With the check off (the default) nothing is sent anywhere and nothing is reported.
#[test]
fn the_check_is_off_by_default() {
    let (app, dir) = app_with_settings("off", None);
    let result = tauri::async_runtime::block_on(check_now(&app.state::<AppState>()));
    assert!(matches!(result, Ok(None)));
    let _ = std::fs::remove_dir_all(dir);
}

/// Turned on, the command asks the configured server and returns the warning.
#[test]
fn the_command_asks_the_configured_server() {
    let (server, handle) = skewed_server(-90_000, 1);
    let settings = format!(r#"{{"clockCheck": true, "clockServer": "{server}"}}"#);
    let (app, dir) = app_with_settings("on", Some(&settings));
    let check = tauri::async_runtime::block_on(check_now(&app.state::<AppState>())).unwrap().unwrap();
    handle.join().unwrap();
    assert!((check.ahead_ms - 90_000).abs() < 1000, "{check:?}");
    assert_eq!(check.warning.as_deref(), Some("Your clock is 90 s fast; codes may be rejected"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_check_result_serializes_for_the_webview() {
    let json = serde_json::to_value(check_from_ahead(42.4)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"aheadMs": 42_400, "warning": "Your clock is 42 s fast; codes may be rejected"})
    );
}
