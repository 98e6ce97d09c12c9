// 数据统计 (SPEC V5, V9, V12): every dashboard number equals a direct count over the standing records,
// whether the rollup queue is untouched, partly drained, fully drained, or the rollups were rebuilt.
// The process runs in UTC; China days and hours come from Asia/Shanghai only.
process.env.TZ = 'UTC';

import { and, count, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import { grantRole } from '@/db/queries/roles';
import { checkinRollupQueue } from '@/db/schema';
import { setColourByOfficial } from '@/lib/health-code/officials';
import { codeKeysFromSeed } from '@/lib/health-code/token';
import { ageBand, ageOn, type Gender } from '@/lib/identity/id-documents';
import {
  checkerStats,
  dailyStats,
  demographics,
  feverCount,
  feverList,
  hourlyStats,
  inSnapshot,
  totalFevers,
  type DayRow,
} from '@/db/queries/stats-dashboard';
import { drainAll, drainRollupQueue, rebuildVenueStats } from '@/db/queries/stats-rollups';
import { addChinaDays } from '@/lib/time';
import { createFixtures, MIN, ms, type Actor, type Person, type Venue } from '../helpers/fixtures';

const fx = createFixtures({
  phone: { prefix: '136', base: 5_000_000, step: 37 },
  ids: { fromYear: 1962, stepDays: 17 },
  venue: { namePrefix: '统计测试场所', address: '北京路 3 号', contactPhone: '020-88886666' },
  checker: { displayName: '门岗', ip: '10.62.0.1', secret: 'test-secret-stats' },
});
const { h, fieldKeys, newAccount, register, newVenue, scan, record, stored } = fx;
/** The sunflower code's keys in these tests. */
const quickKeys = codeKeysFromSeed(Buffer.alloc(32, 7).toString('base64'));

const D0 = '2026-11-30';
const D1 = '2026-12-01';
const D2 = '2026-12-02';
/** An instant given as China Standard Time wall-clock ('YYYY-MM-DD', 'HH:MM' or 'HH:MM:SS'). */
const cst = (day: string, time: string) => new Date(`${day}T${time.length === 5 ? `${time}:00` : time}+08:00`);

const newPerson = (name: string, gender: Gender, birthDate?: string) => fx.newPerson(name, gender, birthDate);
/** Checkers are bound well before the data set (2026-11-28 CST). */
const BOUND = cst('2026-11-28', '08:00');
const bindChecker = (v: Venue, displayName: string, actor?: Actor) => fx.bindChecker(v, BOUND, actor, displayName);

const door = fx.scanStored;
const quick = (c: Actor, v: Venue, visitor: Actor, people: Person[], issued: Date) =>
  fx.quickStored(quickKeys, c, v, visitor, people, issued);

// ---- the numbers --------------------------------------------------------------------------------
type CheckerRow = { checkerAccountId: string; recordsToday: number; feversToday: number; records: number; fevers: number };
type DemoRow = { gender: string; ageBand: string; visitors: number };
type Numbers = { days: DayRow[]; hours: Record<string, number[]>; demographics: DemoRow[]; checkers: CheckerRow[]; totalFevers: number };

function daysOf(fromDay: string, toDay: string) {
  const out: string[] = [];
  for (let d = fromDay; d <= toDay; d = addChinaDays(d, 1)) out.push(d);
  return out;
}
const byKey =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
/**
 * Representation only: a day or checker whose records all moved away (supersedes) may be present with
 * zeros in the rollups and absent from a rebuild; the dashboard fills missing days with zeros anyway.
 */
function normalized(n: Numbers): Numbers {
  return {
    days: n.days.filter((d) => d.checkins || d.fevers || d.reds || d.quick || d.visitors).sort(byKey((d) => d.day)),
    hours: n.hours,
    demographics: n.demographics.filter((d) => d.visitors !== 0).sort(byKey((d) => `${d.gender}|${d.ageBand}`)),
    checkers: n.checkers.filter((c) => c.records || c.fevers || c.recordsToday || c.feversToday).sort(byKey((c) => c.checkerAccountId)),
    totalFevers: n.totalFevers,
  };
}

/**
 * The same numbers straight from `checkins` + `persons`: standing records only (V12: no record names
 * them as predecessor and they were not stored superseded), China days and hours via Asia/Shanghai,
 * age bands from the identity module's own definition (age on the visit day).
 */
async function directCounts(venueId: string, fromDay: string, toDay: string, today = toDay): Promise<Numbers> {
  const standing = sql`
    select c.*, (c.effective_at at time zone 'Asia/Shanghai')::date as day,
           extract(hour from c.effective_at at time zone 'Asia/Shanghai')::int as hour
      from checkins c
     where c.venue_id = ${venueId} and c.superseded_by_id is null
       and not exists (select 1 from checkins n where n.venue_id = c.venue_id and n.supersedes_id = c.id)`;
  const days = rowsOf<DayRow>(
    await h.db.execute(sql`
      with s as (${standing})
      select day::text as day, count(*)::int as checkins, (count(*) filter (where fever))::int as fevers,
             (count(*) filter (where colour = 'red'))::int as reds, (count(*) filter (where method = 'quick'))::int as quick,
             count(distinct person_id)::int as visitors
        from s where day between ${fromDay} and ${toDay} group by day order by day`),
  ).map((r) => ({
    day: r.day,
    checkins: Number(r.checkins),
    fevers: Number(r.fevers),
    reds: Number(r.reds),
    quick: Number(r.quick),
    visitors: Number(r.visitors),
  }));

  const hourRows = rowsOf<{ day: string; hour: number; n: number }>(
    await h.db.execute(sql`
      with s as (${standing})
      select day::text as day, hour, count(*)::int as n from s where day between ${fromDay} and ${toDay} group by 1, 2`),
  );
  const hours: Record<string, number[]> = {};
  for (const d of daysOf(fromDay, toDay)) hours[d] = Array.from({ length: 24 }, () => 0);
  for (const r of hourRows) hours[r.day][Number(r.hour)] = Number(r.n);

  const visitorDays = rowsOf<{ day: string; gender: string; birthDate: string }>(
    await h.db.execute(sql`
      with s as (${standing})
      select v.day::text as day, p.gender, p.birth_date::text as "birthDate"
        from (select distinct day, person_id from s where day between ${fromDay} and ${toDay}) v join persons p on p.id = v.person_id`),
  );
  const demo = new Map<string, DemoRow>();
  for (const v of visitorDays) {
    const band = ageBand(ageOn(v.birthDate, v.day));
    const key = `${v.gender}|${band}`;
    const row = demo.get(key) ?? { gender: v.gender, ageBand: band, visitors: 0 };
    row.visitors += 1;
    demo.set(key, row);
  }

  const checkerRows = rowsOf<{ checker: string; day: string; records: number; fevers: number }>(
    await h.db.execute(sql`
      with s as (${standing})
      select checker_account_id as checker, day::text as day, count(*)::int as records, (count(*) filter (where fever))::int as fevers from s group by 1, 2`),
  );
  const checkers = new Map<string, CheckerRow>();
  for (const r of checkerRows) {
    const row = checkers.get(r.checker) ?? { checkerAccountId: r.checker, recordsToday: 0, feversToday: 0, records: 0, fevers: 0 };
    row.records += Number(r.records);
    row.fevers += Number(r.fevers);
    if (r.day === today) {
      row.recordsToday += Number(r.records);
      row.feversToday += Number(r.fevers);
    }
    checkers.set(r.checker, row);
  }

  const [fevers] = rowsOf<{ n: number }>(
    await h.db.execute(sql`with s as (${standing}) select (count(*) filter (where fever))::int as n from s`),
  );
  return normalized({ days, hours, demographics: [...demo.values()], checkers: [...checkers.values()], totalFevers: Number(fevers.n) });
}

/** What the dashboard reads (rollups + still-queued records, one snapshot), in the same shape. */
async function dashboardCounts(venueId: string, fromDay: string, toDay: string, today = toDay): Promise<Numbers> {
  return inSnapshot(h.db, async (tx) => {
    const days = await dailyStats(tx, venueId, fromDay, toDay);
    const hours: Record<string, number[]> = {};
    for (const d of daysOf(fromDay, toDay)) hours[d] = await hourlyStats(tx, venueId, d);
    const demo = await demographics(tx, venueId, fromDay, toDay);
    const checkers = await checkerStats(tx, venueId, today);
    const fevers = await totalFevers(tx, venueId);
    return normalized({
      days: days.map((r) => ({
        day: r.day,
        checkins: Number(r.checkins),
        fevers: Number(r.fevers),
        reds: Number(r.reds),
        quick: Number(r.quick),
        visitors: Number(r.visitors),
      })),
      hours,
      demographics: demo.map((r) => ({ gender: r.gender, ageBand: r.ageBand, visitors: Number(r.visitors) })),
      checkers: checkers.map((c) => ({
        checkerAccountId: c.checkerAccountId,
        recordsToday: Number(c.recordsToday),
        feversToday: Number(c.feversToday),
        records: Number(c.records),
        fevers: Number(c.fevers),
      })),
      totalFevers: fevers,
    });
  });
}

async function queued(venueId?: string) {
  const [row] = await h.db
    .select({ n: count() })
    .from(checkinRollupQueue)
    .where(venueId ? eq(checkinRollupQueue.venueId, venueId) : undefined);
  return Number(row.n);
}

type Range = { venueId: string; from: string; to: string; today?: string };
async function expectDashboardEqualsDirect(ranges: Range[], state: string) {
  for (const r of ranges) {
    const direct = await directCounts(r.venueId, r.from, r.to, r.today);
    const shown = await dashboardCounts(r.venueId, r.from, r.to, r.today);
    expect(shown, `${state}, venue ${r.venueId}`).toEqual(direct);
  }
}

/**
 * (a) nothing drained, (b) partly drained — after one drainRollupQueue(db, 2), then after every further
 * step of 2 — (c) fully drained, (d) rebuilt: the dashboard equals the direct counts in every state.
 */
async function expectAllStates(ranges: Range[], batch = 2) {
  let waiting = 0;
  for (const venueId of new Set(ranges.map((r) => r.venueId))) waiting += await queued(venueId);
  expect(waiting, 'records still queued before any drain').toBeGreaterThan(batch);
  await expectDashboardEqualsDirect(ranges, '(a) nothing drained');
  let steps = 0;
  while ((await drainRollupQueue(h.db, batch)) > 0) {
    steps += 1;
    await expectDashboardEqualsDirect(ranges, `(b) partly drained, step ${steps}`);
  }
  expect(steps).toBeGreaterThan(1);
  await drainAll(h.db);
  expect(await queued()).toBe(0);
  await expectDashboardEqualsDirect(ranges, '(c) fully drained');
  for (const r of ranges) await rebuildVenueStats(h.db, r.venueId);
  await expectDashboardEqualsDirect(ranges, '(d) rebuilt');
}

const day = (d: string, checkins: number, fevers: number, reds: number, quickN: number, visitors: number): DayRow => ({
  day: d,
  checkins,
  fevers,
  reds,
  quick: quickN,
  visitors,
});
const hoursWith = (counts: Record<number, number>) => Array.from({ length: 24 }, (_, i) => counts[i] ?? 0);
const iso = (x: unknown) => new Date(x as string).toISOString();

/** The fever list as the page shows it: `kind` standing (发热人次, the default) or corrected (发热后复测正常). */
async function fevers(venueId: string, from?: string, kind: 'standing' | 'corrected' = 'standing') {
  return inSnapshot(h.db, async (tx) => ({
    list: (await feverList(tx, venueId, { from, kind, limit: 50, offset: 0 })).map((f) => ({
      id: f.id,
      temperatureDeci: Number(f.temperatureDeci),
      effectiveAt: iso(f.effectiveAt),
      correctedDeci: f.correctedDeci === null ? null : Number(f.correctedDeci),
      correctedAt: f.correctedAt === null ? null : iso(f.correctedAt),
    })),
    count: await feverCount(tx, venueId, from, kind),
  }));
}

// -------------------------------------------------------------------------------------------------

describe('数据统计: dashboard numbers equal direct counts over standing records (V5, V12)', () => {
  it('a known data set across three China days and two venues, queued, partly drained, drained and rebuilt', async () => {
    await drainAll(h.db);
    const official = await newAccount();
    await grantRole(h.db, official, 'health_official', null);

    const v1 = await newVenue();
    const v2 = await newVenue();
    const c1 = await bindChecker(v1, '东门-甲');
    const c2 = await bindChecker(v1, '西门-乙');
    await bindChecker(v2, '南门-甲', c1);
    const c3 = await bindChecker(v2, '北门-丙');

    const pA = await newPerson('欧阳修远', 'M', '1980-04-04'); // 46: 40-49
    const pM = await register(pA.accountId, '司马相如', 'family', 'M', '2015-06-01'); // 11: 0-17 (pA's child)
    const pB = await newPerson('上官婉儿', 'F', '2008-12-02'); // turns 18 on D2: 0-17 on D1, 18-29 on D2
    const pC = await newPerson('诸葛明月', 'F', '1960-01-01'); // 60+, red code
    const pD = await newPerson('东方既白', 'M', '1995-06-15'); // 30-39
    const pE = await newPerson('长孙无忌', 'M', '2000-03-03'); // 18-29
    const pF = await newPerson('慕容秋水', 'F', '1970-07-07'); // 50-59
    const pG = await newPerson('宇文成都', 'M', '1988-08-08'); // 30-39
    const pH = await newPerson('独孤晓雪', 'F', '1999-09-09'); // 18-29
    const pI = await newPerson('公孙胜利', 'M', '1975-05-05'); // 50-59
    const pJ = await newPerson('夏侯春华', 'F', '1985-10-10'); // 40-49
    const pK = await newPerson('皇甫松涛', 'M', '1965-11-11'); // 60+
    const pL = await newPerson('令狐冬梅', 'F', '1992-02-02'); // 30-39

    // pC is red from 2026-11-29 (V13: records keep the colour at their time).
    expect(
      await setColourByOfficial(
        h.db,
        fieldKeys,
        { accountId: official },
        { idType: 'cn_resident', idNumber: pC.idNumber, colour: 'red', reason: 'close_contact' },
        cst('2026-11-29', '00:00'),
      ),
    ).toEqual({ ok: true });

    // D0 (2026-11-30)
    const r1 = await door(c1, v1, pC, cst(D0, '15:00'), '36.6');
    const r2 = await door(c2, v1, pA, cst(D0, '20:00'), '36.4');
    expect(r1.colour).toBe('red');

    // D1 (2026-12-01)
    const r3 = await door(c2, v1, pF, cst(D1, '09:00'), '38.2'); // standing fever
    // The second venue, interleaved in the queue: the same people never supersede across venues.
    const w1 = await door(c3, v2, pF, cst(D1, '09:10'), '38.5');
    const w2 = await door(c3, v2, pF, cst(D1, '09:20'), '36.6');
    const w3 = await door(c1, v2, pA, cst(D1, '10:05'), '36.5');
    expect(w1.supersedes).toBeNull();
    expect(w2.supersedes).toBe(w1.id);
    const r4 = await door(c1, v1, pC, cst(D1, '10:00'), '36.5'); // red, corrected by r5
    const r5 = await door(c1, v1, pC, cst(D1, '10:10'), '36.7');
    expect(r5).toMatchObject({ supersedes: r4.id, colour: 'red' });
    const [r6a, r6b] = await quick(c2, v1, { accountId: pA.accountId }, [pA, pM], cst(D1, '10:30')); // quick: visits, never fevers
    expect(r6a).toMatchObject({ method: 'quick', fever: false, temperature: null, supersedes: null });
    expect(r6b).toMatchObject({ method: 'quick', fever: false, temperature: null, supersedes: null });
    const r7 = await door(c1, v1, pG, cst(D1, '10:50'), '37.5'); // a fever a quick check-in cannot hide (like with like)
    const [r8] = await quick(c1, v1, { accountId: pG.accountId }, [pG], cst(D1, '11:00'));
    expect(r8).toMatchObject({ supersedes: null, storedSuperseded: true });
    expect(r7.fever).toBe(true);
    const r9 = await door(c2, v1, pJ, cst(D1, '12:00'), '36.5');
    const r10 = await door(c1, v1, pJ, cst(D1, '11:45'), '38.0', cst(D1, '13:00')); // late: stored superseded by r9
    expect(r10).toMatchObject({ late: true, storedSuperseded: true, supersedes: null, fever: true });
    const r11 = await door(c1, v1, pE, cst(D1, '14:00'), '37.8'); // fever, corrected by a re-scan from the other checker
    const r12 = await door(c2, v1, pE, cst(D1, '14:05'), '36.6');
    expect(r12.supersedes).toBe(r11.id);
    const r13 = await door(c1, v1, pK, cst(D1, '15:00'), '36.5');
    const r14 = await door(c2, v1, pK, cst(D1, '15:20'), '36.8', cst(D1, '16:30')); // late, and it supersedes r13
    expect(r14).toMatchObject({ late: true, storedSuperseded: false, supersedes: r13.id });
    const r15 = await door(c1, v1, pL, cst(D1, '16:00'), '36.5');
    const r16 = await door(c1, v1, pL, cst(D1, '16:45'), '36.6');
    const r17 = await door(c2, v1, pL, cst(D1, '16:20'), '36.7', cst(D1, '17:00')); // late: supersedes r15, stored superseded by r16
    expect(r16.supersedes).toBeNull();
    expect(r17).toMatchObject({ late: true, storedSuperseded: true, supersedes: r15.id });
    const r18 = await door(c2, v1, pF, cst(D1, '17:00'), '36.5'); // pF's second visit today: one visitor-day
    expect(r18.supersedes).toBeNull();
    const r19 = await door(c1, v1, pB, cst(D1, '18:00'), '36.4'); // 17 today
    const r20 = await door(c1, v1, pD, cst(D1, '23:50'), '36.5');
    const r21 = await door(c2, v1, pD, cst(D2, '00:10'), '36.6'); // moves pD's visit to D2
    expect(r21.supersedes).toBe(r20.id);
    const r22 = await door(c1, v1, pH, new Date('2026-12-01T15:59:59Z'), '36.5'); // D1 23:59:59 CST
    const r23 = await door(c2, v1, pI, new Date('2026-12-01T16:00:00Z'), '36.5'); // D2 00:00:00 CST

    // D2 (2026-12-02)
    const r24 = await door(c1, v1, pB, cst(D2, '09:00'), '36.5'); // 18 today: 18-29
    const r25 = await door(c2, v1, pA, cst(D2, '08:00'), '37.4'); // standing fever
    const [r26] = await quick(c1, v1, { accountId: pA.accountId }, [pA], cst(D2, '10:20'));
    expect(r26.supersedes).toBeNull();
    expect(r6a.supersedes).toBeNull(); // pA's V2 record at 10:05 is another venue's

    // The expected numbers, by hand from the list above.
    const v1Direct = await directCounts(v1.venueId, D0, D2);
    expect(v1Direct.days).toEqual([day(D0, 2, 0, 1, 0, 2), day(D1, 12, 2, 1, 2, 11), day(D2, 5, 1, 0, 1, 4)]);
    expect(v1Direct.hours).toEqual({
      [D0]: hoursWith({ 15: 1, 20: 1 }),
      [D1]: hoursWith({ 9: 1, 10: 4, 12: 1, 14: 1, 15: 1, 16: 1, 17: 1, 18: 1, 23: 1 }),
      [D2]: hoursWith({ 0: 2, 8: 1, 9: 1, 10: 1 }),
    });
    expect(v1Direct.demographics).toEqual(
      [
        { gender: 'F', ageBand: '0-17', visitors: 1 },
        { gender: 'F', ageBand: '18-29', visitors: 2 },
        { gender: 'F', ageBand: '30-39', visitors: 1 },
        { gender: 'F', ageBand: '40-49', visitors: 1 },
        { gender: 'F', ageBand: '50-59', visitors: 1 },
        { gender: 'F', ageBand: '60+', visitors: 2 },
        { gender: 'M', ageBand: '0-17', visitors: 1 },
        { gender: 'M', ageBand: '18-29', visitors: 1 },
        { gender: 'M', ageBand: '30-39', visitors: 2 },
        { gender: 'M', ageBand: '40-49', visitors: 3 },
        { gender: 'M', ageBand: '50-59', visitors: 1 },
        { gender: 'M', ageBand: '60+', visitors: 1 },
      ].sort(byKey((d) => `${d.gender}|${d.ageBand}`)),
    );
    expect(v1Direct.checkers).toEqual(
      [
        { checkerAccountId: c1.accountId, recordsToday: 2, feversToday: 0, records: 8, fevers: 1 },
        { checkerAccountId: c2.accountId, recordsToday: 3, feversToday: 1, records: 11, fevers: 2 },
      ].sort(byKey((c) => c.checkerAccountId)),
    );
    expect(v1Direct.totalFevers).toBe(3);
    // Only D1 asked for: pB is 0-17 there; on D2 alone she is 18-29.
    expect((await directCounts(v1.venueId, D1, D1)).demographics.filter((d) => d.gender === 'F' && d.ageBand === '0-17')).toEqual([
      { gender: 'F', ageBand: '0-17', visitors: 1 },
    ]);
    expect((await directCounts(v1.venueId, D2, D2)).demographics).toEqual([
      { gender: 'F', ageBand: '18-29', visitors: 1 },
      { gender: 'M', ageBand: '30-39', visitors: 1 },
      { gender: 'M', ageBand: '40-49', visitors: 1 },
      { gender: 'M', ageBand: '50-59', visitors: 1 },
    ]);

    const v2Direct = await directCounts(v2.venueId, D0, D2);
    expect(v2Direct).toEqual({
      days: [day(D1, 2, 0, 0, 0, 2)],
      hours: { [D0]: hoursWith({}), [D1]: hoursWith({ 9: 1, 10: 1 }), [D2]: hoursWith({}) },
      demographics: [
        { gender: 'F', ageBand: '50-59', visitors: 1 },
        { gender: 'M', ageBand: '40-49', visitors: 1 },
      ],
      checkers: [
        { checkerAccountId: c1.accountId, recordsToday: 0, feversToday: 0, records: 1, fevers: 0 },
        { checkerAccountId: c3.accountId, recordsToday: 0, feversToday: 0, records: 1, fevers: 0 },
      ].sort(byKey((c) => c.checkerAccountId)),
      totalFevers: 0,
    });

    // The fever list: the standing fevers, newest first — as many as 累计发热人次; apart, the fevers a later
    // normal measurement corrected (发热后复测正常), each with that reading.
    const expectedV1Fevers = [
      { id: r25.id, temperatureDeci: 374, effectiveAt: r25.effectiveAt, correctedDeci: null, correctedAt: null },
      // A quick check-in after it corrects nothing (like with like): the fever stands.
      { id: r7.id, temperatureDeci: 375, effectiveAt: r7.effectiveAt, correctedDeci: null, correctedAt: null },
      { id: r3.id, temperatureDeci: 382, effectiveAt: r3.effectiveAt, correctedDeci: null, correctedAt: null },
    ];
    const expectedV1Corrected = [
      { id: r11.id, temperatureDeci: 378, effectiveAt: r11.effectiveAt, correctedDeci: 366, correctedAt: r12.effectiveAt },
      { id: r10.id, temperatureDeci: 380, effectiveAt: r10.effectiveAt, correctedDeci: 365, correctedAt: r9.effectiveAt },
    ];
    expect(await fevers(v1.venueId)).toEqual({ list: expectedV1Fevers, count: 3 });
    expect((await fevers(v1.venueId)).count).toBe(v1Direct.totalFevers);
    expect(await fevers(v1.venueId, undefined, 'corrected')).toEqual({ list: expectedV1Corrected, count: 2 });
    expect(await fevers(v1.venueId, D2)).toEqual({ list: expectedV1Fevers.slice(0, 1), count: 1 });
    expect(await fevers(v1.venueId, D2, 'corrected')).toEqual({ list: [], count: 0 });
    expect(await fevers(v2.venueId)).toEqual({ list: [], count: 0 });
    expect(await fevers(v2.venueId, undefined, 'corrected')).toEqual({
      list: [{ id: w1.id, temperatureDeci: 385, effectiveAt: w1.effectiveAt, correctedDeci: 366, correctedAt: w2.effectiveAt }],
      count: 1,
    });

    const ranges: Range[] = [
      { venueId: v1.venueId, from: D0, to: D2 },
      { venueId: v1.venueId, from: D1, to: D1, today: D1 },
      { venueId: v1.venueId, from: D2, to: D2 },
      { venueId: v2.venueId, from: D0, to: D2, today: D1 },
    ];
    const feversBefore = [await fevers(v1.venueId), await fevers(v2.venueId), await fevers(v1.venueId, undefined, 'corrected')];
    await expectAllStates(ranges);
    // The fever list reads the records themselves: the same in every state.
    expect([await fevers(v1.venueId), await fevers(v2.venueId), await fevers(v1.venueId, undefined, 'corrected')]).toEqual(feversBefore);
    // And the literal numbers hold after the rebuild, not just the equality.
    expect(await dashboardCounts(v1.venueId, D0, D2)).toEqual(v1Direct);
    expect(await dashboardCounts(v2.venueId, D0, D2)).toEqual(v2Direct);

    // After a rebuild the door keeps working: a correction of a record the rebuild counted.
    const r27 = await door(c2, v1, pB, cst(D2, '09:10'), '37.6');
    expect(r27.supersedes).toBe(r24.id);
    const after = await directCounts(v1.venueId, D0, D2);
    expect(after.days[2]).toEqual(day(D2, 5, 2, 0, 1, 4));
    expect(after.checkers.find((x) => x.checkerAccountId === c2.accountId)).toEqual({
      checkerAccountId: c2.accountId,
      recordsToday: 4,
      feversToday: 2,
      records: 12,
      fevers: 3,
    });
    expect(after.totalFevers).toBe(4);
    const r28 = await door(c1, v1, pJ, cst(D2, '12:00'), '36.6');
    expect(r28.supersedes).toBeNull();
    await expectAllStates(ranges, 1);
    const final = await dashboardCounts(v1.venueId, D0, D2);
    expect(final.days[2]).toEqual(day(D2, 6, 2, 0, 1, 5));
    expect(final).toEqual(await directCounts(v1.venueId, D0, D2));
    void [r2, r13, r16, r19, r22, r23, w3];
  });

  it('a fever corrected by a re-scan: the fever count drops, the row moves to 已复测正常 with both readings', async () => {
    await drainAll(h.db);
    const v = await newVenue();
    const c = await bindChecker(v, '门岗');
    const p = await newPerson('钟离雪', 'F', '1990-01-01');
    const hot = await door(c, v, p, cst(D1, '10:00'), '38.6');
    const shown = () =>
      inSnapshot(h.db, async (tx) => ({ total: await totalFevers(tx, v.venueId), day: await dailyStats(tx, v.venueId, D1, D1) }));
    expect(await shown()).toEqual({ total: 1, day: [day(D1, 1, 1, 0, 0, 1)] });
    await drainAll(h.db);
    expect(await shown()).toEqual({ total: 1, day: [day(D1, 1, 1, 0, 0, 1)] });

    const fixed = await door(c, v, p, cst(D1, '10:03'), '36.9');
    expect(fixed.supersedes).toBe(hot.id);
    // Queued correction, drained fever: the count already dropped.
    expect(await shown()).toEqual({ total: 0, day: [day(D1, 1, 0, 0, 0, 1)] });
    expect(await fevers(v.venueId, D1)).toEqual({ list: [], count: 0 });
    expect(await fevers(v.venueId, D1, 'corrected')).toEqual({
      list: [{ id: hot.id, temperatureDeci: 386, effectiveAt: hot.effectiveAt, correctedDeci: 369, correctedAt: fixed.effectiveAt }],
      count: 1,
    });
    await drainAll(h.db);
    expect(await shown()).toEqual({ total: 0, day: [day(D1, 1, 0, 0, 0, 1)] });
    await rebuildVenueStats(h.db, v.venueId);
    expect(await shown()).toEqual({ total: 0, day: [day(D1, 1, 0, 0, 0, 1)] });
    expect((await fevers(v.venueId, undefined, 'corrected')).list).toHaveLength(1);
    expect(await dashboardCounts(v.venueId, D1, D1)).toEqual(await directCounts(v.venueId, D1, D1));
  });

  it('China days while the process runs in UTC: 15:59:59Z and 16:00:00Z are different days, 16:00Z is hour 0', async () => {
    expect(new Date('2026-12-01T16:00:00Z').getHours()).toBe(16); // the process zone is UTC
    await drainAll(h.db);
    const v = await newVenue();
    const c = await bindChecker(v, '门岗');
    const p = await newPerson('南宫月', 'F', '1991-03-03');
    const q = await newPerson('西门吹', 'M', '1993-04-04');
    await door(c, v, p, new Date('2026-12-01T15:59:59Z'), '37.3'); // 23:59:59 CST D1, a fever (≥ 37.3)
    await door(c, v, q, new Date('2026-12-01T16:00:00Z'), '37.2'); // 00:00:00 CST D2, not a fever
    // UTC midnight is 08:00 CST: no boundary there.
    await door(c, v, q, new Date('2026-12-01T23:59:59Z'), '36.5');
    await door(c, v, p, new Date('2026-12-02T00:00:00Z'), '36.5');

    const expected = {
      days: [day(D1, 1, 1, 0, 0, 1), day(D2, 3, 0, 0, 0, 2)],
      hours: { [D1]: hoursWith({ 23: 1 }), [D2]: hoursWith({ 0: 1, 7: 1, 8: 1 }) },
    };
    const pick = (n: Numbers) => ({ days: n.days, hours: n.hours });
    expect(pick(await directCounts(v.venueId, D1, D2))).toEqual(expected);
    expect(pick(await dashboardCounts(v.venueId, D1, D2))).toEqual(expected);
    // The database session's zone does not matter either (a session far from China).
    const inLosAngeles = await h.db.transaction(async (tx) => {
      await tx.execute(sql`set local time zone 'America/Los_Angeles'`);
      await drainRollupQueue(tx, 1);
      return {
        days: await dailyStats(tx, v.venueId, D1, D2),
        h1: await hourlyStats(tx, v.venueId, D1),
        h2: await hourlyStats(tx, v.venueId, D2),
      };
    });
    expect({ days: inLosAngeles.days.map((d) => ({ ...d })), hours: { [D1]: inLosAngeles.h1, [D2]: inLosAngeles.h2 } }).toEqual(expected);
    // The fever list's "from a day" starts at 00:00 CST.
    expect((await fevers(v.venueId, D2)).count).toBe(0);
    expect((await fevers(v.venueId, D1)).count).toBe(1);
    await expectAllStates([{ venueId: v.venueId, from: D1, to: D2 }]);
    expect(pick(await dashboardCounts(v.venueId, D1, D2))).toEqual(expected);
  });

  it('a correction drained before its predecessor (concurrent drains can commit in either order)', async () => {
    await drainAll(h.db);
    const v = await newVenue();
    const c1 = await bindChecker(v, '甲');
    const c2 = await bindChecker(v, '乙');
    const p = await newPerson('呼延庆', 'M', '1984-04-04');
    const q = await newPerson('尉迟恭', 'F', '2008-12-02'); // turns 18 on D2
    const R = await door(c1, v, p, cst(D1, '20:00'), '36.5'); // p's earlier visit on D1: it stands
    const P1 = await door(c1, v, p, cst(D1, '23:50'), '38.0'); // fever, corrected across midnight
    const C1 = await door(c2, v, p, cst(D2, '00:10'), '36.6');
    const P2 = await door(c1, v, q, cst(D2, '09:00'), '37.9');
    const C2 = await door(c2, v, q, cst(D2, '09:05'), '36.8');
    expect([R.supersedes, C1.supersedes, C2.supersedes]).toEqual([null, P1.id, P2.id]);
    // Put the earlier records behind the corrections in the queue: C1, C2, R, P1, P2.
    for (const id of [R.id, P1.id, P2.id]) {
      await h.db.delete(checkinRollupQueue).where(and(eq(checkinRollupQueue.venueId, v.venueId), eq(checkinRollupQueue.checkinId, id)));
      await h.db.insert(checkinRollupQueue).values({ venueId: v.venueId, checkinId: id });
    }
    const ranges = [{ venueId: v.venueId, from: D1, to: D2 }];
    await expectDashboardEqualsDirect(ranges, 'queued');
    // C1 alone takes p's D1 visitor-day below zero; then R and P1 together bring it from -1 to +1.
    for (const batch of [1, 1, 2, 1]) {
      expect(await drainRollupQueue(h.db, batch)).toBe(batch);
      await expectDashboardEqualsDirect(ranges, `drained ${batch} more`);
    }
    expect(await queued(v.venueId)).toBe(0);
    const direct = await directCounts(v.venueId, D1, D2);
    expect(direct.days).toEqual([day(D1, 1, 0, 0, 0, 1), day(D2, 2, 0, 0, 0, 2)]);
    expect(direct.demographics).toEqual([
      { gender: 'F', ageBand: '18-29', visitors: 1 },
      { gender: 'M', ageBand: '40-49', visitors: 2 },
    ]);
    expect(await dashboardCounts(v.venueId, D1, D2)).toEqual(direct);
    await rebuildVenueStats(h.db, v.venueId);
    expect(await dashboardCounts(v.venueId, D1, D2)).toEqual(direct);
  });

  it('a day and a checker whose only record was corrected away count nothing there', async () => {
    await drainAll(h.db);
    const v = await newVenue();
    const cA = await bindChecker(v, '甲');
    const cB = await bindChecker(v, '乙');
    const p = await newPerson('呼延庆', 'M', '1984-04-04');
    await door(cA, v, p, cst(D1, '23:50'), '38.0');
    await door(cB, v, p, cst(D2, '00:10'), '36.6');
    await door(cB, v, p, cst(D2, '12:00'), '36.6');
    const expected: Numbers = {
      days: [day(D2, 2, 0, 0, 0, 1)],
      hours: { [D1]: hoursWith({}), [D2]: hoursWith({ 0: 1, 12: 1 }) },
      demographics: [{ gender: 'M', ageBand: '40-49', visitors: 1 }],
      checkers: [{ checkerAccountId: cB.accountId, recordsToday: 2, feversToday: 0, records: 2, fevers: 0 }],
      totalFevers: 0,
    };
    expect(await directCounts(v.venueId, D1, D2)).toEqual(expected);
    // (Before a rebuild the dashboard lists D1 and checker 甲 with zeros; `normalized` treats that as absent.)
    await expectAllStates([{ venueId: v.venueId, from: D1, to: D2 }], 1);
    expect(await dashboardCounts(v.venueId, D1, D2)).toEqual(expected);
  });

  it('drains exactly once: two concurrent drains over 200 queued records', { timeout: 240_000 }, async () => {
    await drainAll(h.db);
    const v = await newVenue();
    const checkers = [await bindChecker(v, '甲'), await bindChecker(v, '乙'), await bindChecker(v, '丙')];
    const people: Person[] = [];
    for (let i = 0; i < 20; i += 1)
      people.push(await newPerson(`访客${'甲乙丙丁戊己庚辛壬癸'[i % 10]}${'子丑'[Math.floor(i / 10)]}`, i % 2 ? 'F' : 'M'));
    // 10 records each from D0 20:00 CST, 25 or 50 minutes apart: corrections, midnights, fevers.
    const start = cst(D0, '20:00');
    let n = 0;
    for (let k = 0; k < 10; k += 1) {
      for (let i = 0; i < people.length; i += 1) {
        const t = ms(start, (k * 37 + i * 3) * MIN + (k % 2 ? 25 * MIN : 0) * ((i % 3) - 1));
        const temperature = (i + k) % 7 === 0 ? '38.1' : '36.6';
        stored(
          await record(
            checkers[(i + k) % 3],
            scan(v.venueId, people[i].token, t, { temperature }),
            ms(t, 1000 + ((i * k) % 4 === 1 ? 40 * MIN : 0)),
          ),
        );
        n += 1;
      }
    }
    expect(n).toBe(200);
    expect(await queued(v.venueId)).toBe(200);
    const range = { venueId: v.venueId, from: D0, to: D2, today: D1 };
    const direct = await directCounts(v.venueId, D0, D2, D1);
    expect(direct.days.reduce((a, d) => a + d.checkins, 0)).toBeLessThan(200); // some were corrected
    expect(direct.totalFevers).toBeGreaterThan(0);
    expect(await dashboardCounts(v.venueId, D0, D2, D1)).toEqual(direct);

    const [a, b] = await Promise.all([drainRollupQueue(h.db, 120), drainRollupQueue(h.db, 120)]);
    expect(a + b).toBe(200);
    expect(await queued()).toBe(0);
    expect(await dashboardCounts(v.venueId, D0, D2, D1)).toEqual(direct);
    await rebuildVenueStats(h.db, v.venueId);
    expect(await dashboardCounts(v.venueId, D0, D2, D1)).toEqual(direct);

    // 100 more (D1, corrections of the rebuilt ones included), then three drains interleaving small batches.
    for (let k = 0; k < 5; k += 1) {
      for (let i = 0; i < people.length; i += 1) {
        const t = ms(cst(D1, '02:00'), (k * 60 + i * 2) * MIN);
        stored(
          await record(
            checkers[(i + k) % 3],
            scan(v.venueId, people[i].token, t, { temperature: (i * k) % 5 === 2 ? '37.7' : '36.4' }),
            ms(t, 1000),
          ),
        );
      }
    }
    expect(await queued(v.venueId)).toBe(100);
    const [{ n: corrections }] = rowsOf<{ n: number }>(
      await h.db.execute(
        sql`select count(*)::int as n from checkins c join checkin_rollup_queue q on q.venue_id = c.venue_id and q.checkin_id = c.id where c.venue_id = ${v.venueId} and c.supersedes_id is not null`,
      ),
    );
    expect(Number(corrections)).toBeGreaterThan(0);
    const more = await directCounts(v.venueId, D0, D2, D1);
    expect(await dashboardCounts(v.venueId, D0, D2, D1)).toEqual(more);
    const drained = await Promise.all([drainAll(h.db, 3), drainAll(h.db, 4), drainAll(h.db, 5)]);
    expect(drained.reduce((x, y) => x + y, 0)).toBe(100);
    expect(await queued()).toBe(0);
    expect(await dashboardCounts(v.venueId, D0, D2, D1)).toEqual(more);
    await rebuildVenueStats(h.db, v.venueId);
    await expectDashboardEqualsDirect([range], 'after rebuild');
  });
});
