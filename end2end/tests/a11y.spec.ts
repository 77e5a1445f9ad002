import { test, expect, type Page } from '@playwright/test';
import { expectAccessible, hydrated } from './helpers';
import {
  PASSWORD,
  acceptRecipientTerms,
  accountWithTotp,
  contact,
  freshCode,
  mailedPath,
  newPage,
  sendLetter,
  signDevelopmentContract,
  signedInAccount,
  totp,
} from './journey';

// Issue 11, accessibility (WCAG 2.1 AA, RGAA 4.1): axe-core over every page state — public
// pages, the signed-in pages of a sender, a letter from compose to its acceptance, the
// development pages —, on desktop and phone; then the keyboard: the skip link, the focus on
// the heading after a client-side navigation, errors tied to their fields.

/** Goes to `path`, waits for the client, and checks the page. */
async function visit(page: Page, path: string, label: string) {
  await page.goto(path);
  await hydrated(page);
  await expectAccessible(page, label);
}

test('public and development pages pass axe-core', async ({ page, request }) => {
  test.setTimeout(300_000);
  await visit(page, '/', 'home');
  await visit(page, '/signup', 'sign-up');
  await visit(page, '/signin', 'sign-in');
  await page.getByLabel('Adresse électronique').fill('nobody@example.org');
  await page.getByLabel('Mot de passe').fill('not the password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'sign-in with an error');
  await visit(page, '/policy', 'policy');
  await visit(page, '/terms/senders', 'sender terms');
  await visit(page, '/terms/recipients', 'recipient terms');
  await visit(page, '/accessibilite', 'accessibility statement');
  await visit(page, '/no-such-page', 'not found');
  await visit(page, '/confirm-email?token=unknown', 'address confirmation');
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'address confirmation with an error');

  // Verify: empty, then with the report of an evidence (a sealed journal checkpoint).
  await visit(page, '/dev/evidence', 'development evidence');
  await page.getByRole('button', { name: 'Sceller un point de contrôle du journal' }).click();
  await expect(page.getByRole('status')).toBeVisible();
  await expectAccessible(page, 'development evidence, a checkpoint sealed');
  const checkpoint = page.locator('.evidence-list a').filter({ hasText: 'Point de contrôle du journal' }).first();
  const pdf = Buffer.from(await (await request.get((await checkpoint.getAttribute('href'))!)).body());
  await visit(page, '/verify', 'verify');
  await page.getByLabel('Choisir la preuve (PDF)').setInputFiles({ name: 'preuve.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: 'Vérifier', exact: true }).click();
  await expect(page.locator('.report .verdict')).toContainText('Preuve valide');
  await expectAccessible(page, 'verify with a report');
  await page.getByLabel('Choisir le fichier').setInputFiles({ name: 'x.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
  await expect(page.locator('.file-sha256')).toBeVisible();
  await expectAccessible(page, 'verify with a hashed file');

  await visit(page, '/dev/clock', 'development clock');
  await visit(page, '/dev/mailbox', 'development mailbox');
  const mail = page.locator('.mail-list a').first();
  if (await mail.count()) {
    await mail.click();
    await expect(page.locator('.mail-text')).toBeVisible();
    // The email's own HTML is shown in a sandboxed iframe (no scripts): axe cannot be injected
    // there and waits for it until the test times out. The page around it is checked; the
    // email is not a page of the service.
    await page.locator('iframe').evaluateAll((frames) => frames.forEach((frame) => frame.remove()));
    await expectAccessible(page, 'a development mail');
  }

  // The same pages in English keep their structure; one is enough to catch a missing text.
  await page.goto('/');
  await hydrated(page);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expectAccessible(page, 'home in English');
  await visit(page, '/accessibilite', 'accessibility statement in English');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accessibility statement');
});

test('signed-in pages and a letter from compose to acceptance pass axe-core', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(300_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const senderEmail = `a11y-sender-${stamp}@example.org`;
  const recipientEmail = `a11y-recipient-${stamp}@example.org`;

  // The profile at each step of an account: no second factor, enrolment, recovery codes,
  // enrolled, identity proven.
  await signedInAccount(page, senderEmail, 'Alice Martin');
  await hydrated(page);
  await expectAccessible(page, 'profile without a second factor');
  await visit(page, '/contacts', 'contacts before a second factor');
  await page.goto('/profile');
  await hydrated(page);
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  const secret = (await page.locator('.totp-secret').innerText()).trim();
  await expectAccessible(page, 'TOTP enrolment');
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'TOTP enrolment with an error');
  const generator = totp(secret);
  const used = new Set<string>(['000000']);
  await page.getByLabel('Code').fill(await freshCode(generator, used));
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.locator('.recovery-codes')).toBeVisible();
  await expectAccessible(page, 'recovery codes');
  await page.getByRole('button', { name: 'Je les ai notés' }).click();
  await expect(page.locator('.otp-left')).toBeVisible();
  await expectAccessible(page, 'profile with a second factor');
  await page.getByRole('button', { name: 'Prouver mon identité' }).click();
  await expect(page).toHaveURL(/\/dev\/identity\//);
  await page.waitForLoadState('load');
  await hydrated(page);
  await expectAccessible(page, 'identity simulator');
  await page.getByLabel('Nom lu sur la pièce').fill('Alice Martin');
  await page.getByLabel('Identité vérifiée').check();
  await page.getByRole('button', { name: 'Envoyer le résultat' }).click();
  await expect(page.locator('.identity-status')).toContainText('vérifiée');
  await hydrated(page);
  await expectAccessible(page, 'profile with a proven identity');
  // The customer space without a customer, then the development contract (policy §4.3).
  await visit(page, '/customer', 'customer space without a customer');
  await signDevelopmentContract(page);

  // The password change (issue 11): a wrong current password tied to its field, then done.
  await page.getByLabel('Mot de passe actuel').fill('not the password');
  await page.getByLabel('Nouveau mot de passe').fill('a new password, long enough');
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(page.locator('#password-change-error')).toBeVisible();
  await expect(page.getByLabel('Mot de passe actuel')).toHaveAttribute('aria-invalid', 'true');
  await expectAccessible(page, 'profile, password change with an error');
  await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(page.locator('.password-change').getByRole('status')).toBeVisible();
  await expectAccessible(page, 'profile, password changed');

  // Contacts: empty, an error shown, the list; the consents granted.
  await visit(page, '/contacts', 'contacts, empty');
  const form = page.locator('form.contact-form');
  await form.getByLabel('Nom', { exact: true }).fill('Bruno Durand');
  await form.getByLabel('Adresse électronique').fill(recipientEmail);
  await form.getByRole('checkbox').check();
  await form.getByLabel("Nom de l'entreprise").fill(' ');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'contacts with an error');
  await contact(page, recipientEmail, 'Bruno Durand', 'Durand SARL');
  await contact(page, `private-${stamp}@example.org`, 'Chloé Petit');
  await expectAccessible(page, 'contacts, a list');
  await visit(page, '/consents', 'consents granted');

  // Compose: an error shown (nothing filled in), then a letter sent.
  await page.goto('/compose');
  await hydrated(page);
  await expectAccessible(page, 'compose');
  await page.getByRole('button', { name: 'Envoyer la lettre recommandée' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await expectAccessible(page, 'compose with an error');
  // The error (from the Send button) is tied to the subject, until the subject is given.
  const subject = page.getByLabel('Objet');
  await expect(subject).toHaveAttribute('aria-invalid', 'true');
  await expect(subject).toHaveAccessibleDescription(/.+/);
  await subject.fill('Objet');
  await expect(subject).not.toHaveAttribute('aria-invalid');
  // The summary to confirm before sending (issue 11), then the letter sent.
  await sendLetter(page, `Mise en demeure ${stamp}`, 'Bruno Durand', Buffer.from(`a11y ${stamp}`), (page) =>
    expectAccessible(page, 'compose, the send summary to confirm'),
  );
  await expectAccessible(page, 'a sent letter');
  const sentUrl = page.url();
  await visit(page, '/sent', 'sent letters');
  await visit(page, '/sent?q=nothing-like-this', 'sent letters, none found');
  await visit(page, '/inbox', 'inbox, empty');

  // The recipient: an account of their own (the inbox), the reception at each step.
  const recipient = await newPage(browser, baseURL);
  const link = await mailedPath(recipient, recipientEmail, '/received/');
  await accountWithTotp(recipient, recipientEmail, 'Bruno Durand');
  await visit(recipient, '/inbox', 'inbox');
  await visit(recipient, link, 'reception, awaiting identification');
  await recipient.getByRole('button', { name: 'Prouver mon identité' }).click();
  await expect(recipient).toHaveURL(/\/dev\/identity\//);
  await recipient.waitForLoadState('load');
  await hydrated(recipient);
  await recipient.getByLabel('Nom lu sur la pièce').fill('Bruno DURAND');
  await recipient.getByLabel('Identité vérifiée').check();
  await recipient.getByRole('button', { name: 'Envoyer le résultat' }).click();
  await expect(recipient).toHaveURL(/\/received\//);
  await recipient.waitForLoadState('load');
  await hydrated(recipient);
  await expect(recipient.getByRole('button', { name: 'Accepter la lettre' })).toBeVisible();
  await expectAccessible(recipient, 'reception, identified, the decision');
  await recipient.getByText('Lire les conditions ici').click();
  await expectAccessible(recipient, 'reception, the terms open');
  await acceptRecipientTerms(recipient);
  await recipient.getByRole('button', { name: 'Refuser la lettre' }).click();
  await expect(recipient.locator('.refuse-confirm')).toBeVisible();
  await expectAccessible(recipient, 'reception, refusal to confirm');
  await recipient.getByRole('button', { name: 'Annuler' }).click();
  await recipient.getByRole('button', { name: 'Accepter la lettre' }).click();
  await expect(recipient.locator('.notice.accepted')).toBeVisible();
  await expectAccessible(recipient, 'reception, accepted');
  await visit(recipient, '/inbox', 'inbox, a letter accepted');
  await recipient.context().close();

  await visit(page, sentUrl, 'a sent letter, accepted');
});

test('keyboard: the skip link is reached first and moves the focus to the content', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.keyboard.press('Tab');
  const skip = page.locator('.skip-link');
  await expect(skip).toBeFocused();
  await expect(skip).toHaveText('Aller au contenu');
  await expect(skip).toBeInViewport();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  // The next Tab goes on inside the content, past the header.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('main') !== null)).toBe(true);
});

test('keyboard: the skip link works before the client too', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/signin');
  await page.keyboard.press('Tab');
  await expect(page.locator('.skip-link')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  await context.close();
});

test('after a client-side navigation the focus is on the new page heading', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  // Not on the first load: the page starts at its top, the focus nowhere in particular.
  await expect(page.locator('main h1')).not.toBeFocused();
  // A lazy page (its module loaded on demand), then one of the main module.
  await page.getByRole('contentinfo').getByRole('link', { name: 'Politique du service' }).click();
  await expect(page).toHaveURL(/\/policy$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Politique');
  await page.getByRole('banner').getByRole('link', { name: 'Se connecter' }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Se connecter' })).toBeFocused();
  await page.getByRole('contentinfo').getByRole('link', { name: /Accessibilité/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Déclaration d'accessibilité" })).toBeFocused();
});

test('errors are tied to their fields and untied once fixed', async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await page.goto('/signin');
  await hydrated(page);
  const email = page.getByLabel('Adresse électronique');
  const password = page.getByLabel('Mot de passe');
  await expect(email).not.toHaveAttribute('aria-invalid');
  await email.fill('nobody@example.org');
  await password.fill('not the password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('mot de passe incorrect');
  const id = await alert.getAttribute('id');
  expect(id).toBeTruthy();
  for (const field of [email, password]) {
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(field).toHaveAttribute('aria-describedby', id!);
    // What a screen reader says with the field: its label and the error.
    await expect(field).toHaveAccessibleDescription(/mot de passe incorrect/);
  }
  // Changing the address fixes that field only; the message stays while the password is
  // still the refused one.
  await email.fill('somebody@example.org');
  await expect(email).not.toHaveAttribute('aria-invalid');
  await expect(email).not.toHaveAttribute('aria-describedby');
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(alert).toBeVisible();
  await password.fill(PASSWORD);
  await expect(password).not.toHaveAttribute('aria-invalid');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // A code that is not one: tied to the code field until it has the form of a code.
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  await signedInAccount(page, `a11y-fields-${stamp}@example.org`, 'Alice Martin');
  await page.goto('/profile');
  await hydrated(page);
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  await page.getByLabel('Code').fill('12');
  await page.getByRole('button', { name: 'Confirmer' }).click();
  const code = page.getByLabel('Code');
  await expect(code).toHaveAttribute('aria-invalid', 'true');
  await expect(code).toHaveAccessibleDescription(/.+/);
  await code.fill('123456');
  await expect(code).not.toHaveAttribute('aria-invalid');
});
