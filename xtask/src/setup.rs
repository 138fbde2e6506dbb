//! Installs what the other tasks need on a Debian or Ubuntu machine, and nothing that is already there.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Which groups of tools a task needs.
#[derive(Clone, Copy, Debug, Default)]
pub struct Need {
    /// Libraries to build the Tauri app (WebKitGTK and friends).
    pub app_build: bool,
    /// Xvfb, WebDriver, clipboard tools and the peers the tests and benchmarks compare against.
    pub test_tools: bool,
    /// libclang and V4L2 headers for the camera crate.
    pub camera_build: bool,
}

impl Need {
    pub fn all() -> Self {
        Self { app_build: true, test_tools: true, camera_build: true }
    }
}

const APP_BUILD: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "build-essential",
    "file",
    "libxdo-dev",
    "libssl-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "pkg-config",
    // xcap (screen capture in the Add account dialog) links PipeWire, GBM and EGL for Wayland capture.
    "libpipewire-0.3-dev",
    "libgbm-dev",
    "libegl-dev",
];
const TEST_TOOLS: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "xclip",
    "xsel",
    // The quick switcher's e2e test presses its global shortcut on the X server.
    "xdotool",
    "imagemagick",
    "dbus-x11",
    "at-spi2-core",
    "zbar-tools",
    "keepassxc",
    // The installed-package check registers the desktop entry and opens a link the way a desktop does.
    "xdg-utils",
    "desktop-file-utils",
    // The tray scenarios: an XEmbed tray host to show the icon in, and clicks and window closing from outside.
    "trayer",
    // libfuzzer-sys compiles libFuzzer (C++) when `test` checks that the fuzz crate builds.
    "g++",
    // The .rpm check (`rpm -qp`, `rpm2cpio`, `cpio`) and the AppStream metadata check (`appstreamcli`).
    "rpm",
    "rpm2cpio",
    "cpio",
    "appstream",
    // The sync tests' real servers (tests/src/servers/): two Syncthing instances on loopback, Apache with
    // mod_dav (the modules ship in apache2-bin) and rclone's WebDAV server, which differ in ETag handling.
    "syncthing",
    "apache2",
    "rclone",
];
/// Node.js for the UI build, when the machine has none (the UI needs Node 20 or newer).
const NODE: &[&str] = &["nodejs", "npm"];
const CAMERA_BUILD: &[&str] = &["libclang-dev", "clang", "libv4l-dev"];

pub fn setup(need: Need) -> Result<(), String> {
    let mut wanted: Vec<&str> = Vec::new();
    if need.app_build {
        wanted.extend(APP_BUILD);
    }
    if need.test_tools {
        wanted.extend(TEST_TOOLS);
    }
    if need.camera_build {
        wanted.extend(CAMERA_BUILD);
    }
    install_debian_packages(&wanted)
}

fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn install_debian_packages(wanted: &[&str]) -> Result<(), String> {
    if Command::new("dpkg-query").arg("--version").output().is_err() {
        eprintln!("xtask: not a Debian/Ubuntu system; install these yourself if the build fails: {}", wanted.join(" "));
        return Ok(());
    }
    let missing: Vec<&str> = wanted.iter().copied().filter(|p| !is_installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("xtask: installing system packages: {}", missing.join(" "));
    let root = is_root();
    let mut update = privileged(root, "apt-get");
    update.args(["update", "-qq"]);
    run(&mut update)?;
    let mut install = privileged(root, "apt-get");
    install
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(&missing)
        .env("DEBIAN_FRONTEND", "noninteractive");
    run(&mut install)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

fn privileged(root: bool, program: &str) -> Command {
    if root {
        Command::new(program)
    } else {
        let mut c = Command::new("sudo");
        c.arg(program);
        c
    }
}

/// Installs Node.js from the distribution when `node` is missing, then checks it is new enough for Vite.
pub fn ensure_node() -> Result<(), String> {
    if Command::new("node").arg("--version").output().is_err() {
        install_debian_packages(NODE)?;
    }
    let out = Command::new("node").arg("--version").output().map_err(|e| format!("cannot run node: {e}"))?;
    let version = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let major: u32 = version.trim_start_matches('v').split('.').next().and_then(|m| m.parse().ok()).unwrap_or(0);
    if major < 20 {
        return Err(format!(
            "Node.js {version} is too old for the UI build (Vite needs 20 or newer); install Node.js 20+ \
             (for example from NodeSource) and run this again"
        ));
    }
    Ok(())
}

/// Installs the UI's npm packages from `package-lock.json` when `node_modules` is missing or older than the lock.
pub fn npm_ci() -> Result<(), String> {
    ensure_node()?;
    let ui = workspace_root().join("ui");
    let lock = ui.join("package-lock.json");
    let installed = ui.join("node_modules").join(".package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&installed), modified(&lock)) {
        (Some(installed), Some(lock)) => installed >= lock,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    // `npm install --no-save` installs exactly the versions in the committed lock and leaves it untouched.
    // Not `npm ci`: npm 11 writes locks without the other platforms' optional packages (rollup's and the
    // Tauri CLI's per-platform binaries), and then `npm ci` refuses its own lock as "out of sync" on a fresh
    // clone.
    eprintln!("xtask: installing the UI's npm packages (npm install from package-lock.json)");
    run(Command::new("npm").args(["install", "--no-save", "--no-audit", "--no-fund"]).current_dir(&ui))
}

/// Builds the UI into `ui/dist`, rewriting only the files whose bytes changed. The app embeds those files with
/// `include_bytes!`, so Cargo recompiles it when one is newer than its last build: a plain `vite build` rewrites
/// them all, and every `run`, `test` or `e2e` recompiled the app even when the UI had not changed.
pub fn build_ui() -> Result<(), String> {
    let ui = workspace_root().join("ui");
    let staging = crate::test::target_dir().join("ui-dist");
    run(Command::new("npm")
        .args(["run", "--silent", "build", "--", "--emptyOutDir", "--outDir"])
        .arg(&staging)
        .current_dir(&ui))?;
    sync_dir(&staging, &ui.join("dist"))
}

/// Makes `to` hold exactly what `from` holds: new and changed files are copied, files `from` lacks are removed,
/// identical files (and their modification times) are left alone.
fn sync_dir(from: &Path, to: &Path) -> Result<(), String> {
    fn io(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
        move |e| format!("{}: {e}", path.display())
    }
    if to.is_file() {
        std::fs::remove_file(to).map_err(io(to))?;
    }
    std::fs::create_dir_all(to).map_err(io(to))?;
    let mut names = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (source, dest) = (entry.path(), to.join(entry.file_name()));
        names.insert(entry.file_name());
        if source.is_dir() {
            sync_dir(&source, &dest)?;
            continue;
        }
        let bytes = std::fs::read(&source).map_err(io(&source))?;
        if std::fs::read(&dest).ok().as_deref() == Some(&bytes[..]) {
            continue;
        }
        if dest.is_dir() {
            std::fs::remove_dir_all(&dest).map_err(io(&dest))?;
        }
        std::fs::write(&dest, &bytes).map_err(io(&dest))?;
    }
    for entry in std::fs::read_dir(to).map_err(io(to))? {
        let entry = entry.map_err(io(to))?;
        if !names.contains(&entry.file_name()) {
            let path = entry.path();
            let removed = if path.is_dir() { std::fs::remove_dir_all(&path) } else { std::fs::remove_file(&path) };
            removed.map_err(io(&path))?;
        }
    }
    Ok(())
}

/// Runs an npm script in `ui/`.
pub fn npm_run(script: &str) -> Result<(), String> {
    run(Command::new("npm").args(["run", "--silent", script]).current_dir(workspace_root().join("ui")))
}

/// Finds `tauri-driver`, installing it with cargo when missing.
pub fn ensure_tauri_driver() -> Result<(), String> {
    if Command::new("tauri-driver").arg("--help").output().is_ok() {
        return Ok(());
    }
    eprintln!("xtask: installing tauri-driver (cargo install tauri-driver --locked)");
    // Its own target folder: the workspace's build cache must not be invalidated by an unrelated install.
    run(Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())).args([
        "install",
        "tauri-driver",
        "--locked",
        "--version",
        "^2",
    ]))
}

/// Runs a command, turning a non-zero exit into an error that names it.
pub fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command.status().map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed ({status})")) }
}

/// The workspace root (the parent of `xtask/`).
///
/// `cargo xtask` (`cargo run -p xtask`) sets `CARGO_MANIFEST_DIR` when it starts us, and that is read first:
/// the compile-time value alone would point at another checkout when two clones share one `CARGO_TARGET_DIR`
/// and cargo finds this binary fresh.
pub fn workspace_root() -> PathBuf {
    let manifest_dir =
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    manifest_dir.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// The cargo binary that runs us, so a rustup toolchain override is honoured.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(workspace_root());
    c
}

#[cfg(test)]
mod tests;
