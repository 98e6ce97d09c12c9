import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db';
import { findActiveSession } from '@/db/queries/accounts';
import { accounts, auditLog, authSessions, signInCodes } from '@/db/schema';
import { requestSignInCode, signOutEverywhere, verifySignInCode, type SignInConfig } from '@/lib/auth/sign-in';
import { captureSender } from '../helpers/capture-sender';
import { createTestDb } from '../helpers/test-db';

const cfg: SignInConfig = {
  secret: 'test-secret-test-secret-test-secret-00',
  limits: { codeTtlSeconds: 300, maxAttempts: 5, resendSeconds: 60, dailyPerPhone: 10, hourlyPerIp: 20 },
};

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h.close();
});

let n = 0;
const phone = () => `137${String(1_000_000 + (n += 1) * 37).padStart(8, '0')}`;
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

async function issue(p: string, now: Date, ip = '10.0.0.1') {
  const sender = captureSender();
  const result = await requestSignInCode(h.db, cfg, sender, { phone: p, ip, now });
  return { result, code: sender.sent.at(-1)?.code };
}

describe('requesting a code', () => {
  it('refuses a number that is not a mainland mobile number, storing nothing', async () => {
    for (const bad of ['', '12345678901', '1381234567', '23800000000', '138000000001', 'abc', '+1 2025550123']) {
      const { result } = await issue(bad, new Date());
      expect(result).toEqual({ ok: false, reason: 'invalid_phone' });
    }
    expect(await h.db.select().from(signInCodes).where(eq(signInCodes.phone, '12345678901'))).toHaveLength(0);
  });

  it('stores only a keyed hash of the code and sends the code itself', async () => {
    const p = phone();
    const { result, code } = await issue(`+86 ${p.slice(0, 3)} ${p.slice(3)}`, new Date());
    expect(result).toMatchObject({ ok: true, phone: p });
    expect(result).not.toHaveProperty('devCode');
    expect(code).toMatch(/^\d{6}$/);
    const [row] = await h.db.select().from(signInCodes).where(eq(signInCodes.phone, p));
    expect(row.codeHash).not.toContain(code);
    expect(row.codeHash.length).toBeGreaterThan(20);
    expect(row.ipHash).not.toContain('10.0.0.1');
  });

  it('allows one code a minute per phone', async () => {
    const p = phone();
    const t0 = new Date('2026-11-01T02:00:00Z');
    expect((await issue(p, t0)).result.ok).toBe(true);
    expect((await issue(p, at(t0, 30))).result).toEqual({ ok: false, reason: 'too_soon', retryAfterSeconds: 30 });
    expect((await issue(p, at(t0, 60))).result.ok).toBe(true);
  });

  it('allows ten codes a day per phone', async () => {
    const p = phone();
    const t0 = new Date('2026-11-02T02:00:00Z');
    for (let i = 0; i < 10; i++) expect((await issue(p, at(t0, i * 61), `10.1.0.${i}`)).result.ok).toBe(true);
    expect((await issue(p, at(t0, 10 * 61), '10.1.1.1')).result).toEqual({ ok: false, reason: 'daily_limit' });
    // A day after the first, one more is allowed.
    expect((await issue(p, at(t0, 86_400 + 1), '10.1.1.1')).result.ok).toBe(true);
  });

  it('limits codes per IP across phones', async () => {
    const t0 = new Date('2026-11-03T02:00:00Z');
    for (let i = 0; i < 20; i++) expect((await issue(phone(), t0, '10.9.9.9')).result.ok).toBe(true);
    expect((await issue(phone(), t0, '10.9.9.9')).result).toEqual({ ok: false, reason: 'ip_limit' });
    expect((await issue(phone(), t0, '10.9.9.8')).result.ok).toBe(true);
  });

  it('reports a failed delivery', async () => {
    const sender = captureSender();
    sender.fail = true;
    expect(await requestSignInCode(h.db, cfg, sender, { phone: phone(), ip: '10.0.0.2' })).toEqual({ ok: false, reason: 'send_failed' });
  });
});

