//! What the vault holds ([`VaultContents`]) and how it becomes the JSON payload and back.
//!
//! The payload is one JSON object: `{"accounts": [...], "settings": {...}}`. Fields this version does not
//! know, at the top level, in `settings` or in an account, are kept aside when reading and written back
//! unchanged, so a file from a newer minor version survives a rewrite by this one. The JSON is built and read
//! through `serde_json::Value` with every string scrubbed (zeroized) afterwards; the secret never goes
//! through a `Serialize` impl of its own ([`Secret`] has none).

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::model::{Account, AccountId, Algorithm, OtpKind, OtpParams, RecoveryCode};
use crate::secret::Secret;

use super::error::{Corruption, VaultError};
use crate::wipe::{scrub, scrub_map};

/// User settings stored in the vault (encrypted with the accounts). Unknown settings are kept by
/// [`VaultContents`], not here.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Lock the vault after this many minutes without use; 0 = never.
    pub auto_lock_minutes: u32,
    /// Clear a copied code from the clipboard after this many seconds; 0 = never.
    pub clipboard_clear_seconds: u32,
    /// Show codes only when asked.
    pub hide_codes: bool,
    /// `system`, `light` or `dark`; the shell decides what it accepts.
    pub theme: String,
}

impl Default for Settings {
    fn default() -> Self {
        Self { auto_lock_minutes: 5, clipboard_clear_seconds: 30, hide_codes: false, theme: String::from("system") }
    }
}

/// Everything a vault holds: accounts (with their secrets and recovery codes) and settings.
///
/// Fields written by a newer Twofold that this version does not know are kept inside and written back on the
/// next save; an account's unknown fields follow the account by id.
#[derive(Clone, PartialEq, Default)]
pub struct VaultContents {
    pub accounts: Vec<Account>,
    pub settings: Settings,
    unknown: Unknown,
}

#[derive(Clone, PartialEq, Default)]
struct Unknown {
    top: Map<String, Value>,
    settings: Map<String, Value>,
    accounts: BTreeMap<AccountId, Map<String, Value>>,
}

impl Drop for Unknown {
    fn drop(&mut self) {
        // Unknown fields of a newer version may hold secrets too.
        for map in
            std::iter::once(&mut self.top).chain(std::iter::once(&mut self.settings)).chain(self.accounts.values_mut())
        {
            scrub_map(map);
        }
    }
}

impl std::fmt::Debug for VaultContents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultContents")
            .field("accounts", &self.accounts)
            .field("settings", &self.settings)
            .field(
                "unknown_fields",
                &(self.unknown.top.len() + self.unknown.settings.len() + self.unknown.accounts.len()),
            )
            .finish()
    }
}

