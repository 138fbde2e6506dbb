//! `cargo xtask fresh-check`: the README's two commands on a stock Debian 12, as a newcomer with only `rustup`
//! runs them.
//!
//! It makes a minimal Debian 12 (bookworm) root with `debootstrap --variant=minbase` from the mirror this
//! machine's apt already uses, plus only what a Rust toolchain itself needs on a machine ([`BASE`]: what
//! rustup's installer downloads with, the linker it tells people to install, and git, which brought the clone),
//! copies in the Rust toolchain (rustup's `~/.rustup` toolchain and `~/.cargo/bin` proxies, no installed tools,
//! no registry), clones the committed repository into it, and inside a `chroot` runs:
//! 1. `cargo xtask run`, which must install what it needs, build, and open the window: it is given an X display
//!    (a private Xvfb outside the root, its socket bound in), and the check waits for a window named Twofold,
//!    takes a screenshot of it and closes the app;
//! 2. `cargo xtask test` with `CI=true`, the whole suite, with the peer fixtures bound in read-only beside the
//!    clone as `../shared`, as CI has them.
//!
//! It prints the wall time of each step and writes them, with the screenshot, to `<target>/fresh-check/`. It
//! needs root (debootstrap, chroot, mounts), takes well over an hour on two cores (everything is built from
//! nothing), and is not part of `cargo xtask test`. `--warm-cache` binds this machine's build cache into the
//! root, to check the system packages and Node.js quickly (the clone is still fresh, so the workspace's own
//! crates rebuild); `--keep` leaves the root in place afterwards.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::setup::{self, run, workspace_root};

/// Debian 12, the oldest system the README promises.
const SUITE: &str = "bookworm";
/// What a machine with a working rustup has besides the toolchain: curl and the CA certificates its installer
/// downloads with, the C linker and libc headers rustup says to install (nothing links without them; even
/// `cargo xtask` itself is linked before it can install anything), and git, which the clone came with.
const BASE: &str = "ca-certificates,curl,gcc,libc6-dev,git";
/// Where the clone and the fixtures go inside the root.
const SRC: &str = "/root/src";
/// Where `--warm-cache` binds this machine's build cache in the root.
const WARM_TARGET: &str = "/root/.cache/twofold/target";
/// The longest a step may take before the check gives up on it (a cold build on two cores is near an hour).
const STEP_LIMIT: Duration = Duration::from_secs(150 * 60);

