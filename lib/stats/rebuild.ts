import { sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { ageBandSql, dayOf, hourOf } from './contributions';

/**
 * Recomputes a venue's rollups from its standing records (bulk loads, demo seed, repair). The same
 * definitions as the drain; run it while the venue takes no new records (it takes the queue's rows too).
 */
export async function rebuildVenueStats(db: Db, venueId: string): Promise<void> {
  const e = sql.raw('c.effective_at');
  const standing = sql`
    select c.* from checkins c
     where c.venue_id = ${venueId} and c.superseded_by_id is null
       and not exists (select 1 from checkins s where s.venue_id = c.venue_id and s.supersedes_id = c.id)`;
  await db.transaction(async (tx) => {
    for (const table of ['checkin_rollup_queue', 'venue_day_stats', 'venue_hour_stats', 'venue_visitor_days', 'venue_day_demographics', 'checker_day_stats']) {
      await tx.execute(sql`delete from ${sql.identifier(table)} where venue_id = ${venueId}`);
    }
    await tx.execute(sql`
      insert into venue_visitor_days (venue_id, day, person_id, records)
      select c.venue_id, ${dayOf(e)}, c.person_id, count(*) from (${standing}) c group by 1, 2, 3`);
    await tx.execute(sql`
      insert into venue_day_stats (venue_id, day, checkins, fevers, reds, quick, visitors)
      select c.venue_id, ${dayOf(e)}, count(*), count(*) filter (where c.fever), count(*) filter (where c.colour = 'red'),
             count(*) filter (where c.method = 'quick'), count(distinct c.person_id)
        from (${standing}) c group by 1, 2`);
    await tx.execute(sql`
      insert into venue_hour_stats (venue_id, day, hour, checkins)
      select c.venue_id, ${dayOf(e)}, ${hourOf(e)}, count(*) from (${standing}) c group by 1, 2, 3`);
    await tx.execute(sql`
      insert into venue_day_demographics (venue_id, day, gender, age_band, visitors)
      select v.venue_id, v.day, p.gender, ${ageBandSql(sql`v.day`, sql`p.birth_date`)}, count(*)
        from venue_visitor_days v join persons p on p.id = v.person_id
       where v.venue_id = ${venueId} group by 1, 2, 3, 4`);
    await tx.execute(sql`
      insert into checker_day_stats (venue_id, checker_account_id, day, records, fevers)
      select c.venue_id, c.checker_account_id, ${dayOf(e)}, count(*), count(*) filter (where c.fever) from (${standing}) c group by 1, 2, 3`);
  });
}
