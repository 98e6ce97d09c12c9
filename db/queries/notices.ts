import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { rowsOf } from '@/db';
import { LIVE_CHANNEL } from '@/db/live-channel';

// The inbox's writes that the door starts (SPEC #18): the door's trigger leaves a row in notice_outbox for a
// fever or a red code; the notice job turns them into venue notices here, exactly once (notices.source is
// unique and the outbox rows are deleted in the same transaction).

/** An event older than this when the job reaches it (a device synced days later, imported history) makes no notice. */
export const NOTICE_MAX_AGE_MS = 24 * 3_600_000;

export type FannedOut = { venueId: string; kind: 'fever' | 'red_code' };

/**
 * Takes up to `limit` outbox rows (SKIP LOCKED: two servers never take the same row), makes one venue
 * notice per stored record — `red_code` when the code was red (with the temperature if one was measured),
 * else `fever` — with the visitor masked as on the dashboard, deletes the rows, and asks the live channel
 * to tell the venue's admin (pg_notify is delivered only when the transaction commits). Returns the rows taken.
 */
export async function fanOutNoticeOutbox(tx: DbOrTx, limit: number, now: Date): Promise<{ taken: number; made: FannedOut[] }> {
  const oldest = new Date(now.getTime() - NOTICE_MAX_AGE_MS).toISOString();
  const rows = rowsOf<{ taken: number; made: FannedOut[] | null }>(
    await tx.execute(sql`
      with taken as (
        delete from notice_outbox o
         using (select id from notice_outbox order by id limit ${limit} for update skip locked) pick
         where o.id = pick.id
        returning o.venue_id, o.checkin_id
      ),
      made as (
        insert into notices (kind, audience, venue_id, params, source, happened_at, created_at)
        select case when c.colour = 'red' then 'red_code' else 'fever' end, 'venue_admin', c.venue_id,
               jsonb_build_object(
                 'name', p.name_masked,
                 'temp', case when c.temperature_deci is null then null else to_char(c.temperature_deci / 10.0, 'FM990.0') end,
                 'fever', c.fever,
                 'red', c.colour = 'red',
                 'method', c.method,
                 'checkerAccountId', c.checker_account_id,
                 'checker', (select b.display_name from checker_bindings b
                              where b.venue_id = c.venue_id and b.account_id = c.checker_account_id
                              order by b.requested_at desc limit 1),
                 'entranceId', c.entrance_id,
                 'checkinId', c.id),
               'checkin:' || c.id, c.effective_at, ${now.toISOString()}
          from taken t
          join checkins c on c.venue_id = t.venue_id and c.id = t.checkin_id
          join persons p on p.id = c.person_id
         where c.effective_at >= ${oldest}
        on conflict (source) do nothing
        returning venue_id, kind
      ),
      told as (
        select pg_notify(${LIVE_CHANNEL}, json_build_object('v', venue_id, 'k', 'notice')::text) from (select distinct venue_id from made) v
      )
      select (select count(*)::int from taken) as taken,
             (select json_agg(json_build_object('venueId', venue_id, 'kind', kind)) from made) as made,
             (select count(*) from told) as told`),
  );
  return { taken: rows[0]?.taken ?? 0, made: rows[0]?.made ?? [] };
}
