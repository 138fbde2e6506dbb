//! LastPass Authenticator JSON export.
//!
//! Source: LastPass Authenticator's "export to file" (Android and iOS) and Stratum's
//! `LastPassBackupConverter`. `{accounts[]: {issuerName, userName, secret, timeStep, digits, algorithm,
//! isFavorite, folderData: {folderId}}, folders[]: {id, name}}`; folder 0 ("Other accounts") is the implicit
//! default and folder 1 is "Favorites". The edited `issuerName`/`userName` win over the `original*` fields.
//!
//! Kept: issuer, name, secret, algorithm, digits, period, favourite, folder as group. Lost: push-login
//! accounts (they carry no OTP secret), creation times.

use std::collections::HashMap;

use super::common::{Draft, DraftKind, Json, SecretText, first_wins, int, opt_s, parse_json, problem, s};
use super::{EntryProblem, ImportError};

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let json = parse_json(bytes)?;
    let accounts = super::common::array(&json, "accounts")?;
    let folders: HashMap<i64, String> = json
        .get("folders")
        .and_then(Json::as_array)
        .map(|f| first_wins(f.iter().filter_map(|f| Some((f.get("id")?.as_i64()?, s(f, "name"))))))
        .unwrap_or_default();
    Ok(accounts
        .iter()
        .map(|a| {
            let issuer = s(a, "issuerName");
            let name = s(a, "userName");
            let label = crate::model::label(&issuer, &name);
            let bad = |k| problem(label.clone(), k);
            let secret = match a.get("secret").and_then(Json::as_str) {
                Some(t) => SecretText::base32(t),
                None => SecretText::Missing,
            };
            let mut d = Draft::new(DraftKind::Totp, issuer, name, secret);
            d.algorithm = opt_s(a, "algorithm");
            d.digits = int(a, "digits").map_err(bad)?;
            d.period = int(a, "timeStep").map_err(bad)?;
            d.favorite = a.get("isFavorite").and_then(Json::as_bool).unwrap_or(false);
            let folder = a.get("folderData").and_then(|f| f.get("folderId")).and_then(Json::as_i64);
            if let Some(id) = folder.filter(|&id| id > 1) {
                if let Some(name) = folders.get(&id) {
                    d.groups.push(name.clone());
                }
            }
            Ok(d)
        })
        .collect())
}
