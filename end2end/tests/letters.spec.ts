import { test, expect } from '@playwright/test';
import { open, readFile } from 'node:fs/promises';
import { hydrated, noHorizontalScroll } from './helpers';
import {
  PASSWORD,
  acceptRecipientTerms,
  sha256,
  freshCode,
  mailedPath,
  accountWithTotp,
  qualifiedSender,
  proveWithSimulator,
  contact,
  sendLetter,
  confirmSend,
  newPage,
  consoleProblems,
  validateDossier,
  notificationsHandedOver,
} from './journey';

// Issue 5 (LET-01..LET-12, ID-03): a sender composes a registered letter with two attachments
// hashed in the browser, sends it; the recipient opens the notification link, proves their
// identity with the simulator, accepts, downloads an attachment and checks its hash; the
// sender sees the letter accepted and opened and downloads the evidence dossier.

test('compose, send, receive with an identity proofing, accept, open, dossier', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const senderEmail = `sender-${stamp}@example.org`;
  const recipientEmail = `recipient-${stamp}@example.org`;
  const problems: string[] = [];
  consoleProblems(page, problems);

  await qualifiedSender(page, senderEmail, 'Alice Martin');
  await contact(page, recipientEmail, 'Bruno Durand', 'Durand SARL');
  await contact(page, `private-${stamp}@example.org`, 'Chloé Petit');

  // Compose: /compose is a new letter; the first change stores the draft (issue 11).
  await hydrated(page);
  await page.getByRole('banner').getByRole('link', { name: 'Écrire' }).click();
  await expect(page).toHaveURL(/\/compose$/);
  await hydrated(page);
  await expect(page.locator('.size-limit')).toContainText('268,4 Mo');
  // A private person who has not consented is shown, but cannot be chosen (CONS-01).
  const privatePerson = page.locator('label.recipient', { hasText: 'Chloé Petit' });
  await expect(privatePerson.getByRole('checkbox')).toBeDisabled();
  await expect(privatePerson).toContainText('jamais demandé');
  await expect(privatePerson.getByRole('link', { name: 'Gérer mes contacts' })).toHaveAttribute('href', '/contacts');

  // Sending an empty draft says what is missing, and loses nothing.
  await page.getByRole('button', { name: 'Envoyer la lettre recommandée' }).click();
  await expect(page.getByRole('alert')).toBeVisible();

  const subject = `Mise en demeure ${stamp}`;
  await page.getByLabel('Objet').fill(subject);
  await page.getByLabel('Message (facultatif)').fill('Madame, Monsieur,\nveuillez trouver ci-joint…');
  await page.getByRole('checkbox', { name: /Bruno Durand/ }).check();
  await expect(page.locator('.save-status')).toContainText('Enregistré à');
  await expect(page).toHaveURL(/\/compose\/[^/]+$/);
  const draftUrl = page.url();

  // Two attachments: a small text and a generated file of several megabytes.
  const small = Buffer.from(`Contrat ${stamp}\n`);
  const large = Buffer.alloc(6 * 1024 * 1024);
  for (let i = 0; i < large.length; i += 4096) large.writeUInt32LE(i ^ 0x5a5a5a5a, i);
  await page.locator('input[type="file"][name="attachments"]').setInputFiles([
    { name: 'contrat.txt', mimeType: 'text/plain', buffer: small },
    { name: 'annexe.bin', mimeType: 'application/octet-stream', buffer: large },
  ]);
  const attachments = page.locator('.attachment-list .attachment');
  await expect(attachments).toHaveCount(2, { timeout: 60_000 });
  await expect(attachments.filter({ hasText: 'contrat.txt' }).locator('.attachment-sha256')).toHaveText(sha256(small));
  await expect(attachments.filter({ hasText: 'annexe.bin' }).locator('.attachment-sha256')).toHaveText(sha256(large));

  // A file larger than the room left is refused before hashing or uploading (a sparse file:
  // nothing is written to disk).
  const huge = testInfo.outputPath('huge.bin');
  const handle = await open(huge, 'w');
  await handle.truncate(300 * 1024 * 1024);
  await handle.close();
  await page.locator('input[type="file"][name="attachments"]').setInputFiles(huge);
  await expect(page.locator('.upload-job').getByRole('alert')).toContainText('dépasse la place restante');
  await page.locator('.upload-job').getByRole('button', { name: 'Fermer' }).click();
  await expect(page.locator('.upload-job')).toHaveCount(0);
  await expect(attachments).toHaveCount(2);

  // A third file, removed again: the room left comes back.
  const left = await page.locator('.bytes-left').innerText();
  await page.locator('input[type="file"][name="attachments"]').setInputFiles({
    name: 'brouillon.txt',
    mimeType: 'text/plain',
    buffer: Buffer.alloc(150_000, 'x'),
  });
  await expect(attachments).toHaveCount(3);
  await expect(page.locator('.bytes-left')).not.toHaveText(left);
  await attachments.filter({ hasText: 'brouillon.txt' }).getByRole('button', { name: 'Retirer' }).click();
  await expect(attachments).toHaveCount(2);
  await expect(page.locator('.bytes-left')).toHaveText(left);

  // The draft keeps everything (autosave), seen again after a reload.
  await expect(page.locator('.save-status')).toContainText('Enregistré à');
  await page.goto(draftUrl);
  await hydrated(page);
  await expect(page.getByLabel('Objet')).toHaveValue(subject);
  await expect(page.getByLabel('Message (facultatif)')).toHaveValue('Madame, Monsieur,\nveuillez trouver ci-joint…');
  await expect(page.getByRole('checkbox', { name: /Bruno Durand/ })).toBeChecked();
  await expect(attachments).toHaveCount(2);

  // 360 px: nothing scrolls sideways.
  const size = page.viewportSize();
  await page.setViewportSize({ width: 360, height: 740 });
  await noHorizontalScroll(page);
  if (size) await page.setViewportSize(size);

  // A summary to check first (issue 11): recipients, documents with their SHA-256, what
  // happens next; going back changes nothing.
  await page.getByRole('button', { name: 'Envoyer la lettre recommandée' }).click();
  const summary = page.locator('.send-summary');
  await expect(summary.locator('.summary-recipients')).toContainText('Bruno Durand');
  await expect(summary.locator('.summary-documents li')).toHaveCount(2);
  await expect(summary.locator('.summary-documents')).toContainText(sha256(small));
  await expect(summary.locator('.summary-documents')).toContainText(sha256(large));
  await page.getByRole('button', { name: 'Revenir à la lettre' }).click();
  await expect(summary).toHaveCount(0);
  await page.getByRole('button', { name: 'Envoyer la lettre recommandée' }).click();
  await confirmSend(page);
  await expect(page).toHaveURL(/\/sent\/[^/]+$/, { timeout: 30_000 });
  await expect(page.locator('h1.letter-subject')).toHaveText(subject);
  const card = page.locator('.transaction-card');
  await expect(card).toHaveCount(1);
  await expect(card.locator('.recipient-name')).toHaveText('Bruno Durand');
  // Notified once the job queue hands the notification over to the mail server (issue 10).
  await notificationsHandedOver(page);
  await expect(card.locator('.status').first()).toHaveText('en attente');
  const sentUrl = page.url();

  // The recipient, in another browser, opens the notification link.
  const recipient = await newPage(browser, baseURL);
  consoleProblems(recipient, problems);
  const link = await mailedPath(recipient, recipientEmail, '/received/');
  await recipient.goto(link);
  await hydrated(recipient);
  await expect(recipient.locator('.notice.awaits')).toContainText('vous attend');
  // Before acceptance: neither the sender nor the subject (LET-05).
  await expect(recipient.locator('main')).not.toContainText('Alice Martin');
  await expect(recipient.locator('main')).not.toContainText(subject);
  await recipient.setViewportSize({ width: 360, height: 740 });
  await noHorizontalScroll(recipient);

  await proveWithSimulator(recipient, 'Bruno DURAND');
  await expect(recipient).toHaveURL(/\/received\/[^?]+\?t=.+&proofing=/);
  await hydrated(recipient);
  await expect(recipient.locator('.verified-name')).toHaveText('Bruno DURAND');
  await expect(recipient.locator('.account-offer').getByRole('link', { name: 'Créer un compte' })).toBeVisible();

  // TERMS-01: the recipient terms, readable on the page, accepted before any decision.
  await recipient.getByText('Lire les conditions ici').click();
  await expect(recipient.locator('.terms-inline .document-oid')).toHaveText(/^\d+(\.\d+)+\.2\.2\.1$/);
  await noHorizontalScroll(recipient);
  await acceptRecipientTerms(recipient);
  // Refusing asks for a confirmation; cancel, then accept.
  await recipient.getByRole('button', { name: 'Refuser la lettre' }).click();
  await expect(recipient.locator('.refuse-confirm')).toBeVisible();
  await recipient.getByRole('button', { name: 'Annuler' }).click();
  await recipient.getByRole('button', { name: 'Accepter la lettre' }).click();
  await expect(recipient.locator('.notice.accepted')).toBeVisible();
  await expect(recipient.locator('.sender-name')).toHaveText('Alice Martin');
  await expect(recipient.locator('.sender-email')).toContainText(senderEmail);
  await expect(recipient.locator('dd.letter-subject')).toHaveText(subject);
  await noHorizontalScroll(recipient);

  // Opening: download an attachment, then check it in the page.
  const [download] = await Promise.all([
    recipient.waitForEvent('download'),
    recipient.getByRole('link', { name: 'annexe.bin' }).click(),
  ]);
  const downloaded = await download.path();
  expect(sha256(await readFile(downloaded))).toBe(sha256(large));
  await recipient.locator('.file-check input[type="file"]').setInputFiles(downloaded);
  await expect(recipient.locator('.check-result')).toContainText('annexe.bin');
  await recipient.locator('.file-check input[type="file"]').setInputFiles({
    name: 'autre.txt',
    mimeType: 'text/plain',
    buffer: Buffer.from('not the letter'),
  });
  await expect(recipient.locator('.check-result')).toContainText('ne correspond à aucune');
  // LET-12: the recipient's dossier (after the opening: it holds the opening evidence too);
  // every PDF in it is valid for pyHanko.
  const [recipientDossier] = await Promise.all([
    recipient.waitForEvent('download'),
    recipient.getByRole('link', { name: /dossier de preuves/ }).click(),
  ]);
  const recipientKinds = await validateDossier(recipient, await readFile(await recipientDossier.path()));
  expect(recipientKinds).toEqual(expect.arrayContaining(['Identification', 'Acceptance', 'Opening']));
  await recipient.context().close();

  // The sender sees the letter accepted and opened, and downloads the dossier.
  await page.goto(sentUrl);
  await hydrated(page);
  await expect(card.locator('.status.accepted')).toBeVisible();
  await expect(card.locator('.status.opened')).toBeVisible();
  await expect(card.locator('.opened-at')).toBeVisible();
  // Issue 11: the identity the proofing verified, the reminders (none yet), times in the legal
  // time zone in French words, and every evidence on its own.
  await expect(card.locator('.verified-identity')).not.toBeEmpty();
  await expect(card.locator('.reminders')).toHaveText('aucune');
  await expect(card.locator('.notified-at')).toHaveText(/^le \d{1,2}(er)? \p{L}+ \d{4} à \d{1,2} h \d{2}$/u);
  const [acceptancePdf] = await Promise.all([
    page.waitForEvent('download'),
    card.locator('.evidence[data-kind="Acceptance"] .evidence-pdf').click(),
  ]);
  const acceptanceBytes = await readFile(await acceptancePdf.path());
  expect(acceptanceBytes.subarray(0, 5).toString()).toBe('%PDF-');
  const [dossier] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('link', { name: /dossier de preuves/ }).click(),
  ]);
  const zip = await readFile(await dossier.path());
  expect(zip.subarray(0, 2).toString()).toBe('PK');
  // LET-12: every PDF in it is valid for pyHanko; the manifest lists them with their SHA-256.
  const kinds = await validateDossier(page, zip);
  expect(kinds).toEqual(expect.arrayContaining(['Identification', 'Deposit', 'Transmission', 'LetterSummary', 'Acceptance', 'Opening']));

  await page.goto('/sent');
  await hydrated(page);
  await page.getByLabel('État').selectOption('accepted');
  await expect(page.locator('.sent-letter').filter({ hasText: subject })).toBeVisible();
  await page.getByLabel('État').selectOption('refused');
  await expect(page.locator('.sent-letter').filter({ hasText: subject })).toHaveCount(0);
  expect(problems, 'no CSP violation, no panic').toEqual([]);
});

