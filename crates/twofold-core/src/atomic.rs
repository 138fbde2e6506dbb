//! The one way a file the user named is written: backups, exports, the CLI's files.
//!
//! [`write_verified`] writes the bytes to a hidden temp file beside the destination (owner-only, `0600`),
//! syncs it, reads it back from disk and hands it to the caller's check, and only then renames it over the
//! destination and syncs the folder. On any failure the temp file is removed and a file already at the
//! destination is untouched. A destination that is a symbolic link is refused (a link planted where an export
//! goes must not send the keys elsewhere), and so is one that exists when the caller did not say to replace
//! it. The new file has mode `0600` whatever the old one had: the rename puts a new file in place, it does not
//! rewrite the old one.
//!
//! [`typed_path`] turns a path a person typed into one that names a place: `~` is the home folder, and a
//! relative path is refused (it would land in whatever folder the program was started from).
//!
//! The vault's own save (`vault::storage`) keeps its previous copy and a writer lock as well; it shares the
//! owner-only create and the folder sync with this module.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use zeroize::Zeroizing;

use crate::vault::storage::{create_private, sync_folder};

/// What to do when the destination exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse with [`WriteError::Exists`]; the caller asks the person first.
    Refuse,
    /// Replace it (the person said so, or a save dialog asked them).
    Replace,
}

/// Why a file was not written. Names paths, never the content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    #[error("{} already exists", path.display())]
    Exists { path: PathBuf },
    #[error("{} is a symbolic link: choose the file itself or another name", path.display())]
    Symlink { path: PathBuf },
    #[error("{} is a folder, not a file", path.display())]
    NotAFile { path: PathBuf },
    #[error("{} names no file", path.display())]
    NoFileName { path: PathBuf },
    #[error("the file written to {} did not read back the same; it was not kept", path.display())]
    VerifyFailed { path: PathBuf },
    #[error("could not {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl WriteError {
    fn io(action: &'static str, path: &Path, source: std::io::Error) -> Self {
        WriteError::Io { action, path: path.to_path_buf(), source }
    }
}

/// Checks the destination before anything is written: not a link, not a folder, and absent unless replacing.
pub fn check_destination(path: &Path, existing: Existing) -> Result<(), WriteError> {
    if path.file_name().is_none() {
        return Err(WriteError::NoFileName { path: path.to_path_buf() });
    }
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => Err(WriteError::Symlink { path: path.to_path_buf() }),
        Ok(meta) if meta.is_dir() => Err(WriteError::NotAFile { path: path.to_path_buf() }),
        Ok(_) if existing == Existing::Refuse => Err(WriteError::Exists { path: path.to_path_buf() }),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(WriteError::io("look at", path, e)),
    }
}

/// Writes `bytes` to `path` atomically (see the module docs). `verify` gets the bytes read back from the temp
/// file and its path; an error from it stops the write and is returned as it is. Errors of this module become
/// `E` through `From`.
pub fn write_verified<E: From<WriteError>>(
    path: &Path,
    bytes: &[u8],
    existing: Existing,
    verify: impl FnOnce(&Path, &[u8]) -> Result<(), E>,
) -> Result<(), E> {
    let temp = temp_path(&folder_of(path), path);
    write_verified_via(path, &temp, bytes, existing, verify)
}

/// [`write_verified`] through a temp file the caller names (it must be in the destination's folder and must
/// not exist): for a folder a sync engine watches, where the temp file needs a name the engine skips.
pub fn write_verified_via<E: From<WriteError>>(
    path: &Path,
    temp: &Path,
    bytes: &[u8],
    existing: Existing,
    verify: impl FnOnce(&Path, &[u8]) -> Result<(), E>,
) -> Result<(), E> {
    check_destination(path, existing)?;
    let folder = folder_of(path);
    let temp = temp.to_path_buf();
    let result = write_temp(&folder, &temp, bytes).map_err(E::from).and_then(|back| verify(&temp, &back));
    // A link or folder that appeared while the temp file was written is still not replaced: `rename` would
    // replace the link itself (never its target), but the person chose a file.
    let result = result
        .and_then(|()| check_destination(path, existing).map_err(E::from))
        .and_then(|()| fs::rename(&temp, path).map_err(|e| E::from(WriteError::io("move the new file to", path, e))));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result?;
    sync_folder(&folder).map_err(|e| E::from(WriteError::io("sync the folder", &folder, e)))
}

