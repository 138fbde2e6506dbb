//! The binary importers (FreeOTP 2 Java serialization, Stratum and andOTP encrypted, SQLCipher and SQLite
//! app databases, ZIP archives) on arbitrary bytes: never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twofold_core::import::{self, Format};

const FORMATS: &[Format] = &[
    Format::FreeOtpBackup,
    Format::Stratum,
    Format::AndOtp,
    Format::StratumDb,
    Format::GoogleAuthenticatorDb,
    Format::MicrosoftAuthenticatorDb,
    Format::AuthenticatorPlusDb,
    Format::WinAuth,
    Format::AuthenticatorPlusZip,
    Format::ProtonPass,
];

fuzz_target!(|data: &[u8]| {
    for &format in FORMATS {
        let _ = import::import(data, format, Some("test"), 0);
    }
});
