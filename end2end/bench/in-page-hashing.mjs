// In-page SHA-256 benchmark (issue 5, LET-02): in headless Chromium, on one 200 MB file on disk
// picked through an <input type=file>,
// prints in one run the MB/s of
//   - ours: the compose page's hashing (hash-worker.js in the bundle directory + the `hasher` WASM module,
//     File.stream() in a Web Worker), with the longest main-thread stall meanwhile;
//   - npm hash-wasm's SHA-256 on the same File (File.stream(), 4 MiB updates, main thread), and
//     for information also fed each stream chunk as it comes (no batching copy);
//   - WebCrypto digest on a 64 MB buffer (not streaming: the whole input in memory);
//   - our hasher alone on 64 MB in memory (what reading the file costs, by difference);
//   - native `sha256sum` on the same file (target: ours >= 0.85 x native, issue 11);
// and the ratios. Target: ours ≥ 1.25 × hash-wasm, main thread never blocked > 16 ms.
// Best of 3 runs each (V8 warms up). Run with `make bench-hash` (bench/in-page-hashing.sh).
import { chromium } from '@playwright/test';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const MB = 200;
const hashWasm = require.resolve('hash-wasm/dist/sha256.umd.min.js');

// The file a user would pick: 200 MB of random bytes on disk, read by the page through an
// <input type=file> (a disk-backed File, as in real use); the same file for native sha256sum.
const dir = mkdtempSync(join(tmpdir(), 'pli-hash-bench-'));
const path = join(dir, 'bench.bin');
{
  const bytes = Buffer.alloc(MB * 1e6);
  for (let i = 0; i < bytes.length; i += 65536) randomFillSync(bytes, i, Math.min(65536, bytes.length - i));
  writeFileSync(path, bytes);
}
// One native run; measured between our runs (below), so that both see the same moments of the
// machine's load, which moves a lot on a shared machine.
function nativeRun() {
  const start = process.hrtime.bigint();
  const out = spawnSync('sha256sum', [path], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return { mbps: MB / seconds, sha: out.stdout.split(' ')[0] };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
// bypassCSP: hash-wasm is injected as an inline script for the comparison only.
const page = await (await browser.newContext({ bypassCSP: true })).newPage();
await page.goto(`${base}/verify`);
await page.addScriptTag({ path: hashWasm });
await page.locator('input[type=file]').first().setInputFiles(path);

// The page's benchmarks, installed as window.pliBench and run one by one from here.
await page.evaluate((mb) => {
  const file = document.querySelector('input[type=file]').files[0];
  const data = new Uint8Array(64e6);
  for (let i = 0; i < data.length; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(i + 65536, data.length)));
  const hex = (buf) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

  // The longest gap between timer callbacks over `ms` with nothing else running: what the
  // machine alone (other processes, the OS scheduler) costs the main thread, for comparison.
  async function idleStall(ms) {
    let longest = 0;
    let last = performance.now();
    const end = last + ms;
    await new Promise((resolve) => {
      const tick = () => {
        const now = performance.now();
        longest = Math.max(longest, now - last);
        last = now;
        if (now < end) setTimeout(tick, 0); else resolve();
      };
      setTimeout(tick, 0);
    });
    return longest;
  }

  async function ours() {
    let longest = 0;
    let last = performance.now();
    let running = true;
    const tick = () => { const now = performance.now(); longest = Math.max(longest, now - last); last = now; if (running) setTimeout(tick, 0); };
    setTimeout(tick, 0);
    const worker = new Worker(document.querySelector('meta[name=pli-bundle]').content + '/hash-worker.js', { type: 'module' });
    const start = performance.now();
    const sha = await new Promise((resolve, reject) => {
      worker.onmessage = (e) => { if (e.data.sha256) resolve(e.data.sha256); if (e.data.error) reject(e.data.error); };
      worker.postMessage({ file, id: 1 });
    });
    const seconds = (performance.now() - start) / 1000;
    running = false;
    worker.terminate();
    return { sha, mbps: mb / seconds, stallMs: longest };
  }

  async function hashwasmStream() {
    const start = performance.now();
    const h = await hashwasm.createSHA256();
    h.init();
    const reader = file.stream().getReader();
    let pending = [];
    let bytes = 0;
    const flush = () => {
      if (!bytes) return;
      const buf = new Uint8Array(bytes);
      let o = 0;
      for (const p of pending) { buf.set(p, o); o += p.byteLength; }
      h.update(buf);
      pending = []; bytes = 0;
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending.push(value); bytes += value.byteLength;
      if (bytes >= 4 * 1024 * 1024) flush();
    }
    flush();
    const sha = h.digest('hex');
    return { sha, mbps: mb / ((performance.now() - start) / 1000) };
  }

  // For information: hash-wasm without the batching copy (each stream chunk as it comes).
  async function hashwasmChunks() {
    const start = performance.now();
    const h = await hashwasm.createSHA256();
    h.init();
    const reader = file.stream().getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      h.update(value);
    }
    const sha = h.digest('hex');
    return { sha, mbps: mb / ((performance.now() - start) / 1000) };
  }

  // For information: our hasher alone on bytes already in memory (no file reading), fed
  // 256 KiB at a time as the worker does: what the page could reach if reading were free.
  async function oursInMemory() {
    const bundle = document.querySelector('meta[name=pli-bundle]').content;
    const hasher = await import(`${bundle}/hasher.js`);
    await hasher.default({ module_or_path: `${bundle}/hasher_bg.wasm` });
    const h = new hasher.Sha256Stream();
    const start = performance.now();
    for (let i = 0; i < data.length; i += 262144) h.update(data.subarray(i, i + 262144));
    const sha = h.finish();
    h.free();
    return { sha, mbps: 64 / ((performance.now() - start) / 1000) };
  }

  async function webcrypto() {
    const buf = data.subarray(0, 64e6);
    const start = performance.now();
    const sha = hex(await crypto.subtle.digest('SHA-256', buf));
    return { sha, mbps: 64 / ((performance.now() - start) / 1000) };
  }

  const best = async (f) => {
    let top = null;
    for (let i = 0; i < 3; i++) { const r = await f(); if (!top || r.mbps > top.mbps) top = { ...r, stallMs: Math.max(top?.stallMs ?? 0, r.stallMs ?? 0) }; }
    return top;
  };
  window.pliBench = {
    idle: () => idleStall(1000),
    ours,
    others: async () => {
      const b = await best(hashwasmStream);
      const b2 = await best(hashwasmChunks);
      const c = await best(webcrypto);
      const m = await best(oursInMemory);
      return { hashwasm: b, hashwasmChunks: b2, webcrypto: c, inMemory: m };
    },
  };
}, MB);

