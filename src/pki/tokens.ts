// The static bearer-token file (upstream --token-auth-file CSV: token,user,uid,"group1,group2") with one
// random cluster-admin token, so clients without a certificate (and tests) can use bearer auth.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from './files';

export const ADMIN_TOKEN_USER = 'admin-token';

/** Creates the file if missing and returns the admin token in it. */
export function ensureTokenFile(file: string): string {
  if (existsSync(file)) {
    const existing = readAdminToken(file);
    if (existing) return existing;
  }
  const token = randomBytes(32).toString('base64url');
  writeFileAtomic(file, `${token},${ADMIN_TOKEN_USER},${ADMIN_TOKEN_USER},"system:masters"\n`, 0o600);
  return token;
}

export function readAdminToken(file: string): string | undefined {
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const [token, user] = line.split(',');
    if (token && user === ADMIN_TOKEN_USER) return token;
  }
  return undefined;
}
