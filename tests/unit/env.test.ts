import { describe, expect, it } from 'vitest';
import { DEV_AUTH_SECRET, parseEnv, productionProblems } from '@/lib/env';

const fitProduction = {
  NODE_ENV: 'production',
  NEXTAUTH_URL: 'https://venues.example.cn',
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
    expect(productionProblems(env)).toEqual([]);
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
    expect(productionProblems(parseEnv({ ...fitProduction, NEXTAUTH_URL: 'http://venues.example.cn' })).join()).toMatch(/https/);
    expect(productionProblems(parseEnv({ ...fitProduction, NEXTAUTH_URL: 'http://localhost:3100' }))).toEqual([]);
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
});
