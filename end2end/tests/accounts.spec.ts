import { test, expect } from '@playwright/test';
import { hydrated, noHorizontalScroll } from './helpers';
import { accountWithTotp, consoleProblems, freshCode, mailedPath, signIn, signUpAndConfirm, totp } from './journey';

// Issue 4 (AUTH-01, AUTH-02, AUTH-05): sign up → confirm the address from the development
// mailbox → enrol TOTP with codes computed here → sign out → sign in with a code → the profile
// shows TOTP and the OTP session's time left.

test('sign up, confirm, enrol TOTP, sign out, sign in with a code', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const problems: string[] = [];
  consoleProblems(page, problems);
  const email = `alice-${testInfo.project.name}-${Date.now()}@example.org`;

  await signUpAndConfirm(page, email, 'Alice Martin');

  await page.getByRole('link', { name: 'Se connecter' }).last().click();
  await expect(page).toHaveURL(/\/signin$/);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.locator('.second-factor-method')).toHaveText('aucune');

  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  await expect(page.locator('img.totp-qr')).toHaveAttribute('src', /^data:image\/png;base64,/);
  const secret = (await page.locator('.totp-secret').innerText()).trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const generator = totp(secret);
  const used = new Set<string>();
  await page.getByLabel('Code').fill(await freshCode(generator, used));
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.locator('.recovery-codes li')).toHaveCount(10);
  await page.getByRole('button', { name: 'Je les ai notés' }).click();
  await expect(page.locator('.second-factor-method')).toContainText('TOTP');
  await expect(page.locator('.otp-left')).toHaveText(/^1[45]:\d\d$/);

  await page.getByRole('button', { name: 'Se déconnecter' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole('banner').getByRole('link', { name: 'Se connecter' })).toBeVisible();

  // Signing in from a page of the site (e.g. a received letter) leads back to it.
  await page.goto('/signin?next=/inbox');
  await hydrated(page);
  await signIn(page, email);
  await expect(page.getByText('Saisissez le code à 6 chiffres')).toBeVisible();
  await page.getByLabel('Code').fill('000000');
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page.getByRole('alert')).toContainText('incorrect');
  await page.getByLabel('Code').fill(await freshCode(generator, used));
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page).toHaveURL(/\/inbox$/);
  await page.getByRole('banner').getByRole('link', { name: 'Mon compte' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.locator('.profile-email')).toHaveText(email);
  await expect(page.locator('.second-factor-method')).toContainText('TOTP');
  await expect(page.locator('.otp-left')).toBeVisible();

  // Within the OTP session, the app can be removed (journaled as a 2FA revocation).
  await page.getByRole('button', { name: 'Retirer la double authentification' }).click();
  await expect(page.locator('.second-factor-method')).toHaveText('aucune');
  expect(problems, 'the strict CSP blocks nothing the app needs, no panic').toEqual([]);
});

test('15 idle minutes in the browser sign out (AUTH-03)', async ({ page }, testInfo) => {
  const email = `idle-${testInfo.project.name}-${Date.now()}@example.org`;
  await signUpAndConfirm(page, email, 'Alice Martin');
  // Fake timers from here on (the next page load picks them up).
  await page.clock.install();
  await page.goto('/signin');
  await hydrated(page);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.locator('.profile-email')).toHaveText(email);

  await page.clock.fastForward('14:50');
  await expect(page).toHaveURL(/\/profile$/);
  await page.clock.fastForward('00:15');
  await expect(page).toHaveURL(/\/signin\?reason=inactivity$/);
  await expect(page.getByRole('status')).toContainText("15 minutes d'inactivité");
  await page.goto('/profile');
  await expect(page.getByText('Connectez-vous pour continuer.')).toBeVisible();
});

// Issue 11: typing is activity. A person writing for 20 minutes without changing page stays
// signed in; 15 minutes without a key or a click still sign out.
test('keys and clicks count as activity (AUTH-03)', async ({ page }, testInfo) => {
  const email = `typing-${testInfo.project.name}-${Date.now()}@example.org`;
  await signUpAndConfirm(page, email, 'Alice Martin');
  await page.clock.install();
  await page.goto('/signin');
  await hydrated(page);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.locator('.profile-email')).toHaveText(email);

  for (let minute = 0; minute < 20; minute += 5) {
    await page.clock.fastForward('05:00');
    await page.keyboard.press('Shift');
  }
  await page.clock.fastForward('01:00');
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.locator('.profile-email')).toHaveText(email);
  // The last key's report (a session-state fetch) re-arms the page's 15-minute timer when its
  // answer comes: let it come before the clock jumps, or under load it re-arms after the jump.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  await page.clock.fastForward('15:10');
  await expect(page).toHaveURL(/\/signin\?reason=inactivity$/);
});

