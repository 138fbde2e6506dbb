//! `cargo xtask run`, `test` and `bench`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::setup::{self, Need, cargo, run, workspace_root};

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| workspace_root().join("target"))
}

fn has_display() -> bool {
    std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some()
}

/// The packages of every debug build of the app, in one `cargo build`: the app, the CLI and the end-to-end
/// runner. Always the same set, because Cargo unifies the features of shared dependencies over the packages of
/// one build: `run` used to build `twofold` alone and `test` these three, so each recompiled xcap, the
/// single-instance plugin and the app after the other (2 min 36 s).
pub const DEBUG_PACKAGES: [&str; 6] = ["--package", "twofold", "--package", "twofold-cli", "--package", "twofold-e2e"];

/// Builds the UI and then [`DEBUG_PACKAGES`] (debug); returns the app's path. `run`, `test`, `e2e`, `bench` and
/// `dist --debug` all build through here.
pub fn build_debug() -> Result<PathBuf, String> {
    setup::npm_ci()?;
    setup::build_ui()?;
    run(cargo().arg("build").args(DEBUG_PACKAGES))?;
    Ok(debug_app())
}

/// Builds and opens the app, installing what a fresh Debian/Ubuntu machine lacks.
pub fn run_app(args: &[String]) -> Result<(), String> {
    // The app links the camera crate and xcap, whose bindings are generated with libclang at build time.
    setup::setup(Need { app_build: true, test_tools: false, camera_build: true })?;
    let app = build_debug()?;
    if !has_display() {
        return Err(format!(
            "Twofold is built ({}) but there is no display to open its window on: run `cargo xtask run` from a \
             desktop session (DISPLAY or WAYLAND_DISPLAY must be set), or use `twofold-cli` in a terminal",
            app.display()
        ));
    }
    run(Command::new(&app).args(args))
}

