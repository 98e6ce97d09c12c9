import 'server-only';
import type { Db } from '@/db';
import { isUniqueViolation } from '@/db/errors';
import { appendAudit } from '@/db/queries/audit';
import {
  activateBinding,
  activeRemoval,
  bindingsOfAccount,
  bindingsOfVenue,
  clearRemoval,
  closedVenueBindingsOfAccount,
  endBinding,
  insertBinding,
  insertRemoval,
  lockBindingOfVenue,
  openBinding,
  removalsOfVenue,
} from '@/db/queries/checker-bindings';
import { hitRateLimit } from '@/db/queries/rate-limits';
import { shareLockVenue, venueByInviteCode, venueOfAdmin } from '@/db/queries/venues';
import { keyedHash } from '@/lib/auth/keyed-hash';
import { maskPhone } from '@/lib/auth/phone';
import { announceRevocation } from '@/lib/live/revocations';
import { noticeBindingChanged, noticeCheckerPending } from '@/lib/notices/create';
import { normaliseText, textLength, type TextProblem } from '@/lib/text/normalise';
import { asVenueAdmin } from './admin-venue';
import { normalizeInviteCode } from './invite-code';

export type InviteLimits = { perAccountPerHour: number; perIpPerHour: number; secret: string };
type Actor = { accountId: string };

export type InviteLookup =
  | { ok: true; venue: { id: string; name: string; type: string; townshipCode: string; bindingMode: string } }
  | { ok: false; reason: 'format' | 'unknown_code' | 'venue_closed' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/**
 * Looks a typed or scanned invite code up. Because codes are fixed and printed, guessing is bounded
 * per account and per IP (counted in the database) and every look-up is audited.
 */
export async function lookupInviteCode(
  db: Db,
  actor: Actor,
  input: string,
  /** null: the client's address is unknown (lib/auth/client-ip.ts): refused, not one shared bucket. */
  ip: string | null,
  limits: InviteLimits,
  now = new Date(),
): Promise<InviteLookup> {
  const code = normalizeInviteCode(input);
  if (!code) return { ok: false, reason: 'format' };
  if (ip === null) return { ok: false, reason: 'rate_limited', retryAfterSeconds: 3600 };
  for (const key of [`invite:account:${actor.accountId}`, `invite:ip:${keyedHash(limits.secret, 'client-ip', ip)}`]) {
    const limit = await hitRateLimit(db, key, key.includes(':ip:') ? limits.perIpPerHour : limits.perAccountPerHour, 3600, now);
    if (!limit.allowed) return { ok: false, reason: 'rate_limited', retryAfterSeconds: limit.retryAfterSeconds };
  }
  const venue = await venueByInviteCode(db, code);
  await appendAudit(db, {
    actorAccountId: actor.accountId,
    action: 'invite_code.lookup',
    targetType: 'venue',
    targetId: venue?.id,
    venueId: venue?.id,
    details: { found: Boolean(venue), ...(venue?.closedAt ? { closed: true } : {}) },
    at: now,
  });
  if (!venue) return { ok: false, reason: 'unknown_code' };
  // SPEC L3: a closed venue's printed code says so (not "no such code"); it never binds anyone again.
  if (venue.closedAt) return { ok: false, reason: 'venue_closed' };
  return {
    ok: true,
    venue: { id: venue.id, name: venue.name, type: venue.type, townshipCode: venue.townshipCode, bindingMode: venue.bindingMode },
  };
}

/** A checker's display name (V8): 1–20 characters through the one text normaliser (lib/text/normalise.ts). */
export function validateDisplayName(input: unknown): { ok: true; name: string } | { ok: false; reason: 'display_name' | TextProblem } {
  const normalised = normaliseText(input);
  if (!normalised.ok) return { ok: false, reason: normalised.error };
  const length = textLength(normalised.text);
  return length >= 1 && length <= 20 ? { ok: true, name: normalised.text } : { ok: false, reason: 'display_name' };
}

export type BindResult =
  | { ok: true; venueId: string; status: 'pending' | 'active' }
  | {
      ok: false;
      reason:
        | 'format'
        | 'unknown_code'
        | 'venue_closed'
        | 'display_name'
        | TextProblem
        | 'is_admin'
        | 'removed'
        | 'already_bound'
        | 'already_pending';
    }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number };

