import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { accountById, findOrCreateAccount } from '@/db/queries/accounts';
import {
  cancelPendingReplacements,
  insertReplacement,
  lockReplacement,
  pendingReplacementOfVenue,
  pendingReplacementsForPhone,
  resolveReplacement,
} from '@/db/queries/admin-replacements';
import { endBinding, openBinding } from '@/db/queries/checker-bindings';
import { isUniqueViolation } from '@/db/errors';
import { setVenueAdmin, venueById, venueByInviteCode, venueOfAdmin } from '@/db/queries/venues';
import { maskPhone, normalizePhone } from '@/lib/auth/phone';
import { authorizeOfficial } from '@/lib/officials/capabilities';
import { announceRevocation } from '@/lib/live/revocations';
import { announceAdminOf, noticeAdminInvitation } from '@/lib/notices/create';
import { normaliseText } from '@/lib/text/normalise';
import { asVenueAdmin } from './admin-venue';
import { normalizeInviteCode } from './invite-code';

export const REPLACEMENT_TTL_HOURS = 72;
type Actor = { accountId: string; phone: string };

/** V4/V7: the admin invites the new admin by phone; the binding moves only when they accept. */
export async function startAdminReplacement(db: Db, actor: Actor, rawPhone: string, now = new Date()) {
  const phone = normalizePhone(rawPhone);
  if (!phone) return { ok: false as const, reason: 'invalid_phone' as const };
  if (phone === actor.phone) return { ok: false as const, reason: 'self' as const };
  // The venue row lock serialises two starts (a double tap): the later one replaces the earlier.
  return asVenueAdmin(db, actor, async (tx, venue) => {
    await cancelPendingReplacements(tx, venue.id, now);
    const expiresAt = new Date(now.getTime() + REPLACEMENT_TTL_HOURS * 3_600_000);
    const invitation = { venueId: venue.id, fromAccountId: actor.accountId, toPhone: phone, createdAt: now, expiresAt };
    const id = await insertReplacement(tx, invitation);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'venue.admin_replacement.start',
      targetType: 'venue',
      targetId: venue.id,
      venueId: venue.id,
      details: { invitationId: id },
      at: now,
    });
    await noticeAdminInvitation(tx, venue, { id, phone, expiresAt }, now);
    return { ok: true as const, invitationId: id };
  });
}

export async function cancelAdminReplacement(db: Db, actor: Actor, now = new Date()) {
  return asVenueAdmin(db, actor, async (tx, venue) => {
    const cancelled = await cancelPendingReplacements(tx, venue.id, now);
    if (cancelled.length === 0) return { ok: false as const, reason: 'none_pending' as const };
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'venue.admin_replacement.cancel',
      targetType: 'venue',
      targetId: venue.id,
      venueId: venue.id,
      at: now,
    });
    return { ok: true as const };
  });
}

export const pendingReplacementOfMyVenue = async (db: Db, actor: Actor, now = new Date()) => {
  const venue = await venueOfAdmin(db, actor.accountId);
  return venue ? pendingReplacementOfVenue(db, venue.id, now) : null;
};

/** Invitations waiting for this account to accept (shown in its 我的场所). */
export const myAdminInvitations = (db: Db, actor: Actor, now = new Date()) => pendingReplacementsForPhone(db, actor.phone, now);

export type AcceptResult = { ok: true; venueId: string } | { ok: false; reason: 'not_found' | 'expired' | 'not_pending' | 'already_admin' };

/**
 * The new admin accepts: in one transaction the venue's admin changes and the old admin loses access
 * (access is checked against the venue's admin column on every request). If the new admin was a
 * checker of this venue, that binding ends: one person is not both at one venue.
 */
export async function acceptAdminReplacement(db: Db, actor: Actor, invitationId: string, now = new Date()): Promise<AcceptResult> {
  try {
    return await acceptInTransaction(db, actor, invitationId, now);
  } catch (error) {
    // Accepting two venues at once: the unique index on the admin column lets only one through.
    if (isUniqueViolation(error)) return { ok: false, reason: 'already_admin' };
    throw error;
  }
}

