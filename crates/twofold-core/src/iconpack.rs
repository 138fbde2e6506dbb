//! Icon packs in Aegis's format (issue 19 point 4): a ZIP holding `pack.json` and the icon files it lists.
//!
//! The format, as Aegis reads it (`IconPack.java`, `IconPackManager.java` in beemdevelopment/Aegis) and as the
//! aegis-icons project ships it: `pack.json` at the root of the archive is
//! `{ "uuid": "…", "name": "…", "version": 3, "icons": [{ "filename": "SVG/GitHub.svg", "name": "GitHub",
//! "category": null, "issuer": ["github"] }, …] }`. The uuid names the pack across versions; `filename` is a
//! path inside the archive (PNG, JPEG or SVG, by its extension); `issuer` is the list of issuer strings the icon
//! is suggested for. `name` is optional (Aegis shows the file name without its extension).
//!
//! A pack comes from strangers, so [`parse`] trusts nothing in it: the archive's size, its number of entries,
//! every entry's name (no absolute path, no `..`, no backslash or NUL), each listed file's declared and real
//! decompressed size, its compression ratio and the total are bounded before or while reading, the JSON's
//! shape and the uuid are checked, and every listed file must be there. Each icon goes through
//! [`crate::icon::Icon::from_picture`], so it becomes the same PNG of at most 128 px as an account's own
//! picture (bounded decoding, SVG rasterised without scripts or external files). Every refusal is one
//! [`PackError`] variant with a sentence that names the problem.
//!
//! Matching ([`match_issuer`]) is Aegis's rule: the issuer and each of the icon's issuer strings in lower case
//! (we also trim them), equal or one containing the other; we rank an equal string (or equal once folded like
//! our brand-icon matcher folds: accents, spaces and punctuation dropped) above a containing one. [`store`]
//! keeps imported packs in a folder.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use crate::icon::{Icon, IconError};

pub mod store;

/// The largest pack file read (the full aegis-icons pack is a few MiB).
pub const MAX_PACK_FILE: usize = 64 << 20;
/// Most entries in the archive (the aegis-icons pack has about two thousand).
pub const MAX_ENTRIES: usize = 5_000;
/// Most icons `pack.json` may list.
pub const MAX_ICONS: usize = MAX_ENTRIES;
/// The largest `pack.json`, decompressed.
pub const MAX_PACK_JSON: u64 = 4 << 20;
/// The largest icon file, decompressed.
pub const MAX_ICON_FILE: u64 = 2 << 20;
/// Most bytes decompressed from one pack, `pack.json` and icons together.
pub const MAX_TOTAL: u64 = 128 << 20;
/// The highest compression ratio accepted for an entry larger than [`RATIO_FLOOR`] (SVG text compresses
/// five- to tenfold; a ZIP bomb a thousandfold).
pub const MAX_RATIO: u64 = 100;
/// Most bytes of PNG the pack's icons may take once made (a 128 px logo is a few KiB; 5,000 noisy ones would
/// be 300 MiB held until the pack is written).
pub const MAX_ICONS_PNG: usize = 64 << 20;
/// Entries up to this size are never refused for their ratio (a tiny file of repeated bytes is harmless).
pub const RATIO_FLOOR: u64 = 64 << 10;
/// Most issuer strings per icon, and the longest one (in bytes); and the longest name, category or pack name.
const MAX_ISSUERS: usize = 100;
const MAX_TEXT: usize = 200;

/// The file name of the pack's description, at the root of the archive.
pub const PACK_JSON: &str = "pack.json";

