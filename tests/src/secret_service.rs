//! A real Secret Service for tests: a private D-Bus session bus (`dbus-daemon` with a configuration of our
//! own, so nothing on it is started by D-Bus activation) and `gnome-keyring-daemon` on it, in the foreground,
//! with its keyrings in a temporary folder and its login keyring created and unlocked with a test password.
//! `--unlock` makes the `login` collection and points the `default` alias at it, which is where the `keyring`
//! crate puts items. Both processes are killed and reaped when the value is dropped, also when a test fails.
//!
//! Programs needed: `dbus-daemon` (Debian `dbus`), `gnome-keyring-daemon` (`gnome-keyring`), `dbus-send`, and
//! `secret-tool` (`libsecret-tools`) to delete items as a person would in Seahorse. `cargo xtask setup` installs
//! them. Missing in CI (`CI=true`) is a failure; elsewhere [`SecretService::start`] says what to install and
//! the test skips itself.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The login keyring's password in tests.
pub const KEYRING_PASSWORD: &str = "twofold-test-keyring";

/// A running private bus with a Secret Service on it. See the module docs.
pub struct SecretService {
    dir: tempfile_dir::Dir,
    bus: Option<Child>,
    keyring: Option<Child>,
    address: String,
}

/// A temporary folder removed on drop (the helpers avoid a dependency on `tempfile` for the library).
mod tempfile_dir {
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new(tag: &str) -> std::io::Result<Self> {
            let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos());
            let path = std::env::temp_dir().join(format!("{tag}-{}-{}", std::process::id(), nanos.unwrap_or(0)));
            std::fs::create_dir_all(&path)?;
            Ok(Self(path))
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn in_ci() -> bool {
    std::env::var("CI").map(|v| !v.is_empty() && v != "false" && v != "0").unwrap_or(false)
}

fn have(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}

impl SecretService {
    /// Starts the bus and the keyring daemon. `Ok(None)` (after printing why) when a program is missing outside
    /// CI; in CI a missing program is an error.
    pub fn start(test: &str) -> Result<Option<Self>, String> {
        for program in ["dbus-daemon", "dbus-send", "gnome-keyring-daemon", "secret-tool"] {
            if !have(program) {
                let why = format!(
                    "{test}: {program} is missing (install dbus, gnome-keyring and libsecret-tools, or run `cargo xtask setup`)"
                );
                if in_ci() {
                    return Err(why);
                }
                eprintln!("skipped: {why}");
                return Ok(None);
            }
        }
        let dir = tempfile_dir::Dir::new("twofold-secret-service").map_err(|e| e.to_string())?;
        let mut me = SecretService { dir, bus: None, keyring: None, address: String::new() };
        me.start_bus()?;
        me.start_keyring()?;
        Ok(Some(me))
    }

    fn start_bus(&mut self) -> Result<(), String> {
        let config = self.dir.path().join("bus.conf");
        let socket_dir = self.dir.path().join("bus");
        std::fs::create_dir_all(&socket_dir).map_err(|e| e.to_string())?;
        // No <servicedir>: a killed keyring daemon must stay gone (no activation), for the "no service" test.
        let xml = format!(
            "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \
             \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n<busconfig><type>session</type>\
             <listen>unix:dir={}</listen><auth>EXTERNAL</auth><policy context=\"default\">\
             <allow send_destination=\"*\" eavesdrop=\"true\"/><allow eavesdrop=\"true\"/><allow own=\"*\"/>\
             </policy></busconfig>\n",
            socket_dir.display()
        );
        std::fs::write(&config, xml).map_err(|e| e.to_string())?;
        let mut bus = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start dbus-daemon: {e}"))?;
        let stdout = bus.stdout.take().ok_or("dbus-daemon has no stdout")?;
        self.bus = Some(bus);
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map_err(|e| format!("dbus-daemon printed no address: {e}"))?;
        self.address = line.trim().to_owned();
        if self.address.is_empty() {
            return Err(String::from("dbus-daemon printed no address"));
        }
        Ok(())
    }

    /// Starts (or restarts) `gnome-keyring-daemon` with the login keyring unlocked, and waits until it owns
    /// `org.freedesktop.secrets`.
    pub fn start_keyring(&mut self) -> Result<(), String> {
        self.stop_keyring();
        let home = self.dir.path().join("home");
        let runtime = self.dir.path().join("run");
        for d in [&home, &runtime] {
            std::fs::create_dir_all(d).map_err(|e| e.to_string())?;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700));
        }
        let mut daemon = self
            .command("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .arg(format!("--control-directory={}", runtime.join("keyring").display()))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start gnome-keyring-daemon: {e}"))?;
        if let Some(mut stdin) = daemon.stdin.take() {
            stdin.write_all(KEYRING_PASSWORD.as_bytes()).map_err(|e| e.to_string())?;
        }
        self.keyring = Some(daemon);
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.secrets_owned() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(String::from("gnome-keyring-daemon did not take org.freedesktop.secrets within 20 s"))
    }

    /// Kills the keyring daemon (the bus stays): "no Secret Service on the bus".
    pub fn stop_keyring(&mut self) {
        if let Some(mut child) = self.keyring.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        // The name goes with the connection; wait until the bus has noticed.
        let deadline = Instant::now() + Duration::from_secs(5);
        while self.secrets_owned() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn secrets_owned(&self) -> bool {
        self.command("dbus-send")
            .args([
                "--session",
                "--print-reply",
                "--dest=org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus.NameHasOwner",
                "string:org.freedesktop.secrets",
            ])
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).contains("boolean true"))
            .unwrap_or(false)
    }

    /// The bus address to give a program as `DBUS_SESSION_BUS_ADDRESS`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The environment a program needs to use this Secret Service.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DBUS_SESSION_BUS_ADDRESS", self.address.clone()),
            ("HOME", self.dir.path().join("home").display().to_string()),
            ("XDG_DATA_HOME", self.dir.path().join("home/data").display().to_string()),
            ("XDG_RUNTIME_DIR", self.dir.path().join("run").display().to_string()),
        ]
    }

    /// A command with [`SecretService::env`] set.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        cmd.envs(self.env());
        cmd
    }

    /// Deletes the items with these attributes, as a person would in Seahorse (`secret-tool clear`).
    pub fn clear(&self, attributes: &[(&str, &str)]) -> Result<(), String> {
        let mut cmd = self.command("secret-tool");
        cmd.arg("clear");
        for (k, v) in attributes {
            cmd.args([k, v]);
        }
        let out = cmd.output().map_err(|e| format!("cannot run secret-tool: {e}"))?;
        if out.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&out.stderr).into_owned()) }
    }

    /// The names (`username` attribute) of Twofold's items in the keyring (`secret-tool search`).
    pub fn twofold_items(&self) -> Result<Vec<String>, String> {
        let out = self
            .command("secret-tool")
            .args(["search", "--all", "service", "twofold"])
            .output()
            .map_err(|e| format!("cannot run secret-tool: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        let mut names: Vec<String> =
            text.lines().filter_map(|l| l.strip_prefix("attribute.username = ")).map(str::to_owned).collect();
        names.sort();
        Ok(names)
    }

    /// The temporary folder (home, runtime folder, bus socket).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the temporary folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

impl Drop for SecretService {
    fn drop(&mut self) {
        self.stop_keyring();
        if let Some(mut bus) = self.bus.take() {
            let _ = bus.kill();
            let _ = bus.wait();
        }
    }
}
