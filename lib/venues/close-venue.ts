import 'server-only';
import type { Db } from '@/db';
import { cancelPendingReplacements } from '@/db/queries/admin-replacements';
import { stopVenueAlerts } from '@/db/queries/alerts';
import { appendAudit } from '@/db/queries/audit';
import { bindingsOfVenue, endBinding } from '@/db/queries/checker-bindings';
import { insertNotice } from '@/db/queries/notices';
import { lockVenueOfAdminById, markVenueClosed, markVenueReopened, venueOfAdmin } from '@/db/queries/venues';
import { announceRevocation } from '@/lib/live/revocations';
import { announceAdminOf } from '@/lib/notices/create';
import { normaliseText } from '@/lib/text/normalise';
import { asVenueAdmin } from './admin-venue';

/** SPEC L3: a closed venue may be reopened by its admin within this many days (the same code works again). */
export const REOPEN_WINDOW_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

type Actor = { accountId: string };

export type CloseResult =
  | { ok: true; venueId: string; closedAt: string; bindingsEnded: number }
  | { ok: false; reason: 'not_admin' | 'name_required' | 'name_mismatch' };

/** The typed confirmation as the name is compared: the one text normaliser, then exact. */
const typedName = (input: unknown) => {
  const n = normaliseText(input);
  return n.ok ? n.text : null;
};

/**
 * 关闭场所 (SPEC L3), in one transaction with the admin's open venue locked FOR UPDATE (asVenueAdmin): the
 * admin types the venue's name to confirm; every open binding (active and pending) ends 'venue_closed'
 * through the one end-of-binding path (endBinding: the door's lock, the instant stamped); the venue's
 * closed_at is the latest of those instants (so every binding ended by then, and a door record effective
 * before it was taken by a bound checker); a pending admin replacement is cancelled; unsent texts are
 * given up; each checker is told in the inbox; one audit row. The invite code stays on the row: it is
 * printed, so it is never handed to another venue (codes are unique), and it answers 已关闭 from now on.
 */
export async function closeVenue(db: Db, actor: Actor, input: { confirmName: unknown }, now = new Date()): Promise<CloseResult> {
  const typed = typedName(input.confirmName);
  return asVenueAdmin(db, actor, async (tx, venue): Promise<CloseResult> => {
    if (!typed) return { ok: false, reason: 'name_required' };
    if (typed !== (typedName(venue.name) ?? venue.name)) return { ok: false, reason: 'name_mismatch' };
    const open = await bindingsOfVenue(tx, venue.id);
    const instants: string[] = [];
    for (const b of open) {
      const at = await endBinding(tx, b.id, now, actor.accountId, 'venue_closed');
      if (at) instants.push(at);
    }
    // The closure's instant: not before now, the database's clock, nor any binding's end.
    const closedAt = await markVenueClosed(tx, venue.id, now, instants, actor.accountId);
    const cancelled = await cancelPendingReplacements(tx, venue.id, now);
    await stopVenueAlerts(tx, venue.id);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'venue.close',
      targetType: 'venue',
      targetId: venue.id,
      venueId: venue.id,
      details: { closedAt, bindingsEnded: open.length, replacementsCancelled: cancelled.length },
      at: now,
    });
    for (const b of open) {
      await insertNotice(tx, {
        kind: 'venue_closed',
        to: { accountId: b.accountId },
        params: { venueName: venue.name },
        source: `binding:${b.id}:venue_closed`,
        at: now,
      });
      await announceRevocation(tx, { a: b.accountId, v: venue.id, r: 'checker', why: 'venue_closed' });
    }
    await announceRevocation(tx, { a: actor.accountId, v: venue.id, r: 'admin', why: 'venue_closed' });
    return { ok: true, venueId: venue.id, closedAt, bindingsEnded: open.length };
  });
}

export type ReopenResult = { ok: true } | { ok: false; reason: 'not_found' | 'not_closed' | 'reopen_expired' | 'has_open_venue' };

/** Until when a venue closed at `closedAt` may be reopened. */
export const reopenDeadline = (closedAt: Date) => new Date(closedAt.getTime() + REOPEN_WINDOW_DAYS * DAY_MS);

/**
 * 重新开放 (SPEC L3): the venue's admin (the one of the row: a replaced admin is not), within 30 days of
 * the closure, with no other open venue (the partial unique index is the real guard; a race loses as
 * 'conflict'). The same invite code works again; the bindings do not come back (checkers bind again,
 * removed ones stay blocked: checker_removals is untouched). Audited.
 */
export async function reopenVenue(db: Db, actor: Actor, venueId: string, now = new Date()): Promise<ReopenResult> {
  return db.transaction(async (tx): Promise<ReopenResult> => {
    const venue = await lockVenueOfAdminById(tx, actor.accountId, venueId);
    if (!venue) return { ok: false, reason: 'not_found' };
    if (!venue.closedAt) return { ok: false, reason: 'not_closed' };
    // Reopened only by the admin who closed it (SPEC L3): an admin an official bound to the closed venue
    // afterwards reads its statistics but does not bring its printed code back to life.
    if (venue.closedByAccountId !== actor.accountId) return { ok: false, reason: 'not_found' };
    if (now >= reopenDeadline(venue.closedAt)) return { ok: false, reason: 'reopen_expired' };
    if (await venueOfAdmin(tx, actor.accountId)) return { ok: false, reason: 'has_open_venue' };
    await markVenueReopened(tx, venue.id);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'venue.reopen',
      targetType: 'venue',
      targetId: venue.id,
      venueId: venue.id,
      details: { closedAt: venue.closedAt.toISOString() },
      at: now,
    });
    await announceAdminOf(tx, actor.accountId);
    return { ok: true };
  });
}
