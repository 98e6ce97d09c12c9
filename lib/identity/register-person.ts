import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { deciders, expireStaleLinkRequests, insertLinkRequest, livePendingRequest } from '@/db/queries/link-requests';
import {
  addGuardianship,
  findPersonByIdHash,
  findSelfPerson,
  insertPerson,
  lockIdDocument,
  lockPersonLinks,
  personOfAccount,
} from '@/db/queries/persons';
import { hitRateLimit, peekRateLimit } from '@/db/queries/rate-limits';
import { issueShortCode } from '@/lib/health-code/issue-short-code';
import { noticeLinkRequest } from '@/lib/notices/consent';
import { decryptField, encryptField, hashIdDocument, type FieldKeys } from './field-crypto';
import {
  namesMatch,
  validateIdDocument,
  validatePersonName,
  type IdDocumentInput,
  type PersonNameError,
  type IdError,
  type IdField,
} from './id-documents';
import { LINK_REQUEST_TTL_MS } from './link-requests';
import { maskIdNumber, maskName } from './mask';
import type { IdentityVerifier } from './verifier';

export type RegisterInput = IdDocumentInput & { name: string; relation: 'self' | 'family' };

export type RegisterResult =
  | { ok: true; personId: string; linked: false }
  /**
   * A registered document, the name agreeing: not registered, a link request was made instead. Not `ok`
   * on purpose: the caller holds no person (nothing of them is visible until the request is accepted).
   */
  | { ok: false; reason: 'link_requested'; requestId: string }
  | { ok: false; errors: Partial<Record<IdField | 'name', IdError | PersonNameError>> }
  | {
      ok: false;
      reason:
        | 'verification_failed'
        | 'verifier_unavailable'
        | 'rate_limited'
        | 'already_has_self'
        | 'person_has_self'
        | 'already_guarding'
        | 'already_requested'
        | 'is_self';
    };

/**
 * Failed name checks allowed per hour: per requesting account, and per document. A failure counts against
 * the document only when the failing account has no live request for it, and the document's limit is not
 * applied to an account that has one (it has been through the check already).
 */
export const LINK_FAILURE_LIMITS = { perAccount: 10, perDocument: 20, windowSeconds: 3600 };

const accountKey = (accountId: string) => `link-fail:acct:${accountId}`;
const documentKey = (idHash: string) => `link-fail:doc:${idHash}`;

/**
 * Registers an ID document for an account, as its own ("self") or as a family member it guards.
 * A document nobody has registered is added at once after the real-name check. A registered one becomes a
 * link request that the person's own account (or, if they have none, a guardian) accepts or refuses.
 * Both paths call the verifier, and a wrong name answers `verification_failed` on both, so the answer
 * tells nothing of whether a document is registered.
 */
