//! Tests of `deeplink`.

use super::*;

const LINK: &str = "otpauth://totp/Example:alice@example.com?secret=GEZDGNBVGY3TQOJQ&issuer=Example";

#[test]
fn only_otpauth_links_are_kept() {
    let pending = PendingLinks::default();
    assert!(pending.push(LINK.into()));
    assert!(pending.push("OTPAUTH://hotp/x?secret=GEZDGNBV&counter=1".into()));
    assert!(!pending.push("https://example.com/".into()));
    assert!(!pending.push("otpauth-migration://offline?data=AA".into()));
    assert!(!pending.push("--data-dir".into()));
    assert!(!pending.push("otpauth:".into()));
    assert!(!pending.push("ötpauth://totp/x".into()));
    assert_eq!(pending.len(), 2);
    assert_eq!(pending.pop().as_deref().map(String::as_str), Some(LINK));
}

#[test]
fn the_queue_keeps_the_newest_links() {
    let pending = PendingLinks::default();
    for i in 0..MAX_PENDING + 3 {
        pending.push(format!("otpauth://totp/n{i}?secret=GEZDGNBV"));
    }
    assert_eq!(pending.len(), MAX_PENDING);
    assert_eq!(pending.pop().as_deref().map(String::as_str), Some("otpauth://totp/n3?secret=GEZDGNBV"));
}
