import { test, expect } from '@playwright/test';
import { hydrated, noHorizontalScroll } from './helpers';
import { accountWithTotp, contact, enrolTotp, mailedPath, proveWithSimulator, qualifiedSender, signedInAccount } from './journey';

// Issue 5 (CONS-01..CONS-03, CONS-05): a sender creates contacts, asks a private person's
// consent; the recipient opens the emailed link from the development mailbox and grants it;
// the sender's list shows it granted; the recipient withdraws it from the same link.

test('contacts, consent request, grant from the emailed link, revocation (CONS-01..03, CONS-05)', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const sender = `sender-${stamp}@example.org`;
  const recipient = `bob-${stamp}@example.org`;
  // Policy §6, §13.7: before enrolling a second factor, an account can only enrol it.
  await signedInAccount(page, sender, 'Alice Martin');
  await page.goto('/contacts');
  await hydrated(page);
  await expect(page.getByRole('alert')).toContainText('double authentification');
  // Asking consent discloses the sender: two factors and a proven identity (policy §5.1).
  await page.goto('/profile');
  await hydrated(page);
  await enrolTotp(page);
  await proveWithSimulator(page, 'Alice Martin');
  await expect(page.locator('.identity-status')).toContainText('vérifiée');

  await page.getByRole('banner').getByRole('link', { name: 'Contacts' }).click();
  await expect(page).toHaveURL(/\/contacts$/);
  await expect(page.locator('.contacts-empty')).toBeVisible();

  // CONS-05: a professional needs a company name (a blank one is refused, the input stays)
  // and no consent.
  const form = page.locator('form.contact-form');
  await form.getByLabel('Nom', { exact: true }).fill('Service juridique');
  await form.getByLabel('Adresse électronique').fill(`legal-${stamp}@acme.example`);
  await form.getByRole('checkbox').check();
  await form.getByLabel("Nom de l'entreprise").fill(' ');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('alert')).toContainText("nom de l'entreprise");
  await expect(form.getByLabel('Nom', { exact: true })).toHaveValue('Service juridique');
  await form.getByLabel("Nom de l'entreprise").fill('ACME SAS');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  const acme = page.locator(`li.contact[data-email="legal-${stamp}@acme.example"]`);
  await expect(acme.locator('.consent-status')).toHaveAttribute('data-consent', 'not-needed');
  await expect(acme).toContainText('ACME SAS');
  await expect(acme.getByRole('button', { name: 'Demander le consentement' })).toHaveCount(0);

  // CONS-01: a private person; the form is empty again after a save.
  await expect(form.getByLabel('Nom', { exact: true })).toHaveValue('');
  await form.getByLabel('Nom', { exact: true }).fill('Bob Durand');
  await form.getByLabel('Adresse électronique').fill(recipient);
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  const bob = page.locator(`li.contact[data-email="${recipient}"]`);
  await expect(bob.locator('.consent-status')).toHaveAttribute('data-consent', 'none');

  // Edit the name.
  await bob.getByRole('button', { name: 'Modifier' }).click();
  await expect(page.getByRole('heading', { name: 'Modifier le contact' })).toBeVisible();
  await form.getByLabel('Nom', { exact: true }).fill('Bob Durand-Petit');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(bob.locator('.contact-name')).toHaveText('Bob Durand-Petit');

  // CONS-02: ask for consent.
  await bob.getByRole('button', { name: 'Demander le consentement' }).click();
  await expect(bob.locator('.consent-status')).toHaveAttribute('data-consent', 'requested');
  await page.setViewportSize({ width: 360, height: 740 });
  await noHorizontalScroll(page);

  // The recipient opens the link from the development mailbox (no account needed).
  const link = await mailedPath(page, recipient, '/consent/');
  await page.goto(link);
  await hydrated(page);
  await expect(page.locator('.consent-sender')).toContainText('Alice Martin');
  await expect(page.locator('.consent-sender')).toContainText(sender);
  await expect(page.locator('.consent-recipient')).toHaveText(recipient);
  await noHorizontalScroll(page);
  await page.getByRole('button', { name: "J'accorde mon consentement" }).click();
  await expect(page.locator('.consent-request')).toHaveAttribute('data-consent', 'granted');

  // The sender's list shows it granted.
  await page.goto('/contacts');
  await hydrated(page);
  await expect(bob.locator('.consent-status')).toHaveAttribute('data-consent', 'granted');
  await expect(bob.locator('.consent-status')).toContainText('Consentement accordé');
  await noHorizontalScroll(page);

  // CONS-03: the same link withdraws it; the sender sees it withdrawn.
  await page.goto(link);
  await hydrated(page);
  await page.getByRole('button', { name: 'Retirer mon consentement' }).click();
  await expect(page.locator('.consent-request')).toHaveAttribute('data-consent', 'revoked');
  await page.goto('/contacts');
  await hydrated(page);
  await expect(bob.locator('.consent-status')).toHaveAttribute('data-consent', 'revoked');
  await expect(bob.getByRole('button', { name: 'Redemander le consentement' })).toBeVisible();
});

test('an account holder withdraws a consent from /consents (CONS-03)', async ({ page, browser }, testInfo) => {
  test.setTimeout(120_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const sender = `sender2-${stamp}@example.org`;
  const recipient = `carol-${stamp}@example.org`;

  // Carol has an account, signed in in her own browser.
  const carolBrowser = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const carol = await carolBrowser.newPage();
  await accountWithTotp(carol, recipient, 'Carol Petit');

  // Alice asks for Carol's consent; Carol grants it from the emailed link.
  await qualifiedSender(page, sender, 'Alice Martin');
  await contact(page, recipient, 'Carol Petit');
  const carolContact = page.locator(`li.contact[data-email="${recipient}"]`);
  await carolContact.getByRole('button', { name: 'Demander le consentement' }).click();
  await expect(carolContact.locator('.consent-status')).toHaveAttribute('data-consent', 'requested');
  await carol.goto(await mailedPath(carol, recipient, '/consent/'));
  await hydrated(carol);
  await carol.getByRole('button', { name: "J'accorde mon consentement" }).click();
  await expect(carol.locator('.consent-request')).toHaveAttribute('data-consent', 'granted');

  // Carol sees Alice among the consents she granted and withdraws it.
  await carol.goto('/contacts');
  await hydrated(carol);
  await carol.getByRole('link', { name: "Consentements que j'ai accordés" }).click();
  await expect(carol).toHaveURL(/\/consents$/);
  const granted = carol.locator('li.granted-consent');
  await expect(granted).toHaveCount(1);
  await expect(granted).toContainText('Alice Martin');
  await expect(granted).toContainText(sender);
  await carol.setViewportSize({ width: 360, height: 740 });
  await noHorizontalScroll(carol);
  await granted.getByRole('button', { name: 'Retirer mon consentement' }).click();
  await expect(carol.locator('.consents-empty')).toBeVisible();

  // Alice's list shows it withdrawn.
  await page.goto('/contacts');
  await hydrated(page);
  await expect(carolContact.locator('.consent-status')).toHaveAttribute('data-consent', 'revoked');
  await carolBrowser.close();
});
