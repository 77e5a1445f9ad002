import { test, expect } from '@playwright/test';
import { hydrated } from './helpers';

/** EVD-01..04, OPS-02: a person seals a journal checkpoint and downloads the evidence PDF. */
test('seal a checkpoint and download its evidence PDF', async ({ page, request }) => {
  await page.goto('/dev/evidence');
  await hydrated(page);
  await page.getByRole('button', { name: 'Sceller un point de contrôle du journal' }).click();
  await expect(page.getByRole('status')).toContainText(/Point de contrôle scellé|Rien de nouveau/);
  const link = page.locator('.evidence-list a').filter({ hasText: 'Point de contrôle du journal scellé' }).first();
  await expect(link).toBeVisible();
  const href = await link.getAttribute('href');
  const pdf = await request.get(href!);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const bytes = await pdf.body();
  expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
  expect(bytes.includes(Buffer.from('/ETSI.CAdES.detached'))).toBeTruthy();
});
