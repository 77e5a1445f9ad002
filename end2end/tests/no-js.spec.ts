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
