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
    use std::os::unix::process::CommandExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    // A name of its own (argv[0]), so the other test's `/bin/sleep` never counts.
    const APP: &str = "twofold-e2e-waited-app";
    let mut child = Command::new("/bin/sleep").arg0(APP).arg("30").spawn().unwrap();
    let pid = child.id();
    eventually("the child to be seen", || app_processes(APP).contains(&pid));

    // Another thread ends the app a little later; the flag is raised before the kill, so a wait that returns
    // while the app still runs finds it down.
    let killing = Arc::new(AtomicBool::new(false));
    let killer = {
        let killing = Arc::clone(&killing);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            killing.store(true, Ordering::SeqCst);
            child.kill().unwrap();
            child.wait().unwrap();
        })
    };
    wait_app_gone(APP).unwrap();
    assert!(killing.load(Ordering::SeqCst), "returned while the app still ran");
    assert!(!app_processes(APP).contains(&pid));
    killer.join().unwrap();
}
