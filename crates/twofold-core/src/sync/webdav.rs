//! Keeping the vault's synced copy on a WebDAV server (Nextcloud, ownCloud, a NAS, Apache `mod_dav`, rclone):
//! a blocking client ([`WebDav`]: `get` with its `ETag`, `put` with `If-Match` / `If-None-Match: *`) and one
//! sync [`round`] that never overwrites a copy it has not merged.
//!
//! **The address names the file**: `https://cloud.example/remote.php/dav/files/me/Twofold/twofold.vault`. An
//! address ending in `/` names a folder, and [`DEFAULT_FILE_NAME`] is appended. The folder must exist (we do
//! not create folders: a typo should not quietly make a new tree on someone's server).
//!
//! **Security.** `https://` with certificate checks (rustls with Mozilla's roots, `webpki-roots`); plain
//! `http://` only to this computer (`localhost`, `127.0.0.0/8`, `::1`), else [`WebDavError::NotAllowed`].
//! No redirects are followed (a redirect could carry the password elsewhere or downgrade to http); user
//! names and passwords inside the address are refused (they belong in their fields, and addresses end up in
//! messages). The app password lives in [`WebDavTarget`] as `Zeroizing`, prints `<redacted>`, and no error
//! text carries it or the `Authorization` header (the HTTP library keeps its own copy of the header while a
//! request runs, which we cannot wipe).
//!
//! **Bounds.** Connecting gives up after [`CONNECT_TIMEOUT`], a whole request after [`REQUEST_TIMEOUT`]; a
//! body over [`MAX_BODY`] is [`WebDavError::TooLarge`], so a hostile server cannot exhaust memory.
//!
//! **Servers differ** (see `tests/src/servers/webdav.rs` for what the test servers do):
//! - Apache `mod_dav` honours `If-Match`, but its `ETag` is weak (`W/"…"`) for the first second after a
//!   change and a weak tag never matches, so a write right after another gets 412 even with a fresh tag.
//!   [`round`] backs off after each 412 (100 ms, doubling, with jitter), which waits that second out.
//! - Some servers ignore `If-Match` (rclone's, golang.org/x/net/webdav) and store any PUT. [`round`] reads
//!   the file back after every write: when the server holds something else that does not already contain
//!   our data, a writer that never saw our copy replaced it, and the round merges again
//!   ([`RoundOutcome::remote_ignored_if_match`]). This narrows the loss window but cannot close it on such a
//!   server: a stale write landing after our read-back is only repaired by the next round (the local vault
//!   still holds every edit, so nothing is lost for good).
//! - A server that sends no `ETag` gets unconditional PUTs, guarded by the same read-back.
//! - rclone writes files in place and takes a WebDAV lock during a PUT: a concurrent GET may be cut short
//!   ([`WebDavError::Disconnected`]) or answered 423 ([`WebDavError::Locked`]), and may even see the file
//!   empty or half written. The round retries the first two; `upload_for` must refuse (return `Err`) a copy
//!   that does not open, which a sealed vault does by itself, so such a copy is never taken for the remote.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use zeroize::Zeroizing;

/// The file name appended to an address that ends in `/`.
pub const DEFAULT_FILE_NAME: &str = "twofold.vault";
/// The largest body read or sent: far above any vault (10,000 accounts seal to a few MiB).
pub const MAX_BODY: u64 = 64 << 20;
/// How long connecting (DNS, TCP, TLS) may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one whole request may take, answer body included.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// How many PUTs one [`round`] tries before [`WebDavError::TooManyConflicts`]. With the back-off between
/// them this spans about 6 s: several of Apache's one-second weak-ETag windows, so two computers writing at
/// once both get through.
pub const MAX_ATTEMPTS: u32 = 8;

/// Where the synced copy lives and who we are there. The app password is kept inside the encrypted vault.
#[derive(Clone, PartialEq, Eq)]
pub struct WebDavTarget {
    pub url: String,
    pub user: String,
    pub app_password: Zeroizing<String>,
}

impl fmt::Debug for WebDavTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebDavTarget")
            .field("url", &self.url)
            .field("user", &self.user)
            .field("app_password", &"<redacted>")
            .finish()
    }
}