/// Every check CI runs, in the order that fails fastest.
pub fn test_all(_args: &[String]) -> Result<(), String> {
    let started = Instant::now();
    let tree_before = TreeState::read(&workspace_root());
    // Text scanning only, so it goes first: it fails in a second instead of after the builds.
    crate::tidy::tidy(&[])?;
    setup::setup(Need { app_build: true, test_tools: true, camera_build: true })?;
    run(cargo().args(["fmt", "--all", "--check"]))?;
    // The app embeds the built UI, so the UI is built before anything compiles the shell.
    setup::npm_ci()?;
    setup::build_ui()?;
    run(cargo().args(["clippy", "--workspace", "--all-targets", "--quiet", "--", "-D", "warnings"]))?;

    // The shell's tests also export the IPC types; write them aside and compare, so stale ones fail.
    let exported = target_dir().join("ipc-check");
    let _ = std::fs::remove_dir_all(&exported);
    // Built first with no time limit (a cold build takes most of an hour on two cores); then the tests run
    // within one, so a hanging test fails the run in minutes. They take about three minutes here.
    run(cargo().args(["test", "--workspace", "--no-run", "--quiet"]).env("TS_RS_EXPORT_DIR", &exported))?;
    setup::run_within(
        cargo().args(["test", "--workspace"]).env("TS_RS_EXPORT_DIR", &exported),
        Duration::from_secs(20 * 60),
    )?;
    check_ipc_types(&exported, &workspace_root().join("ui/src/lib/ipc"))?;

    setup::npm_run("check")?;
    setup::npm_run("lint")?;
    setup::npm_run("test")?;

    // The cargo-fuzz crate is its own workspace (nightly only to run); keep it compiling and formatted on
    // stable. The bounded fuzz run of the normal test command is the proptest one in `cargo test`.
    run(cargo().args(["fmt", "--manifest-path", "fuzz/Cargo.toml", "--check"]))?;
    run(cargo().args(["check", "--quiet", "--manifest-path", "fuzz/Cargo.toml"]))?;

    build_debug()?;
    setup::ensure_tauri_driver()?;
    with_xvfb(|display| run(&mut e2e_command(display, &debug_app(), &[])))?;

    // The packages: the icons match the SVG, and the debug build bundled into a .deb and an .rpm, unpacked, has
    // everything in place and its installed app opens (the shortest scenario, on the installed binary).
    crate::dist::check_icons()?;
    let packages = crate::dist::bundle_debug()?;
    check_installed_deb(&packages.deb)?;
    check_installed_rpm(&packages.rpm)?;
    if let Some(before) = tree_before {
        let after = TreeState::read(&workspace_root()).ok_or("`git status` stopped working during the run")?;
        let changed = before.changed_in(&after);
        if !changed.is_empty() {
            return Err(format!(
                "the test run changed the source tree ({}): tests write into the target folder or a temporary \
                 one, never into the repository; find what wrote there and point it at `target/` instead",
                changed.join(", ")
            ));
        }
    }
    eprintln!("xtask: all checks passed in {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// What `git status` says about the tree, with a fingerprint of each file it lists, so that a file already
/// modified before the run and written again by it is seen too.
#[derive(Debug, PartialEq)]
struct TreeState(std::collections::BTreeMap<String, (String, Option<u64>)>);

impl TreeState {
    /// `None` outside a git checkout or without git: then there is nothing to compare.
    fn read(root: &Path) -> Option<Self> {
        let out = Command::new("git")
            .args(["status", "--porcelain", "--untracked-files=all"])
            .current_dir(root)
            .stderr(Stdio::null())
            .output()
            .ok()?;
        if !out.status.success() {
            return None;
        }
        let mut files = std::collections::BTreeMap::new();
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let (status, path) = (line.get(..2).unwrap_or_default(), line.get(3..).unwrap_or_default());
            let path = path.rsplit(" -> ").next().unwrap_or(path).trim_matches('"').to_string();
            let fingerprint = std::fs::read(root.join(&path)).ok().map(|bytes| {
                use std::hash::{Hash, Hasher};
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                bytes.hash(&mut hasher);
                hasher.finish()
            });
            files.insert(path, (status.to_string(), fingerprint));
        }
        Some(Self(files))
    }

    /// The files whose status or content differs between `self` and `later`, each with what happened.
    fn changed_in(&self, later: &Self) -> Vec<String> {
        let paths: std::collections::BTreeSet<&String> = self.0.keys().chain(later.0.keys()).collect();
        paths
            .into_iter()
            .filter(|path| self.0.get(*path) != later.0.get(*path))
            .map(|path| match later.0.get(path) {
                None => format!("{path} (restored)"),
                Some((status, _)) if status == "??" => format!("{path} (new)"),
                Some((status, _)) if status.contains('D') => format!("{path} (deleted)"),
                Some(_) => format!("{path} (modified)"),
            })
            .collect()
    }
}

/// Unpacks the `.deb`, checks what it installs and registers, and opens the installed app under Xvfb (the
/// shortest end-to-end scenario, on that binary), then clicks an `otpauth://` link at it through `xdg-open`
/// (the `installed_*` scenarios).
pub fn check_installed_deb(deb: &Path) -> Result<(), String> {
    setup::ensure_tauri_driver()?;
    let installed = crate::dist::check_deb(deb)?;
    with_xvfb(|display| {
        run(&mut e2e_command(display, &installed, &["--only", "opens_to_create_screen"]))?;
        run(&mut e2e_command(display, &installed, &["--only", "installed_"]))
    })
}

/// Unpacks the `.rpm`, checks what it installs and requires, and opens the installed app under Xvfb.
pub fn check_installed_rpm(rpm: &Path) -> Result<(), String> {
    setup::ensure_tauri_driver()?;
    let installed = crate::dist::check_rpm(rpm)?;
    with_xvfb(|display| run(&mut e2e_command(display, &installed, &["--only", "opens_to_create_screen"])))
}

/// `cargo xtask e2e [--only NAME]`: builds the UI, the app, the CLI and the runner, then runs the end-to-end
/// scenarios (all, or those whose name contains NAME) under Xvfb. The same run as the end of `test`.
pub fn e2e(args: &[String]) -> Result<(), String> {
    setup::setup(Need { app_build: true, test_tools: true, camera_build: true })?;
    build_debug()?;
    setup::ensure_tauri_driver()?;
    let extra: Vec<&str> = args.iter().map(String::as_str).collect();
    with_xvfb(|display| run(&mut e2e_command(display, &debug_app(), &extra)))
}

/// `cargo xtask fuzz [SECONDS] [--only NAME]`: runs every cargo-fuzz target (or those whose name contains NAME)
/// for SECONDS each (default 60) on the stable toolchain, then prints each target's executions. Not part of
/// `test`, which only checks that the targets compile.
///
/// libFuzzer's instrumentation needs `-Z` flags; `RUSTC_BOOTSTRAP=1` lets the stable compiler accept them, so no
/// nightly toolchain is needed. `cargo-fuzz` is installed with `cargo install` when missing. The corpus grows in
/// the build folder (never in the repository), seeded from the committed `fuzz/seeds/TARGET/` (and `tests/golden/` for the vault and backup readers).
pub fn fuzz(args: &[String]) -> Result<(), String> {
    let mut seconds: u32 = 60;
    let mut only: Option<&str> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--only" => only = Some(rest.next().ok_or("--only needs a target name")?),
            s => seconds = s.parse().map_err(|_| format!("`{s}` is not a number of seconds"))?,
        }
    }
    ensure_cargo_fuzz()?;
    let targets: Vec<String> = fuzz_targets()?.into_iter().filter(|t| only.is_none_or(|o| t.contains(o))).collect();
    if targets.is_empty() {
        return Err("no fuzz target matches --only".into());
    }
    let fuzz_target_dir = target_dir().join("fuzz");
    let (mut results, mut failed) = (Vec::new(), Vec::new());
    for target in &targets {
        let corpus = fuzz_target_dir.join("corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("cannot create {}: {e}", corpus.display()))?;
        let seeds = workspace_root().join("fuzz/seeds").join(target);
        let mut command = fuzz_cargo();
        command.args(["fuzz", "run", "--target-dir"]).arg(&fuzz_target_dir).arg(target).arg(&corpus);
        if seeds.is_dir() {
            command.arg(&seeds);
        }
        // Our own golden vault and backup files are the readers' best seeds (read only: libFuzzer adds new
        // inputs to the first folder only).
        if target.contains("vault") || target.contains("backup") {
            command.arg(workspace_root().join("tests/golden"));
        }
        // A hang is a finding too: no input may take a minute.
        command.arg("--").arg(format!("-max_total_time={seconds}")).args(["-print_final_stats=1", "-timeout=60"]);
        if target.contains("link") {
            command.arg(format!("-dict={}", workspace_root().join("fuzz/links.dict").display()));
        }
        eprintln!("xtask: fuzzing {target} for {seconds} s");
        let output = command.stderr(Stdio::piped()).output().map_err(|e| format!("could not run cargo fuzz: {e}"))?;
        let log = String::from_utf8_lossy(&output.stderr);
        let log_path = fuzz_target_dir.join(format!("{target}.log"));
        let _ = std::fs::write(&log_path, log.as_bytes());
        if !output.status.success() {
            // Go on with the other targets: one finding should not hide the next.
            let tail: Vec<&str> = log.lines().rev().take(40).collect::<Vec<_>>().into_iter().rev().collect();
            eprintln!("{}", tail.join("\n"));
            failed.push(format!(
                "{target} ({}; the input is under fuzz/artifacts/{target}/, the log in {})",
                output.status,
                log_path.display()
            ));
            continue;
        }
        let stats = FuzzStats::read(&log).ok_or_else(|| format!("no final stats in {}", log_path.display()))?;
        results.push((target.clone(), stats, count_files(&corpus)));
    }
    println!("{:<18} {:>12} {:>8} {:>10} {:>8}", "target", "executions", "seconds", "exec/s", "corpus");
    for (target, stats, corpus) in results {
        let rate = stats.runs / stats.seconds.max(1);
        println!("{target:<18} {:>12} {:>8} {rate:>10} {corpus:>8}", stats.runs, stats.seconds);
    }
    if failed.is_empty() { Ok(()) } else { Err(format!("fuzzing found failures: {}", failed.join("; "))) }
}

