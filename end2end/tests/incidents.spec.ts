import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ceremony } from './ceremony';
import { expectAccessible, hydrated, noHorizontalScroll } from './helpers';
import { accountWithTotp, contact, newPage, qualifiedSender, sendLetter } from './journey';

// Issue 13 (OPS-08; eIDAS Art. 19(2); policy §13.9.2): a security officer opens an incident in
// the register, qualifies it, adds the letter it affects by its id, downloads the report for the
// supervisory body and the affected users (the letter, both addresses), records the
// notification and closes the incident. Runs on servers of its own (playwright.config.ts: the
// ceremony names two officers per server at most).

async function register(page: Page) {
  await page.goto('/back-office/incidents');
  await hydrated(page);
  await expect(page.getByRole('heading', { name: 'Registre des incidents de sécurité', level: 1 })).toBeVisible();
}

test('an incident is opened, qualified, linked to a letter, reported, notified and closed', async ({ browser, baseURL }, testInfo) => {
  test.setTimeout(180_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const officer = `officer-${stamp}@example.org`;
  const sender = `sender-${stamp}@example.org`;
  const recipient = `recipient-${stamp}@example.net`;

  // A letter is sent.
  const senderPage = await newPage(browser, baseURL);
  await qualifiedSender(senderPage, sender, 'Sam Leroy');
  await contact(senderPage, recipient, 'Rita Blanc', 'Blanc SARL');
  await sendLetter(senderPage, `Mise en demeure ${stamp}`, 'Rita Blanc', Buffer.from(`Mise en demeure ${stamp}`));
  const letterId = new URL(senderPage.url()).pathname.split('/').pop()!;

  // The officer, named at installation, finds the register from the back office.
  const page = await newPage(browser, baseURL);
  await accountWithTotp(page, officer, 'Olivia Garnier');
  expect(ceremony(baseURL!, officer)).toContain('is a security officer');
  await page.goto('/back-office');
  await hydrated(page);
  await page.getByRole('link', { name: 'Registre des incidents' }).click();
  await expect(page).toHaveURL(/\/back-office\/incidents$/);
  await register(page);

  // Opened on detection.
  const title = `Accès anormal ${stamp}`;
  const form = page.locator('.incident-open');
  await form.getByLabel('Titre').fill(title);
  await form.getByLabel('Description').fill('Des lectures massives du stockage des pièces jointes.');
  await form.getByLabel('Gravité').selectOption('high');
  await form.getByRole('button', { name: "Ouvrir l'incident" }).click();
  await expect(page.locator('.incident-result .success')).toContainText('Incident ouvert.');
  const listed = page.locator('.incident', { hasText: title });
  await expect(listed).toHaveAttribute('data-status', 'open');
  await expectAccessible(page, 'the incident register');
  await noHorizontalScroll(page);
  await page.getByRole('link', { name: "Voir l'incident" }).click();
  await hydrated(page);
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();

  // No closing before the qualification: the page offers none.
  await expect(page.getByRole('button', { name: "Clore l'incident" })).toHaveCount(0);

  // Qualified: a personal-data breach, confidentiality affected.
  const qualify = page.locator('form.incident-qualify');
  await qualify.getByLabel('Violation de données à caractère personnel').check();
  await qualify.getByLabel('Atteinte à la confidentialité').check();
  await qualify.getByLabel('Analyse').fill('Pièces jointes lisibles par un tiers.');
  await qualify.getByRole('button', { name: "Qualifier l'incident" }).click();
  await expect(page.locator('.incident-facts')).toHaveAttribute('data-status', 'qualified');
  await expect(page.locator('.impact[data-impact="personal_data"]')).toHaveAttribute('data-value', 'true');
  await expect(page.locator('.impact[data-impact="integrity"]')).toHaveAttribute('data-value', 'false');

  // The letter it affects, by its id; an unknown id is refused with a clear message.
  const attach = page.locator('.incident-attach');
  await attach.getByLabel("Identifiant d'une lettre envoyée").fill('no-such-letter');
  await attach.getByRole('button', { name: 'Ajouter la lettre' }).click();
  await expect(page.locator('.incident-result .error')).toContainText('Aucune lettre envoyée ne porte cet identifiant');
  await attach.getByLabel("Identifiant d'une lettre envoyée").fill(letterId);
  await attach.getByRole('button', { name: 'Ajouter la lettre' }).click();
  await expect(page.locator(`.affected-letter[data-letter="${letterId}"]`)).toContainText(recipient);
  await expect(page.locator('.affected-addresses')).toContainText(sender);
  await expect(page.locator('.timeline-entry[data-event="letter_attached"]')).toContainText(letterId);
  await expectAccessible(page, 'a qualified incident');
  await noHorizontalScroll(page);

  // The report, at any time: Markdown with the letter and the affected users' addresses.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Télécharger (Markdown)' }).click();
  const report = readFileSync(await (await download).path(), 'utf8');
  expect(report).toContain(`# Rapport d'incident de sécurité — ${title}`);
  expect(report).toContain('Violation de données à caractère personnel : oui');
  expect(report).toContain(`| \`${letterId}\` |`);
  expect(report).toContain(`- ${recipient}`);
  expect(report).toContain(`- ${sender}`);

  // Notified, then closed.
  await page.getByLabel('Notification faite').fill('Organe de contrôle par courriel, réf. 42 ; utilisateurs informés.');
  await page.getByRole('button', { name: 'Enregistrer la notification' }).click();
  await expect(page.locator('.incident-facts')).toHaveAttribute('data-status', 'notified');
  await page.getByLabel('Bilan').fill('Accès révoqués, droits revus.');
  await page.getByRole('button', { name: "Clore l'incident" }).click();
  await expect(page.locator('.incident-facts')).toHaveAttribute('data-status', 'closed');
  await expect(page.locator('.incident-attach')).toHaveCount(0);
  await register(page);
  await expect(page.locator('.incident', { hasText: title })).toHaveAttribute('data-status', 'closed');
});
