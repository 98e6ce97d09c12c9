import 'server-only';
import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { venueEntrances } from '@/db/schema';

// A venue's entrances (多入口). Ownership is in every where: an entrance is always looked up with its venue.

const entranceColumns = {
  id: venueEntrances.id,
  name: venueEntrances.name,
  isMain: venueEntrances.isMain,
  createdAt: venueEntrances.createdAt,
  removedAt: venueEntrances.removedAt,
};

export type Entrance = { id: string; name: string | null; isMain: boolean; createdAt: Date; removedAt: Date | null };

/** The venue's entrances: the main one first, then by creation; removed ones only when asked. */
export async function entrancesOfVenue(db: DbOrTx, venueId: string, opts: { includeRemoved?: boolean } = {}): Promise<Entrance[]> {
  return db
    .select(entranceColumns)
    .from(venueEntrances)
    .where(and(eq(venueEntrances.venueId, venueId), opts.includeRemoved ? undefined : isNull(venueEntrances.removedAt)))
    .orderBy(desc(venueEntrances.isMain), asc(venueEntrances.createdAt), asc(venueEntrances.id));
}

export async function mainEntranceOfVenue(db: DbOrTx, venueId: string): Promise<Entrance | null> {
  const [row] = await db
    .select(entranceColumns)
    .from(venueEntrances)
    .where(and(eq(venueEntrances.venueId, venueId), eq(venueEntrances.isMain, true)));
  return row ?? null;
}

/** Whether this entrance belongs to this venue and is open (not removed): what the door may offer. */
export async function isOpenEntranceOfVenue(db: DbOrTx, venueId: string, entranceId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: venueEntrances.id })
    .from(venueEntrances)
    .where(and(eq(venueEntrances.venueId, venueId), eq(venueEntrances.id, entranceId), isNull(venueEntrances.removedAt)));
  return Boolean(row);
}

/** One open entrance of the venue, locked for the admin's change. */
export async function lockOpenEntranceOfVenue(tx: DbOrTx, venueId: string, entranceId: string): Promise<Entrance | null> {
  const [row] = await tx
    .select(entranceColumns)
    .from(venueEntrances)
    .where(and(eq(venueEntrances.venueId, venueId), eq(venueEntrances.id, entranceId), isNull(venueEntrances.removedAt)))
    .for('update');
  return row ?? null;
}

export async function insertEntrance(tx: DbOrTx, values: { venueId: string; name: string; createdAt: Date }): Promise<string> {
  const [row] = await tx.insert(venueEntrances).values(values).returning({ id: venueEntrances.id });
  return row.id;
}

export async function renameEntrance(tx: DbOrTx, venueId: string, entranceId: string, name: string): Promise<void> {
  await tx
    .update(venueEntrances)
    .set({ name })
    .where(and(eq(venueEntrances.venueId, venueId), eq(venueEntrances.id, entranceId)));
}

/** Soft removal only (a trigger refuses DELETE; a check constraint keeps the main entrance). */
export async function markEntranceRemoved(tx: DbOrTx, venueId: string, entranceId: string, at: Date): Promise<void> {
  await tx
    .update(venueEntrances)
    .set({ removedAt: at })
    .where(and(eq(venueEntrances.venueId, venueId), eq(venueEntrances.id, entranceId), isNull(venueEntrances.removedAt)));
}