// A recipient with an account (ID-03: 2FA instead of a proofing): the inbox shows only that a
// letter awaits and until when; the recipient refuses after a confirmation and sees nothing of
// the content; the sender sees the refusal.
test('a recipient with an account: inbox, refusal', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const recipientEmail = `holder-${stamp}@example.org`;
  const recipient = await newPage(browser, baseURL);
  await accountWithTotp(recipient, recipientEmail, 'Denis Roux');

  await qualifiedSender(page, `sender2-${stamp}@example.org`, 'Alice Martin');
  // A private person: consent asked, not yet given (CONS-01, CONS-02).
  await contact(page, recipientEmail, 'Denis Roux');
  const denis = page.locator(`li.contact[data-email="${recipientEmail}"]`);
  await denis.getByRole('button', { name: 'Demander le consentement' }).click();
  await expect(denis.locator('.consent-status')).toHaveAttribute('data-consent', 'requested');

  // Visiting the compose page stores nothing (issue 11)...
  await page.goto('/compose');
  await hydrated(page);
  await page.goto('/sent');
  await hydrated(page);
  await expect(page.locator('.draft')).toHaveCount(0);
  // ...a draft is stored once written, and listed on the sent letters page until deleted.
  await page.goto('/compose');
  await hydrated(page);
  const pending = page.locator('label.recipient', { hasText: 'Denis Roux' });
  await expect(pending.getByRole('checkbox')).toBeDisabled();
  await expect(pending).toContainText('demandé, en attente');
  await page.getByLabel('Objet').fill(`Brouillon ${stamp}`);
  await page.getByLabel('Objet').blur();
  await expect(page.locator('.save-status')).toContainText('Enregistré à');
  await page.getByRole('banner').getByRole('link', { name: 'Envoyées' }).click();
  const draft = page.locator('.draft', { hasText: `Brouillon ${stamp}` });
  await expect(draft).toBeVisible();
  await draft.getByRole('button', { name: 'Supprimer le brouillon' }).click();
  await expect(draft).toHaveCount(0);

  // The recipient grants the consent from the emailed link; then the sender may choose them.
  await recipient.goto(await mailedPath(recipient, recipientEmail, '/consent/'));
  await hydrated(recipient);
  await recipient.getByRole('button', { name: "J'accorde mon consentement" }).click();
  await expect(recipient.locator('.consent-request')).toHaveAttribute('data-consent', 'granted');

  const subject = `Résiliation ${stamp}`;
  await sendLetter(page, subject, 'Denis Roux', Buffer.from(`Résiliation ${stamp}`));
  const sentUrl = page.url();

  // ID-03: somebody else holding the link proves their identity: nothing is delivered to them.
  const stranger = await newPage(browser, baseURL);
  await stranger.goto(await mailedPath(stranger, recipientEmail, '/received/'));
  await hydrated(stranger);
  await proveWithSimulator(stranger, 'Mallory DUPONT');
  await expect(stranger).toHaveURL(/&proofing=/);
  await hydrated(stranger);
  await expect(stranger.locator('.not-the-addressee')).toContainText("n'est pas celle du destinataire");
  await expect(stranger.getByRole('button', { name: 'Accepter la lettre' })).toHaveCount(0);
  await expect(stranger.locator('main')).not.toContainText(subject);
  await noHorizontalScroll(stranger);
  await stranger.context().close();

  await recipient.goto('/inbox');
  await hydrated(recipient);
  const item = recipient.locator('.inbox-item').first();
  await expect(item).toContainText('Une lettre recommandée vous attend, jusqu\'au');
  await expect(item).not.toContainText(subject);
  await expect(item).not.toContainText('Alice Martin');
  await item.getByRole('link', { name: 'Voir' }).click();
  await expect(recipient).toHaveURL(/\/received\/[^/?]+$/);
  const receivedUrl = recipient.url();
  // ID-03 (policy §4.4): an account without a verified identity proves it before deciding.
  await expect(recipient.locator('.account-unverified')).toBeVisible();
  await expect(recipient.getByRole('button', { name: 'Refuser la lettre' })).toHaveCount(0);
  await recipient.getByRole('link', { name: 'Prouver mon identité depuis mon profil' }).click();
  await expect(recipient).toHaveURL(/\/profile$/);
  await proveWithSimulator(recipient, 'ROUX Denis');
  await expect(recipient.locator('.identity-status')).toContainText('vérifiée');
  await recipient.goto(receivedUrl);
  await hydrated(recipient);
  await expect(recipient.locator('.identified')).toContainText('ROUX Denis');
  await acceptRecipientTerms(recipient);
  await recipient.getByRole('button', { name: 'Refuser la lettre' }).click();
  await expect(recipient.locator('.refuse-confirm')).toContainText('définitif');
  await recipient.getByRole('button', { name: 'Oui, refuser' }).click();
  await expect(recipient.locator('.notice.refused')).toBeVisible();
  await expect(recipient.locator('main')).not.toContainText(subject);
  // LET-09: the recipient's dossier names neither the sender nor the content (its ZIP is
  // stored uncompressed: manifest.json and the evidence text are readable in its bytes).
  const dossier = await recipient.request.get(await recipient.locator('a.dossier').getAttribute('href') ?? '');
  expect(dossier.ok()).toBeTruthy();
  const zip = (await dossier.body()).toString('latin1');
  expect(zip).toContain('"kind": "Refusal"');
  expect(zip).not.toContain('"kind": "Deposit"');
  expect(zip).not.toContain('Alice Martin');
  expect(zip).not.toContain(`siliation ${stamp}`);
  await recipient.goto('/inbox');
  await hydrated(recipient);
  await expect(recipient.locator('.inbox-item').first()).toContainText('Vous avez refusé cette lettre.');
  await recipient.context().close();

  await page.goto(sentUrl);
  await hydrated(page);
  await expect(page.locator('.transaction-card .status.refused')).toHaveText('refusée');
  await expect(page.locator('.transaction-card .decided-at')).toBeVisible();
  await page.goto('/sent');
  await hydrated(page);
  await page.getByLabel('Rechercher dans les objets').fill(subject);
  await expect(page.locator('.sent-letter')).toHaveCount(1);
  await page.getByLabel('Rechercher dans les objets').fill(`${subject} introuvable`);
  await expect(page.locator('.sent-letter')).toHaveCount(0);
  await expect(page.getByText('Aucune lettre.')).toBeVisible();
});

