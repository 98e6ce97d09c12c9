import 'server-only';
import type { DbOrTx } from '@/db';
import { revokeAllSessions } from '@/db/queries/accounts';
import {
  accountIdOfPhone,
  cancelLinkRequestsOf,
  deleteNoticesOf,
  dueDeletions,
  endGuardianshipsOf,
  erasePerson,
  guardedPersonIdsOf,
  insertDeletion,
  isUnlinkedPerson,
  lockLiveAccount,
  markAccountDeleted,
  openBindingIdsOf,
  openVenueOfAdmin,
  pendingDeletionOf,
  pendingRecoveryOfAccount,
  personsGuardedOnlyBy,
  resolveDeletion,
  resolvePhoneChange,
  selfPersonIdOf,
  unlinkSelfPerson,
} from '@/db/queries/account-lifecycle';
import { appendAudit } from '@/db/queries/audit';
import { endBinding } from '@/db/queries/checker-bindings';
import { insertNotice } from '@/db/queries/notices';
import { addGuardianship } from '@/db/queries/persons';
import { maskPhone, normalizePhone } from '@/lib/auth/phone';
import { announceRevocation } from '@/lib/live/revocations';
import { coolingOffMs } from './cooling-off';

// SPEC L2, 注销账号: asked now, carried out by a job after the cooling-off period (cancellable until then).
// Persons guarded only by this account are decided first: handed over at once to another account (which
// becomes their guardian: the deleting guardian consents as an existing guardian, SPEC L1), or left to be
// erased with the account. At the effective time, in one transaction (completeDeletion): sessions end,
// checker bindings end at one instant with the door, guardianships end, the account's own person is kept
// for its other guardians (unlinked) or erased, persons left with nobody are erased, the inbox goes, and
// the number is freed. Records already stored stay (they belong to the venue) and lose only their link.

export type DeletionChoice = { personId: string; action: 'erase' } | { personId: string; action: 'hand_over'; phone: string };

/** What the deletion page shows before asking: refusal reasons and the persons to decide about. */
export async function deletionPreview(db: DbOrTx, actor: { accountId: string }) {
  const [venue, persons, pending] = await Promise.all([
    openVenueOfAdmin(db, actor.accountId),
    personsGuardedOnlyBy(db, actor.accountId),
    pendingDeletionOf(db, actor.accountId),
  ]);
  return { openVenue: venue, persons, pending };
}

export type DeletionRequestResult =
  | { ok: true; effectiveAt: Date; handedOver: number }
  | { ok: false; reason: 'gone' | 'open_venue' | 'already_pending' | 'undecided' }
  | { ok: false; reason: 'no_account' | 'hand_over_to_self'; personId: string };

export async function requestDeletion(
  tx: DbOrTx,
  actor: { accountId: string },
  input: { choices: DeletionChoice[] },
  now: Date,
): Promise<DeletionRequestResult> {
  const account = await lockLiveAccount(tx, actor.accountId);
  if (!account) return { ok: false, reason: 'gone' };
  if (await openVenueOfAdmin(tx, actor.accountId)) return { ok: false, reason: 'open_venue' };
  if (await pendingDeletionOf(tx, actor.accountId)) return { ok: false, reason: 'already_pending' };
  const sole = await personsGuardedOnlyBy(tx, actor.accountId);
  const byPerson = new Map(input.choices.map((c) => [c.personId, c]));
  if (sole.some((p) => !byPerson.has(p.id))) return { ok: false, reason: 'undecided' };

  let handedOver = 0;
  for (const person of sole) {
    const choice = byPerson.get(person.id)!;
    if (choice.action !== 'hand_over') continue;
    const phone = normalizePhone(choice.phone);
    const to = phone ? await accountIdOfPhone(tx, phone) : null;
    if (!to) return { ok: false, reason: 'no_account', personId: person.id };
    if (to === actor.accountId) return { ok: false, reason: 'hand_over_to_self', personId: person.id };
    await addGuardianship(tx, to, person.id);
    await insertNotice(tx, {
      kind: 'guardian_added',
      to: { accountId: to },
      // The shape of the consent branch's guardian_added notices (lib/notices), read by the new guardian.
      params: {
        who: maskPhone(phone),
        relation: 'family',
        person: person.nameMasked,
        personId: person.id,
        mine: false,
        by: maskPhone(account.phone),
        why: 'hand_over',
      },
      source: `hand-over:${person.id}:${to}:${now.getTime()}`,
      at: now,
    });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'person.hand_over',
      targetType: 'person',
      targetId: person.id,
      details: { to },
      at: now,
    });
    handedOver += 1;
  }
  const effectiveAt = new Date(now.getTime() + coolingOffMs('deletion'));
  const id = await insertDeletion(tx, { accountId: actor.accountId, requestedAt: now, effectiveAt });
  await insertNotice(tx, {
    kind: 'account_deletion',
    to: { accountId: actor.accountId },
    params: { until: effectiveAt.toISOString(), deletionId: id },
    source: `account-deletion:${id}`,
    at: now,
  });
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'account.delete_request',
    targetType: 'account',
    targetId: actor.accountId,
    details: { deletionId: id, effectiveAt: effectiveAt.toISOString(), erase: sole.length - handedOver, handedOver },
    at: now,
  });
  return { ok: true, effectiveAt, handedOver };
}

