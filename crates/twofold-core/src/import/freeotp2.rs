//! FreeOTP 2.x encrypted backup (`externalBackup.xml`, despite its name a Java serialization stream).
//!
//! Source: freeotp/freeotp-android 2.x `TokenPersistence`/`MasterKey`/`EncryptedKey` and Aegis'
//! `FreeOtpImporter`. The stream holds one `java.util.HashMap<String, String>`: `masterKey` → JSON
//! `{mAlgorithm: PBKDF2withHmacSHA1|SHA512, mIterations, mSalt, mEncryptedKey}`; the password-derived
//! key unwraps the master key with AES-GCM (nonce from the ASN.1 `mParameters`, AAD = `mToken`); then
//! every `<uuid>` → `{"key": EncryptedKey JSON}` holds an AES-GCM-encrypted secret, and `<uuid>-token` →
//! the token's metadata (fields at their default are omitted). Counters are stored as the next counter.
//!
//! Kept: type, issuer, name, secret, algorithm, digits, period/counter. Lost: images, token order.

use std::collections::HashMap;
use std::rc::Rc;

use zeroize::Zeroizing;

use super::Why;
use super::common::damaged;
use super::common::{Draft, Json, SecretText, check_kdf, crypto, need_password, parse_json_str, problem, s};
use super::freeotp::signed_bytes;
use super::{EntryProblem, ImportError, MAX_FILE_LEN, ProblemKind};

pub(super) fn read(bytes: &[u8], password: Option<&str>) -> Result<Vec<Result<Draft, EntryProblem>>, ImportError> {
    let map = read_string_map(bytes)?;
    // Keys to values, for the per-token lookup of its secret (searching the list for each token was
    // quadratic). The first of repeated keys wins, as the list search did.
    let mut by_key: HashMap<&str, &str> = HashMap::with_capacity(map.len());
    for (k, v) in &map {
        by_key.entry(k.as_str()).or_insert(v.as_str());
    }
    let master_json = by_key.get("masterKey").ok_or_else(|| damaged(Why::missing("masterKey")))?;
    let master_json = parse_json_str(master_json).ok_or_else(|| damaged(Why::invalid("masterKey")))?;
    let password = need_password(password)?;
    let master = unwrap_master(&master_json, password)?;
    let mut drafts = Vec::new();
    for (key, value) in &map {
        let Some(uuid) = key.strip_suffix("-token") else { continue };
        let Some(token) = parse_json_str(value) else {
            drafts.push(Err(problem(uuid.to_owned(), ProblemKind::Malformed(Why::NotJson))));
            continue;
        };
        let label = crate::model::label(&s(&token, "issuerExt"), &s(&token, "label"));
        let secret = by_key
            .get(uuid)
            .and_then(|v| parse_json_str(v))
            .and_then(|v| v.get("key").and_then(Json::as_str).and_then(parse_json_str))
            .and_then(|encrypted| open_encrypted_key(&encrypted, &master));
        match secret {
            Some(secret) => drafts.push(super::freeotp::meta(&token, SecretText::Bytes(secret), false)),
            None => drafts.push(Err(problem(label, ProblemKind::Malformed(Why::CannotDecrypt)))),
        }
    }
    Ok(drafts)
}

fn unwrap_master(master: &Json, password: &str) -> Result<Zeroizing<[u8; 32]>, ImportError> {
    let iterations =
        master.get("mIterations").and_then(Json::as_u64).ok_or_else(|| damaged(Why::missing("mIterations")))?;
    check_kdf("mIterations", iterations, 1, 10_000_000)?;
    let salt = signed_bytes(master.get("mSalt")).ok_or_else(|| damaged(Why::missing("mSalt")))?;
    let algorithm = s(master, "mAlgorithm").to_ascii_uppercase();
    let key = if algorithm.contains("SHA512") {
        crypto::pbkdf2_sha512(password.as_bytes(), &salt, iterations as u32)
    } else if algorithm.contains("SHA1") {
        crypto::pbkdf2_sha1(password.as_bytes(), &salt, iterations as u32)
    } else {
        return Err(ImportError::Unsupported { why: Why::unknown("mAlgorithm", &algorithm) });
    };
    let encrypted = master.get("mEncryptedKey").ok_or_else(|| damaged(Why::missing("mEncryptedKey")))?;
    let plain = open_encrypted_key(encrypted, &key).ok_or(ImportError::WrongPassword)?;
    let bytes: [u8; 32] = plain.as_slice().try_into().map_err(|_| damaged(Why::wrong_length("mEncryptedKey")))?;
    Ok(Zeroizing::new(bytes))
}

/// Opens FreeOTP's `EncryptedKey {mCipher, mCipherText, mParameters, mToken}` (AES/GCM/NoPadding).
fn open_encrypted_key(encrypted: &Json, key: &[u8; 32]) -> Option<Zeroizing<Vec<u8>>> {
    let ciphertext = signed_bytes(encrypted.get("mCipherText"))?;
    let parameters = signed_bytes(encrypted.get("mParameters"))?;
    let nonce = gcm_nonce(&parameters)?;
    let aad = s(encrypted, "mToken");
    crypto::aes_gcm_open(key, nonce, &ciphertext, aad.as_bytes())
}

