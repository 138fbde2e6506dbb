//! Unit tests of the import machinery that need no fixture files. The peer fixtures are checked in
//! `tests/tests/integration/import_fixtures.rs`.

mod bounds;
mod why;

use super::common::{parse_algorithm, parse_csv_for_tests, xml_unescape};
use super::*;
use crate::model::{Algorithm, OtpKind};

fn aegis_plain(entries: &str) -> Vec<u8> {
    format!(r#"{{"version":1,"header":{{"slots":null,"params":null}},"db":{{"version":3,"entries":[{entries}],"groups":[{{"uuid":"g1","name":"Work"}}]}}}}"#)
        .into_bytes()
}

#[test]
fn aegis_entries_convert_and_unsupported_ones_are_named() {
    let file = aegis_plain(
        r#"{"type":"totp","name":"alice","issuer":"GitHub","note":"n","favorite":true,"groups":["g1"],
            "info":{"secret":"JBSWY3DPEHPK3PXP","algo":"SHA256","digits":8,"period":60}},
           {"type":"motp","name":"vpn","issuer":"Corp","info":{"secret":"JBSWY3DP","algo":"MD5","digits":6,"period":10,"pin":"1234"}},
           {"type":"totp","name":"bad","issuer":"X","info":{"secret":"JBSWY3DP","algo":"SHA1","digits":0,"period":30}}"#,
    );
    let inspection = inspect(&file, None).unwrap();
    assert_eq!(inspection, Inspection { format: Format::Aegis, encrypted: false });
    let report = import(&file, Format::Aegis, None, 42).unwrap();
    assert_eq!(report.accounts.len(), 1);
    let a = &report.accounts[0];
    assert_eq!((a.issuer.as_str(), a.name.as_str(), a.note.as_str()), ("GitHub", "alice", "n"));
    assert_eq!(a.otp.kind, OtpKind::Totp { period: 60 });
    assert_eq!((a.otp.algorithm, a.otp.digits), (Algorithm::Sha256, 8));
    assert!(a.favorite);
    assert_eq!(a.groups, vec!["Work".to_string()]);
    assert_eq!(a.created, 42);
    assert_eq!(report.problems.len(), 2);
    assert_eq!(report.problems[0].label, "Corp (vpn)");
    assert_eq!(report.problems[0].kind, ProblemKind::UnsupportedType { kind: "mOTP".into() });
    assert_eq!(
        report.problems[1].kind,
        ProblemKind::InvalidParameter(Why::OutOfRange { field: "digits".into(), value: 0, min: 4, max: 10 })
    );
}

#[test]
fn lenient_base32_drops_trailing_bits_like_other_apps() {
    let lenient_base32 = crate::Secret::parse_base32_lenient;
    assert_eq!(lenient_base32("ABCDEFA").unwrap().as_bytes(), &[0x00, 0x44, 0x32, 0x14]);
    assert_eq!(lenient_base32("jbsw y3dp").unwrap().as_bytes(), b"Hello");
    assert!(lenient_base32("").is_err());
    assert!(lenient_base32("A").is_err());
    assert!(lenient_base32("AB1").is_err());
}

#[test]
fn algorithm_names_from_every_app() {
    for (name, want) in [("SHA1", Algorithm::Sha1), ("sha-256", Algorithm::Sha256), ("HmacSHA512", Algorithm::Sha512)] {
        assert_eq!(parse_algorithm(name).unwrap(), want);
    }
    assert!(parse_algorithm("SHA384").is_err());
    assert!(parse_algorithm("MD5").is_err());
}

#[test]
fn xml_entities_and_csv_quotes() {
    assert_eq!(xml_unescape("&quot;a&amp;b&lt;&#65;&#x42;&bogus;").as_str(), "\"a&b<AB&bogus;");
    let rows = parse_csv_for_tests("a,\"b,c\",\"d \"\"e\"\"\"\r\n1,\"x\ny\",3\n");
    assert_eq!(rows, vec![vec!["a", "b,c", "d \"e\""], vec!["1", "x\ny", "3"]]);
}

