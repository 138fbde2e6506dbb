//! Authenticator apps' own SQLite databases, copied off a rooted device: Google Authenticator
//! (`databases`), Microsoft Authenticator (`PhoneFactor`) and Stratum (`authenticator.db3`).
//!
//! Sources: Aegis' `GoogleAuthImporter`, `MicrosoftAuthImporter` and `StratumImporter`.
//! * Google: `accounts(email, secret, counter, type 0 TOTP | 1 HOTP, issuer, original_name)`; base32
//!   secret, always SHA-1 / 6 digits / 30 s; `email` may carry an `Issuer:` prefix.
//! * Microsoft: `accounts(name = issuer, username, oath_secret_key, account_type)`; type 0 = TOTP with a
//!   base32 secret (6 digits), 1 = Microsoft personal account, base64 secret, 8 digits; other types (work
//!   accounts with push approval) carry no OTP secret and are reported.
//! * Stratum: table `authenticator` with the same fields as its JSON backup, categories in `category` /
//!   `authenticatorcategory`.
//!
//! Lost: icons, usage data, everything else the apps keep in their databases.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::config::DbConfig;
use rusqlite::limits::Limit;
use rusqlite::{Connection, types::ValueRef};
use zeroize::Zeroizing;

use super::common::{Draft, DraftKind, Json, SecretJson, SecretText, int, problem, s};
use super::{Cancel, EntryProblem, Format, ImportError, ProblemKind, Why};

/// The database cannot be read; SQLite's own words (`detail`) are kept for logs.
fn damaged(detail: impl Into<String>) -> ImportError {
    super::common::damaged(Why::Database { detail: detail.into() })
}

/// Most rows we read from one table: real databases hold tens.
pub(super) const MAX_ROWS: usize = 100_000;
/// SQLite virtual-machine instructions between two calls of the progress handler.
const PROGRESS_STEP: i32 = 1_000;
/// Calls of the progress handler after which a connection's queries are stopped (10^8 instructions: well
/// under a second for every real database, and the end of a query that would otherwise never finish).
const MAX_PROGRESS_CALLS: u64 = 100_000;
/// Longest string or blob SQLite may build or hand us (`SQLITE_LIMIT_LENGTH`).
const MAX_VALUE_LEN: i32 = 1 << 20;

/// A hostile database opened with SQLite's defences up: defensive mode, an untrusted schema (no functions
/// with side effects in views, triggers, generated columns or defaults), no views or triggers, small limits,
/// and a progress handler that stops a query running too long or once the import is cancelled.
pub(super) struct Db {
    conn: Connection,
    cancel: Cancel,
    ran_out: Arc<AtomicBool>,
}

impl Db {
    /// The typed error for a failed query: out of budget, cancelled, or a damaged file.
    pub(super) fn fail(&self, what: &str, e: &rusqlite::Error) -> ImportError {
        if self.ran_out.load(Ordering::Relaxed) {
            ImportError::LimitExceeded { why: Why::EndlessQuery }
        } else if e.sqlite_error_code() == Some(rusqlite::ErrorCode::TooBig) {
            ImportError::LimitExceeded { why: Why::TooMuchData { max: MAX_VALUE_LEN as usize } }
        } else if self.cancel.is_cancelled() {
            ImportError::Cancelled
        } else {
            damaged(format!("{what}: {e}"))
        }
    }
}

fn harden(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER, false)?;
    for (limit, value) in [
        (Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_LEN),
        (Limit::SQLITE_LIMIT_SQL_LENGTH, 100_000),
        (Limit::SQLITE_LIMIT_EXPR_DEPTH, 100),
        (Limit::SQLITE_LIMIT_COMPOUND_SELECT, 8),
        (Limit::SQLITE_LIMIT_FUNCTION_ARG, 8),
        (Limit::SQLITE_LIMIT_ATTACHED, 0),
        (Limit::SQLITE_LIMIT_LIKE_PATTERN_LENGTH, 100),
        (Limit::SQLITE_LIMIT_VARIABLE_NUMBER, 8),
        (Limit::SQLITE_LIMIT_TRIGGER_DEPTH, 1),
        (Limit::SQLITE_LIMIT_WORKER_THREADS, 0),
    ] {
        conn.set_limit(limit, value)?;
    }
    Ok(())
}

