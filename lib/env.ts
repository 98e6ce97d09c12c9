import 'server-only';
import { z } from 'zod';

// The one place that reads process.env. Parsed lazily (the build imports modules too) and checked
// strictly at server start-up by instrumentation.ts: production refuses development defaults.

export const DEV_AUTH_SECRET = 'development-only-secret-do-not-use-in-production';
// Development-only keys (32 bytes, base64). Production refuses them.
export const DEV_CODE_SIGNING_KEY = 'ZGV2LW9ubHktY29kZS1zaWduaW5nLXNlZWQtMzJiISE=';
export const DEV_IDENTITY_ENCRYPTION_KEY = 'ZGV2LW9ubHktaWRlbnRpdHktZW5jcnlwdGlvbi1rZXk=';
export const DEV_IDENTITY_HASH_KEY = 'ZGV2LW9ubHktaWRlbnRpdHktbG9va3VwLWhhc2hrZXk=';
export const DEV_STATUS_IMPORT_API_KEY = 'dev-status-import-key';

const key32 = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)');

/** An http(s) URL reduced to its origin; a path, query or fragment is refused (it would end up in every link). */
const origin = z
  .string()
  .refine((v) => /^https?:$/.test(URL.parse(v)?.protocol ?? ''), 'must be an http or https URL')
  .refine((v) => {
    const u = URL.parse(v);
    return !u || (u.pathname === '/' && !u.search && !u.hash && !u.username && !u.password);
  }, 'must be an origin only (https://host[:port]), without a path')
  .transform((v) => URL.parse(v)?.origin ?? v);

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/**
 * SPEC L4: check-ins lose their link to a person after this many days. Never below 15: a record may
 * arrive 14 days late (lib/checkin/effective-time.ts) and still supersede one 30 minutes older, and both
 * must still carry the person then (the door and the rollups match records by person).
 */
