import 'server-only';
import type { DbOrTx } from '@/db';
import { insertNotice, notifyNotice } from '@/db/queries/notices';

// The inbox's notices that venue services make, each in the transaction of its cause and exactly once
// (notices.source). Fevers and red codes come from the door's outbox instead (db/queries/notices.ts).

type Venue = { id: string; name: string };

/**
 * The account became a venue's admin (registered it, accepted an invitation, an official's rebind): its
 * open inbox streams start following that venue's notices now, not at their next 30 s look-up.
 */
export const announceAdminOf = (tx: DbOrTx, accountId: string) => notifyNotice(tx, { a: accountId });

/** V8: a checker asked to join a venue that approves bindings: to the venue's admin of the moment. */
export function noticeCheckerPending(tx: DbOrTx, venue: Venue, binding: { id: string; displayName: string }, now: Date) {
  return insertNotice(tx, {
    kind: 'checker_pending',
    to: { venueId: venue.id },
    // The checker is staff: the display name they gave, as on 成员管理; no phone.
    params: { checker: binding.displayName, venueName: venue.name, bindingId: binding.id },
    source: `binding:${binding.id}:pending`,
    at: now,
  });
}

/** V7: an admin-replacement invitation, to the invited phone (its account may not exist yet). */
export function noticeAdminInvitation(tx: DbOrTx, venue: Venue, invitation: { id: string; phone: string; expiresAt: Date }, now: Date) {
  return insertNotice(tx, {
    kind: 'admin_invitation',
    to: { phone: invitation.phone },
    params: { venueName: venue.name, invitationId: invitation.id, expiresAt: invitation.expiresAt.toISOString() },
    source: `invitation:${invitation.id}`,
    at: now,
  });
}

export type BindingOutcome = 'approved' | 'rejected' | 'removed';

/**
 * V8: the admin approved, rejected or removed a checker: to the checker's account. A rejection is a
 * `binding_removed` notice saying "not approved" (the request ended before it was a binding).
 */
export function noticeBindingChanged(
  tx: DbOrTx,
  venue: Venue,
  binding: { id: string; accountId: string },
  outcome: BindingOutcome,
  now: Date,
) {
  return insertNotice(tx, {
    kind: outcome === 'approved' ? 'binding_approved' : 'binding_removed',
    to: { accountId: binding.accountId },
    params: { venueName: venue.name, outcome },
    source: `binding:${binding.id}:${outcome}`,
    at: now,
  });
}