/// Opens database bytes in memory, read-only, hardened (see [`Db`]). Nothing touches the disk, and the
/// bytes are streamed into SQLite's buffer without a copy of our own (it may be decrypted plaintext).
pub(super) fn open(bytes: &[u8], cancel: &Cancel) -> Result<Db, ImportError> {
    if bytes.len() < 100 || !bytes.starts_with(b"SQLite format 3\0") {
        return Err(damaged("not an SQLite database"));
    }
    // The header records the page size and (since SQLite 3.7) the page count: a shorter file was cut.
    let page_size = match u16::from_be_bytes([bytes[16], bytes[17]]) {
        1 => 65_536,
        n => usize::from(n),
    };
    let pages = u32::from_be_bytes([bytes[28], bytes[29], bytes[30], bytes[31]]) as usize;
    let valid_count = bytes[24..28] == bytes[92..96];
    if valid_count && pages > 0 && bytes.len() < page_size.saturating_mul(pages) {
        return Err(super::common::damaged(Why::EndsEarly));
    }
    let mut conn = Connection::open_in_memory().map_err(|e| damaged(format!("sqlite: {e}")))?;
    harden(&conn).map_err(|e| damaged(format!("sqlite refused its safety settings ({e})")))?;
    let ran_out = Arc::new(AtomicBool::new(false));
    let (flag, stop) = (Arc::clone(&ran_out), cancel.clone());
    let mut calls = 0u64;
    conn.progress_handler(
        PROGRESS_STEP,
        Some(move || {
            calls += 1;
            if calls > MAX_PROGRESS_CALLS {
                flag.store(true, Ordering::Relaxed);
                return true;
            }
            stop.is_cancelled()
        }),
    )
    .map_err(|e| damaged(format!("sqlite: {e}")))?;
    // An in-memory database cannot use a write-ahead log: read WAL-mode files as rollback-journal ones
    // (bytes 18 and 19 of the header), without copying the rest.
    let stream = bytes[..18].chain(&[1u8, 1][..]).chain(&bytes[20..]);
    conn.deserialize_read_exact(rusqlite::MAIN_DB, stream, bytes.len(), true)
        .map_err(|e| damaged(format!("the database cannot be opened ({e})")))?;
    Ok(Db { conn, cancel: cancel.clone(), ran_out })
}

/// Column names of `table` (lower case) with whether each is generated, read as values (rusqlite's
/// `column_name` panics on names that are not UTF-8, and a hostile file can contain such names).
fn table_columns(db: &Db, table: &str) -> Vec<(String, bool)> {
    let Ok(mut stmt) = db.conn.prepare("SELECT name, hidden FROM pragma_table_xinfo(?1) ORDER BY cid") else {
        return Vec::new();
    };
    let Ok(mut q) = stmt.query([table]) else { return Vec::new() };
    let mut names = Vec::new();
    while let Ok(Some(row)) = q.next() {
        // `hidden` is 2 or 3 for generated columns (1 for the hidden columns of virtual tables).
        let generated = !matches!(row.get_ref(1), Ok(ValueRef::Integer(0)));
        if let Ok(ValueRef::Text(t)) = row.get_ref(0) {
            names.push((String::from_utf8_lossy(t).to_ascii_lowercase(), generated));
        }
    }
    names
}

/// Column names of `table`, lower case.
fn columns(db: &Db, table: &str) -> Vec<String> {
    table_columns(db, table).into_iter().map(|(name, _)| name).collect()
}

