//! What the vault holds ([`VaultContents`]) and how it becomes the JSON payload and back.
//!
//! The payload is one JSON object: `{"accounts": [...], "deleted": [...]}` (format 1.1: each account may carry
//! a `stamp`, and `deleted` lists the tombstones of deleted accounts; see `docs/vault-format.md`). Fields this
//! version does not know, at the top level or in an account, are kept aside when reading and written back
//! unchanged, so a file from a newer minor version survives a rewrite by this one. The `settings` object of
//! format 1.0 is such a field now: settings are per computer and live in the shell, not in the vault. The JSON is built and read
//! through `serde_json::Value` with every string scrubbed (zeroized) afterwards; the secret never goes
//! through a `Serialize` impl of its own ([`Secret`] has none).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};
use zeroize::Zeroizing;

use crate::model::{Account, AccountId, Algorithm, Origin, OtpKind, OtpParams, PhoneValues, RecoveryCode};
use crate::secret::Secret;

use super::error::{Corruption, Invalid, VaultError};
use super::stamp::Stamp;
use crate::wipe::{scrub, scrub_map};

/// Top-level payload fields that belong to this computer and never leave it in a synced copy: the WebDAV
/// server's address, user and app password (`crate::sync::webdav_sync`). An app password is issued per
/// device (Nextcloud, ownCloud), so another computer must not take this one's; a merge keeps ours.
pub(crate) const LOCAL_FIELDS: &[&str] = &["webdav"];

/// Everything a vault holds: accounts (with their secrets and recovery codes), their edit stamps and the
/// tombstones of deleted accounts.
///
/// Fields written by a newer Twofold that this version does not know are kept inside and written back on the
/// next save; an account's unknown fields follow the account by id.
#[derive(Clone, PartialEq, Default)]
pub struct VaultContents {
    pub accounts: Vec<Account>,
    /// Edit stamps written by format 1.1; an account without one has [`Stamp::implied`] by its `updated`.
    pub(crate) stamps: HashMap<AccountId, Stamp>,
    /// Deleted accounts: id and the stamp of the deletion. Kept forever (see `docs/vault-format.md`).
    pub(crate) tombstones: BTreeMap<AccountId, Stamp>,
    pub(crate) unknown: Unknown,
}

#[derive(Clone, PartialEq, Default)]
pub(crate) struct Unknown {
    pub(crate) top: Map<String, Value>,
    pub(crate) accounts: BTreeMap<AccountId, Map<String, Value>>,
}

impl Drop for Unknown {
    fn drop(&mut self) {
        // Unknown fields of a newer version may hold secrets too.
        for map in std::iter::once(&mut self.top).chain(self.accounts.values_mut()) {
            scrub_map(map);
        }
    }
}

impl std::fmt::Debug for VaultContents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VaultContents")
            .field("accounts", &self.accounts)
            .field("stamps", &self.stamps.len())
            .field("tombstones", &self.tombstones.len())
            .field("unknown_fields", &(self.unknown.top.len() + self.unknown.accounts.len()))
            .finish()
    }
}

