import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db, type DbOrTx } from '@/db';
import type { FeverKind } from '@/lib/stats/definitions';
import { contributionsOf, dayOf, hourOf, visitorDayFacts } from './stats-contributions';
import { correctedFever, standingFever, successorOf } from './stats-definitions';

// Dashboard reads: the rollups plus the contributions of records still in the queue, read in one
// repeatable-read snapshot so a drain committing in between can neither double-count nor drop a record.

const e = sql.raw('effective_at');

/** CTEs `contrib`, `vd_change` and `vd_facts` for the venue's queued (not yet drained) records. */
function pending(venueId: string): SQL {
  return sql`
    contrib as (${contributionsOf(sql`select venue_id, checkin_id from checkin_rollup_queue where venue_id = ${venueId}`)}),
    vd_delta as (select venue_id, ${dayOf(e)} as day, person_id, sum(sign)::int as delta from contrib group by 1, 2, 3 having sum(sign) <> 0),
    vd_change as (
      select d.venue_id, d.day, d.person_id,
             case when coalesce(v.records, 0) <= 0 and coalesce(v.records, 0) + d.delta > 0 then 1
                  when coalesce(v.records, 0) > 0 and coalesce(v.records, 0) + d.delta <= 0 then -1 else 0 end as visitor
        from vd_delta d left join venue_visitor_days v on v.venue_id = d.venue_id and v.day = d.day and v.person_id = d.person_id
    ),
    vd_facts as (${visitorDayFacts(sql`contrib`)})`;
}

export function inSnapshot<T>(db: Db, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(fn, { isolationLevel: 'repeatable read', accessMode: 'read only' });
}

export type DayRow = { day: string; checkins: number; fevers: number; reds: number; quick: number; visitors: number };

export async function dailyStats(tx: DbOrTx, venueId: string, from: string, to: string): Promise<DayRow[]> {
  return rowsOf<DayRow>(
    await tx.execute(sql`
      with ${pending(venueId)}
      select day::text as day, sum(checkins)::int as checkins, sum(fevers)::int as fevers, sum(reds)::int as reds,
             sum(quick)::int as quick, sum(visitors)::int as visitors
        from (
          select day, checkins, fevers, reds, quick, visitors from venue_day_stats where venue_id = ${venueId} and day between ${from} and ${to}
          union all
          select ${dayOf(e)}, sign, case when fever then sign else 0 end, case when colour = 'red' then sign else 0 end,
                 case when method = 'quick' then sign else 0 end, 0 from contrib
          union all
          select day, 0, 0, 0, 0, visitor from vd_change
        ) x
       where day between ${from} and ${to}
       group by day order by day`),
  );
}

