import { test, expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { hydrated } from './helpers';
import { contact, mailedPath, newPage, qualifiedSender, sendLetter, validateDossier } from './journey';

// LET-06, LET-07, LET-10, LET-12 on a server of its own (playwright.config.ts: the "clock"
// projects), since moving the service clock 16 days would expire the other journeys' letters:
// nobody claims a letter; the operator moves the development clock on from /dev/clock; the
// reminders of days 4, 8 and 12 and the expiry arrive (job queue); the sender sees the letter
// unclaimed and downloads a dossier whose every PDF pyHanko validates; the recipient sees only
// that it expired.
test('a letter nobody claims gets its reminders and expires; the sender gets the dossier', async ({ page, browser, baseURL }, testInfo) => {
  test.setTimeout(240_000);
  const stamp = `${testInfo.project.name}-${Date.now()}`;
  const senderEmail = `expiry-sender-${stamp}@example.org`;
  const office = `expiry-office-${stamp}@example.com`;
  const subject = `Convocation ${stamp}`;
  await qualifiedSender(page, senderEmail, 'Claire Martin');
  await contact(page, office, `Bureau ${stamp}`, 'Bureau SA');
  await sendLetter(page, subject, `Bureau ${stamp}`, Buffer.from('Convocation à l’assemblée.'));
  const sentUrl = new URL(page.url()).pathname;
  const notification = await mailedPath(page, office, '/received/');

  // The operator moves the service clock 13 days on (past the day-12 reminder at 08:00, before
  // the expiry at 00:00 on day 16, whatever the time of sending), waits for the three
  // reminders, then moves past the expiry. (A reminder that only runs after the expiry is
  // dropped, never sent: jumping 16 days at once could lose the last one.)
  const reminders = page.getByRole('link', { name: new RegExp(`rappel.*${office.replace(/[.+]/g, '\\$&')}|${office.replace(/[.+]/g, '\\$&')}.*rappel`, 'i') });
  const advance = async (label: string, times: number) => {
    await page.goto('/dev/clock');
    await hydrated(page);
    for (let i = 0; i < times; i++) {
      const before = await page.locator('.clock-offset').innerText();
      await page.getByRole('button', { name: label }).click();
      await expect(page.locator('.clock-offset')).not.toHaveText(before);
    }
  };
  await advance('+4 jours', 3);
  await advance('+1 jour', 1);
  await expect(async () => {
    await page.goto('/dev/mailbox');
    await hydrated(page);
    await expect(reminders).toHaveCount(3, { timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  await advance('+4 jours', 1);

  // The job queue expires the letter within seconds.
  const card = page.locator('.transaction-card');
  await expect(async () => {
    await page.goto(sentUrl);
    await hydrated(page);
    await expect(card.locator('.status.expired')).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  await page.goto('/dev/mailbox');
  await hydrated(page);
  await expect(reminders).toHaveCount(3);

  await page.goto(sentUrl);
  await hydrated(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    card.getByRole('link', { name: /dossier de preuves/ }).click(),
  ]);
  const kinds = await validateDossier(page, await readFile(await download.path()));
  expect(kinds.filter((k) => k === 'Reminder')).toHaveLength(3);
  expect(kinds).toEqual(expect.arrayContaining(['Identification', 'Deposit', 'Transmission', 'LetterSummary', 'NonClaim']));

  // The recipient: only that the letter expired (LET-10), nothing of the sender or subject.
  const recipient = await newPage(browser, baseURL);
  await recipient.goto(notification);
  await hydrated(recipient);
  await expect(recipient.locator('.notice.expired')).toBeVisible();
  await expect(recipient.getByText(subject)).toHaveCount(0);
  await expect(recipient.getByText('Claire Martin')).toHaveCount(0);
  await expect(recipient.getByRole('link', { name: /dossier de preuves/ })).toHaveCount(0);
});