/// Creates the temp file (never over an existing one), writes and syncs it, and reads it back from disk.
fn write_temp(folder: &Path, temp: &Path, bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>, WriteError> {
    let mut file = create_private(temp).map_err(|e| WriteError::io("create a file in", folder, e))?;
    file.write_all(bytes).map_err(|e| WriteError::io("write", temp, e))?;
    file.sync_all().map_err(|e| WriteError::io("sync", temp, e))?;
    drop(file);
    let back = Zeroizing::new(fs::read(temp).map_err(|e| WriteError::io("read back", temp, e))?);
    if back[..] != bytes[..] {
        return Err(WriteError::VerifyFailed { path: temp.to_path_buf() });
    }
    Ok(back)
}

/// The folder a file goes into (`.` for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `.NAME.tmp-PID-RANDOM` beside `path`: hidden, unique, and never matching an automatic backup's name (the
/// create is `create_new`, so a clash fails instead of writing over something).
fn temp_path(folder: &Path, path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| String::from("file"));
    // Without random bytes a per-process counter still keeps this process's temp files apart.
    let unique = crate::crypto::random::<8>()
        .map(u64::from_le_bytes)
        .unwrap_or_else(|_| COUNTER.fetch_add(1, Ordering::Relaxed));
    folder.join(format!(".{name}.tmp-{}-{unique:016x}", std::process::id()))
}

/// Why a typed path was not taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TypedPathError {
    #[error("no path was given")]
    Empty,
    #[error("\"{typed}\" is a relative path: give a full path (starting with / or ~)")]
    Relative { typed: String },
    #[error("\"{typed}\" starts with ~ but the home folder is unknown")]
    NoHome { typed: String },
}

