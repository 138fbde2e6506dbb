//! The text importers (otpauth:// lists, Ente plain, Google transfer links, Bitwarden CSV, Android
//! shared-preferences XML, TOTP Authenticator backups) on arbitrary bytes: never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use twofold_core::import::{self, Format};

const FORMATS: &[Format] = &[
    Format::OtpauthList,
    Format::Ente,
    Format::GoogleMigration,
    Format::BitwardenCsv,
    Format::FreeOtpXml,
    Format::Authy,
    Format::BattleNet,
    Format::TotpAuthenticatorXml,
    Format::TotpAuthenticator,
];

fuzz_target!(|data: &[u8]| {
    for &format in FORMATS {
        let _ = import::import(data, format, Some("test"), 0);
    }
});
