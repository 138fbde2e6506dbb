//! WebDAV servers for the WebDAV sync tests: Apache `mod_dav`, `rclone serve webdav`, and [`FaultyServer`], an
//! in-test HTTP server that misbehaves on purpose.
//!
//! Both real servers serve a temporary folder on `http://127.0.0.1:PORT/` with Basic auth ([`USER`] /
//! [`PASSWORD`]). How they differ (seen with Apache 2.4 and rclone 1.60, and pinned by the harness self-tests
//! in `tests/tests/integration/servers.rs`):
//!
//! | | Apache `mod_dav_fs` | `rclone serve webdav` (golang.org/x/net/webdav) |
//! | --- | --- | --- |
//! | ETag on GET | `"SIZE-MTIME"` (hex, mtime in µs); **weak** (`W/"…"`) while the file is less than a second old | `"HEX"` (mtime and size), always strong |
//! | ETag in the PUT answer | none (201 Created / 204 No Content, no ETag) | yes, the new one (201 Created even on update) |
//! | `If-Match` on PUT | honoured: stale → 412. A weak current ETag never matches (strong comparison), so a PUT within a second of the last change always gets 412, even with the ETag just read | **ignored**: the PUT is stored whatever the tag |
//! | `If-None-Match: *` on PUT | honoured: existing file → 412 | **ignored** |
//! | wrong password | 401 | 401 |
//!
//! So Apache is the server that does conditional writes right (with a one-second blind spot the client waits
//! out by backing off after 412), and rclone is a real server that ignores `If-Match`, which the client must
//! detect by reading back after each write.
//!
//! Apache runs in the foreground (`-DFOREGROUND`, event MPM) in its own process group from a generated minimal
//! config (own ServerRoot, PidFile, ErrorLog, lock database, runtime dir in the temporary folder). Run as root
//! it must drop to another user (`User`/`Group` `#65534`, nobody), so the served and lock folders are handed
//! to that user and the temporary folder is made traversable.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{ServerProcess, find_program, free_port, port_open, wait_for};

/// The user every test server accepts.
pub const USER: &str = "twofold";
/// Its password.
pub const PASSWORD: &str = "correct horse battery staple";

/// Which real server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Apache,
    Rclone,
}

/// A running WebDAV server serving a temporary folder; stopped (killed and reaped) when this drops.
pub struct WebDavServer {
    pub kind: Kind,
    pub port: u16,
    /// The folder it serves (files PUT to `/NAME` land in `root/NAME`).
    pub root: PathBuf,
    process: ServerProcess,
    _temp: tempfile::TempDir,
}

impl WebDavServer {
    /// Starts `kind`, or returns `None` (after printing why) when its program is missing outside CI.
    pub fn start(kind: Kind, test: &str) -> Option<Self> {
        match kind {
            Kind::Apache => Self::apache(test),
            Kind::Rclone => Self::rclone(test),
        }
    }