#[test]
fn problems_never_quote_a_secret() {
    let text = "otpauth://totp/Acme:bob?secret=SUPERSECRETKEYAB&digits=99\n\
                otpauth://hotp/Acme:carol?secret=SUPERSECRETKEYCD\n\
                otpauth://totp/Acme:dave?secret=SUPERSECRETKEY1E\n\
                otpauth://totp/Acme:erin?secret=JBSWY3DPEHPK3PXP\n";
    let report = import(text.as_bytes(), Format::OtpauthList, None, 0).unwrap();
    assert_eq!((report.accounts.len(), report.problems.len()), (1, 3));
    for p in &report.problems {
        let message = p.to_string();
        assert!(!message.contains("SUPERSECRET"), "{message}");
        assert!(message.contains("Acme"), "{message}");
    }
}

#[test]
fn encrypted_files_ask_for_a_password_and_refuse_a_wrong_one() {
    // andOTP's old format: SHA-256(password) as the AES-GCM key, nonce ‖ ciphertext ‖ tag.
    use aes_gcm::aead::{Aead, KeyInit};
    let key = common::crypto::sha256(b"right");
    let plain = br#"[{"secret":"JBSWY3DPEHPK3PXP","label":"Acme - bob","digits":6,"type":"TOTP","algorithm":"SHA1","period":30}]"#;
    let cipher = aes_gcm::Aes256Gcm::new(&aes_gcm::Key::<aes_gcm::Aes256Gcm>::from(*key));
    let nonce = [7u8; 12];
    let mut file = nonce.to_vec();
    file.extend(cipher.encrypt(&aes_gcm::Nonce::from(nonce), &plain[..]).unwrap());
    let inspection = inspect(&file, Some("otp_accounts.json.aes-andotp")).unwrap();
    assert_eq!(inspection, Inspection { format: Format::AndOtp, encrypted: true });
    assert_eq!(import(&file, Format::AndOtp, None, 0).unwrap_err(), ImportError::PasswordRequired);
    assert_eq!(import(&file, Format::AndOtp, Some("wrong"), 0).unwrap_err(), ImportError::WrongPassword);
    let report = import(&file, Format::AndOtp, Some("right"), 0).unwrap();
    assert_eq!((report.accounts[0].issuer.as_str(), report.accounts[0].name.as_str()), ("Acme", "bob"));
}

#[test]
fn duplicates_are_found_against_the_vault_and_within_the_file() {
    let text = "otpauth://totp/A:x?secret=JBSWY3DPEHPK3PXP\notpauth://totp/B:y?secret=KRSXG5CTMVRXEZLU\notpauth://totp/A:x?secret=JBSWY3DPEHPK3PXP\n";
    let report = import(text.as_bytes(), Format::OtpauthList, None, 0).unwrap();
    assert_eq!(report.duplicates_of(&[]), vec![2]);
    let vault = vec![report.accounts[1].clone()];
    assert_eq!(report.duplicates_of(&vault), vec![1, 2]);
}

#[test]
fn format_ids_are_unique_and_round_trip() {
    for &f in Format::ALL {
        assert_eq!(Format::from_id(f.id()), Some(f));
        assert_eq!(Format::ALL.iter().filter(|g| g.id() == f.id()).count(), 1);
        assert!(!f.app_name().is_empty());
    }
}

#[test]
fn unknown_and_oversized_input_is_refused() {
    assert_eq!(inspect(b"hello world", None), Err(ImportError::UnknownFormat));
    assert_eq!(inspect(b"{\"x\":1}", None), Err(ImportError::UnknownFormat));
    assert_eq!(inspect(b"", None), Err(ImportError::UnknownFormat));
    let big = vec![b' '; MAX_FILE_LEN + 1];
    assert!(matches!(inspect(&big, None), Err(ImportError::TooLarge { .. })));
    assert!(matches!(import(&big, Format::Aegis, None, 0), Err(ImportError::TooLarge { .. })));
}

/// Issue 21, point 11: our own `.twofold-backup` on the Import page said "not an export of any app we can import
/// from", a dead end. It is recognised and pointed to Backups → Restore.
#[test]
fn our_own_backups_and_vaults_are_sent_to_restore() {
    let golden = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/golden");
    for name in ["backup-v1.0-minimum-kdf.twofold-backup", "v1.0-minimum-kdf.vault"] {
        let bytes = std::fs::read(golden.join(name)).unwrap();
        assert_eq!(inspect(&bytes, Some(name)), Err(ImportError::TwofoldFile), "{name}");
        assert!(ImportError::TwofoldFile.to_string().contains("Backups → Restore"));
    }
}

