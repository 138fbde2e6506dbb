//! `cargo xtask dist [--debug]` (the `.deb` and `.rpm` packages), `cargo xtask icons` (the PNGs from
//! `icons/twofold.svg`), and the checks of both packages that `cargo xtask test` runs.
//!
//! The package is made by Tauri's bundler (`@tauri-apps/cli`, a devDependency of `ui/`, a prebuilt binary):
//! `tauri build` for release, `tauri bundle --debug` over the debug build the tests already made. The CLI
//! binary goes in through `bundle.linux.deb.files` and `bundle.linux.rpm.files`, given on the command line
//! because its path depends on `CARGO_TARGET_DIR`. Both packages install the AppStream metadata
//! (`packaging/linux/org.twofold.app.metainfo.xml`), which the checks validate with `appstreamcli`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::setup::{self, Need, cargo, run, workspace_root};
use crate::test::target_dir;

/// The icon files we commit (what the bundler and the window use); `tauri icon` also writes Windows Store,
/// Android and iOS icons, which we do not ship.
const ICONS: &[&str] =
    &["32x32.png", "64x64.png", "128x128.png", "128x128@2x.png", "icon.png", "icon.icns", "icon.ico"];

/// The packages one bundler run makes.
pub struct Packages {
    pub deb: PathBuf,
    pub rpm: PathBuf,
}

/// The bundler's `--bundles` argument: every package we ship.
const BUNDLES: &str = "deb,rpm";

/// `cargo xtask dist [--debug] [--check]`: builds the UI, the app and the CLI, then the `.deb` and the `.rpm`;
/// prints their paths. `--check` then does what `cargo xtask test` does with them: unpack, inspect, launch
/// under Xvfb.
pub fn dist(args: &[String]) -> Result<(), String> {
    let (mut debug, mut check) = (false, false);
    for arg in args {
        match arg.as_str() {
            "--debug" => debug = true,
            "--check" => check = true,
            _ => return Err("usage: cargo xtask dist [--debug] [--check]".into()),
        }
    }
    // The app links the camera crate and xcap, whose bindings are generated with libclang at build time.
    setup::setup(Need { app_build: true, test_tools: false, camera_build: true })?;
    let packages = if debug {
        crate::test::build_debug()?;
        bundle_debug()?
    } else {
        setup::npm_ci()?;
        setup::build_ui()?;
        run(cargo().args(["build", "--release", "--package", "twofold-cli"]))?;
        let out = target_dir().join("release");
        // `tauri build` compiles the app in release with `tauri/custom-protocol` (assets served from the binary).
        run(tauri()
            .args(["build", "--ci", "--no-sign", "--bundles", BUNDLES, "--config"])
            .arg(files_config(&out.join("twofold-cli"))))?;
        find_packages(&out)?
    };
    println!("{}\n{}", packages.deb.display(), packages.rpm.display());
    if check {
        // The runner that drives the installed app, built with the same packages as every debug build.
        run(cargo().arg("build").args(crate::test::DEBUG_PACKAGES))?;
        crate::test::check_installed_deb(&packages.deb)?;
        crate::test::check_installed_rpm(&packages.rpm)?;
    }
    Ok(())
}

/// Builds the release app as `tauri build` makes it for the packages (`tauri/custom-protocol`, the UI in the
/// binary), without bundling; returns its path. The UI must be built already.
pub fn build_release_app() -> Result<PathBuf, String> {
    run(tauri().args(["build", "--ci", "--no-bundle"]))?;
    Ok(target_dir().join("release").join("twofold"))
}

