import 'server-only';
import { and, count, desc, eq, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { signInCodes } from '@/db/schema';

/** Serialises code requests and checks for one phone number across every app server (transaction-scoped). */
export async function lockPhoneForSignIn(tx: DbOrTx, phone: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'sign-in:' + phone}, 0))`);
}

/**
 * Serialises code requests from one client IP (by its keyed hash), so that concurrent requests for
 * different phones — from any number of app servers — cannot all read the same hourly count and pass.
 * Always taken after the phone's lock, never before: the order rules out deadlocks.
 */
export async function lockIpForSignIn(tx: DbOrTx, ipHash: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'sign-in-ip:' + ipHash}, 0))`);
}

export async function latestSignInCode(tx: DbOrTx, phone: string) {
  const [row] = await tx.select().from(signInCodes).where(eq(signInCodes.phone, phone)).orderBy(desc(signInCodes.createdAt)).limit(1);
  return row ?? null;
}

export async function countCodesForPhoneSince(tx: DbOrTx, phone: string, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(signInCodes)
    .where(and(eq(signInCodes.phone, phone), gt(signInCodes.createdAt, since)));
  return row.n;
}

export async function countCodesForIpSince(tx: DbOrTx, ipHash: string, since: Date): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(signInCodes)
    .where(and(eq(signInCodes.ipHash, ipHash), gt(signInCodes.createdAt, since)));
  return row.n;
}

export async function insertSignInCode(
  tx: DbOrTx,
  values: { phone: string; codeHash: string; ipHash: string; createdAt: Date; expiresAt: Date },
) {
  await tx.insert(signInCodes).values(values);
}

export async function recordFailedAttempt(tx: DbOrTx, id: string, lockAt: Date | null) {
  await tx
    .update(signInCodes)
    .set({ failedAttempts: sql`${signInCodes.failedAttempts} + 1`, lockedAt: lockAt })
    .where(eq(signInCodes.id, id));
}

export async function consumeSignInCode(tx: DbOrTx, id: string, at: Date) {
  await tx.update(signInCodes).set({ consumedAt: at }).where(eq(signInCodes.id, id));
}
