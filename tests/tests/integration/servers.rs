//! Self-tests of the sync test servers (`twofold_tests::servers`): they work as the sync tests need, and the
//! ways Apache and rclone differ (module docs of `servers::webdav`) are pinned here, so a new server version
//! that changes them shows up as a failure here rather than as a puzzling sync test.

use std::time::{Duration, Instant};

use twofold_tests::servers::syncthing::SyncthingPair;
use twofold_tests::servers::webdav::{Fault, FaultyServer, Kind, PASSWORD, USER, WebDavServer, basic_auth};
use twofold_tests::servers::{http_agent, wait_for};

#[test]
fn syncthing_file_written_on_a_appears_on_b() {
    let folders = tempfile::tempdir().unwrap();
    let (fa, fb) = (folders.path().join("a"), folders.path().join("b"));
    let Some(pair) = SyncthingPair::start("syncthing_file_written_on_a_appears_on_b", &fa, &fb) else { return };
    let written = Instant::now();
    std::fs::write(fa.join("hello.txt"), b"from a").unwrap();
    let arrived = wait_for("hello.txt on b", Duration::from_secs(30), || {
        std::fs::read(fb.join("hello.txt")).ok().filter(|b| b == b"from a")
    });
    eprintln!("syncthing: a file written on a appeared on b after {} ms", written.elapsed().as_millis());
    assert_eq!(arrived, b"from a");
    pair.wait_in_sync(Duration::from_secs(30));
    assert!(pair.conflict_copies().is_empty());
}

#[test]
fn syncthing_paused_link_and_two_edits_make_a_conflict_copy() {
    let folders = tempfile::tempdir().unwrap();
    let (fa, fb) = (folders.path().join("a"), folders.path().join("b"));
    let Some(pair) = SyncthingPair::start("syncthing_conflict", &fa, &fb) else { return };
    std::fs::write(fa.join("vault.txt"), b"base").unwrap();
    wait_for("vault.txt on b", Duration::from_secs(30), || {
        std::fs::read(fb.join("vault.txt")).ok().filter(|b| b == b"base")
    });
    pair.wait_in_sync(Duration::from_secs(30));

    pair.pause_link();
    std::fs::write(fa.join("vault.txt"), b"edited on a").unwrap();
    std::fs::write(fb.join("vault.txt"), b"edited on b, later").unwrap();
    pair.rescan();
    pair.resume_link();
    pair.wait_in_sync(Duration::from_secs(60));

    let conflicts = wait_for("a conflict copy on both sides", Duration::from_secs(30), || {
        let (ca, cb) = (
            twofold_tests::servers::syncthing::conflict_copies(&fa),
            twofold_tests::servers::syncthing::conflict_copies(&fb),
        );
        (!ca.is_empty() && !cb.is_empty()).then_some((ca, cb))
    });
    let name = conflicts.0[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with("vault.sync-conflict-") && name.ends_with(".txt"), "{name}");
    // Both edits survive: one under the name, the other in the conflict copy, and both sides agree.
    let main_a = std::fs::read(fa.join("vault.txt")).unwrap();
    let copy_a = std::fs::read(&conflicts.0[0]).unwrap();
    let mut both = [main_a.clone(), copy_a];
    both.sort();
    assert_eq!(both, [b"edited on a".to_vec(), b"edited on b, later".to_vec()]);
    assert_eq!(std::fs::read(fb.join("vault.txt")).unwrap(), main_a);
}

struct Answer {
    status: u16,
    etag: Option<String>,
    body: Vec<u8>,
}

