import 'server-only';
import type { Db, Tx } from '@/db';
import { lockVenueOfAdmin } from '@/db/queries/venues';

export type AdminVenue = NonNullable<Awaited<ReturnType<typeof lockVenueOfAdmin>>>;
export type NotAdmin = { ok: false; reason: 'not_admin' };

/**
 * Every change an admin makes to their venue: inside one transaction, the venue row of which the actor is
 * admin NOW, locked FOR UPDATE, then the change. An admin replaced at this moment (the acceptance updates
 * the same row) either finished first — and then this finds no venue: 'not_admin' — or waits for it.
 */
export function asVenueAdmin<R>(
  db: Db,
  actor: { accountId: string },
  change: (tx: Tx, venue: AdminVenue) => Promise<R>,
): Promise<R | NotAdmin> {
  return db.transaction(async (tx): Promise<R | NotAdmin> => {
    const venue = await lockVenueOfAdmin(tx, actor.accountId);
    if (!venue) return { ok: false, reason: 'not_admin' };
    return change(tx, venue);
  });
}
