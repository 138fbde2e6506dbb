//! The WebDAV sync client (`twofold_core::sync::webdav`) against real servers (Apache `mod_dav` and
//! `rclone serve webdav`, which differ in ETag handling) and a misbehaving one (`FaultyServer`).
//!
//! The "vault" here is a set of lines and the merge is their union: what the round must guarantee does not
//! depend on the vault format, and a lost line is plain to see.

use std::collections::BTreeSet;
use std::time::Duration;

use twofold_core::sync::webdav::{PutResult, WebDav, WebDavError, WebDavTarget, round};
use twofold_tests::servers::free_port;
use twofold_tests::servers::webdav::{Fault, FaultyServer, Kind, PASSWORD, USER, WebDavServer};
use zeroize::Zeroizing;

fn target(url: &str, password: &str) -> WebDavTarget {
    WebDavTarget { url: url.into(), user: USER.into(), app_password: Zeroizing::new(password.into()) }
}

fn client(url: &str) -> WebDav {
    WebDav::new(&target(url, PASSWORD)).expect("a test step")
}

fn lines(bytes: &[u8]) -> BTreeSet<String> {
    String::from_utf8_lossy(bytes).lines().map(str::to_string).collect()
}

fn join(set: &BTreeSet<String>) -> Vec<u8> {
    set.iter().flat_map(|l| format!("{l}\n").into_bytes()).collect()
}

/// A writer with a local set of lines; its merge is the union, and it returns the remote bytes untouched
/// when they already hold everything (the contract `round` documents).
struct Writer {
    local: BTreeSet<String>,
}

impl Writer {
    fn new() -> Self {
        Self { local: BTreeSet::new() }
    }

    fn upload_for(&mut self, remote: Option<&[u8]>) -> Vec<u8> {
        let Some(remote) = remote else { return join(&self.local) };
        self.local.extend(lines(remote));
        let merged = join(&self.local);
        if lines(remote) == self.local { remote.to_vec() } else { merged }
    }

    /// One round, retried while the server keeps changing under it (what the app does later).
    fn sync(&mut self, dav: &WebDav) -> twofold_core::sync::webdav::RoundOutcome {
        for _ in 0..10 {
            match round(dav, |remote| Ok(self.upload_for(remote))) {
                Err(WebDavError::TooManyConflicts) => continue,
                other => return other.expect("the round"),
            }
        }
        panic!("ten rounds in a row met only conflicts");
    }
}

fn on_server(server: &WebDavServer, name: &str) -> BTreeSet<String> {
    lines(&std::fs::read(server.root.join(name)).expect("a test step"))
}

fn create_update_and_merge_a_stale_write(kind: Kind) {
    let Some(server) = WebDavServer::start(kind, "webdav_create_update_stale") else { return };
    let dav = client(&server.url("twofold.vault"));
    assert_eq!(dav.get().expect("a test step"), None);

    let mut me = Writer::new();
    me.local.insert("a".into());
    let created = me.sync(&dav);
    assert!(created.uploaded && created.attempts >= 1, "{created:?}");
    assert_eq!(on_server(&server, "twofold.vault"), lines(b"a\n"));
    let fetched = dav.get().expect("a test step").expect("a test step");
    assert!(fetched.etag.is_some(), "{kind:?} gives an ETag");

    // Nothing new: no PUT at all.
    let idle = me.sync(&dav);
    assert_eq!((idle.uploaded, idle.attempts), (false, 0));

    // Update.
    me.local.insert("b".into());
    assert!(me.sync(&dav).uploaded);
    assert_eq!(on_server(&server, "twofold.vault"), lines(b"a\nb\n"));

    // Another computer writes between our GET and our PUT: our ETag is stale.
    let other_dav = client(&server.url("twofold.vault"));
    let mut other = Writer::new();
    other.local.insert("from-other".into());
    me.local.insert("c".into());
    let mut interfered = false;
    let outcome = round(&dav, |remote| {
        if !interfered {
            interfered = true;
            other.sync(&other_dav);
        }
        Ok(me.upload_for(remote))
    })
    .expect("a test step");
    assert!(outcome.uploaded);
    let everything = lines(b"a\nb\nc\nfrom-other\n");
    match kind {
        // Apache refused the stale PUT (412), the round fetched, merged and wrote again.
        Kind::Apache => {
            assert!(outcome.attempts >= 2, "{outcome:?}");
            assert_eq!(on_server(&server, "twofold.vault"), everything);
        }
        // rclone stored the stale PUT over the other computer's line; the other computer still has it and
        // its next round puts it back.
        Kind::Rclone => {
            other.sync(&other_dav);
            assert_eq!(on_server(&server, "twofold.vault"), everything);
        }
    }
}

#[test]
fn apache_create_update_and_merge_a_stale_write() {
    create_update_and_merge_a_stale_write(Kind::Apache);
}