fn request(method: &str, url: &str, password: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Answer {
    let agent = http_agent();
    let mut builder =
        ureq::http::Request::builder().method(method).uri(url).header("Authorization", basic_auth(USER, password));
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder.body(body.unwrap_or_default().to_vec()).expect("a valid request");
    let mut response = agent.run(request).unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let etag = response.headers().get("etag").map(|v| v.to_str().expect("an ASCII ETag").to_string());
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_vec().expect("reading the body");
    Answer { status, etag, body }
}

/// What both real servers do alike: GET gives an ETag, a wrong password gets 401, a missing file 404.
fn common_behaviour(server: &WebDavServer) {
    let url = server.url("vault.bin");
    assert_eq!(request("GET", &url, PASSWORD, &[], None).status, 404);
    assert_eq!(request("GET", &url, "wrong password", &[], None).status, 401);
    let created = request("PUT", &url, PASSWORD, &[("If-None-Match", "*")], Some(b"one"));
    assert_eq!(created.status, 201, "{:?}", String::from_utf8_lossy(&created.body));
    let got = request("GET", &url, PASSWORD, &[], None);
    assert_eq!((got.status, got.body.as_slice()), (200, &b"one"[..]));
    assert!(got.etag.is_some(), "{:?}: GET gives an ETag", server.kind);
    assert_eq!(request("PUT", &url, "wrong password", &[], Some(b"x")).status, 401);
    assert_eq!(std::fs::read(server.root.join("vault.bin")).expect("the stored file"), b"one");
}

#[test]
fn apache_honours_if_match_and_if_none_match_with_a_one_second_weak_etag() {
    let Some(server) = WebDavServer::start(Kind::Apache, "apache_preconditions") else { return };
    common_behaviour(&server);
    let url = server.url("vault.bin");
    // Fresh file: the ETag is weak, and even the ETag just read cannot match it.
    let fresh = request("GET", &url, PASSWORD, &[], None).etag.unwrap();
    if fresh.starts_with("W/") {
        let answer = request("PUT", &url, PASSWORD, &[("If-Match", &fresh)], Some(b"two"));
        assert_eq!(answer.status, 412, "a weak ETag never matches If-Match");
    }
    std::thread::sleep(Duration::from_millis(1100));
    let settled = request("GET", &url, PASSWORD, &[], None).etag.unwrap();
    assert!(!settled.starts_with("W/"), "a second later the ETag is strong: {settled}");
    assert_eq!(request("PUT", &url, PASSWORD, &[("If-None-Match", "*")], Some(b"x")).status, 412);
    assert_eq!(request("PUT", &url, PASSWORD, &[("If-Match", "\"stale\"")], Some(b"x")).status, 412);
    let stored = request("PUT", &url, PASSWORD, &[("If-Match", &settled)], Some(b"two"));
    assert_eq!(stored.status, 204);
    assert_eq!(stored.etag, None, "Apache's PUT answer carries no ETag");
    assert_eq!(request("PUT", &url, PASSWORD, &[("If-Match", &settled)], Some(b"x")).status, 412);
    assert_eq!(std::fs::read(server.root.join("vault.bin")).unwrap(), b"two");
}

#[test]
fn rclone_ignores_if_match_and_if_none_match() {
    let Some(server) = WebDavServer::start(Kind::Rclone, "rclone_preconditions") else { return };
    common_behaviour(&server);
    let url = server.url("vault.bin");
    let etag = request("GET", &url, PASSWORD, &[], None).etag.unwrap();
    assert!(!etag.starts_with("W/"), "rclone's ETags are strong: {etag}");
    // Both preconditions are false, and rclone stores anyway: this is the server that ignores If-Match.
    let created_over = request("PUT", &url, PASSWORD, &[("If-None-Match", "*")], Some(b"two"));
    assert!(matches!(created_over.status, 201 | 204), "{}", created_over.status);
    let stale = request("PUT", &url, PASSWORD, &[("If-Match", "\"stale\"")], Some(b"three"));
    assert!(matches!(stale.status, 201 | 204), "{}", stale.status);
    assert!(stale.etag.is_some(), "rclone's PUT answer carries the new ETag");
    let after = request("GET", &url, PASSWORD, &[], None);
    assert_eq!(after.body, b"three");
    assert_eq!(after.etag, stale.etag);
}

#[test]
fn faulty_server_misbehaves_as_asked() {
    let store = FaultyServer::start(Fault::IgnoreIfMatch);
    let url = store.url("v");
    assert_eq!(request("GET", &url, PASSWORD, &[], None).status, 404);
    assert_eq!(request("PUT", &url, PASSWORD, &[("If-None-Match", "*")], Some(b"a")).status, 201);
    assert_eq!(request("PUT", &url, PASSWORD, &[("If-Match", "\"stale\"")], Some(b"b")).status, 204);
    store.clobber_next_put(b"racer");
    assert_eq!(request("PUT", &url, PASSWORD, &[], Some(b"c")).status, 204);
    assert_eq!(store.body().unwrap(), b"racer");
    assert_eq!(store.puts(), 3);

    let denied = FaultyServer::start(Fault::Status(401));
    assert_eq!(request("GET", &denied.url("v"), PASSWORD, &[], None).status, 401);
    let full = FaultyServer::start(Fault::Status(507));
    assert_eq!(request("PUT", &full.url("v"), PASSWORD, &[], Some(b"x")).status, 507);

    let closing = FaultyServer::start(Fault::Close);
    assert!(http_agent().get(closing.url("v")).call().is_err());
    let stalling = FaultyServer::start(Fault::Stall);
    let short = ureq::Agent::config_builder().timeout_global(Some(Duration::from_millis(300))).build().new_agent();
    assert!(matches!(short.get(stalling.url("v")).call(), Err(ureq::Error::Timeout(_))));
}
