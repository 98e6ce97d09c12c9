// Issue #9: guessing invite codes and short codes is bounded per account and per client IP, and every
// look-up that reaches the database is audited — shown through the real route handler and server action
// (in-process), so the client IP is seen to flow from the request to the limit. (The services' own
// per-account and per-IP arithmetic is in checkers.test.ts and health-codes.test.ts.)
import { and, count, eq, like } from 'drizzle-orm';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { auditLog } from '@/db/schema';
import { computeShortCodeCheckChar, SHORT_CODE_ALPHABET } from '@/lib/health-code/short-code';
import { createFixtures, type Venue } from '../helpers/fixtures';
import { as, form, jsonRequest, newSession, readResponse, runAction, serveFrom } from '../helpers/in-process';

vi.hoisted(() => {
  process.env.SHORT_CODE_LOOKUPS_PER_MINUTE = '4';
  process.env.SHORT_CODE_MISSES_PER_IP_PER_MINUTE = '6';
  process.env.INVITE_LOOKUPS_PER_ACCOUNT_HOURLY = '3';
  process.env.INVITE_LOOKUPS_PER_IP_HOURLY = '5';
});
vi.mock('next/headers', () => ({
  headers: async () =>
    new Headers({ 'x-forwarded-for': (globalThis as { __requestState?: { ip: string } }).__requestState?.ip ?? '10.98.0.1' }),
  cookies: async () => (await import('../helpers/in-process')).sessionCookieStore(),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {}, revalidateTag: () => {} }));

const now = new Date(Math.floor(Date.now() / 1000) * 1000);
const f = createFixtures({
  phone: { prefix: '185', base: 6_000_000, step: 37 },
  ids: { fromYear: 1967, stepDays: 29 },
  venue: { namePrefix: '猜码测试场所', address: '中山大道 7 号', contactPhone: '020-85556666' },
  checker: { displayName: '猜码门岗', ip: '10.98.0.2', secret: 'test-secret-guessing' },
  base: now,
});

let v: Venue;
beforeAll(async () => {
  serveFrom(f.h);
  v = await f.newVenue();
});

const unknownShortCode = (i: number) => {
  const body = [...SHORT_CODE_ALPHABET].slice(i % 20, (i % 20) + 8).join('') + SHORT_CODE_ALPHABET[(i * 7) % 32];
  return body + computeShortCodeCheckChar(body);
};
const lookupsBy = async (accountId: string, action: string) =>
  Number(
    (
      await f.h.db
        .select({ n: count() })
        .from(auditLog)
        .where(and(eq(auditLog.actorAccountId, accountId), like(auditLog.action, action)))
    )[0].n,
  );

describe('short codes typed at the door', () => {
  it('misses are limited per checker and per client IP, and each look-up is audited', async () => {
    const { POST } = await import('@/app/api/checkins/resolve/route');
    const checkers = await Promise.all(
      [0, 1, 2].map(async () => {
        const c = await f.bindChecker(v, f.at(-60));
        return { ...c, sid: await newSession(f.h.db, c.accountId) };
      }),
    );
    const guess = (c: { sid: string }, i: number, ip: string) =>
      as(c.sid, async () =>
        readResponse(
          await POST(
            jsonRequest(
              '/api/checkins/resolve',
              { venueId: v.venueId, method: 'typed', code: unknownShortCode(i) },
              { 'x-forwarded-for': ip },
            ),
          ),
        ),
      );

    // One checker alone: 4 misses a minute, then 429.
    for (let i = 0; i < 4; i++)
      expect(await guess(checkers[0], i, '10.98.1.1')).toMatchObject({ status: 422, body: { error: 'unknown_code' } });
    expect(await guess(checkers[0], 4, '10.98.1.1')).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    // Behind the same IP, the others share 6 misses a minute in all (4 used): 2 more, then 429 for everyone there.
    expect(await guess(checkers[1], 10, '10.98.1.1')).toMatchObject({ status: 422 });
    expect(await guess(checkers[2], 11, '10.98.1.1')).toMatchObject({ status: 422 });
    expect(await guess(checkers[1], 12, '10.98.1.1')).toMatchObject({ status: 429, body: { error: 'rate_limited' } });
    expect(await guess(checkers[2], 13, '10.98.1.1')).toMatchObject({ status: 429 });
    // From another IP, checker 2 still has their own allowance.
    expect(await guess(checkers[2], 14, '10.98.2.2')).toMatchObject({ status: 422, body: { error: 'unknown_code' } });

    expect(await lookupsBy(checkers[0].accountId, 'short_code.lookup')).toBe(4);
    expect(await lookupsBy(checkers[1].accountId, 'short_code.lookup')).toBe(1);
    expect(await lookupsBy(checkers[2].accountId, 'short_code.lookup')).toBe(2);
  });
});

describe('invite codes typed to join a venue', () => {
  it('look-ups are limited per account and per client IP, and audited', async () => {
    const { findVenueAction } = await import('@/app/(public)/join/actions');
    const people = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const a = await f.newActor();
        return { ...a, sid: await newSession(f.h.db, a.accountId) };
      }),
    );
    const find = (p: { sid: string }, code: string, ip: string) =>
      as(p.sid, () => runAction(() => findVenueAction({ code: '' }, form({ code }))), ip);
    const wrong = 'ZZZZZZZ9';

    // Per account: 3 an hour.
    for (let i = 0; i < 3; i++) expect(await find(people[0], wrong, '10.98.3.1')).toMatchObject({ error: 'unknown_code' });
    expect(await find(people[0], v.inviteCode, '10.98.3.2')).toMatchObject({ error: 'rate_limited' });
    // Per IP: 5 an hour across accounts (3 used from .3.1 by nobody else: a fresh IP here).
    for (let i = 0; i < 3; i++) expect(await find(people[1], wrong, '10.98.4.4')).toMatchObject({ error: 'unknown_code' });
    expect(await find(people[2], wrong, '10.98.4.4')).toMatchObject({ error: 'unknown_code' });
    expect(await find(people[2], wrong, '10.98.4.4')).toMatchObject({ error: 'unknown_code' });
    expect(await find(people[2], v.inviteCode, '10.98.4.4')).toMatchObject({ error: 'rate_limited' });
    // Someone else from another IP gets through (a refused try still counted against people[2]'s own hour).
    expect(await find(people[3], v.inviteCode, '10.98.4.5')).toMatchObject({ found: v.inviteCode });

    expect(await lookupsBy(people[0].accountId, 'invite_code.lookup')).toBe(3);
    expect(await lookupsBy(people[1].accountId, 'invite_code.lookup')).toBe(3);
    expect(await lookupsBy(people[2].accountId, 'invite_code.lookup')).toBe(2);
    expect(await lookupsBy(people[3].accountId, 'invite_code.lookup')).toBe(1);
  });
});