/// The rows of `table` (at most [`MAX_ROWS`]) as JSON objects keyed by the `wanted` column names (lower
/// case; a column the table lacks is left out). Only the named columns are read, never `SELECT *`, and a
/// wanted column that is generated (computed by an expression from the file when read) refuses the file:
/// no app writes one. Blobs are skipped.
pub(super) fn rows(db: &Db, table: &str, wanted: &[&str]) -> Result<Vec<SecretJson>, ImportError> {
    let present = table_columns(db, table);
    let mut names: Vec<&str> = Vec::new();
    for &w in wanted {
        match present.iter().find(|(p, _)| p == w) {
            Some((_, true)) => {
                return Err(ImportError::Unsupported {
                    why: Why::GeneratedColumn { table: table.to_owned(), column: w.to_owned() },
                });
            }
            Some((_, false)) => names.push(w),
            None => {}
        }
    }
    if names.is_empty() {
        return Err(super::common::damaged(Why::missing(table)));
    }
    let list = names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
    let what = format!("reading {table}");
    let mut stmt = db
        .conn
        .prepare(&format!("SELECT {list} FROM \"{table}\" LIMIT {}", MAX_ROWS + 1))
        .map_err(|e| db.fail(&format!("the database has no readable table {table}"), &e))?;
    let mut out = Vec::new();
    let mut q = stmt.query([]).map_err(|e| db.fail(&what, &e))?;
    while let Some(row) = q.next().map_err(|e| db.fail(&what, &e))? {
        if out.len() == MAX_ROWS {
            return Err(ImportError::LimitExceeded {
                why: Why::TooManyRows { table: table.to_owned(), max: MAX_ROWS },
            });
        }
        let mut obj = SecretJson(Json::Object(serde_json::Map::new()));
        for (i, name) in names.iter().enumerate() {
            let value = match row.get_ref(i).map_err(|e| db.fail(&what, &e))? {
                ValueRef::Null | ValueRef::Blob(_) => Json::Null,
                ValueRef::Integer(n) => Json::from(n),
                ValueRef::Real(f) => Json::from(f),
                ValueRef::Text(t) => Json::String(String::from_utf8_lossy(t).into_owned()),
            };
            if let Some(map) = obj.as_object_mut() {
                map.insert((*name).to_owned(), value);
            }
        }
        out.push(obj);
    }
    Ok(out)
}

fn has_table(db: &Db, table: &str) -> bool {
    db.conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| {
            r.get::<_, i64>(0)
        })
        .is_ok_and(|n| n > 0)
}

/// Which app's database this is.
pub(super) fn detect(bytes: &[u8]) -> Result<Format, ImportError> {
    let db = open(bytes, &Cancel::new())?;
    if has_table(&db, "authenticator") {
        return Ok(Format::StratumDb);
    }
    if has_table(&db, "accounts") {
        let cols = columns(&db, "accounts");
        if cols.iter().any(|c| c == "oath_secret_key") {
            return Ok(Format::MicrosoftAuthenticatorDb);
        }
        if cols.iter().any(|c| c == "secret") && cols.iter().any(|c| c == "email") {
            return Ok(Format::GoogleAuthenticatorDb);
        }
    }
    Err(ImportError::UnknownFormat)
}

pub(super) fn read_google(bytes: &[u8], cancel: &Cancel) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let db = open(bytes, cancel)?;
    let rows = rows(&db, "accounts", &["email", "secret", "counter", "type", "issuer"])?;
    Ok(rows.iter().map(|r| google_row(r)).collect())
}

pub(super) fn google_row(r: &Json) -> Result<Draft, EntryProblem> {
    let email = s(r, "email");
    let (prefix, name) = match email.split_once(':') {
        Some((p, n)) => (p.to_owned(), n.to_owned()),
        None => (String::new(), email.clone()),
    };
    let issuer = match s(r, "issuer") {
        i if i.is_empty() => prefix,
        i => i,
    };
    let label = crate::model::label(&issuer, &name);
    let bad = |k| problem(label.clone(), k);
    let kind = match int(r, "type").map_err(bad)? {
        Some(0) | None => DraftKind::Totp,
        Some(1) => DraftKind::Hotp,
        Some(other) => return Err(bad(ProblemKind::InvalidParameter(Why::unknown("type", other)))),
    };
    let mut d = Draft::new(kind.clone(), issuer, name, SecretText::Base32(Zeroizing::new(s(r, "secret"))));
    if kind == DraftKind::Hotp {
        d.counter = int(r, "counter").map_err(bad)?;
    }
    Ok(d)
}