impl VaultContents {
    /// An empty vault with default settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// The account with this id.
    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.accounts.iter().find(|a| a.id == id)
    }

    /// The account with this id, to edit.
    pub fn account_mut(&mut self, id: AccountId) -> Option<&mut Account> {
        self.accounts.iter_mut().find(|a| a.id == id)
    }

    /// Removes and returns the account with this id.
    pub fn remove(&mut self, id: AccountId) -> Option<Account> {
        let index = self.accounts.iter().position(|a| a.id == id)?;
        if let Some(mut extra) = self.unknown.accounts.remove(&id) {
            scrub_map(&mut extra);
        }
        Some(self.accounts.remove(index))
    }

    /// True when the payload had fields this version does not know (they will be written back).
    pub fn has_unknown_fields(&self) -> bool {
        !(self.unknown.top.is_empty() && self.unknown.settings.is_empty() && self.unknown.accounts.is_empty())
    }

    /// A top-level payload field this version keeps aside (not `accounts` or `settings`), e.g. the `backup`
    /// record of a backup file.
    pub(crate) fn extra_field(&self, key: &str) -> Option<&Value> {
        self.unknown.top.get(key)
    }

    /// Sets a top-level payload field kept aside; written by [`VaultContents::to_json`].
    pub(crate) fn set_extra_field(&mut self, key: &str, value: Value) {
        self.unknown.top.insert(key.to_owned(), value);
    }

    /// Removes a top-level payload field kept aside.
    pub(crate) fn remove_extra_field(&mut self, key: &str) {
        if let Some(mut value) = self.unknown.top.remove(key) {
            scrub(&mut value);
        }
    }

    /// Serializes to the payload JSON.
    pub fn to_json(&self) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let mut top = self.unknown.top.clone();
        let mut accounts = Vec::with_capacity(self.accounts.len());
        for account in &self.accounts {
            let extra = self.unknown.accounts.get(&account.id);
            accounts.push(Value::Object(account_to_json(account, extra)));
        }
        top.insert(String::from("accounts"), Value::Array(accounts));
        let mut settings = match serde_json::to_value(&self.settings) {
            Ok(Value::Object(map)) => map,
            _ => return Err(VaultError::InvalidContents { reason: String::from("settings cannot be written") }),
        };
        for (k, v) in &self.unknown.settings {
            settings.entry(k.clone()).or_insert_with(|| v.clone());
        }
        top.insert(String::from("settings"), Value::Object(settings));
        let mut value = Value::Object(top);
        // Written into a buffer of exactly the right size: a growing `Vec` would leave copies of the plaintext
        // behind in the allocations it gives up.
        let out = crate::wipe::json_exact(&value);
        scrub(&mut value);
        out.map_err(|_| VaultError::InvalidContents { reason: String::from("payload cannot be written") })
    }

    /// Parses the payload JSON. Errors name the account index and field, never a value.
    pub fn from_json(bytes: &[u8]) -> Result<Self, VaultError> {
        let mut value: Value =
            serde_json::from_slice(bytes).map_err(|_| VaultError::corrupt(Corruption::PayloadSyntax))?;
        let result = Self::from_value(&mut value);
        scrub(&mut value);
        result
    }

    fn from_value(value: &mut Value) -> Result<Self, VaultError> {
        let Value::Object(top) = value else {
            return Err(VaultError::corrupt(Corruption::PayloadSyntax));
        };
        let mut contents = VaultContents::default();
        match top.remove("accounts") {
            Some(Value::Array(mut list)) => {
                for (index, item) in list.iter_mut().enumerate() {
                    let Value::Object(map) = item else {
                        return Err(invalid(index, "is not an object"));
                    };
                    let (account, extra) = account_from_json(index, map)?;
                    if contents.account(account.id).is_some() {
                        return Err(invalid(index, "repeats the id of an earlier account"));
                    }
                    if !extra.is_empty() {
                        contents.unknown.accounts.insert(account.id, extra);
                    }
                    contents.accounts.push(account);
                }
                scrub(&mut Value::Array(list));
            }
            None => {}
            Some(mut other) => {
                scrub(&mut other);
                return Err(VaultError::InvalidContents { reason: String::from("`accounts` is not a list") });
            }
        }
        match top.remove("settings") {
            Some(Value::Object(mut map)) => {
                let known = ["auto_lock_minutes", "clipboard_clear_seconds", "hide_codes", "theme"];
                let mut known_map = Map::new();
                for key in known {
                    if let Some(v) = map.remove(key) {
                        known_map.insert(key.to_string(), v);
                    }
                }
                contents.settings = serde_json::from_value(Value::Object(known_map)).map_err(|_| {
                    VaultError::InvalidContents { reason: String::from("a setting has the wrong type") }
                })?;
                contents.unknown.settings = map;
            }
            None => {}
            Some(_) => return Err(VaultError::InvalidContents { reason: String::from("`settings` is not an object") }),
        }
        contents.unknown.top = std::mem::take(top);
        Ok(contents)
    }
}

fn invalid(index: usize, what: &str) -> VaultError {
    VaultError::InvalidContents { reason: format!("account {index} {what}") }
}

fn field_err(index: usize, field: &str) -> VaultError {
    VaultError::InvalidContents { reason: format!("account {index}: field `{field}` is missing or invalid") }
}

/// The account fields this version reads; everything else in an account object is kept as unknown.
const ACCOUNT_FIELDS: [&str; 18] = [
    "id",
    "type",
    "algorithm",
    "digits",
    "period",
    "counter",
    "secret",
    "issuer",
    "name",
    "groups",
    "note",
    "recovery_codes",
    "favorite",
    "order",
    "created",
    "updated",
    "last_used",
    "use_count",
];

