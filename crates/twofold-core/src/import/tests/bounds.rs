//! Issue 13, the parts only the crate can see: the cancel flag between Aegis slots, the XML scanners'
//! edge cases. The crafted whole files are in `crates/twofold-core/tests/hostile_imports.rs`.

use super::super::common::{shared_pref_string, shared_pref_strings, xml_unescape};
use super::super::*;

/// An encrypted Aegis file with `slots` cheap password slots (N = 2) whose keys no password opens.
fn aegis_cheap_slots(slots: usize) -> Vec<u8> {
    let slot = r#"{"type":1,"uuid":"u","key":"0000000000000000000000000000000000000000000000000000000000000000","key_params":{"nonce":"000000000000000000000000","tag":"00000000000000000000000000000000"},"n":2,"r":1,"p":1,"salt":"11"}"#;
    let slots = vec![slot; slots].join(",");
    format!(r#"{{"version":1,"header":{{"slots":[{slots}],"params":{{"nonce":"000000000000000000000000","tag":"00000000000000000000000000000000"}}}},"db":"AAAA"}}"#)
        .into_bytes()
}

/// Regression, issue 13: `cancel_import` could not stop an Aegis import that was deriving slot after slot.
/// The flag is checked before each slot: one that trips at its third check (the import's start, slot 1,
/// slot 2) stops after one derivation, where the file would otherwise end in a wrong password.
#[test]
fn cancel_stops_an_aegis_import_between_two_slots() {
    let file = aegis_cheap_slots(3);
    assert_eq!(import(&file, Format::Aegis, Some("x"), 0).unwrap_err(), ImportError::WrongPassword);
    let cancel = Cancel::after_checks(2);
    assert_eq!(import_cancellable(&file, Format::Aegis, Some("x"), 0, &cancel).unwrap_err(), ImportError::Cancelled);
    assert!(cancel.is_cancelled());
}

#[test]
fn a_cancelled_flag_is_seen_by_its_clones() {
    let cancel = Cancel::new();
    let shell_copy = cancel.clone();
    assert!(!cancel.is_cancelled());
    shell_copy.cancel();
    assert!(cancel.is_cancelled());
    let text = b"otpauth://totp/A:x?secret=JBSWY3DPEHPK3PXP\n";
    assert_eq!(import_cancellable(text, Format::OtpauthList, None, 0, &cancel).unwrap_err(), ImportError::Cancelled);
}

#[test]
fn eight_password_slots_are_tried_and_nine_are_refused() {
    assert_eq!(import(&aegis_cheap_slots(8), Format::Aegis, Some("x"), 0).unwrap_err(), ImportError::WrongPassword);
    assert!(matches!(
        import(&aegis_cheap_slots(9), Format::Aegis, Some("x"), 0),
        Err(ImportError::LimitExceeded { .. })
    ));
}

#[test]
fn entities_are_decoded_only_within_their_longest_length() {
    assert_eq!(xml_unescape("&#x10FFFF;&#x110000;").as_str(), "\u{10FFFF}&#x110000;");
    assert_eq!(xml_unescape("a&amp").as_str(), "a&amp");
    assert_eq!(xml_unescape("&;&&amp;").as_str(), "&;&&");
    // The `;` is 11 bytes after the `&` (five two-byte letters): too far for an entity, kept as text.
    assert_eq!(xml_unescape("&ééééé;").as_str(), "&ééééé;");
    assert_eq!(xml_unescape("&#233;&lt;é&gt;").as_str(), "é<é>");
}

#[test]
fn empty_string_elements_are_values_only_when_asked_for_by_name() {
    let xml = "<map><string name=\"a\"/><string name='b'>x &amp; y</string><string name=\"c\" /></map>";
    assert_eq!(shared_pref_string(xml, "a").as_deref().map(String::as_str), Some(""));
    assert_eq!(shared_pref_string(xml, "c").as_deref().map(String::as_str), Some(""));
    assert_eq!(shared_pref_string(xml, "b").as_deref().map(String::as_str), Some("x & y"));
    let all: Vec<(String, String)> =
        shared_pref_strings(xml).into_iter().map(|(k, v)| (k, String::clone(&v))).collect();
    assert_eq!(all, vec![("b".to_string(), "x & y".to_string())]);
}
