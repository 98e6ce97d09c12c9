/**
 * 流调 (tracing) benchmark: `npm run bench:trace [-- options]`.
 *
 * Works on the data set of `npm run bench:stats` (its loader, scripts/bench-stats.ts), in its own database
 * `bench_trace` by default so the stats bench's database is left alone. Injects a case person with
 * ~60 visits over the last 14 days across the venues, several of them at the big ("hot") venue in its peak
 * hours, then times the real query functions of db/queries/tracing.ts:
 *   1. trajectory            trajectory(person, 14 days)
 *   2. whole case            coPresentRecords(all visits, ±30 min) + groupByPerson
 *   3. one hot visit         coPresentRecords(one visit at the big venue in a peak hour) + groupByPerson
 * median and p95 over the runs after warm-ups; prints the contacts of each hot visit; checks every answer
 * against direct SQL and exits non-zero on a mismatch. Targets: whole case < 300 ms, one hot visit < 50 ms
 * (median).
 *
 * Options: those of bench:stats (--rows, --venue-share, --days, --runs, --persons, --keep, --database;
 * default database bench_trace). The case person is injected once per database (records are append-only):
 * with --keep its visits from the earlier run are reused.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { coPresentRecords, groupByPerson, trajectory, type CoPresentPerson } from '@/db/queries/tracing';
import { drainAll } from '@/db/queries/stats-rollups';
import { addChinaDays, chinaDateOf, startOfChinaDay } from '@/lib/time';
import { bu, entranceIdSql, exec, fmt, openBenchData, parseOptions, quantile, secs, venueIdSql } from './bench-stats';

const WARMUPS = 3;
const WINDOW_MINUTES = 30;
const LOOKBACK_DAYS = 14;
const CASE_VISITS = 60;
const HOT_VISITS = 10;
const TARGET_CASE_MS = 300;
const TARGET_HOT_MS = 50;
/** The big venue's busiest hours (China Standard Time), as in the loader's HOUR_WEIGHTS. */
const PEAK_HOURS = [8, 9, 12, 18, 19];
const SMALL_VENUES = 50;
const CASE_PERSON_KEY = `'bench-trace-case'`;

type Visit = { visitId: string; venueId: string; at: Date; hot: boolean };

