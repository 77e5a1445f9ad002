import { test, expect, type Browser, type Page } from '@playwright/test';
import {
  PASSWORD,
  accountWithTotp,
  contact,
  freshCode,
  mailedPath,
  proveWithSimulator,
  qualifiedSender,
  sendLetter,
  signUpAndConfirm,
  totp,
} from './journey';

// Issue 11, "forms before hydration": every form works before (or without) the WASM client.
// The browser posts the form itself; the server answers with a redirect back to the page,
// which shows the outcome (or the error) by itself. These pages run with JavaScript off; a
// second, ordinary browser context plays the other people (and reads the development mailbox).
test.use({ javaScriptEnabled: false });

/** A page of another browser, with JavaScript (contexts inherit the file's options). */
async function newPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL, javaScriptEnabled: true });
  return context.newPage();
}

/** Signs in with the password on the page's own sign-in form (JavaScript off). */
async function signInPlain(page: Page, email: string, password = PASSWORD) {
  await page.goto('/signin');
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

test('sign-up, address confirmation and sign-in without JavaScript', async ({ page, browser, baseURL }, testInfo) => {
  const email = `nojs-${testInfo.project.name}-${Date.now()}@example.org`;
  await page.goto('/signup');
  await page.getByLabel('Nom et prénom').fill('Hélène Sansscript');
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('checkbox', { name: /Conditions d'utilisation — expéditeurs/ }).check();
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('status')).toContainText('ouvrez le lien');

  const mailbox = await newPage(browser, baseURL);
  await page.goto(await mailedPath(mailbox, email, '/confirm-email\\?token='));
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page.getByRole('status')).toContainText('Votre adresse est confirmée');

  // A wrong password: the page says so (not a raw JSON answer).
  await signInPlain(page, email, 'not the right password');
  await expect(page).toHaveURL(/\/signin\?/);
  await expect(page.locator('main')).toContainText('Adresse électronique ou mot de passe incorrect');
  await expect(page.getByLabel('Mot de passe')).toBeVisible();

  // No second factor yet: the password signs in, and the profile asks to enrol one.
  await signInPlain(page, email);
  await expect(page.getByRole('status')).toContainText('Vous êtes connecté');
  await page.getByRole('link', { name: 'Continuer' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.locator('main')).toContainText('Hélène Sansscript');
  await mailbox.context().close();
});

test('sign-in with the second-factor code without JavaScript', async ({ page, browser, baseURL }, testInfo) => {
  const email = `nojs-code-${testInfo.project.name}-${Date.now()}@example.org`;
  const other = await newPage(browser, baseURL);
  const { generator, used } = await accountWithTotp(other, email, 'Gaston Sansscript');
  await other.context().close();

  await signInPlain(page, email);
  await expect(page.getByText('Saisissez le code à 6 chiffres')).toBeVisible();
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.locator('main .error')).toBeVisible();
  await page.getByLabel('Code').fill(await freshCode(generator, used));
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('status')).toContainText('Vous êtes connecté');
  await page.getByRole('link', { name: 'Continuer' }).click();
  await expect(page).toHaveURL(/\/profile$/);
});

test('a forgotten password is reset without JavaScript', async ({ page, browser, baseURL }, testInfo) => {
  const email = `nojs-reset-${testInfo.project.name}-${Date.now()}@example.org`;
  const newPassword = 'une phrase de passe sans script';
  const other = await newPage(browser, baseURL);
  await signUpAndConfirm(other, email, 'Irène Sansscript');

  await page.goto('/signin');
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await expect(page).toHaveURL(/\/password\/forgot$/);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByRole('button', { name: 'Recevoir un lien' }).click();
  await expect(page.getByRole('status')).toContainText('Si un compte existe pour cette adresse');

  const link = await mailedPath(other, email, '/password/reset/');
  await page.goto(link);
  await page.getByLabel('Nouveau mot de passe').fill(newPassword);
  await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
  await expect(page).toHaveURL(/\/signin\?password_reset=1$/);
  await expect(page.getByRole('status')).toContainText('Votre mot de passe est changé');

  await signInPlain(page, email, newPassword);
  await expect(page.getByRole('status')).toContainText('Vous êtes connecté');
  await page.goto(link);
  await expect(page.getByRole('alert')).toContainText("Ce lien n'est plus valable");
  await expect(page.getByRole('link', { name: 'Demander un nouveau lien' })).toHaveAttribute('href', '/password/forgot');
  await other.context().close();
});

