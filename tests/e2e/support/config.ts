import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { APP_ROLE, OWNER_ROLE, urlAsRole, urlWithDatabase } from '../../../db/role-names';

// Shared by playwright.config.ts and the tests. The run folder is chosen once in the runner and
// inherited by its workers through the environment.
export const port = Number(process.env.E2E_PORT ?? 3100);
export const sinkPort = Number(process.env.OTP_SINK_PORT ?? port + 899);
export const baseURL = `http://localhost:${port}`;
export const sinkUrl = `http://127.0.0.1:${sinkPort}`;

process.env.E2E_RUN_DIR ??= path.resolve('tests/.tmp', `e2e-${Date.now()}`);
export const runDir = process.env.E2E_RUN_DIR;
mkdirSync(runDir, { recursive: true });

export function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/lib/chromium/chromium', '/usr/bin/chromium'].find((p) => p && existsSync(p));
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function assertLocalDatabase(url: string | undefined) {
  if (!url) return;
  const host = new URL(url).hostname;
  if (!['localhost', '127.0.0.1', '::1'].includes(host)) throw new Error(`e2e refuses a non-local database (${host})`);
}

/**
 * The e2e database on a PostgreSQL server (DATABASE_URL set), in two roles as in production (SPEC L5).
 * DATABASE_URL as the app's role (venues_app): a database already set up and migrated (.ci/run does it).
 * Any other role is taken for a local superuser: the server's start command creates `e2e_<port>` afresh
 * with both roles and migrates it as the owner (`setupCommand`). The server gets the app's URL only; tests
 * that need the owner's rights (tests/e2e/logs.spec.ts) use `ownerUrl`, explicitly.
 */
export const e2eDatabase = (() => {
  const given = process.env.DATABASE_URL;
  if (!given) return undefined;
  if (decodeURIComponent(new URL(given).username) === APP_ROLE)
    return { appUrl: given, ownerUrl: urlAsRole(given, OWNER_ROLE), setupCommand: '' };
  const name = `e2e_${port}`;
  const ownerUrl = urlAsRole(given, OWNER_ROLE, name);
  const tsx = 'npx tsx --conditions=react-server';
  return {
    appUrl: urlAsRole(given, APP_ROLE, name),
    ownerUrl,
    // The superuser's and the owner's URLs live in this command line only: `next start` never has them.
    setupCommand: `${tsx} scripts/db-setup.ts --fresh ${urlWithDatabase(given, name)} && MIGRATION_DATABASE_URL=${ownerUrl} ${tsx} scripts/migrate.ts`,
  };
})();

/** The production server's environment: webhook sender into the capture server, a fresh database. */
export const serverEnv: Record<string, string> = {
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  PUBLIC_URL: baseURL,
  // Servers a test starts with `next start` alone: Next puts the socket address in X-Forwarded-For when a
  // request has none. The suite's own server runs through the launcher with TRUSTED_PROXY_HOPS=0
  // (playwright.config.ts).
  TRUSTED_PROXY_HOPS: '1',
  NEXTAUTH_SECRET: 'e2e-only-secret-3f9c1a7b5d2e8f4a6c0b9d1e7f3a5c8b',
  CODE_SIGNING_KEY: 'ZTJlLW9ubHktY29kZS1zaWduaW5nLXNlZWQtMzJieXQ=',
  IDENTITY_ENCRYPTION_KEY: 'ZTJlLW9ubHktaWRlbnRpdHktZW5jcnlwdGlvbi1rZXk=',
  IDENTITY_HASH_KEY: 'ZTJlLW9ubHktaWRlbnRpdHktbG9va3VwLWhhc2gta2U=',
  IDENTITY_VERIFIER: 'webhook',
  IDENTITY_VERIFIER_URL: `${sinkUrl}/verify`,
  STATUS_IMPORT_API_KEY: 'e2e-status-import-key-0123456789abcdef',
  HEALTH_OFFICIAL_PHONES: '13900000099',
  OTP_SENDER: 'webhook',
  OTP_WEBHOOK_URL: `${sinkUrl}/send`,
  // A short resend wait lets two browsers sign in as one phone; the 60 s default is tested in integration.
  OTP_RESEND_SECONDS: '5',
  // Every test signs in from 127.0.0.1; the per-IP limit itself is tested in integration.
  OTP_IP_HOURLY_LIMIT: '100000',
  // Likewise every checker binds and types codes from 127.0.0.1; these per-IP limits are tested in integration.
  INVITE_LOOKUPS_PER_IP_HOURLY: '100000',
  SHORT_CODE_MISSES_PER_IP_PER_MINUTE: '100000',
  // Account deletion and recovery wait 7 days and 72 h; the journeys (account-life.spec.ts) wait 5 s.
  ACCOUNT_COOLING_OFF_SECONDS: '5',
  ...(e2eDatabase ? { DATABASE_URL: e2eDatabase.appUrl } : { PGLITE_DIR: path.join(runDir, 'pglite') }),
};
