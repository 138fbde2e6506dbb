//! Steam mobile authenticator file `Steamguard-<steamid>` (rooted device or SDA-style export).
//!
//! Source: Aegis' `SteamImporter`. Either one account object or `{accounts: {<id>: account}}`; each holds
//! `shared_secret` (base64) and `account_name`. Codes are Steam Guard: SHA-1, 30 s, 5 characters.
//!
//! Kept: account name, shared secret. Lost: the identity secret and revocation code (trade confirmations
//! and account recovery are Steam's business, not an authenticator's).

use super::common::{Draft, DraftKind, Json, SecretText, parse_json, problem, s};
use super::{EntryProblem, ImportError, ProblemKind};

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let json = parse_json(bytes)?;
    let accounts: Vec<&Json> = match json.get("accounts").and_then(Json::as_object) {
        Some(map) => map.values().collect(),
        None => vec![&json],
    };
    Ok(accounts
        .into_iter()
        .map(|a| {
            let name = s(a, "account_name");
            let secret = a
                .get("shared_secret")
                .and_then(Json::as_str)
                .map(|t| SecretText::Base64(zeroize::Zeroizing::new(t.to_owned())))
                .ok_or_else(|| problem(name.clone(), ProblemKind::Secret(crate::secret::SecretError::Empty)))?;
            Ok(Draft::new(DraftKind::Steam, "Steam", name, secret))
        })
        .collect())
}
