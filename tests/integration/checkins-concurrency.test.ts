import { and, eq } from 'drizzle-orm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkins } from '@/db/schema';
import { recordCheckin } from '@/lib/checkin/record';
import type { CheckinResult } from '@/lib/checkin/record-checkin';
import { SUPERSEDE_WINDOW_MS } from '@/lib/checkin/supersede';
import { createFixtures } from '../helpers/fixtures';

// Truly concurrent requests need the server (PGlite is one connection); each rule is also checked serially on both.
const onServer = Boolean(process.env.DATABASE_URL);

const fx = createFixtures({
  phone: { prefix: '136', base: 4_000_000, step: 73 },
  ids: { fromYear: 1955, stepDays: 13 },
  venue: { namePrefix: '并发测试场所', type: 'transport', address: '广园西路 159 号', contactPhone: '020-61357222' },
  checker: { displayName: '闸机检测员', ip: '10.70.0.1', secret: 'test-secret-checkins-concurrency' },
});
const { h, at, scan, countCheckins } = fx;
const newPerson = () => fx.newPerson('公孙胜', (seq) => (seq % 2 ? 'M' : 'F'));
/** A venue (immediate binding) with one checker active since the day before T. */
async function door() {
  const { v, c } = await fx.door();
  return { venueId: v.venueId, c };
}

const rowsOfClient = (venueId: string, clientId: string) =>
  h.db
    .select()
    .from(checkins)
    .where(and(eq(checkins.venueId, venueId), eq(checkins.clientId, clientId)));

/**
 * The supersede links of one person's records at one venue are a proper chain: every record has at most one
 * successor, links go forward in time within 30 minutes, and a record is superseded exactly when another
 * record falls within the 30 minutes after it. Returns the standing records.
 */
async function expectSoundChain(venueId: string) {
  const rows = await h.db.select().from(checkins).where(eq(checkins.venueId, venueId));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const successorsOf = (id: string) => [
    ...rows.filter((s) => s.supersedesId === id).map((s) => s.id),
    ...(byId.get(id)!.supersededById ? [byId.get(id)!.supersededById!] : []),
  ];
  for (const r of rows) {
    const successors = successorsOf(r.id);
    expect(successors.length, `successors of ${r.effectiveAt.toISOString()}`).toBeLessThanOrEqual(1);
    for (const s of successors) {
      const gap = byId.get(s)!.effectiveAt.getTime() - r.effectiveAt.getTime();
      expect(gap).toBeGreaterThan(0);
      expect(gap).toBeLessThanOrEqual(SUPERSEDE_WINDOW_MS);
    }
    const hasLaterWithinWindow = rows.some((s) => {
      const gap = s.effectiveAt.getTime() - r.effectiveAt.getTime();
      return gap > 0 && gap <= SUPERSEDE_WINDOW_MS;
    });
    expect(successors.length === 1, `superseded: ${r.effectiveAt.toISOString()}`).toBe(hasLaterWithinWindow);
  }
  return rows.filter((r) => successorsOf(r.id).length === 0);
}

describe('resends of one record', () => {
  it('serially: 50 resends store one row and all get the same answer', async () => {
    const { venueId, c } = await door();
    const p = await newPerson();
    const payload = scan(venueId, p.token, at(0));
    const results: CheckinResult[] = [];
    for (let i = 0; i < 50; i++) results.push(await recordCheckin(h.db, c, { ...payload }, at(i / 10)));
    expect(results[0]).toMatchObject({ ok: true, duplicate: false });
    for (const r of results.slice(1)) expect(r).toEqual({ ...results[0], duplicate: true });
    expect(await countCheckins(venueId)).toBe(1);
  });

  it.skipIf(!onServer)('concurrently: 50 resends store one row; every answer is ok with the same record id', async () => {
    for (let round = 0; round < 3; round++) {
      const { venueId, c } = await door();
      const p = await newPerson();
      // Another record of the person is standing, so every attempt also computes a supersede link.
      const earlier = await recordCheckin(h.db, c, scan(venueId, p.token, at(-5)), at(-5));
      const payload = scan(venueId, p.token, at(0));
      const results = await Promise.all(Array.from({ length: 50 }, () => recordCheckin(h.db, c, { ...payload }, at(0))));
      expect(results.every((r) => r.ok)).toBe(true);
      const ids = new Set(results.map((r) => (r.ok ? r.record.id : null)));
      expect(ids.size).toBe(1);
      expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
      const rows = await rowsOfClient(venueId, payload.clientId);
      expect(rows).toHaveLength(1);
      expect(rows[0].id).toBe([...ids][0]);
      expect(rows[0].supersedesId).toBe(earlier.ok ? earlier.record.id : 'missing');
      expect(await countCheckins(venueId)).toBe(2);
    }
  });
});