/// Why a file is not an icon pack we accept, or a stored pack cannot be used. Texts are lower case, name the
/// problem and never quote more of the file than an entry name. The libraries' own words (`NotZip`,
/// `BadPackJson`, `Damaged`) are for logs; the app words each variant from its fields without them.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PackError {
    #[error("the file is larger than {} MiB, too large for an icon pack", MAX_PACK_FILE >> 20)]
    FileTooLarge,
    #[error("the file is not a ZIP archive ({0})")]
    NotZip(String),
    #[error("the archive holds {count} files; an icon pack may hold at most {MAX_ENTRIES}")]
    TooManyEntries { count: usize },
    #[error("the archive has a file named {name:?}: names that leave the pack's folder are refused")]
    UnsafeName { name: String },
    #[error("the archive's files are encrypted; icon packs are not")]
    Encrypted,
    #[error("the archive has no pack.json at its root: it is not an Aegis icon pack")]
    NoPackJson,
    #[error("pack.json is not a valid icon pack description: {0}")]
    BadPackJson(String),
    #[error("pack.json's uuid {0:?} is not a UUID")]
    BadUuid(String),
    #[error("pack.json lists no icons")]
    NoIcons,
    #[error("pack.json lists {count} icons; a pack may have at most {MAX_ICONS}")]
    TooManyIcons { count: usize },
    #[error("pack.json lists {name:?}, which is not in the archive")]
    MissingFile { name: String },
    #[error("{name:?} is not a PNG, JPEG or SVG file")]
    UnsupportedIcon { name: String },
    #[error("{name:?} decompresses to more than {max} bytes")]
    EntryTooLarge { name: String, max: u64 },
    #[error("{name:?} is compressed more than {MAX_RATIO} to 1: a ZIP bomb is refused")]
    Bomb { name: String },
    #[error("the pack decompresses to more than {} MiB", MAX_TOTAL >> 20)]
    TooMuchData,
    #[error("the pack's icons take more than {} MiB once made into pictures", MAX_ICONS_PNG >> 20)]
    IconsTooLarge,
    #[error("{name:?} cannot be read from the archive ({reason})")]
    Damaged { name: String, reason: String },
    /// An entry of the archive's directory (counted from 1) cannot be read, so it has no name yet.
    #[error("file {number} of the archive cannot be read ({reason})")]
    DamagedEntry { number: usize, reason: String },
    #[error("{name:?}: {error}")]
    BadIcon { name: String, error: IconError },
    #[error("no icon pack {0} is installed")]
    NotFound(Uuid),
    /// A stored pack's own file (its index) is damaged or not what this app wrote.
    #[error("the stored icon pack file {} is damaged ({reason})", path.display())]
    StoredDamaged { path: PathBuf, reason: String },
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl PackError {
    /// A stable code per refusal, for the app to word it in the person's language.
    pub fn code(&self) -> &'static str {
        match self {
            PackError::FileTooLarge => "fileTooLarge",
            PackError::NotZip(_) => "notZip",
            PackError::TooManyEntries { .. } => "tooManyEntries",
            PackError::UnsafeName { .. } => "unsafeName",
            PackError::Encrypted => "encrypted",
            PackError::NoPackJson => "noPackJson",
            PackError::BadPackJson(_) => "badPackJson",
            PackError::BadUuid(_) => "badUuid",
            PackError::NoIcons => "noIcons",
            PackError::TooManyIcons { .. } => "tooManyIcons",
            PackError::MissingFile { .. } => "missingFile",
            PackError::UnsupportedIcon { .. } => "unsupportedIcon",
            PackError::EntryTooLarge { .. } => "entryTooLarge",
            PackError::Bomb { .. } => "bomb",
            PackError::TooMuchData => "tooMuchData",
            PackError::IconsTooLarge => "iconsTooLarge",
            PackError::Damaged { .. } | PackError::DamagedEntry { .. } => "damaged",
            PackError::BadIcon { .. } => "badIcon",
            PackError::NotFound(_) => "notFound",
            PackError::StoredDamaged { .. } | PackError::Io { .. } => "io",
        }
    }
}

/// One icon of a pack, made into our PNG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackIcon {
    /// The name shown: `name` from pack.json, else the file name without its extension (as Aegis does).
    pub name: String,
    pub category: Option<String>,
    /// The issuer strings it is suggested for, as the pack wrote them.
    pub issuers: Vec<String>,
    pub png: Icon,
}

/// A pack read from its ZIP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IconPack {
    pub uuid: Uuid,
    pub name: String,
    pub version: u32,
    pub icons: Vec<PackIcon>,
}

