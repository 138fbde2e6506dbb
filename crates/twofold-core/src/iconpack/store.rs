//! Imported icon packs on disk: one folder per pack, `DIR/<uuid>/`, holding `index.json` (the pack's name,
//! version and each icon's name, category and issuers) and the icons in `icons.bin` (found by `offsets.bin`), the PNGs
//! [`super::parse`] made. Packs are not secrets: they live beside the app's settings, unencrypted.
//!
//! A pack is written whole or not at all: into a fresh `.import-…` folder (each file written and synced, then
//! the folder synced), which then takes the place of the old version by renames (the old one is moved aside
//! first and deleted last, and the parent folder synced). [`PackStore::list`] cleans up what a crash between
//! those steps left: a lone old version is put back, leftovers are removed.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{IconPack, Match, PackError, match_issuer};
use crate::icon::{self, Icon};

/// The index file of a stored pack.
const INDEX: &str = "index.json";
/// Every icon's PNG, one after the other, and where each starts and how long it is.
const ICONS: &str = "icons.bin";
const OFFSETS: &str = "offsets.bin";
const OFFSET_LEN: usize = 12;
/// The largest index read back (a pack of [`super::MAX_ICONS`] icons with long issuer lists stays far below).
const MAX_INDEX: u64 = 16 << 20;
const IMPORTING: &str = ".import-";
const OLD: &str = ".old-";

/// The best exact match of every issuer at once, for the cards: the first of [`suggestions`] when it is exact,
/// found by a map instead of a pass over every icon per account (1.35 ms per issuer at 1,100 icons).
pub struct ExactIndex<'a> {
    folded: std::collections::HashMap<String, (&'a StoredPack, &'a StoredIcon)>,
    plain: std::collections::HashMap<String, (&'a StoredPack, &'a StoredIcon)>,
}

impl<'a> ExactIndex<'a> {
    pub fn new(packs: &'a [StoredPack]) -> Self {
        let mut folded = std::collections::HashMap::new();
        let mut plain = std::collections::HashMap::new();
        for pack in packs {
            for icon in &pack.icons {
                let named = super::fold(&icon.name);
                for issuer in &icon.issuers {
                    let normal = super::normalise(issuer);
                    if normal.is_empty() {
                        continue;
                    }
                    let key = super::fold(&normal);
                    if key.is_empty() {
                        plain.entry(normal).or_insert((pack, icon));
                    } else {
                        // The icon named like the issuer wins, as in `suggestions`; else the first.
                        let entry = folded.entry(key.clone()).or_insert((pack, icon));
                        if super::fold(&entry.1.name) != key && named == key {
                            *entry = (pack, icon);
                        }
                    }
                }
            }
        }
        Self { folded, plain }
    }

    /// The pack icon an account with this issuer shows, if any.
    pub fn get(&self, issuer: &str) -> Option<(&'a StoredPack, &'a StoredIcon)> {
        let normal = super::normalise(issuer);
        if normal.is_empty() {
            return None;
        }
        let key = super::fold(&normal);
        if key.is_empty() { self.plain.get(&normal).copied() } else { self.folded.get(&key).copied() }
    }
}

/// One lock per packs folder, held while a pack is saved or removed, and while [`PackStore::list`] cleans up:
/// a list asked for during an import (the page asks at every change of the account list) must not take the
/// import's temporary folder for a leftover, and two imports must not swap folders at once. Kept per folder
/// (not per `PackStore`: the app makes one for each call).
type FolderLock = std::sync::Arc<std::sync::Mutex<()>>;
static LOCKS: std::sync::Mutex<Vec<(PathBuf, FolderLock)>> = std::sync::Mutex::new(Vec::new());

pub(super) fn folder_lock(dir: &Path) -> FolderLock {
    // A panic while holding one of these left at worst a temporary folder, which the next clean-up removes.
    let mut locks = LOCKS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, lock)) = locks.iter().find(|(d, _)| d == dir) {
        return lock.clone();
    }
    let lock = FolderLock::default();
    locks.push((dir.to_path_buf(), lock.clone()));
    lock
}

/// A stored pack's description, without its pictures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredPack {
    pub uuid: Uuid,
    pub name: String,
    pub version: u32,
    pub icons: Vec<StoredIcon>,
}

/// One icon of a stored pack; `id` is its number in the pack (its place in `offsets.bin`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredIcon {
    pub id: u32,
    pub name: String,
    #[serde(default)]
    pub category: Option<String>,
    pub issuers: Vec<String>,
}

/// A pack icon suggested for an issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion<'a> {
    pub pack: &'a StoredPack,
    pub icon: &'a StoredIcon,
    pub quality: Match,
}