/// The file on the server as fetched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Remote {
    pub bytes: Vec<u8>,
    /// The `ETag` exactly as the server sent it (possibly weak, `W/"…"`), or `None` when it sent none.
    pub etag: Option<String>,
}

/// What a PUT did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PutResult {
    /// Stored; the new `ETag` if the answer carried one (rclone's does, Apache's does not).
    Stored { etag: Option<String> },
    /// 412: the file changed since the `ETag` we sent (or exists, for a create).
    PreconditionFailed,
}

/// What one [`round`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoundOutcome {
    /// Whether a PUT was stored (false when the server's copy already held everything).
    pub uploaded: bool,
    /// How many PUTs were sent.
    pub attempts: u32,
    /// Whether a write of ours was replaced by one that had not seen it: the server let a stale write
    /// through, so it does not honour `If-Match` (or another client sends none).
    pub remote_ignored_if_match: bool,
}

/// Why talking to the WebDAV server failed. Messages name no password and no `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebDavError {
    #[error("the server refused the user name or app password (401)")]
    Unauthorized,
    #[error("the server does not let this user read or write that file (403)")]
    Forbidden,
    #[error("the folder in the WebDAV address does not exist on the server")]
    NotFound,
    #[error("the server has no space left for the vault (507)")]
    InsufficientStorage,
    #[error("the server cannot be reached: {0}")]
    Unreachable(String),
    #[error("the server closed the connection before answering in full")]
    Disconnected,
    #[error("the file is locked on the server by another client (423)")]
    Locked,
    #[error("the secure connection to the server failed: {0}")]
    Tls(String),
    #[error("the server did not answer in time")]
    Timeout,
    #[error("the file kept changing on the server during the sync; it will be tried again")]
    TooManyConflicts,
    #[error("plain http:// is only allowed to this computer (localhost); use an https:// address")]
    NotAllowed,
    #[error("the WebDAV address is not valid: {0}")]
    BadUrl(String),
    #[error("the server answered with a redirect (HTTP {0}); enter the address it redirects to")]
    Redirected(u16),
    #[error("the server answered with an error (HTTP {0})")]
    Server(u16),
    #[error("the copy on the server could not be merged: {0}")]
    Merge(String),
    #[error("the file is larger than 64 MiB, too large to be a vault")]
    TooLarge,
}

enum Condition<'a> {
    IfMatch(&'a str),
    IfNoneMatch,
    None,
}

/// A client for one file on one WebDAV server. Blocking: run it on a background thread.
pub struct WebDav {
    agent: ureq::Agent,
    url: String,
    https: bool,
    authorization: Zeroizing<String>,
}

impl fmt::Debug for WebDav {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebDav").field("url", &self.url).field("authorization", &"<redacted>").finish()
    }
}

impl WebDav {
    /// Checks the address (see the module docs) and prepares a client with the default timeouts.
    pub fn new(target: &WebDavTarget) -> Result<WebDav, WebDavError> {
        Self::with_timeouts(target, CONNECT_TIMEOUT, REQUEST_TIMEOUT)
    }