pub fn fresh_check(args: &[String]) -> Result<(), String> {
    let warm = args.iter().any(|a| a == "--warm-cache");
    let keep = args.iter().any(|a| a == "--keep");
    if let Some(unknown) = args.iter().find(|a| !matches!(a.as_str(), "--warm-cache" | "--keep")) {
        return Err(format!("fresh-check: unknown option {unknown} (it takes --warm-cache and --keep)"));
    }
    if !setup::is_root() {
        return Err("fresh-check needs root: it runs debootstrap, chroot and mount".into());
    }
    let started = Instant::now();
    let out = crate::test::target_dir().join("fresh-check");
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    // Outside the build cache, which `--warm-cache` binds into the root.
    let root = std::env::temp_dir().join("twofold-fresh-root");
    // The checker's own tools, on this machine: the root gets none of them.
    setup::install_debian_packages(&["debootstrap", "xvfb", "xdotool", "imagemagick", "git"])?;
    let mirror = host_mirror()?;

    let mut figures: Vec<(String, Duration)> = Vec::new();
    clear_root(&root)?;
    let step = Instant::now();
    eprintln!("fresh-check: debootstrap {SUITE} into {} from {mirror}", root.display());
    run(Command::new("debootstrap")
        .args(["--variant=minbase", &format!("--include={BASE}"), SUITE])
        .arg(&root)
        .arg(&mirror)
        .stdout(Stdio::null()))?;
    figures.push(("debootstrap".into(), step.elapsed()));

    let step = Instant::now();
    copy_toolchain(&root)?;
    let clone = root.join(SRC.trim_start_matches('/')).join("twofold");
    std::fs::create_dir_all(clone.parent().unwrap_or(&root)).map_err(|e| format!("{}: {e}", clone.display()))?;
    run(Command::new("git").arg("clone").arg("--quiet").arg(workspace_root()).arg(&clone))?;
    std::fs::copy("/etc/resolv.conf", root.join("etc/resolv.conf")).map_err(|e| format!("resolv.conf: {e}"))?;
    // What Debian's installer writes, and debootstrap does not: without it `localhost` does not resolve.
    std::fs::write(root.join("etc/hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
        .map_err(|e| format!("hosts: {e}"))?;
    trust_what_this_machine_trusts(&root)?;
    figures.push(("toolchain and clone".into(), step.elapsed()));

    let mut mounts = Mounts { root: root.clone(), done: Vec::new() };
    mounts.bind_system()?;
    let shared = workspace_root().join("../shared");
    if shared.is_dir() {
        mounts.bind(&shared, &format!("{SRC}/shared"), true)?;
    }
    if warm {
        mounts.bind(&crate::test::target_dir(), WARM_TARGET, false)?;
    }

    let result = (|| {
        let step = Instant::now();
        open_the_app(&root, &mut mounts, &out, warm)?;
        figures.push(("cargo xtask run (to the window)".into(), step.elapsed()));
        let step = Instant::now();
        let mut test = in_root(&root, "cargo xtask test", warm);
        test.env("CI", "true");
        setup::run_within(&mut test, STEP_LIMIT)?;
        figures.push(("cargo xtask test".into(), step.elapsed()));
        Ok::<(), String>(())
    })();
    kill_processes_in(&root);
    drop(mounts);
    figures.push(("in all".into(), started.elapsed()));

    let mut summary = format!(
        "fresh-check on Debian {SUITE} ({} build cache): {}\n",
        if warm { "this machine's warm" } else { "no" },
        if result.is_ok() { "passed" } else { "FAILED" }
    );
    for (what, took) in &figures {
        summary.push_str(&format!("  {what:<34} {:>6.1} min\n", took.as_secs_f64() / 60.0));
    }
    if let Err(e) = &result {
        summary.push_str(&format!("  failure: {e}\n"));
    }
    eprint!("{summary}");
    let _ = std::fs::write(out.join("summary.txt"), &summary);
    if !keep {
        clear_root(&root)?;
    }
    result
}

/// The first `deb` mirror of this machine's apt sources (deb822 `URIs:` or a one-line `deb` entry), so the root
/// comes from the same place as this machine's packages.
fn host_mirror() -> Result<String, String> {
    let mut texts = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/etc/apt/sources.list.d") {
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        texts.extend(
            paths
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "sources" || e == "list"))
                .filter_map(|p| std::fs::read_to_string(p).ok()),
        );
    }
    texts.extend(std::fs::read_to_string("/etc/apt/sources.list").ok());
    for text in &texts {
        for line in text.lines().map(str::trim) {
            let uri = line.strip_prefix("URIs:").and_then(|rest| rest.split_whitespace().next()).or_else(|| {
                line.strip_prefix("deb ").and_then(|rest| rest.split_whitespace().find(|w| !w.starts_with('[')))
            });
            if let Some(uri) = uri.filter(|u| !u.contains("security")) {
                return Ok(uri.to_string());
            }
        }
    }
    Err("no Debian mirror found in /etc/apt/sources.list{,.d}".into())
}

/// The active rustup toolchain and rustup's proxies (`~/.cargo/bin`), copied to the same places in the root:
/// what `curl https://sh.rustup.rs | sh` leaves on a machine, and nothing else.
fn copy_toolchain(root: &Path) -> Result<(), String> {
    let home = PathBuf::from(std::env::var_os("HOME").ok_or("HOME is not set")?);
    let rustup = std::env::var_os("RUSTUP_HOME").map(PathBuf::from).unwrap_or_else(|| home.join(".rustup"));
    let cargo_home = std::env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|| home.join(".cargo"));
    let active = Command::new("rustup")
        .args(["show", "active-toolchain"])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| format!("cannot run rustup: {e}"))?;
    let active = String::from_utf8_lossy(&active.stdout);
    let toolchain = active.split_whitespace().next().ok_or("rustup names no active toolchain")?.to_string();
    let into_rustup = root.join("root/.rustup");
    std::fs::create_dir_all(into_rustup.join("toolchains")).map_err(|e| format!("{}: {e}", into_rustup.display()))?;
    // Hard links where the root is on the same disk: the toolchain is gigabytes and nothing writes to it.
    let toolchain_dir = rustup.join("toolchains").join(&toolchain);
    let linked = Command::new("cp").arg("-al").arg(&toolchain_dir).arg(into_rustup.join("toolchains")).status();
    if !linked.is_ok_and(|s| s.success()) {
        let _ = std::fs::remove_dir_all(into_rustup.join("toolchains").join(&toolchain));
        run(Command::new("cp").arg("-a").arg(&toolchain_dir).arg(into_rustup.join("toolchains")))?;
    }
    for file in ["settings.toml", "update-hashes"] {
        if rustup.join(file).exists() {
            run(Command::new("cp").arg("-a").arg(rustup.join(file)).arg(&into_rustup))?;
        }
    }
    let into_cargo = root.join("root/.cargo");
    std::fs::create_dir_all(&into_cargo).map_err(|e| format!("{}: {e}", into_cargo.display()))?;
    run(Command::new("cp").arg("-a").arg(cargo_home.join("bin")).arg(&into_cargo))?;
    // Tools a developer installed with `cargo install` are not part of a fresh toolchain.
    for proxy in std::fs::read_dir(into_cargo.join("bin")).map_err(|e| format!("{e}"))?.flatten() {
        let name = proxy.file_name().to_string_lossy().to_string();
        if !RUSTUP_PROXIES.contains(&name.as_str()) {
            let _ = std::fs::remove_file(proxy.path());
        }
    }
    Ok(())
}