/// The icons of `packs` that match `issuer`, best first: exact before partial; among those, an icon whose own
/// name is the issuer first (aegis-icons lists `SVG/.Outdated/Bitpanda v1.svg` and variations before
/// `SVG/Bitpanda.svg`, all for the issuer "Bitpanda"); then in pack and icon order.
pub fn suggestions<'a>(packs: &'a [StoredPack], issuer: &str) -> Vec<Suggestion<'a>> {
    let folded = super::fold(issuer);
    let named = |s: &Suggestion<'_>| !folded.is_empty() && super::fold(&s.icon.name) == folded;
    let mut found: Vec<Suggestion<'a>> = packs
        .iter()
        .flat_map(|pack| {
            pack.icons.iter().filter_map(move |icon| {
                match_issuer(issuer, &icon.issuers).map(|quality| Suggestion { pack, icon, quality })
            })
        })
        .collect();
    // A stable sort keeps pack and icon order among equals.
    found.sort_by_key(|s| std::cmp::Reverse((s.quality, named(s))));
    found
}

/// The folder of imported packs.
#[derive(Debug, Clone)]
pub struct PackStore {
    dir: PathBuf,
}

fn io(action: &'static str, path: &Path, source: std::io::Error) -> PackError {
    PackError::Io { action, path: path.to_owned(), source }
}

fn random_suffix() -> String {
    Uuid::new_v4().simple().to_string()
}

