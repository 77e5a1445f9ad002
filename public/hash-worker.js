// Hashes a File with SHA-256 in a Web Worker, streaming it in chunks (constant memory), using
// the `hasher` WASM module (Rust sha2). Messages:
//   in:  { file: File, id }
//   out: { id, progress: bytesDone, total } ... then { id, sha256: hex, bytes, seconds } or { id, error }
import init, { Sha256Stream } from '/pkg/hasher.js';

const ready = init({ module_or_path: '/pkg/hasher_bg.wasm' });
const CHUNK = 4 * 1024 * 1024;

self.onmessage = async (event) => {
  const { file, id } = event.data;
  try {
    await ready;
    const started = performance.now();
    const hasher = new Sha256Stream();
    const reader = file.stream().getReader();
    let done = 0;
    let lastReport = 0;
    let pending = [];
    let pendingBytes = 0;
    const flush = () => {
      if (pendingBytes === 0) return;
      const chunk = pending.length === 1 ? pending[0] : concat(pending, pendingBytes);
      hasher.update(chunk);
      pending = [];
      pendingBytes = 0;
    };
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) break;
      pending.push(value);
      pendingBytes += value.byteLength;
      done += value.byteLength;
      if (pendingBytes >= CHUNK) flush();
      const now = performance.now();
      if (now - lastReport > 100) {
        lastReport = now;
        self.postMessage({ id, progress: done, total: file.size, seconds: (now - started) / 1000 });
      }
    }
    flush();
    const sha256 = hasher.finish();
    hasher.free();
    self.postMessage({ id, sha256, bytes: done, seconds: (performance.now() - started) / 1000 });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
};

// Stream chunks are small (64 KiB in Chromium): batch them so each call into WASM hashes MiBs.
function concat(parts, total) {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
