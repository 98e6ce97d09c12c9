import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db, type DbOrTx } from '@/db';
import { ageBandSql, contributionsOf, dayOf, hourOf } from './stats-contributions';

// Dashboard reads: the rollups plus the contributions of records still in the queue, read in one
// repeatable-read snapshot so a drain committing in between can neither double-count nor drop a record.

const e = sql.raw('effective_at');

/** CTEs `contrib` and `vd_change` for the venue's queued (not yet drained) records. */
function pending(venueId: string): SQL {
  return sql`
    contrib as (${contributionsOf(sql`select venue_id, checkin_id from checkin_rollup_queue where venue_id = ${venueId}`)}),
    vd_delta as (select venue_id, ${dayOf(e)} as day, person_id, sum(sign)::int as delta from contrib group by 1, 2, 3 having sum(sign) <> 0),
    vd_change as (
      select d.venue_id, d.day, d.person_id,
             case when coalesce(v.records, 0) <= 0 and coalesce(v.records, 0) + d.delta > 0 then 1
                  when coalesce(v.records, 0) > 0 and coalesce(v.records, 0) + d.delta <= 0 then -1 else 0 end as visitor
        from vd_delta d left join venue_visitor_days v on v.venue_id = d.venue_id and v.day = d.day and v.person_id = d.person_id
    )`;
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
        select p.gender, ${ageBandSql(sql`v.day`, sql`p.birth_date`)}, v.visitor
          from vd_change v join persons p on p.id = v.person_id where v.visitor <> 0 and v.day between ${from} and ${to}
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

/** Fever records (V5), newest first, masked; a fever later corrected keeps its row, with the newer reading. */
export async function feverList(tx: DbOrTx, venueId: string, opts: { from?: string; limit: number; offset: number }) {
  const since = opts.from ? sql`and c.effective_at >= (${opts.from}::date::timestamp at time zone 'Asia/Shanghai')` : sql``;
  return rowsOf<{
    id: string;
    nameMasked: string;
    gender: 'M' | 'F';
    birthDate: string;
    temperatureDeci: number;
    effectiveAt: string;
    colour: string;
    checkerName: string | null;
    correctedDeci: number | null;
    correctedAt: string | null;
  }>(
    await tx.execute(sql`
      select c.id, p.name_masked as "nameMasked", p.gender, p.birth_date::text as "birthDate", c.temperature_deci as "temperatureDeci",
             c.effective_at as "effectiveAt", c.colour,
             (select b.display_name from checker_bindings b where b.venue_id = c.venue_id and b.account_id = c.checker_account_id order by b.requested_at desc limit 1) as "checkerName",
             coalesce(s.temperature_deci, l.temperature_deci) as "correctedDeci", coalesce(s.effective_at, l.effective_at) as "correctedAt"
        from checkins c
        join persons p on p.id = c.person_id
        left join checkins s on s.venue_id = c.venue_id and s.supersedes_id = c.id
        left join checkins l on l.venue_id = c.venue_id and l.id = c.superseded_by_id
       where c.venue_id = ${venueId} and c.fever ${since}
       order by c.effective_at desc
       limit ${opts.limit} offset ${opts.offset}`),
  );
}

export async function feverCount(tx: DbOrTx, venueId: string, from?: string) {
  const since = from ? sql`and effective_at >= (${from}::date::timestamp at time zone 'Asia/Shanghai')` : sql``;
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from checkins where venue_id = ${venueId} and fever ${since}`),
  );
  return Number(row.n);
}
