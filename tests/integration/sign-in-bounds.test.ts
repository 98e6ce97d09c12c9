// Issue #9, abuse bounds of sign-in. The arithmetic that bounds guessing a 6-digit code (10^6 values)
// with the configured limits, shown by driving an attacker through the real service; then the same
// limits held in total by three OS processes (tsx, each with its own connection pool, as separate
// `next start` instances would be) sharing one PostgreSQL database. Why processes running the service
// rather than full `next start` servers: the limits live only in the database (the app servers keep no
// state) and the Auth.js credentials callback calls exactly this service; two production servers would
// need a build and ~1 GB on a shared 2-core machine for no extra coverage of the limit logic.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { signInCodes } from '@/db/schema';
import { requestSignInCode, verifySignInCode, type SignInConfig } from '@/lib/auth/sign-in';
import { parseEnv } from '@/lib/env';
import { captureSender } from '../helpers/capture-sender';
import { useTestDb } from '../helpers/fixtures';
import { createServerDatabase, dropServerDatabase } from '../helpers/test-db';

const h = useTestDb();
const defaults = parseEnv({});
/** The shipped defaults (lib/env.ts), not test values: the bound below is the production one. */
const cfg: SignInConfig = {
  secret: 'sign-in-bounds-secret-0123456789abcdef',
  limits: {
    codeTtlSeconds: defaults.OTP_TTL_SECONDS,
    maxAttempts: defaults.OTP_MAX_ATTEMPTS,
    resendSeconds: defaults.OTP_RESEND_SECONDS,
    dailyPerPhone: defaults.OTP_DAILY_LIMIT,
    hourlyPerIp: defaults.OTP_IP_HOURLY_LIMIT,
  },
};
const SPACE = 10 ** 6;
let n = 0;
const phone = () => `189${String(2_000_000 + (n += 1) * 43).padStart(8, '0')}`;
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

describe('the arithmetic that bounds code guessing', () => {
  it('states the bound from the configured limits', () => {
    const { maxAttempts, dailyPerPhone, hourlyPerIp, resendSeconds, codeTtlSeconds } = cfg.limits;
    expect({ maxAttempts, dailyPerPhone, hourlyPerIp, resendSeconds, codeTtlSeconds }).toEqual({
      maxAttempts: 5,
      dailyPerPhone: 10,
      hourlyPerIp: 30,
      resendSeconds: 60,
      codeTtlSeconds: 300,
    });
    const guessesPerPhonePerDay = maxAttempts * dailyPerPhone; // 50
    const guessesPerIpPerHour = maxAttempts * hourlyPerIp; // 150, spread over at least 30 phones
    expect(guessesPerPhonePerDay).toBe(50);
    expect(guessesPerIpPerHour).toBe(150);
    // One phone: at most 50 of 10^6 codes tried per day, 5e-5; a whole year of it stays under 2 %.
    expect(guessesPerPhonePerDay / SPACE).toBe(5e-5);
    expect(1 - (1 - guessesPerPhonePerDay / SPACE) ** 365).toBeLessThan(0.019);
    // One IP, one day, any phones: at most 24 × 150 = 3,600 tries, expected successes 3,600 / 10^6 = 0.0036.
    expect((24 * guessesPerIpPerHour) / SPACE).toBeCloseTo(0.0036, 6);
  });

  it('an attacker on one phone for a whole day gets exactly that many tries checked, and no session', async () => {
    const victim = phone();
    const base = new Date('2026-12-02T00:00:00Z');
    const sender = captureSender();
    let checked = 0;
    let issued = 0;
    const outcomes = new Map<string, number>();
    // One code a minute for 24 hours (the resend wait), five wrong guesses on each code it gets.
    for (let minute = 0; minute < 24 * 60; minute += 1) {
      const t = at(base, minute * 60);
      const r = await requestSignInCode(h.db, cfg, sender, {
        phone: victim,
        ip: `10.93.${minute % 250}.${Math.floor(minute / 250)}`,
        now: t,
      });
      outcomes.set(r.ok ? 'ok' : r.reason, (outcomes.get(r.ok ? 'ok' : r.reason) ?? 0) + 1);
      if (!r.ok) continue;
      issued += 1;
      const real = sender.sent.at(-1)!.code;
      for (let g = 0; g < 8; g += 1) {
        const guess = String((Number(real) + 1 + g * 7919) % SPACE).padStart(6, '0');
        const v = await verifySignInCode(h.db, cfg, { phone: victim, code: guess, now: at(t, 1 + g) });
        expect(v.ok).toBe(false);
        if (!v.ok && (v.reason === 'wrong_code' || (v.reason === 'locked' && g === cfg.limits.maxAttempts - 1))) checked += 1;
      }
      // Even the right code is refused once the code is locked.
      expect(await verifySignInCode(h.db, cfg, { phone: victim, code: real, now: at(t, 20) })).toEqual({ ok: false, reason: 'locked' });
    }
    expect(issued).toBe(cfg.limits.dailyPerPhone);
    expect(checked).toBe(cfg.limits.maxAttempts * cfg.limits.dailyPerPhone);
    expect(outcomes.get('daily_limit')).toBe(24 * 60 - cfg.limits.dailyPerPhone);
  });

  it('one IP gets at most its hourly number of codes, whatever phones it names', async () => {
    const base = new Date('2026-12-03T00:00:00Z');
    const sender = captureSender();
    const results = [];
    for (let i = 0; i < 45; i += 1)
      results.push(await requestSignInCode(h.db, cfg, sender, { phone: phone(), ip: '10.94.0.1', now: at(base, i) }));
    expect(results.filter((r) => r.ok)).toHaveLength(cfg.limits.hourlyPerIp);
    expect(results.filter((r) => !r.ok && r.reason === 'ip_limit')).toHaveLength(45 - cfg.limits.hourlyPerIp);
  });
});