    /// [`WebDav::new`] with other timeouts (the tests use short ones).
    pub fn with_timeouts(target: &WebDavTarget, connect: Duration, request: Duration) -> Result<WebDav, WebDavError> {
        let (url, https) = file_url(&target.url)?;
        let credentials = Zeroizing::new(format!("{}:{}", target.user, target.app_password.as_str()));
        let authorization = Zeroizing::new(format!("Basic {}", data_encoding::BASE64.encode(credentials.as_bytes())));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .https_only(https)
            .timeout_connect(Some(connect))
            .timeout_global(Some(request))
            .user_agent(concat!("Twofold/", env!("CARGO_PKG_VERSION")))
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .provider(ureq::tls::TlsProvider::Rustls)
                    .root_certs(ureq::tls::RootCerts::WebPki)
                    .build(),
            )
            .build()
            .new_agent();
        Ok(WebDav { agent, url, https, authorization })
    }

    /// The file's full address (the one given, or the folder's with [`DEFAULT_FILE_NAME`]).
    pub fn file_url(&self) -> &str {
        &self.url
    }

    /// Fetches the file: `None` when it does not exist yet.
    pub fn get(&self) -> Result<Option<Remote>, WebDavError> {
        let mut response = self
            .agent
            .get(&self.url)
            .header("Authorization", self.authorization.as_str())
            .header("Cache-Control", "no-cache")
            .call()
            .map_err(|e| from_ureq(e, self.https))?;
        let status = response.status().as_u16();
        match status {
            200 => {
                let etag = etag_of(&response);
                let bytes = response
                    .body_mut()
                    .with_config()
                    .limit(MAX_BODY)
                    .read_to_vec()
                    .map_err(|e| from_ureq(e, self.https))?;
                Ok(Some(Remote { bytes, etag }))
            }
            404 | 410 => Ok(None),
            _ => Err(status_error(status)),
        }
    }

    /// Stores `bytes`: with `If-Match: if_match` when given (replace exactly that version), else with
    /// `If-None-Match: *` (create, never replace).
    pub fn put(&self, bytes: &[u8], if_match: Option<&str>) -> Result<PutResult, WebDavError> {
        match if_match {
            Some(tag) => self.put_when(bytes, Condition::IfMatch(tag)),
            None => self.put_when(bytes, Condition::IfNoneMatch),
        }
    }

    fn put_when(&self, bytes: &[u8], condition: Condition<'_>) -> Result<PutResult, WebDavError> {
        if bytes.len() as u64 > MAX_BODY {
            return Err(WebDavError::TooLarge);
        }
        let request = self
            .agent
            .put(&self.url)
            .header("Authorization", self.authorization.as_str())
            .header("Content-Type", "application/octet-stream");
        let request = match condition {
            Condition::IfMatch(tag) => request.header("If-Match", tag),
            Condition::IfNoneMatch => request.header("If-None-Match", "*"),
            Condition::None => request,
        };
        let response = request.send(bytes).map_err(|e| from_ureq(e, self.https))?;
        let status = response.status().as_u16();
        match status {
            200..=299 => Ok(PutResult::Stored { etag: etag_of(&response) }),
            412 => Ok(PutResult::PreconditionFailed),
            // 409 is WebDAV's "the parent collection does not exist".
            404 | 409 => Err(WebDavError::NotFound),
            _ => Err(status_error(status)),
        }
    }
}

/// One sync round (see the module docs): GET the file and its `ETag`; `upload_for(remote bytes or None)`
/// gives the bytes to store (the local vault merged with the remote copy, sealed); PUT them with `If-Match`
/// (`If-None-Match: *` to create). On 412, back off, fetch again, call `upload_for` again and retry, at most
/// [`MAX_ATTEMPTS`] PUTs. After a store, read the file back: if the server holds something else that
/// `upload_for` would change (a writer that had not seen ours won), merge again.
///
/// `upload_for` must return the remote bytes unchanged when merging them brings in nothing new (the round
/// skips the PUT when the bytes equal the remote's, and relies on that to tell "a later writer merged us in"
/// from "a stale writer replaced us"): reseal only when the merged contents differ.
pub fn round<F>(dav: &WebDav, mut upload_for: F) -> Result<RoundOutcome, WebDavError>
where
    F: FnMut(Option<&[u8]>) -> Result<Vec<u8>, String>,
{
    let mut outcome = RoundOutcome::default();
    let mut remote = get_settled(dav)?;
    // Bytes already merged against `remote` (after a read-back), so `upload_for` is not called twice on it.
    let mut pending: Option<Vec<u8>> = None;
    loop {
        let ours = match pending.take() {
            Some(bytes) => bytes,
            None => upload_for(remote.as_ref().map(|r| r.bytes.as_slice())).map_err(WebDavError::Merge)?,
        };
        if remote.as_ref().is_some_and(|r| r.bytes == ours) {
            return Ok(outcome);
        }
        if outcome.attempts >= MAX_ATTEMPTS {
            return Err(WebDavError::TooManyConflicts);
        }
        outcome.attempts += 1;
        let condition = match &remote {
            None => Condition::IfNoneMatch,
            Some(Remote { etag: Some(tag), .. }) => Condition::IfMatch(tag),
            Some(Remote { etag: None, .. }) => Condition::None,
        };
        let put = match dav.put_when(&ours, condition) {
            // Another client holds a WebDAV lock, or the connection broke off (the PUT may or may not have
            // landed): like a 412, fetch what is there now and merge again.
            Err(WebDavError::Locked | WebDavError::Disconnected) => PutResult::PreconditionFailed,
            other => other?,
        };
        match put {
            PutResult::PreconditionFailed => {
                std::thread::sleep(backoff(outcome.attempts));
                remote = get_settled(dav)?;
            }
            PutResult::Stored { .. } => {
                outcome.uploaded = true;
                let back = get_settled(dav)?;
                if back.as_ref().is_some_and(|b| b.bytes == ours) {
                    return Ok(outcome);
                }
                // Someone wrote after us. If their copy already holds ours, it was merged in: done.
                if let Some(theirs) = back.as_ref() {
                    let merged = upload_for(Some(&theirs.bytes)).map_err(WebDavError::Merge)?;
                    if merged == theirs.bytes {
                        return Ok(outcome);
                    }
                    outcome.remote_ignored_if_match = true;
                    pending = Some(merged);
                }
                remote = back;
            }
        }
    }
}

