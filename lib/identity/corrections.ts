import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import {
  findCorrectionForUpdate,
  insertCorrection,
  latestCorrectionOf,
  pendingCorrectionOf,
  pendingCorrections,
  personIdentity,
  resolveCorrection,
  updatePersonIdentity,
} from '@/db/queries/officials';
import { guardiansOfPerson, lockPersonLinks, personOfAccount } from '@/db/queries/persons';
import { noticeIdentityCorrected } from '@/lib/notices/officials';
import { authorizeOfficial } from '@/lib/officials/capabilities';
import { statedReason } from '@/lib/officials/reason';
import { normaliseText } from '@/lib/text/normalise';
import { isUuid } from '@/lib/utils/uuid';
import { decryptField, encryptField, type FieldKeys } from './field-crypto';
import { checkBirthDate, todayInChina, validatePersonName, type IdType } from './id-documents';
import { CORRECTABLE } from './correctable';
import { maskName } from './mask';

// SPEC L2: 身份信息更正. A passport or permit holder's name, birth date or gender can be wrong at
// registration (the mainland ID's number fixes birth date and gender, and its name is checked against it:
// not correctable here). The resident asks from the person's page, one pending request per person; an
// official whose region covers the person applies or refuses it with a reason, audited. It applies from
// then on: past check-ins keep the gender and age band stored on them.

export { CORRECTABLE } from './correctable';
export const NOTE_MAX = 300;

type Actor = { accountId: string };

/** What the person's page shows: whether a request can be made, and the latest one's state. */
export async function correctionStateOf(db: Db, actor: Actor, personId: string) {
  if (!isUuid(personId)) return null;
  const person = await personOfAccount(db, actor.accountId, personId);
  if (!person) return null;
  const latest = await latestCorrectionOf(db, personId);
  return {
    correctable: CORRECTABLE.includes(person.idType),
    latest: latest
      ? { status: latest.status, requestedAt: latest.requestedAt, resolvedAt: latest.resolvedAt, reason: latest.reason }
      : null,
  };
}

/** The person's own account or a guardian asks for a correction, saying what is wrong. */
export async function requestIdentityCorrection(db: Db, actor: Actor, input: { personId: string; note: string }, now = new Date()) {
  if (!isUuid(input.personId)) return { ok: false as const, reason: 'not_found' as const };
  const person = await personOfAccount(db, actor.accountId, input.personId);
  if (!person) return { ok: false as const, reason: 'not_found' as const };
  if (!CORRECTABLE.includes(person.idType)) return { ok: false as const, reason: 'not_correctable' as const };
  const typed = normaliseText(input.note, { multiline: true });
  if (!typed.ok) return { ok: false as const, reason: typed.error };
  const length = Array.from(typed.text).length;
  if (length < 2) return { ok: false as const, reason: 'note_required' as const };
  if (length > NOTE_MAX) return { ok: false as const, reason: 'note_too_long' as const };
  return db.transaction(async (tx) => {
    await lockPersonLinks(tx, input.personId);
    if (await pendingCorrectionOf(tx, input.personId)) return { ok: false as const, reason: 'already_pending' as const };
    const id = await insertCorrection(tx, { personId: input.personId, accountId: actor.accountId, note: typed.text, at: now });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'identity.correction_request',
      targetType: 'person',
      targetId: input.personId,
      details: { requestId: id },
      at: now,
    });
    return { ok: true as const, id };
  });
}

/** /ops/corrections: the pending requests of persons inside the official's region (masked forms only). */
export async function correctionsForOfficial(db: Db, actor: Actor) {
  const allowed = await authorizeOfficial(db, actor.accountId, 'correct_identity', { none: true });
  if (!allowed.ok) return null;
  const rows = await pendingCorrections(db);
  const inside = [];
  for (const row of rows) {
    if ((await authorizeOfficial(db, actor.accountId, 'correct_identity', { person: row.personId })).ok) inside.push(row);
  }
  return { official: allowed.official, requests: inside };
}

