import { test, expect } from '@playwright/test';
import { hydrated, noHorizontalScroll } from './helpers';

test('home page is French, hydrates, and switches language persistently', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('La lettre recommandée électronique');
  await expect(page.getByText('Environnement de développement')).toBeVisible();
  await hydrated(page);

  // The switch is a plain button: it can only work once the WASM client is running.
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('The electronic registered letter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  // The choice survives a full reload (cookie read by the server render).
  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('The electronic registered letter');
  await hydrated(page);
  await page.getByRole('button', { name: 'Passer en français' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('La lettre recommandée électronique');
});

test('links navigate on the client without reloading the page', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  // A full page load would wipe this marker; client-side navigation keeps it.
  await page.evaluate(() => ((window as any).__spaMarker = 'still here'));
  let documentRequests = 0;
  page.on('request', (r) => { if (r.resourceType() === 'document') documentRequests++; });

  await page.getByRole('contentinfo').getByRole('link', { name: 'Politique du service' }).click();
  await expect(page).toHaveURL(/\/policy$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Politique et documents publiés');
  await expect(page.locator('.policy-oid')).toHaveText(/^\d+(\.\d+)+$/);

  await page.getByRole('banner').getByRole('link', { name: 'Vérifier une preuve' }).click();
  await expect(page).toHaveURL(/\/verify$/);
  await page.getByRole('link', { name: 'Pli' }).first().click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('La lettre recommandée électronique');

  expect(await page.evaluate(() => (window as any).__spaMarker)).toBe('still here');
  expect(documentRequests, 'no full page load').toBe(0);
});

test('no horizontal scrolling at 360 px', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/', '/policy', '/terms/senders', '/terms/recipients', '/verify', '/signin', '/dev/mailbox', '/dev/clock']) {
    await page.goto(path);
    await hydrated(page);
    await noHorizontalScroll(page);
  }
});

test('published certificates download from the policy page', async ({ page, request }) => {
  await page.goto('/policy');
  await expect(page.getByRole('link', { name: 'Certificat de cachet des preuves' })).toHaveAttribute('href', '/pki/seal.pem');
  const seal = await request.get('/pki/seal.pem');
  expect(seal.ok()).toBeTruthy();
  expect(await seal.text()).toContain('-----BEGIN CERTIFICATE-----');
});

test('development mailbox shows a sent email and its links', async ({ page }, testInfo) => {
  const to = `visitor-${testInfo.project.name}-${Date.now()}@example.org`;
  await page.goto('/dev/mailbox');
  await hydrated(page);
  await page.getByLabel('Adresse du destinataire').fill(to);
  await page.getByRole('button', { name: "Envoyer un courriel d'essai" }).click();
  await expect(page.getByRole('status')).toContainText("Courriel d'essai envoyé");
  await page.getByRole('link', { name: new RegExp(to) }).click();
  await expect(page.locator('.mail-to')).toHaveText(to);
  // The HTML part renders in a sandboxed frame, with the link to the service.
  const frame = page.frameLocator('iframe.mail-html');
  await expect(frame.getByRole('link')).toHaveAttribute('href', /^http:\/\/127\.0\.0\.1:\d+\/$/);
  await page.getByRole('link', { name: 'Retour à la boîte' }).click();
  await expect(page).toHaveURL(/\/dev\/mailbox$/);
});

test('development clock moves service time forward', async ({ page }) => {
  await page.goto('/dev/clock');
  await hydrated(page);
  const before = Date.parse(await page.locator('.clock-now').innerText());
  await page.getByRole('button', { name: '+1 jour' }).click();
  await expect.poll(async () => Date.parse(await page.locator('.clock-now').innerText()) - before)
    .toBeGreaterThanOrEqual(86_400_000);
});

test('invalid input gets a clear message and keeps what was typed', async ({ page }) => {
  await page.goto('/dev/mailbox');
  await hydrated(page);
  const field = page.getByLabel('Adresse du destinataire');
  // Bypass the browser's own check to reach the shared validation rules on the server.
  await field.evaluate((el: HTMLInputElement) => (el.type = 'text'));
  await field.fill('not an address');
  await page.getByRole('button', { name: "Envoyer un courriel d'essai" }).click();
  await expect(page.getByRole('alert')).toHaveText("Cette adresse électronique n'est pas valide.");
  await expect(field).toHaveValue('not an address');
});
