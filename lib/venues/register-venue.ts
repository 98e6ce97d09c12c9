import 'server-only';
import type { Db } from '@/db';
import { isUniqueViolation } from '@/db/errors';
import { appendAudit } from '@/db/queries/audit';
import { announceAdminOf } from '@/lib/notices/create';
import { insertVenue, venueOfAdmin } from '@/db/queries/venues';
import { generateInviteCode } from './invite-code';
import { validateVenueInfo, type VenueField, type VenueFieldError } from './venue-info';

export type RegisterVenueResult =
  | { ok: true; venueId: string; inviteCode: string }
  | { ok: false; errors: Partial<Record<VenueField, VenueFieldError>> }
  | { ok: false; reason: 'already_admin' };

/**
 * Any account that is not already an admin registers a venue and becomes its admin (V2, V4). The
 * database's unique index on the admin column is the real guard; a race loses with the same message.
 */
export async function registerVenue(db: Db, actor: { accountId: string }, input: Record<string, unknown>): Promise<RegisterVenueResult> {
  const valid = validateVenueInfo(input);
  if (!valid.ok) return valid;
  if (await venueOfAdmin(db, actor.accountId)) return { ok: false, reason: 'already_admin' };
  for (let attempt = 0; attempt < 5; attempt++) {
    const inviteCode = generateInviteCode();
    try {
      return await db.transaction(async (tx) => {
        const venueId = await insertVenue(tx, { ...valid.info, inviteCode, adminAccountId: actor.accountId });
        const details = { type: valid.info.type, townshipCode: valid.info.townshipCode };
        await appendAudit(tx, {
          actorAccountId: actor.accountId,
          action: 'venue.register',
          targetType: 'venue',
          targetId: venueId,
          venueId,
          details,
        });
        await announceAdminOf(tx, actor.accountId);
        return { ok: true as const, venueId, inviteCode };
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      if (await venueOfAdmin(db, actor.accountId)) return { ok: false, reason: 'already_admin' };
      // Otherwise the invite code collided (about one in 10^12): draw another.
    }
  }
  throw new Error('could not draw a unique invite code');
}