#[derive(Deserialize)]
struct PackJson {
    uuid: String,
    name: String,
    version: u32,
    icons: Vec<IconJson>,
}

#[derive(Deserialize)]
struct IconJson {
    filename: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    category: Option<String>,
    issuer: Vec<String>,
}

/// Is `name` a relative path that stays inside the pack's folder? No absolute path, drive letter, `..` or
/// `.` part, backslash, NUL or other control character.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.chars().any(|c| c == '\\' || c.is_control())
        && name.as_bytes().get(1).is_none_or(|&b| b != b':')
        && name.split('/').all(|part| part != ".." && part != ".")
}

/// Reads a pack from the bytes of its ZIP file. Nothing is decompressed before the archive's shape and every
/// entry name were checked; only `pack.json` and the files it lists are decompressed, each within its bounds.
pub fn parse(bytes: &[u8]) -> Result<IconPack, PackError> {
    if bytes.len() > MAX_PACK_FILE {
        return Err(PackError::FileTooLarge);
    }
    let mut archive =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| PackError::NotZip(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(PackError::TooManyEntries { count: archive.len() });
    }
    let mut index = HashMap::with_capacity(archive.len());
    for i in 0..archive.len() {
        let entry =
            archive.by_index_raw(i).map_err(|e| PackError::DamagedEntry { number: i + 1, reason: e.to_string() })?;
        let name = entry.name().to_owned();
        if !is_safe_name(&name) {
            return Err(PackError::UnsafeName { name });
        }
        if entry.encrypted() {
            return Err(PackError::Encrypted);
        }
        if !entry.is_dir() {
            index.insert(name, i);
        }
    }
    let mut budget = MAX_TOTAL;
    let &json_at = index.get(PACK_JSON).ok_or(PackError::NoPackJson)?;
    let json = read_entry(&mut archive, json_at, PACK_JSON, MAX_PACK_JSON, &mut budget)?;
    let description: PackJson = serde_json::from_slice(&json).map_err(|e| PackError::BadPackJson(e.to_string()))?;
    drop(json);
    let uuid = Uuid::parse_str(description.uuid.trim()).map_err(|_| PackError::BadUuid(clip(&description.uuid)))?;
    let name = checked_text(&description.name, "name")?;
    if description.icons.is_empty() {
        return Err(PackError::NoIcons);
    }
    if description.icons.len() > MAX_ICONS {
        return Err(PackError::TooManyIcons { count: description.icons.len() });
    }
    let mut icons = Vec::with_capacity(description.icons.len());
    let mut png_left = MAX_ICONS_PNG;
    for icon in description.icons {
        let file = icon.filename;
        if !is_safe_name(&file) {
            return Err(PackError::UnsafeName { name: file });
        }
        let svg = match extension(&file).as_deref() {
            Some("svg") => true,
            Some("png" | "jpg" | "jpeg") => false,
            _ => return Err(PackError::UnsupportedIcon { name: file }),
        };
        let &at = index.get(&file).ok_or_else(|| PackError::MissingFile { name: file.clone() })?;
        if icon.issuer.len() > MAX_ISSUERS || icon.issuer.iter().any(|s| s.len() > MAX_TEXT) {
            return Err(PackError::BadPackJson(format!("{file:?} has too many or too long issuer names")));
        }
        let data = read_entry(&mut archive, at, &file, MAX_ICON_FILE, &mut budget)?;
        let png = Icon::from_picture(&data, svg).map_err(|error| PackError::BadIcon { name: file.clone(), error })?;
        png_left = png_left.checked_sub(png.png().len()).ok_or(PackError::IconsTooLarge)?;
        let shown = match icon.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(given) => checked_text(given, "icon name")?,
            None => stem(&file),
        };
        let category = match icon.category.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => Some(checked_text(c, "category")?),
            None => None,
        };
        icons.push(PackIcon { name: shown, category, issuers: icon.issuer, png });
    }
    Ok(IconPack { uuid, name, version: description.version, icons })
}