export const MIN_CHECKIN_RETENTION_DAYS = 15;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.string().url().optional(),
  // SPEC L5: the owner role's URL, for `npm run migrate` only; an app server that has it refuses to start.
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  DB_POOL_MAX: int(10),
  PGLITE_DIR: z.string().default('.data/pglite'),
  // The one public origin (scheme, host, port) people and QR codes reach the app at. NEXTAUTH_URL is only
  // a deprecated fallback for older deployments; next-auth is handed PUBLIC_URL at start-up (exportAuthOrigin).
  PUBLIC_URL: origin.optional(),
  NEXTAUTH_URL: origin.optional(),
  NEXTAUTH_SECRET: z.string().min(1).default(DEV_AUTH_SECRET),
  OTP_SENDER: z.enum(['dev', 'webhook']).default('dev'),
  OTP_WEBHOOK_URL: z.string().url().optional(),
  OTP_WEBHOOK_TOKEN: z.string().optional(),
  // Registered SMS template ids (lib/sms/sender.ts): the gateway sends only templates it knows.
  SMS_TEMPLATE_SIGN_IN: z.string().min(1).default('SMS_SIGN_IN'),
  SMS_TEMPLATE_VENUE_DIGEST: z.string().min(1).default('SMS_VENUE_DIGEST'),
  // SPEC L2: the text to an account's old number when someone asks to move the account to a new one.
  SMS_TEMPLATE_PHONE_CHANGE: z.string().min(1).default('SMS_PHONE_CHANGE'),
  // Tests only: shortens both cooling-off periods of lib/accounts/cooling-off.ts (unset: 72 h and 7 days).
  ACCOUNT_COOLING_OFF_SECONDS: z.coerce.number().int().positive().optional(),
  OTP_TTL_SECONDS: int(300),
  OTP_MAX_ATTEMPTS: int(5),
  OTP_RESEND_SECONDS: int(60),
  OTP_DAILY_LIMIT: int(10),
  OTP_IP_HOURLY_LIMIT: int(30),
  // How to find the client's address (lib/auth/client-ip.ts); production needs one of the two.
  TRUSTED_PROXY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be a header name')
    .transform((v) => v.toLowerCase())
    .optional(),
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).optional(),
  // Set by `npm run serve` (scripts/serve.mjs) for its workers, never by hand: the launcher writes the
  // socket address into this private header after deleting any copy the client sent.
  SERVE_SOCKET_HEADER: z.literal('x-serve-socket-address').optional(),
  CODE_SIGNING_KEY: key32(DEV_CODE_SIGNING_KEY),
  IDENTITY_ENCRYPTION_KEY: key32(DEV_IDENTITY_ENCRYPTION_KEY),
  IDENTITY_HASH_KEY: key32(DEV_IDENTITY_HASH_KEY),
  IDENTITY_VERIFIER: z.enum(['dev', 'webhook']).default('dev'),
  IDENTITY_VERIFIER_URL: z.string().url().optional(),
  IDENTITY_VERIFIER_TOKEN: z.string().optional(),
  STATUS_IMPORT_API_KEY: z.string().min(1).default(DEV_STATUS_IMPORT_API_KEY),
  HEALTH_OFFICIAL_PHONES: z
    .string()
    .default('')
    .transform((v) =>
      v
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  SHORT_CODE_LOOKUPS_PER_MINUTE: int(30),
  SHORT_CODE_MISSES_PER_IP_PER_MINUTE: int(120),
  INVITE_LOOKUPS_PER_ACCOUNT_HOURLY: int(20),
  INVITE_LOOKUPS_PER_IP_HOURLY: int(60),
  CHECKIN_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .default(30)
    .refine(
      (v) => v >= MIN_CHECKIN_RETENTION_DAYS,
      `must be at least ${MIN_CHECKIN_RETENTION_DAYS} days (records may arrive 14 days late and supersede one made before them)`,
    ),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Load-test reference routes (/api/bench/*): off unless set; off means 404.
  BENCH_ROUTES: z
    .enum(['0', '1'])
    .optional()
    .transform((v) => v === '1'),
  SEED_DEMO: z
    .enum(['0', '1'])
    .optional()
    .transform((v) => v === '1'),
});

export type Env = z.infer<typeof schema>;

/** Parses an environment; throws one readable error listing every problem. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** What production must not run with. Returns the problems, empty when the configuration is fit. */
export function productionProblems(env: Env): string[] {
  if (env.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (env.NEXTAUTH_SECRET === DEV_AUTH_SECRET || env.NEXTAUTH_SECRET.length < 32) {
    problems.push('NEXTAUTH_SECRET must be set to a random value of at least 32 characters.');
  }
  if (env.OTP_SENDER === 'dev') {
    problems.push('OTP_SENDER=dev shows sign-in codes on screen; configure a real sender (OTP_SENDER=webhook).');
  }
  if (env.OTP_SENDER === 'webhook' && !env.OTP_WEBHOOK_URL) {
    problems.push('OTP_SENDER=webhook needs OTP_WEBHOOK_URL.');
  }
  const devKeys: [string, string][] = [
    ['CODE_SIGNING_KEY', DEV_CODE_SIGNING_KEY],
    ['IDENTITY_ENCRYPTION_KEY', DEV_IDENTITY_ENCRYPTION_KEY],
    ['IDENTITY_HASH_KEY', DEV_IDENTITY_HASH_KEY],
  ];
  for (const [name, dev] of devKeys) {
    if (env[name as 'CODE_SIGNING_KEY'] === dev) problems.push(`${name} must be set to a random key (openssl rand -base64 32).`);
  }
  if (env.STATUS_IMPORT_API_KEY === DEV_STATUS_IMPORT_API_KEY || env.STATUS_IMPORT_API_KEY.length < 24) {
    problems.push('STATUS_IMPORT_API_KEY must be set to a random value of at least 24 characters.');
  }
  if (env.IDENTITY_VERIFIER === 'dev') {
    problems.push('IDENTITY_VERIFIER=dev checks formats only; configure real-name verification (IDENTITY_VERIFIER=webhook).');
  }
  if (env.IDENTITY_VERIFIER === 'webhook' && !env.IDENTITY_VERIFIER_URL) {
    problems.push('IDENTITY_VERIFIER=webhook needs IDENTITY_VERIFIER_URL.');
  }
  const configured = configuredOrigin(env);
  if (!configured) {
    problems.push('PUBLIC_URL must be set to the public origin people reach the app at (e.g. https://venues.example.cn).');
  } else {
    const url = new URL(configured);
    if (url.protocol !== 'https:' && !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname)) {
      problems.push('PUBLIC_URL must use https outside localhost.');
    }
  }
  if (env.PUBLIC_URL && env.NEXTAUTH_URL && env.PUBLIC_URL !== env.NEXTAUTH_URL) {
    problems.push('NEXTAUTH_URL differs from PUBLIC_URL: set PUBLIC_URL only (NEXTAUTH_URL is derived from it).');
  }
  if (env.TRUSTED_PROXY_HEADER && env.TRUSTED_PROXY_HOPS !== undefined) {
    problems.push('Set TRUSTED_PROXY_HEADER or TRUSTED_PROXY_HOPS, not both.');
  } else if (!env.TRUSTED_PROXY_HEADER && env.TRUSTED_PROXY_HOPS === undefined) {
    problems.push(
      'Say how to find the client address (per-IP limits on sign-in codes depend on it): TRUSTED_PROXY_HEADER=<the single-value header your proxy sets, e.g. x-real-ip>, or TRUSTED_PROXY_HOPS=<number of proxies that append to X-Forwarded-For>, or TRUSTED_PROXY_HOPS=0 with `npm run serve` and no proxy.',
    );
  } else if (env.TRUSTED_PROXY_HOPS === 0 && !env.SERVE_SOCKET_HEADER) {
    problems.push('TRUSTED_PROXY_HOPS=0 (no proxy: the socket address) needs the launcher: start with `npm run serve`.');
  }
  return problems;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** The configured public origin: PUBLIC_URL, else the deprecated NEXTAUTH_URL; undefined only outside production. */
export const configuredOrigin = (e: Env): string | undefined => e.PUBLIC_URL ?? e.NEXTAUTH_URL;

/** Warnings that do not stop a server (printed at start-up). */
export function configurationWarnings(e: Env): string[] {
  const warnings: string[] = [];
  if (!e.PUBLIC_URL && e.NEXTAUTH_URL) warnings.push('NEXTAUTH_URL is deprecated: set PUBLIC_URL to the same origin instead.');
  return warnings;
}

/**
 * next-auth 4 reads process.env.NEXTAUTH_URL on every request: hand it the one public origin. Without
 * one (development only: production refuses to start), it follows the request's host, so a phone on the
 * LAN signs in and out on the address it opened.
 */
export function exportAuthOrigin(e: Env, target: Record<string, string | undefined> = process.env): void {
  const origin = configuredOrigin(e);
  if (origin) {
    target.NEXTAUTH_URL = origin;
  } else if (e.NODE_ENV !== 'production') {
    delete target.NEXTAUTH_URL;
    target.AUTH_TRUST_HOST = '1';
  }
}

export const isProduction = () => env().NODE_ENV === 'production';
/** Secure cookies and HSTS need https; e2e runs the production build on http://localhost. */
export const usesHttps = () => configuredOrigin(env())?.startsWith('https://') ?? false;