/// The nonce of DER `GCMParameters ::= SEQUENCE { aes-nonce OCTET STRING, aes-ICVlen INTEGER }`, or of a
/// bare `OCTET STRING` (what Android API 23 writes).
fn gcm_nonce(der: &[u8]) -> Option<&[u8]> {
    let (&tag, rest) = der.split_first()?;
    let rest = match tag {
        0x30 => rest.split_first()?.1,
        0x04 => der,
        _ => return None,
    };
    let (&tag, rest) = rest.split_first()?;
    if tag != 0x04 {
        return None;
    }
    let (&len, rest) = rest.split_first()?;
    rest.get(..usize::from(len))
}

// ---- Java object serialization: just enough for a HashMap<String, String> --------------------------------

const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_LONGSTRING: u8 = 0x7C;
const BASE_HANDLE: u32 = 0x7E_0000;

/// Most text the stream may hand out in all, back-references counted each time they are used: what the
/// importer parses afterwards is bounded by this, not by how often a hostile stream repeats one string.
const MAX_DECODED: usize = MAX_FILE_LEN;

/// A string of the stream, shared by every back-reference to it (never copied) and wiped when the last
/// reference goes.
type Text = Rc<Zeroizing<String>>;

struct Stream<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Objects by handle; only strings matter, others are `None`.
    handles: Vec<Option<Text>>,
    /// Bytes of text handed out so far, back-references included.
    decoded: usize,
}

impl<'a> Stream<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ImportError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or_else(|| damaged(Why::EndsEarly))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }
    fn u8(&mut self) -> Result<u8, ImportError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, ImportError> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, ImportError> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn utf(&mut self, len: usize) -> Result<String, ImportError> {
        // Java's "modified UTF-8" equals UTF-8 for the JSON and UUID text FreeOTP writes.
        let b = self.take(len)?;
        std::str::from_utf8(b).map(str::to_owned).map_err(|_| damaged(Why::NotUtf8))
    }

    /// Counts `len` more bytes of text against [`MAX_DECODED`].
    fn spend(&mut self, len: usize) -> Result<(), ImportError> {
        self.decoded = self.decoded.saturating_add(len);
        if self.decoded > MAX_DECODED {
            return Err(ImportError::LimitExceeded { why: Why::TooMuchData { max: MAX_DECODED } });
        }
        Ok(())
    }

    fn new_string(&mut self, len: usize) -> Result<Text, ImportError> {
        self.spend(len)?;
        let text: Text = Rc::new(Zeroizing::new(self.utf(len)?));
        self.handles.push(Some(Rc::clone(&text)));
        Ok(text)
    }

    /// A string object (new or a back-reference).
    fn string(&mut self) -> Result<Text, ImportError> {
        match self.u8()? {
            TC_STRING => {
                let len = usize::from(self.u16()?);
                self.new_string(len)
            }
            TC_LONGSTRING => {
                let b = self.take(8)?;
                let len = u64::from_be_bytes(b.try_into().map_err(|_| damaged(Why::EndsEarly))?);
                let len = usize::try_from(len).map_err(|_| damaged(Why::EndsEarly))?;
                self.new_string(len)
            }
            TC_REFERENCE => {
                let handle =
                    self.u32()?.checked_sub(BASE_HANDLE).ok_or_else(|| damaged(Why::invalid("TC_REFERENCE")))?;
                let text = self
                    .handles
                    .get(handle as usize)
                    .and_then(Option::as_ref)
                    .map(Rc::clone)
                    .ok_or_else(|| damaged(Why::invalid("TC_REFERENCE")))?;
                self.spend(text.len())?;
                Ok(text)
            }
            _ => Err(damaged(Why::UnexpectedStructure)),
        }
    }
}

/// Reads the serialized `HashMap<String, String>` into key/value pairs, in stream order.
fn read_string_map(bytes: &[u8]) -> Result<Vec<(Text, Text)>, ImportError> {
    let mut st = Stream { bytes, pos: 0, handles: Vec::new(), decoded: 0 };
    if st.take(4)? != [0xAC, 0xED, 0x00, 0x05] {
        return Err(damaged(Why::UnexpectedStructure));
    }
    if st.u8()? != TC_OBJECT || st.u8()? != TC_CLASSDESC {
        return Err(damaged(Why::UnexpectedStructure));
    }
    let name_len = usize::from(st.u16()?);
    let class = st.utf(name_len)?;
    if class != "java.util.HashMap" {
        return Err(damaged(Why::UnexpectedStructure));
    }
    st.take(8)?; // serialVersionUID
    let _flags = st.u8()?;
    st.handles.push(None); // the class descriptor
    let field_count = st.u16()?;
    let mut primitive_len = 0usize;
    for _ in 0..field_count {
        let code = st.u8()?;
        let len = usize::from(st.u16()?);
        st.take(len)?;
        primitive_len += match code {
            b'B' | b'Z' => 1,
            b'C' | b'S' => 2,
            b'I' | b'F' => 4,
            b'J' | b'D' => 8,
            _ => return Err(damaged(Why::UnexpectedStructure)),
        };
    }
    if st.u8()? != TC_ENDBLOCKDATA || st.u8()? != TC_NULL {
        return Err(damaged(Why::UnexpectedStructure));
    }
    st.handles.push(None); // the HashMap object
    st.take(primitive_len)?;
    if st.u8()? != TC_BLOCKDATA || st.u8()? != 8 {
        return Err(damaged(Why::UnexpectedStructure));
    }
    let _capacity = st.u32()?;
    let size = st.u32()?;
    if size > 100_000 {
        return Err(damaged(Why::UnexpectedStructure));
    }
    let mut out = Vec::with_capacity(size as usize);
    for _ in 0..size {
        let key = st.string()?;
        let value = st.string()?;
        out.push((key, value));
    }
    Ok(out)
}
