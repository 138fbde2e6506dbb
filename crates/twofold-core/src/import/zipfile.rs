//! Reading ZIP archives (plain or ZipCrypto-encrypted) with bounded sizes, for the formats that come
//! zipped: WinAuth and Authenticator Plus (encrypted text of links) and Proton Pass (plain JSON).

use std::io::Read;

use zeroize::Zeroizing;

use super::{ImportError, MAX_FILE_LEN};

/// Most files we read from one archive.
const MAX_ENTRIES: usize = 1_000;

pub(super) fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

fn open(bytes: &[u8]) -> Result<zip::ZipArchive<std::io::Cursor<&[u8]>>, ImportError> {
    let archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ImportError::Damaged { reason: format!("the zip archive cannot be read ({e})") })?;
    if archive.is_empty() {
        return Err(ImportError::Empty { reason: "the zip archive contains no files".into() });
    }
    if archive.len() > MAX_ENTRIES {
        return Err(ImportError::Damaged { reason: format!("the zip archive holds {} files", archive.len()) });
    }
    Ok(archive)
}

/// The archive's file names and whether any file is encrypted.
pub(super) fn list(bytes: &[u8]) -> Result<(Vec<String>, bool), ImportError> {
    let mut archive = open(bytes)?;
    let mut names = Vec::new();
    let mut encrypted = false;
    for i in 0..archive.len() {
        let file =
            archive.by_index_raw(i).map_err(|e| ImportError::Damaged { reason: format!("zip entry {i}: {e}") })?;
        encrypted |= file.encrypted();
        if !file.is_dir() {
            names.push(file.name().to_owned());
        }
    }
    Ok((names, encrypted))
}

/// One file of an archive: its name and contents.
pub(super) type Entry = (String, Zeroizing<Vec<u8>>);

/// Every file of the archive (directories skipped), decrypted with `password` when encrypted.
pub(super) fn read_all(bytes: &[u8], password: Option<&str>) -> Result<Vec<Entry>, ImportError> {
    let mut archive = open(bytes)?;
    let mut out = Vec::new();
    for i in 0..archive.len() {
        let encrypted = archive
            .by_index_raw(i)
            .map(|f| f.encrypted())
            .map_err(|e| ImportError::Damaged { reason: format!("zip entry {i}: {e}") })?;
        let file = if encrypted {
            let password = password.ok_or(ImportError::PasswordRequired)?;
            archive.by_index_decrypt(i, password.as_bytes())
        } else {
            archive.by_index(i)
        };
        let file = file.map_err(|e| match e {
            zip::result::ZipError::InvalidPassword => ImportError::WrongPassword,
            e => ImportError::Damaged { reason: format!("zip entry {i}: {e}") },
        })?;
        if file.is_dir() {
            continue;
        }
        let name = file.name().to_owned();
        let mut data = Zeroizing::new(Vec::new());
        let limit = u64::try_from(MAX_FILE_LEN).unwrap_or(u64::MAX);
        file.take(limit + 1).read_to_end(&mut data).map_err(|e| {
            // ZipCrypto accepts 1 in 256 wrong passwords at first; the CRC at the end catches them.
            if encrypted { ImportError::WrongPassword } else { ImportError::Damaged { reason: format!("{name}: {e}") } }
        })?;
        if data.len() > MAX_FILE_LEN {
            return Err(ImportError::TooLarge { len: data.len(), max: MAX_FILE_LEN });
        }
        out.push((name, data));
    }
    Ok(out)
}