// ACC-02 (3): a recipient whose account is deactivated proves their identity at the reception
// and may reactivate the account there.
test('a deactivated recipient reactivates at the reception', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const recipientEmail = `former-${stamp}@example.org`;
  const recipient = await newPage(browser, baseURL);
  await accountWithTotp(recipient, recipientEmail, 'Emma Blanc');
  await recipient.getByLabel('Je veux désactiver mon compte').check();
  await recipient.getByRole('button', { name: 'Désactiver mon compte' }).click();
  await expect(recipient).toHaveURL(/\/signin\?deactivated=1$/);

  await qualifiedSender(page, `sender3-${stamp}@example.org`, 'Alice Martin');
  await contact(page, recipientEmail, 'Emma Blanc', 'Blanc SA');
  await sendLetter(page, `Relance ${stamp}`, 'Emma Blanc', Buffer.from(`Relance ${stamp}`));

  await recipient.goto(await mailedPath(recipient, recipientEmail, '/received/'));
  await hydrated(recipient);
  // A failed proofing says so and offers to try again.
  await proveWithSimulator(recipient, 'Emma BLANC', 'Vérification échouée');
  await expect(recipient).toHaveURL(/&proofing=/);
  await expect(recipient.getByRole('alert')).toContainText('La vérification d\'identité a échoué');
  await proveWithSimulator(recipient, 'Emma BLANC');
  await expect(recipient.locator('.verified-name')).toHaveText('Emma BLANC');
  await hydrated(recipient);
  await recipient.getByRole('button', { name: 'Réactiver mon compte' }).click();
  await expect(recipient.locator('.account-offer').getByRole('status')).toContainText('Votre compte est réactivé');
  await recipient.context().close();
});

test('letter pages say to sign in, and fit a 360 px screen', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ['/compose', '/sent', '/inbox']) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.getByRole('alert').first()).toBeVisible();
    await noHorizontalScroll(page);
  }
  await page.goto('/received/unknown?t=nothing');
  await hydrated(page);
  await expect(page.getByRole('alert')).toBeVisible();
  await noHorizontalScroll(page);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Registered letter');
  await expect(page.getByRole('alert')).toHaveText('Not found.');
});
