import 'server-only';
import type { DbOrTx } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { deciders, incomingLinkRequests, lockLinkRequest, outgoingLinkRequests, resolveLinkRequest } from '@/db/queries/link-requests';
import { addGuardianship, findSelfPerson, lockPersonLinks, personForConsent, setSelfAccount } from '@/db/queries/persons';
import { maskPhone } from '@/lib/auth/phone';
import { noticeGuardianAdded, noticeLinkResult } from '@/lib/notices/consent';

/** How long a link request waits for an answer before it expires (and does nothing). */
export const LINK_REQUEST_TTL_MS = 7 * 24 * 3_600_000;

type Actor = { accountId: string };
export type LinkAnswer = 'accept' | 'refuse';

/**
 * Accepts or refuses a link request (SPEC L1). Only the person's own account may answer, or, when they
 * have none, any of their guardians; anybody else (the requester too) gets `not_found`, as for an unknown
 * id. Accepting links in the same transaction as the audit row, tells the requester (`link_result`) and
 * everybody linked to the person before (`guardian_added`).
 */
export async function answerLinkRequest(tx: DbOrTx, actor: Actor, input: { requestId: string; answer: LinkAnswer }, now: Date) {
  const request = await lockLinkRequest(tx, input.requestId);
  if (!request) return { ok: false as const, reason: 'not_found' as const };
  await lockPersonLinks(tx, request.personId);
  const who = await deciders(tx, request.personId);
  const mayAnswer = who.selfAccountId ? who.selfAccountId === actor.accountId : who.guardianIds.includes(actor.accountId);
  if (!mayAnswer || actor.accountId === request.requesterAccountId) return { ok: false as const, reason: 'not_found' as const };
  if (request.status !== 'pending') return { ok: false as const, reason: 'already_answered' as const };
  if (request.expiresAt <= now) {
    await resolveLinkRequest(tx, request.id, 'expired', null, now);
    return { ok: false as const, reason: 'expired' as const };
  }
  const person = (await personForConsent(tx, request.personId))!;
  const ref = { id: person.id, nameMasked: person.nameMasked };

  if (input.answer === 'refuse') {
    await resolveLinkRequest(tx, request.id, 'refused', actor.accountId, now);
    await noticeLinkResult(tx, request, ref, 'refused', now);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'link_request.refuse',
      targetType: 'person',
      targetId: person.id,
      details: { requestId: request.id, relation: request.relation },
      at: now,
    });
    return { ok: true as const, outcome: 'refused' as const };
  }

  if (request.relation === 'self') {
    // Somebody else became the person's own account meanwhile, or the requester registered their own.
    if (person.selfAccountId || (await findSelfPerson(tx, request.requesterAccountId)))
      return { ok: false as const, reason: 'conflict' as const };
    await setSelfAccount(tx, person.id, request.requesterAccountId);
  } else {
    if (person.selfAccountId === request.requesterAccountId) return { ok: false as const, reason: 'conflict' as const };
    await addGuardianship(tx, request.requesterAccountId, person.id);
  }
  await resolveLinkRequest(tx, request.id, 'accepted', actor.accountId, now);
  await noticeLinkResult(tx, request, ref, 'accepted', now);
  await noticeGuardianAdded(
    tx,
    [who.selfAccountId, ...who.guardianIds].filter((a): a is string => Boolean(a) && a !== actor.accountId),
    { requestId: request.id, accountId: request.requesterAccountId, relation: request.relation },
    { ...ref, selfAccountId: request.relation === 'self' ? request.requesterAccountId : person.selfAccountId },
    now,
  );
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'link_request.accept',
    targetType: 'person',
    targetId: person.id,
    details: { requestId: request.id, relation: request.relation, linkedAccountId: request.requesterAccountId },
    at: now,
  });
  await appendAudit(tx, {
    actorAccountId: request.requesterAccountId,
    action: 'person.link',
    targetType: 'person',
    targetId: person.id,
    details: { relation: request.relation, requestId: request.id, consentBy: actor.accountId },
    at: now,
  });
  return { ok: true as const, outcome: 'accepted' as const };
}

/** The requester withdraws a pending request; anybody else gets `not_found`. */
export async function cancelLinkRequest(tx: DbOrTx, actor: Actor, input: { requestId: string }, now: Date) {
  const request = await lockLinkRequest(tx, input.requestId);
  if (!request || request.requesterAccountId !== actor.accountId) return { ok: false as const, reason: 'not_found' as const };
  if (request.status !== 'pending' || request.expiresAt <= now) return { ok: false as const, reason: 'already_answered' as const };
  await resolveLinkRequest(tx, request.id, 'cancelled', actor.accountId, now);
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'link_request.cancel',
    targetType: 'link_request',
    targetId: request.id,
    at: now,
  });
  return { ok: true as const };
}

type Status = 'pending' | 'accepted' | 'refused' | 'cancelled' | 'expired';
const effective = (status: Status, expiresAt: Date, now: Date): Status => (status === 'pending' && expiresAt <= now ? 'expired' : status);

/** 关联申请: requests the account may answer (the asker by masked phone) and its own, each with its state now. */
export async function linkRequestsPage(db: DbOrTx, actor: Actor, now: Date) {
  const [incoming, outgoing] = await Promise.all([incomingLinkRequests(db, actor.accountId), outgoingLinkRequests(db, actor.accountId)]);
  return {
    incoming: incoming.map(({ requesterPhone, ...r }) => ({
      ...r,
      status: effective(r.status, r.expiresAt, now),
      who: maskPhone(requesterPhone),
    })),
    outgoing: outgoing.map((r) => ({ ...r, status: effective(r.status, r.expiresAt, now) })),
  };
}