/** V8/V11: binds the account as a checker; waits for the admin's approval unless the venue binds immediately. */
export async function bindByInviteCode(
  db: Db,
  actor: Actor,
  input: { inviteCode: string; displayName: unknown },
  ip: string | null,
  limits: InviteLimits,
  now = new Date(),
): Promise<BindResult> {
  const checked = validateDisplayName(input.displayName);
  if (!checked.ok) return checked;
  const displayName = checked.name;
  const found = await lookupInviteCode(db, actor, input.inviteCode, ip, limits, now);
  if (!found.ok) return found;
  const venue = found.venue;
  try {
    return await db.transaction(async (tx): Promise<BindResult> => {
      // FOR SHARE: a closure in flight finishes first, and then this binding is refused.
      const current = await shareLockVenue(tx, venue.id);
      if (!current || current.closedAt) return { ok: false, reason: 'venue_closed' };
      if (current.adminAccountId === actor.accountId) return { ok: false, reason: 'is_admin' };
      if (await activeRemoval(tx, venue.id, actor.accountId)) return { ok: false, reason: 'removed' };
      const open = await openBinding(tx, venue.id, actor.accountId);
      if (open) return { ok: false, reason: open.boundFrom ? 'already_bound' : 'already_pending' };
      const immediate = current.bindingMode === 'immediate';
      const bindingId = await insertBinding(tx, {
        venueId: venue.id,
        accountId: actor.accountId,
        displayName,
        requestedAt: now,
        boundFrom: immediate ? now : null,
        approvedByAccountId: null,
      });
      await appendAudit(tx, {
        actorAccountId: actor.accountId,
        action: 'checker.bind',
        targetType: 'checker_binding',
        targetId: bindingId,
        venueId: venue.id,
        details: { venueId: venue.id, immediate },
        at: now,
      });
      if (!immediate) await noticeCheckerPending(tx, venue, { id: bindingId, displayName }, now);
      return { ok: true, venueId: venue.id, status: immediate ? 'active' : 'pending' };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      // A concurrent request of the same account won: report what it created.
      const open = await openBinding(db, venue.id, actor.accountId);
      return { ok: false, reason: open?.boundFrom ? 'already_bound' : 'already_pending' };
    }
    throw error;
  }
}

type AdminChange = { ok: true } | { ok: false; reason: 'not_admin' | 'not_found' | 'not_pending' };

async function changeBinding(
  db: Db,
  actor: Actor,
  bindingId: string,
  now: Date,
  change: 'approve' | 'reject' | 'remove',
): Promise<AdminChange> {
  return asVenueAdmin(db, actor, async (tx, venue): Promise<AdminChange> => {
    const binding = await lockBindingOfVenue(tx, venue.id, bindingId);
    if (!binding || binding.unboundAt) return { ok: false, reason: 'not_found' };
    if (change !== 'remove' && binding.boundFrom) return { ok: false, reason: 'not_pending' };
    if (change === 'approve') await activateBinding(tx, binding.id, now, actor.accountId);
    else await endBinding(tx, binding.id, now, actor.accountId, change === 'reject' ? 'rejected' : 'removed');
    if (change === 'remove') {
      const { accountId, displayName } = binding;
      await insertRemoval(tx, { venueId: venue.id, accountId, displayName, removedAt: now, removedByAccountId: actor.accountId });
    }
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: `checker.${change}`,
      targetType: 'checker_binding',
      targetId: binding.id,
      venueId: venue.id,
      details: { venueId: venue.id },
      at: now,
    });
    if (change !== 'approve') await announceRevocation(tx, { a: binding.accountId, v: venue.id, r: 'checker', why: 'removed' });
    await noticeBindingChanged(tx, venue, binding, change === 'approve' ? 'approved' : change === 'reject' ? 'rejected' : 'removed', now);
    return { ok: true };
  });
}

export const approveChecker = (db: Db, actor: Actor, bindingId: string, now = new Date()) =>
  changeBinding(db, actor, bindingId, now, 'approve');
export const rejectChecker = (db: Db, actor: Actor, bindingId: string, now = new Date()) =>
  changeBinding(db, actor, bindingId, now, 'reject');
/** V8: removal ends the binding and blocks re-binding with the fixed code until allowed again. */
export const removeChecker = (db: Db, actor: Actor, bindingId: string, now = new Date()) =>
  changeBinding(db, actor, bindingId, now, 'remove');

export async function allowCheckerAgain(db: Db, actor: Actor, removalId: string, now = new Date()) {
  return asVenueAdmin(db, actor, async (tx, venue) => {
    const cleared = await clearRemoval(tx, venue.id, removalId, now, actor.accountId);
    if (!cleared) return { ok: false as const, reason: 'not_found' as const };
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'checker.allow_again',
      targetType: 'account',
      targetId: cleared.accountId,
      venueId: venue.id,
      details: { venueId: venue.id },
      at: now,
    });
    return { ok: true as const };
  });
}

/** V11: a checker unbinds themselves from a venue. */
export async function unbindSelf(db: Db, actor: Actor, venueId: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const open = await openBinding(tx, venueId, actor.accountId);
    if (!open) return { ok: false as const, reason: 'not_found' as const };
    await endBinding(tx, open.id, now, actor.accountId, 'self');
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'checker.unbind_self',
      targetType: 'checker_binding',
      targetId: open.id,
      venueId,
      details: { venueId },
      at: now,
    });
    await announceRevocation(tx, { a: actor.accountId, v: venueId, r: 'checker', why: 'unbound' });
    return { ok: true as const };
  });
}

/** 成员管理 for the venue's admin: checkers by display name and masked phone only. */
export async function membersOfMyVenue(db: Db, actor: Actor) {
  const venue = await venueOfAdmin(db, actor.accountId);
  if (!venue) return null;
  const [open, removed] = await Promise.all([bindingsOfVenue(db, venue.id), removalsOfVenue(db, venue.id)]);
  const member = (b: (typeof open)[number]) => ({
    bindingId: b.id,
    displayName: b.displayName,
    maskedPhone: maskPhone(b.phone),
    requestedAt: b.requestedAt,
    boundFrom: b.boundFrom,
  });
  return {
    venue,
    pending: open.filter((b) => !b.boundFrom).map(member),
    active: open.filter((b) => b.boundFrom).map(member),
    removed: removed.map((r) => ({ removalId: r.id, displayName: r.displayName, maskedPhone: maskPhone(r.phone), removedAt: r.removedAt })),
  };
}

export const myCheckerVenues = (db: Db, actor: Actor) => bindingsOfAccount(db, actor.accountId);

/** SPEC L3: venues this account checked at until they closed (the last 30 days), one entry per venue. */
export async function myClosedCheckerVenues(db: Db, actor: Actor, now = new Date()) {
  const rows = await closedVenueBindingsOfAccount(db, actor.accountId, new Date(now.getTime() - 30 * 24 * 3_600_000));
  return rows.filter((r, i) => rows.findIndex((o) => o.venueId === r.venueId) === i);
}
