import 'server-only';
import { and, eq, gt } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { adminReplacements, venues } from '@/db/schema';

export async function pendingReplacementOfVenue(db: DbOrTx, venueId: string, now: Date) {
  const [row] = await db
    .select()
    .from(adminReplacements)
    .where(and(eq(adminReplacements.venueId, venueId), eq(adminReplacements.status, 'pending'), gt(adminReplacements.expiresAt, now)));
  return row ?? null;
}

/** Closes any pending invitation of the venue (expired ones too), so a new one can be created. */
export async function cancelPendingReplacements(tx: DbOrTx, venueId: string, at: Date) {
  return tx
    .update(adminReplacements)
    .set({ status: 'cancelled', resolvedAt: at })
    .where(and(eq(adminReplacements.venueId, venueId), eq(adminReplacements.status, 'pending')))
    .returning({ id: adminReplacements.id });
}

export async function insertReplacement(
  tx: DbOrTx,
  values: { venueId: string; fromAccountId: string; toPhone: string; createdAt: Date; expiresAt: Date },
) {
  const [row] = await tx.insert(adminReplacements).values(values).returning({ id: adminReplacements.id });
  return row.id;
}

/** Invitations waiting for this phone number to accept. */
export async function pendingReplacementsForPhone(db: DbOrTx, phone: string, now: Date) {
  return db
    .select({
      id: adminReplacements.id,
      venueId: venues.id,
      venueName: venues.name,
      venueType: venues.type,
      expiresAt: adminReplacements.expiresAt,
    })
    .from(adminReplacements)
    .innerJoin(venues, eq(venues.id, adminReplacements.venueId))
    .where(and(eq(adminReplacements.toPhone, phone), eq(adminReplacements.status, 'pending'), gt(adminReplacements.expiresAt, now)));
}

export async function lockReplacement(tx: DbOrTx, id: string) {
  const [row] = await tx.select().from(adminReplacements).where(eq(adminReplacements.id, id)).for('update');
  return row ?? null;
}

export async function resolveReplacement(tx: DbOrTx, id: string, status: 'accepted' | 'cancelled', at: Date) {
  await tx.update(adminReplacements).set({ status, resolvedAt: at }).where(eq(adminReplacements.id, id));
}
