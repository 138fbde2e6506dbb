//! Battle.net Authenticator shared preferences (`com.blizzard.messenger.authenticator_preferences.xml`).
//!
//! Source: Aegis' `BattleNetImporter`. `AUTHENTICATOR_SERIAL` and `AUTHENTICATOR_DEVICE_SECRET` are hex
//! strings XORed with a fixed mask; the unmasked device secret is itself hex text of the key. Codes are
//! TOTP, SHA-1, 8 digits, 30 s; the serial names the account.
//!
//! Kept: serial (as the name), secret. Lost: region, restore code.

use zeroize::Zeroizing;

use super::Why;
use super::common::damaged;
use super::common::{Draft, DraftKind, SecretText, decode_hex};
use super::{EntryProblem, ImportError};

const MASK: &str = "398e27fc50276a656065b0e525f4c06c04c61075286b8e7aeda59da9813b5dd6c80d2fb38068773fa59ba47c17ca6c6479015c1d5b8b8f6b9a";

fn unmask(hex: &str) -> Option<Zeroizing<String>> {
    let masked = decode_hex(hex)?;
    let mask = decode_hex(MASK)?;
    if masked.len() > mask.len() {
        return None;
    }
    let bytes: Zeroizing<Vec<u8>> = Zeroizing::new(masked.iter().zip(mask.iter()).map(|(a, b)| a ^ b).collect());
    String::from_utf8(bytes.to_vec()).ok().map(Zeroizing::new)
}

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let xml = super::common::shared_prefs(bytes)?;
    let find = |suffix: &str| {
        super::common::shared_pref_strings(xml).into_iter().find(|(k, _)| k.ends_with(suffix)).map(|(_, v)| v)
    };
    let serial = find("AUTHENTICATOR_SERIAL").ok_or_else(|| damaged(Why::missing("AUTHENTICATOR_SERIAL")))?;
    let secret =
        find("AUTHENTICATOR_DEVICE_SECRET").ok_or_else(|| damaged(Why::missing("AUTHENTICATOR_DEVICE_SECRET")))?;
    let serial = unmask(&serial).ok_or_else(|| damaged(Why::invalid("AUTHENTICATOR_SERIAL")))?;
    let secret = unmask(&secret).ok_or_else(|| damaged(Why::invalid("AUTHENTICATOR_DEVICE_SECRET")))?;
    let mut d = Draft::new(DraftKind::Totp, "Battle.net", serial.as_str(), SecretText::Hex(secret));
    d.digits = Some(8);
    Ok(vec![Ok(d)])
}