fn account_to_json(a: &Account, extra: Option<&Map<String, Value>>) -> Map<String, Value> {
    let mut m = extra.cloned().unwrap_or_default();
    m.insert("id".into(), Value::String(a.id.to_string()));
    let (kind, period, counter) = match a.otp.kind {
        OtpKind::Totp { period } => ("totp", Some(period), None),
        OtpKind::Hotp { counter } => ("hotp", None, Some(counter)),
        OtpKind::Steam { period } => ("steam", Some(period), None),
    };
    m.insert("type".into(), Value::String(kind.into()));
    m.insert("algorithm".into(), Value::String(a.otp.algorithm.as_str().into()));
    m.insert("digits".into(), Value::from(a.otp.digits));
    if let Some(period) = period {
        m.insert("period".into(), Value::from(period));
    }
    if let Some(counter) = counter {
        m.insert("counter".into(), Value::from(counter));
    }
    m.insert("secret".into(), Value::String(String::clone(&a.secret.to_base32())));
    m.insert("issuer".into(), Value::String(a.issuer.clone()));
    m.insert("name".into(), Value::String(a.name.clone()));
    m.insert("groups".into(), Value::Array(a.groups.iter().cloned().map(Value::String).collect()));
    m.insert("note".into(), Value::String(a.note.clone()));
    let codes = a
        .recovery_codes
        .iter()
        .map(|c| {
            let mut cm = Map::new();
            cm.insert("code".into(), Value::String(String::clone(&c.code)));
            cm.insert("used".into(), Value::Bool(c.used));
            Value::Object(cm)
        })
        .collect();
    m.insert("recovery_codes".into(), Value::Array(codes));
    m.insert("favorite".into(), Value::Bool(a.favorite));
    m.insert("order".into(), Value::from(a.order));
    m.insert("created".into(), Value::from(a.created));
    m.insert("updated".into(), Value::from(a.updated));
    m.insert("last_used".into(), a.last_used.map_or(Value::Null, Value::from));
    m.insert("use_count".into(), Value::from(a.use_count));
    m
}