test('a recipient refuses one letter and accepts another without JavaScript', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const recipientEmail = `nojs-recipient-${stamp}@example.org`;
  // With JavaScript, elsewhere: the recipient's account (TOTP, proven identity) and the sender.
  const setup = await newPage(browser, baseURL);
  const { generator, used } = await accountWithTotp(setup, recipientEmail, 'Odile Sansscript');
  await proveWithSimulator(setup, 'Odile SANSSCRIPT');
  await expect(setup.locator('.identity-status')).toContainText('vérifiée');
  await setup.context().close();
  const sender = await newPage(browser, baseURL);
  await qualifiedSender(sender, `nojs-sender-${stamp}@example.org`, 'Alice Martin');
  await contact(sender, recipientEmail, 'Odile Sansscript', 'Sansscript SARL');
  await sendLetter(sender, `Mise en demeure ${stamp}`, 'Odile Sansscript', Buffer.from(`a ${stamp}`));
  const refusedPath = await mailedPath(sender, recipientEmail, '/received/');
  await sendLetter(sender, `Résiliation ${stamp}`, 'Odile Sansscript', Buffer.from(`b ${stamp}`));
  const acceptedPath = await mailedPath(sender, recipientEmail, '/received/');
  expect(acceptedPath).not.toBe(refusedPath);

  await signInPlain(page, recipientEmail);
  await page.getByLabel('Code').fill(await freshCode(generator, used));
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('status')).toContainText('Vous êtes connecté');

  // Refusing asks a confirmation first; the terms box is required by the browser itself.
  await page.goto(refusedPath);
  await expect(page.locator('.identified')).toContainText('SANSSCRIPT');
  await page.getByRole('button', { name: 'Refuser la lettre' }).click();
  await expect(page.locator('.refuse-confirm')).toContainText('définitif');
  await page.getByRole('button', { name: 'Oui, refuser' }).click();
  await expect(page.locator('.notice.refused')).not.toBeVisible();
  await page.getByRole('checkbox', { name: /Conditions d'utilisation — destinataires/ }).check();
  await page.getByRole('button', { name: 'Oui, refuser' }).click();
  await expect(page.locator('.notice.refused')).toBeVisible();
  await expect(page.locator('main')).not.toContainText(`Mise en demeure ${stamp}`);

  await page.goto(acceptedPath);
  await page.getByRole('checkbox', { name: /Conditions d'utilisation — destinataires/ }).check();
  await page.getByRole('button', { name: 'Accepter la lettre' }).click();
  await expect(page.locator('main')).toContainText(`Résiliation ${stamp}`);
  await expect(page.locator('main')).toContainText('Alice Martin');
  await sender.context().close();
});

/** Signs in with the password and the authenticator's code (JavaScript off). */
async function signInWithCode(page: Page, email: string, generator: ReturnType<typeof totp>, used: Set<string>) {
  await signInPlain(page, email);
  await page.getByLabel('Code').fill(await freshCode(generator, used));
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('status')).toContainText('Vous êtes connecté');
}

test('TOTP enrolment, password change and deactivation without JavaScript', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const email = `nojs-profile-${testInfo.project.name}-${Date.now()}@example.org`;
  const newPassword = 'une autre phrase de passe sans script';
  const other = await newPage(browser, baseURL);
  await signUpAndConfirm(other, email, 'Paul Sansscript');

  await signInPlain(page, email);
  await expect(page.getByRole('status')).toContainText('Vous êtes connecté');
  await page.goto('/profile');
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  // The server kept the secret begun: the page shows it again by itself.
  const secret = (await page.locator('.totp-secret').innerText()).trim();
  await expect(page.locator('img.totp-qr')).toBeVisible();
  const generator = totp(secret);
  const used = new Set<string>(['000000']);
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.locator('#totp-confirm-error')).toBeVisible();
  await expect(page.getByLabel('Code')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('.totp-secret')).toHaveText(secret);
  await page.getByLabel('Code').fill(await freshCode(generator, used));
  await page.getByRole('button', { name: 'Confirmer' }).click();
  // The recovery codes, once, until the user says they kept them.
  await expect(page.locator('main')).toContainText("Votre application d'authentification est enregistrée");
  await expect(page.locator('.recovery-codes li')).toHaveCount(10);
  await page.getByRole('button', { name: 'Je les ai notés' }).click();
  await expect(page.locator('.recovery-codes')).toHaveCount(0);
  await expect(page.locator('.otp-left')).toBeVisible();
  await page.reload();
  await expect(page.locator('.recovery-codes')).toHaveCount(0);

  // The password change: a wrong current password is tied to its field, then the change.
  await page.getByLabel('Mot de passe actuel').fill('not my password at all');
  await page.getByLabel('Nouveau mot de passe').fill(newPassword);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(page.locator('#password-change-error')).toContainText("Ce n'est pas votre mot de passe actuel");
  await expect(page.getByLabel('Mot de passe actuel')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Mot de passe actuel').fill(PASSWORD);
  await page.getByLabel('Nouveau mot de passe').fill(newPassword);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(page.locator('.password-change').getByRole('status')).toContainText('Votre mot de passe est changé');
  await expect(page.locator('.otp-left')).toBeVisible();
  expect(await mailedPath(other, email, '/password/forgot')).toBe('/password/forgot');
  await expect(other.locator('.mail-text')).toContainText('autres sessions ont été fermées');

  // Deactivation lands on the sign-in page's notice.
  await page.getByLabel('Je veux désactiver mon compte').check();
  await page.getByRole('button', { name: 'Désactiver mon compte' }).click();
  await expect(page).toHaveURL(/\/signin\?deactivated=1$/);
  await expect(page.getByRole('status')).toContainText('Votre compte est désactivé');
  await other.context().close();
});