export async function totalFevers(tx: DbOrTx, venueId: string): Promise<number> {
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with ${pending(venueId)}
      select (coalesce((select sum(fevers) from venue_day_stats where venue_id = ${venueId}), 0)
            + coalesce((select sum(case when fever then sign else 0 end) from contrib), 0))::int as n`),
  );
  return Number(row.n);
}

export async function hourlyStats(tx: DbOrTx, venueId: string, day: string): Promise<number[]> {
  const rows = rowsOf<{ hour: number; checkins: number }>(
    await tx.execute(sql`
      with ${pending(venueId)}
      select hour::int as hour, sum(checkins)::int as checkins from (
        select hour, checkins from venue_hour_stats where venue_id = ${venueId} and day = ${day}
        union all
        select ${hourOf(e)}, sign from contrib where ${dayOf(e)} = ${day}
      ) x group by hour`),
  );
  const hours = Array.from({ length: 24 }, () => 0);
  for (const r of rows) hours[r.hour] = Number(r.checkins);
  return hours;
}

export async function demographics(tx: DbOrTx, venueId: string, from: string, to: string) {
  return rowsOf<{ gender: 'M' | 'F'; ageBand: string; visitors: number }>(
    await tx.execute(sql`
      with ${pending(venueId)}
      select gender, age_band as "ageBand", sum(visitors)::int as visitors from (
        select gender, age_band, visitors from venue_day_demographics where venue_id = ${venueId} and day between ${from} and ${to}
        union all
        select f.gender, f.age_band, v.visitor
          from vd_change v
          join vd_facts f on f.venue_id = v.venue_id and f.day = v.day and f.person_id = v.person_id and f.sign = v.visitor
         where v.visitor <> 0 and v.day between ${from} and ${to}
      ) x group by 1, 2 having sum(visitors) <> 0`),
  );
}

export async function checkerStats(tx: DbOrTx, venueId: string, today: string) {
  return rowsOf<{
    checkerAccountId: string;
    displayName: string | null;
    recordsToday: number;
    feversToday: number;
    records: number;
    fevers: number;
  }>(
    await tx.execute(sql`
      with ${pending(venueId)},
      totals as (
        select checker_account_id, sum(case when day = ${today} then records else 0 end)::int as records_today,
               sum(case when day = ${today} then fevers else 0 end)::int as fevers_today, sum(records)::int as records, sum(fevers)::int as fevers
          from (
            select checker_account_id, day, records, fevers from checker_day_stats where venue_id = ${venueId}
            union all
            select checker_account_id, ${dayOf(e)}, sign, case when fever then sign else 0 end from contrib
          ) x group by 1
          having sum(records) <> 0 or sum(fevers) <> 0
      )
      select t.checker_account_id as "checkerAccountId",
             (select b.display_name from checker_bindings b where b.venue_id = ${venueId} and b.account_id = t.checker_account_id order by b.requested_at desc limit 1) as "displayName",
             t.records_today as "recordsToday", t.fevers_today as "feversToday", t.records, t.fevers
        from totals t order by t.records desc`),
  );
}

/**
 * 检测人次 and 发热人次 per checker over China days `from` to `to` (the same sources and definitions as
 * checkerStats, limited to the days): the daily report's per-checker table and the per-checker export.
 */
export async function checkerStatsOverDays(tx: DbOrTx, venueId: string, from: string, to: string) {
  return rowsOf<{ checkerAccountId: string; displayName: string | null; records: number; fevers: number }>(
    await tx.execute(sql`
      with ${pending(venueId)},
      totals as (
        select checker_account_id, sum(records)::int as records, sum(fevers)::int as fevers
          from (
            select checker_account_id, records, fevers from checker_day_stats where venue_id = ${venueId} and day between ${from} and ${to}
            union all
            select checker_account_id, sign, case when fever then sign else 0 end from contrib where ${dayOf(e)} between ${from} and ${to}
          ) x group by 1
          having sum(records) <> 0 or sum(fevers) <> 0
      )
      select t.checker_account_id as "checkerAccountId",
             (select b.display_name from checker_bindings b where b.venue_id = ${venueId} and b.account_id = t.checker_account_id order by b.requested_at desc limit 1) as "displayName",
             t.records, t.fevers
        from totals t order by t.records desc, t.checker_account_id`),
  );
}

const startOf = (day: string) => sql`(${day}::date::timestamp at time zone 'Asia/Shanghai')`;
/** China days `from` to `to` (inclusive; either open). */
const within = (from?: string, to?: string) =>
  sql`${from ? sql`and c.effective_at >= ${startOf(from)}` : sql``} ${to ? sql`and c.effective_at < ${startOf(to)} + interval '1 day'` : sql``}`;

/** The fever list's rows: standing fevers (发热人次), or fevers corrected by a normal measurement (发热后复测正常). */
function feverKind(kind: FeverKind) {
  return kind === 'corrected' ? correctedFever('c') : standingFever('c');
}

/**
 * Fever records (V5), newest first, masked. By default the standing ones — the list agrees with 发热人次;
 * `corrected`: the fevers a later normal measurement took the place of, with that reading.
 */
export async function feverList(
  tx: DbOrTx,
  venueId: string,
  opts: { from?: string; to?: string; kind?: FeverKind; limit: number; offset: number },
) {
  const since = within(opts.from, opts.to);
  return rowsOf<{
    id: string;
    /** Null once the record lost its person (SPEC L4: retention, erasure): shown as 已匿名. */
    nameMasked: string | null;
    gender: 'M' | 'F';
    ageBand: string | null;
    birthDate: string | null;
    temperatureDeci: number;
    effectiveAt: string;
    colour: string;
    checkerName: string | null;
    entranceId: string | null;
    correctedDeci: number | null;
    correctedAt: string | null;
  }>(
    await tx.execute(sql`
      select c.id, p.name_masked as "nameMasked", coalesce(c.gender, p.gender) as gender, c.age_band as "ageBand",
             p.birth_date::text as "birthDate", c.temperature_deci as "temperatureDeci",
             c.effective_at as "effectiveAt", c.colour, c.entrance_id as "entranceId",
             (select b.display_name from checker_bindings b where b.venue_id = c.venue_id and b.account_id = c.checker_account_id order by b.requested_at desc limit 1) as "checkerName",
             s.temperature_deci as "correctedDeci", s.effective_at as "correctedAt"
        from checkins c
        left join persons p on p.id = c.person_id
        left join lateral (select fix.temperature_deci, fix.effective_at from checkins fix where ${successorOf('c', 'fix')} limit 1) s on true
       where c.venue_id = ${venueId} and ${feverKind(opts.kind ?? 'standing')} ${since}
       order by c.effective_at desc
       limit ${opts.limit} offset ${opts.offset}`),
  );
}

/** How many rows feverList has for the same days and kind (its pager; the standing count is 发热人次). */
export async function feverCount(tx: DbOrTx, venueId: string, from?: string, kind: FeverKind = 'standing', to?: string) {
  const since = within(from, to);
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from checkins c where c.venue_id = ${venueId} and ${feverKind(kind)} ${since}`),
  );
  return Number(row.n);
}

