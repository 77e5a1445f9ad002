// First-load benchmark (issue 11): a first visit to the home page on a throttled phone profile
// (Chrome DevTools "Slow 4G": 562.5 ms latency, 1.44 Mbit/s down ×0.9, 675 kbit/s up ×0.9;
// CPU slowed 4×), cold cache, Pixel 7 viewport. Prints, in one run, for each way of sending
// the bundle:
//   - first contentful paint and time to interactive (the WASM client has hydrated the page:
//     `.page[data-hydrated=true]`), from the start of the navigation;
//   - the bytes transferred;
// "identity" asks the server for uncompressed files (as every file was sent before issue 11),
// "compressed" lets Chromium take brotli; then a second visit with the cache warm
// (immutable bundle: nothing to revalidate). Best of 3 runs each (the machine's load moves
// single runs). Target: time to interactive ≤ 4 s compressed.
import { chromium, devices } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const RUNS = Number(process.env.PLI_BENCH_RUNS ?? 3);
const slow4g = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.44 * 1e6 / 8) * 0.9,
  uploadThroughput: (675 * 1e3 / 8) * 0.9,
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

async function visit(encoding, warm) {
  const context = await browser.newContext({ ...devices['Pixel 7'] });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  if (encoding === 'identity') {
    await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'identity' } });
  }
  let bytes = 0;
  cdp.on('Network.loadingFinished', (event) => { bytes += event.encodedDataLength; });
  if (warm) {
    await page.goto(base);
    await page.locator('.page[data-hydrated="true"]').waitFor();
    bytes = 0;
  }
  await cdp.send('Network.emulateNetworkConditions', slow4g);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const started = Date.now();
  await page.goto(warm ? `${base}/?again` : base, { waitUntil: 'commit' });
  await page.locator('.page[data-hydrated="true"]').waitFor({ timeout: 120_000 });
  const interactive = (Date.now() - started) / 1000;
  const paint = await page.evaluate(() =>
    performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
  await context.close();
  return { interactive, paint: paint / 1000, bytes };
}

const results = {};
for (const [name, encoding, warm] of [
  ['identity', 'identity', false],
  ['compressed', 'br', false],
  ['compressed, second visit', 'br', true],
]) {
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await visit(encoding, warm));
  const best = runs.reduce((a, b) => (a.interactive <= b.interactive ? a : b));
  results[name] = best;
  console.log(`${name.padEnd(26)} first paint ${best.paint.toFixed(2)} s, ` +
    `interactive ${best.interactive.toFixed(2)} s, ${(best.bytes / 1024).toFixed(0)} KB transferred`);
}
const ratio = results.compressed.interactive / results.identity.interactive;
console.log(`ratio time to interactive compressed / identity: ${ratio.toFixed(2)}`);
console.log(`time to interactive (compressed): ${results.compressed.interactive.toFixed(2)} s ` +
  `(target ≤ 4 s): ${results.compressed.interactive <= 4 ? 'met' : 'NOT met'}`);
await browser.close();
