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

/** EVD-03, EVD-06: anyone uploads an evidence PDF and gets the verdict; a modified copy fails. */
test('an evidence PDF is verified on the page; a modified copy is not', async ({ page, request }) => {
  // An evidence issued by this server: a sealed journal checkpoint.
  await page.goto('/dev/evidence');
  await hydrated(page);
  await page.getByRole('button', { name: 'Sceller un point de contrôle du journal' }).click();
  await expect(page.getByRole('status')).toBeVisible();
  // Other tests issue evidence on the same server meanwhile: take the newest checkpoint.
  const checkpoint = page.locator('.evidence-list a').filter({ hasText: 'Point de contrôle du journal' }).first();
  await expect(checkpoint).toBeVisible();
  const href = await checkpoint.getAttribute('href');
  const pdf = Buffer.from(await (await request.get(href!)).body());

  await page.goto('/verify');
  await hydrated(page);
  const evidence = page.getByLabel('Choisir la preuve (PDF)');
  await evidence.setInputFiles({ name: 'preuve.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
  await expect(page.locator('.report .verdict')).toContainText('Preuve valide');
  await expect(page.locator('.report')).toContainText('Point de contrôle du journal scellé');
  await expect(page.locator('.check.failed')).toHaveCount(0);
  // In plain words first (issue 11): what, when (legal time, in French), and whether to trust it.
  const attests = page.locator('.report .attests');
  await expect(attests).toContainText(/a été établie le \d{1,2}(er)? \p{L}+ \d{4} à \d{1,2} h \d{2}\./u);
  await expect(attests).toContainText('sont valides');

  const tampered = Buffer.from(pdf);
  const at = tampered.indexOf('ledger');
  tampered[at] ^= 1;
  await evidence.setInputFiles({ name: 'preuve.pdf', mimeType: 'application/pdf', buffer: tampered });
  await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
  await expect(page.locator('.report .verdict')).toContainText('NON valide');
  await expect(page.locator('.report .attests')).toContainText('Ne vous fiez pas à ce document');
  await expect(page.locator('.check.failed')).toContainText(['Document non modifié depuis le scellement']);
});

/** Issue 12 (EVD-05): an evidence becomes long-lived (PAdES-B-LTA) in the background; /verify
 * shows its time-stamp chain and until when it stays verifiable; the policy page links the
 * published tree heads of the transparency log, and /verify the evidence's inclusion proof. */
test('a long-term evidence shows its time-stamp chain; the transparency log is published', async ({ page, request }) => {
  await page.goto('/dev/evidence');
  await hydrated(page);
  await page.getByRole('button', { name: 'Sceller un point de contrôle du journal' }).click();
  await expect(page.getByRole('status')).toBeVisible();
  const checkpoint = page.locator('.evidence-list a').filter({ hasText: 'Point de contrôle du journal' }).first();
  const href = await checkpoint.getAttribute('href');
  // The server's sweep (every 2 s in these tests) extends it with a document time-stamp.
  let pdf = Buffer.alloc(0);
  await expect(async () => {
    pdf = Buffer.from(await (await request.get(href!)).body());
    expect(pdf.includes('/DocTimeStamp')).toBe(true);
  }).toPass({ timeout: 30_000 });

  await page.goto('/verify');
  await hydrated(page);
  await page.getByLabel('Choisir la preuve (PDF)').setInputFiles({ name: 'preuve.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
  await expect(page.locator('.report .verdict')).toContainText('Preuve valide');
  await expect(page.locator('.check.failed')).toHaveCount(0);
  await expect(page.locator('.report .doc-timestamp')).toHaveCount(1);
  await expect(page.locator('.report')).toContainText('Horodatage du document (archivage)');
  await expect(page.locator('.report .verifiable-until')).toContainText(/\d{4}/);
  const proof = page.locator('.report a.log-proof');
  await expect(proof).toBeVisible();
  const inclusion = await (await request.get((await proof.getAttribute('href'))!)).json();
  expect(inclusion.format).toBe('pli-log-inclusion/1');

  await page.goto('/policy');
  await hydrated(page);
  const heads = page.getByRole('link', { name: 'Têtes d\'arbre signées (JSON)' });
  await expect(heads).toBeVisible();
  const published = await (await request.get((await heads.getAttribute('href'))!)).json();
  expect(published.heads.length).toBeGreaterThan(0);
  expect(published.heads[0].root_hash).toMatch(/^[0-9a-f]{64}$/);
});
