//! Issue 13: hostile import files end in a clear, typed error (or, for the files that were only slow, in
//! the right report) instead of running for hours or eating the memory. The files are built by
//! `hostile/mod.rs`; `benches/hostile_imports.rs` times the same files.

mod hostile;

use twofold_core::import::{self, Cancel, ImportError, ImportReport, Why};

fn run(name: &str) -> Result<ImportReport, ImportError> {
    let case = hostile::by_name(name).expect("a known case");
    let result = import::import(&case.bytes, case.format, case.password, 0);
    if let Err(e) = &result {
        let message = e.to_string();
        assert!(!message.contains("JBSWY3DP"), "{name}: a secret in the message: {message}");
        assert!(!message.contains(hostile::FREEOTP2_PASSWORD), "{name}: the password in the message: {message}");
        assert!(message.len() < 300, "{name}: an unbounded message: {} bytes", message.len());
    }
    result
}

fn limit(name: &str) -> Why {
    match run(name) {
        Err(ImportError::LimitExceeded { why }) => why,
        other => panic!("{name}: expected LimitExceeded, got {:?}", other.map(|r| r.accounts.len())),
    }
}

fn kdf(name: &str) -> Why {
    match run(name) {
        Err(ImportError::KdfOutOfRange { why }) => why,
        other => panic!("{name}: expected KdfOutOfRange, got {:?}", other.map(|r| r.accounts.len())),
    }
}

#[test]
fn aegis_with_a_thousand_password_slots_is_refused_before_any_derivation() {
    assert_eq!(limit("aegis-slot-flood"), Why::TooMany { field: "slots".into(), count: 1000, max: 8 });
}

#[test]
fn aegis_slots_whose_total_scrypt_work_is_too_large_are_refused() {
    assert!(matches!(kdf("aegis-costly-slots"), Why::TooMuchWork { max: 4_194_304, .. }));
}

#[test]
fn aegis_slot_asking_for_a_gigabyte_of_scrypt_memory_is_refused() {
    assert!(matches!(kdf("aegis-huge-slot"), Why::OutOfRange { field, .. } if field == "128·r·n"));
}

#[test]
fn a_cancelled_aegis_import_stops_before_deriving_a_slot() {
    // Cheap slots (N = 2): without the cancel this is a plain wrong password.
    let file = hostile::aegis(&[(2, 1, 1), (2, 1, 1)]);
    assert_eq!(import::import(&file, import::Format::Aegis, Some("x"), 0).unwrap_err(), ImportError::WrongPassword);
    let cancel = Cancel::new();
    cancel.cancel();
    assert_eq!(
        import::import_cancellable(&file, import::Format::Aegis, Some("x"), 0, &cancel).unwrap_err(),
        ImportError::Cancelled
    );
}

#[test]
fn freeotp2_back_references_are_shared_and_their_total_is_capped() {
    assert_eq!(limit("freeotp2-reference-flood"), Why::TooMuchData { max: import::MAX_FILE_LEN });
}

#[test]
fn freeotp2_tokens_find_their_secret_without_searching_the_whole_stream() {
    let report = run("freeotp2-token-lookup").expect("a report");
    assert_eq!((report.accounts.len(), report.problems.len()), (0, 20_000));
    for p in &report.problems {
        assert_eq!(p.label, "Hostile (t)");
        assert_eq!(p.kind, import::ProblemKind::Malformed(Why::CannotDecrypt));
    }
}

#[test]
fn freeotp_token_order_is_applied_without_a_search_per_token() {
    let report = run("freeotp-xml-order").expect("a report");
    assert_eq!((report.accounts.len(), report.problems.len()), (0, 200_000));
    // tokenOrder lists the tokens in reverse: the problems come in that order.
    assert_eq!(report.problems[0].label, "199999");
    assert_eq!(report.problems[199_999].label, "0");
    assert_eq!(report.problems[0].kind.to_string(), "secret is empty");
}

