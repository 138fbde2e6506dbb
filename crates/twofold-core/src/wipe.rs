//! Keeping plaintext from being left behind in freed memory: a byte buffer that never lets `Vec` reallocate
//! it in place ([`WipingBuf`]: it moves to a larger buffer and zeroizes the old one), and the scrubbing of
//! parsed JSON whose strings may hold keys ([`scrub`], [`SecretJson`]).
//!
//! What this cannot reach, said plainly: copies made inside other libraries (serde_json's scratch buffer for
//! strings with escapes, SQLite's page cache, an AEAD's output vector before we wrap it) and JSON numbers
//! (FreeOTP stores keys as lists of small integers; they are overwritten with zero, a plain store that the
//! compiler may drop before the memory is freed).

use std::io;

use serde_json::{Map, Value};
use zeroize::{Zeroize, Zeroizing};

/// A growable byte buffer for plaintext, written through [`io::Write`], with a hard `limit`. When it is
/// full it copies itself into a new buffer twice as large and zeroizes the old allocation, so no
/// reallocation ever leaves a copy behind; dropping it zeroizes the rest.
pub(crate) struct WipingBuf {
    buf: Zeroizing<Vec<u8>>,
    limit: usize,
    /// Tests only: how many times the contents moved to a larger buffer.
    #[cfg(test)]
    moves: usize,
}

impl WipingBuf {
    /// A buffer with room for `capacity` bytes (capped at `limit`) that refuses to hold more than `limit`.
    pub(crate) fn with_capacity(capacity: usize, limit: usize) -> Self {
        Self {
            buf: Zeroizing::new(Vec::with_capacity(capacity.min(limit))),
            limit,
            #[cfg(test)]
            moves: 0,
        }
    }

    pub(crate) fn into_inner(self) -> Zeroizing<Vec<u8>> {
        self.buf
    }
}

impl io::Write for WipingBuf {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let needed =
            self.buf.len().checked_add(data.len()).filter(|&n| n <= self.limit).ok_or_else(|| {
                io::Error::new(io::ErrorKind::FileTooLarge, format!("more than {} bytes", self.limit))
            })?;
        if needed > self.buf.capacity() {
            let capacity = needed.max(self.buf.capacity().saturating_mul(2)).min(self.limit);
            let mut bigger = Zeroizing::new(Vec::with_capacity(capacity));
            bigger.extend_from_slice(&self.buf);
            // The old allocation is zeroized (its whole capacity) when it drops here.
            self.buf = bigger;
            #[cfg(test)]
            {
                self.moves += 1;
            }
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Reads `reader` to its end into a [`WipingBuf`] of at most `limit` bytes (an error of kind
/// `FileTooLarge` past it), through a chunk buffer that is wiped too.
pub(crate) fn read_wiping(reader: &mut impl io::Read, capacity: usize, limit: usize) -> io::Result<Zeroizing<Vec<u8>>> {
    let mut buf = WipingBuf::with_capacity(capacity, limit);
    let mut chunk = Zeroizing::new([0u8; 8192]);
    loop {
        match reader.read(&mut chunk[..]) {
            Ok(0) => return Ok(buf.into_inner()),
            Ok(n) => io::Write::write_all(&mut buf, &chunk[..n])?,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
}

/// An [`io::Write`] that only counts, to size a [`WipingBuf`] exactly before the real write.
#[derive(Default)]
pub(crate) struct Counter(pub usize);

impl io::Write for Counter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.0 = self.0.saturating_add(data.len());
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `value` as JSON in a buffer of exactly its size: counted first, then written, so the buffer never grows.
pub(crate) fn json_exact(value: &impl serde::Serialize) -> Result<Zeroizing<Vec<u8>>, serde_json::Error> {
    let mut counter = Counter::default();
    serde_json::to_writer(&mut counter, value)?;
    let mut buf = WipingBuf::with_capacity(counter.0, usize::MAX);
    serde_json::to_writer(&mut buf, value)?;
    Ok(buf.into_inner())
}

/// Zeroizes every string in a JSON value (object keys too) and zeroes its numbers before it is dropped.
pub(crate) fn scrub(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(list) => list.iter_mut().for_each(scrub),
        Value::Object(map) => scrub_map(map),
        Value::Number(n) => *n = serde_json::Number::from(0u8),
        Value::Null | Value::Bool(_) => {}
    }
}

pub(crate) fn scrub_map(map: &mut Map<String, Value>) {
    // Keys are moved out so they can be zeroized too.
    for (mut key, mut value) in std::mem::take(map) {
        key.zeroize();
        scrub(&mut value);
    }
}

/// A parsed JSON document that may hold keys, scrubbed when dropped.
#[derive(Default)]
pub(crate) struct SecretJson(pub Value);

impl std::ops::Deref for SecretJson {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.0
    }
}

impl std::ops::DerefMut for SecretJson {
    fn deref_mut(&mut self) -> &mut Value {
        &mut self.0
    }
}

impl Drop for SecretJson {
    fn drop(&mut self) {
        scrub(&mut self.0);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn wiping_buf_keeps_every_byte_and_refuses_past_its_limit() {
        let mut buf = WipingBuf::with_capacity(4, 64);
        buf.write_all(b"0123456789").unwrap();
        buf.write_all(&[7u8; 40]).unwrap();
        // 4 → 10 → 50 bytes: two moves, each wiping the buffer it left.
        assert_eq!(buf.moves, 2);
        let err = buf.write_all(&[1u8; 15]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        let out = buf.into_inner();
        assert_eq!(&out[..10], b"0123456789");
        assert_eq!(out.len(), 50);
        assert!(out.capacity() <= 64);
    }

    #[test]
    fn json_exact_fills_one_buffer_of_exactly_its_size() {
        let value = serde_json::json!({"secret": "JBSWY3DPEHPK3PXP", "note": "n".repeat(10_000)});
        let out = json_exact(&value).unwrap();
        assert_eq!(out.len(), serde_json::to_vec(&value).unwrap().len());
        // Capacity equal to length: the one allocation was made at the final size and never grew.
        assert_eq!(out.capacity(), out.len());
    }

    #[test]
    fn scrub_empties_strings_keys_and_numbers() {
        let mut value = serde_json::json!({"k": ["JBSWY3DP", -28, {"inner": "x"}]});
        let Value::Object(map) = &mut value else { unreachable!() };
        let Some(Value::Array(list)) = map.get_mut("k") else { unreachable!() };
        scrub(&mut list[0]);
        scrub(&mut list[1]);
        assert_eq!(list[0], Value::String(String::new()));
        assert_eq!(list[1], serde_json::json!(0));
        scrub(&mut value);
        assert_eq!(value, serde_json::json!({}));
    }
}
