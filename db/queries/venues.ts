import 'server-only';
import { and, eq, gte, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { venueEntrances, venueInfoEdits, venues } from '@/db/schema';

export type VenueInfo = { name: string; type: string; townshipCode: string; address: string; contactPhone: string };

const venueColumns = {
  id: venues.id,
  name: venues.name,
  type: venues.type,
  townshipCode: venues.townshipCode,
  address: venues.address,
  contactPhone: venues.contactPhone,
  inviteCode: venues.inviteCode,
  bindingMode: venues.bindingMode,
  adminAccountId: venues.adminAccountId,
  createdAt: venues.createdAt,
};

export async function insertVenue(tx: DbOrTx, values: VenueInfo & { inviteCode: string; adminAccountId: string }) {
  const [row] = await tx.insert(venues).values(values).returning({ id: venues.id });
  // Every venue has its main entrance (主入口) from the start: records without a named entrance are taken there.
  await tx.insert(venueEntrances).values({ venueId: row.id, isMain: true });
  return row.id;
}

/** The venue an account administers (an account administers at most one). */
export async function venueOfAdmin(db: DbOrTx, accountId: string) {
  const [row] = await db.select(venueColumns).from(venues).where(eq(venues.adminAccountId, accountId));
  return row ?? null;
}

export async function venueById(db: DbOrTx, venueId: string) {
  const [row] = await db.select(venueColumns).from(venues).where(eq(venues.id, venueId));
  return row ?? null;
}

/** Locks the admin's venue row for an edit; ownership is part of the where. */
export async function lockVenueOfAdmin(tx: DbOrTx, accountId: string) {
  const [row] = await tx.select(venueColumns).from(venues).where(eq(venues.adminAccountId, accountId)).for('update');
  return row ?? null;
}

export async function venueByInviteCode(db: DbOrTx, inviteCode: string) {
  const [row] = await db
    .select({
      id: venues.id,
      name: venues.name,
      type: venues.type,
      townshipCode: venues.townshipCode,
      bindingMode: venues.bindingMode,
      adminAccountId: venues.adminAccountId,
    })
    .from(venues)
    .where(eq(venues.inviteCode, inviteCode));
  return row ?? null;
}

export async function updateVenueInfo(tx: DbOrTx, venueId: string, info: VenueInfo) {
  await tx.update(venues).set(info).where(eq(venues.id, venueId));
}

export async function setVenueBindingMode(tx: DbOrTx, venueId: string, mode: 'approval' | 'immediate') {
  await tx.update(venues).set({ bindingMode: mode }).where(eq(venues.id, venueId));
}

export async function setVenueAdmin(tx: DbOrTx, venueId: string, accountId: string) {
  await tx.update(venues).set({ adminAccountId: accountId }).where(eq(venues.id, venueId));
}

export async function lastInfoEditSince(db: DbOrTx, venueId: string, since: Date) {
  const [row] = await db
    .select({ editedAt: venueInfoEdits.editedAt })
    .from(venueInfoEdits)
    .where(and(eq(venueInfoEdits.venueId, venueId), gte(venueInfoEdits.editedAt, since)))
    .orderBy(sql`${venueInfoEdits.editedAt} desc`)
    .limit(1);
  return row ?? null;
}

export async function insertInfoEdit(
  tx: DbOrTx,
  values: { venueId: string; editedByAccountId: string; editedAt: Date; before: VenueInfo; after: VenueInfo },
) {
  await tx.insert(venueInfoEdits).values({ ...values, before: JSON.stringify(values.before), after: JSON.stringify(values.after) });
}
