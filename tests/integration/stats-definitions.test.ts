// One meaning per number (issue #17): each definition of lib/stats/definitions.ts — 检测人次, 检测人数 per day,
// 人天, 发热人次, 发热人数 per day, 发热后复测正常, the split by entrance — equals a direct count over the rows,
// written here without db/queries/stats-definitions.ts, on a data set with supersedes, late records, a quick
// check-in after a fever (stored superseded: like with like), corrected fevers and history without
// entrance. Statistics come from the facts on the record: a later change to a person changes no past number.
process.env.TZ = 'UTC';

import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from '@/db';
import {
  checkerStats,
  dailyStats,
  demographics,
  entranceStats,
  feverCount,
  feverCounts,
  feverList,
  feverPersonsByDay,
  inSnapshot,
  totalFevers,
} from '@/db/queries/stats-dashboard';
import { drainAll, drainRollupQueue, rebuildVenueStats } from '@/db/queries/stats-rollups';
import { checkerSummaryToday } from '@/lib/checkin/checker-summary';
import { venueDashboard } from '@/lib/stats/venue-dashboard';
import { createFixtures } from '../helpers/fixtures';
import { createTracingHelpers } from '../helpers/tracing';
import { asOwner } from '../helpers/test-db';

const fx = createFixtures({
  phone: { prefix: '137', base: 6_100_000, step: 41 },
  ids: { fromYear: 1966, stepDays: 23 },
  venue: { namePrefix: '口径测试场所', address: '中山五路 8 号', contactPhone: '020-87776666' },
  checker: { displayName: '门岗', ip: '10.63.0.1', secret: 'test-secret-numbers' },
});
const { h, newPerson, newVenue } = fx;
const { door, quick } = createTracingHelpers(fx);

