// The sunflower code per entrance and its short link (issue #17): the token names the entrance (version 2),
// the quick record carries it, a version-1 record re-sent after the change is stored once at the main
// entrance; /q/<short id> is created, resolved, expires, is rate-limited per IP and pruned by its job.
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { jobRun } from '@/db/queries/jobs';
import { quickLinks, venueEntrances } from '@/db/schema';
import { issueQuickToken, openQuickToken, quickCheckin, visitDetails } from '@/lib/checkin/quick-checkin';
import { quickEntranceOf } from '@/lib/checkin/quick-entrance';
import { issueQuickLink, newShortId, normaliseShortId, openQuickLink, SHORT_ID_ALPHABET } from '@/lib/checkin/quick-link';
import { signQuickToken, signVisitTicket, verifyVisitTicket } from '@/lib/checkin/quick-token';
import { payloadHash } from '@/lib/checkin/record-checkin';
import { codeKeysFromSeed } from '@/lib/health-code/token';
import { JOBS } from '@/lib/jobs/jobs';
import { createJobRunner } from '@/lib/jobs/runner';
import { createFixtures, ms, T, type Actor } from '../helpers/fixtures';

const { h, at, newPerson, register, door, countCheckins, rowsOfVenue, stored, newVenue } = createFixtures({
  phone: { prefix: '135', base: 6_100_000, step: 59 },
  ids: { fromYear: 1962, stepDays: 19 },
  venue: { namePrefix: '葵花短链场所', address: '东风中路 8 号', contactPhone: '020-83331111' },
  checker: { displayName: '门岗小周', ip: '10.62.0.1', secret: 'test-secret-sunflower' },
});
const keys = codeKeysFromSeed(Buffer.alloc(32, 7).toString('base64'));
const ORIGIN = 'https://yuekang.example.gov.cn';
const limits = { missesPerIpPerMinute: 5, secret: 'test-secret-sunflower' };

async function newEntrance(venueId: string, name: string) {
  const [row] = await h.db.insert(venueEntrances).values({ venueId, name }).returning({ id: venueEntrances.id });
  return row.id;
}
async function mainEntrance(venueId: string) {
  const [row] = await h.db
    .select({ id: venueEntrances.id })
    .from(venueEntrances)
    .where(and(eq(venueEntrances.venueId, venueId), eq(venueEntrances.isMain, true)));
  return row.id;
}
async function link(c: Actor, venueId: string, entranceId: string | null, now: Date) {
  const r = await issueQuickLink(h.db, keys, c, { venueId, entranceId, origin: ORIGIN }, now);
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r;
}
async function storedLink(id: string) {
  const [row] = await h.db.select().from(quickLinks).where(eq(quickLinks.id, id));
  return row ?? null;
}
async function newFamily() {
  const self = await newPerson('欧阳葵花', 'F', '1982-03-03');
  const child = await register(self.accountId, '欧阳小葵', 'family', 'M', '2016-07-07');
  return { actor: { accountId: self.accountId }, self, child };
}

describe('short ids', () => {
  it('are 10 symbols of base32 without 0/O/1/I, drawn from crypto, read in any case', () => {
    expect(SHORT_ID_ALPHABET).toHaveLength(32);
    expect(SHORT_ID_ALPHABET).not.toMatch(/[01OI]/);
    const ids = new Set(Array.from({ length: 2000 }, newShortId));
    expect(ids.size).toBe(2000);
    for (const id of ids) expect(id).toMatch(/^[A-HJ-NP-Z2-9]{10}$/);
    expect(normaliseShortId('abcdefghjk')).toBe('ABCDEFGHJK');
    for (const bad of ['ABCDEFGHJ', 'ABCDEFGHJKL', 'ABCDEFGHJ0', 'ABCDEFGHJO', 'ABCDEFGHJI', 'ABCDEFGH-K', '', 42, null, 'Q1.ABCDEFG'])
      expect(normaliseShortId(bad), String(bad)).toBeNull();
  });
});