impl VaultContents {
    /// An empty vault.
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
        self.stamps.remove(&id);
        Some(self.accounts.remove(index))
    }

    /// The stamp of the last edit of this account: the one the file carries, else [`Stamp::implied`] by the
    /// account's `updated` time. `None` if no account has this id.
    pub fn stamp(&self, id: AccountId) -> Option<Stamp> {
        self.account(id).map(|a| self.stamp_of(a))
    }

    pub(crate) fn stamp_of(&self, account: &Account) -> Stamp {
        self.stamps.get(&account.id).copied().unwrap_or_else(|| Stamp::implied(account.updated))
    }

    /// Deleted accounts: each id with the stamp of its deletion, by id.
    pub fn tombstones(&self) -> impl Iterator<Item = (AccountId, Stamp)> + '_ {
        self.tombstones.iter().map(|(id, s)| (*id, *s))
    }

    /// The largest stamp of any account or tombstone (the default stamp if there is none): a new edit's stamp
    /// must be above it.
    pub fn newest_stamp(&self) -> Stamp {
        let accounts = self.accounts.iter().map(|a| self.stamp_of(a));
        accounts.chain(self.tombstones.values().copied()).max().unwrap_or_default()
    }

    /// Records the edit `stamp` on every account `change` added or changed, compared with `before`, and a
    /// tombstone for every account it removed. Accounts `change` left as they were keep their stamps.
    /// Returns whether anything was stamped.
    pub(crate) fn stamp_changes(&mut self, before: &VaultContents, stamp: impl FnOnce() -> Stamp) -> bool {
        let old: HashMap<AccountId, &Account> = before.accounts.iter().map(|a| (a.id, a)).collect();
        let mut changed: Vec<AccountId> = Vec::new();
        let mut present: HashSet<AccountId> = HashSet::with_capacity(self.accounts.len());
        for account in &self.accounts {
            present.insert(account.id);
            if old.get(&account.id).is_none_or(|b| *b != account) {
                changed.push(account.id);
            }
        }
        let removed: Vec<AccountId> = old.keys().filter(|id| !present.contains(id)).copied().collect();
        if changed.is_empty() && removed.is_empty() {
            return false;
        }
        let stamp = stamp();
        for id in changed {
            self.stamps.insert(id, stamp);
        }
        for id in removed {
            self.stamps.remove(&id);
            self.tombstones.insert(id, stamp);
        }
        true
    }

    /// True when the payload had fields this version does not know (they will be written back).
    pub fn has_unknown_fields(&self) -> bool {
        !(self.unknown.top.is_empty() && self.unknown.accounts.is_empty())
    }

    /// A top-level payload field this version keeps aside (not `accounts` or `deleted`), e.g. the `backup`
    /// record of a backup file or the `settings` object of a 1.0 file.
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

    /// What is shared with other computers: these contents without the fields that belong to this computer
    /// alone ([`LOCAL_FIELDS`]: the WebDAV address, user and app password). Borrowed when there are none, so a
    /// vault that holds no such field costs nothing.
    pub(crate) fn shared(&self) -> std::borrow::Cow<'_, VaultContents> {
        if LOCAL_FIELDS.iter().all(|key| !self.unknown.top.contains_key(*key)) {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut shared = self.clone();
        for key in LOCAL_FIELDS {
            shared.remove_extra_field(key);
        }
        std::borrow::Cow::Owned(shared)
    }

    /// Serializes to the payload JSON.
    pub fn to_json(&self) -> Result<Zeroizing<Vec<u8>>, VaultError> {
        let mut top = self.unknown.top.clone();
        let mut accounts = Vec::with_capacity(self.accounts.len());
        for account in &self.accounts {
            let extra = self.unknown.accounts.get(&account.id);
            let mut map = account_to_json(account, extra);
            if let Some(stamp) = self.stamps.get(&account.id) {
                map.insert(String::from("stamp"), stamp.to_json());
            }
            accounts.push(Value::Object(map));
        }
        top.insert(String::from("accounts"), Value::Array(accounts));
        if !self.tombstones.is_empty() {
            let deleted = self
                .tombstones
                .iter()
                .map(|(id, stamp)| {
                    let mut m = Map::new();
                    m.insert(String::from("id"), Value::String(id.to_string()));
                    m.insert(String::from("stamp"), stamp.to_json());
                    Value::Object(m)
                })
                .collect();
            top.insert(String::from("deleted"), Value::Array(deleted));
        }
        let mut value = Value::Object(top);
        // Written into a buffer of exactly the right size: a growing `Vec` would leave copies of the plaintext
        // behind in the allocations it gives up.
        let out = crate::wipe::json_exact(&value);
        scrub(&mut value);
        out.map_err(|_| VaultError::InvalidContents { reason: Invalid::PayloadNotWritten })
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
        let mut seen = HashSet::new();
        match top.remove("accounts") {
            Some(Value::Array(mut list)) => {
                for (index, item) in list.iter_mut().enumerate() {
                    let Value::Object(map) = item else {
                        return Err(VaultError::InvalidContents { reason: Invalid::AccountNotObject { index } });
                    };
                    let stamp = match map.remove("stamp") {
                        None => None,
                        Some(v) => Some(Stamp::from_json(&v).ok_or_else(|| field_err(index, "stamp"))?),
                    };
                    let (account, extra) = account_from_json(index, map)?;
                    if !seen.insert(account.id) {
                        return Err(VaultError::InvalidContents { reason: Invalid::AccountRepeatsId { index } });
                    }
                    if let Some(stamp) = stamp {
                        contents.stamps.insert(account.id, stamp);
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
                return Err(VaultError::InvalidContents { reason: Invalid::AccountsNotAList });
            }
        }
        match top.remove("deleted") {
            None => {}
            Some(Value::Array(list)) => {
                for (index, item) in list.iter().enumerate() {
                    let id = item.get("id").and_then(Value::as_str).and_then(|s| uuid::Uuid::parse_str(s).ok());
                    let stamp = item.get("stamp").and_then(Stamp::from_json);
                    let (Some(id), Some(stamp)) = (id, stamp) else {
                        return Err(VaultError::InvalidContents { reason: Invalid::DeletedEntry { index } });
                    };
                    let slot = contents.tombstones.entry(AccountId(id)).or_insert(stamp);
                    *slot = (*slot).max(stamp);
                }
            }
            Some(_) => return Err(VaultError::InvalidContents { reason: Invalid::DeletedNotAList }),
        }
        contents.unknown.top = std::mem::take(top);
        Ok(contents)
    }
}

fn field_err(index: usize, field: &str) -> VaultError {
    VaultError::InvalidContents { reason: Invalid::AccountField { index, field: field.to_owned() } }
}

/// The account fields this version reads; everything else in an account object is kept as unknown.
const ACCOUNT_FIELDS: [&str; 20] = [
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
    "origin",
    "icon",
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
    if let Some(origin) = &a.origin {
        m.insert("origin".into(), origin_to_json(origin));
    }
    if let Some(icon) = &a.icon {
        m.insert("icon".into(), Value::String(icon.to_base64()));
    }
    m
}

/// `origin` (format 1.1, optional): where a followed phone backup brought the account from.
fn origin_to_json(o: &Origin) -> Value {
    let mut phone = Map::new();
    phone.insert("issuer".into(), Value::String(o.phone.issuer.clone()));
    phone.insert("name".into(), Value::String(o.phone.name.clone()));
    phone.insert("groups".into(), Value::Array(o.phone.groups.iter().cloned().map(Value::String).collect()));
    phone.insert("note".into(), Value::String(o.phone.note.clone()));
    phone.insert("favorite".into(), Value::Bool(o.phone.favorite));
    phone.insert("key".into(), Value::String(o.phone.key.clone()));
    let mut m = Map::new();
    m.insert("source".into(), Value::String(o.source.to_string()));
    m.insert("entry".into(), Value::String(o.entry.clone()));
    if o.removed {
        m.insert("removed".into(), Value::Bool(true));
    }
    m.insert("phone".into(), Value::Object(phone));
    Value::Object(m)
}

fn origin_from_json(index: usize, v: &Value) -> Result<Origin, VaultError> {
    let bad = || field_err(index, "origin");
    let text = |v: &Value, f: &str| match v.get(f) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(bad()),
    };
    let source = v.get("source").and_then(Value::as_str).and_then(|s| uuid::Uuid::parse_str(s).ok()).ok_or_else(bad)?;
    let phone = v.get("phone").filter(|p| p.is_object()).ok_or_else(bad)?;
    let groups = match phone.get("groups") {
        None => Vec::new(),
        Some(Value::Array(list)) => {
            list.iter().map(|g| g.as_str().map(str::to_owned).ok_or_else(bad)).collect::<Result<_, _>>()?
        }
        Some(_) => return Err(bad()),
    };
    Ok(Origin {
        source,
        entry: text(v, "entry")?,
        removed: v.get("removed").map_or(Some(false), Value::as_bool).ok_or_else(bad)?,
        phone: PhoneValues {
            issuer: text(phone, "issuer")?,
            name: text(phone, "name")?,
            groups,
            note: text(phone, "note")?,
            favorite: phone.get("favorite").map_or(Some(false), Value::as_bool).ok_or_else(bad)?,
            key: text(phone, "key")?,
        },
    })
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
    let origin = match m.get("origin") {
        None | Some(Value::Null) => None,
        Some(v) => Some(origin_from_json(index, v)?),
    };
    // `icon` (format 1.2, optional): a PNG in base64 (`crate::icon`). Anything else under that name (another
    // version's idea of an icon, e.g. a file name) is kept as an unknown field, untouched, and never shown.
    let icon = match m.get("icon") {
        Some(Value::String(b64)) => data_encoding::BASE64
            .decode(b64.as_bytes())
            .ok()
            .and_then(|png| crate::icon::Icon::from_stored_png(png).ok()),
        _ => None,
    };
    let icon_read = icon.is_some();
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
        origin,
        icon,
    };
    for f in ACCOUNT_FIELDS {
        if f == "icon" && !icon_read {
            continue;
        }
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

    /// Issue 19: an account's own picture is kept with it (format 1.2's optional `icon`); an `icon` that is not
    /// a small PNG (another version's, or a hostile copy's) is kept as an unknown field and never shown.
    #[test]
    fn icons_round_trip_and_bad_ones_are_refused() {
        let mut c = sample();
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(4, 4, image::Rgba([1, 2, 3, 255]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        c.accounts[0].icon = Some(crate::icon::Icon::from_picture(&png, false).unwrap());
        let json = c.to_json().unwrap();
        assert_eq!(VaultContents::from_json(&json).unwrap(), c);
        let mut v: Value = serde_json::from_slice(&json).unwrap();
        assert!(v["accounts"][1].get("icon").is_none(), "no picture, no field");
        for foreign in [Value::from(data_encoding::BASE64.encode(b"<svg onload=alert(1)>")), Value::from("github.svg")]
        {
            v["accounts"][0]["icon"] = foreign;
            let read = VaultContents::from_json(&serde_json::to_vec(&v).unwrap()).unwrap();
            assert_eq!(read.accounts[0].icon, None);
            assert!(read.has_unknown_fields());
            let again: Value = serde_json::from_slice(&read.to_json().unwrap()).unwrap();
            assert_eq!(again["accounts"][0]["icon"], v["accounts"][0]["icon"], "kept as it was");
        }
    }

    #[test]
    fn unknown_fields_survive() {
        let c = sample();
        let mut v: Value = serde_json::from_slice(&c.to_json().unwrap()).unwrap();
        v["future_top"] = Value::from(1);
        v["settings"] = serde_json::json!({"theme": "dark", "future_setting": "x"});
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