describe('the limits hold in total across app processes sharing one PostgreSQL database', () => {
  const tmpl = inject('dbTemplate');
  const serverMode = tmpl.kind === 'postgres';
  let url = '';
  let dbName = '';
  let dir = '';

  beforeAll(async () => {
    if (tmpl.kind !== 'postgres') return;
    dbName = `t_signin_${process.pid}_${Date.now()}`;
    // Each process connects as the app's role, as `next start` would.
    url = (await createServerDatabase(dbName)).app;
    dir = mkdtempSync(path.join(tmpdir(), 'wt-signin-'));
  });
  afterAll(async () => {
    if (!dbName) return;
    await dropServerDatabase(dbName);
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the jobs in separate processes released together; returns each process's outcomes. */
  async function inProcesses(jobs: unknown[]): Promise<string[][]> {
    const gun = path.join(dir, `gun-${Date.now()}-${Math.random()}`);
    const run = promisify(execFile);
    const running = jobs.map((job) =>
      run(
        process.execPath,
        [
          path.resolve('node_modules/tsx/dist/cli.mjs'),
          '--conditions=react-server',
          'tests/helpers/sign-in-worker.ts',
          url,
          JSON.stringify(job),
        ],
        {
          env: { ...process.env, START_GUN: gun, LOG_LEVEL: 'silent' },
          maxBuffer: 10 * 1024 * 1024,
        },
      ),
    );
    // Fire once every process has started and opened its pool (each leaves a ready file).
    const ready = () => readdirSync(dir).filter((f) => f.startsWith(`${path.basename(gun)}.ready-`)).length;
    let crashed: unknown = null;
    for (const r of running) r.catch((error) => (crashed ??= error));
    while (ready() < jobs.length) {
      if (crashed) throw crashed;
      await new Promise((r) => setTimeout(r, 10));
    }
    writeFileSync(gun, 'go');
    return (await Promise.all(running)).map((r) => JSON.parse(r.stdout) as string[]);
  }

  it('codes per phone per day, codes per IP per hour, tries per code', { timeout: 120_000 }, async (ctx) => {
    if (!serverMode) {
      ctx.skip(true, 'needs the PostgreSQL server (DATABASE_URL): PGlite is one process by design');
      return;
    }
    const base = new Date('2026-12-04T00:00:00Z');
    // 1. Three processes each ask 20 times for one phone (a minute apart, so only the daily cap binds).
    const victim = phone();
    const perPhone = await inProcesses(
      [0, 1, 2].map((p) => ({
        kind: 'request',
        cfg,
        calls: Array.from({ length: 20 }, (_, i) => ({ phone: victim, ip: `10.95.${p}.${i}`, at: at(base, i * 61).getTime() })),
      })),
    );
    expect(perPhone.flat().filter((r) => r === 'ok')).toHaveLength(cfg.limits.dailyPerPhone);

    // 2. Three processes, one IP, 20 different phones each, all at once: the hourly cap in total.
    const perIp = await inProcesses(
      [0, 1, 2].map(() => ({
        kind: 'request',
        cfg,
        calls: Array.from({ length: 20 }, () => ({ phone: phone(), ip: '10.96.0.1', at: at(base, 5).getTime() })),
      })),
    );
    expect(perIp.flat().filter((r) => r === 'ok')).toHaveLength(cfg.limits.hourlyPerIp);

    // 3. One live code; three processes fire 10 wrong guesses each at once: 4 "wrong", then locked.
    const target = phone();
    const sender = captureSender();
    const server = (await import('@/db')).openDatabase;
    const mine = await server({ kind: 'postgres', url, poolMax: 2 });
    try {
      expect(await requestSignInCode(mine.db, cfg, sender, { phone: target, ip: '10.97.0.1', now: at(base, 0) })).toMatchObject({
        ok: true,
      });
      const real = Number(sender.sent[0].code);
      const guesses = (p: number) =>
        Array.from({ length: 10 }, (_, i) => ({
          phone: target,
          code: String((real + 1 + p * 10 + i) % SPACE).padStart(6, '0'),
          at: at(base, 30).getTime(),
        }));
      const tries = await inProcesses([0, 1, 2].map((p) => ({ kind: 'verify', cfg, calls: guesses(p) })));
      expect(tries.flat().filter((r) => r === 'ok')).toHaveLength(0);
      expect(tries.flat().filter((r) => r === 'wrong_code')).toHaveLength(cfg.limits.maxAttempts - 1);
      const [row] = await mine.db.select().from(signInCodes).where(eq(signInCodes.phone, target));
      expect(row.failedAttempts).toBe(cfg.limits.maxAttempts);
      expect(row.lockedAt).not.toBeNull();
      expect(await verifySignInCode(mine.db, cfg, { phone: target, code: sender.sent[0].code, now: at(base, 31) })).toEqual({
        ok: false,
        reason: 'locked',
      });
    } finally {
      await mine.close();
    }
  });
});
