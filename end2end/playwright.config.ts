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
const backends = [{ name: 'sqlite', port: base }];
if (process.env.PLI_TEST_POSTGRES_URL) backends.push({ name: 'postgres', port: base + 1 });

export default defineConfig({
  testDir: 'tests',
  forbidOnly: !!process.env.CI,
  retries: 0,
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: backends.flatMap(({ name, port }) => [
    {
      name: `desktop-${name}`,
      use: { ...devices['Desktop Chrome'], baseURL: `http://127.0.0.1:${port}`, launchOptions },
    },
    {
      name: `phone-${name}`,
      use: { ...devices['Pixel 7'], baseURL: `http://127.0.0.1:${port}`, launchOptions },
    },
  ]),
  webServer: backends.map(({ name, port }) => ({
    command: `./serve.sh ${name} ${port}`,
    url: `http://127.0.0.1:${port}/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
  })),
});
