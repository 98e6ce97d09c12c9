import 'server-only';
import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';

/**
 * Reading the audit log (审计日志): officials by region, a venue's admin through a whitelist of actions.
 * Pages are read one further row deep (limit + 1) so the pager knows whether more follow, without a count
 * over the whole log.
 */

const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

export type AuditFilter = {
  /** The official's region ('44' the whole province: no region condition). */
  region: string;
  actorAccountId?: string;
  venueIds?: string[];
  /** A person's id and their document's hash (status.set names a document without a person by its hash). */
  targetIds?: string[];
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
};

/**
 * A row is in a region when its venue is there, when its target is a person who checked in at a venue
 * there (the township on the record, else the venue's), or when its actor is an official of the region.
 */
function inRegion(region: string): SQL {
  if (region === '44') return sql`true`;
  const like = `${region}%`;
  return sql`(
    v.township_code like ${like}
    or (a.target_type = 'person' and exists (
          select 1 from checkins c join venues cv on cv.id = c.venue_id
           where c.person_id = (case when a.target_id ~ ${UUID} then a.target_id::uuid end)
             and coalesce(c.township_code, cv.township_code) like ${like}))
    or exists (select 1 from account_roles r
                where r.account_id = a.actor_account_id and r.role = 'health_official' and r.region_code like ${like}))`;
}

export type AuditRow = {
  id: number;
  actorPhone: string | null;
  action: string;
  targetType: string | null;
  /** A readable name of the target: a venue's name, a person's masked name, an account's phone (masked by the caller). */
  targetVenueName: string | null;
  targetNameMasked: string | null;
  targetPhone: string | null;
  venueName: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  at: Date;
};

type RawAuditRow = {
  id: number | string;
  actor_phone: string | null;
  action: string;
  target_type: string | null;
  target_venue: string | null;
  target_name_masked: string | null;
  target_phone: string | null;
  venue_name: string | null;
  reason: string | null;
  details: Record<string, unknown> | string | null;
  at: Date | string;
};

const toRow = (r: RawAuditRow): AuditRow => ({
  id: Number(r.id),
  actorPhone: r.actor_phone,
  action: r.action,
  targetType: r.target_type,
  targetVenueName: r.target_venue,
  targetNameMasked: r.target_name_masked,
  targetPhone: r.target_phone,
  venueName: r.venue_name,
  reason: r.reason,
  details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) ?? {},
  at: new Date(r.at),
});

const targetOf = (alias: string) => sql.raw(`(case when ${alias}.target_id ~ '${UUID}' then ${alias}.target_id::uuid end)`);

/** The region's audit rows matching the filters, newest first (limit + 1 rows: the last says "more"). */
export async function regionAuditRows(db: DbOrTx, f: AuditFilter): Promise<AuditRow[]> {
  const conds: SQL[] = [inRegion(f.region)];
  if (f.actorAccountId) conds.push(sql`a.actor_account_id = ${f.actorAccountId}`);
  if (f.venueIds)
    conds.push(
      sql`a.venue_id in (${sql.join(
        f.venueIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`,
    );
  if (f.targetIds)
    conds.push(
      sql`a.target_id in (${sql.join(
        f.targetIds.map((id) => sql`${id}`),
        sql`, `,
      )})`,
    );
  if (f.action) conds.push(sql`a.action = ${f.action}`);
  if (f.from) conds.push(sql`a.at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) conds.push(sql`a.at < ${f.to.toISOString()}::timestamptz`);
  const rows = rowsOf<RawAuditRow>(
    await db.execute(sql`
      select a.id, actor.phone as actor_phone, a.action, a.target_type, tv.name as target_venue,
             tp.name_masked as target_name_masked, ta.phone as target_phone, v.name as venue_name, a.reason, a.details, a.at
        from audit_log a
        left join venues v on v.id = a.venue_id
        left join accounts actor on actor.id = a.actor_account_id
        left join venues tv on a.target_type = 'venue' and tv.id = ${targetOf('a')}
        left join persons tp on a.target_type = 'person' and tp.id = ${targetOf('a')}
        left join accounts ta on a.target_type = 'account' and ta.id = ${targetOf('a')}
       where ${sql.join(conds, sql` and `)}
       order by a.at desc, a.id desc
       limit ${f.limit + 1} offset ${f.offset}`),
  );
  return rows.map(toRow);
}

export type VenueAuditRow = { id: number; actorPhone: string | null; action: string; details: Record<string, unknown>; at: Date };

/**
 * A venue's own audit rows among `actions`, never one whose target is a person (through audit_log_venue_idx:
 * venue_id, at). Details are returned whole: the caller keeps only its whitelisted fields.
 */
export async function venueAuditRows(
  db: DbOrTx,
  venueId: string,
  actions: readonly string[],
  page: { limit: number; offset: number },
): Promise<VenueAuditRow[]> {
  const rows = rowsOf<{
    id: number | string;
    actor_phone: string | null;
    action: string;
    details: Record<string, unknown> | string | null;
    at: Date | string;
  }>(
    await db.execute(sql`
      select a.id, actor.phone as actor_phone, a.action, a.details, a.at
        from audit_log a left join accounts actor on actor.id = a.actor_account_id
       where a.venue_id = ${venueId}
         and a.action in (${sql.join(
           actions.map((x) => sql`${x}`),
           sql`, `,
         )})
         and (a.target_type is null or a.target_type <> 'person')
       order by a.at desc, a.id desc
       limit ${page.limit + 1} offset ${page.offset}`),
  );
  return rows.map((r) => ({
    id: Number(r.id),
    actorPhone: r.actor_phone,
    action: r.action,
    details: (typeof r.details === 'string' ? JSON.parse(r.details) : r.details) ?? {},
    at: new Date(r.at),
  }));
}

/** The account of a phone number (no account is created). */
export async function accountIdByPhone(db: DbOrTx, phone: string): Promise<string | null> {
  const [row] = rowsOf<{ id: string }>(await db.execute(sql`select id from accounts where phone = ${phone}`));
  return row?.id ?? null;
}

/** Venues by invite code (exact, case-insensitive) or by a part of the name; at most 50. */
export async function venueIdsByNameOrCode(db: DbOrTx, text: string): Promise<string[]> {
  const escaped = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      select id from venues where invite_code = ${text.toUpperCase()} or name like ${`%${escaped}%`} order by created_at limit 50`),
  );
  return rows.map((r) => r.id);
}
