//! Two Syncthing instances on loopback that share one folder, for the folder-sync tests.
//!
//! Each instance gets its own home (keys, config, database) in a temporary folder, made with
//! `syncthing generate --home DIR` (the subcommand CLI of Syncthing 1.18 and later; Debian 12 ships 1.19). We
//! then write `config.xml` ourselves: sync protocol on `tcp://127.0.0.1:PORT` only, GUI/REST on
//! `127.0.0.1:PORT` with a known API key, global and local discovery, relays, NAT traversal, STUN, usage and
//! crash reporting and upgrades off, the other instance as a device at its loopback address, and one shared
//! folder (id [`FOLDER_ID`]) at the path the test gives, with a short rescan interval and the file watcher on
//! with a one-second delay. Nothing leaves 127.0.0.1.
//!
//! Started with `serve --no-browser --no-restart --no-upgrade` (one process, no monitor to outlive the guard)
//! and `STNODEFAULTFOLDER=1`. [`SyncthingPair::start`] returns once the two are connected and prints how long
//! that took (typically 1–2 s).
//!
//! Conflicts: when both sides changed a file while the link was paused, on resume Syncthing keeps the newer
//! change under the file's name and renames the other to `NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.EXT`, on
//! both sides once synced ([`conflict_copies`]).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{ServerProcess, find_program, free_port, http_agent, wait_for};

/// The shared folder's id on both instances.
pub const FOLDER_ID: &str = "twofold";
/// The full rescan interval each instance uses (the file watcher usually sees a change sooner).
pub const RESCAN_INTERVAL_S: u32 = 5;
/// The file watcher's delay: a change is scanned this long after it settles.
pub const FS_WATCHER_DELAY_S: u32 = 1;

const API_KEY: &str = "twofold-test-api-key";

/// One running Syncthing instance.
pub struct Syncthing {
    /// Short name in messages: `a` or `b`.
    pub name: &'static str,
    /// Its device id (`XXXXXXX-…`).
    pub device_id: String,
    /// The REST/GUI port on 127.0.0.1.
    pub gui_port: u16,
    /// The sync protocol port on 127.0.0.1.
    pub listen_port: u16,
    /// The shared folder on this side.
    pub folder: PathBuf,
    home: PathBuf,
    log: PathBuf,
    process: Option<ServerProcess>,
    agent: ureq::Agent,
}

/// Two connected Syncthing instances sharing [`FOLDER_ID`]; both stop (killed and reaped) when this drops.
pub struct SyncthingPair {
    pub a: Syncthing,
    pub b: Syncthing,
    /// How long from the first `generate` to both seeing each other connected.
    pub start_to_connected: Duration,
    _temp: tempfile::TempDir,
}

impl SyncthingPair {
    /// Starts two instances sharing `folder_a` and `folder_b` (created if missing) and waits until they are
    /// connected. `None` (after printing why) when `syncthing` is not installed outside CI.
    ///
    /// # Panics
    /// When an instance does not start or they do not connect within 30 s (the log is in the message).
    pub fn start(test: &str, folder_a: &Path, folder_b: &Path) -> Option<Self> {
        let program = find_program("syncthing", "syncthing", test)?;
        let started = Instant::now();
        let temp = tempfile::Builder::new().prefix("twofold-syncthing-").tempdir().expect("temporary folder");
        let mut a = Syncthing::generate(&program, "a", &temp.path().join("a"), folder_a);
        let mut b = Syncthing::generate(&program, "b", &temp.path().join("b"), folder_b);
        let version = config_version(&a.home);
        a.write_config(version, &b);
        b.write_config(version, &a);
        a.spawn(&program);
        b.spawn(&program);
        a.wait_rest();
        b.wait_rest();
        let pair = Self { a, b, start_to_connected: Duration::ZERO, _temp: temp };
        pair.wait_connected(Duration::from_secs(30));
        let start_to_connected = started.elapsed();
        eprintln!("syncthing pair: started and connected in {} ms", start_to_connected.as_millis());
        Some(Self { start_to_connected, ..pair })
    }

    /// Waits until each side reports the other connected.
    pub fn wait_connected(&self, timeout: Duration) {
        wait_for("the Syncthing pair to connect", timeout, || {
            (self.a.connected_to(&self.b.device_id) && self.b.connected_to(&self.a.device_id)).then_some(())
        });
    }

    /// Pauses the link (A pauses B, so neither side syncs) and waits until both see it down.
    pub fn pause_link(&self) {
        self.a.post(&format!("/rest/system/pause?device={}", self.b.device_id));
        wait_for("the Syncthing link to go down", Duration::from_secs(15), || {
            (!self.a.connected_to(&self.b.device_id) && !self.b.connected_to(&self.a.device_id)).then_some(())
        });
    }

