import { describe, expect, it } from 'vitest';
import { DEV_AUTH_SECRET, parseEnv, productionProblems } from '@/lib/env';

const fitProduction = {
  NODE_ENV: 'production',
  NEXTAUTH_URL: 'https://venues.example.cn',
  NEXTAUTH_SECRET: 'x'.repeat(40),
  OTP_SENDER: 'webhook',
  OTP_WEBHOOK_URL: 'https://sms.example.cn/send',
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
  });
});
