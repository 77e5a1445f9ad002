//! SHA-256 of user files in the browser (LET-02, EVD-06): a streaming hasher exported to
//! JavaScript and driven by `public/hash-worker.js`, which reads the `File` with
//! `file.stream()` in a Web Worker so that the page stays responsive.
//!
//! Kept apart from the app's WASM bundle so that it can be built for speed (opt-level 3,
//! wasm SIMD) while the app is built for size, and loaded by the worker alone. Measured
//! reasons in `shared/notes/in-page-hashing.md` and `docs/build.md`.

use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::wasm_bindgen;

/// An incremental SHA-256.
#[wasm_bindgen]
#[derive(Default)]
pub struct Sha256Stream {
    inner: Sha256,
    bytes: f64,
}

#[wasm_bindgen]
impl Sha256Stream {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Sha256Stream {
        Sha256Stream::default()
    }

    /// Feeds the next chunk (copied into WASM memory by wasm-bindgen; 2–4 MiB chunks amortise it).
    pub fn update(&mut self, chunk: &[u8]) {
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
}
