import 'server-only';
import type { Db } from '@/db';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { entrancesOfVenue } from '@/db/queries/entrances';
import { venueById } from '@/db/queries/venues';
import { maskPhone } from '@/lib/auth/phone';
import { isUuid } from '@/lib/utils/uuid';
import { venueClosedFor } from './venue-closed';

/** An open entrance the checker may pick (name null: the main entrance, shown as 主入口 in the reader's language). */
export type DoorEntrance = { id: string; name: string | null; isMain: boolean };
export type DoorContext = {
  account: { id: string; phoneMasked: string };
  venue: { id: string; name: string };
  /** The venue's open entrances, the main one first. Absent in a context a device stored before entrances existed. */
  entrances?: DoorEntrance[];
};

/**
 * What the scanner's offline shell keeps on the device: who is checking (so queued records are sent
 * only under that account) and where. Only for an active checker of the venue now.
 */
export async function doorContext(
  db: Db,
  actor: { accountId: string; phone: string },
  venueId: unknown,
  now = new Date(),
): Promise<{ ok: true; context: DoorContext } | { ok: false; status: 400 | 403; error: string }> {
  if (!isUuid(venueId)) return { ok: false, status: 400, error: 'invalid' };
  const [active, venue, open] = await Promise.all([
    wasActiveCheckerAt(db, venueId, actor.accountId, now),
    venueById(db, venueId),
    entrancesOfVenue(db, venueId),
  ]);
  if (!venue) return { ok: false, status: 403, error: 'not_checker' };
  // SPEC L3: its checkers are told the venue closed (anyone else still hears not_checker).
  if (!active && (await venueClosedFor(db, venueId, actor.accountId))) return { ok: false, status: 403, error: 'venue_closed' };
  if (!active) return { ok: false, status: 403, error: 'not_checker' };
  const entrances = open.map((e) => ({ id: e.id, name: e.name, isMain: e.isMain }));
  return {
    ok: true,
    context: {
      account: { id: actor.accountId, phoneMasked: maskPhone(actor.phone) },
      venue: { id: venue.id, name: venue.name },
      entrances,
    },
  };
}