describe('many different records of one person at one venue', () => {
  it('serially, in any arrival order and spacing: the links follow the 30-minute rule', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 0, max: 150 }), { minLength: 2, maxLength: 8 }), async (minutes) => {
        const { venueId, c } = await door();
        const p = await newPerson();
        // `minutes` is in arrival order; everything arrives after the last scan.
        for (const m of minutes) expect(await recordCheckin(h.db, c, scan(venueId, p.token, at(m)), at(160))).toMatchObject({ ok: true });
        const standing = await expectSoundChain(venueId);
        expect(standing.length).toBeGreaterThanOrEqual(1);
        expect(standing.map((r) => r.effectiveAt.getTime())).toContain(at(Math.max(...minutes)).getTime());
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it('serially: 20 records a minute apart, out of order, form a single chain', async () => {
    const { venueId, c } = await door();
    const p = await newPerson();
    const order = [7, 3, 19, 0, 11, 12, 5, 18, 1, 9, 16, 2, 14, 4, 17, 6, 13, 10, 8, 15];
    for (const m of order) expect(await recordCheckin(h.db, c, scan(venueId, p.token, at(m)), at(25))).toMatchObject({ ok: true });
    const standing = await expectSoundChain(venueId);
    expect(standing.map((r) => r.effectiveAt)).toEqual([at(19)]);
  });

  it.skipIf(!onServer)('concurrently: 20 records a minute apart form a single chain with exactly one standing record', async () => {
    for (let round = 0; round < 3; round++) {
      const { venueId, c } = await door();
      const p = await newPerson();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, m) => recordCheckin(h.db, c, scan(venueId, p.token, at(m)), at(25))),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      expect(await countCheckins(venueId)).toBe(20);
      const standing = await expectSoundChain(venueId);
      expect(standing.map((r) => r.effectiveAt)).toEqual([at(19)]);
      // Following the links from any record ends at the standing one.
      const rows = await h.db.select().from(checkins).where(eq(checkins.venueId, venueId));
      const next = (id: string) => rows.find((s) => s.supersedesId === id)?.id ?? rows.find((r) => r.id === id)!.supersededById;
      for (const r of rows) {
        let id: string | null = r.id;
        let steps = 0;
        while (id && next(id) && steps <= 20) {
          id = next(id)!;
          steps += 1;
        }
        expect(id).toBe(standing[0].id);
      }
    }
  });
});

describe('one client id, two different payloads', () => {
  it('serially: the second is a conflict and nothing more is stored', async () => {
    const { venueId, c } = await door();
    const p = await newPerson();
    const q = await newPerson();
    const first = scan(venueId, p.token, at(0));
    expect(await recordCheckin(h.db, c, first, at(0))).toMatchObject({ ok: true });
    expect(await recordCheckin(h.db, c, { ...first, temperature: '37.9' }, at(0))).toEqual({ ok: false, reason: 'conflict' });
    expect(await recordCheckin(h.db, c, { ...first, code: q.token }, at(0))).toEqual({ ok: false, reason: 'conflict' });
    expect(await countCheckins(venueId)).toBe(1);
    expect((await rowsOfClient(venueId, first.clientId))[0].temperatureDeci).toBe(365);
  });

  it.skipIf(!onServer)('concurrently: one payload is stored, every copy of the other is a conflict', async () => {
    const p = await newPerson();
    const q = await newPerson();
    for (const variant of ['temperature', 'person'] as const) {
      for (let round = 0; round < 3; round++) {
        const { venueId, c } = await door();
        const a = scan(venueId, p.token, at(0));
        const b = variant === 'temperature' ? { ...a, temperature: '38.2' } : { ...a, code: q.token };
        const sent = Array.from({ length: 10 }, (_, i) => (i % 2 ? b : a));
        const results = await Promise.all(sent.map((payload) => recordCheckin(h.db, c, { ...payload }, at(0))));
        const rows = await rowsOfClient(venueId, a.clientId);
        expect(rows).toHaveLength(1);
        const winner = rows[0].temperatureDeci === 365 && rows[0].personId === p.personId ? a : b;
        results.forEach((r, i) => {
          if (sent[i] === winner) expect(r).toMatchObject({ ok: true, record: { id: rows[0].id } });
          else expect(r).toEqual({ ok: false, reason: 'conflict' });
        });
        expect(results.filter((r) => r.ok && !r.duplicate)).toHaveLength(1);
        expect(await countCheckins(venueId)).toBe(1);
      }
    }
  });
});