/// The certificate authorities this machine's administrator added (`/usr/local/share/ca-certificates`), added to
/// the root the same way: a network that passes TLS through a proxy of its own (as this workplace's does)
/// needs them for crates.io and the npm registry, as any machine on that network would.
fn trust_what_this_machine_trusts(root: &Path) -> Result<(), String> {
    let local = Path::new("/usr/local/share/ca-certificates");
    let Ok(entries) = std::fs::read_dir(local) else { return Ok(()) };
    let into = root.join("usr/local/share/ca-certificates");
    std::fs::create_dir_all(&into).map_err(|e| format!("{}: {e}", into.display()))?;
    let mut added = false;
    for entry in entries.flatten() {
        if entry.path().extension().is_some_and(|e| e == "crt") {
            std::fs::copy(entry.path(), into.join(entry.file_name())).map_err(|e| format!("{e}"))?;
            added = true;
        }
    }
    if added {
        run(Command::new("chroot").arg(root).arg("update-ca-certificates").stdout(Stdio::null()))?;
    }
    Ok(())
}

/// The environment variables that point programs at the machine's certificate bundle (Node.js reads only its
/// own list without `NODE_EXTRA_CA_CERTS`): passed into the root when set here.
const TRUST_VARIABLES: &[&str] =
    &["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "SSL_CERT_DIR", "CURL_CA_BUNDLE", "GIT_SSL_CAINFO", "CARGO_HTTP_CAINFO"];

/// What rustup's installer puts in `~/.cargo/bin`.
const RUSTUP_PROXIES: &[&str] = &[
    "rustup",
    "cargo",
    "rustc",
    "rustdoc",
    "rust-gdb",
    "rust-gdbgui",
    "rust-lldb",
    "rls",
    "cargo-clippy",
    "clippy-driver",
    "cargo-fmt",
    "rustfmt",
    "rust-analyzer",
    "cargo-miri",
];

/// A shell in the root, in the clone, with a login's plain environment and only rustup's `PATH` added (and the
/// bound build cache as `CARGO_TARGET_DIR` with `--warm-cache`).
fn in_root(root: &Path, script: &str, warm: bool) -> Command {
    let mut command = Command::new("chroot");
    command
        .arg(root)
        .args(["/bin/bash", "-c", &format!("cd {SRC}/twofold && {script}")])
        .env_clear()
        .env("HOME", "/root")
        .env("USER", "root")
        .env("LANG", "C.UTF-8")
        .env("PATH", "/root/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    if warm {
        command.env("CARGO_TARGET_DIR", WARM_TARGET);
    }
    for name in TRUST_VARIABLES {
        if let Some(value) = std::env::var_os(name) {
            command.env(name, value);
        }
    }
    command
}

/// `cargo xtask run` on a display: waits for the Twofold window (or the command's end, a failure), takes a
/// screenshot, and stops the app.
fn open_the_app(root: &Path, mounts: &mut Mounts, out: &Path, warm: bool) -> Result<(), String> {
    crate::test::with_xvfb(|display| {
        mounts.bind(Path::new("/tmp/.X11-unix"), "/tmp/.X11-unix", false)?;
        let mut command = in_root(root, "cargo xtask run", warm);
        command.env("DISPLAY", display);
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = ProcessGroup(command.spawn().map_err(|e| format!("cannot start chroot: {e}"))?);
        let started = Instant::now();
        loop {
            if let Some(status) = child.0.try_wait().map_err(|e| e.to_string())? {
                return Err(format!("`cargo xtask run` ended ({status}) before a Twofold window opened"));
            }
            let found = Command::new("xdotool")
                .args(["search", "--onlyvisible", "--name", "^Twofold$"])
                .env("DISPLAY", display)
                .output()
                .is_ok_and(|o| o.status.success() && !o.stdout.is_empty());
            if found {
                break;
            }
            if started.elapsed() > STEP_LIMIT {
                return Err("no Twofold window within the step's limit".into());
            }
            std::thread::sleep(Duration::from_secs(2));
        }
        // Let the page paint its first screen before the picture.
        std::thread::sleep(Duration::from_secs(5));
        let shot = out.join("run.png");
        run(Command::new("import").args(["-window", "root"]).arg(&shot).env("DISPLAY", display))?;
        eprintln!("fresh-check: the window opened; screenshot {}", shot.display());
        drop(child);
        // The test command starts Xvfbs of its own in the root's /tmp.
        mounts.unmount("/tmp/.X11-unix");
        Ok(())
    })
}

/// A process started in its own group, killed with the whole group when dropped.
struct ProcessGroup(Child);

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        crate::setup::kill_group(self.0.id());
        let _ = self.0.wait();
    }
}

