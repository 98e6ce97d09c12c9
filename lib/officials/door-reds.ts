import 'server-only';
import type { Db, DbOrTx } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import {
  FOLLOW_UP_STATUSES,
  lockRedCheckin,
  personIdentityOf,
  redCodeCounts,
  redCodesInRegion,
  upsertFollowUp,
  type FollowUpStatus,
} from '@/db/queries/door-reds';
import { decryptField, type FieldKeys } from '@/lib/identity/field-crypto';
import { normaliseText, textLength } from '@/lib/text/normalise';
import { addChinaDays, chinaDateOf, endOfChinaDay, startOfChinaDay } from '@/lib/time';
import { authorizeOfficial, officialMay } from './capabilities';
import type { Official } from './scope';

/**
 * SPEC T6 (门口红码, 各地市进一步核实和处理): the red codes found at the doors of an official's region,
 * verified and handled by them. Who may see or act on a red record is the capability table's
 * `follow_red_codes` (lib/officials/capabilities.ts): any level, the record's township (the record's, else
 * the venue's) inside the official's region.
 */

export const RED_CODES_PAGE = 20;
export const REVEAL_REASON = { min: 2, max: 200 } as const;
export const FOLLOW_UP_NOTE_MAX = 500;
export type RedRange = 'today' | 'week';

/** 今天 or 近7天 (today and the six China days before it), as [from, to). */
export function redRangeOf(range: RedRange, now: Date): { from: Date; to: Date } {
  const today = chinaDateOf(now);
  return { from: startOfChinaDay(range === 'today' ? today : addChinaDays(today, -6)), to: endOfChinaDay(today) };
}

/** The page of red codes an official sees (masked), with the counts per status; null for a non-official. */
export async function redCodesForOfficial(
  db: DbOrTx,
  actor: { accountId: string },
  q: { range: RedRange; status?: FollowUpStatus; page: number },
  now = new Date(),
) {
  const allowed = await authorizeOfficial(db, actor.accountId, 'follow_red_codes', { none: true });
  if (!allowed.ok) return null;
  const { official } = allowed;
  const window = { region: official.regionCode, ...redRangeOf(q.range, now) };
  const page = Math.max(1, Math.floor(q.page) || 1);
  const [counts, rows] = [
    await redCodeCounts(db, window),
    await redCodesInRegion(db, { ...window, status: q.status, limit: RED_CODES_PAGE, offset: (page - 1) * RED_CODES_PAGE }),
  ];
  const total = q.status ? counts[q.status] : counts.pending + counts.verified + counts.handled;
  return { official, counts, rows, page, pages: Math.max(1, Math.ceil(total / RED_CODES_PAGE)) };
}

type NotFound = { ok: false; reason: 'not_found' };
const notFound: NotFound = { ok: false, reason: 'not_found' };
type Forbidden = { ok: false; reason: 'forbidden' };
const forbidden: Forbidden = { ok: false, reason: 'forbidden' };

/** The red record for an official of its region, its follow-up row locked; otherwise an answer to give. */
async function redCodeForOfficial(tx: DbOrTx, official: Official, venueId: string, checkinId: string) {
  const record = await lockRedCheckin(tx, venueId, checkinId);
  // Another region's record is as absent as one that does not exist.
  if (!record || !officialMay(official, 'follow_red_codes', { checkinTownship: record.townshipCode })) return notFound;
  return { ok: true as const, official, record };
}

export type FollowUpInput = { venueId: string; checkinId: string; status: string; note: string };
export type FollowUpProblem = 'invalid_status' | 'backwards' | 'note_too_long' | 'text_control' | 'text_invisible';

/**
 * Sets a red record's follow-up: 待核实 → 已核实 → 已处置, forwards only (a note may be rewritten at the same
 * status). Upserted, with its audit row (venueId) in the same transaction.
 */
export async function followUpRedCode(tx: Db, actor: { accountId: string }, input: FollowUpInput, now = new Date()) {
  const allowed = await authorizeOfficial(tx, actor.accountId, 'follow_red_codes', { none: true });
  if (!allowed.ok) return forbidden;
  const { official } = allowed;
  const status = input.status as FollowUpStatus;
  if (status === 'pending' || !FOLLOW_UP_STATUSES.includes(status)) return { ok: false as const, reason: 'invalid_status' as const };
  const typed = normaliseText(input.note, { multiline: true });
  if (!typed.ok) return { ok: false as const, reason: typed.error };
  if (textLength(typed.text) > FOLLOW_UP_NOTE_MAX) return { ok: false as const, reason: 'note_too_long' as const };
  const found = await redCodeForOfficial(tx, official, input.venueId, input.checkinId);
  if (!found.ok) return found;
  const from = found.record.status;
  if (FOLLOW_UP_STATUSES.indexOf(status) < FOLLOW_UP_STATUSES.indexOf(from)) return { ok: false as const, reason: 'backwards' as const };
  const note = typed.text || null;
  const at = now;
  await upsertFollowUp(tx, { venueId: input.venueId, checkinId: input.checkinId, status, note, byAccountId: actor.accountId, at });
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'door_red.follow_up',
    targetType: 'checkin',
    targetId: input.checkinId,
    venueId: input.venueId,
    details: { from, to: status, note: note !== null },
    at,
  });
  return { ok: true as const, status };
}

export type RevealInput = { venueId: string; checkinId: string; reason: string };

/**
 * Reveals who a red record names — full name, document type and number — to an official of its region,
 * for a stated reason (2–200 characters). The audit row is written in the same transaction as the read
 * (SPEC T5): if it cannot be written, nothing is answered.
 */
export async function revealRedCode(tx: Db, keys: FieldKeys, actor: { accountId: string }, input: RevealInput, now = new Date()) {
  const allowed = await authorizeOfficial(tx, actor.accountId, 'follow_red_codes', { none: true });
  if (!allowed.ok) return forbidden;
  const { official } = allowed;
  const typed = normaliseText(input.reason);
  if (!typed.ok) return { ok: false as const, reason: typed.error };
  const length = textLength(typed.text);
  if (length < REVEAL_REASON.min || length > REVEAL_REASON.max) return { ok: false as const, reason: 'reason_length' as const };
  const found = await redCodeForOfficial(tx, official, input.venueId, input.checkinId);
  if (!found.ok) return found;
  if (!found.record.personId) return { ok: false as const, reason: 'anonymised' as const };
  const person = await personIdentityOf(tx, found.record.personId);
  if (!person) return { ok: false as const, reason: 'anonymised' as const };
  await appendAudit(tx, {
    actorAccountId: actor.accountId,
    action: 'door_red.reveal',
    targetType: 'person',
    targetId: found.record.personId,
    venueId: input.venueId,
    reason: typed.text,
    details: { checkinId: input.checkinId },
    at: now,
  });
  return {
    ok: true as const,
    person: {
      name: decryptField(keys, person.nameEnc),
      idType: person.idType,
      idNumber: decryptField(keys, person.idNumberEnc),
      nationality: person.nationality,
    },
  };
}