/// GET, retried (with back-off, a few times) while the file is locked or the answer breaks off: a server
/// that writes files in place (rclone) cuts a GET short when a PUT truncates the file under it.
fn get_settled(dav: &WebDav) -> Result<Option<Remote>, WebDavError> {
    let mut tries = 1;
    loop {
        match dav.get() {
            Err(WebDavError::Locked | WebDavError::Disconnected) if tries < 4 => {
                std::thread::sleep(backoff(tries));
                tries += 1;
            }
            other => return other,
        }
    }
}

/// The wait after the `attempt`-th PUT got 412: 100 ms doubling up to 1.6 s, plus up to 100 ms of jitter so
/// that two writers that collided do not collide again in lockstep.
pub(super) fn backoff(attempt: u32) -> Duration {
    let base = 100u64 << attempt.saturating_sub(1).min(4);
    let mut byte = [0u8; 1];
    let jitter = if getrandom::fill(&mut byte).is_ok() { u64::from(byte[0]) * 100 / 255 } else { 50 };
    Duration::from_millis(base + jitter)
}

fn etag_of(response: &ureq::http::Response<ureq::Body>) -> Option<String> {
    response.headers().get("etag").and_then(|v| v.to_str().ok()).map(|v| v.trim().to_string())
}

fn status_error(status: u16) -> WebDavError {
    match status {
        401 => WebDavError::Unauthorized,
        403 => WebDavError::Forbidden,
        404 | 409 => WebDavError::NotFound,
        413 => WebDavError::TooLarge,
        423 => WebDavError::Locked,
        507 => WebDavError::InsufficientStorage,
        300..=399 => WebDavError::Redirected(status),
        _ => WebDavError::Server(status),
    }
}

fn from_ureq(error: ureq::Error, https: bool) -> WebDavError {
    use std::io::ErrorKind;
    match error {
        ureq::Error::Timeout(_) => WebDavError::Timeout,
        ureq::Error::Io(e) if matches!(e.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => WebDavError::Timeout,
        ureq::Error::Io(e)
            if matches!(
                e.kind(),
                ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::UnexpectedEof
            ) =>
        {
            WebDavError::Disconnected
        }
        // rustls reports a failed handshake or a refused certificate through the socket as invalid data.
        ureq::Error::Io(e) if https && e.kind() == ErrorKind::InvalidData => WebDavError::Tls(e.to_string()),
        ureq::Error::Io(e) => WebDavError::Unreachable(io_reason(&e)),
        ureq::Error::HostNotFound => WebDavError::Unreachable("the server's name was not found".into()),
        ureq::Error::ConnectionFailed => WebDavError::Unreachable("the connection failed".into()),
        // A connection closed before a full answer surfaces as a protocol error too.
        ureq::Error::Protocol(_) => WebDavError::Disconnected,
        ureq::Error::Tls(reason) => WebDavError::Tls(reason.to_string()),
        ureq::Error::Rustls(e) => WebDavError::Tls(e.to_string()),
        ureq::Error::BodyExceedsLimit(_) => WebDavError::TooLarge,
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => WebDavError::BadUrl("the HTTP library refused it".into()),
        ureq::Error::RequireHttpsOnly(_) => WebDavError::NotAllowed,
        ureq::Error::StatusCode(code) => status_error(code),
        other => WebDavError::Unreachable(other.to_string()),
    }
}

fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::ConnectionRefused => "the connection was refused (is the server running?)".into(),
        _ => error.to_string(),
    }
}

