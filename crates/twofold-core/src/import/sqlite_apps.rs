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

use rusqlite::{Connection, types::ValueRef};
use zeroize::Zeroizing;

use super::common::{Draft, DraftKind, Json, SecretText, int, problem, s};
use super::{EntryProblem, Format, ImportError, ProblemKind};

fn damaged(reason: impl Into<String>) -> ImportError {
    ImportError::Damaged { reason: reason.into() }
}

/// Opens database bytes in memory, read-only. Nothing touches the disk.
pub(super) fn open(bytes: &[u8]) -> Result<Connection, ImportError> {
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
        return Err(damaged(format!(
            "the database is incomplete ({} of {} bytes)",
            bytes.len(),
            page_size.saturating_mul(pages)
        )));
    }
    let mut copy = bytes.to_vec();
    // An in-memory database cannot use a write-ahead log: read WAL-mode files as rollback-journal ones.
    copy[18] = 1;
    copy[19] = 1;
    let mut conn = Connection::open_in_memory().map_err(|e| damaged(format!("sqlite: {e}")))?;
    let len = copy.len();
    conn.deserialize_read_exact(rusqlite::MAIN_DB, copy.as_slice(), len, true)
        .map_err(|e| damaged(format!("the database cannot be opened ({e})")))?;
    Ok(conn)
}

/// Column names of `table`, read as values (rusqlite's `column_name` panics on names that are not UTF-8,
/// and a hostile file can contain such names).
fn columns(conn: &Connection, table: &str) -> Vec<String> {
    let Ok(mut stmt) = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid") else { return Vec::new() };
    let Ok(mut q) = stmt.query([table]) else { return Vec::new() };
    let mut names = Vec::new();
    while let Ok(Some(row)) = q.next() {
        let name = match row.get_ref(0) {
            Ok(ValueRef::Text(t)) => String::from_utf8_lossy(t).to_ascii_lowercase(),
            _ => String::new(),
        };
        names.push(name);
    }
    names
}

/// Every row of `table` as a JSON object keyed by column name (lower case). Blobs are skipped.
fn rows(conn: &Connection, table: &str) -> Result<Vec<Json>, ImportError> {
    let names = columns(conn, table);
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM \"{table}\""))
        .map_err(|e| damaged(format!("the database has no readable table {table} ({e})")))?;
    let count = stmt.column_count().min(names.len());
    let mut out = Vec::new();
    let mut q = stmt.query([]).map_err(|e| damaged(format!("reading {table}: {e}")))?;
    while let Some(row) = q.next().map_err(|e| damaged(format!("reading {table}: {e}")))? {
        let mut obj = serde_json::Map::new();
        for (i, name) in names.iter().enumerate().take(count) {
            let value = match row.get_ref(i).map_err(|e| damaged(format!("reading {table}: {e}")))? {
                ValueRef::Null | ValueRef::Blob(_) => Json::Null,
                ValueRef::Integer(n) => Json::from(n),
                ValueRef::Real(f) => Json::from(f),
                ValueRef::Text(t) => Json::String(String::from_utf8_lossy(t).into_owned()),
            };
            obj.insert(name.clone(), value);
        }
        out.push(Json::Object(obj));
    }
    Ok(out)
}

fn has_table(conn: &Connection, table: &str) -> bool {
    conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1", [table], |r| {
        r.get::<_, i64>(0)
    })
    .is_ok_and(|n| n > 0)
}

/// Which app's database this is.
pub(super) fn detect(bytes: &[u8]) -> Result<Format, ImportError> {
    let conn = open(bytes)?;
    if has_table(&conn, "authenticator") {
        return Ok(Format::StratumDb);
    }
    if has_table(&conn, "accounts") {
        let cols = columns(&conn, "accounts");
        if cols.iter().any(|c| c == "oath_secret_key") {
            return Ok(Format::MicrosoftAuthenticatorDb);
        }
        if cols.iter().any(|c| c == "secret") && cols.iter().any(|c| c == "email") {
            return Ok(Format::GoogleAuthenticatorDb);
        }
    }
    Err(ImportError::UnknownFormat)
}

pub(super) fn read_google(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let conn = open(bytes)?;
    Ok(rows(&conn, "accounts")?.iter().map(google_row).collect())
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
    let label = super::common::label_of(&issuer, &name);
    let bad = |k| problem(label.clone(), k);
    let kind = match int(r, "type").map_err(bad)? {
        Some(0) | None => DraftKind::Totp,
        Some(1) => DraftKind::Hotp,
        Some(other) => return Err(bad(ProblemKind::InvalidParameter(format!("unknown account type {other}")))),
    };
    let mut d = Draft::new(kind.clone(), issuer, name, SecretText::Base32(Zeroizing::new(s(r, "secret"))));
    if kind == DraftKind::Hotp {
        d.counter = int(r, "counter").map_err(bad)?;
    }
    Ok(d)
}

pub(super) fn read_microsoft(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let conn = open(bytes)?;
    Ok(rows(&conn, "accounts")?
        .iter()
        .map(|r| {
            let issuer = s(r, "name");
            let name = s(r, "username");
            let label = super::common::label_of(&issuer, &name);
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

pub(super) fn read_stratum(bytes: &[u8]) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let conn = open(bytes)?;
    let categories = if has_table(&conn, "category") { rows(&conn, "category")? } else { Vec::new() };
    let bindings =
        if has_table(&conn, "authenticatorcategory") { rows(&conn, "authenticatorcategory")? } else { Vec::new() };
    Ok(rows(&conn, "authenticator")?
        .iter()
        .map(|r| {
            // Same fields as the JSON backup, whose keys are capitalised.
            let mut obj = serde_json::Map::new();
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
                obj.insert(json_key.into(), r.get(column).cloned().unwrap_or(Json::Null));
            }
            let mut d = super::stratum::convert(&Json::Object(obj))?;
            let secret = s(r, "secret");
            for b in bindings.iter().filter(|b| s(b, "authenticatorsecret") == secret) {
                let id = s(b, "categoryid");
                if let Some(c) = categories.iter().find(|c| s(c, "id") == id) {
                    d.groups.push(s(c, "name"));
                }
            }
            Ok(d)
        })
        .collect())
}