/// The figures libFuzzer prints at the end of a run (`-print_final_stats=1`).
#[derive(Debug, PartialEq, Eq)]
pub struct FuzzStats {
    pub runs: u64,
    pub seconds: u64,
}

impl FuzzStats {
    /// Reads `Done N runs in S second(s)` from a libFuzzer log.
    pub fn read(log: &str) -> Option<Self> {
        let line = log.lines().rev().find(|l| l.starts_with("Done ") && l.contains(" runs in "))?;
        let mut words = line.split_whitespace();
        let runs = words.nth(1)?.parse().ok()?;
        let seconds = words.nth(2)?.parse().ok()?;
        Some(Self { runs, seconds })
    }
}

fn count_files(dir: &Path) -> usize {
    std::fs::read_dir(dir).map(|entries| entries.count()).unwrap_or(0)
}

/// The target names of `fuzz/Cargo.toml` (`[[bin]] name = "…"`).
fn fuzz_targets() -> Result<Vec<String>, String> {
    let manifest = workspace_root().join("fuzz/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let mut targets = Vec::new();
    let mut in_bin = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_bin = line == "[[bin]]";
        } else if in_bin && let Some(value) = line.strip_prefix("name") {
            let name = value.trim_start().trim_start_matches('=').trim().trim_matches('"');
            targets.push(name.to_string());
        }
    }
    Ok(targets)
}

