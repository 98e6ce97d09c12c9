import 'server-only';
import { and, desc, eq, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
import { accounts, checkerBindings, checkerRemovals, venues } from '@/db/schema';

export async function openBinding(db: DbOrTx, venueId: string, accountId: string) {
  const [row] = await db
    .select({ id: checkerBindings.id, boundFrom: checkerBindings.boundFrom })
    .from(checkerBindings)
    .where(and(eq(checkerBindings.venueId, venueId), eq(checkerBindings.accountId, accountId), isNull(checkerBindings.unboundAt)));
  return row ?? null;
}

export async function activeRemoval(db: DbOrTx, venueId: string, accountId: string) {
  const [row] = await db
    .select({ id: checkerRemovals.id })
    .from(checkerRemovals)
    .where(and(eq(checkerRemovals.venueId, venueId), eq(checkerRemovals.accountId, accountId), isNull(checkerRemovals.allowedAgainAt)));
  return row ?? null;
}

export async function insertBinding(
  tx: DbOrTx,
  values: {
    venueId: string;
    accountId: string;
    displayName: string;
    requestedAt: Date;
    boundFrom: Date | null;
    approvedByAccountId: string | null;
  },
) {
  const [row] = await tx.insert(checkerBindings).values(values).returning({ id: checkerBindings.id });
  return row.id;
}

/** A binding of this venue, locked for a change by its admin (ownership in the where). */
export async function lockBindingOfVenue(tx: DbOrTx, venueId: string, bindingId: string) {
  const [row] = await tx
    .select()
    .from(checkerBindings)
    .where(and(eq(checkerBindings.id, bindingId), eq(checkerBindings.venueId, venueId)))
    .for('update');
  return row ?? null;
}

export async function activateBinding(tx: DbOrTx, bindingId: string, at: Date, approvedBy: string) {
  await tx.update(checkerBindings).set({ boundFrom: at, approvedByAccountId: approvedBy }).where(eq(checkerBindings.id, bindingId));
}

/**
 * The instant a binding of (venue, checker) ends, with the lock that makes it one instant for the door:
 * takes `checker:<venue>:<account>` exclusively in the caller's transaction (the door's checkin_insert
 * takes it shared, migration 0015), so a door write in flight finishes first and one after it waits; then,
 * in a statement of its own (its snapshot sees what the lock waited for), the instant to stamp: the app's
 * now, the database's clock, and just after the checker's latest stored record at the venue (one probe
 * of checkins_checker_idx) — whichever is latest. Every stored record is before it; a record effective
 * after it is refused `not_checker`. As ISO text with microseconds (a JS Date would drop them).
 */
export async function lockCheckerEndInstant(tx: DbOrTx, venueId: string, accountId: string, now: Date): Promise<string> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('checker:' || ${venueId}::uuid || ':' || ${accountId}::uuid, 0))`);
  const [row] = rowsOf<{ at: string }>(
    await tx.execute(sql`
      select to_char(greatest(${now.toISOString()}::timestamptz, clock_timestamp(),
                              (select max(c.effective_at) + interval '1 microsecond' from checkins c
                                where c.venue_id = ${venueId}::uuid and c.checker_account_id = ${accountId}::uuid))
                       at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at`),
  );
  return row.at;
}

/**
 * Ends a binding (removed, rejected, unbound by the checker, the checker became the admin, the venue
 * closed) at one instant
 * with the door (lockCheckerEndInstant). Every end of a binding comes through here. Returns the instant
 * stamped, or null when the binding had already ended.
 */
export async function endBinding(
  tx: DbOrTx,
  bindingId: string,
  now: Date,
  by: string,
  reason: 'self' | 'removed' | 'rejected' | 'became_admin' | 'venue_closed' | 'account_deleted',
): Promise<string | null> {
  const [binding] = await tx
    .select({ venueId: checkerBindings.venueId, accountId: checkerBindings.accountId })
    .from(checkerBindings)
    .where(eq(checkerBindings.id, bindingId));
  if (!binding) return null;
  const at = await lockCheckerEndInstant(tx, binding.venueId, binding.accountId, now);
  const rows = await tx
    .update(checkerBindings)
    .set({ unboundAt: sql`${at}::timestamptz`, unboundByAccountId: by, endReason: reason })
    .where(and(eq(checkerBindings.id, bindingId), isNull(checkerBindings.unboundAt)))
    .returning({ id: checkerBindings.id });
  return rows.length > 0 ? at : null;
}

export async function insertRemoval(
  tx: DbOrTx,
  values: { venueId: string; accountId: string; displayName: string; removedAt: Date; removedByAccountId: string },
) {
  await tx.insert(checkerRemovals).values(values).onConflictDoNothing();
}

export async function clearRemoval(tx: DbOrTx, venueId: string, removalId: string, at: Date, by: string) {
  const rows = await tx
    .update(checkerRemovals)
    .set({ allowedAgainAt: at, allowedAgainByAccountId: by })
    .where(and(eq(checkerRemovals.id, removalId), eq(checkerRemovals.venueId, venueId), isNull(checkerRemovals.allowedAgainAt)))
    .returning({ accountId: checkerRemovals.accountId });
  return rows[0] ?? null;
}

/** 成员管理: the venue's open bindings (pending and active). Staff are shown by display name and a masked phone. */
export async function bindingsOfVenue(db: DbOrTx, venueId: string) {
  return db
    .select({
      id: checkerBindings.id,
      accountId: checkerBindings.accountId,
      displayName: checkerBindings.displayName,
      phone: accounts.phone,
      requestedAt: checkerBindings.requestedAt,
      boundFrom: checkerBindings.boundFrom,
    })
    .from(checkerBindings)
    .innerJoin(accounts, eq(accounts.id, checkerBindings.accountId))
    .where(and(eq(checkerBindings.venueId, venueId), isNull(checkerBindings.unboundAt)))
    .orderBy(desc(checkerBindings.requestedAt));
}

export async function removalsOfVenue(db: DbOrTx, venueId: string) {
  return db
    .select({
      id: checkerRemovals.id,
      displayName: checkerRemovals.displayName,
      phone: accounts.phone,
      removedAt: checkerRemovals.removedAt,
    })
    .from(checkerRemovals)
    .innerJoin(accounts, eq(accounts.id, checkerRemovals.accountId))
    .where(and(eq(checkerRemovals.venueId, venueId), isNull(checkerRemovals.allowedAgainAt)))
    .orderBy(desc(checkerRemovals.removedAt));
}

/** The checker's own open bindings, with the venue's public details. */
export async function bindingsOfAccount(db: DbOrTx, accountId: string) {
  return db
    .select({
      bindingId: checkerBindings.id,
      venueId: venues.id,
      venueName: venues.name,
      venueType: venues.type,
      townshipCode: venues.townshipCode,
      displayName: checkerBindings.displayName,
      boundFrom: checkerBindings.boundFrom,
      requestedAt: checkerBindings.requestedAt,
    })
    .from(checkerBindings)
    .innerJoin(venues, eq(venues.id, checkerBindings.venueId))
    .where(and(eq(checkerBindings.accountId, accountId), isNull(checkerBindings.unboundAt)))
    .orderBy(desc(checkerBindings.requestedAt));
}

/** Was this account an active (approved, not yet unbound) checker of this venue at that moment? */
export async function wasActiveCheckerAt(db: DbOrTx, venueId: string, accountId: string, at: Date): Promise<boolean> {
  const [row] = await db
    .select({ id: checkerBindings.id })
    .from(checkerBindings)
    .where(
      and(
        eq(checkerBindings.venueId, venueId),
        eq(checkerBindings.accountId, accountId),
        isNotNull(checkerBindings.boundFrom),
        lte(checkerBindings.boundFrom, at),
        or(isNull(checkerBindings.unboundAt), gt(checkerBindings.unboundAt, at)),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** The display name a checker gave the venue (their latest binding there). */
export async function displayNameAt(db: DbOrTx, venueId: string, accountId: string) {
  const [row] = await db
    .select({ displayName: checkerBindings.displayName })
    .from(checkerBindings)
    .where(and(eq(checkerBindings.venueId, venueId), eq(checkerBindings.accountId, accountId)))
    .orderBy(desc(checkerBindings.requestedAt))
    .limit(1);
  return row?.displayName ?? null;
}

/**
 * SPEC L3: was this account bound to the venue until its closure (its binding ended 'venue_closed')?
 * Only they are told "the venue is closed" at the door; anyone else still hears not_checker.
 */
export async function endedByClosure(db: DbOrTx, venueId: string, accountId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: checkerBindings.id })
    .from(checkerBindings)
    .where(
      and(eq(checkerBindings.venueId, venueId), eq(checkerBindings.accountId, accountId), eq(checkerBindings.endReason, 'venue_closed')),
    )
    .limit(1);
  return Boolean(row);
}

/** The checker's bindings that ended because the venue closed (and it is closed still), newest first. */
export async function closedVenueBindingsOfAccount(db: DbOrTx, accountId: string, since: Date) {
  return db
    .select({
      bindingId: checkerBindings.id,
      venueId: venues.id,
      venueName: venues.name,
      venueType: venues.type,
      townshipCode: venues.townshipCode,
      closedAt: venues.closedAt,
    })
    .from(checkerBindings)
    .innerJoin(venues, eq(venues.id, checkerBindings.venueId))
    .where(
      and(
        eq(checkerBindings.accountId, accountId),
        eq(checkerBindings.endReason, 'venue_closed'),
        isNotNull(venues.closedAt),
        gt(checkerBindings.unboundAt, since),
      ),
    )
    .orderBy(desc(checkerBindings.unboundAt));
}