/// A path a person typed, as a full path: surrounding spaces dropped, `~` and `~/…` resolved against `home`.
/// A relative path is refused rather than resolved against the current folder, which a person cannot see.
/// (`~user` forms are relative paths here: nothing looks users up.)
pub fn typed_path(typed: &str, home: Option<&Path>) -> Result<PathBuf, TypedPathError> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(TypedPathError::Empty);
    }
    let rest = if typed == "~" {
        Some("")
    } else {
        typed.strip_prefix("~/").or_else(|| if cfg!(windows) { typed.strip_prefix("~\\") } else { None })
    };
    if let Some(rest) = rest {
        let home = home.filter(|h| h.is_absolute()).ok_or_else(|| TypedPathError::NoHome { typed: typed.into() })?;
        return Ok(if rest.is_empty() { home.to_path_buf() } else { home.join(rest) });
    }
    let path = PathBuf::from(typed);
    if path.is_absolute() { Ok(path) } else { Err(TypedPathError::Relative { typed: typed.into() }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("twofold-atomic-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    fn ok(_: &Path, _: &[u8]) -> Result<(), WriteError> {
        Ok(())
    }

    #[test]
    fn writes_the_bytes_and_leaves_no_temp_file() {
        let d = dir("plain");
        let path = d.join("out.json");
        write_verified(&path, b"hello", Existing::Refuse, ok).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"hello");
        assert_eq!(entries(&d), ["out.json"]);
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn an_existing_file_is_refused_unless_replacing() {
        let d = dir("exists");
        let path = d.join("out.json");
        fs::write(&path, b"old").unwrap();
        let err = write_verified(&path, b"new", Existing::Refuse, ok).unwrap_err();
        assert!(matches!(err, WriteError::Exists { .. }), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        write_verified(&path, b"new", Existing::Replace, ok).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        assert_eq!(entries(&d), ["out.json"]);
        let _ = fs::remove_dir_all(&d);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_destination_is_refused_and_its_target_untouched() {
        let d = dir("symlink");
        let target = d.join("elsewhere.txt");
        fs::write(&target, b"not yours").unwrap();
        let link = d.join("export.txt");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        for existing in [Existing::Refuse, Existing::Replace] {
            let err = write_verified(&link, b"keys", existing, ok).unwrap_err();
            assert!(matches!(err, WriteError::Symlink { .. }), "{err}");
            assert!(err.to_string().contains("symbolic link"), "{err}");
        }
        assert_eq!(fs::read(&target).unwrap(), b"not yours");
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(entries(&d), ["elsewhere.txt", "export.txt"]);
        let _ = fs::remove_dir_all(&d);
    }

    #[cfg(unix)]
    #[test]
    fn the_new_file_is_owner_only_even_over_a_looser_one() {
        use std::os::unix::fs::PermissionsExt as _;
        let d = dir("mode");
        let path = d.join("out.txt");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        write_verified(&path, b"new", Existing::Replace, ok).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let fresh = d.join("fresh.txt");
        write_verified(&fresh, b"new", Existing::Refuse, ok).unwrap();
        assert_eq!(fs::metadata(&fresh).unwrap().permissions().mode() & 0o777, 0o600);
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn a_failing_check_leaves_the_old_file_and_no_temp_file() {
        let d = dir("fails");
        let path = d.join("out.txt");
        fs::write(&path, b"old").unwrap();
        let err = write_verified(&path, b"new", Existing::Replace, |temp, back| {
            assert_eq!(back, b"new");
            assert!(temp.exists(), "the check reads the temp file from disk");
            Err(WriteError::VerifyFailed { path: temp.to_path_buf() })
        })
        .unwrap_err();
        assert!(matches!(err, WriteError::VerifyFailed { .. }), "{err}");
        assert_eq!(fs::read(&path).unwrap(), b"old");
        assert_eq!(entries(&d), ["out.txt"]);
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn a_missing_folder_or_a_folder_destination_is_a_clear_error() {
        let d = dir("folder");
        let err = write_verified(&d.join("no").join("out.txt"), b"x", Existing::Refuse, ok).unwrap_err();
        assert!(err.to_string().starts_with("could not create a file in"), "{err}");
        let err = write_verified(&d, b"x", Existing::Replace, ok).unwrap_err();
        assert!(matches!(err, WriteError::NotAFile { .. }), "{err}");
        let _ = fs::remove_dir_all(&d);
    }

    #[test]
    fn typed_paths_resolve_home_and_refuse_relative_ones() {
        let home = Path::new("/home/ann");
        assert_eq!(typed_path("~", Some(home)), Ok(PathBuf::from("/home/ann")));
        assert_eq!(typed_path(" ~/bk2 ", Some(home)), Ok(PathBuf::from("/home/ann/bk2")));
        assert_eq!(typed_path("/tmp/x", Some(home)), Ok(PathBuf::from("/tmp/x")));
        assert_eq!(typed_path("bk3", Some(home)), Err(TypedPathError::Relative { typed: "bk3".into() }));
        assert_eq!(typed_path("~bob/x", Some(home)), Err(TypedPathError::Relative { typed: "~bob/x".into() }));
        assert_eq!(typed_path("~/x", None), Err(TypedPathError::NoHome { typed: "~/x".into() }));
        assert_eq!(typed_path("  ", Some(home)), Err(TypedPathError::Empty));
        let message = typed_path("bk3", Some(home)).unwrap_err().to_string();
        assert_eq!(message, "\"bk3\" is a relative path: give a full path (starting with / or ~)");
    }
}
