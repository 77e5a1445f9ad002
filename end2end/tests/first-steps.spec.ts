import { test, expect } from '@playwright/test';
import { hydrated } from './helpers';
import { PASSWORD, contact, enrolTotp, mailedPath, proveWithSimulator, signIn } from './journey';

// Issue 11, first steps guided: after sign-up a checklist (address, second factor, identity)
// with the next action, on the home page and the profile until all is done; the compose page
// says what sending still needs before anything is written.

test('a new account follows its checklist to a first letter', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const email = `first-${testInfo.project.name}-${Date.now()}@example.org`;
  const steps = page.locator('.first-steps');
  const missing = page.locator('.missing-to-send');

  await page.goto('/signup');
  await hydrated(page);
  await page.getByLabel('Nom et prénom').fill('Alice Martin');
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(steps.locator('li')).toHaveCount(3);
  await expect(steps.locator('li.to-do')).toHaveCount(3);
  await expect(steps.locator('li.confirm-address')).toHaveAttribute('aria-current', 'step');
  await expect(steps.locator('li.confirm-address')).toContainText('prochaine étape');

  await page.goto(await mailedPath(page, email, '/confirm-email\\?token='));
  await hydrated(page);
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page.getByRole('status')).toContainText('Votre adresse est confirmée');
  await page.goto('/signin');
  await hydrated(page);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/profile$/);
  await expect(steps.locator('li.confirm-address')).toHaveClass(/done/);
  await expect(steps.locator('li.second-factor')).toHaveAttribute('aria-current', 'step');
  await expect(steps.locator('li.identity')).toContainText('à faire');

  // Compose says what is missing before anything is written.
  await page.goto('/compose');
  await hydrated(page);
  await expect(missing).toContainText('Avant de pouvoir envoyer');
  await expect(missing.locator('li')).toHaveCount(4);
  await expect(missing.locator('li.second-factor')).toBeVisible();
  await expect(missing.locator('li.identity')).toBeVisible();
  await expect(missing.locator('li.customer')).toBeVisible();
  await expect(missing.locator('li.recipient')).toBeVisible();

  // The home page shows the next action; it leads to the profile's section.
  await page.goto('/');
  await hydrated(page);
  await steps.getByRole('link', { name: "Configurer mon application d'authentification" }).click();
  await expect(page).toHaveURL(/\/profile#second-factor$/);
  await hydrated(page);
  await enrolTotp(page);
  await expect(steps.locator('li.second-factor')).toHaveClass(/done/);
  await expect(steps.locator('li.identity')).toHaveAttribute('aria-current', 'step');
  await expect(steps.getByRole('link', { name: 'Vérifier mon identité' })).toHaveAttribute('href', '/profile#identity');

  await page.goto('/compose');
  await hydrated(page);
  await expect(missing.locator('li')).toHaveCount(3);
  await expect(missing.locator('li.identity')).toBeVisible();
  await expect(missing.locator('li.customer')).toBeVisible();
  await expect(missing.locator('li.recipient')).toBeVisible();

  await page.goto('/profile');
  await proveWithSimulator(page, 'Alice Martin');
  await expect(page).toHaveURL(/\/profile\?proofing=/);
  await expect(page.locator('.identity-status')).toContainText('vérifiée');
  await expect(steps).toHaveCount(0);

  // A customer and a recipient left (policy §4.3): the development contract, then a
  // professional, who needs no consent (CONS-05).
  await page.goto('/compose');
  await hydrated(page);
  await expect(missing.locator('li')).toHaveCount(2);
  await missing.getByRole('link', { name: 'Espace client' }).click();
  await expect(page).toHaveURL(/\/customer$/);
  await hydrated(page);
  await page.getByRole('button', { name: 'Signer un contrat de démonstration' }).click();
  await expect(page.locator('.customer-contract[data-status="active"]')).toBeVisible();
  await page.goto('/compose');
  await hydrated(page);
  await expect(missing.locator('li')).toHaveCount(1);
  await missing.getByRole('link', { name: 'Ajouter un contact' }).click();
  await expect(page).toHaveURL(/\/contacts$/);
  await contact(page, `office-${testInfo.project.name}-${Date.now()}@example.org`, 'Cabinet Durand', 'Cabinet Durand SARL');
  await page.goto('/compose');
  await hydrated(page);
  await expect(page.getByLabel('Objet')).toBeVisible();
  await expect(missing).toHaveCount(0);
  await page.goto('/');
  await hydrated(page);
  await expect(steps).toHaveCount(0);
});