/** A small deterministic generator, so every database gets the same case. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Inserts the case person and their visits (once per database), with the rollup-queue rows the door leaves. */
async function injectCase(db: Db, bigVenueId: string): Promise<{ personId: string; injected: boolean }> {
  const [{ id: personId }] = (await exec(db, sql`select ${sql.raw(bu(CASE_PERSON_KEY))}::text as id`)) as { id: string }[];
  const [exists] = await exec(db, sql`select 1 from persons where id = ${personId}::uuid`);
  if (exists) return { personId, injected: false };

  const rnd = lcg(20261201);
  const today = chinaDateOf(new Date());
  const planned: { vno: number; at: Date }[] = [];
  for (let k = 0; k < CASE_VISITS; k++) {
    // Spread over the 14 whole days before today; the hot visits fall on different days.
    const day = addChinaDays(today, -LOOKBACK_DAYS + Math.floor((k * LOOKBACK_DAYS) / CASE_VISITS));
    const hot = k % Math.floor(CASE_VISITS / HOT_VISITS) === 0;
    const hour = hot ? PEAK_HOURS[k % PEAK_HOURS.length] : 7 + Math.floor(rnd() * 15);
    const at = new Date(startOfChinaDay(day).getTime() + hour * 3_600_000 + Math.floor(rnd() * 3_600_000));
    planned.push({ vno: hot ? 0 : 1 + Math.floor(rnd() * SMALL_VENUES), at });
  }
  await db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into persons (id, id_type, id_hash, id_number_enc, id_number_masked, name_enc, name_masked, gender, birth_date, short_code)
      values (${personId}::uuid, 'cn_resident', 'bench-trace-case', 'bench', '4401**********0001', 'bench', '*案', 'F', date '1990-05-01', 'B999999999')`);
    const rows = sql.join(
      planned.map((p, i) => sql`(${p.vno}::int, ${p.at.toISOString()}::timestamptz, ${i}::int)`),
      sql`, `,
    );
    const [r] = await exec(
      tx,
      sql`with plan(vno, eff, i) as (values ${rows}),
        ins as (
          insert into checkins (venue_id, client_id, checker_account_id, person_id, method, temperature_deci, fever, colour, red_reason,
                                scanned_at, clock_offset_ms, effective_at, received_at, late, payload_hash, entrance_id, gender, age_band)
          select ${venueIdSql('vno')}, gen_random_uuid(), ${sql.raw(bu(`'c' || vno || '-0'`))}, ${personId}::uuid, 'scan', 364::smallint, false,
                 'green', null, eff, 0, eff, eff + interval '2 seconds', false, md5('bench-trace' || i),
                 ${sql.raw(entranceIdSql('vno', '0'))}, 'F', '30-39'
            from plan
          returning venue_id, id),
        q as (insert into checkin_rollup_queue (venue_id, checkin_id) select venue_id, id from ins returning 1)
      select count(*)::int as n from q`,
    );
    if (Number(r.n) !== CASE_VISITS) throw new Error(`injected ${r.n} visits, expected ${CASE_VISITS}`);
  });
  await drainAll(db);
  await db.execute(sql`analyze checkins`);
  void bigVenueId;
  return { personId, injected: true };
}

type Timed = { name: string; median: number; p95: number; rows: number; note: string; target: number };

async function timeIt<T>(runs: number, fn: () => Promise<T>): Promise<{ median: number; p95: number; result: T }> {
  let result: T | undefined;
  for (let i = 0; i < WARMUPS; i++) result = await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: quantile(times, 0.5), p95: quantile(times, 0.95), result: result as T };
}

// ---- direct answers -----------------------------------------------------------------------------

const canonPersons = (persons: CoPresentPerson[]) =>
  JSON.stringify(
    persons.map((p) => `${p.personId}|${p.count}|${Math.round(p.minGapSeconds * 1000)}|${[...p.visitIds].sort().join(',')}`).sort(),
  );

async function directContacts(db: Db, visits: Visit[], personId: string): Promise<string> {
  const values = sql.join(
    visits.map((v) => sql`(${v.visitId}::uuid, ${v.venueId}::uuid, ${v.at.toISOString()}::timestamptz)`),
    sql`, `,
  );
  const rows = await exec(
    db,
    sql`select c.person_id::text as person_id, count(*)::int as n,
               round(min(abs(extract(epoch from c.effective_at) - extract(epoch from v.at))) * 1000)::bigint as gap_ms,
               string_agg(distinct v.visit_id::text, ',' order by v.visit_id::text) as visits
          from (values ${values}) v(visit_id, venue_id, at)
          join checkins c on c.venue_id = v.venue_id
                         and c.effective_at between v.at - interval '${sql.raw(String(WINDOW_MINUTES))} minutes'
                                                and v.at + interval '${sql.raw(String(WINDOW_MINUTES))} minutes'
         where c.person_id is not null and c.person_id <> ${personId}::uuid
         group by c.person_id`,
  );
  return JSON.stringify(rows.map((r) => `${r.person_id}|${r.n}|${Number(r.gap_ms)}|${r.visits}`).sort());
}

// ---- main ---------------------------------------------------------------------------------------

async function main() {
  const o = parseOptions(Boolean(process.env.DATABASE_URL), [], 'bench_trace');
  const tStart = performance.now();
  const { h, meta, server, close } = await openBenchData(o);
  try {
    const db = h.db;
    const { personId, injected } = await injectCase(db, meta.bigVenueId);
    const span = await exec(
      db,
      sql`select min(effective_at) as first, max(effective_at) as last, count(*)::int as n from checkins where person_id = ${personId}::uuid`,
    );
    const last = new Date(String(span[0].last));
    const to = new Date(last.getTime() + 3_600_000);
    const from = startOfChinaDay(addChinaDays(chinaDateOf(last), -LOOKBACK_DAYS));
    console.log(
      `Case person ${personId}: ${span[0].n} visits ${injected ? 'injected' : 'reused from an earlier run'}, ` +
        `${new Date(String(span[0].first)).toISOString()} … ${last.toISOString()}`,
    );

    const traj = await trajectory(db, personId, from, to);
    const visits: Visit[] = traj.map((t) => ({
      visitId: t.checkinId,
      venueId: t.venueId,
      at: t.effectiveAt,
      hot: t.venueId === meta.bigVenueId,
    }));
    const hot = visits.filter((v) => v.hot);
    if (hot.length === 0) throw new Error('no hot visit in the trajectory');

    console.log(`\nContacts per hot visit (big venue, ±${WINDOW_MINUTES} min):`);
    const perHot: { v: Visit; persons: number; records: number }[] = [];
    for (const v of hot) {
      const recs = await coPresentRecords(db, [v], WINDOW_MINUTES, personId);
      perHot.push({ v, persons: groupByPerson(recs).length, records: recs.length });
    }
    for (const p of perHot)
      console.log(
        `  ${p.v.at.toISOString()} (CST ${String((p.v.at.getUTCHours() + 8) % 24).padStart(2, '0')}h)  ${fmt(p.persons)} persons, ${fmt(p.records)} records`,
      );
    // The busiest hot visit is the one timed alone.
    const hotVisit = perHot.reduce((a, b) => (b.records > a.records ? b : a)).v;

    console.log(`\nTiming (${h.kind}), ${WARMUPS} warm-ups + ${o.runs} runs each:`);
    const t1 = await timeIt(o.runs, () => trajectory(db, personId, from, to));
    const t2 = await timeIt(o.runs, async () => groupByPerson(await coPresentRecords(db, visits, WINDOW_MINUTES, personId)));
    const t3 = await timeIt(o.runs, async () => groupByPerson(await coPresentRecords(db, [hotVisit], WINDOW_MINUTES, personId)));
    const rows: Timed[] = [
      { name: 'trajectory (14 days)', ...t1, rows: t1.result.length, note: `${t1.result.length} visits`, target: 0 },
      {
        name: `whole case (${visits.length} visits)`,
        ...t2,
        rows: t2.result.length,
        note: `${fmt(t2.result.length)} persons, ${fmt(t2.result.reduce((a, p) => a + p.count, 0))} records`,
        target: TARGET_CASE_MS,
      },
      {
        name: 'one hot visit',
        ...t3,
        rows: t3.result.length,
        note: `${fmt(t3.result.length)} persons, ${fmt(t3.result.reduce((a, p) => a + p.count, 0))} records`,
        target: TARGET_HOT_MS,
      },
    ];
    const head = ['query', 'median ms', 'p95 ms', 'answer', 'target'];
    const body = rows.map((r) => [
      r.name,
      r.median.toFixed(2),
      r.p95.toFixed(2),
      r.note,
      r.target ? `< ${r.target} ms ${r.median < r.target ? 'met' : 'MISSED'}` : '',
    ]);
    const widths = head.map((x, i) => Math.max(x.length, ...body.map((b) => b[i].length)));
    const line = (cells: string[]) =>
      cells
        .map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd();
    console.log(line(head));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const b of body) console.log(line(b));

    // Exactness: the same answers from direct SQL written apart from db/queries/tracing.ts.
    const directTraj = await exec(
      db,
      sql`select id::text as id from checkins where person_id = ${personId}::uuid
             and effective_at >= ${from.toISOString()}::timestamptz and effective_at <= ${to.toISOString()}::timestamptz
           order by effective_at, id`,
    );
    const checks: [string, string, string][] = [
      ['trajectory', JSON.stringify(t1.result.map((v) => v.checkinId)), JSON.stringify(directTraj.map((r) => String(r.id)))],
      ['whole case contacts', canonPersons(t2.result), await directContacts(db, visits, personId)],
      ['one hot visit contacts', canonPersons(t3.result), await directContacts(db, [hotVisit], personId)],
    ];
    console.log('\nExactness (tracing queries vs direct SQL):');
    let ok = true;
    for (const [name, a, b] of checks) {
      const same = a === b;
      ok &&= same;
      console.log(`  ${same ? 'OK      ' : 'MISMATCH'}  ${name}`);
      if (!same) console.log(`      app    ${a.slice(0, 300)}\n      direct ${b.slice(0, 300)}`);
    }
    const missed = rows.filter((r) => r.target && r.median >= r.target);
    console.log(
      `\n${ok ? 'All answers exact.' : 'MISMATCH: some answers differ from direct SQL.'} ` +
        `${missed.length ? `Target missed: ${missed.map((r) => r.name).join(', ')}.` : 'Targets met.'} Total ${secs(performance.now() - tStart)}.`,
    );
    if (server) console.log(`${o.database} left in place; rerun with --keep to reuse it.`);
    process.exitCode = ok ? 0 : 1;
  } finally {
    await close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(2);
});
