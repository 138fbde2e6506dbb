//! Finding and waiting for child processes, on a real child (`/bin/sleep`) of the test.

use std::process::Command;
use std::time::{Duration, Instant};

use super::{app_processes, children, is_alive, wait_app_gone};

/// Polls `done` for up to 5 s.
fn eventually(what: &str, done: impl Fn() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(5), "{what} did not happen within 5 s");
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_running_child_is_found_and_an_exited_one_is_not_even_before_it_is_reaped() {
    let mut child = Command::new("/bin/sleep").arg("30").spawn().unwrap();
    let pid = child.id();
    assert!(app_processes("/bin/sleep").contains(&pid));
    assert!(children(std::process::id(), "sleep").contains(&pid));
    assert!(is_alive(pid, "sleep"));
    assert!(!is_alive(pid, "WebKitWebDriver"));

    child.kill().unwrap();
    // Not waited for yet: a zombie, which has released everything it held.
    eventually("the child's exit", || !app_processes("/bin/sleep").contains(&pid));
    assert!(!children(std::process::id(), "sleep").contains(&pid));
    assert!(!is_alive(pid, "sleep"));
    child.wait().unwrap();
}

#[test]
fn waiting_for_an_app_returns_once_it_has_exited() {
    // Not `/bin/sleep`, which the other test runs at the same time.
    let mut child = Command::new("/bin/sh").args(["-c", "sleep 0.3; true"]).spawn().unwrap();
    let started = Instant::now();
    wait_app_gone("/bin/sh").unwrap();
    assert!(started.elapsed() >= Duration::from_millis(250), "returned while the app still ran");
    child.wait().unwrap();
}
