//! Ente Auth encrypted export.
//!
//! Source: ente-io/ente `auth/lib/ui/settings/data/export_widget.dart` and Stratum's
//! `EnteAuthBackupConverter`. `{version: 1, kdfParams: {memLimit, opsLimit, salt}, encryptedData,
//! encryptionNonce}`; key = libsodium `crypto_pwhash` (Argon2id v1.3, t = opsLimit, m = memLimit bytes,
//! one lane); the data is one `crypto_secretstream_xchacha20poly1305` message whose header is
//! `encryptionNonce`. The plaintext is Ente's plain export: one `otpauth://` link per line (see
//! [`super::links`]).
//!
//! Kept and lost: as for Ente's plain export.

use super::Why;
use super::common::Draft;
use super::common::{Json, check_kdf, crypto, decode_base64, need_password, parse_json};
use super::common::{damaged, kdf_refused};
use super::{EntryProblem, ImportError};

pub(super) fn read_encrypted(
    bytes: &[u8],
    password: Option<&str>,
) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let file = parse_json(bytes)?;
    let kdf = file.get("kdfParams").ok_or_else(|| damaged(Why::missing("kdfParams")))?;
    let mem = kdf.get("memLimit").and_then(Json::as_u64).ok_or_else(|| damaged(Why::missing("memLimit")))?;
    let ops = kdf.get("opsLimit").and_then(Json::as_u64).ok_or_else(|| damaged(Why::missing("opsLimit")))?;
    // libsodium's own bounds for crypto_pwhash's argon2id, capped at Ente's "sensitive" limits (1 GiB).
    check_kdf("memLimit", mem, 8192, 1 << 30)?;
    check_kdf("opsLimit", ops, 1, 64)?;
    super::common::check_argon2_cost(mem / 1024, ops)?;
    let salt =
        kdf.get("salt").and_then(Json::as_str).and_then(decode_base64).ok_or_else(|| damaged(Why::missing("salt")))?;
    let header = file
        .get("encryptionNonce")
        .and_then(Json::as_str)
        .and_then(decode_base64)
        .ok_or_else(|| damaged(Why::missing("encryptionNonce")))?;
    let data = file
        .get("encryptedData")
        .and_then(Json::as_str)
        .and_then(decode_base64)
        .ok_or_else(|| damaged(Why::missing("encryptedData")))?;
    let key = crypto::argon2id(need_password(password)?.as_bytes(), &salt, ops as u32, (mem / 1024) as u32, 1)
        .ok_or_else(kdf_refused)?;
    let (plain, _tag) = super::secretstream::pull_one(&key, &header, &data).ok_or(ImportError::WrongPassword)?;
    super::links::read_text(&plain)
}
