import { test, expect } from '@playwright/test';
import { expectAccessible, hydrated, noHorizontalScroll } from './helpers';
import { accountWithTotp } from './journey';

// Issue 14 (ID-01, ID-02, policy §4.1): a person proves their identity at an eIDAS OpenID
// provider — a real one, oidc-provider from npm, on a server of its own configured with it
// (playwright.config.ts). A lower level than the required one is refused, and the profile says
// why; at the required level the identity is verified.
test('identity proven at an eIDAS OpenID provider; a lower level is refused with a clear message', async ({ page }, testInfo) => {
  const email = `oidc-${testInfo.project.name}-${Date.now()}@example.org`;
  await accountWithTotp(page, email, 'Jeanne Dupont');

  async function signInAtProvider(level: string) {
    await page.goto('/profile');
    await hydrated(page);
    await page.getByRole('button', { name: 'Prouver mon identité' }).click();
    await expect(page.getByRole('heading', { name: "Fournisseur d'identité de test" })).toBeVisible();
    await expect(page).toHaveURL(/\/interaction\//);
    await page.getByLabel('Personne').selectOption('jeanne');
    await page.getByLabel('Niveau atteint').selectOption(level);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page).toHaveURL(/\/profile\?proofing=/);
    await hydrated(page);
  }

  await signInAtProvider('eidas1');
  await expect(page.locator('.identity-status')).toContainText('la dernière vérification a échoué');
  await expect(page.locator('.identity-failure')).toContainText("n'a pas atteint le niveau de garantie exigé");
  await expectAccessible(page, 'the profile after a proofing refused for its level');

  await signInAtProvider('eidas2');
  await expect(page.locator('.identity-status')).toContainText('vérifiée');
  await expect(page.locator('.identity-failure')).toHaveCount(0);
  await noHorizontalScroll(page);
});
