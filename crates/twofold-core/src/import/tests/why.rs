//! Tests of [`Why`]: every variant is in [`Why::samples`] (front ends test their wording with it), and
//! damaged files of real formats fail with the typed reason, never with prose.

use super::*;

/// The position of `why`'s variant. No wildcard arm: a new variant does not compile until it is listed here,
/// and the test below then fails until [`Why::samples`] has it too.
fn variant(why: &Why) -> usize {
    match why {
        Why::NotJson => 0,
        Why::NotUtf8 => 1,
        Why::MissingField { .. } => 2,
        Why::InvalidField { .. } => 3,
        Why::NotBase64 { .. } => 4,
        Why::FileNotBase64 => 5,
        Why::WrongLength { .. } => 6,
        Why::UnexpectedStructure => 7,
        Why::NotAList => 8,
        Why::CannotDecrypt => 9,
        Why::EndsEarly => 10,
        Why::Unknown { .. } => 11,
        Why::NotANumber { .. } => 12,
        Why::Negative { .. } => 13,
        Why::OutOfRange { .. } => 14,
        Why::NotPowerOfTwo { .. } => 15,
        Why::TooMuchWork { .. } => 16,
        Why::KdfRefused => 17,
        Why::NoPasswordSlot => 18,
        Why::PgpEncrypted => 19,
        Why::GeneratedColumn { .. } => 20,
        Why::Database { .. } => 21,
        Why::Archive { .. } => 22,
        Why::TooMany { .. } => 23,
        Why::TooManyRows { .. } => 24,
        Why::TooMuchData { .. } => 25,
        Why::EndlessQuery => 26,
        Why::NoEntries => 27,
        Why::NoLinks => 28,
        Why::NotALink => 29,
        Why::NoReadableLink { .. } => 30,
        Why::Link(_) => 31,
        Why::Transfer(_) => 32,
        Why::TransferEntry(_) => 33,
    }
}

#[test]
fn samples_hold_every_variant_once() {
    let mut seen: Vec<usize> = Why::samples().iter().map(variant).collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..=33).collect::<Vec<_>>());
}

#[test]
fn english_display_is_a_lower_case_clause_without_a_trailing_dot() {
    for why in Why::samples() {
        let text = why.to_string();
        assert!(!text.is_empty() && !text.ends_with('.'), "{text:?}");
        assert!(!text.starts_with(char::is_uppercase), "{text:?}");
    }
}

fn damaged_why(bytes: &[u8], format: Format, password: Option<&str>) -> Why {
    match import(bytes, format, password, 0) {
        Err(ImportError::Damaged { why }) => why,
        other => panic!("expected Damaged, got {:?}", other.map(|r| r.accounts.len())),
    }
}

#[test]
fn a_bitwarden_export_without_kdf_iterations_names_the_field() {
    let file = br#"{"encrypted":true,"passwordProtected":true,"salt":"s","kdfType":0,"data":"2.AA==|AA==|AA=="}"#;
    assert_eq!(damaged_why(file, Format::Bitwarden, Some("x")), Why::MissingField { field: "kdfIterations".into() });
}

#[test]
fn truncated_and_malformed_files_give_typed_reasons() {
    assert_eq!(damaged_why(b"[{\"secret\":", Format::AndOtp, None), Why::NotJson);
    assert_eq!(damaged_why(&[0u8; 10], Format::AndOtp, Some("x")), Why::EndsEarly);
    assert_eq!(damaged_why(b"{\"tokens\":3}", Format::FreeOtpPlus, None), Why::missing("tokens"));
    assert_eq!(damaged_why(b"<map><string name=\"a\">b</string>", Format::FreeOtpXml, None), Why::EndsEarly);
    assert_eq!(damaged_why(&[0xAC, 0xED, 0, 5, 0x73], Format::FreeOtpBackup, Some("x")), Why::EndsEarly);
    assert_eq!(damaged_why(b"{\"a\":1}", Format::Duo, None), Why::NotAList);
}

#[test]
fn entry_problems_carry_typed_reasons() {
    let text = "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP&period=0\nhello\notpauth://totp/A:c\notpauth://totp/A:d?secret=JBSWY3DPEHPK3PXP\n";
    let report = import(text.as_bytes(), Format::OtpauthList, None, 0).unwrap();
    let kinds: Vec<&ProblemKind> = report.problems.iter().map(|p| &p.kind).collect();
    assert!(matches!(kinds[0], ProblemKind::Malformed(Why::Link(_))), "{kinds:?}");
    assert_eq!(kinds[1], &ProblemKind::Malformed(Why::NotALink));
    assert_eq!(kinds[2], &ProblemKind::Malformed(Why::Link(crate::uri::LinkError::MissingSecret)));
}