/**
 * Both views' counts over the same days in one pass over the fever index: 发热人次 (standing) and, apart,
 * 发热后复测正常 (corrected). The page shows both on its tabs.
 */
export async function feverCounts(tx: DbOrTx, venueId: string, from?: string, to?: string) {
  const [row] = rowsOf<{ standing: number; corrected: number }>(
    await tx.execute(sql`
      select (count(*) filter (where ${standingFever('c')}))::int as standing, (count(*) filter (where ${correctedFever('c')}))::int as corrected
        from checkins c where c.venue_id = ${venueId} and c.fever ${within(from, to)}`),
  );
  return { standing: Number(row.standing), corrected: Number(row.corrected) };
}

/**
 * 发热人数 per China day from `from` to `to`: distinct persons with a standing fever that day. Read from the
 * fever index (fevers are rare, a few in a thousand records), not a rollup: a distinct count per day is not
 * additive, and a rollup of it would need its own per-person table like venue_visitor_days.
 */
export async function feverPersonsByDay(tx: DbOrTx, venueId: string, from: string, to: string) {
  const rows = rowsOf<{ day: string; n: number }>(
    await tx.execute(sql`
      select ${dayOf(sql.raw('c.effective_at'))}::text as day, count(distinct c.person_id)::int as n
        from checkins c
       where c.venue_id = ${venueId} and ${standingFever('c')}
         and c.effective_at >= ${startOf(from)} and c.effective_at < ${startOf(to)} + interval '1 day'
       group by 1`),
  );
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}

/**
 * 检测人次 and 发热人次 per entrance over the days (venue_entrance_day_stats plus the queued records), every
 * entrance of the venue (removed ones only when they have records in the range), main entrance first.
 */
export async function entranceStats(tx: DbOrTx, venueId: string, from: string, to: string) {
  return rowsOf<{ entranceId: string; name: string | null; isMain: boolean; removed: boolean; checkins: number; fevers: number }>(
    await tx.execute(sql`
      with ${pending(venueId)},
      sums as (
        select entrance_id, sum(checkins)::int as checkins, sum(fevers)::int as fevers from (
          select entrance_id, checkins, fevers from venue_entrance_day_stats where venue_id = ${venueId} and day between ${from} and ${to}
          union all
          select entrance_id, sign, case when fever then sign else 0 end from contrib
           where entrance_id is not null and ${dayOf(sql.raw('effective_at'))} between ${from} and ${to}
        ) x group by 1
      )
      select e.id as "entranceId", e.name, e.is_main as "isMain", e.removed_at is not null as removed,
             coalesce(s.checkins, 0)::int as checkins, coalesce(s.fevers, 0)::int as fevers
        from venue_entrances e left join sums s on s.entrance_id = e.id
       where e.venue_id = ${venueId} and (e.removed_at is null or coalesce(s.checkins, 0) <> 0 or coalesce(s.fevers, 0) <> 0)
       order by e.is_main desc, e.created_at, e.name`),
  );
}
