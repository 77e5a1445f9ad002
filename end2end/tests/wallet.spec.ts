import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, hydrated, noHorizontalScroll } from './helpers';
import { accountWithTotp } from './journey';

// Issue 14 (eIDAS Art. 5a, 24(1a)(a)): a person proves their identity with the EU digital
// identity wallet — a test wallet and its PID issuers (end2end/peers/eudi-wallet.mjs, the
// OpenWallet Foundation's SD-JWT libraries from npm), on a Pli server of its own configured to
// trust one of the issuers (playwright.config.ts). On a computer the wallet, on a phone, reads
// the QR code; on a phone the link opens the wallet on the same device, which sends the
// browser back to Pli. A credential from an issuer Pli does not trust is refused, and the
// profile says why.

async function startProofing(page: Page) {
  await page.goto('/profile');
  await hydrated(page);
  await page.getByRole('button', { name: 'Prouver mon identité' }).click();
  await expect(page.getByRole('heading', { name: /portefeuille européen d'identité numérique/ })).toBeVisible();
  await expect(page).toHaveURL(/\/identity\/wallet\//);
  await hydrated(page);
}

/// The wallet's consent page: who asks, what, and the person's choice.
async function shareInWallet(wallet: Page, issuer: 'trusted' | 'rogue') {
  await expect(wallet.getByRole('heading', { name: /Portefeuille d'identité de test/ })).toBeVisible();
  // Pli asks for the four claims it needs, and nothing else.
  for (const claim of ['Prénom(s)', 'Nom (family name)', 'Date de naissance', 'Lieu de naissance']) {
    await expect(wallet.getByRole('listitem').filter({ hasText: claim })).toBeVisible();
  }
  await expect(wallet.getByRole('listitem')).toHaveCount(4);
  await wallet.getByLabel('Personne').selectOption('jeanne');
  await wallet.getByLabel('Émetteur').selectOption(issuer);
  await wallet.getByRole('button', { name: 'Partager (Share)' }).click();
}

test('identity proven with the EU digital identity wallet; an untrusted issuer is refused', async ({ page, browser }, testInfo) => {
  const phone = testInfo.project.name.includes('phone');
  const email = `wallet-${testInfo.project.name}-${Date.now()}@example.org`;
  await accountWithTotp(page, email, 'Jeanne Dupont');

  await startProofing(page);
  await expectAccessible(page, 'the wallet request page');
  await noHorizontalScroll(page);
  const qr = page.locator('img.wallet-qr');
  const link = page.getByRole('link', { name: 'Ouvrir mon portefeuille' });
  await expect(link).toBeVisible();
  if (phone) {
    // A phone cannot scan its own screen: the link only.
    await expect(qr).toBeHidden();
  } else {
    await expect(qr).toBeVisible();
  }

  // First, a credential from an issuer Pli does not trust. Across devices: the wallet (on a
  // phone of its own) reads the QR code; Pli's page learns the outcome by itself.
  const scanned = await qr.getAttribute('data-request');
  expect(scanned).toContain('request_uri=');
  const phoneContext = await browser.newContext();
  const wallet = await phoneContext.newPage();
  await wallet.goto(scanned!);
  await shareInWallet(wallet, 'rogue');
  await expect(wallet.getByRole('alert')).toContainText('untrusted_issuer');
  await expect(page).toHaveURL(/\/profile\?proofing=/, { timeout: 20_000 });
  await hydrated(page);
  await expect(page.locator('.identity-status')).toContainText('la dernière vérification a échoué');
  await expect(page.locator('.identity-failure')).toContainText("d'un émetteur qui n'est pas reconnu");
  await expectAccessible(page, 'the profile after a credential from an untrusted issuer');

  // Then the PID from the trusted issuer.
  await startProofing(page);
  if (phone) {
    // On the same device: the link opens the wallet, which sends the browser back to Pli.
    await page.getByRole('link', { name: 'Ouvrir mon portefeuille' }).click();
    await shareInWallet(page, 'trusted');
  } else {
    const again = await page.locator('img.wallet-qr').getAttribute('data-request');
    await wallet.goto(again!);
    await shareInWallet(wallet, 'trusted');
    await expect(wallet.getByRole('status')).toContainText('Vous pouvez retourner sur votre ordinateur');
  }
  await expect(page).toHaveURL(/\/profile\?proofing=/, { timeout: 20_000 });
  await hydrated(page);
  await expect(page.locator('.identity-status')).toContainText('vérifiée');
  await expect(page.locator('.identity-failure')).toHaveCount(0);
  await phoneContext.close();
});
