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
];
const TEST_TOOLS: &[&str] = &[
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "xclip",
    "xsel",
    "imagemagick",
    "dbus-x11",
    "at-spi2-core",
    "zbar-tools",
    "keepassxc",
    // libfuzzer-sys compiles libFuzzer (C++) when `test` checks that the fuzz crate builds.
    "g++",
];
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

/// Runs a command, turning a non-zero exit into an error that names it.
pub fn run(command: &mut Command) -> Result<(), String> {
    let shown = format!("{command:?}");
    let status = command.status().map_err(|e| format!("could not start {shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed ({status})")) }
}

/// The workspace root (the parent of `xtask/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."))
}

/// The cargo binary that runs us, so a rustup toolchain override is honoured.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.current_dir(workspace_root());
    c
}
