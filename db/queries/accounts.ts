import 'server-only';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
import { accounts, authSessions } from '@/db/schema';
import { isUuid } from '@/lib/utils/uuid';

/** Finds the account of a phone number, creating it on first sign-in. */
export async function findOrCreateAccount(tx: DbOrTx, phone: string): Promise<{ id: string; created: boolean }> {
  const [inserted] = await tx.insert(accounts).values({ phone }).onConflictDoNothing().returning({ id: accounts.id });
  if (inserted) return { id: inserted.id, created: true };
  const [existing] = await tx.select({ id: accounts.id }).from(accounts).where(eq(accounts.phone, phone));
  return { id: existing.id, created: false };
}

export async function createAuthSession(tx: DbOrTx, values: { accountId: string; expiresAt: Date; userAgent: string | null }) {
  const [row] = await tx.insert(authSessions).values(values).returning({ id: authSessions.id });
  return row.id;
}

/** The signed-in account behind a session id, or null when the session is unknown, revoked or expired. */
export async function findActiveSession(db: DbOrTx, sessionId: string, now: Date) {
  return (await findActiveSessions(db, [sessionId], now))[0] ?? null;
}

/**
 * The active sessions among `sessionIds`, in one round trip (requests of one process signed in at once,
 * lib/auth/require-user). Returns the active ones; unknown, revoked, expired or malformed ids are absent.
 */
export async function findActiveSessions(db: DbOrTx, sessionIds: readonly string[], now: Date) {
  const ids = sessionIds.filter(isUuid);
  if (ids.length === 0) return [];
  const rows = rowsOf<{ session_id: string; account_id: string; phone: string }>(
    await db.execute(sql`
      select s.id as session_id, a.id as account_id, a.phone
        from auth_sessions s join accounts a on a.id = s.account_id
       where s.id = any(${`{${ids.join(',')}}`}::uuid[])
         and s.revoked_at is null and s.expires_at > ${now.toISOString()}::timestamptz`),
  );
  return rows.map((r) => ({ sessionId: r.session_id, accountId: r.account_id, phone: r.phone }));
}

export async function revokeSession(tx: DbOrTx, sessionId: string, at: Date) {
  return tx
    .update(authSessions)
    .set({ revokedAt: at })
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt)))
    .returning({ accountId: authSessions.accountId });
}

export async function revokeAllSessions(tx: DbOrTx, accountId: string, at: Date): Promise<number> {
  const rows = await tx
    .update(authSessions)
    .set({ revokedAt: at })
    .where(and(eq(authSessions.accountId, accountId), isNull(authSessions.revokedAt)))
    .returning({ id: authSessions.id });
  return rows.length;
}

export async function accountById(db: DbOrTx, accountId: string) {
  const [row] = await db.select({ id: accounts.id, phone: accounts.phone }).from(accounts).where(eq(accounts.id, accountId));
  // A deleted account (no phone) is no account to sign in, text or show.
  return row?.phone ? { id: row.id, phone: row.phone } : null;
}
