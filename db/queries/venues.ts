import 'server-only';
import { and, desc, eq, gte, isNotNull, isNull, or, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
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
  closedAt: venues.closedAt,
  closedByAccountId: venues.closedByAccountId,
};

export async function insertVenue(tx: DbOrTx, values: VenueInfo & { inviteCode: string; adminAccountId: string }) {
  const [row] = await tx.insert(venues).values(values).returning({ id: venues.id });
  // Every venue has its main entrance (主入口) from the start: records without a named entrance are taken there.
  await tx.insert(venueEntrances).values({ venueId: row.id, isMain: true });
  return row.id;
}

/** The OPEN venue an account administers (at most one, SPEC L3: its closed venues are apart). */
export async function venueOfAdmin(db: DbOrTx, accountId: string) {
  const [row] = await db
    .select(venueColumns)
    .from(venues)
    .where(and(eq(venues.adminAccountId, accountId), isNull(venues.closedAt)));
  return row ?? null;
}

/** A venue this account administers, open or closed, by id (a closed venue's statistics stay readable). */
export async function venueOfAdminById(db: DbOrTx, accountId: string, venueId: string, closedSince?: Date) {
  const [row] = await db
    .select(venueColumns)
    .from(venues)
    .where(
      and(
        eq(venues.id, venueId),
        eq(venues.adminAccountId, accountId),
        closedSince ? or(isNull(venues.closedAt), gte(venues.closedAt, closedSince)) : undefined,
      ),
    );
  return row ?? null;
}

/** The account's venues closed since `closedSince` (within the retention period), the latest closed first. */
export async function closedVenuesOfAdmin(db: DbOrTx, accountId: string, closedSince: Date) {
  return db
    .select(venueColumns)
    .from(venues)
    .where(and(eq(venues.adminAccountId, accountId), isNotNull(venues.closedAt), gte(venues.closedAt, closedSince)))
    .orderBy(desc(venues.closedAt));
}

/** Locks one of the account's venues (open or closed) for a change of its state; ownership in the where. */
export async function lockVenueOfAdminById(tx: DbOrTx, accountId: string, venueId: string) {
  const [row] = await tx
    .select(venueColumns)
    .from(venues)
    .where(and(eq(venues.id, venueId), eq(venues.adminAccountId, accountId)))
    .for('update');
  return row ?? null;
}

/**
 * A binding's view of the venue, read FOR SHARE: a closure in flight (FOR UPDATE) finishes first, so no
 * binding is opened at a venue that has just closed.
 */
export async function shareLockVenue(tx: DbOrTx, venueId: string) {
  const [row] = await tx
    .select({ id: venues.id, closedAt: venues.closedAt, adminAccountId: venues.adminAccountId, bindingMode: venues.bindingMode })
    .from(venues)
    .where(eq(venues.id, venueId))
    .for('share');
  return row ?? null;
}

/**
 * SPEC L3: closes the venue at the latest of the app's now, the database's clock and the instants its
 * bindings were ended at (so every binding ended by then). Returns that instant as ISO text with microseconds.
 */
export async function markVenueClosed(tx: DbOrTx, venueId: string, now: Date, bindingEnds: string[], by: string): Promise<string> {
  const ends = bindingEnds.length
    ? sql`greatest(${sql.join(
        bindingEnds.map((i) => sql`${i}::timestamptz`),
        sql`, `,
      )})`
    : sql`null::timestamptz`;
  const [row] = rowsOf<{ at: string }>(
    await tx.execute(sql`
      update venues set closed_at = greatest(${now.toISOString()}::timestamptz, clock_timestamp(), ${ends}),
                        closed_by_account_id = ${by}::uuid
       where id = ${venueId}::uuid
   returning to_char(closed_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`),
  );
  return row.at;
}

/** SPEC L3: a closed venue opens again (the same row, the same invite code). */
export async function markVenueReopened(tx: DbOrTx, venueId: string) {
  await tx.update(venues).set({ closedAt: null, closedByAccountId: null }).where(eq(venues.id, venueId));
}

export async function venueById(db: DbOrTx, venueId: string) {
  const [row] = await db.select(venueColumns).from(venues).where(eq(venues.id, venueId));
  return row ?? null;
}

/** Locks the admin's open venue row for an edit; ownership is part of the where. */
export async function lockVenueOfAdmin(tx: DbOrTx, accountId: string) {
  const [row] = await tx
    .select(venueColumns)
    .from(venues)
    .where(and(eq(venues.adminAccountId, accountId), isNull(venues.closedAt)))
    .for('update');
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
      closedAt: venues.closedAt,
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
