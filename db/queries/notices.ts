import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { rowsOf } from '@/db';
import { LIVE_CHANNEL } from '@/db/live-channel';
import { accounts, noticeReads, type NoticeKind } from '@/db/schema';

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
                 'name', coalesce(p.name_masked, '已匿名'),
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
          left join persons p on p.id = c.person_id
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

// ---- The inbox (lib/notices): notices created by a cause's own transaction, read per account. ----

export type NoticeAudience = { venueId: string } | { accountId: string } | { phone: string };
export type NewNotice = {
  kind: NoticeKind;
  to: NoticeAudience;
  /** Masked, message-ready values: never a visitor's name, ID number or phone in clear. */
  params: Record<string, string | number | boolean | null>;
  /** What makes it exactly once (the event's own id). */
  source: string;
  at: Date;
};

/**
 * Inserts a notice unless one with the same `source` exists, and tells the live channel on commit: the
 * venue for a venue notice, the account (never the phone) for an account or phone notice, when that phone
 * has an account yet. Returns the new notice's id, or null when it already existed.
 */
export async function insertNotice(tx: DbOrTx, n: NewNotice): Promise<string | null> {
  const venueId = 'venueId' in n.to ? n.to.venueId : null;
  const accountId = 'accountId' in n.to ? n.to.accountId : null;
  const phone = 'phone' in n.to ? n.to.phone : null;
  const audience = venueId ? 'venue_admin' : accountId ? 'account' : 'phone';
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`
      insert into notices (kind, audience, venue_id, account_id, phone, params, source, happened_at, created_at)
      values (${n.kind}, ${audience}, ${venueId}, ${accountId}, ${phone}, ${JSON.stringify(n.params)}::jsonb, ${n.source},
              ${n.at.toISOString()}, ${n.at.toISOString()})
      on conflict (source) do nothing
      returning id`),
  );
  if (rows.length === 0) return null;
  if (venueId) await notifyNotice(tx, { v: venueId });
  else if (accountId) await notifyNotice(tx, { a: accountId });
  else {
    const [owner] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.phone, phone!));
    if (owner) await notifyNotice(tx, { a: owner.id });
  }
  return rows[0].id;
}

