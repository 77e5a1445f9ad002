import { test, expect } from '@playwright/test';
import { hydrated, noHorizontalScroll } from './helpers';
import { sha256 } from './journey';

// Issue 10 (5), TERMS-01 (policy §2.4, eIDAS Art. 24(2)(d)): the policy statement and the two
// sets of terms of use are published as pages and PDFs; each page states the version, the OID
// and the SHA-256 of the very PDF it links to; every page fits a 360 px screen.

const documents = [
  { path: '/terms/senders', title: "Conditions d'utilisation de Pli — expéditeurs", arc: /\.2\.1\.1$/ },
  { path: '/terms/recipients', title: "Conditions d'utilisation de Pli — destinataires", arc: /\.2\.2\.1$/ },
  { path: '/policy', title: 'Politique et déclaration de pratiques du service Pli', arc: /^\d+(\.\d+)+$/ },
];

for (const { path, title, arc } of documents) {
  test(`${path}: version, OID, PDF and its SHA-256`, async ({ page, request }) => {
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByRole('heading', { name: title })).toBeVisible();
    const facts = page.locator('.published-document .document-facts');
    await expect(facts.locator('.document-version')).toHaveText(/^\d{4}-\d{2}$/);
    await expect(facts.locator('.document-oid')).toHaveText(arc);
    const stated = (await facts.locator('.document-sha256').textContent()) ?? '';
    expect(stated).toMatch(/^[0-9a-f]{64}$/);
    const href = (await facts.locator('a.document-pdf').getAttribute('href')) ?? '';
    expect(href).toMatch(/\.pdf$/);
    const pdf = await request.get(href);
    expect(pdf.ok()).toBeTruthy();
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(sha256(await pdf.body())).toBe(stated);

    await page.setViewportSize({ width: 360, height: 740 });
    await noHorizontalScroll(page);
  });
}

test('the policy page lists every published document; sign-up links the sender terms', async ({ page }) => {
  await page.goto('/policy');
  await hydrated(page);
  const list = page.locator('.published-documents li');
  await expect(list).toHaveCount(3);
  await expect(list.locator('.document-sha256')).toHaveCount(3);
  await page.getByRole('link', { name: "Conditions d'utilisation de Pli — destinataires" }).click();
  await expect(page).toHaveURL(/\/terms\/recipients$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('destinataires');

  await page.goto('/signup');
  await hydrated(page);
  const terms = page.getByRole('link', { name: /Conditions d'utilisation — expéditeurs \(version \d{4}-\d{2}\)/ });
  await expect(terms).toHaveAttribute('href', '/terms/senders');
  await page.setViewportSize({ width: 360, height: 740 });
  await noHorizontalScroll(page);
});