/// Mounts made under the root, undone in reverse order when dropped.
struct Mounts {
    root: PathBuf,
    done: Vec<PathBuf>,
}

impl Mounts {
    fn bind_system(&mut self) -> Result<(), String> {
        self.mount(&["-t", "proc", "proc"], "/proc")?;
        self.mount(&["-t", "sysfs", "sysfs"], "/sys")?;
        self.mount(&["--rbind", "/dev"], "/dev")?;
        // WebKit's processes share memory through /dev/shm; a private one keeps theirs out of the machine's.
        self.mount(&["-t", "tmpfs", "shm"], "/dev/shm")?;
        Ok(())
    }

    fn bind(&mut self, from: &Path, to: &str, read_only: bool) -> Result<(), String> {
        let from = from.canonicalize().map_err(|e| format!("{}: {e}", from.display()))?;
        let from = from.to_string_lossy().to_string();
        self.mount(&["--bind", &from], to)?;
        if read_only {
            let at = self.root.join(to.trim_start_matches('/'));
            run(Command::new("mount").args(["-o", "remount,bind,ro"]).arg(&at))?;
        }
        Ok(())
    }

    fn unmount(&mut self, to: &str) {
        let at = self.root.join(to.trim_start_matches('/'));
        if let Some(i) = self.done.iter().rposition(|m| *m == at) {
            let _ = Command::new("umount").args(["-R", "-l"]).arg(&at).status();
            self.done.remove(i);
        }
    }

    fn mount(&mut self, how: &[&str], to: &str) -> Result<(), String> {
        let at = self.root.join(to.trim_start_matches('/'));
        std::fs::create_dir_all(&at).map_err(|e| format!("{}: {e}", at.display()))?;
        run(Command::new("mount").args(how).arg(&at))?;
        self.done.push(at);
        Ok(())
    }
}

impl Drop for Mounts {
    fn drop(&mut self) {
        for at in self.done.iter().rev() {
            // Lazy, so a process that still holds a file there does not keep the mount (and the root) alive.
            let _ = Command::new("umount").args(["-R", "-l"]).arg(at).status();
        }
    }
}

/// Kills every process whose root directory is `root` (daemons the tests started and left, such as D-Bus).
fn kill_processes_in(root: &Path) {
    let Ok(root) = root.canonicalize() else { return };
    let Ok(entries) = std::fs::read_dir("/proc") else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if std::fs::read_link(entry.path().join("root")).is_ok_and(|r| r == root)
            && name.parse::<u32>().is_ok_and(|pid| pid > 1)
        {
            let _ = Command::new("sh").args(["-c", "kill -9 \"$0\"", &name]).status();
        }
    }
}

/// Removes a root left by an earlier run, after undoing any mount still under it: `rm -rf` must never walk
/// into a bound `/dev` or build cache.
fn clear_root(root: &Path) -> Result<(), String> {
    if !root.exists() {
        return Ok(());
    }
    kill_processes_in(root);
    let Ok(canonical) = root.canonicalize() else { return Ok(()) };
    let mounted = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let mut under: Vec<&str> = mounted
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|m| Path::new(m).starts_with(&canonical))
        .collect();
    under.sort_by_key(|m| std::cmp::Reverse(m.len()));
    for at in under {
        let _ = Command::new("umount").args(["-R", "-l", at]).status();
    }
    let still = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    if still.lines().filter_map(|l| l.split_whitespace().nth(1)).any(|m| Path::new(m).starts_with(&canonical)) {
        return Err(format!("{} still has mounts under it; not removing it", canonical.display()));
    }
    // One file system only: never cross into anything mounted after the check above.
    run(Command::new("rm").args(["-rf", "--one-file-system"]).arg(&canonical))
}
