import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { copyStatusHistory, lockDocumentStatus } from '@/db/queries/health-status';
import {
  addPersonDocument,
  documentsOfPerson,
  findPersonByIdHash,
  lockIdDocument,
  lockPersonLinks,
  personOfAccount,
} from '@/db/queries/persons';
import { hitRateLimit, peekRateLimit } from '@/db/queries/rate-limits';
import { isUuid } from '@/lib/utils/uuid';
import { decryptField, encryptField, hashIdDocument, type FieldKeys } from './field-crypto';
import { validateIdDocument, type IdError } from './id-documents';
import { maskIdNumber } from './mask';
import type { IdentityVerifier } from './verifier';

// H4 and the FAQ (如入境后更换过护照导致无法登录建议尝试使用旧的护照号和姓名): a passport holder who renews
// their passport adds the new number to the same person; the old number still finds them (look-up, status
// feed, case, recovery, registration as a link request). The person's code, records, guardians and colour
// stay theirs: the person's key (their first document's hash) never moves. Only passports: a mainland ID
// keeps its number for life, and a permit's re-issue changes its 2-digit issue count, not its number.

/** Failed real-name checks of a new number, per account and hour (as for linking: lib/identity/register-person). */
export const RENEWAL_FAILURES_PER_HOUR = 10;

export type RenewalResult =
  | { ok: true }
  | { ok: false; errors: Partial<Record<'idNumber' | 'nationality', IdError>> }
  | {
      ok: false;
      reason:
        | 'not_found'
        | 'not_passport'
        | 'self_only'
        | 'same_document'
        | 'document_registered'
        | 'verification_failed'
        | 'verifier_unavailable'
        | 'rate_limited';
    };

const failKey = (accountId: string) => `renew-fail:acct:${accountId}`;

/** What the person's page lists: the number shown now, then the earlier ones (masked). */
export async function documentsOf(db: Db, actor: { accountId: string }, personId: string) {
  if (!isUuid(personId)) return null;
  const person = await personOfAccount(db, actor.accountId, personId);
  if (!person) return null;
  return { person, documents: await documentsOfPerson(db, personId) };
}

/**
 * The person's own account or a guardian adds a renewed passport: the new number with the person's name
 * passes the real-name check (outside the write), is nobody's document yet, and becomes the number shown.
 * A colour the authority already reported for the new number is filed under the person as well.
 */
export async function addRenewedPassport(
  db: Db,
  deps: { keys: FieldKeys; verifier: IdentityVerifier },
  actor: { accountId: string },
  input: { personId: string; idNumber: string; nationality: string },
  now = new Date(),
): Promise<RenewalResult> {
  if (!isUuid(input.personId)) return { ok: false, reason: 'not_found' };
  const person = await personOfAccount(db, actor.accountId, input.personId);
  if (!person) return { ok: false, reason: 'not_found' };
  if (person.idType !== 'passport') return { ok: false, reason: 'not_passport' };
  // A family member with an account of their own adds their own documents (as they re-issue their own code, SPEC L1).
  if (person.relation === 'family' && person.selfAccountId) return { ok: false, reason: 'self_only' };
  const checked = validateIdDocument({
    idType: 'passport',
    idNumber: input.idNumber,
    nationality: input.nationality,
    gender: person.gender,
    birthDate: person.birthDate,
  });
  if (!checked.ok) {
    const { idNumber, nationality } = checked.errors;
    return { ok: false, errors: { ...(idNumber ? { idNumber } : {}), ...(nationality ? { nationality } : {}) } };
  }
  const doc = checked.doc;
  const idHash = hashIdDocument(deps.keys, doc);
  const mine = await documentsOfPerson(db, person.id);
  if (mine.some((d) => d.idHash === idHash)) return { ok: false, reason: 'same_document' };
  if (!(await peekRateLimit(db, failKey(actor.accountId), RENEWAL_FAILURES_PER_HOUR, 3600, now)).allowed)
    return { ok: false, reason: 'rate_limited' };

  const verdict = await deps.verifier.verify({ idType: 'passport', idNumber: doc.idNumber, name: decryptField(deps.keys, person.nameEnc) });
  if (verdict === 'unavailable') return { ok: false, reason: 'verifier_unavailable' };
  if (verdict !== 'match') {
    await hitRateLimit(db, failKey(actor.accountId), RENEWAL_FAILURES_PER_HOUR, 3600, now);
    await appendAudit(db, {
      actorAccountId: actor.accountId,
      action: 'person.document_failed',
      targetType: 'person',
      targetId: person.id,
      details: { idType: 'passport', doc: idHash.slice(0, 16) },
      at: now,
    });
    return { ok: false, reason: 'verification_failed' };
  }

  return db.transaction(async (tx): Promise<RenewalResult> => {
    await lockIdDocument(tx, idHash);
    await lockPersonLinks(tx, person.id);
    // Still linked to the actor (a guardian may have been removed meanwhile), and the number still nobody's.
    if (!(await personOfAccount(tx, actor.accountId, person.id))) return { ok: false, reason: 'not_found' };
    const holder = await findPersonByIdHash(tx, idHash);
    if (holder) return { ok: false, reason: holder.id === person.id ? 'same_document' : 'document_registered' };
    await addPersonDocument(tx, {
      personId: person.id,
      idHash,
      idType: 'passport',
      idNumberEnc: encryptField(deps.keys, doc.idNumber),
      idNumberMasked: maskIdNumber(doc.idNumber),
      nationality: doc.nationality,
      by: actor.accountId,
      at: now,
    });
    await lockDocumentStatus(tx, person.idHash);
    const carried = await copyStatusHistory(tx, idHash, person.idHash);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'person.document_added',
      targetType: 'person',
      targetId: person.id,
      details: { idType: 'passport', doc: idHash.slice(0, 16), relation: person.relation, coloursCarried: carried },
      at: now,
    });
    return { ok: true };
  });
}
