//! The Google Authenticator transfer decoder on arbitrary bytes (as a protobuf payload and as link text):
//! never panics, and what it reads survives encode → decode.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twofold_core::migration;

fuzz_target!(|data: &[u8]| {
    let _ = migration::decode(&String::from_utf8_lossy(data));
    if let Ok(decoded) = migration::decode_payload(data) {
        let accounts: Vec<_> = decoded.accounts.into_iter().map(|a| a.into_account(0)).collect();
        let encoded = migration::encode(&accounts, 1);
        let mut back = Vec::new();
        for link in &encoded.links {
            back.extend(migration::decode(link).expect("an encoded link decodes").accounts);
        }
        assert_eq!(back.len(), accounts.len() - encoded.skipped.len());
    }
});