#[test]
fn eight_million_ampersands_are_unescaped_in_one_pass() {
    match run("xml-ampersands") {
        Err(ImportError::Damaged { why }) => assert_eq!(why, Why::NotJson),
        other => panic!("expected Damaged, got {:?}", other.map(|r| r.accounts.len())),
    }
}

#[test]
fn a_million_unclosed_string_tags_are_scanned_once() {
    match run("xml-unclosed-tags") {
        Err(ImportError::Damaged { why }) => {
            assert_eq!(why, Why::MissingField { field: "com.authy.storage.tokens.authenticator.key".into() })
        }
        other => panic!("expected Damaged, got {:?}", other.map(|r| r.accounts.len())),
    }
}

fn assert_each_in_its_category(report: &ImportReport, n: usize) {
    assert_eq!((report.accounts.len(), report.problems.len()), (n, 0));
    for (i, a) in report.accounts.iter().enumerate().step_by(997) {
        assert_eq!(a.name, format!("u{i}"));
        assert_eq!(a.groups, vec![format!("group {i}")]);
    }
}

#[test]
fn stratum_categories_are_looked_up_not_searched() {
    assert_each_in_its_category(&run("stratum-categories").expect("a report"), 100_000);
}

#[test]
fn stratum_database_categories_are_looked_up_not_searched() {
    assert_each_in_its_category(&run("stratum-db-categories").expect("a report"), 100_000);
}

#[test]
fn a_database_with_too_many_rows_is_refused() {
    assert!(matches!(limit("sqlite-row-flood"), Why::TooManyRows { max: 100_000, .. }));
}

#[test]
fn a_view_that_never_finishes_is_not_run() {
    // Views are disabled on the untrusted connection: the query fails at once instead of never ending.
    assert!(matches!(run("sqlite-view-loop"), Err(ImportError::Damaged { .. })));
}

#[test]
fn a_generated_secret_column_is_refused_and_never_computed() {
    match run("sqlite-generated-column") {
        Err(ImportError::Unsupported { why }) => assert!(matches!(why, Why::GeneratedColumn { .. }), "{why}"),
        other => panic!("expected Unsupported, got {:?}", other.map(|r| r.accounts.len())),
    }
}

#[test]
fn a_value_longer_than_sqlite_may_hand_out_is_refused() {
    assert_eq!(limit("sqlite-long-value"), Why::TooMuchData { max: 1 << 20 });
}

#[test]
fn a_zip_bomb_stops_at_the_decompression_budget() {
    assert_eq!(limit("zip-bomb-entries"), Why::TooMuchData { max: import::MAX_FILE_LEN });
}

#[test]
fn only_the_entry_the_format_needs_is_decompressed() {
    let report = run("zip-pass-attachment").expect("the 100 MiB attachment is never read");
    assert_eq!(report.accounts.len(), 1);
    assert_eq!(report.accounts[0].issuer, "Hostile");
}

#[test]
fn duplicates_among_two_hundred_thousand_accounts_are_found_in_one_pass() {
    // All distinct but the last, a copy of the first: the pairwise search compared every pair.
    let report = run("duplicate-accounts").expect("a report");
    assert_eq!(report.accounts.len(), 200_001);
    assert_eq!(report.duplicates_of(&[]), vec![200_000]);
    let mask = report.duplicate_mask(&report.accounts[1..2]);
    assert_eq!(mask.iter().filter(|d| **d).count(), 2);
    assert!(mask[1] && mask[200_000]);
}

#[test]
fn argon2_asking_for_a_gigabyte_times_sixty_four_passes_is_refused() {
    assert!(matches!(kdf("bitwarden-argon2-cost"), Why::TooMuchWork { max: 10_485_760, .. }));
    assert!(matches!(kdf("ente-argon2-cost"), Why::TooMuchWork { max: 10_485_760, .. }));
}
