// Migration 0020 and the 流调 reads (#20 pre-step): officials carry a region, the trajectory and the
// co-presence query find exactly the records in the window (bounds included), and an open case holds its
// records from the retention cut until it closes. Dated from the real time: the cut reads the database clock.
process.env.TZ = 'UTC';

import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { grantRole } from '@/db/queries/roles';
import { drainAll } from '@/db/queries/stats-rollups';
import { coPresentRecords, groupByPerson, trajectory } from '@/db/queries/tracing';
import { checkins, persons, traceCases } from '@/db/schema';
import { officialOf, regionContains } from '@/lib/officials/scope';
import { DAY, MIN, ms, type Person, createFixtures } from '../helpers/fixtures';
import { createTracingHelpers } from '../helpers/tracing';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
const fx = createFixtures({
  phone: { prefix: '149', base: 5_300_000, step: 43 },
  ids: { fromYear: 1957, stepDays: 17 },
  venue: { namePrefix: '流调基础场所', address: '东风中路 3 号', contactPhone: '020-88885678' },
  checker: { displayName: '门岗阿华', ip: '10.72.0.1', secret: 'test-secret-tracing-base' },
  base: NOW,
});
const { h, newPerson, newVenue, bindChecker, newActor } = fx;
const { door, quick } = createTracingHelpers(fx);
const daysAgo = (d: number, minutes = 0, seconds = 0) => ms(NOW, -d * DAY + minutes * MIN + seconds * 1000);

const linkOf = async (id: string) =>
  (await h.db.select({ personId: checkins.personId }).from(checkins).where(eq(checkins.id, id)))[0]?.personId ?? null;

async function openCase(p: Person, from: Date, official: string) {
  const [{ idHash }] = await h.db.select({ idHash: persons.idHash }).from(persons).where(eq(persons.id, p.personId));
  const [c] = await h.db
    .insert(traceCases)
    .values({
      personId: p.personId,
      idHash,
      kind: 'confirmed',
      indexDate: '2026-11-30',
      lookbackFrom: from,
      regionCode: '44',
      openedByAccountId: official,
    })
    .returning();
  return c;
}

describe('officials carry a region (SPEC T1)', () => {
  it('grants province-level by default, a district when asked; the region nests by code', async () => {
    const a = await newActor();
    const b = await newActor();
    await grantRole(h.db, a.accountId, 'health_official', null);
    await grantRole(h.db, b.accountId, 'health_official', a.accountId, '440106');
    expect(await officialOf(h.db, a.accountId)).toEqual({ accountId: a.accountId, regionCode: '44', level: 'province' });
    expect(await officialOf(h.db, b.accountId)).toEqual({ accountId: b.accountId, regionCode: '440106', level: 'district' });
    expect(await officialOf(h.db, (await newActor()).accountId)).toBeNull();
    expect(regionContains('440106', '440106001')).toBe(true);
    expect(regionContains('440106', '440104001')).toBe(false);
    expect(regionContains('4419', '441900003')).toBe(true);
    expect(regionContains('44', null)).toBe(false);
    await expect(h.db.execute(sql`update account_roles set region_code = '45' where account_id = ${b.accountId}::uuid`)).rejects.toThrow();
  });
});