    /// Resumes the link paused by [`SyncthingPair::pause_link`] and waits until they are connected again.
    pub fn resume_link(&self) {
        self.a.post(&format!("/rest/system/resume?device={}", self.b.device_id));
        self.wait_connected(Duration::from_secs(30));
    }

    /// Rescans the folder on both sides now (each call returns when its scan is done).
    pub fn rescan(&self) {
        self.a.rescan();
        self.b.rescan();
    }

    /// Waits until both sides are idle, need nothing, see the other at 100 % and agree on the global state,
    /// twice in a row 100 ms apart (so a sync that was about to start is not missed).
    pub fn wait_in_sync(&self, timeout: Duration) {
        let mut streak = 0;
        wait_for("the Syncthing pair to be in sync", timeout, || {
            let same = self.a.in_sync_with(&self.b) && self.b.in_sync_with(&self.a) && {
                let (sa, sb) = (self.a.status(), self.b.status());
                sa["globalFiles"] == sb["globalFiles"]
                    && sa["globalBytes"] == sb["globalBytes"]
                    && sa["globalDeleted"] == sb["globalDeleted"]
            };
            streak = if same { streak + 1 } else { 0 };
            (streak >= 2).then_some(())
        });
    }

    /// The `*.sync-conflict-*` files in both shared folders.
    pub fn conflict_copies(&self) -> Vec<PathBuf> {
        let mut all = conflict_copies(&self.a.folder);
        all.extend(conflict_copies(&self.b.folder));
        all
    }
}

/// The `*.sync-conflict-*` files directly in `folder`, sorted.
pub fn conflict_copies(folder: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().contains(".sync-conflict-")))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