export async function registerPerson(
  db: Db,
  deps: { keys: FieldKeys; verifier: IdentityVerifier },
  actor: { accountId: string },
  input: RegisterInput,
  now = new Date(),
): Promise<RegisterResult> {
  const docResult = validateIdDocument(input);
  const idType = docResult.ok ? docResult.doc.idType : null;
  const nameResult = idType ? validatePersonName(idType, input.name ?? '') : null;
  if (!docResult.ok || !nameResult?.ok) {
    return {
      ok: false,
      errors: { ...(docResult.ok ? {} : docResult.errors), ...(nameResult && !nameResult.ok ? { name: nameResult.error } : {}) },
    };
  }
  const doc = docResult.doc;
  const name = nameResult.name;
  const idHash = hashIdDocument(deps.keys, doc);
  if (input.relation === 'self' && (await findSelfPerson(db, actor.accountId))) return { ok: false, reason: 'already_has_self' };

  const { perAccount, perDocument, windowSeconds } = LINK_FAILURE_LIMITS;
  const existingBefore = await findPersonByIdHash(db, idHash);
  const pending = existingBefore ? await livePendingRequest(db, existingBefore.id, actor.accountId, now) : null;
  if (!(await peekRateLimit(db, accountKey(actor.accountId), perAccount, windowSeconds, now)).allowed)
    return { ok: false, reason: 'rate_limited' };
  if (!pending && !(await peekRateLimit(db, documentKey(idHash), perDocument, windowSeconds, now)).allowed)
    return { ok: false, reason: 'rate_limited' };

  // Real-name check on every path (a network call, outside the write), then the stored name for a registered one.
  const verdict = await deps.verifier.verify({ idType: doc.idType, idNumber: doc.idNumber, name });
  if (verdict === 'unavailable') return { ok: false, reason: 'verifier_unavailable' };
  const nameAgrees =
    verdict === 'match' && (!existingBefore || namesMatch(doc.idType, decryptField(deps.keys, existingBefore.nameEnc), name));
  if (!nameAgrees) {
    await hitRateLimit(db, accountKey(actor.accountId), perAccount, windowSeconds, now);
    if (!pending) await hitRateLimit(db, documentKey(idHash), perDocument, windowSeconds, now);
    await appendAudit(db, {
      actorAccountId: actor.accountId,
      action: 'person.link_failed',
      targetType: 'person',
      targetId: existingBefore?.id,
      // The document by a prefix of its keyed hash only: never the name or number.
      details: { relation: input.relation, idType: doc.idType, doc: idHash.slice(0, 16), registered: Boolean(existingBefore) },
      at: now,
    });
    return { ok: false, reason: 'verification_failed' };
  }

  return db.transaction(async (tx): Promise<RegisterResult> => {
    await lockIdDocument(tx, idHash);
    const existing = await findPersonByIdHash(tx, idHash);
    if (!existing) {
      const personId = await insertPerson(tx, {
        idType: doc.idType,
        idHash,
        idNumberEnc: encryptField(deps.keys, doc.idNumber),
        idNumberMasked: maskIdNumber(doc.idNumber),
        nameEnc: encryptField(deps.keys, name),
        nameMasked: maskName(name),
        nationality: doc.nationality,
        issueCount: doc.issueCount,
        gender: doc.gender,
        birthDate: doc.birthDate,
        selfAccountId: input.relation === 'self' ? actor.accountId : null,
        shortCode: await issueShortCode(tx),
      });
      if (input.relation === 'family') await addGuardianship(tx, actor.accountId, personId);
      await appendAudit(tx, {
        actorAccountId: actor.accountId,
        action: 'person.register',
        targetType: 'person',
        targetId: personId,
        details: { relation: input.relation, idType: doc.idType },
        at: now,
      });
      return { ok: true, personId, linked: false };
    }

    // A registered document, the name agreeing: the caller may already be linked; else it asks.
    await lockPersonLinks(tx, existing.id);
    if (existing.selfAccountId === actor.accountId)
      return { ok: false, reason: input.relation === 'self' ? 'already_has_self' : 'is_self' };
    if (input.relation === 'self' && existing.selfAccountId) return { ok: false, reason: 'person_has_self' };
    if (input.relation === 'family' && (await personOfAccount(tx, actor.accountId, existing.id)))
      return { ok: false, reason: 'already_guarding' };
    await expireStaleLinkRequests(tx, existing.id, actor.accountId, now);
    if (await livePendingRequest(tx, existing.id, actor.accountId, now)) return { ok: false, reason: 'already_requested' };
    const requestId = await insertLinkRequest(tx, {
      personId: existing.id,
      requesterAccountId: actor.accountId,
      relation: input.relation,
      createdAt: now,
      expiresAt: new Date(now.getTime() + LINK_REQUEST_TTL_MS),
    });
    const who = await deciders(tx, existing.id);
    await noticeLinkRequest(
      tx,
      who.selfAccountId ? [who.selfAccountId] : who.guardianIds,
      { id: requestId, relation: input.relation, requesterAccountId: actor.accountId },
      { id: existing.id, nameMasked: existing.nameMasked },
      now,
    );
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'link_request.create',
      targetType: 'person',
      targetId: existing.id,
      details: { relation: input.relation, requestId, idType: doc.idType },
      at: now,
    });
    return { ok: false, reason: 'link_requested', requestId };
  });
}
