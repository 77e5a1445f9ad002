// Hashes a File with SHA-256 in a Web Worker, streaming it (constant memory), using the `hasher`
// WASM module (Rust sha2, wasm SIMD). Messages:
//   in:  { file: File, id }
//   out: { id, progress: bytesDone, total, seconds } ... then { id, sha256: hex, bytes, seconds } or { id, error }
//
// Each chunk of `file.stream()` (64 KiB in Chromium) is copied straight into a buffer inside
// WASM memory and hashed there while it is still in the CPU cache: one copy per byte, no
// allocation per chunk, no batching of chunks into larger arrays (which cost a second copy and
// made the hashing read cold memory). Measured in docs/build.md (`make bench-hash`).
import init, { Sha256Stream } from '/pkg/hasher.js';

const ready = init({ module_or_path: '/pkg/hasher_bg.wasm' });

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
    const reader = file.stream().getReader();
    let done = 0;
    let lastReport = 0;
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) break;
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
