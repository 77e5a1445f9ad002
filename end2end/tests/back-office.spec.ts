import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { ceremony } from './ceremony';
import { expectAccessible, hydrated, noHorizontalScroll } from './helpers';
import { accountWithTotp, newPage } from './journey';

// Issue 13 (OPS-01, OPS-06; policy §13.1.2, §13.1.3, §13.6.4): the installation ceremony names
// two security officers; one requests a role, the other approves it, and it takes effect when
// its holder accepts it; a forbidden combination is refused with the policy's words.

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