describe('trajectory and co-presence (SPEC T2, T3)', () => {
  it('finds every record within ±30 min, bounds included; quick and superseded records count; the case is excluded', async () => {
    const v = await newVenue();
    const other = await newVenue();
    const c = await bindChecker(v, daysAgo(3));
    const c2 = await bindChecker(other, daysAgo(3));
    const [caseP, inside, outside, quicky, superseded, early] = await Promise.all(
      ['欧阳病例', '上官恰好', '司徒差秒', '公孙快码', '长孙复测', '轩辕早到'].map((n) => newPerson(n)),
    );
    const visit = daysAgo(1);
    const own = await door(c, v, caseP, visit);
    const ownRetake = await door(c, v, caseP, ms(visit, 5 * MIN), '36.7');
    const elsewhere = await door(c2, other, caseP, daysAgo(1, 120));
    const atBound = await door(c, v, inside, ms(visit, 30 * MIN));
    await door(c, v, outside, ms(visit, 30 * MIN + 1000));
    const q = await quick(c, v, quicky, ms(visit, -10 * MIN));
    const first = await door(c, v, superseded, ms(visit, -20 * MIN), '38.2');
    await door(c, v, superseded, ms(visit, -2 * MIN), '36.6');
    await door(c, v, early, ms(visit, -30 * MIN - 1000));

    const path = await trajectory(h.db, caseP.personId, daysAgo(14), NOW);
    expect(path.map((r) => r.checkinId)).toEqual([own.id, ownRetake.id, elsewhere.id]);
    expect(path[0]).toMatchObject({ superseded: true, method: 'scan', temperatureDeci: 365 });
    expect(path[1].superseded).toBe(false);

    const records = await coPresentRecords(h.db, [{ visitId: own.id, venueId: v.venueId, at: visit }], 30, caseP.personId);
    const people = groupByPerson(records);
    expect(people.map((p) => p.personId).sort()).toEqual([inside.personId, quicky.personId, superseded.personId].sort());
    expect(records.map((r) => r.checkinId)).toContain(atBound.id);
    expect(records.map((r) => r.checkinId)).toContain(q.id);
    expect(records.map((r) => r.checkinId)).toContain(first.id);
    const s = people.find((p) => p.personId === superseded.personId)!;
    expect(s).toMatchObject({ count: 2, minGapSeconds: 120, visitIds: [own.id] });
    expect(people.find((p) => p.personId === inside.personId)!.minGapSeconds).toBe(30 * 60);
  });
});

describe('an open case holds its records from retention (SPEC L4)', () => {
  it('keeps the case person’s records in the look-back and every record near their visits; cuts them once closed', async () => {
    const v = await newVenue();
    const c = await bindChecker(v, daysAgo(40));
    const official = await newActor();
    const [caseP, near, far, stranger] = await Promise.all(['诸葛病例', '慕容近邻', '皇甫远客', '独孤路人'].map((n) => newPerson(n)));
    const visit = daysAgo(33);
    const late = daysAgo(20);
    const ownOld = await door(c, v, caseP, visit, '36.5', { receivedAt: late });
    const nearRec = await door(c, v, near, ms(visit, 25 * MIN), '36.5', { receivedAt: late });
    const farRec = await door(c, v, far, ms(visit, 90 * MIN), '36.5', { receivedAt: late });
    const strangerRec = await door(c, v, stranger, daysAgo(34), '36.5', { receivedAt: late });
    await drainAll(h.db);
    const kase = await openCase(caseP, daysAgo(35), official.accountId);

    await h.db.execute(sql`select checkins_cut_person_links(30, 1000)`);
    expect(await linkOf(ownOld.id)).toBe(caseP.personId);
    expect(await linkOf(nearRec.id)).toBe(near.personId);
    expect(await linkOf(farRec.id)).toBeNull();
    expect(await linkOf(strangerRec.id)).toBeNull();

    await h.db
      .update(traceCases)
      .set({ status: 'closed', closedAt: NOW, closedByAccountId: official.accountId })
      .where(eq(traceCases.id, kase.id));
    await h.db.execute(sql`select checkins_cut_person_links(30, 1000)`);
    expect(await linkOf(ownOld.id)).toBeNull();
    expect(await linkOf(nearRec.id)).toBeNull();
  });

  it('never deletes a case or its timeline', async () => {
    const official = await newActor();
    const p = await newPerson('东郭留痕');
    const kase = await openCase(p, daysAgo(14), official.accountId);
    await h.db.execute(
      sql`insert into trace_case_events (case_id, kind, actor_account_id) values (${kase.id}::uuid, 'opened', ${official.accountId}::uuid)`,
    );
    await expect(h.db.execute(sql`delete from trace_cases where id = ${kase.id}::uuid`)).rejects.toThrow();
    await expect(h.db.execute(sql`delete from trace_case_events where case_id = ${kase.id}::uuid`)).rejects.toThrow();
    await expect(h.db.execute(sql`update trace_case_events set kind = 'closed' where case_id = ${kase.id}::uuid`)).rejects.toThrow();
    const [{ n }] = rowsOf<{ n: number }>(
      await h.db.execute(sql`select count(*)::int as n from trace_case_events where case_id = ${kase.id}::uuid`),
    );
    expect(Number(n)).toBe(1);
  });
});