/// Bundles the debug build (`target/debug/twofold` and `twofold-cli`, already built) into a `.deb` and an `.rpm`.
pub fn bundle_debug() -> Result<Packages, String> {
    let out = target_dir().join("debug");
    for binary in ["twofold", "twofold-cli"] {
        if !out.join(binary).is_file() {
            return Err(format!("{} is missing: build it first", out.join(binary).display()));
        }
    }
    // `--no-binary-patching`: the bundler would otherwise rewrite the debug binary in place (a marker for
    // Tauri's updater, which we do not use), under the feet of the e2e run that uses the same file.
    run(tauri()
        .args(["bundle", "--debug", "--ci", "--no-sign", "--no-binary-patching", "--bundles", BUNDLES, "--config"])
        .arg(files_config(&out.join("twofold-cli"))))?;
    find_packages(&out)
}

/// The Tauri CLI from `ui/node_modules`, run in `src-tauri/` so it finds `tauri.conf.json` there.
fn tauri() -> Command {
    let root = workspace_root();
    let mut c = setup::node_tool(root.join("ui/node_modules/.bin/tauri"));
    c.current_dir(root.join("src-tauri")).env("CARGO_TARGET_DIR", target_dir());
    c
}

/// Extra bundler configuration: both packages install `cli` as `/usr/bin/twofold-cli` (merged into the
/// `files` of `tauri.conf.json`, which add the metainfo).
fn files_config(cli: &Path) -> String {
    let files = format!(r#"{{"files":{{"/usr/bin/twofold-cli":{}}}}}"#, json_string(&cli.display().to_string()));
    format!(r#"{{"bundle":{{"linux":{{"deb":{files},"rpm":{files}}}}}}}"#)
}

/// A JSON string literal (xtask is plain `std`: no serde).
fn json_string(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The newest `.deb` and `.rpm` under `PROFILE_DIR/bundle/`.
fn find_packages(profile_dir: &Path) -> Result<Packages, String> {
    Ok(Packages { deb: find_package(profile_dir, "deb")?, rpm: find_package(profile_dir, "rpm")? })
}

/// The newest `PROFILE_DIR/bundle/KIND/*.KIND`.
fn find_package(profile_dir: &Path, kind: &str) -> Result<PathBuf, String> {
    let dir = profile_dir.join("bundle").join(kind);
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == kind))
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .ok_or_else(|| format!("the bundler made no .{kind} in {}", dir.display()))
}

/// `cargo xtask icons`: regenerates the committed PNG, ICO and ICNS icons from `icons/twofold.svg`;
/// `--check` only compares (as `test` does).
pub fn icons(args: &[String]) -> Result<(), String> {
    setup::npm_ci()?;
    match args {
        [] => {}
        [flag] if flag == "--check" => return check_icons(),
        _ => return Err("usage: cargo xtask icons [--check]".into()),
    }
    let fresh = generate_icons()?;
    let icons = workspace_root().join("icons");
    for name in ICONS {
        std::fs::copy(fresh.join(name), icons.join(name)).map_err(|e| format!("{name}: {e}"))?;
    }
    let _ = std::fs::remove_dir_all(&fresh);
    eprintln!("xtask: icons/ regenerated from icons/twofold.svg");
    Ok(())
}

/// Runs `tauri icon` on the SVG into a scratch folder and returns it.
fn generate_icons() -> Result<PathBuf, String> {
    let out = target_dir().join("icons-fresh");
    let _ = std::fs::remove_dir_all(&out);
    run(tauri().arg("icon").arg(workspace_root().join("icons/twofold.svg")).arg("--output").arg(&out))?;
    Ok(out)
}

/// Fails when the committed icons differ from what `tauri icon` makes of the SVG now. The ICNS file is left
/// out: `tauri icon` writes it differently on every run (the PNGs and the ICO are byte-for-byte stable).
pub fn check_icons() -> Result<(), String> {
    let fresh = generate_icons()?;
    let icons = workspace_root().join("icons");
    for name in ICONS.iter().filter(|n| !n.ends_with(".icns")) {
        let read = |dir: &Path| std::fs::read(dir.join(name)).map_err(|e| format!("{}: {e}", dir.join(name).display()));
        if read(&fresh)? != read(&icons)? {
            return Err(format!("icons/{name} is stale: run `cargo xtask icons` and commit the result"));
        }
    }
    let _ = std::fs::remove_dir_all(&fresh);
    Ok(())
}

/// Unpacks `deb` into a fresh folder (`dpkg -x`, no root needed) and checks what an install puts in place:
/// both programs on the PATH, the desktop entry (with the `otpauth` link handler, registered as the
/// handler the way an install does) and the icons. Returns
/// the installed app binary, for the caller to launch.
pub fn check_deb(deb: &Path) -> Result<PathBuf, String> {
    let root = target_dir().join("deb-root");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    run(Command::new("dpkg").arg("-x").arg(deb).arg(&root))?;

    // The tray loads libayatana-appindicator at run time: an install must pull it in with the webview.
    let out = Command::new("dpkg-deb").args(["-f"]).arg(deb).arg("Depends").output().map_err(|e| e.to_string())?;
    let depends = String::from_utf8_lossy(&out.stdout);
    for package in ["libwebkit2gtk-4.1-0", "libayatana-appindicator3-1"] {
        if !depends.split(',').any(|d| d.trim().split(' ').next() == Some(package)) {
            return Err(format!("the package does not depend on {package} (Depends: {})", depends.trim()));
        }
    }

    let applications = root.join("usr/share/applications");
    let entries: Vec<PathBuf> = std::fs::read_dir(&applications)
        .map_err(|e| format!("{}: {e} (no desktop entry in the package)", applications.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "desktop"))
        .collect();
    let [entry_path] = entries.as_slice() else {
        return Err(format!("expected one desktop entry in {}, found {entries:?}", applications.display()));
    };
    let entry = std::fs::read_to_string(entry_path).map_err(|e| format!("{}: {e}", entry_path.display()))?;
    check_desktop_entry(&entry)?;
    check_link_registration(&root, entry_path)?;
    check_metainfo(&root, entry_path)?;

    for (dir, size) in [("32x32", 32), ("128x128", 128), ("256x256@2", 256)] {
        let path = root.join(format!("usr/share/icons/hicolor/{dir}/apps/twofold.png"));
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        match png_size(&bytes) {
            Some((w, h)) if w == size && h == size => {}
            other => return Err(format!("{}: expected a {size}×{size} PNG, found {other:?}", path.display())),
        }
    }

    installed_programs(&root)
}

/// Both programs of an unpacked package: the CLI answers `--version`; returns the app's path.
fn installed_programs(root: &Path) -> Result<PathBuf, String> {
    let cli = root.join("usr/bin/twofold-cli");
    let out = Command::new(&cli).arg("--version").output().map_err(|e| format!("{}: {e}", cli.display()))?;
    let version = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() || !version.starts_with("twofold-cli ") {
        return Err(format!("`{} --version` printed `{}` ({})", cli.display(), version.trim(), out.status));
    }
    let app = root.join("usr/bin/twofold");
    if !app.is_file() {
        return Err(format!("{} is missing from the package", app.display()));
    }
    Ok(app)
}

/// Where both packages install the AppStream metadata.
const METAINFO: &str = "usr/share/metainfo/org.twofold.app.metainfo.xml";

/// The unpacked package's AppStream metadata validates (`appstreamcli validate`, no network: the screenshot
/// addresses are not fetched) and names the desktop entry the package installs as its launchable.
fn check_metainfo(root: &Path, entry_path: &Path) -> Result<(), String> {
    let path = root.join(METAINFO);
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e} (no AppStream metadata)", path.display()))?;
    let entry_name = entry_path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    if !text.contains(&format!(r#"<launchable type="desktop-id">{entry_name}</launchable>"#)) {
        return Err(format!("{}: the launchable is not the package's desktop entry {entry_name}", path.display()));
    }
    if !text.contains("<mediatype>x-scheme-handler/otpauth</mediatype>") {
        return Err(format!("{}: does not provide x-scheme-handler/otpauth", path.display()));
    }
    let out = Command::new("appstreamcli")
        .args(["validate", "--no-net", "--explain"])
        .arg(&path)
        .output()
        .map_err(|e| format!("cannot run appstreamcli ({e}); it is in the appstream package"))?;
    if !out.status.success() {
        return Err(format!(
            "appstreamcli validate {} failed:\n{}{}",
            path.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// What an `.rpm` must install, as `rpm -qlp` lists it.
const RPM_FILES: &[&str] = &[
    "/usr/bin/twofold",
    "/usr/bin/twofold-cli",
    "/usr/share/applications/Twofold.desktop",
    "/usr/share/metainfo/org.twofold.app.metainfo.xml",
    "/usr/share/icons/hicolor/128x128/apps/twofold.png",
];

/// What an `.rpm` must require: the webview's library by its soname, which rpmbuild derives from the binary and
/// every RPM distribution resolves whatever it names the package (Fedora `webkit2gtk4.1`, openSUSE
/// `libwebkit2gtk-4_1-0`), and the tray's indicator library, which the app loads at run time and so names itself.
const RPM_REQUIRES: &[&str] = &["libwebkit2gtk-4.1.so.0()(64bit)", "libayatana-appindicator-gtk3"];

/// Checks the `.rpm` the way [`check_deb`] checks the `.deb`: its file list and requirements (`rpm -qp`), then,
/// unpacked (`rpm2cpio | cpio`, no root needed), the desktop entry, the metadata and both programs. Returns the
/// installed app binary, for the caller to launch.
pub fn check_rpm(rpm: &Path) -> Result<PathBuf, String> {
    let query = |flag: &str| -> Result<Vec<String>, String> {
        let out = Command::new("rpm")
            .args(["-qp", flag])
            .arg(rpm)
            .output()
            .map_err(|e| format!("cannot run rpm ({e}); it is in the rpm package"))?;
        if !out.status.success() {
            return Err(format!("rpm -qp {flag} {} failed: {}", rpm.display(), String::from_utf8_lossy(&out.stderr)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).lines().map(|l| l.trim().to_string()).collect())
    };
    let files = query("--list")?;
    check_listed("files", &files, RPM_FILES, |line, want| line == want)?;
    let requires = query("--requires")?;
    check_listed("requirements", &requires, RPM_REQUIRES, |line, want| line.split_whitespace().next() == Some(want))?;

    let root = target_dir().join("rpm-root");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let archive = std::fs::File::create(root.join("payload.cpio")).map_err(|e| e.to_string())?;
    // rpm2cpio compares what it wrote with the header's archive size. The `rpm` crate Tauri's bundler uses
    // (rpm-rs) writes no such tag, so rpm2cpio exits 1 after writing the whole archive. Its status is trusted
    // only when the package states a size; otherwise cpio, which refuses an archive that stops before its
    // trailer ("premature end of archive"), is the judge.
    let unpacked = Command::new("rpm2cpio")
        .arg(rpm)
        .stdout(archive)
        .status()
        .map_err(|e| format!("cannot run rpm2cpio ({e}); it is in the rpm2cpio package"))?;
    let states_size = query("--queryformat=%{LONGARCHIVESIZE}")?.first().is_some_and(|s| s != "(none)");
    if !unpacked.success() && states_size {
        return Err(format!("rpm2cpio {} failed ({unpacked})", rpm.display()));
    }
    let archive = std::fs::File::open(root.join("payload.cpio")).map_err(|e| e.to_string())?;
    run(Command::new("cpio").args(["-idm", "--quiet", "--no-absolute-filenames"]).stdin(archive).current_dir(&root))?;
    let _ = std::fs::remove_file(root.join("payload.cpio"));

    let entry_path = root.join("usr/share/applications/Twofold.desktop");
    let entry = std::fs::read_to_string(&entry_path).map_err(|e| format!("{}: {e}", entry_path.display()))?;
    check_desktop_entry(&entry)?;
    check_metainfo(&root, &entry_path)?;
    installed_programs(&root)
}

/// Every one of `wanted` matches a line of `lines`.
fn check_listed(
    what: &str,
    lines: &[String],
    wanted: &[&str],
    matches: impl Fn(&str, &str) -> bool,
) -> Result<(), String> {
    let missing: Vec<&&str> = wanted.iter().filter(|w| !lines.iter().any(|l| matches(l, w))).collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("the .rpm's {what} lack {missing:?}; it lists:\n{}", lines.join("\n")))
    }
}

/// Registers the unpacked desktop entry as the package's install does on a real system (`update-desktop-database`
/// writes `mimeinfo.cache`), then asks `xdg-mime` which entry opens `otpauth://` links, in an environment that
/// sees only the unpacked root: both must name our entry.
fn check_link_registration(root: &Path, entry_path: &Path) -> Result<(), String> {
    let entry_name = entry_path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let scratch = target_dir().join("deb-xdg");
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    let query = || -> Result<String, String> {
        let out = Command::new("xdg-mime")
            .args(["query", "default", "x-scheme-handler/otpauth"])
            .env("XDG_CURRENT_DESKTOP", "X-Generic")
            .env("XDG_DATA_DIRS", root.join("usr/share"))
            .env("XDG_DATA_HOME", &scratch)
            .env("XDG_CONFIG_HOME", &scratch)
            .env("XDG_CONFIG_DIRS", &scratch)
            .output()
            .map_err(|e| format!("cannot run xdg-mime ({e}); it is in the xdg-utils package"))?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    let applications = root.join("usr/share/applications");
    run(Command::new("update-desktop-database").arg(&applications))?;
    // What desktops built on GIO read: the cache names our entry for the scheme.
    let cache_path = applications.join("mimeinfo.cache");
    let cache = std::fs::read_to_string(&cache_path).map_err(|e| format!("{}: {e}", cache_path.display()))?;
    let line = format!("x-scheme-handler/otpauth={entry_name};");
    if !cache.lines().any(|l| l.starts_with(&line)) {
        return Err(format!("{} has no `{line}`:\n{cache}", cache_path.display()));
    }
    // What `xdg-open` asks.
    let after = query()?;
    let _ = std::fs::remove_dir_all(&scratch);
    if after != entry_name {
        return Err(format!(
            "after update-desktop-database, xdg-mime names `{after}` for x-scheme-handler/otpauth, not `{entry_name}`"
        ));
    }
    eprintln!("xtask: the package's {entry_name} is the registered handler of otpauth:// links");
    Ok(())
}

/// The desktop entry starts `twofold` with the link (`%u`), shows our icon and handles `otpauth://` links.
fn check_desktop_entry(entry: &str) -> Result<(), String> {
    let key =
        |name: &str| entry.lines().find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix('='))).map(str::trim);
    let fail = |what: &str| Err(format!("desktop entry: {what}; the entry is:\n{entry}"));
    if key("Exec") != Some("twofold %u") {
        return fail("Exec is not `twofold %u`");
    }
    if key("Icon") != Some("twofold") {
        return fail("Icon is not `twofold`");
    }
    if !key("MimeType").is_some_and(|m| m.split(';').any(|t| t == "x-scheme-handler/otpauth")) {
        return fail("MimeType does not list x-scheme-handler/otpauth");
    }
    Ok(())
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.get(..8)? != b"\x89PNG\r\n\x1a\n" || bytes.get(12..16)? != b"IHDR" {
        return None;
    }
    let be = |at: usize| bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map(u32::from_be_bytes);
    Some((be(16)?, be(20)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn desktop_entry_needs_link_handler() {
        let good = "[Desktop Entry]\nExec=twofold %u\nIcon=twofold\nMimeType=x-scheme-handler/otpauth\n";
        assert_eq!(check_desktop_entry(good), Ok(()));
        let no_mime = "[Desktop Entry]\nExec=twofold %u\nIcon=twofold\n";
        assert!(check_desktop_entry(no_mime).is_err_and(|e| e.contains("MimeType")));
        let no_arg = "[Desktop Entry]\nExec=twofold\nIcon=twofold\nMimeType=x-scheme-handler/otpauth;\n";
        assert!(check_desktop_entry(no_arg).is_err_and(|e| e.contains("Exec")));
        let other = "Exec=twofold %u\nIcon=twofold\nMimeType=x-scheme-handler/otpauthx;\n";
        assert!(check_desktop_entry(other).is_err());
    }

    /// Needs `update-desktop-database` and `xdg-mime` (`cargo xtask setup` installs them).
    #[test]
    fn link_registration_names_the_entry_that_handles_otpauth() {
        let root = std::env::temp_dir().join(format!("twofold-xtask-reg-{}", std::process::id()));
        let applications = root.join("usr/share/applications");
        std::fs::create_dir_all(&applications).unwrap();
        let entry = applications.join("Twofold.desktop");
        let text = "[Desktop Entry]\nType=Application\nName=Twofold\nExec=twofold %u\nIcon=twofold\n";
        std::fs::write(&entry, format!("{text}MimeType=x-scheme-handler/otpauth;\n")).unwrap();
        assert_eq!(check_link_registration(&root, &entry), Ok(()));
        // An entry that does not claim the scheme is not registered for it.
        std::fs::write(&entry, format!("{text}MimeType=x-scheme-handler/otpauthx;\n")).unwrap();
        assert!(check_link_registration(&root, &entry).is_err_and(|e| e.contains("x-scheme-handler/otpauth=")));
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn png_size_reads_ihdr() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(32u32.to_be_bytes());
        png.extend(16u32.to_be_bytes());
        assert_eq!(png_size(&png), Some((32, 16)));
        assert_eq!(png_size(b"GIF89a"), None);
        assert_eq!(png_size(&png[..18]), None);
    }

    #[test]
    fn files_config_is_json_with_escapes() {
        let files = r#"{"files":{"/usr/bin/twofold-cli":"/t/a\"b\\c"}}"#;
        assert_eq!(
            files_config(Path::new("/t/a\"b\\c")),
            format!(r#"{{"bundle":{{"linux":{{"deb":{files},"rpm":{files}}}}}}}"#)
        );
    }

    #[test]
    fn rpm_lists_must_hold_every_wanted_line() {
        let requires =
            vec!["libwebkit2gtk-4.1.so.0()(64bit)".to_string(), "libayatana-appindicator-gtk3 >= 0.5".to_string()];
        let first_word = |line: &str, want: &str| line.split_whitespace().next() == Some(want);
        assert_eq!(check_listed("requirements", &requires, RPM_REQUIRES, first_word), Ok(()));
        let error = check_listed("requirements", &requires[..1], RPM_REQUIRES, first_word).unwrap_err();
        assert!(error.contains("libayatana-appindicator-gtk3"), "{error}");
    }

    /// Needs `appstreamcli` (`cargo xtask setup` installs it): the committed metadata validates, and a broken
    /// copy does not.
    #[test]
    fn committed_metainfo_validates() {
        let root = std::env::temp_dir().join(format!("twofold-xtask-metainfo-{}", std::process::id()));
        let path = root.join(METAINFO);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let committed =
            std::fs::read_to_string(workspace_root().join("packaging/linux/org.twofold.app.metainfo.xml")).unwrap();
        std::fs::write(&path, &committed).unwrap();
        let entry = root.join("usr/share/applications/Twofold.desktop");
        assert_eq!(check_metainfo(&root, &entry), Ok(()));
        // No summary: a required tag.
        let start = committed.find("  <summary>").unwrap();
        let end = committed.find("</summary>").unwrap() + "</summary>".len();
        std::fs::write(&path, format!("{}{}", &committed[..start], &committed[end..])).unwrap();
        assert!(check_metainfo(&root, &entry).is_err_and(|e| e.contains("appstreamcli")));
        let other = root.join("usr/share/applications/Other.desktop");
        assert!(check_metainfo(&root, &other).is_err_and(|e| e.contains("launchable")));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
