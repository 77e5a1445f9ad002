// Hashes a File with SHA-256 in a Web Worker, streaming it (constant memory), using the `hasher`
// WASM module (Rust sha2, wasm SIMD). Messages:
//   in:  { file: File, id }
//   out: { id, progress: bytesDone, total, seconds } ... then { id, sha256: hex, bytes, seconds } or { id, error }
//
// `file.stream()` is read with a BYOB reader into two 256 KiB buffers used in turn, the next read
// running while a chunk is hashed (where the browser supports it; otherwise its own chunks,
// 64 KiB in Chromium), and each chunk is copied straight
// into a buffer of the same size inside WASM memory and hashed there while it is still in the
// CPU cache: one copy per byte, no allocation per chunk, no batching of chunks into larger
// arrays (a second copy, and hashing of cold memory). Measured in docs/build.md
// (`make bench-hash`).
//
// It is part of the content-addressed bundle (/pkg/<hash>/, see scripts/build-site.sh): the
// module and its WASM are next to it.
import init, { Sha256Stream } from './hasher.js';

const ready = init({ module_or_path: new URL('./hasher_bg.wasm', import.meta.url) });

self.onmessage = async (event) => {
  const { file, id } = event.data;
  let hasher;
  try {
    const wasm = await ready;
    const started = performance.now();
    hasher = new Sha256Stream();
    const ptr = hasher.bufferPtr;
    const capacity = hasher.bufferLen;
    let input = new Uint8Array(wasm.memory.buffer, ptr, capacity);
    let done = 0;
    let lastReport = 0;
    for await (const value of chunks(file, capacity)) {
      for (let offset = 0; offset < value.byteLength; offset += capacity) {
        const part = value.subarray(offset, offset + capacity);
        // A view is detached if WASM memory ever grows: take a new one then.
        if (input.byteLength === 0) input = new Uint8Array(wasm.memory.buffer, ptr, capacity);
        input.set(part);
        hasher.updateBuffer(part.byteLength);
      }
      done += value.byteLength;
      const now = performance.now();
      if (now - lastReport > 100) {
        lastReport = now;
        self.postMessage({ id, progress: done, total: file.size, seconds: (now - started) / 1000 });
      }
    }
    const sha256 = hasher.finish();
    self.postMessage({ id, sha256, bytes: done, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  } finally {
    hasher?.free();
  }
};

// The file's bytes in order, in views that are valid until the next one is asked for.
async function* chunks(file, size) {
  const stream = file.stream();
  let reader;
  try {
    reader = stream.getReader({ mode: 'byob' });
  } catch {
    reader = null; // not a byte stream in this browser
  }
  if (reader) {
    // Two buffers: the next read is already under way (in the browser's I/O) while the
    // current chunk is copied and hashed, so reading and hashing overlap instead of taking
    // turns. Each read transfers its buffer; the chunk's view gives it back.
    let spare = new ArrayBuffer(size);
    let pending = reader.read(new Uint8Array(new ArrayBuffer(size)));
    for (;;) {
      const { value, done } = await pending;
      if (done) return;
      pending = reader.read(new Uint8Array(spare));
      yield value; // hashed synchronously by the caller before it asks for the next one
      spare = value.buffer;
    }
  }
  const fallback = stream.getReader();
  for (;;) {
    const { value, done } = await fallback.read();
    if (done) return;
    yield value;
  }
}
