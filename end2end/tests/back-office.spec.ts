import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ceremony } from './ceremony';
import { expectAccessible, hydrated, noHorizontalScroll } from './helpers';
import {
  acceptRecipientTerms, accountWithTotp, contact, mailedPath, newPage, provenAccount, qualifiedSender, sendLetter,
  validateDossier,
} from './journey';

// Issue 13 (OPS-01, OPS-06; policy §13.1.2, §13.1.3, §13.6.4): the installation ceremony names
// two security officers; one requests a role, the other approves it, and it takes effect when
// its holder accepts it; a forbidden combination is refused with the policy's words. Then
// (ID-05..ID-07) a company is registered with its extracts, a delegate with a power of attorney
// is approved in the verification queue, and a letter sent for the company carries the
// company's evidences in its dossier; a letter to the company (§6.4) is delivered to the
// delegate, and its dossier carries her company evidences.
//
// The two tests run in order on one server (the ceremony names two officers per server): the
// second uses the officers of the first.
test.describe.configure({ mode: 'serial' });
let officers: { alice: Page; bob: Page } | undefined;

async function backOffice(page: Page) {
  await page.goto('/back-office');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Back-office', level: 1 })).toBeVisible();
}

test('a role is granted under dual control and accepted; a forbidden combination is refused; an auditor verifies the journal', async ({ browser, baseURL }, testInfo) => {
  // The ceremony names two security officers per server: in the full matrix (PLI_E2E_MATRIX),
  // the second viewport on a server finds them named.
  test.skip(!['desktop-sqlite', 'phone-postgres'].includes(testInfo.project.name), 'two officers per server');
  test.setTimeout(240_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const [alice, bob, carol, dave] = ['alice', 'bob', 'carol', 'dave'].map((name) => `${name}-${stamp}@example.org`);
  const alicePage = await newPage(browser, baseURL);
  const bobPage = await newPage(browser, baseURL);
  const carolPage = await newPage(browser, baseURL);
  const davePage = await newPage(browser, baseURL);
  await accountWithTotp(alicePage, alice, 'Alice Martin');
  await accountWithTotp(bobPage, bob, 'Bob Durand');
  await accountWithTotp(carolPage, carol, 'Carole Petit');
  await accountWithTotp(davePage, dave, 'David Roux');
  expect(ceremony(baseURL!, alice)).toContain('is a security officer');
  expect(ceremony(baseURL!, bob)).toContain('is a security officer');
  officers = { alice: alicePage, bob: bobPage };

  // Not an operator yet: the back office says so.
  await backOffice(carolPage);
  await expect(carolPage.getByText('réservée au personnel de confiance')).toBeVisible();

  // Alice may not be a system administrator too (§13.1.2).
  await backOffice(alicePage);
  await expect(alicePage.locator('.my-role[data-role="security_officer"]')).toHaveText('Responsable de la sécurité');
  // The header links the back office for the trusted staff only.
  await expect(alicePage.getByRole('link', { name: 'Back-office' })).toBeVisible();
  await expect(davePage.getByRole('link', { name: 'Back-office' })).toHaveCount(0);
  await alicePage.getByLabel('Adresse de la personne').fill(alice);
  await alicePage.getByLabel('Rôle').selectOption('system_administrator');
  await alicePage.getByRole('button', { name: 'Demander (un second responsable approuvera)' }).click();
  await expect(alicePage.locator('.back-office-result .error')).toContainText(
    '« Responsable de la sécurité » et « Administrateur système » ne peuvent pas être confiés à la même personne',
  );
  // She asks for Carol as seal officer: she cannot approve her own request.
  await alicePage.getByLabel('Adresse de la personne').fill(carol);
  await alicePage.getByLabel('Rôle').selectOption('seal_officer');
  await alicePage.getByRole('button', { name: 'Demander (un second responsable approuvera)' }).click();
  const request = alicePage.locator(`.dual-control-request[data-email="${carol}"]`);
  await expect(request).toContainText('Responsable du cachet');
  await expect(request.getByRole('button', { name: 'Approuver' })).toHaveCount(0);
  await expect(request.getByRole('button', { name: 'Retirer ma demande' })).toBeVisible();
  await expectAccessible(alicePage, 'the back office of a security officer');
  await noHorizontalScroll(alicePage);

  // Bob approves: the role is offered, not in effect.
  await backOffice(bobPage);
  await bobPage.locator(`.dual-control-request[data-email="${carol}"]`).getByRole('button', { name: 'Approuver' }).click();
  const given = bobPage.locator(`.role-assignment[data-email="${carol}"]`);
  await expect(given).toHaveAttribute('data-status', 'offered');
  await expect(bobPage.locator(`.dual-control-request[data-email="${carol}"]`)).toHaveCount(0);

  // Carol accepts it: her back office opens with her role.
  await backOffice(carolPage);
  await carolPage.getByRole('button', { name: 'Accepter ce rôle' }).click();
  await expect(carolPage.locator('.my-role[data-role="seal_officer"]')).toHaveText('Responsable du cachet');
  await expect(carolPage.locator('.role-request')).toHaveCount(0);
  await noHorizontalScroll(carolPage);

  await backOffice(bobPage);
  await expect(bobPage.locator(`.role-assignment[data-email="${carol}"]`)).toHaveAttribute('data-status', 'active');

  // Bob asks for Dave as system auditor, Alice approves, Dave accepts: he verifies the
  // journal's chain from the page, reads the day's events and exports them.
  await bobPage.getByLabel('Adresse de la personne').fill(dave);
  await bobPage.getByLabel('Rôle').selectOption('system_auditor');
  await bobPage.getByRole('button', { name: 'Demander (un second responsable approuvera)' }).click();
  await expect(bobPage.locator(`.dual-control-request[data-email="${dave}"]`)).toBeVisible();
  await backOffice(alicePage);
  await alicePage.locator(`.dual-control-request[data-email="${dave}"]`).getByRole('button', { name: 'Approuver' }).click();
  await expect(alicePage.locator(`.role-assignment[data-email="${dave}"]`)).toHaveAttribute('data-status', 'offered');
  await backOffice(davePage);
  await davePage.getByRole('button', { name: 'Accepter ce rôle' }).click();
  await expect(davePage.locator('.my-role[data-role="system_auditor"]')).toHaveText('Auditeur système');
  await davePage.getByRole('button', { name: "Vérifier l'intégrité du journal" }).click();
  await expect(davePage.locator('.ledger-result')).toContainText('Journal intact');
  await davePage.getByRole('button', { name: 'Afficher' }).click();
  await expect(davePage.locator('.journal-event[data-action="ceremony_security_officer"]').first()).toBeVisible();
  await expect(davePage.locator('.journal-event[data-action="ledger_verified"]').first()).toBeVisible();
  const download = davePage.waitForEvent('download');
  await davePage.getByRole('link', { name: 'Exporter la période (JSON Lines)' }).click();
  const file = await (await download).path();
  const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
  expect(lines.some((event) => event.action === 'role_accepted' && event.category === 'operators')).toBe(true);
  await expectAccessible(davePage, 'the back office of a system auditor');
  await noHorizontalScroll(davePage);
});

/** A date `days` before today, as a date field takes it. */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

const SCAN = Buffer.from('%PDF-1.7\n% scanned\n%%EOF\n');

/** Uploads a document to the first draft request of the companies page. */
async function uploadDocument(page: Page, kind: string, fields: Record<string, string>, file: string) {
  const form = page.locator('form.entity-upload').first();
  await form.getByLabel('Nature').selectOption(kind);
  for (const [label, value] of Object.entries(fields)) await form.getByLabel(label, { exact: true }).fill(value);
  await form.getByLabel('Fichier (PDF, JPEG ou PNG)').setInputFiles({ name: file, mimeType: 'application/pdf', buffer: SCAN });
  // A plain form: the server sends the browser back to the page, with the outcome.
  const before = page.url();
  await form.getByRole('button', { name: 'Téléverser' }).click();
  await page.waitForURL((url) => url.href !== before);
  await hydrated(page);
}

async function newCompanyRequest(page: Page, role: string, representative = '') {
  await page.goto('/profile');
  await hydrated(page);
  await page.getByRole('link', { name: 'Agir pour une société' }).click();
  await expect(page).toHaveURL(/\/organisations$/);
  await hydrated(page);
  const form = page.locator('section.entity-new');
  await form.getByLabel('Dénomination de la société').fill('Filiale SAS');
  await form.getByLabel("Numéro d'immatriculation").fill('732 829 320');
  await form.getByLabel('Vous êtes').selectOption(role);
  if (representative) await form.getByLabel(/Nom du représentant légal/).fill(representative);
  await form.getByRole('button', { name: 'Créer la demande' }).click();
  await expect(page.locator('.entity-request[data-status="draft"]')).toBeVisible();
}

/** `requester` asks for `role` for the holder of `email`, `approver` approves (dual control),
 *  and the holder accepts it on their back office. */
async function grantRole(requester: Page, approver: Page, holder: Page, email: string, role: string) {
  await backOffice(requester);
  await requester.getByLabel('Adresse de la personne').fill(email);
  await requester.getByLabel('Rôle').selectOption(role);
  await requester.getByRole('button', { name: 'Demander (un second responsable approuvera)' }).click();
  await expect(requester.locator(`.dual-control-request[data-email="${email}"]`)).toBeVisible();
  await backOffice(approver);
  await approver.locator(`.dual-control-request[data-email="${email}"]`).getByRole('button', { name: 'Approuver' }).click();
  await expect(approver.locator(`.role-assignment[data-email="${email}"]`)).toHaveAttribute('data-status', 'offered');
  await backOffice(holder);
  await holder.getByRole('button', { name: 'Accepter ce rôle' }).click();
  await expect(holder.locator(`.my-role[data-role="${role}"]`)).toBeVisible();
}

async function verify(page: Page, email: string) {
  await page.goto('/back-office');
  await hydrated(page);
  await page.getByRole('link', { name: 'Vérifications manuelles' }).click();
  await expect(page).toHaveURL(/\/back-office\/verifications$/);
  await hydrated(page);
  const request = page.locator(`.verification[data-email="${email}"]`);
  await expect(request.locator('.entity-document')).not.toHaveCount(0);
  await request.getByRole('button', { name: 'Valider' }).click();
  await expect(page.locator(`.verification[data-email="${email}"]`)).toHaveCount(0);
}

test('a company registered with its extracts, a delegate approved in the queue, a letter sent for the company with its evidences, a letter to the company received by the delegate', async ({ browser, baseURL }, testInfo) => {
  test.skip(!officers, 'needs the officers of the previous test');
  test.setTimeout(420_000);
  const { alice, bob } = officers!;
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const [victor, dan, eve] = ['victor', 'dan', 'eve'].map((name) => `${name}-${stamp}@example.org`);
  const victorPage = await newPage(browser, baseURL);
  const danPage = await newPage(browser, baseURL);
  const evePage = await newPage(browser, baseURL);

  // Victor becomes an identity-check operator, under dual control.
  await accountWithTotp(victorPage, victor, 'Victor Contrôle');
  await grantRole(alice, bob, victorPage, victor, 'identity_check_operator');

  // Dan, identified, registers Filiale SAS as its legal representative: its extract names the
  // company leading it, whose extract follows; a stale extract is refused.
  await qualifiedSender(danPage, dan, 'Dan Leroy');
  await newCompanyRequest(danPage, 'representative');
  const extract = {
    'Dénomination de la société': 'Filiale SAS',
    "Numéro d'immatriculation": '732829320',
    'Numéro de la société qui la dirige, si son dirigeant est une société': '552100554',
  };
  await uploadDocument(danPage, 'kbis', { ...extract, 'Date du document (extrait, procuration)': daysAgo(100) }, 'kbis.pdf');
  await expect(danPage.locator('.organisations-result .error')).toContainText('3 mois ou plus');
  await uploadDocument(danPage, 'kbis', { ...extract, 'Date du document (extrait, procuration)': daysAgo(10) }, 'kbis-filiale.pdf');
  await expect(danPage.locator('.organisations-result .success')).toContainText('Document téléversé');
  await expect(danPage.locator('.entity-missing')).toContainText('552100554');
  await uploadDocument(danPage, 'kbis', {
    'Dénomination de la société': 'Holding SA',
    "Numéro d'immatriculation": '552100554',
    'Date du document (extrait, procuration)': daysAgo(5),
  }, 'kbis-holding.pdf');
  await expect(danPage.locator('.entity-document')).toHaveCount(2);
  await expectAccessible(danPage, 'the companies page with a draft request');
  await noHorizontalScroll(danPage);
  await danPage.getByRole('button', { name: 'Envoyer pour vérification' }).click();
  await expect(danPage.locator('.entity-request[data-status="pending"]')).toBeVisible();

  await verify(victorPage, dan);
  await expectAccessible(victorPage, 'the verification queue');
  await danPage.reload();
  await expect(danPage.locator('.entity-request .entity-status')).toHaveText('Vérifié');

  // Eve asks to act for it as a delegate: extract, power of attorney, Dan's ID front and back.
  await qualifiedSender(evePage, eve, 'Ève Martin');
  await newCompanyRequest(evePage, 'delegate', 'Dan Leroy');
  await uploadDocument(evePage, 'kbis', {
    'Dénomination de la société': 'Filiale SAS',
    "Numéro d'immatriculation": '732829320',
    'Date du document (extrait, procuration)': daysAgo(3),
  }, 'kbis.pdf');
  await uploadDocument(evePage, 'power_of_attorney', { 'Date du document (extrait, procuration)': daysAgo(2) }, 'procuration.pdf');
  await uploadDocument(evePage, 'id_front', {}, 'cni-recto.pdf');
  await uploadDocument(evePage, 'id_back', {}, 'cni-verso.pdf');
  await expect(evePage.locator('.entity-missing')).toHaveCount(0);
  await evePage.getByRole('button', { name: 'Envoyer pour vérification' }).click();
  await expect(evePage.locator('.entity-request[data-status="pending"]')).toBeVisible();
  await verify(victorPage, eve);

  // Dan sees his delegate.
  await danPage.reload();
  await expect(danPage.locator(`.entity-delegate[data-email="${eve}"]`)).toBeVisible();

  // Eve sends a letter for Filiale SAS; its dossier carries the company's evidences.
  await contact(evePage, `bob-${stamp}@example.org`, 'Bob Durand', 'Durand SA');
  await sendLetter(evePage, `Mise en demeure ${stamp}`, 'Bob Durand', Buffer.from('lettre'), async (page) => {
    await page.getByLabel('Envoyer au nom de').selectOption({ label: 'Filiale SAS (RCS 732 829 320)' });
    await expectAccessible(page, 'the summary of a letter sent for a company');
  });
  const [dossier] = await Promise.all([
    evePage.waitForEvent('download'),
    evePage.locator('.transaction-card').first().getByRole('link', { name: /dossier de preuves/ }).click(),
  ]);
  const kinds = await validateDossier(evePage, await readFile(await dossier.path()));
  expect(kinds).toEqual(expect.arrayContaining([
    'Deposit', 'LetterSummary', 'KbisUpload', 'DocumentUpload', 'PowerOfAttorneyVerification', 'LegalRepresentativeConnection',
  ]));
  await noHorizontalScroll(evePage);

  // Policy §6.4: Fanny writes to Filiale SAS by its registry number, at its mail room. The
  // letter is delivered to Eve, its delegate, from her own account; its dossier carries her
  // company evidences.
  const fanny = `fanny-${stamp}@example.org`;
  const mailRoom = `courrier-${stamp}@example.org`;
  const fannyPage = await newPage(browser, baseURL);
  await qualifiedSender(fannyPage, fanny, 'Fanny Morel');
  await contact(fannyPage, mailRoom, 'Service juridique', 'Filiale SAS', '732 829 320');
  await expect(fannyPage.locator(`li.contact[data-email="${mailRoom}"] .contact-rcs`)).toHaveText('RCS 732 829 320');
  await sendLetter(fannyPage, `Relance ${stamp}`, 'Service juridique', Buffer.from('relance'));
  await expect(fannyPage.locator('.transaction-card').first()).toContainText('Filiale SAS (RCS 732 829 320)');

  await evePage.goto('/inbox');
  await hydrated(evePage);
  const item = evePage.locator('.inbox-item', { hasText: 'Filiale SAS (RCS 732 829 320)' });
  await expect(item).toContainText('Une lettre recommandée vous attend');
  await item.getByRole('link', { name: 'Voir' }).click();
  await expect(evePage).toHaveURL(/\/received\/[^/?]+$/);
  await hydrated(evePage);
  await expect(evePage.locator('.for-company')).toContainText('représentant légal ou à un délégataire');
  await expect(evePage.locator('.identified')).toContainText('Ève Martin');
  await expectAccessible(evePage, 'a letter to a company, received by its delegate');
  await acceptRecipientTerms(evePage);
  await evePage.getByRole('button', { name: 'Accepter la lettre' }).click();
  await expect(evePage.locator('main')).toContainText(`Relance ${stamp}`);
  const received = await evePage.request.get(await evePage.locator('a.dossier').getAttribute('href') ?? '');
  expect(received.ok()).toBeTruthy();
  const receivedKinds = await validateDossier(evePage, await received.body());
  expect(receivedKinds).toEqual(expect.arrayContaining([
    'Acceptance', 'KbisUpload', 'DocumentUpload', 'PowerOfAttorneyVerification', 'LegalRepresentativeConnection',
  ]));
  await noHorizontalScroll(evePage);
});

// Policy §4.3, §4.4: senders are customers. A business operator records a customer with its
// contract and invites its administrator, who invites a user, sees the customer's letters and
// removes the user; without a customer the compose page says sending needs one.
test('a customer recorded with its contract; its administrator invites a user, sees its letters and removes the user', async ({ browser, baseURL }, testInfo) => {
  test.skip(!officers, 'needs the officers of the first test');
  test.setTimeout(300_000);
  const { alice, bob } = officers!;
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const [carl, dora, emma] = ['carl', 'dora', 'emma'].map((name) => `${name}-${stamp}@example.org`);
  const carlPage = await newPage(browser, baseURL);
  const doraPage = await newPage(browser, baseURL);
  const emmaPage = await newPage(browser, baseURL);

  // Carl becomes a business operator, under dual control.
  await accountWithTotp(carlPage, carl, 'Carl Commercial');
  await grantRole(alice, bob, carlPage, carl, 'business_operator');

  // Dora, identified, is nobody's user yet: compose says sending needs a customer.
  await provenAccount(doraPage, dora, 'Dora Blanc');
  await doraPage.goto('/compose');
  await hydrated(doraPage);
  await expect(doraPage.locator('.missing-to-send li.customer')).toBeVisible();

  // Carl records Martin Conseil SAS and its contract, and invites Dora as its administrator.
  await carlPage.getByRole('link', { name: 'Clients et contrats' }).click();
  await expect(carlPage).toHaveURL(/\/back-office\/customers$/);
  await hydrated(carlPage);
  const reference = `C-${stamp}`;
  const form = carlPage.locator('section.customer-record');
  await form.getByLabel('Type de client').selectOption('company');
  await form.getByLabel('Nom (ou raison sociale)').fill('Martin Conseil SAS');
  await form.getByLabel("Numéro d'immatriculation (société)").fill('732 829 320');
  await form.getByLabel('Référence du contrat').fill(reference);
  await form.getByLabel('Date de signature').fill(daysAgo(1));
  await form.getByLabel('Adresse du premier administrateur').fill(dora);
  await form.getByRole('button', { name: 'Enregistrer le client' }).click();
  await expect(carlPage.locator('.customers-result .success')).toContainText('Client enregistré');
  const registered = carlPage.locator(`.registered-customer[data-reference="${reference}"]`);
  await expect(registered.locator(`.customer-pending[data-email="${dora}"]`)).toBeVisible();
  await expectAccessible(carlPage, 'the customers register');
  await noHorizontalScroll(carlPage);

  // Dora accepts from the emailed link.
  await doraPage.goto(await mailedPath(doraPage, dora, '/customer'));
  await hydrated(doraPage);
  await doraPage.getByRole('button', { name: "Accepter l'invitation" }).click();
  await expect(doraPage.locator('.customer-role[data-role="administrator"]')).toBeVisible();
  await expect(doraPage.locator('.customer-name')).toHaveText('Martin Conseil SAS');

  // She invites Emma, who accepts and sends a letter.
  await provenAccount(emmaPage, emma, 'Emma Petit');
  await doraPage.getByLabel('Adresse électronique', { exact: true }).fill(emma);
  await doraPage.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await expect(doraPage.locator(`.customer-pending[data-email="${emma}"]`)).toBeVisible();
  // A mistyped address, withdrawn before anyone answers.
  const typo = `emma-${stamp}@exemple.org`;
  await doraPage.getByLabel('Adresse électronique', { exact: true }).fill(typo);
  await doraPage.getByRole('button', { name: "Envoyer l'invitation" }).click();
  await doraPage.locator(`.customer-pending[data-email="${typo}"]`).getByRole('button', { name: "Annuler l'invitation" }).click();
  await expect(doraPage.locator(`.customer-pending[data-email="${typo}"]`)).toHaveCount(0);
  await emmaPage.goto('/customer');
  await hydrated(emmaPage);
  await emmaPage.getByRole('button', { name: "Accepter l'invitation" }).click();
  await expect(emmaPage.locator('.customer-role[data-role="user"]')).toBeVisible();
  await contact(emmaPage, `bob-${stamp}@example.org`, 'Bob Durand', 'Durand SA');
  const subject = `Relance ${stamp}`;
  await sendLetter(emmaPage, subject, 'Bob Durand', Buffer.from(`relance ${stamp}`));

  // Dora sees it among the customer's letters, then removes Emma, who can no longer send.
  await doraPage.reload();
  await hydrated(doraPage);
  await expect(doraPage.locator('.customer-letter')).toContainText(subject);
  await expectAccessible(doraPage, "the customer space of an administrator");
  await noHorizontalScroll(doraPage);
  await doraPage.locator(`.customer-user[data-email="${emma}"]`).getByRole('button', { name: 'Retirer' }).click();
  await expect(doraPage.locator(`.customer-user[data-email="${emma}"]`)).toHaveCount(0);
  await emmaPage.goto('/compose');
  await hydrated(emmaPage);
  await expect(emmaPage.locator('.missing-to-send li.customer')).toBeVisible();
});