export async function cancelDeletion(tx: DbOrTx, actor: { accountId: string }, now: Date) {
  const id = await resolveDeletion(tx, actor.accountId, 'cancelled', now);
  if (!id) return { ok: false as const, reason: 'not_pending' as const };
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'account.delete_cancel',
    targetType: 'account',
    targetId: actor.accountId,
    details: { deletionId: id },
    at: now,
  });
  return { ok: true as const };
}

/** Carries out one account's deletion (its pending row locked by the caller). */
export async function completeDeletion(tx: DbOrTx, accountId: string, now: Date) {
  const account = await lockLiveAccount(tx, accountId);
  if (!account) {
    await resolveDeletion(tx, accountId, 'completed', now);
    return 'gone' as const;
  }
  // Became a venue's admin during the cooling-off period: not carried out (the venue needs an admin).
  if (await openVenueOfAdmin(tx, accountId)) {
    await resolveDeletion(tx, accountId, 'cancelled', now);
    await appendAudit(tx, {
      actorAccountId: null,
      action: 'account.delete_refused',
      targetType: 'account',
      targetId: accountId,
      reason: 'open_venue',
      at: now,
    });
    return 'open_venue' as const;
  }
  const revoked = await revokeAllSessions(tx, accountId, now);
  // Every end of a binding goes through endBinding: stamped at one instant with the door (#17).
  const bindings = await openBindingIdsOf(tx, accountId);
  for (const id of bindings) await endBinding(tx, id, now, accountId, 'account_deleted');

  const self = await selfPersonIdOf(tx, accountId);
  const guarded = await guardedPersonIdsOf(tx, accountId);
  await endGuardianshipsOf(tx, accountId);
  let erased = 0;
  let keptSelf = false;
  if (self) {
    await unlinkSelfPerson(tx, self);
    if (await isUnlinkedPerson(tx, self)) {
      await erasePerson(tx, self);
      erased += 1;
    } else keptSelf = true;
  }
  // Persons handed over have another guardian now; the rest are linked to nobody and go.
  for (const personId of guarded) {
    if (await isUnlinkedPerson(tx, personId)) {
      await erasePerson(tx, personId);
      erased += 1;
    }
  }
  await cancelLinkRequestsOf(tx, accountId, now);
  const recovery = await pendingRecoveryOfAccount(tx, accountId);
  if (recovery) await resolvePhoneChange(tx, recovery.id, { status: 'failed', at: now, outcome: 'account_deleted' });
  const notices = await deleteNoticesOf(tx, accountId, account.phone);
  await markAccountDeleted(tx, accountId, now);
  await resolveDeletion(tx, accountId, 'completed', now);
  await appendAudit(tx, {
    actorAccountId: null,
    action: 'account.delete',
    targetType: 'account',
    targetId: accountId,
    details: { revoked, bindingsEnded: bindings.length, guardianshipsEnded: guarded.length, erased, keptSelf, notices },
    at: now,
  });
  await announceRevocation(tx, { a: accountId, why: 'signed_out' });
  return 'completed' as const;
}

/** The job: deletions whose cooling-off period ended. */
export async function completeDueDeletions(tx: DbOrTx, now: Date, limit = 20): Promise<number> {
  const due = await dueDeletions(tx, now, limit);
  for (const d of due) await completeDeletion(tx, d.accountId, now);
  return due.length;
}
