import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { insertStatusChanges, lockDocumentStatus, statusAt, statusHistory } from '@/db/queries/health-status';
import { findPersonByIdHash } from '@/db/queries/persons';
import { grantRole, hasRole } from '@/db/queries/roles';
import { normalizePhone } from '@/lib/auth/phone';
import { decryptField, hashIdDocument, type FieldKeys } from '@/lib/identity/field-crypto';
import { normaliseText } from '@/lib/text/normalise';
import { isRedReason, type RedReason } from './colours';
import { checkDocumentNumber, type DocumentRef } from './document-ref';

export type Forbidden = { ok: false; reason: 'forbidden' };
const forbidden: Forbidden = { ok: false, reason: 'forbidden' };

export const isHealthOfficial = (db: Db, accountId: string) => hasRole(db, accountId, 'health_official');

/** The first officials come from configuration (HEALTH_OFFICIAL_PHONES); later ones are granted by an official. */
export async function bootstrapOfficials(db: Db, phones: string[]) {
  for (const raw of phones) {
    const phone = normalizePhone(raw);
    if (!phone) continue;
    await db.transaction(async (tx) => {
      const account = await findOrCreateAccount(tx, phone);
      if (await grantRole(tx, account.id, 'health_official', null)) {
        await appendAudit(tx, {
          actorAccountId: null,
          action: 'role.grant',
          targetType: 'account',
          targetId: account.id,
          details: { role: 'health_official', by: 'configuration' },
        });
      }
    });
  }
}

export async function grantOfficialRole(db: Db, actor: { accountId: string }, rawPhone: string) {
  if (!(await isHealthOfficial(db, actor.accountId))) return forbidden;
  const phone = normalizePhone(rawPhone);
  if (!phone) return { ok: false as const, reason: 'invalid_phone' as const };
  return db.transaction(async (tx) => {
    const account = await findOrCreateAccount(tx, phone);
    const granted = await grantRole(tx, account.id, 'health_official', actor.accountId);
    if (granted) {
      await appendAudit(tx, {
        actorAccountId: actor.accountId,
        action: 'role.grant',
        targetType: 'account',
        targetId: account.id,
        details: { role: 'health_official' },
      });
    }
    return { ok: true as const, alreadyOfficial: !granted };
  });
}

/** An official looks a document up: the person in full (if registered) and the colour history. */
export async function findDocumentForOfficial(db: Db, keys: FieldKeys, actor: { accountId: string }, ref: DocumentRef, now = new Date()) {
  if (!(await isHealthOfficial(db, actor.accountId))) return forbidden;
  const checked = checkDocumentNumber(ref);
  if (!checked.ok) return checked;
  const idHash = hashIdDocument(keys, checked.doc);
  const person = await findPersonByIdHash(db, idHash);
  await appendAudit(db, {
    actorAccountId: actor.accountId,
    action: 'official.lookup',
    targetType: 'person',
    targetId: person?.id,
    details: { found: Boolean(person) },
  });
  return {
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
    status: await statusAt(db, idHash, now),
    history: await statusHistory(db, idHash),
  };
}

export type SetColourInput = DocumentRef & { colour: string; reason?: string | null; note?: string | null };

/** Sets a document's colour from now on (red with a reason, or back to green). Audit-logged. */
export async function setColourByOfficial(db: Db, keys: FieldKeys, actor: { accountId: string }, input: SetColourInput, now = new Date()) {
  if (!(await isHealthOfficial(db, actor.accountId))) return forbidden;
  const checked = checkDocumentNumber(input);
  if (!checked.ok) return checked;
  if (input.colour !== 'green' && input.colour !== 'red') return { ok: false as const, reason: 'invalid_colour' as const };
  if (input.colour === 'red' && !isRedReason(input.reason)) return { ok: false as const, reason: 'reason_required' as const };
  const typed = normaliseText(input.note, { multiline: true });
  if (!typed.ok) return { ok: false as const, reason: typed.error };
  const note = Array.from(typed.text).slice(0, 500).join('') || null;
  const idHash = hashIdDocument(keys, checked.doc);
  return db.transaction(async (tx) => {
    await lockDocumentStatus(tx, idHash);
    const reason = input.colour === 'red' ? (input.reason as RedReason) : null;
    await insertStatusChanges(tx, [
      {
        idHash,
        colour: input.colour as 'green' | 'red',
        reason,
        validFrom: now,
        source: 'official',
        setByAccountId: actor.accountId,
        note,
      },
    ]);
    const person = await findPersonByIdHash(tx, idHash);
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