/// One entry, decompressed within `max` and what is left of the pack's `budget`: the declared sizes refuse
/// early, the read itself is capped (a declared size may lie).
fn read_entry(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    at: usize,
    name: &str,
    max: u64,
    budget: &mut u64,
) -> Result<Vec<u8>, PackError> {
    let damaged = |e: &dyn std::fmt::Display| PackError::Damaged { name: name.to_owned(), reason: e.to_string() };
    let entry = archive.by_index(at).map_err(|e| damaged(&e))?;
    let (size, compressed) = (entry.size(), entry.compressed_size());
    if size > max {
        return Err(PackError::EntryTooLarge { name: name.to_owned(), max });
    }
    if size > RATIO_FLOOR && size / compressed.max(1) > MAX_RATIO {
        return Err(PackError::Bomb { name: name.to_owned() });
    }
    if size > *budget {
        return Err(PackError::TooMuchData);
    }
    let limit = max.min(*budget);
    let mut data = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    entry.take(limit.saturating_add(1)).read_to_end(&mut data).map_err(|e| damaged(&e))?;
    let read = data.len() as u64;
    if read > limit {
        return Err(if read > max {
            PackError::EntryTooLarge { name: name.to_owned(), max }
        } else {
            PackError::TooMuchData
        });
    }
    if read > RATIO_FLOOR && read / compressed.max(1) > MAX_RATIO {
        return Err(PackError::Bomb { name: name.to_owned() });
    }
    *budget -= read;
    Ok(data)
}

fn checked_text(text: &str, what: &str) -> Result<String, PackError> {
    let text = text.trim();
    if text.is_empty() || text.len() > MAX_TEXT || text.chars().any(char::is_control) {
        return Err(PackError::BadPackJson(format!("the {what} is empty, too long or has control characters")));
    }
    Ok(text.to_owned())
}

/// At most 60 characters of a value, for an error message.
fn clip(text: &str) -> String {
    text.chars().take(60).collect()
}

fn extension(file: &str) -> Option<String> {
    let base = file.rsplit('/').next()?;
    let (_, ext) = base.rsplit_once('.')?;
    Some(ext.to_ascii_lowercase())
}

fn stem(file: &str) -> String {
    let base = file.rsplit('/').next().unwrap_or(file);
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    clip(stem.trim())
}

/// How well an issuer matches an icon's issuer list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Match {
    /// One of the strings contains the other (Aegis's rule), in lower case.
    Partial,
    /// Equal in lower case and trimmed, or equal once folded.
    Exact,
}

/// Aegis's normalisation of an issuer: trimmed, lower case.
pub fn normalise(issuer: &str) -> String {
    issuer.trim().to_lowercase()
}

/// The folding our brand-icon matcher uses (`ui/src/lib/icons/match.ts` `iconKey`): accents dropped, lower
/// case, `+` → "plus", `&` → "and", only ASCII letters and digits kept ("Proton Mail" = "proton-mail").
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)) {
        for c in c.to_lowercase() {
            match c {
                '+' => out.push_str("plus"),
                '&' => out.push_str("and"),
                c if c.is_ascii_lowercase() || c.is_ascii_digit() => out.push(c),
                _ => {}
            }
        }
    }
    out
}

/// How `issuer` matches an icon suggested for `icon_issuers`, or `None`. An empty issuer matches nothing, and
/// an empty string in the pack's list is skipped (Aegis would match it to everything).
pub fn match_issuer(issuer: &str, icon_issuers: &[String]) -> Option<Match> {
    let wanted = normalise(issuer);
    if wanted.is_empty() {
        return None;
    }
    let folded = fold(&wanted);
    let mut best = None;
    for candidate in icon_issuers {
        let candidate = normalise(candidate);
        if candidate.is_empty() {
            continue;
        }
        if candidate == wanted || (!folded.is_empty() && fold(&candidate) == folded) {
            return Some(Match::Exact);
        }
        if candidate.contains(&wanted) || wanted.contains(&candidate) {
            best = Some(Match::Partial);
        }
    }
    best
}

#[cfg(test)]
mod tests;