#[test]
fn rclone_create_update_and_merge_a_stale_write() {
    create_update_and_merge_a_stale_write(Kind::Rclone);
}

fn racing_writers_lose_nothing(kind: Kind) {
    let Some(server) = WebDavServer::start(kind, "webdav_racing_writers") else { return };
    let url = server.url("twofold.vault");
    const ROUNDS: usize = 4;
    let handles: Vec<_> = ["w1", "w2"]
        .into_iter()
        .map(|name| {
            let url = url.clone();
            std::thread::spawn(move || {
                let dav = client(&url);
                let mut writer = Writer::new();
                for n in 0..ROUNDS {
                    writer.local.insert(format!("{name}-{n}"));
                    writer.sync(&dav);
                }
                writer
            })
        })
        .collect();
    let mut writers: Vec<Writer> = handles.into_iter().map(|h| h.join().expect("a test step")).collect();
    let all: BTreeSet<String> =
        ["w1", "w2"].iter().flat_map(|w| (0..ROUNDS).map(move |n| format!("{w}-{n}"))).collect();
    if kind == Kind::Apache {
        // If-Match honoured: every round's line is on the server once both are done.
        assert_eq!(on_server(&server, "twofold.vault"), all);
    }
    // One more round each (on a server that ignores If-Match this repairs a stale write that landed after
    // a read-back); then nothing may be missing anywhere.
    let dav = client(&url);
    for writer in &mut writers {
        writer.sync(&dav);
    }
    assert_eq!(on_server(&server, "twofold.vault"), all);
}

#[test]
fn apache_racing_writers_lose_nothing() {
    racing_writers_lose_nothing(Kind::Apache);
}

#[test]
fn rclone_racing_writers_lose_nothing() {
    racing_writers_lose_nothing(Kind::Rclone);
}

#[test]
fn a_server_that_ignores_if_match_is_caught_by_the_read_back() {
    let server = FaultyServer::start(Fault::IgnoreIfMatch);
    server.set_body(b"x\n");
    server.clobber_next_put(b"racer\nx\n");
    let dav = client(&server.url("twofold.vault"));
    let mut me = Writer::new();
    me.local.insert("mine".into());
    let outcome = round(&dav, |remote| Ok(me.upload_for(remote))).expect("a test step");
    assert!(outcome.remote_ignored_if_match, "{outcome:?}");
    assert_eq!(outcome.attempts, 2);
    assert_eq!(lines(&server.body().expect("a test step")), lines(b"mine\nracer\nx\n"));
    assert_eq!(server.puts(), 2);
}

#[test]
fn put_reports_a_failed_precondition() {
    let Some(server) = WebDavServer::start(Kind::Apache, "webdav_put_412") else { return };
    let dav = client(&server.url("v"));
    assert!(matches!(dav.put(b"one", None).expect("a test step"), PutResult::Stored { .. }));
    assert_eq!(dav.put(b"two", None).expect("a test step"), PutResult::PreconditionFailed);
    assert_eq!(dav.put(b"two", Some("\"stale\"")).expect("a test step"), PutResult::PreconditionFailed);
    assert_eq!(std::fs::read(server.root.join("v")).expect("a test step"), b"one");
}

fn assert_no_secret(error: &WebDavError) {
    let text = error.to_string();
    assert!(!text.contains(PASSWORD) && !text.contains("Basic "), "{text}");
}

#[test]
fn wrong_password_missing_folder_and_no_space_give_their_errors() {
    for kind in [Kind::Apache, Kind::Rclone] {
        let Some(server) = WebDavServer::start(kind, "webdav_errors") else { return };
        let wrong = WebDav::new(&target(&server.url("v"), "not the password")).expect("a test step");
        let error = wrong.get().unwrap_err();
        assert_eq!(error, WebDavError::Unauthorized, "{kind:?}");
        assert_no_secret(&error);
        assert_eq!(round(&wrong, |_| Ok(b"x".to_vec())).unwrap_err(), WebDavError::Unauthorized);
        let missing = client(&server.url("no/such/folder/v"));
        assert_eq!(round(&missing, |_| Ok(b"x".to_vec())).unwrap_err(), WebDavError::NotFound, "{kind:?}");
    }
    let denied = FaultyServer::start(Fault::Status(401));
    assert_eq!(client(&denied.url("v")).get().unwrap_err(), WebDavError::Unauthorized);
    let full = FaultyServer::start(Fault::Status(507));
    let error = client(&full.url("v")).put(b"x", None).unwrap_err();
    assert_eq!(error, WebDavError::InsufficientStorage);
    assert_eq!(error.to_string(), "the server has no space left for the vault (507)");
}