    /// Apache `mod_dav` with Basic auth.
    ///
    /// # Panics
    /// When Apache does not start (its error log is in the message).
    pub fn apache(test: &str) -> Option<Self> {
        let program = find_program("apache2", "apache2", test)?;
        let modules = Path::new("/usr/lib/apache2/modules");
        if !modules.join("mod_dav_fs.so").is_file() {
            assert!(!super::in_ci(), "CI=true but Apache's mod_dav_fs is missing from {}", modules.display());
            eprintln!("skipped: {test}: no mod_dav_fs in {} (install `apache2`)", modules.display());
            return None;
        }
        let temp = tempfile::Builder::new().prefix("twofold-apache-").tempdir().expect("temporary folder");
        let dir = temp.path().to_path_buf();
        let dir = dir.as_path();
        let root = dir.join("dav");
        let lock = dir.join("lock");
        for d in [&root, &lock] {
            std::fs::create_dir(d).unwrap_or_else(|e| panic!("creating {}: {e}", d.display()));
        }
        // The password file in Apache's `{SHA}` form (base64 of SHA-1), so no `htpasswd` is needed.
        let sha = <sha1::Sha1 as sha1::Digest>::digest(PASSWORD.as_bytes());
        let htpasswd = dir.join("htpasswd");
        std::fs::write(&htpasswd, format!("{USER}:{{SHA}}{}\n", data_encoding::BASE64.encode(&sha)))
            .unwrap_or_else(|e| panic!("writing htpasswd: {e}"));
        let as_root = rustix::process::geteuid().is_root();
        let user_lines = if as_root {
            // Apache refuses to serve as root; its workers run as nobody, who must reach and write these.
            use std::os::unix::fs::PermissionsExt;
            let nobody = Some(65534);
            std::os::unix::fs::chown(&root, nobody, nobody).expect("chown dav");
            std::os::unix::fs::chown(&lock, nobody, nobody).expect("chown lock");
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o711)).expect("chmod temp");
            std::fs::set_permissions(&htpasswd, std::fs::Permissions::from_mode(0o644)).expect("chmod htpasswd");
            "User #65534\nGroup #65534\n"
        } else {
            ""
        };
        let port = free_port();
        let m = modules.display();
        let d = dir.display();
        let config = format!(
            r#"ServerRoot "{d}"
ServerName 127.0.0.1
PidFile "{d}/httpd.pid"
DefaultRuntimeDir "{d}"
Mutex file:{d} default
ErrorLog "{d}/error.log"
LogLevel warn
Listen 127.0.0.1:{port}
{user_lines}LoadModule mpm_event_module {m}/mod_mpm_event.so
LoadModule authz_core_module {m}/mod_authz_core.so
LoadModule authn_core_module {m}/mod_authn_core.so
LoadModule authn_file_module {m}/mod_authn_file.so
LoadModule auth_basic_module {m}/mod_auth_basic.so
LoadModule authz_user_module {m}/mod_authz_user.so
LoadModule dav_module {m}/mod_dav.so
LoadModule dav_fs_module {m}/mod_dav_fs.so
StartServers 1
ServerLimit 1
ThreadsPerChild 16
MaxRequestWorkers 16
MinSpareThreads 1
MaxSpareThreads 16
DavLockDB "{d}/lock/davlock"
DocumentRoot "{root}"
<Directory "{root}">
    Dav On
    AuthType Basic
    AuthName "twofold-test"
    AuthBasicProvider file
    AuthUserFile "{d}/htpasswd"
    Require valid-user
</Directory>
"#,
            root = root.display(),
        );
        let conf = dir.join("httpd.conf");
        std::fs::write(&conf, config).unwrap_or_else(|e| panic!("writing httpd.conf: {e}"));
        let mut command = Command::new(program);
        command.arg("-f").arg(&conf).arg("-DFOREGROUND");
        let log = dir.join("apache.out");
        let process = ServerProcess::spawn("apache2", command, &log);
        let server = Self { kind: Kind::Apache, port, root, process, _temp: temp };
        Some(server.wait_listening(&[log, dir.join("error.log")]))
    }

    /// `rclone serve webdav` with Basic auth.
    ///
    /// # Panics
    /// When rclone does not start (its output is in the message).
    pub fn rclone(test: &str) -> Option<Self> {
        let program = find_program("rclone", "rclone", test)?;
        let temp = tempfile::Builder::new().prefix("twofold-rclone-").tempdir().expect("temporary folder");
        let dir = temp.path().to_path_buf();
        let dir = dir.as_path();
        let root = dir.join("dav");
        std::fs::create_dir(&root).unwrap_or_else(|e| panic!("creating {}: {e}", root.display()));
        let port = free_port();
        let mut command = Command::new(program);
        command
            .args(["serve", "webdav"])
            .arg(&root)
            .args(["--addr", &format!("127.0.0.1:{port}"), "--user", USER, "--pass", PASSWORD])
            // Its own (absent) config and cache, so nothing of the machine's rclone set-up is read or written.
            .arg("--config")
            .arg(dir.join("rclone.conf"))
            .arg("--cache-dir")
            .arg(dir.join("cache"));
        let log = dir.join("rclone.out");
        let process = ServerProcess::spawn("rclone", command, &log);
        let server = Self { kind: Kind::Rclone, port, root, process, _temp: temp };
        Some(server.wait_listening(&[log]))
    }

    fn wait_listening(mut self, logs: &[PathBuf]) -> Self {
        let started = Instant::now();
        while !port_open(self.port) {
            if let Some(status) = self.process.exited() {
                let text: String = logs.iter().map(|l| std::fs::read_to_string(l).unwrap_or_default()).collect();
                panic!("{:?} exited at start ({status}):\n{text}", self.kind);
            }
            assert!(started.elapsed() < Duration::from_secs(20), "{:?} did not listen within 20 s", self.kind);
            std::thread::sleep(Duration::from_millis(25));
        }
        let ms = started.elapsed().as_millis();
        eprintln!("{:?} WebDAV server listening on 127.0.0.1:{} after {ms} ms", self.kind, self.port);
        self
    }

    /// The server's base URL, `http://127.0.0.1:PORT/`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// The URL of the file `name` at the served folder's top.
    pub fn url(&self, name: &str) -> String {
        format!("{}{name}", self.base_url())
    }

    /// Stops the server now (dropping does it anyway).
    pub fn stop(&mut self) {
        self.process.stop();
    }
}

