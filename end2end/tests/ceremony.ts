import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `pli operators init EMAIL` on the data of the server behind `baseURL` (end2end/serve.sh): the
 * installation ceremony names a security officer, two per server at most (issue 13).
 */
export function ceremony(baseURL: string, email: string): string {
  const port = new URL(baseURL).port;
  const settings = readFileSync(join(process.env.TMPDIR ?? '/tmp', `pli-e2e-${port}.env`), 'utf8');
  const env: Record<string, string> = { ...process.env } as Record<string, string>;
  for (const line of settings.trim().split('\n')) {
    const at = line.indexOf('=');
    env[line.slice(0, at)] = line.slice(at + 1);
  }
  const pli = process.env.PLI_BIN ?? join(process.env.CARGO_TARGET_DIR ?? '../target', 'debug/pli');
  return execFileSync(pli, ['operators', 'init', email], { env }).toString();
}
