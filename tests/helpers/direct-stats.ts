// Every statistic of a venue compared with a direct count over its standing records (not superseded and
// not stored superseded), written independently of lib/stats. Used by the fault drills, full and trimmed.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db';
import { checkerStats, dailyStats, hourlyStats, inSnapshot, totalFevers } from '@/db/queries/stats-dashboard';
import { chinaDateOf } from '@/lib/time';

const standing = (venueId: string) => sql`
  select c.*, (c.effective_at at time zone 'Asia/Shanghai')::date::text as day,
         extract(hour from c.effective_at at time zone 'Asia/Shanghai')::int as hour
    from checkins c
   where c.venue_id = ${venueId} and c.superseded_by_id is null
     and not exists (select 1 from checkins s where s.venue_id = c.venue_id and s.supersedes_id = c.id)`;

/** Differences between the dashboard's answers and direct counts, per venue; empty when all agree. */
export async function statisticsMismatches(db: Db, venueIds: string[], now = new Date()): Promise<string[]> {
  const today = chinaDateOf(now);
  const out: string[] = [];
  for (const venueId of venueIds) {
    const days = rowsOf<{ day: string; checkins: number; fevers: number; reds: number; quick: number; visitors: number }>(
      await db.execute(sql`
        select day, count(*)::int as checkins, (count(*) filter (where fever))::int as fevers, (count(*) filter (where colour = 'red'))::int as reds,
               (count(*) filter (where method = 'quick'))::int as quick, count(distinct person_id)::int as visitors
          from (${standing(venueId)}) st group by day order by day`),
    );
    const hours = rowsOf<{ day: string; hour: number; n: number }>(
      await db.execute(sql`select day, hour, count(*)::int as n from (${standing(venueId)}) st group by 1, 2`),
    );
    const checkers = rowsOf<{ checker: string; recordsToday: number; feversToday: number; records: number; fevers: number }>(
      await db.execute(sql`
        select checker_account_id::text as checker, (count(*) filter (where day = ${today}))::int as "recordsToday",
               (count(*) filter (where day = ${today} and fever))::int as "feversToday", count(*)::int as records, (count(*) filter (where fever))::int as fevers
          from (${standing(venueId)}) st group by 1`),
    );
    if (days.length === 0) continue;
    const from = days[0].day;
    const to = days[days.length - 1].day > today ? days[days.length - 1].day : today;
    const app = await inSnapshot(db, async (tx) => ({
      days: await dailyStats(tx, venueId, from, to),
      fevers: await totalFevers(tx, venueId),
      checkers: await checkerStats(tx, venueId, today),
      hours: await Promise.all(days.map(async (d) => [d.day, await hourlyStats(tx, venueId, d.day)] as const)),
    }));
    const norm = (rows: object[]) =>
      JSON.stringify(
        rows.map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v])),
        ),
      );
    const appDays = app.days.filter((d) => Number(d.checkins) !== 0 || Number(d.visitors) !== 0);
    if (norm(appDays) !== norm(days)) out.push(`${venueId} days: app ${norm(appDays)} direct ${norm(days)}`);
    const directFevers = days.reduce((a, d) => a + Number(d.fevers), 0);
    if (Number(app.fevers) !== directFevers) out.push(`${venueId} total fevers: app ${app.fevers} direct ${directFevers}`);
    const appCheckers = app.checkers.map((c) => ({
      checker: c.checkerAccountId,
      recordsToday: c.recordsToday,
      feversToday: c.feversToday,
      records: c.records,
      fevers: c.fevers,
    }));
    const sortC = (rows: { checker: string }[]) => [...rows].sort((a, b) => a.checker.localeCompare(b.checker));
    if (norm(sortC(appCheckers)) !== norm(sortC(checkers)))
      out.push(`${venueId} checkers: app ${norm(sortC(appCheckers))} direct ${norm(sortC(checkers))}`);
    for (const [day, appHours] of app.hours) {
      const direct = Array.from({ length: 24 }, () => 0);
      for (const h of hours) if (h.day === day) direct[Number(h.hour)] = Number(h.n);
      if (JSON.stringify(appHours) !== JSON.stringify(direct))
        out.push(`${venueId} hours ${day}: app ${JSON.stringify(appHours)} direct ${JSON.stringify(direct)}`);
    }
  }
  return out;
}
