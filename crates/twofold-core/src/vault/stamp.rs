//! Version stamps that order edits across computers: a hybrid logical clock (wall time in milliseconds, a
//! counter, the device that made the edit), and the device id itself.
//!
//! A stamp is what a merge compares to decide which edit of an account is newer and whether a deletion came
//! after an edit (see `crate::sync::merge`). Stamps are set by [`super::Vault`] on every edit; nothing else
//! needs to touch them. The clock is hybrid so that a computer whose clock runs behind still orders its edit
//! after every edit it has already seen: a new stamp is never below the largest stamp in the vault.

use serde_json::{Map, Value};

/// The random, per-install identity of a computer, written into every stamp it makes. It only breaks ties
/// between edits made in the same millisecond; it carries no name and nothing secret.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DeviceId(pub uuid::Uuid);

// Compared as one big-endian integer, the same order as the bytes, without a `memcmp` call (see `AccountId`).
impl Ord for DeviceId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.as_u128().cmp(&other.0.as_u128())
    }
}

impl PartialOrd for DeviceId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl DeviceId {
    /// A fresh random id: make one per installation and keep it (the shell's data folder), then hand it to
    /// every [`super::Vault`] with [`super::Vault::set_device`].
    pub fn new_random() -> Self {
        Self(uuid::Uuid::new_v4())
    }

    /// The id of a stamp that no device made: the implied stamp of an account written by format 1.0.
    pub const NONE: DeviceId = DeviceId(uuid::Uuid::nil());
}

impl std::fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceId({})", self.0)
    }
}

impl std::fmt::Display for DeviceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One edit's place in time: ordered by wall time, then counter, then device.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Debug)]
pub struct Stamp {
    /// Unix milliseconds of the edit, or of the newest edit already known if the clock was behind it.
    pub time_ms: i64,
    /// Counts edits within one `time_ms`.
    pub count: u32,
    pub device: DeviceId,
}

impl Stamp {
    /// The stamp an account has when the file carries none (written by format 1.0): its `updated` time, so
    /// older files still order edits by when they were made, by no device.
    pub fn implied(updated_s: i64) -> Self {
        Stamp { time_ms: updated_s.saturating_mul(1000), count: 0, device: DeviceId::NONE }
    }

    /// The next stamp for an edit by `device` at wall time `now_ms`, given the largest stamp already known:
    /// the wall time if it is ahead, else one tick after the newest stamp (a clock that runs behind never
    /// makes an edit look older than one it has seen).
    pub fn next(newest_known: Stamp, now_ms: i64, device: DeviceId) -> Stamp {
        if now_ms > newest_known.time_ms {
            Stamp { time_ms: now_ms, count: 0, device }
        } else {
            match newest_known.count.checked_add(1) {
                Some(count) => Stamp { time_ms: newest_known.time_ms, count, device },
                None => Stamp { time_ms: newest_known.time_ms.saturating_add(1), count: 0, device },
            }
        }
    }

    pub(crate) fn to_json(self) -> Value {
        let mut m = Map::new();
        m.insert("time".into(), Value::from(self.time_ms));
        m.insert("count".into(), Value::from(self.count));
        m.insert("device".into(), Value::String(self.device.0.to_string()));
        Value::Object(m)
    }

    /// `None` when the value is not a stamp object.
    pub(crate) fn from_json(value: &Value) -> Option<Stamp> {
        let m = value.as_object()?;
        let time_ms = m.get("time")?.as_i64()?;
        let count = u32::try_from(m.get("count")?.as_u64()?).ok()?;
        let device = DeviceId(uuid::Uuid::parse_str(m.get("device")?.as_str()?).ok()?);
        Some(Stamp { time_ms, count, device })
    }
}

/// Where the vault's edit stamps get their wall time: Unix milliseconds. [`system_clock_ms`] unless a test
/// sets another with [`super::Vault::set_clock`].
pub type Clock = fn() -> i64;

/// The computer's clock in Unix milliseconds (0 if it reads before 1970). The one place the core reads the
/// clock: a stamp needs the time of the edit, and `Vault::update`'s callers should not have to pass it.
pub fn system_clock_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_follows_the_clock_or_the_newest_stamp() {
        let d = DeviceId::new_random();
        let known = Stamp { time_ms: 5_000, count: 3, device: DeviceId::NONE };
        assert_eq!(Stamp::next(known, 9_000, d), Stamp { time_ms: 9_000, count: 0, device: d });
        // A clock behind the newest stamp still moves forward.
        let behind = Stamp::next(known, 1_000, d);
        assert!(behind > known);
        assert_eq!(behind, Stamp { time_ms: 5_000, count: 4, device: d });
        let full = Stamp { time_ms: 5_000, count: u32::MAX, device: d };
        assert!(Stamp::next(full, 0, d) > full);
    }

    #[test]
    fn json_round_trip_and_bad_values() {
        let s = Stamp { time_ms: 1_700_000_000_123, count: 2, device: DeviceId::new_random() };
        assert_eq!(Stamp::from_json(&s.to_json()), Some(s));
        assert_eq!(Stamp::from_json(&serde_json::json!({"time": 1, "count": -1, "device": "x"})), None);
        assert_eq!(Stamp::from_json(&serde_json::json!("1-2-3")), None);
    }
}
