import { test, expect } from '@playwright/test';
import { hydrated, noHorizontalScroll } from './helpers';
import { mailedPath, signUpAndConfirm } from './journey';

// Issue 11: a forgotten password. Sign-in → "Mot de passe oublié ?" → the neutral answer →
// the link from the development mailbox → a new password → sign-in with it; the spent link
// then says so and offers a new one.

const NEW_PASSWORD = 'une toute nouvelle phrase de passe';

test('forgotten password: emailed link, new password, sign-in with it', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const email = `forgot-${testInfo.project.name}-${Date.now()}@example.org`;
  await signUpAndConfirm(page, email, 'Alice Martin');

  await page.goto('/signin');
  await hydrated(page);
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await expect(page).toHaveURL(/\/password\/forgot$/);
  await hydrated(page);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByRole('button', { name: 'Recevoir un lien' }).click();
  await expect(page.getByRole('status')).toContainText('Si un compte existe pour cette adresse');

  const link = await mailedPath(page, email, '/password/reset/');
  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nouveau mot de passe');
  await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
  await expect(page).toHaveURL(/\/signin\?password_reset=1$/);
  await expect(page.getByRole('status')).toContainText('Votre mot de passe est changé');

  await hydrated(page);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.locator('.profile-email')).toHaveText(email);
  expect(await mailedPath(page, email, '/password/forgot')).toBe('/password/forgot');

  // Used once: the link says so and leads to a new request.
  await page.goto(link);
  await hydrated(page);
  await expect(page.getByRole('alert')).toContainText("Ce lien n'est plus valable");
  await page.getByRole('link', { name: 'Demander un nouveau lien' }).click();
  await expect(page).toHaveURL(/\/password\/forgot$/);
});

test('an unknown address gets the same answer', async ({ page }) => {
  await page.goto('/password/forgot');
  await hydrated(page);
  await page.getByLabel('Adresse électronique').fill(`nobody-${Date.now()}@example.org`);
  await page.getByRole('button', { name: 'Recevoir un lien' }).click();
  await expect(page.getByRole('status')).toContainText('Si un compte existe pour cette adresse');
});

test('password pages fit a 360 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/password/forgot', '/password/reset/not-a-token']) {
    await page.goto(path);
    await hydrated(page);
    await noHorizontalScroll(page);
  }
  await expect(page.getByRole('alert')).toContainText("Ce lien n'est plus valable");
});