/// Checks a WebDAV address and returns the file's URL and whether it is https. See the module docs.
fn file_url(url: &str) -> Result<(String, bool), WebDavError> {
    let url = url.trim();
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(WebDavError::BadUrl("it contains spaces or control characters".into()));
    }
    let (scheme, rest) =
        url.split_once("://").ok_or_else(|| WebDavError::BadUrl("it must start with https://".into()))?;
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return Err(WebDavError::BadUrl("it must start with https://".into())),
    };
    if rest.contains('#') {
        return Err(WebDavError::BadUrl("it must not contain a # fragment".into()));
    }
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err(WebDavError::BadUrl("put the user name and password in their own fields, not the address".into()));
    }
    let host = host_of(authority)?;
    if !https && !is_loopback(&host) {
        return Err(WebDavError::NotAllowed);
    }
    if path.contains('?') {
        return Err(WebDavError::BadUrl("it must not contain a ? query".into()));
    }
    let mut file =
        format!("{}://{authority}{}", if https { "https" } else { "http" }, if path.is_empty() { "/" } else { path });
    if file.ends_with('/') {
        file.push_str(DEFAULT_FILE_NAME);
    }
    Ok((file, https))
}

/// The host of `host[:port]` or `[v6]:port`, lowercased, after checking the port.
fn host_of(authority: &str) -> Result<String, WebDavError> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) =
            rest.split_once(']').ok_or_else(|| WebDavError::BadUrl("an IPv6 address lacks its ]".into()))?;
        if host.parse::<Ipv6Addr>().is_err() {
            return Err(WebDavError::BadUrl("the IPv6 address is not valid".into()));
        }
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':').ok_or_else(|| WebDavError::BadUrl("junk after ]".into()))?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() {
        return Err(WebDavError::BadUrl("it names no server".into()));
    }
    let port_ok = port.is_none_or(|port| port.is_empty() || port.parse::<u16>().is_ok_and(|p| p > 0));
    if !port_ok {
        return Err(WebDavError::BadUrl("the port is not a number from 1 to 65535".into()));
    }
    Ok(host.to_ascii_lowercase())
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(url: &str) -> WebDavTarget {
        WebDavTarget { url: url.into(), user: "me".into(), app_password: Zeroizing::new("hunter2-app".into()) }
    }

    fn url_of(url: &str) -> Result<String, WebDavError> {
        WebDav::new(&target(url)).map(|dav| dav.file_url().to_string())
    }

    #[test]
    fn the_address_names_the_file_or_a_folder_ending_in_a_slash() {
        let file = "https://cloud.example/remote.php/dav/files/me/Twofold/twofold.vault";
        assert_eq!(url_of(file).unwrap(), file);
        assert_eq!(
            url_of("https://cloud.example/remote.php/dav/files/me/Twofold/").unwrap(),
            "https://cloud.example/remote.php/dav/files/me/Twofold/twofold.vault"
        );
        assert_eq!(url_of("https://nas.local:5006").unwrap(), "https://nas.local:5006/twofold.vault");
        assert_eq!(url_of("  HTTPS://nas.local/dav/x.vault ").unwrap(), "https://nas.local/dav/x.vault");
    }

    #[test]
    fn plain_http_is_for_this_computer_only() {
        for ok in [
            "http://localhost:8080/v",
            "http://127.0.0.1/v",
            "http://127.1.2.3:1/v",
            "http://[::1]:80/v",
            "http://LOCALHOST/",
        ] {
            assert!(url_of(ok).is_ok(), "{ok}");
        }
        for refused in [
            "http://cloud.example/v",
            "http://192.168.1.10/v",
            "http://10.0.0.1/v",
            "http://[::2]/v",
            "http://localhost.evil.example/v",
            "http://127.0.0.1.evil.example/v",
        ] {
            assert_eq!(url_of(refused), Err(WebDavError::NotAllowed), "{refused}");
        }
    }

    #[test]
    fn bad_addresses_say_what_is_wrong() {
        let cases = [
            ("cloud.example/v", "https://"),
            ("ftp://cloud.example/v", "https://"),
            ("https://me:pw@cloud.example/v", "own fields"),
            ("https:///v", "names no server"),
            ("https://cloud.example:99999/v", "port"),
            ("https://cloud.example:x/v", "port"),
            ("https://cloud.example/v?x=1", "query"),
            ("https://cloud.example/v#f", "fragment"),
            ("https://cloud.example/my vault", "spaces"),
            ("https://[::1/v", "]"),
        ];
        for (url, says) in cases {
            match url_of(url) {
                Err(WebDavError::BadUrl(why)) => assert!(why.contains(says), "{url}: {why}"),
                other => panic!("{url}: {other:?}"),
            }
        }
        // The refused address is not repeated in the message: it may hold a password.
        let message = url_of("https://me:secretpw@cloud.example/v").unwrap_err().to_string();
        assert!(!message.contains("secretpw"), "{message}");
    }

    #[test]
    fn messages_are_one_sentence_and_carry_no_secret() {
        let all = [
            WebDavError::Unauthorized,
            WebDavError::Forbidden,
            WebDavError::NotFound,
            WebDavError::InsufficientStorage,
            WebDavError::Unreachable("the connection was refused (is the server running?)".into()),
            WebDavError::Disconnected,
            WebDavError::Locked,
            WebDavError::Tls("invalid peer certificate: UnknownIssuer".into()),
            WebDavError::Timeout,
            WebDavError::TooManyConflicts,
            WebDavError::NotAllowed,
            WebDavError::BadUrl("it names no server".into()),
            WebDavError::Redirected(301),
            WebDavError::Server(500),
            WebDavError::Merge("wrong password".into()),
            WebDavError::TooLarge,
        ];
        for error in all {
            let text = error.to_string();
            assert!(text.starts_with(char::is_lowercase) && !text.ends_with('.'), "{text}");
            assert!(!text.contains('\n'), "{text}");
        }
        assert_eq!(WebDavError::Unauthorized.to_string(), "the server refused the user name or app password (401)");
        assert_eq!(WebDavError::InsufficientStorage.to_string(), "the server has no space left for the vault (507)");
        assert_eq!(WebDavError::Timeout.to_string(), "the server did not answer in time");
    }

    #[test]
    fn debug_never_prints_the_password() {
        let t = target("https://cloud.example/v");
        let dav = WebDav::new(&t).unwrap();
        for text in [format!("{t:?}"), format!("{dav:?}")] {
            assert!(!text.contains("hunter2"), "{text}");
            assert!(!text.contains(&data_encoding::BASE64.encode(b"me:hunter2-app")), "{text}");
            assert!(text.contains("<redacted>"), "{text}");
        }
    }

    #[test]
    fn status_codes_map_to_their_errors() {
        assert_eq!(status_error(401), WebDavError::Unauthorized);
        assert_eq!(status_error(507), WebDavError::InsufficientStorage);
        assert_eq!(status_error(409), WebDavError::NotFound);
        assert_eq!(status_error(423), WebDavError::Locked);
        assert_eq!(status_error(302), WebDavError::Redirected(302));
        assert_eq!(status_error(502), WebDavError::Server(502));
    }

    #[test]
    fn backoff_doubles_and_stays_bounded() {
        assert!(backoff(1) >= Duration::from_millis(100) && backoff(1) <= Duration::from_millis(200));
        assert!(backoff(4) >= Duration::from_millis(800));
        assert!(backoff(40) <= Duration::from_millis(1700));
        let total: Duration = (1..MAX_ATTEMPTS).map(backoff).sum();
        assert!(total > Duration::from_secs(1), "the retries outlast Apache's weak-ETag second: {total:?}");
    }
}