/** A `notice` event on the live channel, delivered when the caller's transaction commits. */
export async function notifyNotice(tx: DbOrTx, to: { v: string } | { a: string }): Promise<void> {
  await tx.execute(sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify({ ...to, k: 'notice' })})`);
}

/** Who reads: the account, and its phone (notices to a phone reach whoever signs in with it). */
export type Reader = { accountId: string; phone: string };

/**
 * The notices `reader` may see, as a SQL condition on `notices n`: venue notices of the venue it is the
 * admin of NOW (a replaced admin sees none; the next one sees them all), its own, and its phone's. Each
 * branch is one partial index (migration 0016).
 */
const visibleTo = (r: Reader) => sql`(
  (n.audience = 'venue_admin' and n.venue_id in (select v.id from venues v where v.admin_account_id = ${r.accountId}::uuid))
  or (n.audience = 'account' and n.account_id = ${r.accountId}::uuid)
  or (n.audience = 'phone' and n.phone = ${r.phone}))`;

export type InboxNotice = {
  id: string;
  kind: NoticeKind;
  audience: 'venue_admin' | 'account' | 'phone';
  venueId: string | null;
  venueName: string | null;
  params: Record<string, string | number | boolean | null>;
  happenedAt: Date;
  createdAt: Date;
  read: boolean;
  /** An admin-replacement invitation's state now (pending, accepted, cancelled, expired); else null. */
  invitationState: 'pending' | 'accepted' | 'cancelled' | 'expired' | null;
  /** A link request's state now (SPEC L1), for `link_request` notices; else null. */
  linkState: 'pending' | 'accepted' | 'refused' | 'cancelled' | 'expired' | null;
};

/** The reader's notices, newest first, `limit` from `offset`; one more than `limit` tells there are more. */
export async function listNotices(db: DbOrTx, reader: Reader, page: { limit: number; offset: number }, now: Date) {
  const rows = rowsOf<{
    id: string;
    kind: NoticeKind;
    audience: InboxNotice['audience'];
    venue_id: string | null;
    venue_name: string | null;
    params: InboxNotice['params'];
    happened_at: string | Date;
    created_at: string | Date;
    read: boolean;
    invitation_state: InboxNotice['invitationState'];
    link_state: InboxNotice['linkState'];
  }>(
    await db.execute(sql`
      select n.id, n.kind, n.audience, n.venue_id, v.name as venue_name, n.params, n.happened_at, n.created_at,
             exists (select 1 from notice_reads r where r.notice_id = n.id and r.account_id = ${reader.accountId}::uuid) as read,
             (select case when ar.status = 'pending' and ar.expires_at <= ${now.toISOString()} then 'expired' else ar.status end
                from admin_replacements ar
               where n.kind = 'admin_invitation' and ar.id = (n.params->>'invitationId')::uuid) as invitation_state,
             (select case when lr.status = 'pending' and lr.expires_at <= ${now.toISOString()} then 'expired' else lr.status end
                from link_requests lr
               where n.kind = 'link_request' and lr.id = (n.params->>'requestId')::uuid) as link_state
        from notices n
        left join venues v on v.id = n.venue_id
       where ${visibleTo(reader)}
       order by n.created_at desc, n.id desc
       limit ${page.limit + 1} offset ${page.offset}`),
  );
  const notices: InboxNotice[] = rows.slice(0, page.limit).map((r) => ({
    id: r.id,
    kind: r.kind,
    audience: r.audience,
    venueId: r.venue_id,
    venueName: r.venue_name,
    params: r.params,
    happenedAt: new Date(r.happened_at),
    createdAt: new Date(r.created_at),
    read: r.read,
    invitationState: r.invitation_state,
    linkState: r.link_state,
  }));
  return { notices, more: rows.length > page.limit };
}

/**
 * Unread notices of the reader, counted up to `cap` (the bell shows "99+"): bounded work at any size.
 * `asOf` is the database's clock when the count's statement began (ms since the epoch): a count heard after
 * a notice's commit always carries a later `asOf` than one taken before it, on any app server, so a page
 * can keep the newer of a server render and a live event (components/shell/inbox-bell.tsx).
 */
export async function countUnread(db: DbOrTx, reader: Reader, cap = 100): Promise<{ unread: number; asOf: number }> {
  const rows = rowsOf<{ n: number; as_of: number | string }>(
    await db.execute(sql`
      select (select count(*)::int from (
                select 1 from notices n
                 where ${visibleTo(reader)}
                   and not exists (select 1 from notice_reads r where r.notice_id = n.id and r.account_id = ${reader.accountId}::uuid)
                 limit ${cap}) unread) as n,
             (extract(epoch from statement_timestamp()) * 1000)::float8 as as_of`),
  );
  return { unread: rows[0]?.n ?? 0, asOf: Number(rows[0]?.as_of ?? 0) };
}

/** Marks one notice read if the reader may see it; false when it may not (or does not exist). */
export async function markNoticeRead(tx: DbOrTx, reader: Reader, noticeId: string, now: Date): Promise<boolean> {
  const rows = rowsOf<{ id: string }>(
    await tx.execute(sql`
      select n.id from notices n where n.id = ${noticeId}::uuid and ${visibleTo(reader)}`),
  );
  if (rows.length === 0) return false;
  await tx.insert(noticeReads).values({ accountId: reader.accountId, noticeId, readAt: now }).onConflictDoNothing();
  return true;
}

/** Marks every notice the reader may see read; returns how many were unread. */
export async function markAllNoticesRead(tx: DbOrTx, reader: Reader, now: Date): Promise<number> {
  const rows = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with marked as (
        insert into notice_reads (account_id, notice_id, read_at)
        select ${reader.accountId}::uuid, n.id, ${now.toISOString()} from notices n where ${visibleTo(reader)}
        on conflict do nothing
        returning 1)
      select count(*)::int as n from marked`),
  );
  return rows[0]?.n ?? 0;
}

/** Deletes up to `limit` notices created before `before` (their read marks go with them); returns how many. */
export async function pruneNotices(tx: DbOrTx, before: Date, limit: number): Promise<number> {
  const rows = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with gone as (
        delete from notices where id in (select id from notices where created_at < ${before.toISOString()} limit ${limit})
        returning 1)
      select count(*)::int as n from gone`),
  );
  return rows[0]?.n ?? 0;
}
