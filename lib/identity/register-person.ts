import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { addGuardianship, findPersonByIdHash, findSelfPerson, insertPerson, lockIdDocument, setSelfAccount } from '@/db/queries/persons';
import { issueShortCode } from '@/lib/health-code/issue-short-code';
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
import { maskIdNumber, maskName } from './mask';
import type { IdentityVerifier } from './verifier';

export type RegisterInput = IdDocumentInput & { name: string; relation: 'self' | 'family' };

export type RegisterResult =
  | { ok: true; personId: string; linked: boolean }
  | { ok: false; errors: Partial<Record<IdField | 'name', IdError | PersonNameError>> }
  | {
      ok: false;
      reason:
        | 'name_mismatch'
        | 'verification_failed'
        | 'verifier_unavailable'
        | 'already_has_self'
        | 'person_has_self'
        | 'already_guarding'
        | 'is_self';
    };

/**
 * Registers an ID document for an account, as its own ("self") or as a family member it guards.
 * A document that exists already is linked when the name agrees (a second parent adding the same
 * child; a grandmother signing up after her son added her) and refused when it does not.
 */
export async function registerPerson(
  db: Db,
  deps: { keys: FieldKeys; verifier: IdentityVerifier },
  actor: { accountId: string },
  input: RegisterInput,
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

  // Real-name check happens outside the transaction (it is a network call); only new documents need it.
  const existingBefore = await findPersonByIdHash(db, idHash);
  if (!existingBefore) {
    const verdict = await deps.verifier.verify({ idType: doc.idType, idNumber: doc.idNumber, name });
    if (verdict !== 'match') return { ok: false, reason: verdict === 'mismatch' ? 'verification_failed' : 'verifier_unavailable' };
  }

  return db.transaction(async (tx): Promise<RegisterResult> => {
    await lockIdDocument(tx, idHash);
    if (input.relation === 'self' && (await findSelfPerson(tx, actor.accountId))) return { ok: false, reason: 'already_has_self' };
    const existing = await findPersonByIdHash(tx, idHash);
    let personId: string;
    if (existing) {
      if (!namesMatch(doc.idType, decryptField(deps.keys, existing.nameEnc), name)) return { ok: false, reason: 'name_mismatch' };
      personId = existing.id;
      if (input.relation === 'self') {
        if (existing.selfAccountId) return { ok: false, reason: 'person_has_self' };
        await setSelfAccount(tx, personId, actor.accountId);
      } else {
        if (existing.selfAccountId === actor.accountId) return { ok: false, reason: 'is_self' };
        if (!(await addGuardianship(tx, actor.accountId, personId))) return { ok: false, reason: 'already_guarding' };
      }
    } else {
      personId = await insertPerson(tx, {
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
    }
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: existing ? 'person.link' : 'person.register',
      targetType: 'person',
      targetId: personId,
      details: { relation: input.relation, idType: doc.idType },
    });
    return { ok: true, personId, linked: Boolean(existing) };
  });
}