impl PackStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stores `pack`, replacing the stored pack with the same uuid (whatever its version). Returns the version
    /// it replaced, if any.
    pub fn save(&self, pack: &IconPack) -> Result<Option<u32>, PackError> {
        let lock = folder_lock(&self.dir);
        let _writing = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        fs::create_dir_all(&self.dir).map_err(|e| io("create the folder", &self.dir, e))?;
        let temp = self.dir.join(format!("{IMPORTING}{}-{}", pack.uuid, random_suffix()));
        let result = self.write_pack(&temp, pack).and_then(|()| self.swap_in(&temp, pack.uuid));
        if result.is_err() {
            let _ = fs::remove_dir_all(&temp);
        }
        result
    }

    /// The PNGs go into one file, `icons.bin`, with their places in `offsets.bin` (12 bytes an icon: offset
    /// and length, big-endian): three files to sync, not one per icon (a thousand `fsync`s took seconds).
    fn write_pack(&self, folder: &Path, pack: &IconPack) -> Result<(), PackError> {
        fs::create_dir(folder).map_err(|e| io("create the folder", folder, e))?;
        let mut icons = Vec::with_capacity(pack.icons.len());
        let mut blob = Vec::new();
        let mut offsets = Vec::with_capacity(pack.icons.len() * OFFSET_LEN);
        for (id, icon) in (0u32..).zip(&pack.icons) {
            let png = icon.png.png();
            offsets.extend_from_slice(&(blob.len() as u64).to_be_bytes());
            offsets.extend_from_slice(&u32::try_from(png.len()).unwrap_or(u32::MAX).to_be_bytes());
            blob.extend_from_slice(png);
            icons.push(StoredIcon {
                id,
                name: icon.name.clone(),
                category: icon.category.clone(),
                issuers: icon.issuers.clone(),
            });
        }
        write_synced(&folder.join(ICONS), &blob)?;
        write_synced(&folder.join(OFFSETS), &offsets)?;
        let index = StoredPack { uuid: pack.uuid, name: pack.name.clone(), version: pack.version, icons };
        let index_path = folder.join(INDEX);
        // Serialising our own struct does not fail; if it did, the index could not be written.
        let json = serde_json::to_vec(&index).map_err(|e| io("write", &index_path, e.into()))?;
        write_synced(&index_path, &json)?;
        sync_folder(folder)
    }

    /// Puts the written folder in place of the pack's current one.
    fn swap_in(&self, temp: &Path, uuid: Uuid) -> Result<Option<u32>, PackError> {
        let target = self.dir.join(uuid.to_string());
        let previous = read_index(&target).ok().map(|p| p.version);
        let aside = self.dir.join(format!("{OLD}{uuid}-{}", random_suffix()));
        let moved_aside = target.exists();
        if moved_aside {
            fs::rename(&target, &aside).map_err(|e| io("move aside", &target, e))?;
        }
        if let Err(e) = fs::rename(temp, &target) {
            if moved_aside {
                let _ = fs::rename(&aside, &target);
            }
            return Err(io("move into place", &target, e));
        }
        sync_folder(&self.dir)?;
        if moved_aside {
            fs::remove_dir_all(&aside).map_err(|e| io("remove", &aside, e))?;
        }
        Ok(previous)
    }

    /// The stored packs, by name. A folder whose index cannot be read is skipped (a pack can be imported
    /// again); what an interrupted save left is cleaned up first, unless a save is under way now.
    pub fn list(&self) -> Result<Vec<StoredPack>, PackError> {
        let lock = folder_lock(&self.dir);
        let cleaning = lock.try_lock().ok();
        let entries = match fs::read_dir(&self.dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io("read the folder", &self.dir, e)),
        };
        let names: Vec<String> =
            entries.filter_map(Result::ok).filter_map(|e| e.file_name().into_string().ok()).collect();
        let mut packs = Vec::new();
        for name in &names {
            if cleaning.is_none() && name.starts_with('.') {
                continue;
            }
            if let Some(rest) = name.strip_prefix(OLD) {
                let uuid = rest.get(..36).unwrap_or_default();
                let target = self.dir.join(uuid);
                if Uuid::parse_str(uuid).is_ok() && !target.exists() {
                    let _ = fs::rename(self.dir.join(name), &target);
                    if let Ok(pack) = read_index(&target) {
                        packs.push(pack);
                    }
                } else {
                    let _ = fs::remove_dir_all(self.dir.join(name));
                }
            } else if name.starts_with(IMPORTING) {
                let _ = fs::remove_dir_all(self.dir.join(name));
            } else if let Ok(uuid) = Uuid::parse_str(name) {
                match read_index(&self.dir.join(name)) {
                    Ok(pack) if pack.uuid == uuid => packs.push(pack),
                    _ => {}
                }
            }
        }
        packs.sort_by(|a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then(a.uuid.cmp(&b.uuid)));
        Ok(packs)
    }

    /// Removes a stored pack's folder.
    pub fn remove(&self, uuid: Uuid) -> Result<(), PackError> {
        let lock = folder_lock(&self.dir);
        let _writing = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let folder = self.dir.join(uuid.to_string());
        if !folder.is_dir() {
            return Err(PackError::NotFound(uuid));
        }
        fs::remove_dir_all(&folder).map_err(|e| io("remove", &folder, e))?;
        sync_folder(&self.dir)
    }

    /// One icon's PNG, checked like a stored icon (a PNG within [`icon::MAX_STORED`]).
    pub fn icon(&self, uuid: Uuid, id: u32) -> Result<Icon, PackError> {
        use std::io::{Read, Seek, SeekFrom};
        let folder = self.dir.join(uuid.to_string());
        if !folder.is_dir() {
            return Err(PackError::NotFound(uuid));
        }
        let offsets_path = folder.join(OFFSETS);
        let mut offsets = fs::File::open(&offsets_path).map_err(|e| io("read", &offsets_path, e))?;
        let mut place = [0u8; OFFSET_LEN];
        offsets.seek(SeekFrom::Start(u64::from(id) * OFFSET_LEN as u64)).map_err(|e| io("read", &offsets_path, e))?;
        offsets.read_exact(&mut place).map_err(|_| PackError::NotFound(uuid))?;
        let (at, len) = place.split_at(8);
        let at = u64::from_be_bytes(at.try_into().unwrap_or_default());
        let len = u32::from_be_bytes(len.try_into().unwrap_or_default());
        let name = format!("icon {id}");
        if len as usize > icon::MAX_STORED {
            return Err(PackError::BadIcon { name, error: icon::IconError::NotStoredPng });
        }
        let icons_path = folder.join(ICONS);
        let mut icons = fs::File::open(&icons_path).map_err(|e| io("read", &icons_path, e))?;
        icons.seek(SeekFrom::Start(at)).map_err(|e| io("read", &icons_path, e))?;
        let mut png = vec![0; len as usize];
        icons.read_exact(&mut png).map_err(|e| io("read", &icons_path, e))?;
        Icon::from_stored_png(png).map_err(|error| PackError::BadIcon { name, error })
    }
}

fn read_index(folder: &Path) -> Result<StoredPack, PackError> {
    let path = folder.join(INDEX);
    let bytes = read_bounded(&path, MAX_INDEX)?;
    serde_json::from_slice(&bytes).map_err(|e| PackError::StoredDamaged { path, reason: e.to_string() })
}

fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, PackError> {
    use std::io::Read;
    let file = fs::File::open(path).map_err(|e| io("read", path, e))?;
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes).map_err(|e| io("read", path, e))?;
    if bytes.len() as u64 > max {
        return Err(PackError::StoredDamaged { path: path.to_owned(), reason: "larger than expected".into() });
    }
    Ok(bytes)
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<(), PackError> {
    let mut file = fs::File::create_new(path).map_err(|e| io("create", path, e))?;
    file.write_all(bytes).map_err(|e| io("write", path, e))?;
    file.sync_all().map_err(|e| io("sync", path, e))
}

fn sync_folder(folder: &Path) -> Result<(), PackError> {
    #[cfg(unix)]
    fs::File::open(folder).and_then(|f| f.sync_all()).map_err(|e| io("sync the folder", folder, e))?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}