test('the authenticator app is replaced, then removed, without JavaScript', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const email = `nojs-totp-${testInfo.project.name}-${Date.now()}@example.org`;
  const other = await newPage(browser, baseURL);
  const { generator, used } = await accountWithTotp(other, email, 'Rémi Sansscript');
  await other.context().close();

  await signInWithCode(page, email, generator, used);
  await page.goto('/profile');
  await page.getByRole('button', { name: "Changer d'application" }).click();
  await expect(page).toHaveURL(/replace=1/);
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  const secret = (await page.locator('.totp-secret').innerText()).trim();
  const replacement = totp(secret);
  const replacementUsed = new Set<string>();
  await page.getByLabel('Code').fill(await freshCode(replacement, replacementUsed));
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.locator('.recovery-codes li')).toHaveCount(10);
  await page.getByRole('button', { name: 'Je les ai notés' }).click();
  await expect(page.locator('.otp-left')).toBeVisible();

  await page.getByRole('button', { name: 'Retirer la double authentification' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'La double authentification est retirée' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Activer la double authentification' })).toBeVisible();
});

test('contacts, consent requests and answers without JavaScript', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const senderEmail = `nojs-contacts-${stamp}@example.org`;
  const privateEmail = `nojs-private-${stamp}@example.org`;
  const refusingEmail = `nojs-refusing-${stamp}@example.org`;
  const revokingEmail = `nojs-revoking-${stamp}@example.org`;
  // With JavaScript, elsewhere: the sender's account (a consent request is a qualified action)
  // and the private recipient's own account (to withdraw the consent later).
  const setup = await newPage(browser, baseURL);
  const sender = await qualifiedSender(setup, senderEmail, 'Alice Sansscript');
  await setup.context().close();
  const mailbox = await newPage(browser, baseURL);
  const recipient = await accountWithTotp(mailbox, privateEmail, 'Bruno Sansscript');

  await signInWithCode(page, senderEmail, sender.generator, sender.used);
  await page.goto('/contacts');
  const form = page.locator('form.contact-form');
  // A professional without a company name: the error, tied to the field.
  await form.getByLabel('Nom', { exact: true }).fill('Durand SARL');
  await form.getByLabel('Adresse électronique').fill(`nojs-pro-${stamp}@example.org`);
  await form.getByRole('checkbox').check();
  await expect(form.getByLabel("Nom de l'entreprise")).toBeVisible();
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.locator('#contact-error')).toBeVisible();
  await form.getByLabel('Nom', { exact: true }).fill('Claire Durand');
  await form.getByLabel('Adresse électronique').fill(`nojs-pro-${stamp}@example.org`);
  await form.getByRole('checkbox').check();
  await form.getByLabel("Nom de l'entreprise").fill('Durand SARL');
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.locator('.contact-editor').getByRole('status')).toContainText('Contact enregistré');
  await expect(page.locator(`li.contact[data-email="nojs-pro-${stamp}@example.org"]`)).toContainText('Durand SARL');
  for (const [email, name] of [
    [privateEmail, 'Bruno Sansscript'],
    [refusingEmail, 'Denise Sansscript'],
    [revokingEmail, 'Eve Sansscript'],
  ]) {
    await form.getByLabel('Nom', { exact: true }).fill(name);
    await form.getByLabel('Adresse électronique').fill(email);
    await form.getByRole('button', { name: 'Enregistrer' }).click();
    await expect(page.locator(`li.contact[data-email="${email}"]`)).toBeVisible();
    await page.locator(`li.contact[data-email="${email}"]`).getByRole('button', { name: 'Demander le consentement' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Demande de consentement envoyée' })).toBeVisible();
    await expect(page.locator(`li.contact[data-email="${email}"] .consent-status`)).toHaveAttribute('data-consent', 'requested');
  }

  // The emailed links' page: refuse; grant, then withdraw from it; grant.
  const granted = await mailedPath(mailbox, privateEmail, '/consent/');
  const refused = await mailedPath(mailbox, refusingEmail, '/consent/');
  const revoked = await mailedPath(mailbox, revokingEmail, '/consent/');
  await page.goto(refused);
  await page.getByRole('button', { name: 'Je refuse' }).click();
  await expect(page.locator('.consent-request')).toHaveAttribute('data-consent', 'refused');
  await page.goto(revoked);
  await page.getByRole('button', { name: "J'accorde mon consentement" }).click();
  await expect(page.locator('.consent-request')).toHaveAttribute('data-consent', 'granted');
  await page.getByRole('button', { name: 'Retirer mon consentement' }).click();
  await expect(page.locator('.consent-request')).toHaveAttribute('data-consent', 'revoked');
  await page.goto(granted);
  await page.getByRole('button', { name: "J'accorde mon consentement" }).click();
  await expect(page.locator('.consent-request')).toHaveAttribute('data-consent', 'granted');
  await page.goto('/contacts');
  await expect(page.locator(`li.contact[data-email="${privateEmail}"] .consent-status`)).toHaveAttribute('data-consent', 'granted');

  // The recipient withdraws it from the consents they granted.
  await page.context().clearCookies();
  await signInWithCode(page, privateEmail, recipient.generator, recipient.used);
  await page.goto('/consents');
  await expect(page.locator('.granted-consent')).toContainText('Alice Sansscript');
  await page.getByRole('button', { name: 'Retirer mon consentement' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Consentement retiré' })).toBeVisible();
  await expect(page.locator('.granted-consent')).toHaveCount(0);
  await mailbox.context().close();
});

test('a deactivated recipient proves their identity and reactivates at the reception without JavaScript', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const recipientEmail = `nojs-former-${stamp}@example.org`;
  const setup = await newPage(browser, baseURL);
  await accountWithTotp(setup, recipientEmail, 'Emma Sansscript');
  await setup.getByLabel('Je veux désactiver mon compte').check();
  await setup.getByRole('button', { name: 'Désactiver mon compte' }).click();
  await expect(setup).toHaveURL(/\/signin\?deactivated=1$/);
  await setup.context().close();
  const sender = await newPage(browser, baseURL);
  await qualifiedSender(sender, `nojs-sender3-${stamp}@example.org`, 'Alice Martin');
  await contact(sender, recipientEmail, 'Emma Sansscript', 'Sansscript SA');
  await sendLetter(sender, `Relance ${stamp}`, 'Emma Sansscript', Buffer.from(`Relance ${stamp}`));

  await page.goto(await mailedPath(sender, recipientEmail, '/received/'));
  await page.getByRole('button', { name: 'Prouver mon identité' }).click();
  await expect(page).toHaveURL(/\/dev\/identity\//);
  await page.getByLabel('Nom lu sur la pièce').fill('Emma SANSSCRIPT');
  await page.getByLabel('Identité vérifiée').check();
  await page.getByRole('button', { name: 'Envoyer le résultat' }).click();
  await expect(page).toHaveURL(/\/received\//);
  await expect(page.locator('.verified-name')).toHaveText('Emma SANSSCRIPT');
  await page.getByRole('button', { name: 'Réactiver mon compte' }).click();
  await expect(page.locator('.account-offer')).toContainText('Votre compte est réactivé');
  await sender.context().close();
});

test('compose keeps the draft without JavaScript and says what needs it', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const senderEmail = `nojs-compose-${stamp}@example.org`;
  const setup = await newPage(browser, baseURL);
  const { generator, used } = await qualifiedSender(setup, senderEmail, 'Alice Sansscript');
  await contact(setup, `nojs-to-${stamp}@example.org`, 'Gilles Sansscript', 'Sansscript SAS');

  await signInWithCode(page, senderEmail, generator, used);
  await page.goto('/compose');
  const notice = page.locator('.compose-noscript');
  await expect(notice).toContainText('Ajouter des documents et envoyer la lettre demandent JavaScript');
  await expect(notice).toContainText('haché dans votre navigateur');
  await expect(notice).toContainText('brouillon, qui est conservé');
  await page.getByLabel('Objet').fill(`Sans script ${stamp}`);
  await page.getByLabel('Message (facultatif)').fill('Écrit sans JavaScript.');
  await page.getByRole('checkbox', { name: /Gilles Sansscript/ }).check();
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await expect(page).toHaveURL(/\/compose\/[^/?]+\?__done=/);
  await expect(page.getByRole('status').filter({ hasText: 'Brouillon enregistré' })).toBeVisible();
  await expect(page.getByLabel('Objet')).toHaveValue(`Sans script ${stamp}`);
  await expect(page.getByLabel('Message (facultatif)')).toHaveValue('Écrit sans JavaScript.');
  await expect(page.getByRole('checkbox', { name: /Gilles Sansscript/ })).toBeChecked();
  const draftPath = new URL(page.url()).pathname;

  // Saved again, on the same draft: no new one.
  await page.getByLabel('Objet').fill(`Sans script, relu ${stamp}`);
  await page.getByRole('checkbox', { name: /Gilles Sansscript/ }).uncheck();
  await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
  await expect(page).toHaveURL(new RegExp(`${draftPath}\\?__done=`));
  await expect(page.getByLabel('Objet')).toHaveValue(`Sans script, relu ${stamp}`);
  await expect(page.getByRole('checkbox', { name: /Gilles Sansscript/ })).not.toBeChecked();

  // The draft is there for the same sender with JavaScript, who may add documents and send.
  await setup.goto(draftPath);
  await expect(setup.getByLabel('Objet')).toHaveValue(`Sans script, relu ${stamp}`);
  await setup.context().close();
});
