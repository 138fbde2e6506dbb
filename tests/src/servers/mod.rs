//! Real sync servers for the sync tests, started on 127.0.0.1 with free ports in temporary folders and stopped
//! (killed and reaped) when their guard drops, also when the test panics.
//!
//! - [`syncthing::SyncthingPair`]: two Syncthing instances that share one folder each, loopback only.
//! - [`webdav::WebDavServer`]: Apache `mod_dav` or `rclone serve webdav`, both with Basic auth.
//! - [`webdav::FaultyServer`]: a tiny HTTP server that misbehaves on purpose (ignores `If-Match`, answers 401 or
//!   507, closes the connection, stalls).
//!
//! A missing program is a test failure under `CI=true` (`cargo xtask setup` installs it); elsewhere the
//! constructors return `None` after printing `skipped: …` and the package to install.

pub mod syncthing;
pub mod webdav;

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Whether the tests run in CI (`CI` set and not `false`/`0`), where missing programs are failures.
pub fn in_ci() -> bool {
    std::env::var("CI").map(|v| !v.is_empty() && v != "false" && v != "0").unwrap_or(false)
}

/// Finds `program` on `PATH` (or in `/usr/sbin`, which a non-root `PATH` may lack).
///
/// # Panics
/// Under `CI=true` when the program is missing: the test command installs it, so its absence is a failure.
pub fn find_program(program: &str, package: &str, test: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let found = std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/sbin"), PathBuf::from("/usr/bin")])
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file());
    if found.is_none() {
        assert!(!in_ci(), "CI=true but `{program}` is missing: install the Debian package `{package}`");
        eprintln!("skipped: {test}: `{program}` is not installed (install the Debian package `{package}`)");
    }
    found
}

/// A TCP port on 127.0.0.1 that was free a moment ago (bound, read and released; a server started right after
/// gets it unless another process races for it, which the constructors report as a start failure).
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("binding a free port: {e}"));
    listener.local_addr().unwrap_or_else(|e| panic!("reading the bound port: {e}")).port()
}

/// Polls `done` every 50 ms until it returns `Some`, or panics after `timeout` naming `what`.
pub fn wait_for<T>(what: &str, timeout: Duration, mut done: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(value) = done() {
            return value;
        }
        assert!(start.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
pub fn port_open(port: u16) -> bool {
    std::net::TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)).is_ok()
}

/// A blocking HTTP client for the harnesses' own requests: no TLS, 4xx/5xx are answers, not errors.
pub fn http_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .new_agent()
}

/// A server process in its own process group. Dropping it sends SIGTERM to the group (Apache's workers
/// included), waits up to 5 s, then SIGKILLs the group, and always reaps the child.
pub struct ServerProcess {
    name: String,
    child: Option<Child>,
}

impl ServerProcess {
    /// Starts `command` in a new process group with stdin closed and output sent to `log` (a file in the
    /// server's temporary folder, read by [`ServerProcess::log`] when a start fails).
    pub fn spawn(name: &str, mut command: Command, log: &std::path::Path) -> Self {
        use std::os::unix::process::CommandExt;
        let out = std::fs::File::create(log).unwrap_or_else(|e| panic!("creating {}: {e}", log.display()));
        let err = out.try_clone().unwrap_or_else(|e| panic!("cloning the log handle: {e}"));
        command.stdin(Stdio::null()).stdout(out).stderr(err).process_group(0);
        let child = command.spawn().unwrap_or_else(|e| panic!("starting {name}: {e}"));
        Self { name: name.to_string(), child: Some(child) }
    }

    /// The exit status if the process has already exited.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.as_mut().and_then(|child| child.try_wait().ok().flatten())
    }

    /// Panics with the log's text if the process has already exited (a start failure).
    pub fn assert_running(&mut self, log: &std::path::Path) {
        if let Some(status) = self.exited() {
            let text = std::fs::read_to_string(log).unwrap_or_default();
            panic!("{} exited at start ({status}):\n{text}", self.name);
        }
    }

    /// Stops the process group now (what `Drop` does).
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        let group = rustix::process::Pid::from_child(&child);
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::TERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                // The leader is gone; workers it did not take along die with the group's SIGKILL below.
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.stop();
    }
}
