//! Tests of `idle`.

use super::*;
use std::sync::atomic::{AtomicI64, Ordering};

fn fake(start: i64) -> (IdleClock, Arc<AtomicI64>) {
    let now = Arc::new(AtomicI64::new(start));
    let idle = IdleClock::new(5);
    let read = Arc::clone(&now);
    idle.set_clock(Arc::new(move || read.load(Ordering::SeqCst)));
    (idle, now)
}

#[test]
fn the_deadline_follows_use_and_the_delay() {
    let (idle, now) = fake(1_000_000);
    assert_eq!(idle.deadline(), None, "nothing to lock before the vault opens");
    idle.opened();
    assert_eq!(idle.deadline(), Some(1_000_000 + 5 * 60_000));
    now.store(1_000_000 + 4 * 60_000, Ordering::SeqCst);
    assert_eq!(idle.due(), Due::WaitFor(MAX_NAP));
    idle.used();
    assert_eq!(idle.deadline(), Some(1_000_000 + 9 * 60_000));
    now.store(1_000_000 + 9 * 60_000 - 1_000, Ordering::SeqCst);
    assert_eq!(idle.due(), Due::WaitFor(Duration::from_secs(1)));
    now.store(1_000_000 + 9 * 60_000, Ordering::SeqCst);
    assert_eq!(idle.due(), Due::Lock);
    idle.set_minutes(0);
    assert_eq!((idle.deadline(), idle.due()), (None, Due::WaitFor(MAX_NAP)), "0 = never");
    idle.set_minutes(1);
    idle.locked();
    assert_eq!(idle.deadline(), None);
}
