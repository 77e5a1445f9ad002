//! SHA-256 of user files in the browser (LET-02, EVD-06): a streaming hasher exported to
//! JavaScript and driven by `hasher/hash-worker.js`, which reads the `File` with
//! `file.stream()` in a Web Worker so that the page stays responsive.
//!
//! Kept apart from the app's WASM bundle so that it can be built for speed (opt-level 3,
//! wasm SIMD) while the app is built for size, and loaded by the worker alone. Measured
//! reasons in `shared/notes/in-page-hashing.md` and `docs/build.md`.

// The checkout this crate is built from (`.cargo/config.toml`): clones share one cargo target
// directory, and reading the variable makes cargo rebuild the crate when another clone built it
// last (see docs/build.md, "One target directory, several checkouts").
const _: Option<&str> = option_env!("PLI_CHECKOUT");

use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::wasm_bindgen;

/// Size of the input buffer inside WASM memory: a browser's `File` stream yields 64 KiB chunks,
/// and a chunk copied there is hashed while still in the CPU cache.
const BUFFER: usize = 256 * 1024;

/// An incremental SHA-256.
#[wasm_bindgen]
pub struct Sha256Stream {
    inner: Sha256,
    bytes: f64,
    buffer: Vec<u8>,
}

impl Default for Sha256Stream {
    fn default() -> Self {
        Sha256Stream {
            inner: Sha256::default(),
            bytes: 0.0,
            buffer: vec![0; BUFFER],
        }
    }
}

#[wasm_bindgen]
impl Sha256Stream {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Sha256Stream {
        Sha256Stream::default()
    }

    /// Feeds the next chunk (copied into WASM memory by wasm-bindgen, allocated and freed per
    /// call: the worker uses [`Sha256Stream::update_buffer`]).
    pub fn update(&mut self, chunk: &[u8]) {
        self.inner.update(chunk);
        self.bytes += chunk.len() as f64;
    }

    /// Where JavaScript writes input in WASM memory (a byte offset into `memory.buffer`), to be
    /// hashed by [`Sha256Stream::update_buffer`]: one copy and no allocation per chunk. Stable
    /// for the life of the stream (nothing is allocated after construction until `finish`).
    #[wasm_bindgen(getter, js_name = bufferPtr)]
    pub fn buffer_ptr(&self) -> usize {
        self.buffer.as_ptr() as usize
    }

    /// Capacity of the buffer at [`Sha256Stream::buffer_ptr`].
    #[wasm_bindgen(getter, js_name = bufferLen)]
    pub fn buffer_len(&self) -> usize {
        self.buffer.len()
    }

    /// Hashes the first `len` bytes of the buffer (at most its capacity).
    #[wasm_bindgen(js_name = updateBuffer)]
    pub fn update_buffer(&mut self, len: usize) {
        let chunk = &self.buffer[..len.min(self.buffer.len())];
        self.inner.update(chunk);
        self.bytes += chunk.len() as f64;
    }

    /// Bytes hashed so far.
    #[wasm_bindgen(getter)]
    pub fn bytes(&self) -> f64 {
        self.bytes
    }

    /// The lowercase hex digest; the stream starts over.
    pub fn finish(&mut self) -> String {
        let digest = std::mem::take(&mut self.inner).finalize();
        self.bytes = 0.0;
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digests() {
        let mut h = Sha256Stream::new();
        assert_eq!(
            h.finish(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        h.update(b"a");
        h.update(b"bc");
        assert_eq!(h.bytes(), 3.0);
        assert_eq!(
            h.finish(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn buffer_input() {
        let mut h = Sha256Stream::new();
        assert!(h.buffer_len() >= 64 * 1024);
        h.buffer[..3].copy_from_slice(b"abc");
        h.update_buffer(3);
        assert_eq!(
            h.finish(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
