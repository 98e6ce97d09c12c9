import 'server-only';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db, type DbOrTx, type Tx } from '@/db';
import { contributionsOf, dayOf, factsOf, hourOf, visitorDayDeltas, visitorDayFacts } from './stats-contributions';
import { standing } from './stats-definitions';

/**
 * The drain's advisory lock: drains take turns. The background job holds it for its slice already
 * (lib/jobs/jobs.ts, `rollup-drain`: a job lock is re-entrant within its transaction); two drains at once
 * update the same rollup rows in orders of their own and deadlocked (CI, tests/integration/stats.test.ts).
 */
export const DRAIN_LOCK_KEY = 7_214_003_118;

/**
 * Applies up to `batch` queued records to the rollups, exactly once: the queue rows are deleted in the
 * same statement that applies their contributions, under the drain's lock (a concurrent drain waits for
 * this one to commit, then takes the rows left). Returns how many queue rows were applied.
 */
export async function drainRollupQueue(db: DbOrTx, batch = 2000): Promise<number> {
  return db.transaction((tx) => drainLocked(tx, batch));
}

async function drainLocked(tx: DbOrTx, batch: number): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${DRAIN_LOCK_KEY})`);
  const e = sql.raw('effective_at');
  const [row] = rowsOf<{ drained: number }>(
    await tx.execute(sql`
      with drained as (
        delete from checkin_rollup_queue q
         using (select venue_id, id from checkin_rollup_queue order by id limit ${batch} for update skip locked) pick
         where q.venue_id = pick.venue_id and q.id = pick.id
        returning q.venue_id, q.checkin_id
      ),
      contrib as (${contributionsOf(sql`select venue_id, checkin_id from drained`)}),
      vd_delta as (${visitorDayDeltas(sql`contrib`)}),
      vd as (
        insert into venue_visitor_days (venue_id, day, person_id, records, fevers)
        select venue_id, day, person_id, delta, fdelta from vd_delta
        on conflict (venue_id, day, person_id) do update set
          records = venue_visitor_days.records + excluded.records, fevers = venue_visitor_days.fevers + excluded.fevers
        returning venue_id, day, person_id, records
      ),
      vd_change as (
        select vd.venue_id, vd.day, vd.person_id,
               case when vd.records - d.delta <= 0 and vd.records > 0 then 1
                    when vd.records - d.delta > 0 and vd.records <= 0 then -1 else 0 end as visitor
          from vd join vd_delta d on d.venue_id = vd.venue_id and d.day = vd.day and d.person_id = vd.person_id
      ),
      day_rows as (
        select venue_id, day, sum(checkins)::int as checkins, sum(fevers)::int as fevers, sum(reds)::int as reds,
               sum(quick)::int as quick, sum(visitors)::int as visitors
          from (
            select venue_id, ${dayOf(e)} as day, sign as checkins, case when fever then sign else 0 end as fevers,
                   case when colour = 'red' then sign else 0 end as reds, case when method = 'quick' then sign else 0 end as quick, 0 as visitors
              from contrib
            union all
            select venue_id, day, 0, 0, 0, 0, visitor from vd_change where visitor <> 0
          ) x
         group by 1, 2
      ),
      ins_day as (
        insert into venue_day_stats (venue_id, day, checkins, fevers, reds, quick, visitors)
        select venue_id, day, checkins, fevers, reds, quick, visitors from day_rows
        on conflict (venue_id, day) do update set
          checkins = venue_day_stats.checkins + excluded.checkins, fevers = venue_day_stats.fevers + excluded.fevers,
          reds = venue_day_stats.reds + excluded.reds, quick = venue_day_stats.quick + excluded.quick,
          visitors = venue_day_stats.visitors + excluded.visitors
        returning 1
      ),
      ins_hour as (
        insert into venue_hour_stats (venue_id, day, hour, checkins)
        select venue_id, ${dayOf(e)}, ${hourOf(e)}, sum(sign)::int from contrib group by 1, 2, 3
        on conflict (venue_id, day, hour) do update set checkins = venue_hour_stats.checkins + excluded.checkins
        returning 1
      ),
      vd_facts as (${visitorDayFacts(sql`contrib`)}),
      ins_demo as (
        insert into venue_day_demographics (venue_id, day, gender, age_band, visitors)
        select v.venue_id, v.day, f.gender, f.age_band, sum(v.visitor)::int
          from vd_change v
          join vd_facts f on f.venue_id = v.venue_id and f.day = v.day and f.person_id = v.person_id and f.sign = v.visitor
         where v.visitor <> 0
         group by 1, 2, 3, 4
        on conflict (venue_id, day, gender, age_band) do update set visitors = venue_day_demographics.visitors + excluded.visitors
        returning 1
      ),
      ins_checker as (
        insert into checker_day_stats (venue_id, checker_account_id, day, records, fevers)
        select venue_id, checker_account_id, ${dayOf(e)}, sum(sign)::int, sum(case when fever then sign else 0 end)::int from contrib group by 1, 2, 3
        on conflict (venue_id, checker_account_id, day) do update set
          records = checker_day_stats.records + excluded.records, fevers = checker_day_stats.fevers + excluded.fevers
        returning 1
      ),
      -- Per entrance (多入口): records stored before migration 0015 carry none and stay out of it.
      ins_entrance as (
        insert into venue_entrance_day_stats (venue_id, entrance_id, day, checkins, fevers)
        select venue_id, entrance_id, ${dayOf(e)}, sum(sign)::int, sum(case when fever then sign else 0 end)::int
          from contrib where entrance_id is not null group by 1, 2, 3
        on conflict (venue_id, entrance_id, day) do update set
          checkins = venue_entrance_day_stats.checkins + excluded.checkins, fevers = venue_entrance_day_stats.fevers + excluded.fevers
        returning 1
      )
      select (select count(*) from drained)::int as drained,
             (select count(*) from ins_day) + (select count(*) from ins_hour) + (select count(*) from ins_demo) + (select count(*) from ins_checker)
             + (select count(*) from ins_entrance) as touched`),
  );
  return Number(row?.drained ?? 0);
}

/** Drains until the queue is empty (tests, benchmarks, the demo seed). */
export async function drainAll(db: DbOrTx, batch = 2000): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await drainRollupQueue(db, batch);
    total += n;
    if (n < batch) return total;
  }
}

/**
 * One slice of the background drain (lib/jobs), in the caller's transaction. A slice is at most `batch`
 * records, each found by its key: with estimates from a young table the planner hashed whole scans of
 * checkins instead, once per slice (auto_explain), so sequential scans are off for this transaction.
 */
export async function drainRollupSlice(tx: Tx, batch: number, opts: { avoidSeqScans: boolean }): Promise<number> {
  if (opts.avoidSeqScans) await tx.execute(sql`set local enable_seqscan = off`);
  return drainLocked(tx, batch);
}

/**
 * Recomputes a venue's rollups from its standing records (bulk loads, demo seed, repair). The same
 * definitions as the drain; run it while the venue takes no new records (it takes the queue's rows too).
 * Refused once any of the venue's records lost its person (SPEC L4): its visitor-days then live only in
 * the rollups, and a recount would lose them.
 */
export async function rebuildVenueStats(db: Db, venueId: string): Promise<void> {
  const e = sql.raw('c.effective_at');
  const standingRecords = sql`select c.* from checkins c where c.venue_id = ${venueId} and ${standing('c')}`;
  await db.transaction(async (tx) => {
    const [anonymised] = rowsOf<{ n: number }>(
      await tx.execute(
        sql`select count(*)::int as n from (select 1 from checkins where venue_id = ${venueId} and person_id is null limit 1) x`,
      ),
    );
    if (Number(anonymised?.n) > 0) throw new Error(`venue ${venueId} has anonymised records: its rollups cannot be recounted`);
    for (const table of [
      'checkin_rollup_queue',
      'venue_day_stats',
      'venue_hour_stats',
      'venue_visitor_days',
      'venue_day_demographics',
      'checker_day_stats',
      'venue_entrance_day_stats',
    ]) {
      await tx.execute(sql`delete from ${sql.identifier(table)} where venue_id = ${venueId}`);
    }
    await tx.execute(sql`
      insert into venue_visitor_days (venue_id, day, person_id, records, fevers)
      select c.venue_id, ${dayOf(e)}, c.person_id, count(*), count(*) filter (where c.fever) from (${standingRecords}) c group by 1, 2, 3`);
    await tx.execute(sql`
      insert into venue_day_stats (venue_id, day, checkins, fevers, reds, quick, visitors)
      select c.venue_id, ${dayOf(e)}, count(*), count(*) filter (where c.fever), count(*) filter (where c.colour = 'red'),
             count(*) filter (where c.method = 'quick'), count(distinct c.person_id)
        from (${standingRecords}) c group by 1, 2`);
    await tx.execute(sql`
      insert into venue_hour_stats (venue_id, day, hour, checkins)
      select c.venue_id, ${dayOf(e)}, ${hourOf(e)}, count(*) from (${standingRecords}) c group by 1, 2, 3`);
    // A visitor-day is counted under the facts of its earliest standing record (the drain: see visitorDayFacts).
    await tx.execute(sql`
      insert into venue_day_demographics (venue_id, day, gender, age_band, visitors)
      select venue_id, day, gender, age_band, count(*)
        from (select distinct on (c.venue_id, ${dayOf(e)}, c.person_id) c.venue_id, ${dayOf(e)} as day, ${factsOf('c')}
                from (${standingRecords}) c order by c.venue_id, ${dayOf(e)}, c.person_id, c.effective_at) v
       group by 1, 2, 3, 4`);
    await tx.execute(sql`
      insert into checker_day_stats (venue_id, checker_account_id, day, records, fevers)
      select c.venue_id, c.checker_account_id, ${dayOf(e)}, count(*), count(*) filter (where c.fever) from (${standingRecords}) c group by 1, 2, 3`);
    await tx.execute(sql`
      insert into venue_entrance_day_stats (venue_id, entrance_id, day, checkins, fevers)
      select c.venue_id, c.entrance_id, ${dayOf(e)}, count(*), count(*) filter (where c.fever)
        from (${standingRecords}) c where c.entrance_id is not null group by 1, 2, 3`);
  });
}
