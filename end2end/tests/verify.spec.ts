import { test, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { hydrated } from './helpers';

/** EVD-06, LET-02: an original file is hashed in the browser (WASM in a Web Worker). */
test('original file is hashed in the page with SHA-256', async ({ page }) => {
  const size = 6 * 1024 * 1024 + 123; // several chunks, not a multiple of the chunk size
  const buffer = Buffer.alloc(size);
  for (let i = 0; i < size; i++) buffer[i] = (i * 31 + (i >> 11)) & 0xff;
  const expected = createHash('sha256').update(buffer).digest('hex');

  await page.goto('/verify');
  await hydrated(page);
  // Nothing is uploaded: only the page and the worker's own assets are fetched.
  const posts: string[] = [];
  page.on('request', (r) => { if (r.method() !== 'GET') posts.push(r.url()); });
  await page.getByLabel('Choisir le fichier').setInputFiles({
    name: 'contrat.bin', mimeType: 'application/octet-stream', buffer,
  });
  await expect(page.locator('.file-sha256')).toHaveText(expected);
  await expect(page.locator('.progress-line')).toContainText('100 %');
  expect(posts, 'the original never leaves the browser').toEqual([]);
});
