//! The plain `otpauth://` list: one link per line, read back by our link parser to the same accounts.

use twofold_core::export::{self, ExportError, Format, PlaintextAck, Protection};
use twofold_core::{Account, Algorithm, OtpKind, OtpParams, Secret, uri};

#[allow(clippy::unwrap_used)]
fn accounts() -> Vec<Account> {
    let key = |n: u8, len: usize| Secret::from_bytes(vec![n; len]).unwrap();
    let p = |kind, algorithm, digits| OtpParams { kind, algorithm, digits };
    vec![
        Account::new("GitHub", "alice@example.com", key(1, 20), OtpParams::default_totp(), 0),
        Account::new(
            "Bank & Co",
            "bob+tag@mail.example",
            key(2, 32),
            p(OtpKind::Hotp { counter: 99 }, Algorithm::Sha256, 8),
            0,
        ),
        Account::new("", "just a name", key(3, 64), p(OtpKind::Totp { period: 60 }, Algorithm::Sha512, 7), 0),
        Account::new("Steam", "gamer", key(4, 10), OtpParams::steam(), 0),
        Account::new("Ünïcødé: Inc?", "名前 / with:colon #1", key(5, 16), OtpParams::default_totp(), 0),
    ]
}

fn ack() -> Protection<'static> {
    Protection::Plaintext(PlaintextAck::user_accepted_unencrypted_secrets())
}

#[test]
fn links_round_trip_through_the_link_parser() {
    let accounts = accounts();
    let exported = export::export(&accounts, Format::OtpauthList, ack(), 0).unwrap();
    assert_eq!(exported.count, accounts.len());
    let text = std::str::from_utf8(&exported.bytes).unwrap();
    assert!(text.ends_with('\n'));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), accounts.len());
    for (line, account) in lines.iter().zip(&accounts) {
        assert!(line.starts_with("otpauth://"), "{line}");
        let parsed = uri::parse(line).unwrap();
        assert_eq!(parsed.issuer, account.issuer);
        assert_eq!(parsed.name, account.name);
        assert_eq!(parsed.secret, account.secret);
        assert_eq!(parsed.otp, account.otp);
        assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }
}

#[test]
fn plaintext_list_needs_the_acknowledgement_not_a_password() {
    assert_eq!(
        export::export(&accounts(), Format::OtpauthList, Protection::Password("pw"), 0).unwrap_err(),
        ExportError::NotEncryptable { format: Format::OtpauthList }
    );
    assert!(Format::OtpauthList.is_plaintext());
}

#[test]
fn verify_rejects_a_tampered_list() {
    let accounts = accounts();
    let exported = export::export(&accounts, Format::OtpauthList, ack(), 0).unwrap();
    let text = std::str::from_utf8(&exported.bytes).unwrap();
    let first_line_dropped: String = text.lines().skip(1).map(|l| format!("{l}\n")).collect();
    let err = export::verify(first_line_dropped.as_bytes(), Format::OtpauthList, ack(), &accounts).unwrap_err();
    assert!(err.to_string().contains("accounts written but"), "{err}");
    let garbage = format!("{text}not a link\n");
    let err = export::verify(garbage.as_bytes(), Format::OtpauthList, ack(), &accounts).unwrap_err();
    assert!(err.to_string().contains("line 6"), "{err}");
}