/// The `Authorization` header value for `user`/`password`.
pub fn basic_auth(user: &str, password: &str) -> String {
    format!("Basic {}", data_encoding::BASE64.encode(format!("{user}:{password}").as_bytes()))
}

/// How [`FaultyServer`] misbehaves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A WebDAV file store in memory that ignores `If-Match` and `If-None-Match` on PUT (stores anyway, 201/204
    /// with a strong ETag), and can let a "racing writer" clobber the next PUT ([`FaultyServer::clobber_next_put`]).
    IgnoreIfMatch,
    /// Every request gets this status (401 with a `WWW-Authenticate` challenge; 507 Insufficient Storage, …).
    Status(u16),
    /// Every connection is closed as soon as the request is read, with no answer.
    Close,
    /// The request is read and never answered (until the server stops).
    Stall,
    /// Plain HTTP text is sent as soon as a connection opens, before reading anything: a TLS client gets
    /// garbage for a handshake.
    NotTls,
}

#[derive(Default)]
struct Store {
    body: Option<Vec<u8>>,
    version: u64,
    clobber: Option<Vec<u8>>,
    puts: u32,
    truncated_gets: u32,
    gets: u32,
}

/// A tiny HTTP/1.1 server on a std `TcpListener` thread that misbehaves as its [`Fault`] says. One request per
/// connection (`Connection: close`). Dropping it stops the accept loop and every stalled connection, and joins
/// the accept thread.
pub struct FaultyServer {
    pub port: u16,
    store: Arc<Mutex<Store>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl FaultyServer {
    /// Starts the server on a free port.
    pub fn start(fault: Fault) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("binding the faulty server");
        let port = listener.local_addr().expect("its address").port();
        let store = Arc::new(Mutex::new(Store::default()));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (store, stop) = (Arc::clone(&store), Arc::clone(&stop));
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (store, stop, fault) = (Arc::clone(&store), Arc::clone(&stop), fault.clone());
                    std::thread::spawn(move || serve(stream, &fault, &store, &stop));
                }
            })
        };
        Self { port, store, stop, thread: Some(thread) }
    }

    /// The URL of the file `name`.
    pub fn url(&self, name: &str) -> String {
        format!("http://127.0.0.1:{}/{name}", self.port)
    }

    /// What the store holds now ([`Fault::IgnoreIfMatch`]).
    pub fn body(&self) -> Option<Vec<u8>> {
        lock(&self.store).body.clone()
    }

    /// Replaces what the store holds, as another writer would.
    pub fn set_body(&self, body: &[u8]) {
        let mut store = lock(&self.store);
        store.body = Some(body.to_vec());
        store.version += 1;
    }

    /// Right after the next PUT is stored, `body` replaces it: a racing writer whose stale PUT the server let
    /// through because it ignores `If-Match`.
    pub fn clobber_next_put(&self, body: &[u8]) {
        lock(&self.store).clobber = Some(body.to_vec());
    }

    /// The next `count` GETs answer `200` with only the first half of the file, as a server that writes in
    /// place (rclone) does while another client's upload is still arriving.
    pub fn truncate_next_gets(&self, count: u32) {
        lock(&self.store).truncated_gets = count;
    }

    /// How many GETs the server has answered.
    pub fn gets(&self) -> u32 {
        lock(&self.store).gets
    }

    /// How many PUTs the server has stored.
    pub fn puts(&self) -> u32 {
        lock(&self.store).puts
    }
}