export type CorrectionInput = {
  requestId: string;
  decision: 'apply' | 'refuse';
  name?: string;
  birthDate?: string;
  gender?: string;
  reason: string;
};

/** Applies (name, birth date, gender, each optional) or refuses a pending request, with a reason. */
export async function resolveIdentityCorrection(db: Db, keys: FieldKeys, actor: Actor, input: CorrectionInput, now = new Date()) {
  const official = await authorizeOfficial(db, actor.accountId, 'correct_identity', { none: true });
  if (!official.ok) return official;
  if (!isUuid(input.requestId)) return { ok: false as const, reason: 'not_found' as const };
  const why = statedReason(input.reason);
  if (!why.ok) return why;
  return db.transaction(async (tx) => {
    const request = await findCorrectionForUpdate(tx, input.requestId);
    // Another region's request is as absent as one that does not exist.
    if (!request) return { ok: false as const, reason: 'not_found' as const };
    const allowed = await authorizeOfficial(tx, actor.accountId, 'correct_identity', { person: request.personId });
    if (!allowed.ok) return { ok: false as const, reason: 'not_found' as const };
    if (request.status !== 'pending') return { ok: false as const, reason: 'not_pending' as const };
    const person = await personIdentity(tx, request.personId);
    if (!person) return { ok: false as const, reason: 'not_found' as const };
    let changed: string[] | null = null;
    let masked = person.nameMasked;
    if (input.decision === 'apply') {
      if (!CORRECTABLE.includes(person.idType)) return { ok: false as const, reason: 'not_correctable' as const };
      const next = { nameEnc: person.nameEnc, nameMasked: person.nameMasked, gender: person.gender, birthDate: person.birthDate };
      changed = [];
      const name = (input.name ?? '').trim();
      if (name) {
        const checked = validatePersonName(person.idType as IdType, name);
        if (!checked.ok) return { ok: false as const, reason: 'name_invalid' as const, field: checked.error };
        if (checked.name !== decryptField(keys, person.nameEnc)) {
          next.nameEnc = encryptField(keys, checked.name);
          next.nameMasked = maskName(checked.name);
          changed.push('name');
        }
      }
      const birthDate = (input.birthDate ?? '').trim();
      if (birthDate) {
        const problem = checkBirthDate(birthDate, todayInChina(now));
        if (problem) return { ok: false as const, reason: 'birth_date_invalid' as const, field: problem };
        if (birthDate !== person.birthDate) {
          next.birthDate = birthDate;
          changed.push('birthDate');
        }
      }
      const gender = (input.gender ?? '').trim();
      if (gender) {
        if (gender !== 'M' && gender !== 'F') return { ok: false as const, reason: 'gender_invalid' as const };
        if (gender !== person.gender) {
          next.gender = gender;
          changed.push('gender');
        }
      }
      if (changed.length === 0) return { ok: false as const, reason: 'nothing_changed' as const };
      await updatePersonIdentity(tx, person.id, next);
      masked = next.nameMasked;
    }
    const status = input.decision === 'apply' ? ('applied' as const) : ('refused' as const);
    await resolveCorrection(tx, request.id, { status, byAccountId: actor.accountId, at: now, reason: why.reason, changedFields: changed });
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: input.decision === 'apply' ? 'identity.correct' : 'identity.correction_refuse',
      targetType: 'person',
      targetId: person.id,
      reason: why.reason,
      details: { requestId: request.id, fields: changed ?? [] },
      at: now,
    });
    const guardians = (await guardiansOfPerson(tx, person.id)).map((g) => g.accountId);
    const to = [person.selfAccountId, ...guardians].filter((a): a is string => Boolean(a));
    await noticeIdentityCorrected(tx, to, { id: request.id, outcome: status }, { id: person.id, nameMasked: masked }, now);
    return { ok: true as const, status, changed: changed ?? [] };
  });
}