const idle = await page.evaluate(() => pliBench.idle());
// Ours and native sha256sum in turn, best of 3 each.
let ours = null;
let native = null;
for (let i = 0; i < 3; i++) {
  const r = await page.evaluate(() => pliBench.ours());
  ours = !ours || r.mbps > ours.mbps ? { ...r, stallMs: Math.max(ours?.stallMs ?? 0, r.stallMs) } : { ...ours, stallMs: Math.max(ours.stallMs, r.stallMs) };
  const n = nativeRun();
  if (!native || n.mbps > native.mbps) native = n;
}
const { hashwasm, hashwasmChunks, webcrypto, inMemory } = await page.evaluate(() => pliBench.others());
const same = ours.sha === hashwasm.sha && hashwasmChunks.sha === hashwasm.sha;
await browser.close();
rmSync(dir, { recursive: true, force: true });
console.log(`file: ${MB} MB random, best of 3, Chromium headless`);
console.log(`ours (Rust sha2 in WASM, Web Worker, File.stream()): ${ours.mbps.toFixed(0)} MB/s; longest main-thread stall ${ours.stallMs.toFixed(1)} ms`);
console.log(`hash-wasm SHA-256 (same File, streamed):            ${hashwasm.mbps.toFixed(0)} MB/s`);
console.log(`hash-wasm, each stream chunk as it comes (info):     ${hashwasmChunks.mbps.toFixed(0)} MB/s; ours / that: ${(ours.mbps / hashwasmChunks.mbps).toFixed(2)}`);
console.log(`WebCrypto digest (64 MB in memory, not streaming):   ${webcrypto.mbps.toFixed(0)} MB/s`);
console.log(`ours in memory (64 MB, no file reading; info):       ${inMemory.mbps.toFixed(0)} MB/s; the page reaches ${(ours.mbps / inMemory.mbps).toFixed(2)} of it`);
console.log(`native sha256sum (same file, page cache; between ours' runs): ${native.mbps.toFixed(0)} MB/s`);
console.log(`ratio ours / sha256sum: ${(ours.mbps / native.mbps).toFixed(2)} (target >= 0.85); same digest: ${ours.sha === native.sha}`);
console.log(`ratio ours / hash-wasm: ${(ours.mbps / hashwasm.mbps).toFixed(2)} (target >= 1.25); ours / WebCrypto: ${(ours.mbps / webcrypto.mbps).toFixed(2)}`);
console.log(`same digest as hash-wasm: ${same}; stall target <= 16 ms: ${ours.stallMs <= 16 ? 'OK' : 'ABOVE'} (longest stall over 1 s with nothing running: ${idle.toFixed(1)} ms)`);
if (!same) process.exit(1);