/// Installs cargo-fuzz when `cargo fuzz` does not answer.
fn ensure_cargo_fuzz() -> Result<(), String> {
    let found = fuzz_cargo().args(["fuzz", "--version"]).output().is_ok_and(|o| o.status.success());
    if found {
        return Ok(());
    }
    eprintln!("xtask: installing cargo-fuzz (cargo install cargo-fuzz --locked)");
    run(fuzz_cargo().args(["install", "cargo-fuzz", "--locked"]))
}

/// `cargo` for cargo-fuzz: the stable toolchain told to accept the `-Z` flags libFuzzer's instrumentation needs.
fn fuzz_cargo() -> Command {
    let mut c = cargo();
    c.env("RUSTC_BOOTSTRAP", "1");
    c
}

/// The app the end-to-end runner drives by default: the debug build.
fn debug_app() -> PathBuf {
    target_dir().join("debug").join("twofold")
}

/// The end-to-end runner on `app`, inside a private D-Bus session when one can be made (the single-instance plugin
/// talks D-Bus on Linux).
fn e2e_command(display: &str, app: &Path, extra: &[&str]) -> Command {
    let e2e = target_dir().join("debug").join("twofold-e2e");
    let mut c = if Command::new("dbus-run-session").arg("--version").output().is_ok() {
        let mut c = Command::new("dbus-run-session");
        c.arg("--").arg(e2e);
        c
    } else {
        Command::new(e2e)
    };
    c.arg("--app").arg(app).args(extra).env("DISPLAY", display).current_dir(workspace_root());
    c
}

/// Fails when the committed TypeScript IPC types differ from what the Rust types export now.
fn check_ipc_types(fresh: &Path, committed: &Path) -> Result<(), String> {
    let list = |dir: &Path| -> Result<Vec<(String, String)>, String> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.extension().is_some_and(|e| e == "ts") {
                let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                files.push((name, text));
            }
        }
        files.sort();
        Ok(files)
    };
    if list(fresh)? != list(committed)? {
        return Err(format!(
            "the TypeScript IPC types in {} are stale: run `cargo test -p twofold` and commit the result",
            committed.display()
        ));
    }
    Ok(())
}

/// Whether display `:n` can be taken: no lock file, or a stale one left by an X server that was killed (the
/// process named in it is gone; Xvfb then replaces the lock itself).
fn display_free(n: u32) -> bool {
    match std::fs::read_to_string(format!("/tmp/.X{n}-lock")) {
        Err(_) => true,
        Ok(pid) => pid.trim().parse::<u32>().is_ok_and(|pid| !Path::new(&format!("/proc/{pid}")).exists()),
    }
}

/// Runs `f` with a private Xvfb display, stopped afterwards whatever happens.
pub fn with_xvfb(f: impl FnOnce(&str) -> Result<(), String>) -> Result<(), String> {
    let number = (99..140).find(|&n| display_free(n)).ok_or("no free X display number between :99 and :139")?;
    let display = format!(":{number}");
    let mut xvfb = XvfbGuard(
        Command::new("Xvfb")
            .args([display.as_str(), "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start Xvfb: {e}"))?,
    );
    let socket = format!("/tmp/.X11-unix/X{number}");
    let start = Instant::now();
    while !Path::new(&socket).exists() {
        if let Ok(Some(status)) = xvfb.0.try_wait() {
            return Err(format!("Xvfb {display} exited at start ({status})"));
        }
        if start.elapsed() > Duration::from_secs(15) {
            return Err(format!("Xvfb {display} did not start within 15 s"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let result = f(&display);
    drop(xvfb);
    result
}

struct XvfbGuard(Child);

impl Drop for XvfbGuard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Benchmarks: prints figures, asserts nothing about speed. `cargo xtask bench app` runs only the app
/// benchmark (start-up, unlock, 1,000 accounts, keyring, memory) on the release build, as people run it, and
/// refreshes `docs/screenshots/`; `cargo xtask bench app --debug` runs it on the debug build.
pub fn bench(args: &[String]) -> Result<(), String> {
    let app_only = args.first().is_some_and(|a| a == "app");
    let debug = args.iter().any(|a| a == "--debug");
    if !app_only {
        run(cargo().args(["bench", "--workspace"]).args(args))?;
    }
    setup::setup(Need { app_build: true, test_tools: true, camera_build: true })?;
    // The debug build brings the e2e runner; the release app is the one measured.
    build_debug()?;
    let app = if debug { debug_app() } else { crate::dist::build_release_app()? };
    setup::ensure_tauri_driver()?;
    with_xvfb(|display| run(&mut e2e_command(display, &app, &["--bench"])))
}

#[cfg(test)]
mod tests;