describe('creating a short link', () => {
  it('stores a random id with the venue, the token and the token’s expiry; the link is PUBLIC_URL/q/<id>', async () => {
    const { v, c } = await door();
    const east = await newEntrance(v.venueId, '东门');
    const r = await link(c, v.venueId, east, at(0));
    expect(r.url).toBe(`${ORIGIN}/q/${r.shortId}`);
    expect(r.url.length).toBeLessThan(50);
    expect(r.expiresAt).toBe(at(10).toISOString());
    const row = await storedLink(r.shortId);
    expect(row).toMatchObject({ venueId: v.venueId, expiresAt: at(10), createdAt: at(0) });
    // The stored token is the checker's, for this entrance (version 2).
    expect(await openQuickToken(h.db, keys, row!.token, at(1))).toMatchObject({ ok: true, venueName: v.name });
    // Each refresh is a new link.
    expect((await link(c, v.venueId, east, at(5))).shortId).not.toBe(r.shortId);
  });

  it('is refused, storing nothing, to a non-checker and for an entrance that is not an open one of the venue', async () => {
    const { v, c } = await door();
    const other = await door();
    const theirs = await newEntrance(other.v.venueId, '北门');
    const closed = await newEntrance(v.venueId, '西门');
    await h.db
      .update(venueEntrances)
      .set({ removedAt: at(-1) })
      .where(eq(venueEntrances.id, closed));
    const count = async () =>
      rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from quick_links where venue_id = ${v.venueId}`))[0].n;
    for (const entranceId of [theirs, closed, '00000000-0000-4000-8000-000000000000']) {
      expect(await issueQuickLink(h.db, keys, c, { venueId: v.venueId, entranceId, origin: ORIGIN }, at(0))).toEqual({
        ok: false,
        reason: 'unknown_entrance',
      });
    }
    expect(await issueQuickLink(h.db, keys, other.c, { venueId: v.venueId, entranceId: null, origin: ORIGIN }, at(0))).toEqual({
      ok: false,
      reason: 'not_checker',
    });
    expect(await count()).toBe(0);
  });
});

describe('opening /q/<short id>', () => {
  it('continues as the long token does: a visit ticket naming the entrance, the venue name; any case', async () => {
    const { v, c } = await door();
    const east = await newEntrance(v.venueId, '东门');
    const r = await link(c, v.venueId, east, at(0));
    const opened = await openQuickLink(h.db, keys, r.shortId.toLowerCase(), '10.62.1.1', limits, at(9));
    expect(opened).toEqual({ ok: true, ticket: expect.stringMatching(/^Q1\./), venueName: v.name });
    if (!opened.ok) throw new Error('refused');
    expect(verifyVisitTicket(keys, opened.ticket, at(10).getTime())).toEqual({
      ok: true,
      claims: { venueId: v.venueId, checkerAccountId: c.accountId, issuedAt: at(9).getTime(), entranceId: east },
    });
    // The visit page names the entrance; the main one goes without saying.
    const fam = await newFamily();
    expect(await visitDetails(h.db, keys, fam.actor, opened.ticket, at(10))).toMatchObject({
      ok: true,
      venueName: v.name,
      entranceName: '东门',
    });
    const atMain = await openQuickLink(
      h.db,
      keys,
      (await link(c, v.venueId, await mainEntrance(v.venueId), at(0))).shortId,
      '10.62.1.1',
      limits,
      at(1),
    );
    if (!atMain.ok) throw new Error('refused');
    expect(await visitDetails(h.db, keys, fam.actor, atMain.ticket, at(2))).toMatchObject({ ok: true, entranceName: null });
  });

  it('expired and unknown ids read as an expired code; malformed ones as invalid', async () => {
    const { v, c } = await door();
    const r = await link(c, v.venueId, null, at(0));
    expect(await openQuickLink(h.db, keys, r.shortId, '10.62.1.2', limits, at(10))).toMatchObject({ ok: true });
    expect(await openQuickLink(h.db, keys, r.shortId, '10.62.1.2', limits, ms(at(10), 1))).toEqual({ ok: false, reason: 'expired' });
    expect(await openQuickLink(h.db, keys, 'ZZZZZZZZZZ', '10.62.1.2', limits, at(1))).toEqual({ ok: false, reason: 'expired' });
    expect(await openQuickLink(h.db, keys, 'not-a-link', '10.62.1.2', limits, at(1))).toEqual({ ok: false, reason: 'invalid' });
    // A link whose checker has left since: as the long token, inactive.
    const { v: v2, c: c2 } = await door();
    const r2 = await link(c2, v2.venueId, null, at(0));
    const { unbindSelf } = await import('@/lib/venues/checkers');
    expect(await unbindSelf(h.db, c2, v2.venueId, at(1))).toEqual({ ok: true });
    expect(await openQuickLink(h.db, keys, r2.shortId, '10.62.1.2', limits, at(2))).toEqual({ ok: false, reason: 'inactive' });
  });

  it('counts misses per client IP: over the limit even a live link is refused for the rest of the minute; other IPs are not; an unknown IP is refused', async () => {
    const { v, c } = await door();
    const r = await link(c, v.venueId, null, at(0));
    const guesser = '10.62.2.1';
    const t0 = ms(at(1), 0);
    // Hits do not count: a busy door behind one carrier address opens as many live links as it likes.
    for (let i = 0; i < 8; i++) expect(await openQuickLink(h.db, keys, r.shortId, guesser, limits, ms(t0, i))).toMatchObject({ ok: true });
    for (let i = 0; i < limits.missesPerIpPerMinute; i++) {
      expect(await openQuickLink(h.db, keys, newShortId(), guesser, limits, ms(t0, 100 + i))).toEqual({ ok: false, reason: 'expired' });
    }
    expect(await openQuickLink(h.db, keys, r.shortId, guesser, limits, ms(t0, 200))).toEqual({
      ok: false,
      reason: 'rate_limited',
      retryAfterSeconds: 60,
    });
    expect(await openQuickLink(h.db, keys, r.shortId, '10.62.2.2', limits, ms(t0, 200))).toMatchObject({ ok: true });
    // The next minute, the guesser may try again.
    expect(await openQuickLink(h.db, keys, r.shortId, guesser, limits, ms(t0, 60_000))).toMatchObject({ ok: true });
    // No usable client address: refused, neither one shared bucket nor a free pass.
    expect(await openQuickLink(h.db, keys, r.shortId, null, limits, ms(t0, 60_000))).toMatchObject({ ok: false, reason: 'rate_limited' });
  });
});

describe('the quick record carries the entrance', () => {
  it('a code for the east gate stores the visit at the east gate; a code with no entrance at the main one', async () => {
    const { v, c } = await door();
    const east = await newEntrance(v.venueId, '东门');
    const fam = await newFamily();
    const opened = await openQuickLink(h.db, keys, (await link(c, v.venueId, east, at(0))).shortId, '10.62.3.1', limits, at(1));
    if (!opened.ok) throw new Error(JSON.stringify(opened));
    const r = await quickCheckin(
      h.db,
      keys,
      fam.actor,
      { ticket: opened.ticket, personIds: [fam.self.personId, fam.child.personId] },
      at(2),
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.results.map((x) => stored(x).entranceId)).toEqual([east, east]);

    const main = await mainEntrance(v.venueId);
    const plain = await issueQuickToken(h.db, keys, c, v.venueId, at(60));
    if (!plain.ok) throw new Error('refused');
    const ticket = await openQuickToken(h.db, keys, plain.token, at(60));
    if (!ticket.ok) throw new Error('refused');
    const r2 = await quickCheckin(h.db, keys, fam.actor, { ticket: ticket.ticket, personIds: [fam.self.personId] }, at(61));
    if (!r2.ok) throw new Error('refused');
    expect(stored(r2.results[0]).entranceId).toBe(main);
    const rows = await rowsOfVenue(v.venueId);
    expect(rows.map((row) => row.entranceId)).toEqual([east, east, main]);
  });

  it('a quick record made from a version-1 token before the deploy, re-sent after it, is stored once, at the main entrance', async () => {
    const { v, c } = await door();
    const fam = await newFamily();
    // The old release's texts: version 1, no entrance (signed exactly as then: tests/unit/quick-token.test.ts).
    const token = signQuickToken(keys, { venueId: v.venueId, checkerAccountId: c.accountId, issuedAt: T.getTime() });
    const opened = await openQuickToken(h.db, keys, token, at(1));
    if (!opened.ok) throw new Error('refused');
    expect(opened.ticket).toBe(signVisitTicket(keys, { venueId: v.venueId, checkerAccountId: c.accountId, issuedAt: at(1).getTime() }));
    const first = await quickCheckin(h.db, keys, fam.actor, { ticket: opened.ticket, personIds: [fam.self.personId] }, at(2));
    if (!first.ok) throw new Error('refused');
    const record = stored(first.results[0]);
    expect(record.entranceId).toBe(await mainEntrance(v.venueId));
    // The payload's hash is the one the old release computed (no entrance field): a resend matches it.
    const [row] = await rowsOfVenue(v.venueId);
    const oldPayload = {
      clientId: row.clientId,
      venueId: v.venueId,
      method: 'quick' as const,
      code: fam.self.personId,
      scannedAt: at(1).getTime(),
      clockOffsetMs: 0,
    };
    expect(row.payloadHash).toBe(payloadHash(oldPayload));
    // The visitor's phone sends it again (a double tap, a reload) after the deploy: the same record, once.
    const again = await quickCheckin(h.db, keys, fam.actor, { ticket: opened.ticket, personIds: [fam.self.personId] }, at(5));
    if (!again.ok) throw new Error('refused');
    expect(again.results[0]).toMatchObject({ ok: true, duplicate: true, record: { id: record.id } });
    expect(await countCheckins(v.venueId)).toBe(1);
  });
});

describe('the sunflower page’s entrance', () => {
  it('is the linked entrance when it is an open one of the venue, else the main one (said so when a link named another)', async () => {
    const v = await newVenue();
    const other = await newVenue();
    const main = await mainEntrance(v.venueId);
    const east = await newEntrance(v.venueId, '东门');
    const closed = await newEntrance(v.venueId, '西门');
    await h.db
      .update(venueEntrances)
      .set({ removedAt: at(-1) })
      .where(eq(venueEntrances.id, closed));
    const theirs = await newEntrance(other.venueId, '北门');
    expect(await quickEntranceOf(h.db, v.venueId, east)).toEqual({ id: east, name: '东门', isMain: false, fellBack: false });
    expect(await quickEntranceOf(h.db, v.venueId, undefined)).toEqual({ id: main, name: null, isMain: true, fellBack: false });
    for (const requested of [theirs, closed, 'east', '00000000-0000-4000-8000-000000000000']) {
      expect(await quickEntranceOf(h.db, v.venueId, requested), requested).toEqual({ id: main, name: null, isMain: true, fellBack: true });
    }
  });
});

describe('the prune-quick-links job', () => {
  it('deletes only links expired before its period, in slices', async () => {
    const { v, c } = await door();
    const live = await link(c, v.venueId, null, at(0));
    const T0 = at(15); // 10:15: its 10-minute period starts at 10:10
    await h.db.execute(sql`
      insert into quick_links (id, venue_id, token, expires_at)
      select 'OLD' || lpad(g::text, 7, '0'), ${v.venueId}::uuid, 'Q1.x', ${at(-30).toISOString()}::timestamptz from generate_series(1, 12000) g`);
    await h.db.insert(quickLinks).values({ id: 'JUSTENDED2', venueId: v.venueId, token: 'Q1.x', expiresAt: at(9) });
    await h.db.insert(quickLinks).values({ id: 'ENDSLATER2', venueId: v.venueId, token: 'Q1.x', expiresAt: at(12) });
    await createJobRunner([JOBS.find((j) => j.name === 'prune-quick-links')!]).tick(h, T0);
    const left = rowsOf<{ id: string }>(await h.db.execute(sql`select id from quick_links where venue_id = ${v.venueId} order by id`));
    // The live link expired at 10:10 (not before the period's start): kept until the next period.
    expect(left.map((r) => r.id).sort()).toEqual(['ENDSLATER2', live.shortId].sort());
    expect(await jobRun(h.db, 'prune-quick-links', at(10))).toMatchObject({ status: 'done', processed: 12_001, slices: 3 });
  });
});