fn account_from_json(index: usize, m: &mut Map<String, Value>) -> Result<(Account, Map<String, Value>), VaultError> {
    let str_field = |m: &Map<String, Value>, f: &str| -> Result<String, VaultError> {
        match m.get(f) {
            Some(Value::String(s)) => Ok(s.clone()),
            None => Ok(String::new()),
            Some(_) => Err(field_err(index, f)),
        }
    };
    let int = |m: &Map<String, Value>, f: &str| -> Result<i64, VaultError> {
        match m.get(f) {
            None => Ok(0),
            Some(v) => v.as_i64().ok_or_else(|| field_err(index, f)),
        }
    };
    let uint = |m: &Map<String, Value>, f: &str| -> Result<u64, VaultError> {
        match m.get(f) {
            None => Ok(0),
            Some(v) => v.as_u64().ok_or_else(|| field_err(index, f)),
        }
    };
    let id = match m.get("id") {
        Some(Value::String(s)) => uuid::Uuid::parse_str(s).map(AccountId).map_err(|_| field_err(index, "id"))?,
        _ => return Err(field_err(index, "id")),
    };
    let algorithm = match m.get("algorithm").and_then(Value::as_str).unwrap_or("SHA1") {
        "SHA1" => Algorithm::Sha1,
        "SHA256" => Algorithm::Sha256,
        "SHA512" => Algorithm::Sha512,
        _ => return Err(field_err(index, "algorithm")),
    };
    let digits = u8::try_from(uint(m, "digits")?).map_err(|_| field_err(index, "digits"))?;
    if !(OtpParams::MIN_DIGITS..=OtpParams::MAX_DIGITS).contains(&digits) {
        return Err(field_err(index, "digits"));
    }
    let period = || -> Result<u32, VaultError> {
        let p = match m.get("period") {
            None => u64::from(OtpParams::DEFAULT_PERIOD),
            Some(v) => v.as_u64().ok_or_else(|| field_err(index, "period"))?,
        };
        let p = u32::try_from(p).map_err(|_| field_err(index, "period"))?;
        if (OtpParams::MIN_PERIOD..=OtpParams::MAX_PERIOD).contains(&p) {
            Ok(p)
        } else {
            Err(field_err(index, "period"))
        }
    };
    let kind = match m.get("type").and_then(Value::as_str) {
        Some("totp") => OtpKind::Totp { period: period()? },
        Some("steam") => OtpKind::Steam { period: period()? },
        Some("hotp") => OtpKind::Hotp { counter: uint(m, "counter")? },
        _ => return Err(field_err(index, "type")),
    };
    let secret = match m.get("secret") {
        Some(Value::String(s)) => Secret::parse_base32(s).map_err(|_| field_err(index, "secret"))?,
        _ => return Err(field_err(index, "secret")),
    };
    let groups = match m.get("groups") {
        None => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|g| g.as_str().map(str::to_owned).ok_or_else(|| field_err(index, "groups")))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(field_err(index, "groups")),
    };
    let recovery_codes = match m.get("recovery_codes") {
        None => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(|c| {
                let code = c.get("code").and_then(Value::as_str).ok_or_else(|| field_err(index, "recovery_codes"))?;
                let used = c
                    .get("used")
                    .map_or(Some(false), Value::as_bool)
                    .ok_or_else(|| field_err(index, "recovery_codes"))?;
                Ok(RecoveryCode { code: Zeroizing::new(code.to_owned()), used })
            })
            .collect::<Result<_, VaultError>>()?,
        Some(_) => return Err(field_err(index, "recovery_codes")),
    };
    let bool_field = |f: &str| match m.get(f) {
        None => Ok(false),
        Some(v) => v.as_bool().ok_or_else(|| field_err(index, f)),
    };
    let last_used = match m.get("last_used") {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_i64().ok_or_else(|| field_err(index, "last_used"))?),
    };
    let account = Account {
        id,
        issuer: str_field(m, "issuer")?,
        name: str_field(m, "name")?,
        secret,
        otp: OtpParams { kind, algorithm, digits },
        groups,
        note: str_field(m, "note")?,
        recovery_codes,
        favorite: bool_field("favorite")?,
        order: int(m, "order")?,
        created: int(m, "created")?,
        updated: int(m, "updated")?,
        last_used,
        use_count: uint(m, "use_count")?,
    };
    for f in ACCOUNT_FIELDS {
        if let Some(mut v) = m.remove(f) {
            scrub(&mut v);
        }
    }
    Ok((account, std::mem::take(m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> VaultContents {
        let mut a = Account::new(
            "GitHub",
            "alice",
            Secret::parse_base32("JBSWY3DPEHPK3PXP").unwrap(),
            OtpParams::default_totp(),
            100,
        );
        a.recovery_codes.push(RecoveryCode { code: Zeroizing::new("1111-2222".into()), used: true });
        a.groups.push("work".into());
        a.last_used = Some(150);
        let h = Account::new(
            "",
            "bob",
            Secret::from_bytes(vec![1, 2, 3]).unwrap(),
            OtpParams { kind: OtpKind::Hotp { counter: 7 }, algorithm: Algorithm::Sha512, digits: 8 },
            5,
        );
        VaultContents { accounts: vec![a, h], ..VaultContents::default() }
    }

    #[test]
    fn round_trip() {
        let c = sample();
        let json = c.to_json().unwrap();
        assert_eq!(VaultContents::from_json(&json).unwrap(), c);
    }

    #[test]
    fn unknown_fields_survive() {
        let c = sample();
        let mut v: Value = serde_json::from_slice(&c.to_json().unwrap()).unwrap();
        v["future_top"] = Value::from(1);
        v["settings"]["future_setting"] = Value::from("x");
        v["accounts"][1]["future_field"] = serde_json::json!({"a": [1, 2]});
        let read = VaultContents::from_json(&serde_json::to_vec(&v).unwrap()).unwrap();
        assert!(read.has_unknown_fields());
        let again: Value = serde_json::from_slice(&read.to_json().unwrap()).unwrap();
        assert_eq!(again, v);
    }

    #[test]
    fn bad_payload_names_field_not_value() {
        let c = sample();
        let mut v: Value = serde_json::from_slice(&c.to_json().unwrap()).unwrap();
        v["accounts"][0]["digits"] = Value::from(99);
        let err = VaultContents::from_json(&serde_json::to_vec(&v).unwrap()).unwrap_err();
        assert_eq!(err.to_string(), "vault contents are invalid: account 0: field `digits` is missing or invalid");
        v["accounts"][0]["digits"] = Value::from(6);
        v["accounts"][0]["secret"] = Value::from("JBSWY3DPEHPK3PX1");
        let err = VaultContents::from_json(&serde_json::to_vec(&v).unwrap()).unwrap_err();
        assert!(!err.to_string().contains("JBSW"));
        assert!(!format!("{err:?}").contains("JBSW"));
    }

    /// Regression, issue 13 (zeroization): the payload was written into a `Vec` sized by a guess (512 bytes an
    /// account), so an account with a long note made it reallocate and leave plaintext copies in freed memory.
    #[test]
    fn payload_is_written_into_one_buffer_of_its_exact_size() {
        let mut c = sample();
        c.accounts[0].note = "a long note ".repeat(2_000);
        let json = c.to_json().unwrap();
        assert!(json.len() > 24_000);
        assert_eq!(json.capacity(), json.len(), "the buffer grew (or was oversized) while the plaintext was written");
        assert_eq!(VaultContents::from_json(&json).unwrap(), c);
    }
}
