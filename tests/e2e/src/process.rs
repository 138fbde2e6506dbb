//! The app processes the sessions start, and waiting for one to be gone before the next session opens.
//!
//! `DELETE /session` returns when WebKitWebDriver has closed the window, not when the app has exited; it kills
//! the app afterwards. A second `twofold` that starts while the first still owns the single-instance D-Bus name
//! hands its arguments over and exits, WebKitWebDriver then waits for a browser that never connects, and
//! `POST /session` times out. So a session ends only when its app process is gone and the name is free.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::webdriver::Result;

/// `tauri-plugin-single-instance`'s name on the session bus: the app's identifier (`src-tauri/tauri.conf.json`)
/// with `.SingleInstance`.
pub const SINGLE_INSTANCE_NAME: &str = "org.twofold.app.SingleInstance";

/// How long an app may take to exit after its session ended, and the single-instance name to be released.
const EXIT_WAIT: Duration = Duration::from_secs(30);

/// Waits until no process started by this runner (through tauri-driver and WebKitWebDriver) runs `app`, and no
/// one owns the single-instance name on the session bus.
pub fn wait_app_gone(app: &str) -> Result<()> {
    let started = Instant::now();
    loop {
        let running = app_processes(app);
        let owner = if running.is_empty() { name_owner(SINGLE_INSTANCE_NAME) } else { None };
        if running.is_empty() && owner.is_none() {
            return Ok(());
        }
        if started.elapsed() > EXIT_WAIT {
            return Err(match owner {
                None => format!(
                    "the app of the previous session (pid {running:?}) is still running {EXIT_WAIT:?} after its \
                     session ended"
                ),
                Some(owner) => format!(
                    "{SINGLE_INSTANCE_NAME} is still owned by {owner} {EXIT_WAIT:?} after the previous app exited: a \
                     new app would hand over to it and never open a window"
                ),
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Every process: pid → (parent pid, state letter).
fn table() -> HashMap<u32, (u32, String)> {
    let mut table = HashMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else { return table };
    for entry in entries.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // `pid (comm) state ppid …`; the command name may hold spaces and parentheses.
        let Some(after) = stat.rfind(')').map(|i| &stat[i + 1..]) else { continue };
        let mut fields = after.split_whitespace();
        let (Some(state), Some(ppid)) = (fields.next(), fields.next().and_then(|p| p.parse::<u32>().ok())) else {
            continue;
        };
        table.insert(pid, (ppid, state.to_string()));
    }
    table
}

/// A zombie has exited and closed its connections; only its parent's wait is left.
fn live(state: &str) -> bool {
    state != "Z" && state != "X"
}

/// The live processes under this one whose program is `app`.
pub fn app_processes(app: &str) -> Vec<u32> {
    let table = table();
    let me = std::process::id();
    let descends_from_me = |mut pid: u32| {
        for _ in 0..64 {
            match table.get(&pid) {
                Some(&(parent, _)) if parent == me => return true,
                Some(&(parent, _)) if parent > 1 => pid = parent,
                _ => return false,
            }
        }
        false
    };
    // The program as `/proc/<pid>/exe` names it: with every link resolved (`/bin/sleep` is `/usr/bin/sleep` on a
    // merged-/usr system).
    let program = std::fs::canonicalize(app).unwrap_or_else(|_| Path::new(app).to_path_buf());
    let mut found: Vec<u32> = table
        .iter()
        .filter(|(_, (_, state))| live(state))
        .map(|(&pid, _)| pid)
        .filter(|&pid| runs(pid, app, &program) && descends_from_me(pid))
        .collect();
    found.sort_unstable();
    found
}

/// The live children of `parent` whose program's file name is `name`.
pub fn children(parent: u32, name: &str) -> Vec<u32> {
    let mut found: Vec<u32> = table()
        .into_iter()
        .filter(|(pid, (ppid, state))| *ppid == parent && live(state) && program_named(*pid, name))
        .map(|(pid, _)| pid)
        .collect();
    found.sort_unstable();
    found
}

/// Whether `pid` is a live process whose program's file name is `name`.
pub fn is_alive(pid: u32, name: &str) -> bool {
    table().get(&pid).is_some_and(|(_, state)| live(state)) && program_named(pid, name)
}

fn program_named(pid: u32, name: &str) -> bool {
    std::fs::read_link(format!("/proc/{pid}/exe")).is_ok_and(|exe| exe.file_name().is_some_and(|n| n == name))
}

/// Whether process `pid`'s program is `app` (its first argument, or its executable).
/// Whether `pid` runs `app` (`program`: its path with links resolved): by its argv[0], or by its executable.
/// The executable decides for a process that has just been started: until it first runs, its command line
/// reads as empty (seen in 18 of 200 runs of the test below, under load).
fn runs(pid: u32, app: &str, program: &Path) -> bool {
    let argv0 = std::fs::read(format!("/proc/{pid}/cmdline"))
        .ok()
        .and_then(|c| c.split(|&b| b == 0).next().map(|a| String::from_utf8_lossy(a).to_string()));
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).ok();
    argv0.as_deref() == Some(app) || exe.as_deref() == Some(program)
}

/// The unique bus name that owns `name` on the session bus, if any (`None` too without a session bus or
/// `dbus-send`: then there is nothing to wait for).
pub fn name_owner(name: &str) -> Option<String> {
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS")?;
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.GetNameOwner",
        ])
        .arg(format!("string:{name}"))
        .stderr(Stdio::null())
        .output()
        .ok()?;
    // Without an owner the bus answers with an error (NameHasNoOwner) and dbus-send exits non-zero.
    if !out.status.success() {
        return None;
    }
    let reply = String::from_utf8_lossy(&out.stdout);
    reply.split('"').nth(1).map(str::to_string)
}

#[cfg(test)]
mod tests;
