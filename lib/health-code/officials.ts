import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { insertStatusChanges, lockDocumentStatus, statusAt, statusHistory } from '@/db/queries/health-status';
import { documentsOfPerson, findPersonByIdHash } from '@/db/queries/persons';
import { hasRole } from '@/db/queries/roles';
import { decryptField, hashIdDocument, type FieldKeys } from '@/lib/identity/field-crypto';
import { authorizeOfficial } from '@/lib/officials/capabilities';
import { statedReason } from '@/lib/officials/reason';
import { normaliseText } from '@/lib/text/normalise';
import { caseForOfficial } from '@/lib/tracing/access';
import { isRedReason, type RedReason } from './colours';
import { checkDocumentNumber, type DocumentRef } from './document-ref';

/** Holds the role now, anywhere (the header's link). Every official ACTION asks authorizeOfficial instead. */
export const isHealthOfficial = (db: Db, accountId: string) => hasRole(db, accountId, 'health_official');

/** The first officials come from configuration (HEALTH_OFFICIAL_PHONES): lib/officials/governance.ts. */
export { bootstrapOfficials } from '@/lib/officials/governance';

/** Why an official reads (SPEC T5): free text of 2–200 characters, or a case they may read. */
export type StatedReason = { reason?: string | null; caseId?: string | null };

/** The reason of a read, checked (a case the official may read, or 2–200 characters of free text). */
export async function readingReason(db: Db, accountId: string, stated: StatedReason) {
  if (stated.caseId) {
    const access = await caseForOfficial(db, accountId, stated.caseId);
    if (!access) return { ok: false as const, reason: 'unknown_case' as const };
    return { ok: true as const, reason: `case:${access.case.id}`, caseId: access.case.id };
  }
  const typed = statedReason(stated.reason);
  return typed.ok ? { ok: true as const, reason: typed.reason, caseId: null } : typed;
}

/**
 * An official looks a document up (SPEC T1, T5): with a reason, only a person inside their region (an
 * outside or unregistered document answers `not_in_region` alike: nothing says whether it is registered),
 * and the audit row is written in the same transaction as the read (no row without the read, no read
 * without its row). Reads go to the primary (docs/scaling.md).
 */
export async function findDocumentForOfficial(
  db: Db,
  keys: FieldKeys,
  actor: { accountId: string },
  ref: DocumentRef,
  stated: StatedReason,
  now = new Date(),
) {
  const official = await authorizeOfficial(db, actor.accountId, 'lookup', { none: true });
  if (!official.ok) return official;
  const checked = checkDocumentNumber(ref);
  if (!checked.ok) return checked;
  const why = await readingReason(db, actor.accountId, stated);
  if (!why.ok) return why;
  const idHash = hashIdDocument(keys, checked.doc);
  return db.transaction(async (tx) => {
    const person = await findPersonByIdHash(tx, idHash);
    const allowed = await authorizeOfficial(tx, actor.accountId, 'lookup', { document: person?.id ?? null });
    if (!allowed.ok) return allowed;
    const read = {
      ok: true as const,
      doc: checked.doc,
      person: person
        ? {
            id: person.id,
            name: decryptField(keys, person.nameEnc),
            idNumber: decryptField(keys, person.idNumberEnc),
            gender: person.gender,
            birthDate: person.birthDate,
          }
        : null,
      // Colours are filed under the person's key (their first document) once the document is theirs.
      status: await statusAt(tx, person?.idHash ?? idHash, now),
      history: await statusHistory(tx, person?.idHash ?? idHash),
      documents: person ? await documentsOfPerson(tx, person.id) : [],
    };
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'official.lookup',
      targetType: person ? 'person' : 'document',
      targetId: person?.id ?? idHash,
      reason: why.reason,
      details: { found: Boolean(person), ...(why.caseId ? { caseId: why.caseId } : {}) },
      at: now,
    });
    return read;
  });
}

export type SetColourInput = DocumentRef & { colour: string; reason?: string | null; note?: string | null };

/** Sets a document's colour from now on (red with a reason, or back to green). Audit-logged. */
export async function setColourByOfficial(db: Db, keys: FieldKeys, actor: { accountId: string }, input: SetColourInput, now = new Date()) {
  const official = await authorizeOfficial(db, actor.accountId, 'set_colour', { none: true });
  if (!official.ok) return official;
  const checked = checkDocumentNumber(input);
  if (!checked.ok) return checked;
  if (input.colour !== 'green' && input.colour !== 'red') return { ok: false as const, reason: 'invalid_colour' as const };
  if (input.colour === 'red' && !isRedReason(input.reason)) return { ok: false as const, reason: 'reason_required' as const };
  const typed = normaliseText(input.note, { multiline: true });
  if (!typed.ok) return { ok: false as const, reason: typed.error };
  const note = Array.from(typed.text).slice(0, 500).join('') || null;
  const idHash = hashIdDocument(keys, checked.doc);
  return db.transaction(async (tx) => {
    // SPEC T1: only a person inside the official's region (an unregistered document: province only).
    const person = await findPersonByIdHash(tx, idHash);
    const allowed = await authorizeOfficial(tx, actor.accountId, 'set_colour', { document: person?.id ?? null });
    if (!allowed.ok) return allowed;
    // Filed under the person's key (their first document) when the document is theirs.
    const key = person?.idHash ?? idHash;
    await lockDocumentStatus(tx, key);
    const reason = input.colour === 'red' ? (input.reason as RedReason) : null;
    await insertStatusChanges(tx, [
      {
        idHash: key,
        colour: input.colour as 'green' | 'red',
        reason,
        validFrom: now,
        source: 'official',
        setByAccountId: actor.accountId,
        note,
      },
    ]);
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'status.set',
      targetType: person ? 'person' : 'document',
      targetId: person?.id ?? idHash,
      reason,
      details: { colour: input.colour, reason },
      at: now,
    });
    return { ok: true as const };
  });
}
