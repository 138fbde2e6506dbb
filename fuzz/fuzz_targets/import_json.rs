//! The JSON importers (Aegis, 2FAS, andOTP, FreeOTP+, Stratum, LastPass, Duo, Steam, Bitwarden, Ente
//! encrypted, Proton Authenticator) on arbitrary bytes: never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twofold_core::import::{self, Format};

const FORMATS: &[Format] = &[
    Format::Aegis,
    Format::TwoFas,
    Format::AndOtp,
    Format::FreeOtpPlus,
    Format::Stratum,
    Format::LastPass,
    Format::Duo,
    Format::Steam,
    Format::Bitwarden,
    Format::EnteEncrypted,
    Format::ProtonAuthenticator,
];

fuzz_target!(|data: &[u8]| {
    for &format in FORMATS {
        let _ = import::import(data, format, Some("test"), 0);
    }
});
