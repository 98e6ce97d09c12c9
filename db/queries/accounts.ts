import { and, eq, gt, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { accounts, authSessions } from '@/db/schema';

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
  const [row] = await db
    .select({ sessionId: authSessions.id, accountId: accounts.id, phone: accounts.phone })
    .from(authSessions)
    .innerJoin(accounts, eq(accounts.id, authSessions.accountId))
    .where(and(eq(authSessions.id, sessionId), isNull(authSessions.revokedAt), gt(authSessions.expiresAt, now)));
  return row ?? null;
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
  return row ?? null;
}
