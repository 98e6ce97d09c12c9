// The fault drills' checks for entrances (多入口), written independently of lib/stats: each record is
// stored at the entrance it was sent with (none: the venue's main one), and the per-entrance day totals
// (venue_entrance_day_stats, filled by the drain) equal the standing records of each entrance counted
// directly — a re-scan at another door moves the visit, so a superseded record counts at no entrance.
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '@/db';

const uuidList = (ids: string[]) =>
  sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );

/** Records whose stored entrance is not the one they were sent with (null sent: the main entrance). */
export async function entranceCarriedMismatches(db: Db, venueIds: string[], sent: Map<string, string | null>): Promise<string[]> {
  const rows = rowsOf<{ client_id: string; entrance_id: string | null; main_id: string }>(
    await db.execute(sql`
      select c.client_id::text, c.entrance_id::text, e.id::text as main_id
        from checkins c join venue_entrances e on e.venue_id = c.venue_id and e.is_main
       where c.venue_id in (${uuidList(venueIds)})`),
  );
  const out: string[] = [];
  for (const r of rows) {
    if (!sent.has(r.client_id)) continue;
    const expected = sent.get(r.client_id) ?? r.main_id;
    if (r.entrance_id !== expected) out.push(`${r.client_id}: sent ${expected}, stored ${r.entrance_id}`);
  }
  return out;
}

/**
 * Per venue, entrance and China day: the rollup against a direct count of standing records and fevers.
 * `checked` is false when the rollup has no rows at all while there are records to count (the drain that
 * fills it is not part of this build): the caller reports the check as not run, not as passed.
 */
export async function entranceStatisticsMismatches(db: Db, venueIds: string[]): Promise<{ checked: boolean; mismatches: string[] }> {
  const direct = rowsOf<{ key: string; checkins: number; fevers: number }>(
    await db.execute(sql`
      select c.venue_id || '/' || c.entrance_id || '/' || (c.effective_at at time zone 'Asia/Shanghai')::date as key,
             count(*)::int as checkins, (count(*) filter (where c.fever))::int as fevers
        from checkins c
       where c.venue_id in (${uuidList(venueIds)}) and c.entrance_id is not null and c.superseded_by_id is null
         and not exists (select 1 from checkins s where s.venue_id = c.venue_id and s.supersedes_id = c.id)
       group by 1`),
  );
  const rollup = rowsOf<{ key: string; checkins: number; fevers: number }>(
    await db.execute(sql`
      select venue_id || '/' || entrance_id || '/' || day as key, checkins, fevers
        from venue_entrance_day_stats
       where venue_id in (${uuidList(venueIds)}) and (checkins <> 0 or fevers <> 0)`),
  );
  if (rollup.length === 0 && direct.length > 0) return { checked: false, mismatches: [] };
  const text = (r: { checkins: number; fevers: number } | undefined) => (r ? `${r.checkins}/${r.fevers}` : '0/0');
  const byKey = new Map(rollup.map((r) => [r.key, r]));
  const mismatches: string[] = [];
  for (const d of direct) {
    if (text(byKey.get(d.key)) !== text(d)) mismatches.push(`${d.key}: rollup ${text(byKey.get(d.key))} direct ${text(d)}`);
    byKey.delete(d.key);
  }
  for (const [key, r] of byKey) mismatches.push(`${key}: rollup ${text(r)} direct 0/0`);
  return { checked: true, mismatches };
}
