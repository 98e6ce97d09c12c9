import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
import { standing } from './stats-definitions';

/**
 * SPEC T6: red codes found at doors (门口红码), for the officials of a region to verify and handle.
 *
 * Index-friendly: the venues of the region first (a small set for a district), then for each venue its
 * records in the time range through checkins_time_idx (venue_id, effective_at), keeping the red ones. The
 * region is judged on the township the record carries, else the venue's. A venue is a candidate when its
 * township is in the region now: a record of a venue that has since moved out of the region is not found.
 */

export type FollowUpStatus = 'pending' | 'verified' | 'handled';
export const FOLLOW_UP_STATUSES: readonly FollowUpStatus[] = ['pending', 'verified', 'handled'];

type Window = { region: string; from: Date; to: Date };

const prefix = (region: string) => `${region}%`;

/** The standing red records of the window in the region, with their follow-up (none = pending). */
function redRecords(w: Window): SQL {
  return sql`
    select c.venue_id, c.id, c.effective_at, c.red_reason, c.method, c.entrance_id, c.person_id,
           v.name as venue_name, coalesce(f.status, 'pending') as status, f.note, f.at as followed_at
      from venues v
      join lateral (
        select c.* from checkins c
         where c.venue_id = v.id and c.effective_at >= ${w.from.toISOString()}::timestamptz and c.effective_at < ${w.to.toISOString()}::timestamptz and c.colour = 'red'
      ) c on true
      left join door_red_followups f on f.venue_id = c.venue_id and f.checkin_id = c.id
     where v.township_code like ${prefix(w.region)}
       and coalesce(c.township_code, v.township_code) like ${prefix(w.region)}
       and ${standing('c')}`;
}

export type RedCodeRow = {
  venueId: string;
  checkinId: string;
  venueName: string;
  entranceName: string | null;
  entranceIsMain: boolean | null;
  effectiveAt: Date;
  redReason: string | null;
  method: string;
  /** Null once the record lost its person (retention, erasure). */
  nameMasked: string | null;
  status: FollowUpStatus;
  note: string | null;
  followedAt: Date | null;
};

/** One page of the window's red codes, newest first; optionally one status only. */
export async function redCodesInRegion(
  db: DbOrTx,
  w: Window & { status?: FollowUpStatus; limit: number; offset: number },
): Promise<RedCodeRow[]> {
  const only = w.status ? sql`where r.status = ${w.status}` : sql``;
  const rows = rowsOf<{
    venue_id: string;
    id: string;
    venue_name: string;
    entrance_name: string | null;
    entrance_main: boolean | null;
    effective_at: Date | string;
    red_reason: string | null;
    method: string;
    name_masked: string | null;
    status: FollowUpStatus;
    note: string | null;
    followed_at: Date | string | null;
  }>(
    await db.execute(sql`
      select r.venue_id, r.id, r.venue_name, e.name as entrance_name, e.is_main as entrance_main, r.effective_at,
             r.red_reason, r.method, p.name_masked, r.status, r.note, r.followed_at
        from (${redRecords(w)}) r
        left join persons p on p.id = r.person_id
        left join venue_entrances e on e.venue_id = r.venue_id and e.id = r.entrance_id
        ${only}
       order by r.effective_at desc, r.id
       limit ${w.limit} offset ${w.offset}`),
  );
  return rows.map((r) => ({
    venueId: r.venue_id,
    checkinId: r.id,
    venueName: r.venue_name,
    entranceName: r.entrance_name,
    entranceIsMain: r.entrance_main,
    effectiveAt: new Date(r.effective_at),
    redReason: r.red_reason,
    method: r.method,
    nameMasked: r.name_masked,
    status: r.status,
    note: r.note,
    followedAt: r.followed_at ? new Date(r.followed_at) : null,
  }));
}

/** How many red codes of the window are in each status. */
export async function redCodeCounts(db: DbOrTx, w: Window): Promise<Record<FollowUpStatus, number>> {
  const [row] = rowsOf<{ pending: number; verified: number; handled: number }>(
    await db.execute(sql`
      select count(*) filter (where r.status = 'pending')::int as pending,
             count(*) filter (where r.status = 'verified')::int as verified,
             count(*) filter (where r.status = 'handled')::int as handled
        from (${redRecords(w)}) r`),
  );
  return { pending: Number(row?.pending ?? 0), verified: Number(row?.verified ?? 0), handled: Number(row?.handled ?? 0) };
}

export type RedCheckin = {
  venueId: string;
  checkinId: string;
  /** The township on the record, else the venue's: where the red code was found. */
  townshipCode: string;
  personId: string | null;
  status: FollowUpStatus;
};

/**
 * A red record by (venue, id) with its current follow-up, the follow-up row locked FOR UPDATE when it
 * exists (a first follow-up racing another meets the primary key: the wrapper answers 'conflict').
 */
export async function lockRedCheckin(db: DbOrTx, venueId: string, checkinId: string): Promise<RedCheckin | null> {
  const [row] = rowsOf<{ venue_id: string; id: string; township: string; person_id: string | null }>(
    await db.execute(sql`
      select c.venue_id, c.id, coalesce(c.township_code, v.township_code) as township, c.person_id
        from checkins c join venues v on v.id = c.venue_id
       where c.venue_id = ${venueId} and c.id = ${checkinId} and c.colour = 'red'`),
  );
  if (!row) return null;
  const [f] = rowsOf<{ status: FollowUpStatus }>(
    await db.execute(sql`
      select status from door_red_followups where venue_id = ${venueId} and checkin_id = ${checkinId} for update`),
  );
  return { venueId: row.venue_id, checkinId: row.id, townshipCode: row.township, personId: row.person_id, status: f?.status ?? 'pending' };
}

/** Writes the follow-up of a red record (one row per record, replaced by each change). */
export async function upsertFollowUp(
  db: DbOrTx,
  v: { venueId: string; checkinId: string; status: Exclude<FollowUpStatus, 'pending'>; note: string | null; byAccountId: string; at: Date },
) {
  await db.execute(sql`
    insert into door_red_followups (venue_id, checkin_id, status, note, by_account_id, at)
    values (${v.venueId}, ${v.checkinId}, ${v.status}, ${v.note}, ${v.byAccountId}, ${v.at.toISOString()}::timestamptz)
    on conflict (venue_id, checkin_id) do update
      set status = excluded.status, note = excluded.note, by_account_id = excluded.by_account_id, at = excluded.at`);
}

/** The encrypted identity of a person, for an official's audited reveal (decrypted by the caller). */
export async function personIdentityOf(db: DbOrTx, personId: string) {
  const [row] = rowsOf<{ id_type: string; name_enc: string; id_number_enc: string; nationality: string | null }>(
    await db.execute(sql`select id_type, name_enc, id_number_enc, nationality from persons where id = ${personId}`),
  );
  return row ? { idType: row.id_type, nameEnc: row.name_enc, idNumberEnc: row.id_number_enc, nationality: row.nationality } : null;
}