describe('verifying a code', () => {
  it('creates the account on first sign-in, with a 30-day session and audit rows', async () => {
    const p = phone();
    const t0 = new Date();
    const { code } = await issue(p, t0);
    const result = await verifySignInCode(h.db, cfg, { phone: p, code: code!, now: at(t0, 10) });
    expect(result).toMatchObject({ ok: true, accountCreated: true });
    if (!result.ok) throw new Error('unreachable');
    const [session] = await h.db.select().from(authSessions).where(eq(authSessions.id, result.sessionId));
    expect(session.expiresAt.getTime() - at(t0, 10).getTime()).toBe(30 * 86_400_000);
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.actorAccountId, result.accountId));
    expect(audit.map((a) => a.action).sort()).toEqual(['account.create', 'auth.sign_in']);
    expect(await findActiveSession(h.db, result.sessionId, at(t0, 60))).toMatchObject({ accountId: result.accountId, phone: p });
    expect(await findActiveSession(h.db, result.sessionId, at(t0, 31 * 86_400))).toBeNull();
  });

  it('signs an existing account in without creating another', async () => {
    const p = phone();
    const t0 = new Date('2026-11-04T02:00:00Z');
    const first = await verifySignInCode(h.db, cfg, { phone: p, code: (await issue(p, t0)).code!, now: t0 });
    const second = await verifySignInCode(h.db, cfg, { phone: p, code: (await issue(p, at(t0, 61))).code!, now: at(t0, 62) });
    expect(first.ok && second.ok && first.accountId === second.accountId).toBe(true);
    expect(second).toMatchObject({ accountCreated: false });
    expect(await h.db.select().from(accounts).where(eq(accounts.phone, p))).toHaveLength(1);
  });

  it('is single use', async () => {
    const p = phone();
    const t0 = new Date();
    const { code } = await issue(p, t0);
    expect((await verifySignInCode(h.db, cfg, { phone: p, code: code!, now: t0 })).ok).toBe(true);
    expect(await verifySignInCode(h.db, cfg, { phone: p, code: code!, now: t0 })).toEqual({ ok: false, reason: 'used' });
  });

  it('expires after five minutes', async () => {
    const p = phone();
    const t0 = new Date('2026-11-05T02:00:00Z');
    const { code } = await issue(p, t0);
    expect(await verifySignInCode(h.db, cfg, { phone: p, code: code!, now: at(t0, 300) })).toEqual({ ok: false, reason: 'expired' });
  });

  it('locks the code after five wrong tries, even for the right code', async () => {
    const p = phone();
    const t0 = new Date();
    const { code } = await issue(p, t0);
    const wrong = code === '000000' ? '000001' : '000000';
    for (let left = 4; left >= 1; left--) {
      expect(await verifySignInCode(h.db, cfg, { phone: p, code: wrong, now: t0 })).toEqual({
        ok: false,
        reason: 'wrong_code',
        attemptsLeft: left,
      });
    }
    expect(await verifySignInCode(h.db, cfg, { phone: p, code: wrong, now: t0 })).toEqual({ ok: false, reason: 'locked' });
    expect(await verifySignInCode(h.db, cfg, { phone: p, code: code!, now: t0 })).toEqual({ ok: false, reason: 'locked' });
    expect(await h.db.select().from(accounts).where(eq(accounts.phone, p))).toHaveLength(0);
  });

  it('only the latest code works', async () => {
    const p = phone();
    const t0 = new Date('2026-11-06T02:00:00Z');
    const first = (await issue(p, t0)).code!;
    const second = (await issue(p, at(t0, 61))).code!;
    if (first !== second) {
      expect(await verifySignInCode(h.db, cfg, { phone: p, code: first, now: at(t0, 62) })).toMatchObject({ reason: 'wrong_code' });
    }
    expect((await verifySignInCode(h.db, cfg, { phone: p, code: second, now: at(t0, 63) })).ok).toBe(true);
  });

  it('refuses malformed input and a phone that never asked', async () => {
    expect(await verifySignInCode(h.db, cfg, { phone: 'x', code: '123456' })).toEqual({ ok: false, reason: 'invalid_phone' });
    expect(await verifySignInCode(h.db, cfg, { phone: phone(), code: '12a456' })).toEqual({ ok: false, reason: 'invalid_code' });
    expect(await verifySignInCode(h.db, cfg, { phone: phone(), code: '123456' })).toEqual({ ok: false, reason: 'no_code' });
  });
});

describe('signing out everywhere', () => {
  it('revokes every session of the account and no one else', async () => {
    const p = phone();
    const other = phone();
    const t0 = new Date(Date.now() - 3600_000);
    const s1 = await verifySignInCode(h.db, cfg, { phone: p, code: (await issue(p, t0)).code!, now: t0 });
    const s2 = await verifySignInCode(h.db, cfg, { phone: p, code: (await issue(p, at(t0, 61))).code!, now: at(t0, 61) });
    const s3 = await verifySignInCode(h.db, cfg, { phone: other, code: (await issue(other, t0)).code!, now: t0 });
    if (!s1.ok || !s2.ok || !s3.ok) throw new Error('sign-in failed');
    expect(await signOutEverywhere(h.db, s1.accountId)).toBe(2);
    expect(await findActiveSession(h.db, s1.sessionId, new Date())).toBeNull();
    expect(await findActiveSession(h.db, s2.sessionId, new Date())).toBeNull();
    expect(await findActiveSession(h.db, s3.sessionId, new Date())).not.toBeNull();
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'auth.sign_out_everywhere'));
    expect(audit.some((a) => a.actorAccountId === s1.accountId)).toBe(true);
  });
});
