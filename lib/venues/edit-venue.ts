import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { insertInfoEdit, lastInfoEditSince, setVenueBindingMode, updateVenueInfo } from '@/db/queries/venues';
import { startOfChinaWeek, startOfNextChinaWeek } from '@/lib/time';
import { asVenueAdmin } from './admin-venue';
import { validateVenueInfo, type VenueField, type VenueFieldError } from './venue-info';

export type EditVenueResult =
  | { ok: true }
  | { ok: false; errors: Partial<Record<VenueField, VenueFieldError>> }
  | { ok: false; reason: 'not_admin' | 'unchanged' }
  | { ok: false; reason: 'weekly_limit'; nextAllowedAt: Date };

/** When the admin may next edit: now, or the start of next natural week (Monday 00:00 CST). */
export async function nextInfoEditAllowedAt(db: Db, venueId: string, now = new Date()): Promise<Date | null> {
  return (await lastInfoEditSince(db, venueId, startOfChinaWeek(now))) ? startOfNextChinaWeek(now) : null;
}

/**
 * V6: region, address, type, name and contact phone change at most once per natural week (Monday
 * 00:00 to Sunday 24:00, China Standard Time). The invite code is not editable (a trigger guards it).
 */
export async function editVenueInfo(
  db: Db,
  actor: { accountId: string },
  input: Record<string, unknown>,
  now = new Date(),
): Promise<EditVenueResult> {
  const valid = validateVenueInfo(input);
  if (!valid.ok) return valid;
  // The row lock serialises two edits of the same venue, so both cannot pass the weekly check.
  return asVenueAdmin(db, actor, async (tx, venue): Promise<EditVenueResult> => {
    if (await lastInfoEditSince(tx, venue.id, startOfChinaWeek(now)))
      return { ok: false, reason: 'weekly_limit', nextAllowedAt: startOfNextChinaWeek(now) };
    const before = {
      name: venue.name,
      type: venue.type,
      townshipCode: venue.townshipCode,
      address: venue.address,
      contactPhone: venue.contactPhone,
    };
    if (JSON.stringify(before) === JSON.stringify(valid.info)) return { ok: false, reason: 'unchanged' };
    await updateVenueInfo(tx, venue.id, valid.info);
    await insertInfoEdit(tx, { venueId: venue.id, editedByAccountId: actor.accountId, editedAt: now, before, after: valid.info });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'venue.edit',
      targetType: 'venue',
      targetId: venue.id,
      venueId: venue.id,
      at: now,
    });
    return { ok: true };
  });
}

/** V8: new bindings wait for approval by default; the admin may switch to immediate binding. */
export async function setBindingMode(db: Db, actor: { accountId: string }, mode: string, now = new Date()) {
  if (mode !== 'approval' && mode !== 'immediate') return { ok: false as const, reason: 'invalid' as const };
  return asVenueAdmin(db, actor, async (tx, venue) => {
    await setVenueBindingMode(tx, venue.id, mode);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'venue.binding_mode',
      targetType: 'venue',
      targetId: venue.id,
      venueId: venue.id,
      details: { mode },
      at: now,
    });
    return { ok: true as const };
  });
}