/// Issue 21, point 1: imports keep keys the typed rule refuses (other apps compute codes from them) and say so
/// per entry: a partial last byte, or fewer than 80 bits, whatever the format stores.
#[test]
fn keys_the_typed_rule_refuses_are_imported_with_a_warning_each() {
    let file = b"otpauth://totp/Short:a?secret=JBSWY3DP\n\
                 otpauth://totp/Partial:b?secret=JBSWY3DPEHPK3PXPAB\n\
                 otpauth://totp/Fine:c?secret=JBSWY3DPEHPK3PXP\n";
    let report = import(file, Format::OtpauthList, None, 0).unwrap();
    assert_eq!(report.accounts.len(), 3);
    let warnings: Vec<_> = report.warnings.iter().map(|w| (w.index, w.warning.clone())).collect();
    assert_eq!(
        warnings,
        vec![
            (0, crate::uri::LinkWarning::ShortKey { bits: 40, min: 80 }),
            (1, crate::uri::LinkWarning::UnusualKeyLength { characters: 18 }),
        ]
    );
    // A key stored as bytes (here Aegis's base32 field read by its importer) gets the same remark.
    let aegis = br#"{"version":1,"header":{"slots":null,"params":null},"db":{"version":2,"entries":[{"type":"totp","uuid":"u","name":"a","issuer":"Short","info":{"secret":"JBSWY3DP","algo":"SHA1","digits":6,"period":30}}]}}"#;
    let report = import(aegis, Format::Aegis, None, 0).unwrap();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert_eq!(report.warnings[0].warning, crate::uri::LinkWarning::ShortKey { bits: 40, min: 80 });
}

#[test]
fn hostile_kdf_parameters_are_refused_before_deriving() {
    let file = br#"{"version":1,"header":{"slots":[{"type":1,"uuid":"u","key":"00","key_params":{"nonce":"00","tag":"00"},"n":1073741824,"r":8,"p":1,"salt":"00"}],"params":{"nonce":"00","tag":"00"}},"db":"AAAA"}"#;
    assert_eq!(
        import(file, Format::Aegis, Some("x"), 0).unwrap_err(),
        ImportError::KdfOutOfRange { why: Why::OutOfRange { field: "n".into(), value: 1 << 30, min: 2, max: 1 << 20 } }
    );
    let bw = br#"{"encrypted":true,"passwordProtected":true,"salt":"s","kdfType":1,"kdfIterations":3,"kdfMemory":4096,"kdfParallelism":4,"data":"2.AA==|AA==|AA=="}"#;
    assert_eq!(
        import(bw, Format::Bitwarden, Some("x"), 0).unwrap_err(),
        ImportError::KdfOutOfRange {
            why: Why::OutOfRange { field: "kdfMemory".into(), value: 4096, min: 1, max: 1024 }
        }
    );
}

/// Regression, bug "link warnings dropped on import": an otpauth list whose key has an unusual base32 length
/// was imported without the warning the same link gives when added by hand.
#[test]
fn link_warnings_reach_the_report_with_the_account_they_concern() {
    let file = b"otpauth://totp/Plain:bob?secret=JBSWY3DPEHPK3PXP\n\
                 otpauth://totp/Odd:carol?secret=JBSWY3DPE&issuer=Odd\n\
                 otpauth://mystery/x?secret=JBSWY3DP\n";
    let report = import(file, Format::OtpauthList, None, 0).unwrap();
    assert_eq!(report.accounts.len(), 2);
    assert_eq!(report.problems.len(), 1);
    assert_eq!(
        report.warnings,
        vec![EntryWarning {
            index: 1,
            label: "Odd (carol)".into(),
            warning: crate::uri::LinkWarning::UnusualKeyLength { characters: 9 },
        }]
    );
    assert_eq!(report.accounts[report.warnings[0].index].name, "carol");
    let message = report.warnings[0].to_string();
    assert!(message.starts_with("Odd (carol): the key is 9 base32 characters long"), "{message}");
    assert!(!message.contains("JBSWY3DPE"), "{message}");
}
