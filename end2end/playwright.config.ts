import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium, never a downloaded browser; flags that keep it off the closed network.
const launchOptions = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
  ],
};

// One server per database backend: SQLite always, PostgreSQL when `make test` started it.
// Ports from PLI_E2E_PORT_BASE (scripts/test.sh picks a free-looking pair per run).
const base = Number(process.env.PLI_E2E_PORT_BASE ?? 3101);
const backends = [{ name: 'sqlite', port: base, clockPort: base + 2, officerPort: base + 4, oidcPort: base + 6, walletPort: base + 10, passkeyPort: base + 13 }];
if (process.env.PLI_TEST_POSTGRES_URL) backends.push({ name: 'postgres', port: base + 1, clockPort: base + 3, officerPort: base + 5, oidcPort: base + 7, walletPort: base + 11, passkeyPort: base + 14 });
// Issue 14: a real OpenID provider (oidc-provider from npm, end2end/peers/oidc-provider.mjs),
// and servers of their own that prove identities with it instead of the simulator.
const providerPort = base + 8;
const oidcSpecs = /oidc\.spec\.ts/;
const oidcEnv = {
  PLI_IDENTITY__PROVIDER: 'oidc',
  PLI_IDENTITY__OIDC__NAME: 'test-oidc',
  PLI_IDENTITY__OIDC__ISSUER: `http://127.0.0.1:${providerPort}`,
  PLI_IDENTITY__OIDC__CLIENT_ID: 'pli-rs',
  PLI_IDENTITY__OIDC__CLIENT_SECRET: 'pli-secret',
  PLI_IDENTITY__OIDC__LEVELS: '["eidas1", "eidas2", "eidas3"]',
  PLI_IDENTITY__OIDC__REQUIRED_LEVEL: 'eidas2',
};
// Issue 14: a test EU digital identity wallet and its PID issuers (end2end/peers/eudi-wallet.mjs,
// the OpenWallet Foundation's SD-JWT libraries from npm), and servers of their own that prove
// identities with it.
const walletPeerPort = base + 12;
const walletPeer = `http://127.0.0.1:${walletPeerPort}`;
const walletSpecs = /wallet\.spec\.ts/;
const walletEnv = {
  PLI_IDENTITY__PROVIDER: 'wallet',
  PLI_IDENTITY__WALLET__NAME: 'eudi-wallet',
  PLI_IDENTITY__WALLET__TRUSTED_ISSUERS: `["${walletPeer}/issuers/trusted"]`,
  PLI_IDENTITY__WALLET__WALLET_URL: `${walletPeer}/authorize`,
};
// Issue 14: passkeys (WebAuthn) need the service at a domain name — browsers refuse an IP
// address as a relying party — so their journeys run on servers of their own whose public URL
// is http://localhost:PORT, driven by Chromium's virtual authenticator.
const passkeySpecs = /passkeys\.spec\.ts/;
// Journeys that move the service clock (expiry.spec.ts) run on servers of their own, one
// viewport after the other, so that they never expire another journey's letters.
const clockSpecs = /expiry\.spec\.ts/;
// The installation ceremony names two security officers per server, both taken by
// back-office.spec.ts: the journeys that name one more (one per viewport) have servers of their own.
const officerSpecs = /incidents\.spec\.ts/;
// Which viewports run on which database. Every journey runs on a desktop and on a phone, and
// on both databases: pairwise by default (desktop on SQLite, phone on PostgreSQL; the cargo
// tests run every server path on both databases), every pair with PLI_E2E_MATRIX=full.
const full = process.env.PLI_E2E_MATRIX === 'full' || backends.length === 1;
const viewports = (backend: string) =>
  full ? ['desktop', 'phone'] : [backend === 'sqlite' ? 'desktop' : 'phone'];
const device = { desktop: devices['Desktop Chrome'], phone: devices['Pixel 7'] };

export default defineConfig({
  testDir: 'tests',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: backends.flatMap(({ name, port, clockPort, officerPort, oidcPort, walletPort, passkeyPort }) => viewports(name).flatMap((viewport) => [
    {
      name: `${viewport}-${name}`,
      testIgnore: [clockSpecs, officerSpecs, oidcSpecs, walletSpecs, passkeySpecs],
      use: { ...device[viewport], baseURL: `http://127.0.0.1:${port}`, launchOptions },
    },
    {
      name: `clock-${viewport}-${name}`,
      testMatch: clockSpecs,
      // Two viewports on one clock server: one after the other.
      dependencies: viewport === 'phone' && full ? [`clock-desktop-${name}`] : [],
      use: { ...device[viewport], baseURL: `http://127.0.0.1:${clockPort}`, launchOptions },
    },
    {
      name: `officers-${viewport}-${name}`,
      testMatch: officerSpecs,
      use: { ...device[viewport], baseURL: `http://127.0.0.1:${officerPort}`, launchOptions },
    },
    {
      name: `oidc-${viewport}-${name}`,
      testMatch: oidcSpecs,
      use: { ...device[viewport], baseURL: `http://127.0.0.1:${oidcPort}`, launchOptions },
    },
    {
      name: `wallet-${viewport}-${name}`,
      testMatch: walletSpecs,
      use: { ...device[viewport], baseURL: `http://127.0.0.1:${walletPort}`, launchOptions },
    },
    {
      name: `passkeys-${viewport}-${name}`,
      testMatch: passkeySpecs,
      use: { ...device[viewport], baseURL: `http://localhost:${passkeyPort}`, launchOptions },
    },
  ])),
  webServer: [
    ...backends.flatMap(({ name, port, clockPort, officerPort, oidcPort, walletPort, passkeyPort }) => [port, clockPort, officerPort, oidcPort, walletPort, passkeyPort].map((p) => ({
      command: `./serve.sh ${name} ${p}`,
      url: `http://127.0.0.1:${p}/readyz`,
      env: p === oidcPort ? oidcEnv : p === walletPort ? walletEnv : p === passkeyPort ? { PLI_E2E_HOST: 'localhost' } : {},
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    }))),
    {
      command: `node peers/oidc-provider.mjs --port ${providerPort} --keys ${process.env.TMPDIR ?? '/tmp'}/pli-e2e-oidc-${providerPort}.json `
        + backends.map(({ oidcPort }) => `--redirect http://127.0.0.1:${oidcPort}/identity/oidc/callback`).join(' '),
      url: `http://127.0.0.1:${providerPort}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    },
    {
      command: `node peers/eudi-wallet.mjs --port ${walletPeerPort}`,
      url: `${walletPeer}/_health`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    },
  ],
});
