// What users do in the letter journeys (issue 5), shared by the letter spec files.
import { expect, type Page, type Browser } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import { hydrated } from './helpers';

export const PASSWORD = 'correct horse battery staple';

export function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A code from a time step the server has not accepted yet (it refuses a step at or before the
 * last one it accepted): the current step's, else the next one's (the server accepts one step
 * either side, as for a clock a little ahead), else the next step is waited for. `used` keeps
 * the codes given (and codes never to give), and the last step as `step:N`.
 */
export async function freshCode(generator: OTPAuth.TOTP, used: Set<string>): Promise<string> {
  for (;;) {
    const now = Math.floor(Date.now() / 1000 / generator.period);
    const steps = [...used].filter((u) => u.startsWith('step:')).map((u) => Number(u.slice(5)));
    const last = Math.max(-1, ...steps);
    for (const step of [now, now + 1]) {
      const code = generator.generate({ timestamp: step * generator.period * 1000 });
      if (step > last && !used.has(code)) {
        used.add(code);
        used.add(`step:${step}`);
        return code;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** The newest mail to `to` whose text has a link to `target`; returns the link's path and query. */
export async function mailedPath(page: Page, to: string, target: string): Promise<string> {
  await expect(async () => {
    await page.goto('/dev/mailbox');
    await hydrated(page);
    // The notification is queued, then sent by the job runner: reload until it is there.
    const mail = page.getByRole('link', { name: new RegExp(to.replace(/[.+]/g, '\\$&')) }).first();
    await expect(mail).toBeVisible({ timeout: 2000 });
    await mail.click();
    await expect(page.locator('.mail-text')).toContainText(target.replace(/\\/g, ''), { timeout: 2000 });
  }).toPass({ timeout: 60_000 });
  const text = await page.locator('.mail-text').innerText();
  const link = text.match(new RegExp(`https?://\\S+${target}\\S*`));
  expect(link, text).not.toBeNull();
  const url = new URL(link![0]);
  return url.pathname + url.search;
}

/** The authenticator app holding the TOTP `secret` shown at enrolment. */
export function totp(secret: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Pli', algorithm: 'SHA1', digits: 6, period: 30, secret });
}

/** Signs up `email` as `name` through the pages and confirms it from the development mailbox. */
export async function signUpAndConfirm(page: Page, email: string, name: string) {
  await page.goto('/signup');
  await hydrated(page);
  await page.getByLabel('Nom et prénom').fill(name);
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Créer mon compte' }).click();
  await expect(page.getByRole('status')).toContainText('ouvrez le lien');
  await page.goto(await mailedPath(page, email, '/confirm-email\\?token='));
  await hydrated(page);
  await page.getByRole('button', { name: 'Confirmer mon adresse' }).click();
  await expect(page.getByRole('status')).toContainText('Votre adresse est confirmée');
}

/**
 * TERMS-01 (policy §3.3): the decision buttons wait for the recipient terms to be accepted;
 * ticks the box that accepts them (it names their version).
 */
export async function acceptRecipientTerms(page: Page) {
  await expect(page.getByRole('button', { name: 'Accepter la lettre' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Refuser la lettre' })).toBeDisabled();
  await page.getByRole('checkbox', { name: /Conditions d'utilisation — destinataires \(version \d{4}-\d{2}\)/ }).check();
  await expect(page.getByRole('button', { name: 'Accepter la lettre' })).toBeEnabled();
}

/** Fills in and submits the sign-in form of the page. */
export async function signIn(page: Page, email: string) {
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe').fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

/** Signs up, confirms and signs in from /signin, on the profile page: no second factor yet, so
 * the account can do nothing but enrol one (policy §6, §13.7). */
export async function signedInAccount(page: Page, email: string, name: string) {
  await signUpAndConfirm(page, email, name);
  await page.goto('/signin');
  await hydrated(page);
  await signIn(page, email);
  await expect(page).toHaveURL(/\/profile$/);
}

/** Signs up, confirms, signs in and enrols TOTP; returns the code generator. */
export async function accountWithTotp(page: Page, email: string, name: string) {
  await signedInAccount(page, email, name);
  return enrolTotp(page);
}

/** Enrols TOTP from the profile page of a signed-in account; returns the code generator. */
export async function enrolTotp(page: Page) {
  await page.getByRole('button', { name: 'Activer la double authentification' }).click();
  const secret = (await page.locator('.totp-secret').innerText()).trim();
  const generator = totp(secret);
  const used = new Set<string>();
  await page.getByLabel('Code').fill(await freshCode(generator, used));
  await page.getByRole('button', { name: 'Confirmer' }).click();
  await page.getByRole('button', { name: 'Je les ai notés' }).click();
  await expect(page.locator('.otp-left')).toBeVisible();
  return { generator, used };
}

/** An account with TOTP and a proven identity (ID-02), but no customer: it receives. */
export async function provenAccount(page: Page, email: string, name: string) {
  const authenticator = await accountWithTotp(page, email, name);
  await proveWithSimulator(page, name);
  await expect(page).toHaveURL(/\/profile\?proofing=/);
  await expect(page.locator('.identity-status')).toContainText('vérifiée');
  return authenticator;
}

/**
 * An account that may send: TOTP, a proven identity (ID-02), and a customer (policy §4.3) —
 * the development contract of the customer space (back-office.spec.ts records real ones).
 */
export async function qualifiedSender(page: Page, email: string, name: string) {
  const authenticator = await provenAccount(page, email, name);
  await signDevelopmentContract(page);
  return authenticator;
}

/** Signs the development contract on the customer space, then returns to the profile. */
export async function signDevelopmentContract(page: Page) {
  await page.goto('/customer');
  await hydrated(page);
  await page.getByRole('button', { name: 'Signer un contrat de démonstration' }).click();
  await expect(page.locator('.customer-contract[data-status="active"]')).toBeVisible();
  await page.goto('/profile');
  await hydrated(page);
}

/** Clicks "Prouver mon identité" and answers the development simulator. */
export async function proveWithSimulator(page: Page, name: string, outcome = 'Identité vérifiée') {
  await hydrated(page);
  await page.getByRole('button', { name: 'Prouver mon identité' }).click();
  await expect(page).toHaveURL(/\/dev\/identity\//);
  // The simulator is a new document: wait for it to load, then to hydrate (a click before
  // hydration would post the form natively).
  await page.waitForLoadState('load');
  await hydrated(page);
  await page.getByLabel('Nom lu sur la pièce').fill(name);
  await page.getByLabel(outcome).check();
  await page.getByRole('button', { name: 'Envoyer le résultat' }).click();
}

/**
 * Creates a contact on the contacts page. A professional needs no consent (CONS-05); `company`
 * undefined makes a private person, who must consent first (CONS-01). With `rcs` (a French
 * registry number), the letters are for the company itself (policy §6.4).
 */
export async function contact(page: Page, email: string, name: string, company?: string, rcs?: string) {
  await page.goto('/contacts');
  await hydrated(page);
  const form = page.locator('form.contact-form');
  await form.getByLabel('Nom', { exact: true }).fill(name);
  await form.getByLabel('Adresse électronique').fill(email);
  if (company) {
    await form.getByRole('checkbox').check();
    await form.getByLabel("Nom de l'entreprise").fill(company);
  }
  if (rcs) {
    await form.getByLabel("Numéro d'immatriculation de l'entreprise (facultatif)").fill(rcs);
  }
  await form.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.locator(`li.contact[data-email="${email}"]`)).toBeVisible();
}

/**
 * Composes and sends a letter with one small attachment to the contact named `to`;
 * `atSummary` runs while the summary to confirm is shown (e.g. an accessibility check).
 */
export async function sendLetter(
  page: Page,
  subject: string,
  to: string,
  attachment: Buffer,
  atSummary?: (page: Page) => Promise<void>,
) {
  await page.goto('/compose');
  await hydrated(page);
  await page.getByLabel('Objet').fill(subject);
  await page.getByRole('checkbox', { name: new RegExp(to) }).check();
  await page.locator('input[type="file"][name="attachments"]').setInputFiles({
    name: 'piece.txt',
    mimeType: 'text/plain',
    buffer: attachment,
  });
  await expect(page.locator('.attachment-list .attachment-sha256')).toHaveText(sha256(attachment));
  await page.getByRole('button', { name: 'Envoyer la lettre recommandée' }).click();
  if (atSummary) {
    await expect(page.locator('.send-summary')).toBeVisible();
    await atSummary(page);
  }
  await confirmSend(page);
  await expect(page).toHaveURL(/\/sent\/[^/]+$/, { timeout: 30_000 });
  await notificationsHandedOver(page);
}

/** The summary shown before sending (issue 11): confirms it. */
export async function confirmSend(page: Page) {
  const summary = page.locator('.send-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toContainText('ne peut plus être modifiée ni annulée');
  await page.getByRole('button', { name: "Confirmer l'envoi recommandé" }).click();
}

/** On a sent letter's page: waits until the job queue has handed every notification over to
 *  the mail server (issue 10: a recipient is "notification en cours" until then). */
export async function notificationsHandedOver(page: Page) {
  await expect(async () => {
    await page.reload();
    await hydrated(page);
    await expect(page.locator('.transaction-card .status.notifying')).toHaveCount(0, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}

export async function newPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  return context.newPage();
}

/** Collects what must never show in the console: CSP violations and WASM panics. */
export function consoleProblems(page: Page, into: string[]) {
  page.on('console', (message) => {
    const text = message.text();
    if (text.includes('Content Security Policy') || text.includes('panicked')) into.push(text);
  });
}

/**
 * LET-12, EVD-03: every PDF of a dossier ZIP is a valid evidence for pyHanko (an independent
 * validator) trusting the server's published root, and the manifest lists each with its
 * SHA-256. Returns the evidence kinds found in the manifest, in order.
 */
export async function validateDossier(page: Page, zip: Buffer): Promise<string[]> {
  const root = await (await page.request.get('/pki/root.pem')).text();
  const dir = mkdtempSync(join(tmpdir(), 'pli-dossier-'));
  writeFileSync(join(dir, 'dossier.zip'), zip);
  writeFileSync(join(dir, 'root.pem'), root);
  const cache = process.env.PLI_CACHE ?? join(process.env.HOME ?? '', '.cache/pli');
  const script = `
import hashlib, json, subprocess, sys, zipfile
d = sys.argv[1]
z = zipfile.ZipFile(d + "/dossier.zip")
manifest = json.loads(z.read("manifest.json"))
kinds = []
for f in manifest["files"]:
    pdf = z.read(f["name"])
    assert hashlib.sha256(pdf).hexdigest() == f["sha256"], f["name"]
    open(d + "/e.pdf", "wb").write(pdf)
    out = subprocess.run([sys.argv[2], "sign", "validate", "--no-revocation-check", "--pretty-print",
                          "--trust-replace", "--trust", d + "/root.pem", d + "/e.pdf"],
                         capture_output=True, text=True)
    assert out.returncode == 0 and "judged VALID" in out.stdout, f["name"] + out.stdout + out.stderr
    kinds.append(f["kind"])
# Besides manifest.json, the transparency log's proofs and sealed tree head (issue 12).
evidences = [n for n in z.namelist() if n != "manifest.json" and not n.startswith("log/")]
assert len(manifest["files"]) == len(evidences), z.namelist()
assert "log/inclusion.json" in z.namelist(), z.namelist()
print(json.dumps(kinds))
`;
  const output = execFileSync(join(cache, 'venv/bin/python'), ['-c', script, dir, join(cache, 'venv/bin/pyhanko')], {
    encoding: 'utf8',
  });
  return JSON.parse(output.trim());
}