pub(super) fn read_microsoft(bytes: &[u8], cancel: &Cancel) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let db = open(bytes, cancel)?;
    Ok(rows(&db, "accounts", &["name", "username", "oath_secret_key", "account_type"])?
        .iter()
        .map(|r| {
            let issuer = s(r, "name");
            let name = s(r, "username");
            let label = crate::model::label(&issuer, &name);
            let bad = |k| problem(label.clone(), k);
            let key = Zeroizing::new(s(r, "oath_secret_key"));
            match int(r, "account_type").map_err(bad)? {
                Some(0) | None => Ok(Draft::new(DraftKind::Totp, issuer, name, SecretText::Base32(key))),
                Some(1) => {
                    let mut d = Draft::new(DraftKind::Totp, issuer, name, SecretText::Base64(key));
                    d.digits = Some(8);
                    Ok(d)
                }
                Some(other) => {
                    Err(bad(ProblemKind::UnsupportedType { kind: format!("Microsoft account type {other}") }))
                }
            }
        })
        .collect())
}

pub(super) fn read_stratum(bytes: &[u8], cancel: &Cancel) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let db = open(bytes, cancel)?;
    let categories = if has_table(&db, "category") { rows(&db, "category", &["id", "name"])? } else { Vec::new() };
    let bindings = if has_table(&db, "authenticatorcategory") {
        rows(&db, "authenticatorcategory", &["authenticatorsecret", "categoryid"])?
    } else {
        Vec::new()
    };
    let categories = super::stratum::Categories::new(
        categories.iter().map(|c| (s(c, "id"), s(c, "name"))),
        bindings.iter().map(|b| (Zeroizing::new(s(b, "authenticatorsecret")), s(b, "categoryid"))),
    );
    let columns = ["type", "issuer", "username", "secret", "algorithm", "digits", "period", "counter"];
    Ok(rows(&db, "authenticator", &columns)?
        .iter()
        .map(|r| {
            // Same fields as the JSON backup, whose keys are capitalised.
            let mut obj = SecretJson(Json::Object(serde_json::Map::new()));
            for (json_key, column) in [
                ("Type", "type"),
                ("Issuer", "issuer"),
                ("Username", "username"),
                ("Secret", "secret"),
                ("Algorithm", "algorithm"),
                ("Digits", "digits"),
                ("Period", "period"),
                ("Counter", "counter"),
            ] {
                if let Some(map) = obj.as_object_mut() {
                    map.insert(json_key.into(), r.get(column).cloned().unwrap_or(Json::Null));
                }
            }
            let mut d = super::stratum::convert(&obj)?;
            d.groups.extend(categories.of(&Zeroizing::new(s(r, "secret"))).map(str::to_owned));
            Ok(d)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small_db() -> Vec<u8> {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE accounts (email TEXT, secret TEXT); INSERT INTO accounts VALUES ('a', 'b');")
            .unwrap();
        conn.serialize(rusqlite::MAIN_DB).unwrap().to_vec()
    }

    const ENDLESS: &str = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

    /// Regression, issue 13: nothing stopped a query on an untrusted database. A query that never ends is
    /// stopped by the progress handler and reported as a limit, not left running.
    #[test]
    fn a_query_that_never_ends_is_stopped() {
        let db = open(&small_db(), &Cancel::new()).unwrap();
        let err = db.conn.query_row(ENDLESS, [], |r| r.get::<_, i64>(0)).unwrap_err();
        assert!(matches!(db.fail("counting", &err), ImportError::LimitExceeded { .. }), "{err}");
    }

    #[test]
    fn a_running_query_stops_when_the_import_is_cancelled() {
        let cancel = Cancel::new();
        let db = open(&small_db(), &cancel).unwrap();
        cancel.cancel();
        let err = db.conn.query_row(ENDLESS, [], |r| r.get::<_, i64>(0)).unwrap_err();
        assert_eq!(db.fail("counting", &err), ImportError::Cancelled);
    }

    #[test]
    fn the_untrusted_connection_is_hardened() {
        let db = open(&small_db(), &Cancel::new()).unwrap();
        assert!(db.conn.db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE).unwrap());
        assert!(!db.conn.db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA).unwrap());
        assert!(!db.conn.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_VIEW).unwrap());
        assert!(!db.conn.db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_TRIGGER).unwrap());
        assert_eq!(db.conn.limit(Limit::SQLITE_LIMIT_LENGTH).unwrap(), MAX_VALUE_LEN);
        assert_eq!(db.conn.limit(Limit::SQLITE_LIMIT_ATTACHED).unwrap(), 0);
        // The file itself was opened read-only.
        assert!(db.conn.execute("DELETE FROM accounts", []).is_err());
    }
}
