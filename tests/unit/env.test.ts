import { afterEach, describe, expect, it, vi } from 'vitest';
import { configurationWarnings, configuredOrigin, DEV_AUTH_SECRET, exportAuthOrigin, parseEnv, productionProblems } from '@/lib/env';

const fitProduction = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://venues.example.cn',
  TRUSTED_PROXY_HEADER: 'X-Real-IP',
  NEXTAUTH_SECRET: 'x'.repeat(40),
  OTP_SENDER: 'webhook',
  OTP_WEBHOOK_URL: 'https://sms.example.cn/send',
  CODE_SIGNING_KEY: Buffer.alloc(32, 1).toString('base64'),
  IDENTITY_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64'),
  IDENTITY_HASH_KEY: Buffer.alloc(32, 3).toString('base64'),
  IDENTITY_VERIFIER: 'webhook',
  IDENTITY_VERIFIER_URL: 'https://verify.example.cn/check',
  STATUS_IMPORT_API_KEY: 'k'.repeat(32),
};

describe('configuration', () => {
  it('has working development defaults', () => {
    const env = parseEnv({});
    expect(env.NODE_ENV).toBe('development');
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PGLITE_DIR).toBe('.data/pglite');
    expect(env.OTP_TTL_SECONDS).toBe(300);
    expect(env.OTP_MAX_ATTEMPTS).toBe(5);
    expect(env.OTP_RESEND_SECONDS).toBe(60);
    expect(env.OTP_DAILY_LIMIT).toBe(10);
    expect(env.CHECKIN_RETENTION_DAYS).toBe(30);
    expect(productionProblems(env)).toEqual([]);
  });

  it('keeps check-ins linked at least 15 days (14 days of lateness and the supersede window)', () => {
    expect(parseEnv({ CHECKIN_RETENTION_DAYS: '15' }).CHECKIN_RETENTION_DAYS).toBe(15);
    expect(() => parseEnv({ CHECKIN_RETENTION_DAYS: '14' })).toThrow(/CHECKIN_RETENTION_DAYS: must be at least 15 days/);
    expect(() => parseEnv({ CHECKIN_RETENTION_DAYS: '0' })).toThrow(/CHECKIN_RETENTION_DAYS/);
  });

  it('reports every invalid value at once, by name', () => {
    expect(() => parseEnv({ DATABASE_URL: 'not a url', OTP_TTL_SECONDS: '-5', OTP_SENDER: 'carrier-pigeon' })).toThrow(
      /DATABASE_URL[\s\S]*OTP_SENDER[\s\S]*OTP_TTL_SECONDS|DATABASE_URL[\s\S]*OTP_TTL_SECONDS[\s\S]*OTP_SENDER/,
    );
  });

  it('accepts a fit production configuration', () => {
    expect(productionProblems(parseEnv(fitProduction))).toEqual([]);
  });

  it('refuses development defaults in production', () => {
    expect(productionProblems(parseEnv({ ...fitProduction, NEXTAUTH_SECRET: DEV_AUTH_SECRET })).join()).toMatch(/NEXTAUTH_SECRET/);
    expect(productionProblems(parseEnv({ ...fitProduction, NEXTAUTH_SECRET: 'short' })).join()).toMatch(/NEXTAUTH_SECRET/);
    expect(productionProblems(parseEnv({ ...fitProduction, OTP_SENDER: 'dev' })).join()).toMatch(/OTP_SENDER=dev/);
    expect(productionProblems(parseEnv({ ...fitProduction, OTP_WEBHOOK_URL: undefined })).join()).toMatch(/OTP_WEBHOOK_URL/);
    expect(productionProblems(parseEnv({ ...fitProduction, PUBLIC_URL: 'http://venues.example.cn' })).join()).toMatch(/https/);
    expect(productionProblems(parseEnv({ ...fitProduction, PUBLIC_URL: 'http://localhost:3100' }))).toEqual([]);
    expect(productionProblems(parseEnv({ ...fitProduction, CODE_SIGNING_KEY: undefined })).join()).toMatch(/CODE_SIGNING_KEY/);
    expect(productionProblems(parseEnv({ ...fitProduction, IDENTITY_ENCRYPTION_KEY: undefined })).join()).toMatch(
      /IDENTITY_ENCRYPTION_KEY/,
    );
    expect(productionProblems(parseEnv({ ...fitProduction, IDENTITY_HASH_KEY: undefined })).join()).toMatch(/IDENTITY_HASH_KEY/);
    expect(productionProblems(parseEnv({ ...fitProduction, IDENTITY_VERIFIER: 'dev' })).join()).toMatch(/IDENTITY_VERIFIER=dev/);
    expect(productionProblems(parseEnv({ ...fitProduction, STATUS_IMPORT_API_KEY: undefined })).join()).toMatch(/STATUS_IMPORT_API_KEY/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => parseEnv({ CODE_SIGNING_KEY: Buffer.alloc(16).toString('base64') })).toThrow(/CODE_SIGNING_KEY/);
  });

  // Issue #16: one public origin.
  it('production refuses to start without a public origin; NEXTAUTH_URL is a deprecated fallback', () => {
    expect(productionProblems(parseEnv({ ...fitProduction, PUBLIC_URL: undefined })).join()).toMatch(/PUBLIC_URL must be set/);
    const legacy = parseEnv({ ...fitProduction, PUBLIC_URL: undefined, NEXTAUTH_URL: 'https://venues.example.cn/' });
    expect(productionProblems(legacy)).toEqual([]);
    expect(configuredOrigin(legacy)).toBe('https://venues.example.cn');
    expect(configurationWarnings(legacy).join()).toMatch(/NEXTAUTH_URL is deprecated/);
    expect(configurationWarnings(parseEnv(fitProduction))).toEqual([]);
    // Two different origins: which one the QR codes use would be a guess.
    expect(productionProblems(parseEnv({ ...fitProduction, NEXTAUTH_URL: 'https://old.example.cn' })).join()).toMatch(/differs/);
    expect(productionProblems(parseEnv({ ...fitProduction, NEXTAUTH_URL: 'https://venues.example.cn' }))).toEqual([]);
  });

  it('the public origin is an origin: scheme, host and port, nothing else', () => {
    expect(parseEnv({ PUBLIC_URL: 'https://venues.example.cn:8443/' }).PUBLIC_URL).toBe('https://venues.example.cn:8443');
    for (const bad of ['https://venues.example.cn/app', 'https://venues.example.cn/?x=1', 'ftp://venues.example.cn', 'venues.example.cn']) {
      expect(() => parseEnv({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/);
    }
  });

  it('next-auth is handed the public origin; development without one follows the request host', () => {
    const target: Record<string, string | undefined> = { NEXTAUTH_URL: 'https://stale.example.cn' };
    exportAuthOrigin(parseEnv(fitProduction), target);
    expect(target.NEXTAUTH_URL).toBe('https://venues.example.cn');
    const devTarget: Record<string, string | undefined> = {};
    exportAuthOrigin(parseEnv({}), devTarget);
    expect(devTarget).toEqual({ AUTH_TRUST_HOST: '1' });
    const prodTarget: Record<string, string | undefined> = {};
    exportAuthOrigin(parseEnv({ NODE_ENV: 'production' }), prodTarget);
    expect(prodTarget).toEqual({}); // never the request's host in production (it refuses to start anyway)
  });

  // Issue #16: the client address comes from the deployment, never from the first X-Forwarded-For entry.
  it('production refuses to start without saying how to find the client address', () => {
    const none = { ...fitProduction, TRUSTED_PROXY_HEADER: undefined };
    expect(productionProblems(parseEnv(none)).join()).toMatch(/TRUSTED_PROXY_HEADER=.*TRUSTED_PROXY_HOPS=/);
    expect(productionProblems(parseEnv({ ...none, TRUSTED_PROXY_HOPS: '1' }))).toEqual([]);
    expect(productionProblems(parseEnv({ ...fitProduction, TRUSTED_PROXY_HOPS: '1' })).join()).toMatch(/not both/);
    // 0 hops = the socket address, which only the launcher (npm run serve) writes.
    expect(productionProblems(parseEnv({ ...none, TRUSTED_PROXY_HOPS: '0' })).join()).toMatch(/npm run serve/);
    expect(productionProblems(parseEnv({ ...none, TRUSTED_PROXY_HOPS: '0', SERVE_SOCKET_HEADER: 'x-serve-socket-address' }))).toEqual([]);
    expect(() => parseEnv({ TRUSTED_PROXY_HEADER: 'x-real-ip: 1.2.3.4' })).toThrow(/TRUSTED_PROXY_HEADER/);
    expect(() => parseEnv({ TRUSTED_PROXY_HOPS: '-1' })).toThrow(/TRUSTED_PROXY_HOPS/);
    expect(parseEnv(fitProduction).TRUSTED_PROXY_HEADER).toBe('x-real-ip');
  });
});

describe('QR links (issue #16)', () => {
  afterEach(() => vi.unstubAllEnvs());
  const joinUrlWith = async (vars: Record<string, string>) => {
    vi.resetModules();
    for (const [k, v] of Object.entries({ PUBLIC_URL: '', NEXTAUTH_URL: '', ...vars })) vi.stubEnv(k, v);
    return (await import('@/lib/venues/join-url')).joinUrl;
  };

  it('are built from the public origin, never from a stale NEXTAUTH_URL', async () => {
    const joinUrl = await joinUrlWith({ PUBLIC_URL: 'https://venues.example.cn:8443/' });
    expect(await joinUrl('ABCD2345')).toBe('https://venues.example.cn:8443/join/ABCD2345');
  });

  it('production without one has no link to give (and refuses to start, above)', async () => {
    const joinUrl = await joinUrlWith({ NODE_ENV: 'production' });
    await expect(joinUrl('ABCD2345')).rejects.toThrow(/PUBLIC_URL/);
  });

  it('development without one follows the Host the page was opened at (a phone on the LAN), if it is a host', async () => {
    const { requestOrigin } = await import('@/lib/auth/public-origin');
    expect(requestOrigin(new Headers({ host: '192.168.1.5:3000' }))).toBe('http://192.168.1.5:3000');
    expect(requestOrigin(new Headers({ host: 'dev.example.test', 'x-forwarded-proto': 'https' }))).toBe('https://dev.example.test');
    for (const bad of ['evil.example/path', 'a b', 'evil.example@x', '']) expect(requestOrigin(new Headers({ host: bad })), bad).toBeNull();
  });
});