// ID-01, ID-04, ACC-01, ACC-02: identity proofing with the simulator, then deactivation and
// reactivation through the emailed link.
test('prove identity with the simulator, deactivate, reactivate', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  const email = `bob-${testInfo.project.name}-${Date.now()}@example.org`;
  // Policy §6, §13.7: the second factor comes first, then anything else (here the proofing).
  const { generator, used } = await accountWithTotp(page, email, 'Alice Martin');
  await expect(page.locator('.identity-status')).toContainText('non vérifiée');

  await page.getByRole('button', { name: 'Prouver mon identité' }).click();
  await expect(page).toHaveURL(/\/dev\/identity\//);
  await hydrated(page);
  await expect(page.locator('.simulator-warning')).toContainText('NON QUALIFIÉ');
  await page.getByLabel('Nom lu sur la pièce').fill('Alice MARTIN');
  await page.getByLabel('Identité vérifiée').check();
  await page.getByRole('button', { name: 'Envoyer le résultat' }).click();
  await expect(page).toHaveURL(/\/profile\?proofing=/);
  await expect(page.locator('.identity-status')).toContainText('vérifiée');
  await expect(page.locator('.identity-status')).toContainText('non qualifié');
  await expect(page.getByRole('button', { name: 'Prouver mon identité' })).toHaveCount(0);

  await hydrated(page);
  await page.getByLabel('Je veux désactiver mon compte').check();
  await page.getByRole('button', { name: 'Désactiver mon compte' }).click();
  await expect(page).toHaveURL(/\/signin\?deactivated=1$/);
  await expect(page.getByRole('status')).toContainText('Votre compte est désactivé');
  expect(await mailedPath(page, email, '/signin\\?reactivate=1')).toBe('/signin?reactivate=1');

  await page.goto('/signin?reactivate=1');
  await hydrated(page);
  await expect(page.getByRole('status')).toContainText('lien de réactivation');
  await signIn(page, email);
  await expect(page.getByRole('alert')).toContainText('Ce compte est désactivé');

  await page.goto(await mailedPath(page, email, '/reactivate\\?token='));
  await hydrated(page);
  await page.getByRole('button', { name: 'Réactiver mon compte' }).click();
  await expect(page).toHaveURL(/\/signin\?reactivated=1$/);
  await expect(page.getByRole('status')).toContainText('de nouveau actif');
  await signIn(page, email);
  await page.getByLabel('Code').fill(await freshCode(generator, used));
  await page.getByRole('button', { name: 'Valider' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.locator('.identity-status')).toContainText('non vérifiée');
});

test('account pages fit a 360 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/signup', '/signin?reactivate=1', '/confirm-email?token=x', '/reactivate?token=x', '/profile']) {
    await page.goto(path);
    await hydrated(page);
    await noHorizontalScroll(page);
  }
});

test('a wrong password gets a clear message', async ({ page }) => {
  await page.goto('/signin');
  await hydrated(page);
  await page.getByLabel('Adresse électronique').fill(`nobody-${Date.now()}@example.org`);
  await page.getByLabel('Mot de passe').fill('not the password');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('Adresse électronique ou mot de passe incorrect.');
});

// Issue 11: an error says what happened. A server that answers 404 is not "unreachable".
test('a 404 answer is not told as a lost connection', async ({ page }) => {
  await page.goto('/signin');
  await hydrated(page);
  await page.getByLabel('Adresse électronique').fill(`nobody-${Date.now()}@example.org`);
  await page.getByLabel('Mot de passe').fill('not the password');

  await page.route('**/api/sign_in*', (route) => route.fulfill({ status: 404, contentType: 'text/plain', body: 'Not Found' }));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText('Le serveur a répondu, mais pas comme cette page l');
  await expect(page.getByRole('alert')).not.toContainText('connexion');

  await page.unroute('**/api/sign_in*');
  await page.route('**/api/sign_in*', (route) => route.abort('connectionrefused'));
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toContainText("Le serveur n'a pas pu être joint");
});

// Issue 11: the password change from the profile. The current password first (a wrong one is
// tied to its field), within the OTP session; the other devices are signed out, this one stays;
// the holder is told by email; the new password signs in.
test('change the password from the profile: the other sessions end, this one stays', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(120_000);
  const email = `changer-${testInfo.project.name}-${Date.now()}@example.org`;
  const newPassword = 'a brand new passphrase here';
  const { generator, used } = await accountWithTotp(page, email, 'Alice Martin');
  const otherContext = await browser.newContext({ baseURL });
  const other = await otherContext.newPage();
  await other.goto('/signin');
  await hydrated(other);
  await signIn(other, email);
  await other.getByLabel('Code').fill(await freshCode(generator, used));
  await other.getByRole('button', { name: 'Valider' }).click();
  await expect(other).toHaveURL(/\/profile$/);

  await hydrated(page);
  const current = page.getByLabel('Mot de passe actuel');
  await current.fill('not my password');
  await page.getByLabel('Nouveau mot de passe').fill(newPassword);
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await expect(page.locator('#password-change-error')).toContainText("Ce n'est pas votre mot de passe actuel");
  await expect(current).toHaveAttribute('aria-invalid', 'true');
  await expect(current).toHaveAccessibleDescription(/mot de passe actuel/);
  await current.fill('correct horse battery staple');
  await expect(current).not.toHaveAttribute('aria-invalid');
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  // Two Argon2 computations (the check, the new hash) on a 2-core machine that is signing up
  // other test accounts meanwhile: the default 15 s once ran out.
  await expect(page.locator('.password-change').getByRole('status')).toContainText('Votre mot de passe est changé', {
    timeout: 30_000,
  });
  await expect(current).toHaveValue('');
  await expect(page.locator('.otp-left')).toBeVisible();

  // The other device is signed out.
  await other.goto('/profile');
  await hydrated(other);
  await expect(other.locator('main')).toContainText('Connectez-vous');
  expect(await mailedPath(other, email, '/password/forgot')).toBe('/password/forgot');
  await expect(other.locator('.mail-text')).toContainText('autres sessions ont été fermées');
  await other.goto('/signin');
  await hydrated(other);
  await signIn(other, email);
  await expect(other.getByRole('alert')).toContainText('mot de passe incorrect');
  await other.getByLabel('Mot de passe').fill(newPassword);
  await other.getByRole('button', { name: 'Se connecter' }).click();
  await expect(other.getByText('Saisissez le code à 6 chiffres')).toBeVisible();
  await otherContext.close();
});