#[test]
fn unreachable_closed_and_stalled_servers_give_their_errors() {
    let closed_port = free_port();
    let error = client(&format!("http://127.0.0.1:{closed_port}/v")).get().unwrap_err();
    assert!(matches!(&error, WebDavError::Unreachable(why) if why.contains("refused")), "{error}");
    assert_no_secret(&error);

    let hangs_up = FaultyServer::start(Fault::Close);
    let error = client(&hangs_up.url("v")).get().unwrap_err();
    assert_eq!(error, WebDavError::Disconnected);
    assert_eq!(round(&client(&hangs_up.url("v")), |_| Ok(b"x".to_vec())).unwrap_err(), WebDavError::Disconnected);

    let stalls = FaultyServer::start(Fault::Stall);
    let t = target(&stalls.url("v"), PASSWORD);
    let dav = WebDav::with_timeouts(&t, Duration::from_secs(1), Duration::from_millis(500)).expect("a test step");
    assert_eq!(dav.get().unwrap_err(), WebDavError::Timeout);
    assert_eq!(dav.put(b"x", None).unwrap_err(), WebDavError::Timeout);

    // TLS to a server that speaks plain HTTP fails the handshake.
    let plain = FaultyServer::start(Fault::NotTls);
    let https = format!("https://127.0.0.1:{}/v", plain.port);
    let error = client(&https).get().unwrap_err();
    assert!(matches!(error, WebDavError::Tls(_)), "{error:?}");
}

#[test]
fn plain_http_to_another_computer_is_refused() {
    let error = WebDav::new(&target("http://cloud.example/remote.php/dav/files/me/v", PASSWORD)).unwrap_err();
    assert_eq!(error, WebDavError::NotAllowed);
    assert!(WebDav::new(&target("https://cloud.example/remote.php/dav/files/me/v", PASSWORD)).is_ok());
}

/// A vault here with one account, `issuer`, and its sync keys.
fn vault_with(dir: &std::path::Path, issuer: &str) -> (twofold_core::vault::Vault, twofold_core::sync::SyncKeys) {
    use twofold_core::vault::{KdfParams, VaultContents, VaultError, VaultStore};
    use twofold_core::{Account, OtpParams, Secret};
    let store = VaultStore::new(dir.join(format!("{issuer}.vault")));
    let mut vault = store.create("vault password", KdfParams::MINIMUM, &VaultContents::new()).expect("a test step");
    let secret = Secret::from_bytes(issuer.as_bytes().to_vec()).expect("a test step");
    let account = Account::new(issuer, "me", secret, OtpParams::default_totp(), 100);
    vault
        .update(|c| -> Result<(), VaultError> {
            c.accounts.push(account);
            Ok(())
        })
        .expect("a test step");
    let keys = twofold_core::sync::SyncKeys::new(&vault, "vault password");
    (vault, keys)
}

fn issuers(vault: &twofold_core::vault::Vault) -> BTreeSet<String> {
    vault.contents().accounts.iter().map(|a| a.issuer.clone()).collect()
}

/// rclone serves the first bytes of a file whose upload is still arriving, with a `200`: the round reads such a
/// copy as damaged, fetches it again, and merges it once it is whole; a copy that stays damaged is reported
/// as damaged after a few fetches, and nothing is merged from it or written over it.
#[test]
fn a_copy_still_arriving_is_fetched_again_and_a_damaged_one_is_left_alone() {
    use twofold_core::sync::SyncError;
    use twofold_core::sync::webdav_sync::{WebDavSyncError, round_vault};
    let dir = tempfile::tempdir().expect("a test step");
    let server = FaultyServer::start(Fault::IgnoreIfMatch);
    let dav = client(&server.url("twofold.vault"));
    let (mut laptop, mut laptop_keys) = vault_with(dir.path(), "Laptop");
    round_vault(&dav, &mut laptop, &mut laptop_keys).expect("the laptop's first round");
    let whole = server.body().expect("the laptop's copy");

    let (mut desk, mut desk_keys) = vault_with(dir.path(), "Desk");
    server.truncate_next_gets(2);
    let gets = server.gets();
    let report = round_vault(&dav, &mut desk, &mut desk_keys).expect("a round over a copy still arriving");
    assert_eq!(issuers(&desk), ["Desk", "Laptop"].map(String::from).into());
    assert!(server.gets() - gets >= 3, "the copy was fetched again until whole");
    assert!(report.outcome.uploaded, "{report:?}");

    // A copy that stays damaged: the round says so and the server's file and the local vault stay as they were.
    let (mut other, mut other_keys) = vault_with(dir.path(), "Other");
    server.set_body(&whole);
    server.truncate_next_gets(100);
    let puts = server.puts();
    let error = round_vault(&dav, &mut other, &mut other_keys).unwrap_err();
    assert!(matches!(error, WebDavSyncError::Copy(SyncError::Damaged { .. })), "{error}");
    assert_eq!(server.puts(), puts, "nothing was written over the damaged copy");
    assert_eq!(issuers(&other), ["Other"].map(String::from).into());
}