const D1 = '2026-12-01';
const D2 = '2026-12-02';
const cst = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`);
const BOUND = cst('2026-11-28', '08:00');

async function addEntrance(venueId: string, name: string) {
  const [row] = rowsOf<{ id: string }>(
    await h.db.execute(sql`insert into venue_entrances (venue_id, name) values (${venueId}, ${name}) returning id`),
  );
  return row.id;
}

/** Direct counts over the rows, written out here (standing: no successor through either link). */
async function direct(venueId: string, from: string, to: string) {
  const s = sql`
    select c.*, (c.effective_at at time zone 'Asia/Shanghai')::date::text as day from checkins c
     where c.venue_id = ${venueId} and c.superseded_by_id is null
       and not exists (select 1 from checkins n where n.venue_id = c.venue_id and n.supersedes_id = c.id)`;
  const q = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await h.db.execute(query));
  const perDay = await q<{ day: string; checkins: number; visitors: number; fevers: number; feverPersons: number }>(sql`
    with s as (${s}) select day, count(*)::int as checkins, count(distinct person_id)::int as visitors,
      (count(*) filter (where fever))::int as fevers, (count(distinct person_id) filter (where fever))::int as "feverPersons"
      from s where day between ${from} and ${to} group by day order by day`);
  const corrected = await q<{ id: string }>(sql`
    select f.id from checkins f join checkins n on n.venue_id = f.venue_id and (n.supersedes_id = f.id or n.id = f.superseded_by_id)
     where f.venue_id = ${venueId} and f.fever and n.method in ('scan', 'typed') and not n.fever and n.effective_at >= f.effective_at
     order by f.effective_at desc`);
  const byEntrance = await q<{ entranceId: string | null; checkins: number; fevers: number }>(sql`
    with s as (${s}) select entrance_id as "entranceId", count(*)::int as checkins, (count(*) filter (where fever))::int as fevers
      from s where day between ${from} and ${to} group by 1`);
  const allFevers = await q<{ n: number }>(sql`with s as (${s}) select (count(*) filter (where fever))::int as n from s`);
  return {
    perDay: perDay.map((r) => ({
      ...r,
      checkins: Number(r.checkins),
      visitors: Number(r.visitors),
      fevers: Number(r.fevers),
      feverPersons: Number(r.feverPersons),
    })),
    visitorDays: perDay.reduce((a, r) => a + Number(r.visitors), 0),
    corrected: corrected.map((r) => r.id),
    byEntrance: new Map(byEntrance.map((r) => [r.entranceId, { checkins: Number(r.checkins), fevers: Number(r.fevers) }])),
    totalFevers: Number(allFevers[0].n),
  };
}

/** What the app shows, through the dashboard's queries in one snapshot. */
async function shown(venueId: string, from: string, to: string) {
  return inSnapshot(h.db, async (tx) => {
    const days = await dailyStats(tx, venueId, from, to);
    const feverPersons = await feverPersonsByDay(tx, venueId, from, to);
    return {
      perDay: days
        .filter((d) => d.checkins || d.visitors || d.fevers)
        .map((d) => ({
          day: d.day,
          checkins: d.checkins,
          visitors: d.visitors,
          fevers: d.fevers,
          feverPersons: feverPersons.get(d.day) ?? 0,
        })),
      corrected: (await feverList(tx, venueId, { kind: 'corrected', limit: 100, offset: 0 })).map((f) => f.id),
      correctedCount: await feverCount(tx, venueId, undefined, 'corrected'),
      standingFeverCount: await feverCount(tx, venueId),
      both: await feverCounts(tx, venueId),
      totalFevers: await totalFevers(tx, venueId),
      entrances: await entranceStats(tx, venueId, from, to),
    };
  });
}

async function expectShownEqualsDirect(venueId: string, from: string, to: string, state: string) {
  const d = await direct(venueId, from, to);
  const a = await shown(venueId, from, to);
  expect(a.perDay, state).toEqual(d.perDay);
  expect(a.corrected, state).toEqual(d.corrected);
  expect(a.correctedCount, state).toBe(d.corrected.length);
  // 累计发热人次 (rollups) = the fever list's standing count = the direct count.
  expect(a.totalFevers, state).toBe(d.totalFevers);
  expect(a.standingFeverCount, state).toBe(d.totalFevers);
  expect(a.both, state).toEqual({ standing: d.totalFevers, corrected: d.corrected.length });
  for (const e of a.entrances)
    expect({ checkins: e.checkins, fevers: e.fevers }, state).toEqual(d.byEntrance.get(e.entranceId) ?? { checkins: 0, fevers: 0 });
  return d;
}

describe('one meaning per number: each definition equals a direct count', () => {
  it('检测人次, 检测人数/人天, 发热人次, 发热人数, 发热后复测正常 and the entrance split — queued, drained, rebuilt', async () => {
    await drainAll(h.db);
    const v = await newVenue();
    const c1 = await fx.bindChecker(v, BOUND, undefined, '东门-甲');
    const c2 = await fx.bindChecker(v, BOUND, undefined, '北门-乙');
    const east = await addEntrance(v.venueId, '东门');
    const pA = await newPerson('欧阳修远', 'M', '1980-04-04');
    const pB = await newPerson('上官婉儿', 'F', '1990-12-02');
    const pC = await newPerson('诸葛明月', 'F', '1960-01-01');
    const pD = await newPerson('东方既白', 'M', '1995-06-15');
    const pE = await newPerson('长孙无忌', 'M', '2000-03-03');

    // pA: 38.8 → the visitor's own quick check-in → re-measured 36.5: one visit, one fever corrected.
    const a1 = await door(c1, v, pA, cst(D1, '10:00'), '38.8', { entranceId: east });
    const a2 = await quick(c1, v, pA, cst(D1, '10:04'));
    expect(a2).toMatchObject({ method: 'quick', storedSuperseded: true });
    const a3 = await door(c1, v, pA, cst(D1, '10:10'), '36.5', { entranceId: east });
    expect(a3.supersedes).toBe(a1.id);
    // pB: quick, then a measured fever takes its place (quick → scan).
    await quick(c2, v, pB, cst(D1, '11:00'));
    const b2 = await door(c2, v, pB, cst(D1, '11:10'), '37.5');
    expect(b2.supersedes).not.toBeNull();
    // pC: two fevers on one day, two visits: 发热人次 2, 发热人数 1.
    await door(c1, v, pC, cst(D1, '12:00'), '38.0');
    await door(c2, v, pC, cst(D1, '15:40'), '38.2', { entranceId: east });
    // pD: a late fever, stored superseded by the normal scan after it: corrected.
    await door(c2, v, pD, cst(D1, '13:00'), '36.6');
    const d0 = await door(c1, v, pD, cst(D1, '12:50'), '38.5', { receivedAt: cst(D1, '14:00') });
    expect(d0).toMatchObject({ late: true, storedSuperseded: true });
    // pE: a fever re-measured as a fever: not corrected, the newer one stands.
    const e1 = await door(c1, v, pE, cst(D1, '14:00'), '38.1');
    const e2 = await door(c1, v, pE, cst(D1, '14:05'), '38.3', { typed: true });
    expect(e2.supersedes).toBe(e1.id);
    // D2: pA again (a second visitor-day), pB typed normal.
    await door(c1, v, pA, cst(D2, '09:00'), '36.6');
    await door(c2, v, pB, cst(D2, '09:30'), '36.4', { typed: true, entranceId: east });
    // History: a record stored before entrances and facts existed (no entrance, no gender, no age band).
    await asOwner(h, (db) =>
      db.execute(sql`
        with ins as (
          insert into checkins (venue_id, client_id, checker_account_id, person_id, method, temperature_deci, fever, colour,
                                scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash)
          values (${v.venueId}, gen_random_uuid(), ${c2.accountId}, ${pD.personId}, 'scan', 375, true, 'green',
                  ${cst(D2, '08:00').toISOString()}, 0, ${cst(D2, '08:00').toISOString()}, ${cst(D2, '08:00').toISOString()}, false, 'history')
          returning venue_id, id)
        insert into checkin_rollup_queue (venue_id, checkin_id) select venue_id, id from ins`),
    );

    const d = await direct(v.venueId, D1, D2);
    expect(d.perDay).toEqual([
      { day: D1, checkins: 6, visitors: 5, fevers: 4, feverPersons: 3 },
      { day: D2, checkins: 3, visitors: 3, fevers: 1, feverPersons: 1 },
    ]);
    expect(d.visitorDays).toBe(8);
    expect(d.corrected).toEqual([d0.id, a1.id]);
    expect(d.totalFevers).toBe(5);
    expect(d.byEntrance.get(east)).toEqual({ checkins: 3, fevers: 1 });
    expect(d.byEntrance.get(null)).toEqual({ checkins: 1, fevers: 1 });

    await expectShownEqualsDirect(v.venueId, D1, D2, 'queued');
    await drainRollupQueue(h.db, 3);
    await expectShownEqualsDirect(v.venueId, D1, D2, 'partly drained');
    await drainAll(h.db);
    await expectShownEqualsDirect(v.venueId, D1, D2, 'drained');
    const drained = await shown(v.venueId, D1, D2);
    await rebuildVenueStats(h.db, v.venueId);
    await expectShownEqualsDirect(v.venueId, D1, D2, 'rebuilt');
    expect(await shown(v.venueId, D1, D2)).toEqual(drained);

    // The page: cards, fever list and entrance table agree (today = D1).
    const page = (fk: 'standing' | 'corrected', fs: 'today' | 'all') =>
      venueDashboard(h.db, v.admin, { from: D1, to: D2, feverKind: fk, feverScope: fs }, cst(D1, '18:00'));
    const today = (await page('standing', 'today'))!;
    expect(today.glance.today).toMatchObject({ checkins: 6, visitors: 5, fevers: 4, feverPersons: 3 });
    expect(today.fevers).toMatchObject({ kind: 'standing', total: 4, standing: 4, corrected: 2 });
    expect(today.fevers.rows.map((f) => f.corrected)).toEqual([null, null, null, null]);
    expect(today.glance.feversTotal).toBe(5);
    expect((await page('standing', 'all'))!.fevers.total).toBe(today.glance.feversTotal);
    const fixed = (await page('corrected', 'all'))!;
    expect(fixed.fevers.rows.map((f) => [f.id, f.temperature, f.corrected?.temperature])).toEqual([
      [d0.id, '38.5', '36.6'],
      [a1.id, '38.8', '36.5'],
    ]);
    expect(today.rangeVisitorDays).toBe(8);
    expect(today.rangeTotal).toEqual({ checkins: 9, fevers: 5 });
    const names = today.entrances.rows.map((e) => [e.name, e.isMain, e.checkins, e.fevers]);
    expect(names).toEqual([
      [null, true, 5, 3],
      ['东门', false, 3, 1],
    ]);
    expect(today.entrances.beforeEntrances).toEqual({ checkins: 1, fevers: 1 });
  });

  it("the scanner's 今日已检测 equals the per-checker table after a scan and a re-scan of one person; the first is marked 已复测", async () => {
    await drainAll(h.db);
    const v = await newVenue();
    const c = await fx.bindChecker(v, BOUND, undefined, '门岗');
    const p = await newPerson('钟离雪', 'F', '1990-01-01');
    const first = await door(c, v, p, cst(D1, '10:00'), '38.2');
    await door(c, v, p, cst(D1, '10:02'), '36.6');
    const now = cst(D1, '10:05');
    const summary = (await checkerSummaryToday(h.db, c, v.venueId, now))!;
    const table = await inSnapshot(h.db, (tx) => checkerStats(tx, v.venueId, D1));
    expect(summary.count).toBe(1);
    expect(table.find((r) => r.checkerAccountId === c.accountId)?.recordsToday).toBe(1);
    expect(summary.recent.map((r) => [r.temperature, r.standing, r.corrected])).toEqual([
      ['36.6', true, null],
      ['38.2', false, { temperature: '36.6' }],
    ]);
    expect(summary.recent[1].id).toBe(first.id);
    // A quick check-in after the measurement: stored, not counted, marked as such (not as a re-measurement).
    await quick(c, v, p, cst(D1, '10:06'));
    const after = (await checkerSummaryToday(h.db, c, v.venueId, cst(D1, '10:08')))!;
    expect(after.count).toBe(1);
    expect(after.recent[0]).toMatchObject({ method: 'quick', standing: false, corrected: null });
    await drainAll(h.db);
    expect((await inSnapshot(h.db, (tx) => checkerStats(tx, v.venueId, D1)))[0].recordsToday).toBe(after.count);
  });

  it('a later change to the person (as the owner) changes no past number: drained and rebuilt', async () => {
    await drainAll(h.db);
    const v = await newVenue();
    const c = await fx.bindChecker(v, BOUND, undefined, '门岗');
    const p = await newPerson('慕容秋水', 'F', '1970-07-07'); // 56: 50-59
    const q = await newPerson('公孙胜利', 'M', '1975-05-05'); // 51: 50-59
    await door(c, v, p, cst(D1, '09:00'), '36.5');
    await door(c, v, q, cst(D1, '09:30'), '37.6');
    await door(c, v, p, cst(D2, '09:00'), '36.5');
    const numbers = () =>
      inSnapshot(h.db, async (tx) => ({
        demo: (await demographics(tx, v.venueId, D1, D2)).sort((a, b) =>
          `${a.gender}${a.ageBand}`.localeCompare(`${b.gender}${b.ageBand}`),
        ),
        fevers: (await feverList(tx, v.venueId, { limit: 10, offset: 0 })).map((f) => [f.gender, f.ageBand]),
      }));
    const before = await numbers();
    expect(before.demo).toEqual([
      { gender: 'F', ageBand: '50-59', visitors: 2 },
      { gender: 'M', ageBand: '50-59', visitors: 1 },
    ]);
    // Half the records drained, then the owner corrects both persons' gender and birth date.
    await drainRollupQueue(h.db, 1);
    await asOwner(h, (db) =>
      db.execute(sql`update persons set gender = case gender when 'M' then 'F' else 'M' end, birth_date = date '2010-01-01'
                     where id in (${p.personId}, ${q.personId})`),
    );
    expect(await numbers()).toEqual(before);
    await drainAll(h.db);
    expect(await numbers()).toEqual(before);
    await rebuildVenueStats(h.db, v.venueId);
    expect(await numbers()).toEqual(before);
  });
});
