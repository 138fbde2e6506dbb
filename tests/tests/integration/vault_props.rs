//! Property tests: any contents survive seal → open unchanged; the reader returns an error, never a panic,
//! on arbitrary bytes and on arbitrary edits of a valid file (a short in-test run of what the
//! `vault_reader` fuzz target does at length).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use proptest::prelude::*;
use twofold_core::model::RecoveryCode;
use twofold_core::vault::VaultContents;
use twofold_core::vault::format::{self, DataKey, Header, KdfParams, Sealing, Slot};
use twofold_core::{Account, AccountId, Algorithm, OtpKind, OtpParams, Secret};

fn account() -> impl Strategy<Value = Account> {
    (
        (any::<u128>(), ".{0,20}", ".{0,20}", proptest::collection::vec(any::<u8>(), 1..80)),
        (0u8..3, 0u8..3, 4u8..=10, 1u32..=86_400, any::<u64>()),
        (
            proptest::collection::vec(".{0,8}", 0..3),
            ".{0,40}",
            proptest::collection::vec(("[a-z0-9-]{1,12}", any::<bool>()), 0..4),
        ),
        (any::<bool>(), any::<i64>(), any::<i64>(), any::<i64>(), proptest::option::of(any::<i64>()), any::<u64>()),
    )
        .prop_map(
            |(
                (id, issuer, name, key),
                (kind, alg, digits, period, counter),
                (groups, note, codes),
                (fav, order, created, updated, last_used, uses),
            )| {
                let kind = match kind {
                    0 => OtpKind::Totp { period },
                    1 => OtpKind::Hotp { counter },
                    _ => OtpKind::Steam { period },
                };
                let algorithm = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512][alg as usize];
                Account {
                    id: AccountId(uuid::Uuid::from_u128(id)),
                    issuer,
                    name,
                    secret: Secret::from_bytes(key).unwrap(),
                    otp: OtpParams { kind, algorithm, digits },
                    groups,
                    note,
                    recovery_codes: codes.into_iter().map(|(c, used)| RecoveryCode { code: c.into(), used }).collect(),
                    favorite: fav,
                    order,
                    created,
                    updated,
                    last_used,
                    use_count: uses,
                    origin: None,
                    icon: None,
                }
            },
        )
}

fn sealing() -> Sealing {
    let key = DataKey::from_bytes([9; 32]);
    // One slot sealed once; the property runs only touch the payload, which needs no Argon2 run.
    thread_local!(static SLOT: Slot = Slot::seal("pw", KdfParams::MINIMUM, &DataKey::from_bytes([9; 32])).unwrap());
    Sealing { data_key: key, key_id: [5; 16], slots: vec![SLOT.with(Clone::clone)], others: vec![], minor: 0 }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn contents_round_trip_through_a_sealed_file(accounts in proptest::collection::vec(account(), 0..6), counter in 1u64..u64::MAX) {
        let mut unique = Vec::new();
        for a in accounts {
            if !unique.iter().any(|u: &Account| u.id == a.id) {
                unique.push(a);
            }
        }
        let mut contents = VaultContents::new();
        contents.accounts = unique;
        let file = format::seal(&sealing(), counter, &contents.to_json().unwrap()).unwrap();
        let (header, plain) = format::open_with_key(&file, &sealing().data_key).unwrap();
        prop_assert_eq!(header.counter, counter);
        prop_assert_eq!(VaultContents::from_json(&plain).unwrap(), contents);
    }

    #[test]
    fn arbitrary_bytes_are_an_error_not_a_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = Header::parse(&bytes);
        prop_assert!(format::open_with_key(&bytes, &sealing().data_key).is_err());
        let _ = VaultContents::from_json(&bytes);
    }

    #[test]
    fn edited_valid_files_are_refused(edits in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..4)) {
        let contents = VaultContents::new();
        let file = format::seal(&sealing(), 1, &contents.to_json().unwrap()).unwrap();
        let mut bad = file.clone();
        for (index, xor) in edits {
            let i = index.index(bad.len());
            bad[i] ^= xor;
        }
        prop_assume!(bad != file);
        prop_assert!(format::open_with_key(&bad, &sealing().data_key).is_err());
    }
}