impl Syncthing {
    fn generate(program: &Path, name: &'static str, home: &Path, folder: &Path) -> Self {
        std::fs::create_dir_all(folder).unwrap_or_else(|e| panic!("creating {}: {e}", folder.display()));
        // The folder marker: Syncthing refuses to sync a folder whose marker is missing (it takes that for an
        // unmounted disk).
        std::fs::create_dir_all(folder.join(".stfolder")).unwrap_or_else(|e| panic!("creating the marker: {e}"));
        let out = Command::new(program)
            .args(["generate", "--no-default-folder", "--skip-port-probing", "--home"])
            .arg(home)
            .env("STNODEFAULTFOLDER", "1")
            .output()
            .unwrap_or_else(|e| panic!("running syncthing generate: {e}"));
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "syncthing generate failed ({}):\n{text}", out.status);
        let device_id = text
            .lines()
            .find_map(|line| line.split_once("Device ID:").map(|(_, id)| id.trim().to_string()))
            .unwrap_or_else(|| panic!("no device id in syncthing generate's output:\n{text}"));
        Self {
            name,
            device_id,
            gui_port: free_port(),
            listen_port: free_port(),
            folder: folder.to_path_buf(),
            home: home.to_path_buf(),
            log: home.join("syncthing.log"),
            process: None,
            agent: http_agent(),
        }
    }

    fn write_config(&self, version: u32, other: &Syncthing) {
        let xml = format!(
            r#"<configuration version="{version}">
    <folder id="{FOLDER_ID}" label="{FOLDER_ID}" path="{folder}" type="sendreceive" rescanIntervalS="{RESCAN_INTERVAL_S}" fsWatcherEnabled="true" fsWatcherDelayS="{FS_WATCHER_DELAY_S}" ignorePerms="false" autoNormalize="true">
        <filesystemType>basic</filesystemType>
        <device id="{me}"></device>
        <device id="{them}"></device>
        <minDiskFree unit="%">0</minDiskFree>
        <markerName>.stfolder</markerName>
        <maxConflicts>10</maxConflicts>
    </folder>
    <device id="{me}" name="{my_name}" compression="metadata">
        <address>dynamic</address>
    </device>
    <device id="{them}" name="{their_name}" compression="metadata">
        <address>tcp://127.0.0.1:{their_port}</address>
    </device>
    <gui enabled="true" tls="false" debugging="false">
        <address>127.0.0.1:{gui_port}</address>
        <apikey>{API_KEY}</apikey>
    </gui>
    <options>
        <listenAddress>tcp://127.0.0.1:{listen_port}</listenAddress>
        <globalAnnounceEnabled>false</globalAnnounceEnabled>
        <localAnnounceEnabled>false</localAnnounceEnabled>
        <relaysEnabled>false</relaysEnabled>
        <natEnabled>false</natEnabled>
        <stunKeepaliveStartS>0</stunKeepaliveStartS>
        <announceLANAddresses>false</announceLANAddresses>
        <urAccepted>-1</urAccepted>
        <crashReportingEnabled>false</crashReportingEnabled>
        <autoUpgradeIntervalH>0</autoUpgradeIntervalH>
        <startBrowser>false</startBrowser>
        <reconnectionIntervalS>1</reconnectionIntervalS>
        <minHomeDiskFree unit="%">0</minHomeDiskFree>
        <setLowPriority>false</setLowPriority>
    </options>
</configuration>
"#,
            folder = xml_escape(&self.folder.to_string_lossy()),
            me = self.device_id,
            them = other.device_id,
            my_name = self.name,
            their_name = other.name,
            their_port = other.listen_port,
            gui_port = self.gui_port,
            listen_port = self.listen_port,
        );
        let path = self.home.join("config.xml");
        std::fs::write(&path, xml).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }

    fn spawn(&mut self, program: &Path) {
        let mut command = Command::new(program);
        command
            .args(["serve", "--no-browser", "--no-restart", "--no-upgrade", "--home"])
            .arg(&self.home)
            .env("STNODEFAULTFOLDER", "1")
            .env("STNOUPGRADE", "1")
            .env("STNORESTART", "1");
        self.process = Some(ServerProcess::spawn(&format!("syncthing {}", self.name), command, &self.log));
    }

    fn wait_rest(&mut self) {
        let name = format!("syncthing {}'s REST API", self.name);
        wait_for(&name, Duration::from_secs(30), || {
            // A crash at start shows its log instead of a bare timeout.
            if let Some(process) = self.process.as_mut() {
                process.assert_running(&self.log);
            }
            self.try_get("/rest/system/ping").is_some().then_some(())
        });
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.gui_port)
    }

    fn try_get(&self, path: &str) -> Option<serde_json::Value> {
        let mut response = self.agent.get(&self.url(path)).header("X-API-Key", API_KEY).call().ok()?;
        if response.status() != 200 {
            return None;
        }
        response.body_mut().read_json().ok()
    }

    /// GETs a REST path and parses the JSON answer.
    ///
    /// # Panics
    /// When the request fails or the answer is not 200 JSON.
    pub fn get(&self, path: &str) -> serde_json::Value {
        self.try_get(path).unwrap_or_else(|| panic!("syncthing {}: GET {path} failed\n{}", self.name, self.log_text()))
    }

    /// POSTs to a REST path (no body).
    ///
    /// # Panics
    /// When the answer is not 200.
    pub fn post(&self, path: &str) {
        let response = self
            .agent
            .post(&self.url(path))
            .header("X-API-Key", API_KEY)
            .send_empty()
            .unwrap_or_else(|e| panic!("syncthing {}: POST {path}: {e}", self.name));
        assert_eq!(response.status(), 200, "syncthing {}: POST {path}", self.name);
    }

    /// Whether this instance has a live connection to `device`.
    pub fn connected_to(&self, device: &str) -> bool {
        self.try_get("/rest/system/connections")
            .is_some_and(|c| c["connections"][device]["connected"].as_bool() == Some(true))
    }

    /// Rescans the shared folder now; returns when the scan is done.
    pub fn rescan(&self) {
        self.post(&format!("/rest/db/scan?folder={FOLDER_ID}"));
    }

    /// The shared folder's `/rest/db/status`.
    pub fn status(&self) -> serde_json::Value {
        self.get(&format!("/rest/db/status?folder={FOLDER_ID}"))
    }

    fn in_sync_with(&self, other: &Syncthing) -> bool {
        let status = self.status();
        let completion = self.get(&format!("/rest/db/completion?folder={FOLDER_ID}&device={}", other.device_id));
        status["state"] == "idle"
            && status["needTotalItems"].as_u64() == Some(0)
            && completion["completion"].as_f64() == Some(100.0)
            && completion["needBytes"].as_u64() == Some(0)
    }

    /// This instance's log so far (for failure messages).
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Stops this instance now (the pair's drop does it anyway).
    pub fn stop(&mut self) {
        if let Some(mut process) = self.process.take() {
            process.stop();
        }
    }
}

/// The config version `syncthing generate` wrote (so the config we write is not taken for an older one and
/// migrated, nor refused as newer).
fn config_version(home: &Path) -> u32 {
    let text = std::fs::read_to_string(home.join("config.xml")).unwrap_or_else(|e| panic!("reading config.xml: {e}"));
    text.split_once("<configuration version=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .and_then(|(version, _)| version.parse().ok())
        .unwrap_or_else(|| panic!("no configuration version in the generated config.xml:\n{text}"))
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
