import 'server-only';
import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';

// SPEC L4: what the retention job removes, one bounded batch per call, each returning how many rows it
// changed (fewer than `limit`: nothing left). Every delete finds its rows through an index on their age.

/**
 * Cuts the person link of check-ins older than `days` (never fewer than 15: the database decides the
 * cutoff itself, so the app cannot cut a recent link) and anonymises the visitor-days of those days, in
 * the owner's function (migration 0019). Rows changed; 0 when nothing is left.
 */
export async function cutPersonLinks(tx: DbOrTx, days: number, limit: number): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await tx.execute(sql`select checkins_cut_person_links(${days}::int, ${limit}::int) as n`));
  return Number(row?.n ?? 0);
}

async function deleteBatch(tx: DbOrTx, table: string, where: ReturnType<typeof sql>, limit: number): Promise<number> {
  const t = sql.identifier(table);
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`
      with gone as (delete from ${t} where id in (select id from ${t} where ${where} limit ${limit}) returning 1)
      select count(*)::int as n from gone`),
  );
  return Number(row?.n ?? 0);
}

const iso = (d: Date) => d.toISOString();

/** 亮码记录 older than three days (H6: the person sees the last three days). */
export const pruneCodeDisplays = (tx: DbOrTx, before: Date, limit: number) =>
  deleteBatch(tx, 'code_displays', sql`displayed_at < ${iso(before)}::timestamptz`, limit);

/** Sign-in codes older than 24 hours: the daily per-phone limit counts only the last 24 hours. */
export const pruneSignInCodes = (tx: DbOrTx, before: Date, limit: number) =>
  deleteBatch(tx, 'sign_in_codes', sql`created_at < ${iso(before)}::timestamptz`, limit);

/** Ended sessions: expired, or revoked (requireUser treats a missing row as signed out, like a revoked one). */
export async function pruneEndedSessions(tx: DbOrTx, now: Date, limit: number): Promise<number> {
  const expired = await deleteBatch(tx, 'auth_sessions', sql`expires_at < ${iso(now)}::timestamptz`, limit);
  if (expired >= limit) return expired;
  return (
    expired +
    (await deleteBatch(tx, 'auth_sessions', sql`revoked_at is not null and revoked_at < ${iso(now)}::timestamptz`, limit - expired))
  );
}

/** Venue alert texts (they name the admin's phone) older than the retention period, once sent or given up. */
export const pruneAlertMessages = (tx: DbOrTx, before: Date, limit: number) =>
  deleteBatch(tx, 'alert_messages', sql`created_at < ${iso(before)}::timestamptz and status <> 'pending'`, limit);

/** Link requests (who asked for whom) and phone changes (old and new numbers) resolved before the retention period. */
export async function pruneResolvedRequests(tx: DbOrTx, before: Date, limit: number): Promise<number> {
  const requests = await deleteBatch(
    tx,
    'link_requests',
    sql`status <> 'pending' and coalesce(resolved_at, expires_at) < ${iso(before)}::timestamptz`,
    limit,
  );
  if (requests >= limit) return requests;
  return (
    requests +
    (await deleteBatch(
      tx,
      'account_phone_changes',
      sql`status <> 'pending' and resolved_at < ${iso(before)}::timestamptz`,
      limit - requests,
    ))
  );
}
