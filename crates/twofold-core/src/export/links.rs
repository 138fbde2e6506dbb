//! A plain list of `otpauth://` links, one per line: what most authenticators can import.
//!
//! Spec: Google's Key URI Format, written by [`crate::uri::to_link`] (canonical: every parameter explicit,
//! Steam as `totp` with `encoder=steam`). Lines end with `\n`; the file ends with one.
//!
//! Lost: everything but issuer, name, secret and OTP parameters (ids, groups, notes, favourites, recovery
//! codes, times); spaces around the issuer and the name (link readers trim them). Every secret is readable by anyone who gets the file, so [`super::export`] asks for a
//! [`super::PlaintextAck`].

use zeroize::Zeroizing;

use super::ExportError;
use crate::model::Account;

/// The links of `accounts`, one per line.
pub(super) fn write(accounts: &[Account]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(accounts.len() * 128));
    for account in accounts {
        out.extend_from_slice(link(account).as_bytes());
        out.push(b'\n');
    }
    out
}

/// The account's link, with spaces around issuer and name trimmed: readers trim them anyway, and an issuer
/// such as `Company: ` would otherwise not be recognised as the label's prefix when read back.
pub(super) fn link(account: &Account) -> Zeroizing<String> {
    crate::uri::to_link(account.issuer.trim(), account.name.trim(), &account.secret, &account.otp)
}

/// Reads such a list back (blank lines are skipped).
pub(super) fn read(bytes: &[u8]) -> Result<Vec<Account>, ExportError> {
    let text = std::str::from_utf8(bytes).map_err(|_| super::unreadable("the link list is not UTF-8"))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            crate::uri::parse(line)
                .map(|link| link.into_account(0))
                .map_err(|e| super::unreadable(format!("line {} is not a valid link ({e})", i + 1)))
        })
        .collect()
}
