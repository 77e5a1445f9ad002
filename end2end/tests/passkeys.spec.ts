import { test, expect, type Page, type CDPSession } from '@playwright/test';
import { expectAccessible, hydrated, noHorizontalScroll } from './helpers';
import { signIn, signedInAccount } from './journey';

// Issue 14 (AUTH-01, AUTH-02): a passkey as the second factor, chosen in the profile instead of
// an authenticator app, on a server whose public URL is a domain name (http://localhost:PORT,
// playwright.config.ts). Chromium's virtual authenticator (DevTools protocol, WebAuthn domain)
// plays the phone's or computer's built-in authenticator: it creates the credential, then signs
// the assertions that complete a sign-in and open the OTP session. The recovery codes still
// apply when no passkey answers.

/** A built-in authenticator that verifies its user (fingerprint, face, device PIN). */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Se connecter' })).toBeVisible();
}

test('a passkey chosen in the profile completes the sign-in and opens the OTP session; recovery codes still apply', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const email = `passkey-${testInfo.project.name}-${Date.now()}@example.org`;
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  await signedInAccount(page, email, 'Lucie Passkey');
  await hydrated(page);

  // The profile offers an app or a passkey; the passkey is named and created.
  const section = page.locator('.passkey-enrol');
  await expect(section.getByRole('heading', { name: "Clés d'accès" })).toBeVisible();
  await section.getByLabel('Nom de la clé').fill('Téléphone de Lucie');
  await section.getByRole('button', { name: "Créer une clé d'accès" }).click();
  await expect(section.getByRole('status')).toContainText("Votre clé d'accès est enregistrée");
  const codes = await section.locator('.recovery-codes code').allInnerTexts();
  expect(codes).toHaveLength(10);
  const credentials = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials.credentials).toHaveLength(1);
  expect(credentials.credentials[0].rpId).toBe('localhost');
  await section.getByRole('button', { name: 'Je les ai notés' }).click();

  // The method is the passkey, an OTP session is open, the key is listed.
  await expect(page.locator('.second-factor-method')).toHaveText("clé d'accès (passkey)");
  await expect(page.locator('.otp-left')).toBeVisible();
  await expect(page.locator('.passkey-name')).toHaveText('Téléphone de Lucie');
  await expect(page.locator('.passkey')).toContainText('jamais utilisée');
  await expectAccessible(page, 'the profile with a passkey');
  await noHorizontalScroll(page);

  // Signing in again: the password, then the passkey instead of a code.
  await signOut(page);
  await page.goto('/signin');
  await hydrated(page);
  await signIn(page, email);
  await expect(page.getByText('Confirmez avec votre clé d\'accès, ou saisissez un code de secours.')).toBeVisible();
  await expectAccessible(page, 'the sign-in waiting for a passkey');
  await page.getByRole('button', { name: "Utiliser ma clé d'accès" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await hydrated(page);
  await expect(page.locator('.otp-left')).toBeVisible();
  await expect(page.locator('.passkey')).toContainText('dernière utilisation');
  const used = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(used.credentials[0].signCount).toBeGreaterThan(0);

  // The device refuses to verify its user: no passkey answered, the page says so, and a
  // recovery code completes the sign-in instead.
  await signOut(page);
  await page.goto('/signin');
  await hydrated(page);
  await signIn(page, email);
  await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
  await page.getByRole('button', { name: "Utiliser ma clé d'accès" }).click();
  await expect(page.getByRole('alert')).toContainText("Aucune clé d'accès n'a été utilisée");
  await expect(page).toHaveURL(/\/signin/);
  await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
  await page.getByLabel('Code').fill(codes[0]);
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await hydrated(page);
  await expect(page.locator('.otp-left')).toBeVisible();

  // Removing the only passkey removes the second factor: the profile offers both again.
  await page.locator('.passkey').getByRole('button', { name: 'Retirer' }).click();
  await expect(page.locator('.second-factor-method')).toHaveText('aucune');
  await expect(page.locator('.passkey-enrol')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Activer la double authentification' })).toBeVisible();
});
