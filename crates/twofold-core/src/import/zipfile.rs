//! Reading ZIP archives (plain or ZipCrypto-encrypted) with bounded sizes, for the formats that come
//! zipped: WinAuth and Authenticator Plus (encrypted text of links) and Proton Pass (plain JSON).

use std::io::Read;

use zeroize::Zeroizing;

use super::common::damaged;
use super::{Cancel, ImportError, MAX_FILE_LEN, Why};
use crate::wipe::read_wiping;

/// Most files we read from one archive.
const MAX_ENTRIES: usize = 1_000;

pub(super) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

fn open(bytes: &[u8]) -> Result<zip::ZipArchive<std::io::Cursor<&[u8]>>, ImportError> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| damaged(Why::Archive { detail: e.to_string() }))?;
    if archive.is_empty() {
        return Err(ImportError::Empty { why: Why::NoEntries });
    }
    if archive.len() > MAX_ENTRIES {
        return Err(ImportError::LimitExceeded {
            why: Why::TooMany { field: "zip".into(), count: archive.len(), max: MAX_ENTRIES },
        });
    }
    Ok(archive)
}

/// Entry `i` of the archive cannot be read; the ZIP library's words go into the detail kept for logs.
fn entry_damaged(i: usize, e: &zip::result::ZipError) -> ImportError {
    damaged(Why::Archive { detail: format!("entry {i}: {e}") })
}

/// The archive's file names and whether any file is encrypted.
pub(super) fn list(bytes: &[u8]) -> Result<(Vec<String>, bool), ImportError> {
    let mut archive = open(bytes)?;
    let mut names = Vec::new();
    let mut encrypted = false;
    for i in 0..archive.len() {
        let file = archive.by_index_raw(i).map_err(|e| entry_damaged(i, &e))?;
        encrypted |= file.encrypted();
        if !file.is_dir() {
            names.push(file.name().to_owned());
        }
    }
    Ok((names, encrypted))
}

/// One file of an archive: its name and contents.
pub(super) type Entry = (String, Zeroizing<Vec<u8>>);

/// Most bytes we decompress from one archive, all wanted entries together (an export is kilobytes; a ZIP
/// bomb expands a thousandfold).
pub(super) const MAX_DECOMPRESSED: usize = MAX_FILE_LEN;

/// The files of the archive whose name `wanted` accepts (directories skipped), decrypted with `password`
/// when encrypted. Other entries are never decompressed; the wanted ones share [`MAX_DECOMPRESSED`].
pub(super) fn read_matching(
    bytes: &[u8],
    password: Option<&str>,
    wanted: impl Fn(&str) -> bool,
    cancel: &Cancel,
) -> Result<Vec<Entry>, ImportError> {
    let mut archive = open(bytes)?;
    let mut out = Vec::new();
    let mut left = MAX_DECOMPRESSED;
    let too_much = || ImportError::LimitExceeded { why: Why::TooMuchData { max: MAX_DECOMPRESSED } };
    for i in 0..archive.len() {
        cancel.check()?;
        let (encrypted, declared) = {
            let raw = archive.by_index_raw(i).map_err(|e| entry_damaged(i, &e))?;
            if raw.is_dir() || !wanted(raw.name()) {
                continue;
            }
            (raw.encrypted(), raw.size())
        };
        // The declared size may lie; it only refuses early and sizes the buffer. The read itself is capped.
        let declared = usize::try_from(declared).unwrap_or(usize::MAX);
        if declared > left {
            return Err(too_much());
        }
        let file = if encrypted {
            let password = password.ok_or(ImportError::PasswordRequired)?;
            archive.by_index_decrypt(i, password.as_bytes())
        } else {
            archive.by_index(i)
        };
        let file = file.map_err(|e| match e {
            zip::result::ZipError::InvalidPassword => ImportError::WrongPassword,
            e => entry_damaged(i, &e),
        })?;
        let name = file.name().to_owned();
        let limit = u64::try_from(left).unwrap_or(u64::MAX).saturating_add(1);
        let data = read_wiping(&mut file.take(limit), declared, left).map_err(|e| {
            if e.kind() == std::io::ErrorKind::FileTooLarge {
                too_much()
            } else if encrypted {
                // ZipCrypto accepts 1 in 256 wrong passwords at first; the CRC at the end catches them.
                ImportError::WrongPassword
            } else {
                damaged(Why::Archive { detail: format!("{name}: {e}") })
            }
        })?;
        left -= data.len();
        out.push((name, data));
    }
    Ok(out)
}