impl Drop for FaultyServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn lock(store: &Mutex<Store>) -> MutexGuard<'_, Store> {
    store.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

struct Request {
    method: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn read_request(stream: &TcpStream) -> Option<Request> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let method = line.split_whitespace().next()?.to_string();
    let mut headers = Vec::new();
    loop {
        line.clear();
        reader.read_line(&mut line).ok()?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length: usize =
        headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length.min(64 << 20)];
    reader.read_exact(&mut body).ok()?;
    Some(Request { method, headers, body })
}

fn respond(mut stream: &TcpStream, status: u16, extra: &[(&str, String)], body: &[u8]) {
    let reason = match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        401 => "Unauthorized",
        404 => "Not Found",
        507 => "Insufficient Storage",
        _ => "Whatever",
    };
    let mut head = format!("HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in extra {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

fn serve(stream: TcpStream, fault: &Fault, store: &Mutex<Store>, stop: &AtomicBool) {
    if *fault == Fault::NotTls {
        respond(&stream, 400, &[], b"this is not TLS");
        return;
    }
    let Some(request) = read_request(&stream) else { return };
    match fault {
        Fault::Close => {
            let _ = stream.shutdown(Shutdown::Both);
        }
        Fault::Stall => {
            let until = Instant::now() + Duration::from_secs(120);
            while !stop.load(Ordering::SeqCst) && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Fault::Status(401) => {
            respond(&stream, 401, &[("WWW-Authenticate", "Basic realm=\"faulty\"".into())], b"no");
        }
        Fault::Status(code) => respond(&stream, *code, &[], b"no"),
        Fault::NotTls => {}
        Fault::IgnoreIfMatch => {
            let _ = &request.headers;
            let mut store = lock(store);
            match request.method.as_str() {
                "GET" => match store.body.clone() {
                    Some(mut body) => {
                        store.gets += 1;
                        if store.truncated_gets > 0 {
                            store.truncated_gets -= 1;
                            body.truncate(body.len() / 2);
                        }
                        let etag = format!("\"v{}\"", store.version);
                        drop(store);
                        respond(&stream, 200, &[("ETag", etag)], &body);
                    }
                    None => {
                        drop(store);
                        respond(&stream, 404, &[], b"");
                    }
                },
                "PUT" => {
                    let created = store.body.is_none();
                    store.body = Some(request.body);
                    store.version += 1;
                    store.puts += 1;
                    let etag = format!("\"v{}\"", store.version);
                    if let Some(other) = store.clobber.take() {
                        store.body = Some(other);
                        store.version += 1;
                    }
                    drop(store);
                    respond(&stream, if created { 201 } else { 204 }, &[("ETag", etag)], b"");
                }
                _ => {
                    drop(store);
                    respond(&stream, 405, &[], b"");
                }
            }
        }
    }
}

/// Waits until `path` exists (used by tests that watch the served folder).
pub fn wait_for_file(path: &Path, timeout: Duration) {
    wait_for(&format!("{} to exist", path.display()), timeout, || path.exists().then_some(()));
}
