//! Import detection on arbitrary bytes: `inspect`, then `import` as the detected format, with and without a
//! password. Never panics; every error and problem has a message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twofold_core::import;

fuzz_target!(|data: &[u8]| {
    for hint in [None, Some("backup.db"), Some("andotp.bin")] {
        if let Ok(inspection) = import::inspect(data, hint) {
            for password in [None, Some("test")] {
                match import::import(data, inspection.format, password, 0) {
                    Ok(report) => report.problems.iter().for_each(|p| assert!(!p.to_string().is_empty())),
                    Err(e) => assert!(!e.to_string().is_empty()),
                }
            }
        }
    }
});