function acceptInTransaction(db: Db, actor: Actor, invitationId: string, now: Date): Promise<AcceptResult> {
  return db.transaction(async (tx): Promise<AcceptResult> => {
    const invitation = await lockReplacement(tx, invitationId);
    if (!invitation || invitation.toPhone !== actor.phone) return { ok: false, reason: 'not_found' };
    if (invitation.status !== 'pending') return { ok: false, reason: 'not_pending' };
    if (invitation.expiresAt <= now) return { ok: false, reason: 'expired' };
    if (await venueOfAdmin(tx, actor.accountId)) return { ok: false, reason: 'already_admin' };
    await setVenueAdmin(tx, invitation.venueId, actor.accountId);
    await resolveReplacement(tx, invitation.id, 'accepted', now);
    const binding = await openBinding(tx, invitation.venueId, actor.accountId);
    if (binding) await endBinding(tx, binding.id, now, actor.accountId, 'became_admin');
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'venue.admin_replacement.accept',
      targetType: 'venue',
      targetId: invitation.venueId,
      venueId: invitation.venueId,
      details: { from: invitation.fromAccountId, invitationId: invitation.id },
      at: now,
    });
    // The inviting admin is the admin until now (a newer invitation or a rebind cancels this one).
    await announceRevocation(
      tx,
      { a: invitation.fromAccountId, v: invitation.venueId, r: 'admin', why: 'admin_replaced' },
      { a: actor.accountId, v: invitation.venueId, r: 'checker', why: 'became_admin' },
    );
    await announceAdminOf(tx, actor.accountId);
    return { ok: true, venueId: invitation.venueId };
  });
}

/** A health official rebinds a venue's admin (the admin lost their phone), with a reason, audited. */
export async function rebindAdminByOfficial(
  db: Db,
  actor: { accountId: string },
  input: { venueId: string; phone: string; reason: string },
  now = new Date(),
) {
  const official = await authorizeOfficial(db, actor.accountId, 'rebind_admin', { none: true });
  if (!official.ok) return official;
  const phone = normalizePhone(input.phone);
  if (!phone) return { ok: false as const, reason: 'invalid_phone' as const };
  const typed = normaliseText(input.reason, { multiline: true });
  if (!typed.ok) return { ok: false as const, reason: typed.error };
  const reason = Array.from(typed.text).slice(0, 500).join('');
  if (!reason) return { ok: false as const, reason: 'reason_required' as const };
  const venue = await venueById(db, input.venueId);
  if (!venue) return { ok: false as const, reason: 'not_found' as const };
  // SPEC T1: only a venue inside the official's region (lib/officials/capabilities.ts).
  const inside = await authorizeOfficial(db, actor.accountId, 'rebind_admin', { venue: venue.id });
  if (!inside.ok) return inside;
  try {
    return await rebindInTransaction(db, actor, venue, phone, reason, now);
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false as const, reason: 'already_admin' as const };
    throw error;
  }
}

function rebindInTransaction(
  db: Db,
  actor: { accountId: string },
  venue: { id: string; adminAccountId: string },
  phone: string,
  reason: string,
  now: Date,
) {
  return db.transaction(async (tx) => {
    const account = await findOrCreateAccount(tx, phone);
    if (account.id === venue.adminAccountId) return { ok: false as const, reason: 'same_admin' as const };
    if (await venueOfAdmin(tx, account.id)) return { ok: false as const, reason: 'already_admin' as const };
    await cancelPendingReplacements(tx, venue.id, now);
    await setVenueAdmin(tx, venue.id, account.id);
    const binding = await openBinding(tx, venue.id, account.id);
    if (binding) await endBinding(tx, binding.id, now, actor.accountId, 'became_admin');
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'venue.admin_rebind',
      targetType: 'venue',
      targetId: venue.id,
      venueId: venue.id,
      reason,
      details: { from: venue.adminAccountId, to: account.id, reason },
      at: now,
    });
    await announceRevocation(
      tx,
      { a: venue.adminAccountId, v: venue.id, r: 'admin', why: 'admin_replaced' },
      { a: account.id, v: venue.id, r: 'checker', why: 'became_admin' },
    );
    await announceAdminOf(tx, account.id);
    return { ok: true as const };
  });
}

/** An official finds a venue by its printed invite code, to rebind its admin. */
export async function findVenueForOfficial(db: Db, actor: { accountId: string }, inviteCode: string) {
  const official = await authorizeOfficial(db, actor.accountId, 'rebind_admin', { none: true });
  if (!official.ok) return official;
  const code = normalizeInviteCode(inviteCode);
  const venue = code ? await venueByInviteCode(db, code) : null;
  if (!venue) return { ok: false as const, reason: 'unknown_code' as const };
  const inside = await authorizeOfficial(db, actor.accountId, 'rebind_admin', { venue: venue.id });
  if (!inside.ok) return inside;
  const admin = await accountById(db, venue.adminAccountId);
  return {
    ok: true as const,
    venue: {
      id: venue.id,
      name: venue.name,
      type: venue.type,
      townshipCode: venue.townshipCode,
      adminMaskedPhone: admin ? maskPhone(admin.phone) : '',
      // SPEC L3: a closed venue is found too (its records stay for officials), marked as closed.
      closedAt: venue.closedAt ? venue.closedAt.toISOString() : null,
    },
  };
}
