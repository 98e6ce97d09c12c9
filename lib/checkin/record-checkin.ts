import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/db';
import {
  checkinByClientId,
  doorFactsMany,
  insertCheckinLocked,
  insertCheckinsLocked,
  type DoorFacts,
  type DoorWriteExtras,
  type DoorWriteResult,
} from '@/db/queries/checkins';
import { statusAt } from '@/db/queries/health-status';
import { personForScan } from '@/db/queries/persons';
import { findActiveSessions } from '@/db/queries/accounts';
import type { CodeStatus, RedReason } from '@/lib/health-code/colours';
import { judgeScannedPerson, type ResolvedPerson } from '@/lib/health-code/resolve-code';
import type { ParsedToken } from '@/lib/health-code/token';
import { isUuid } from '@/lib/utils/uuid';
import { ageBandOn, type AgeBand } from './age-band';
import { effectiveTime } from './effective-time';
import { SUPERSEDE_WINDOW_MS } from './supersede';
import { formatTemperature, parseTemperature } from './temperature';

export type CheckinMethod = 'scan' | 'typed' | 'quick';

/** What a scanner (or the quick check-in page) sends for one record. */
export type CheckinPayload = {
  clientId: string;
  venueId: string;
  method: CheckinMethod;
  /** Scanned token text or typed short code; for quick check-ins, the person id. */
  code: string;
  temperature?: string | number | null;
  scannedAt: number;
  clockOffsetMs: number;
  /** The entrance it was taken at; absent or null: the venue's main entrance (records queued before entrances existed). */
  entranceId?: string | null;
};

export type StoredCheckin = {
  id: string;
  clientId: string;
  venueId: string;
  method: CheckinMethod;
  temperature: string | null;
  fever: boolean;
  colour: 'green' | 'red';
  redReason: string | null;
  effectiveAt: string;
  late: boolean;
  supersedes: string | null;
  storedSuperseded: boolean;
  /** Null only for records stored before entrances existed (the main entrance). */
  entranceId: string | null;
  /** Stored late with a code re-issued after its effective time. */
  codeReissued: boolean;
  /** Stored after the checker's binding ended (effective before it). */
  checkerUnbound: boolean;
  /** What a venue may know of the person (V9): masked name, gender, age band. Never the birth date. */
  person: { nameMasked: string; gender: 'M' | 'F'; ageBand: AgeBand | null };
};

export type CheckinFailure =
  | 'invalid'
  | 'temperature_format'
  | 'temperature_too_low'
  | 'temperature_too_high'
  | 'invalid_time'
  | 'future'
  | 'too_old'
  | 'not_checker'
  /** SPEC L3: not_checker for a record effective after the venue closed, told to its checkers (lib/checkin/venue-closed.ts). */
  | 'venue_closed'
  | 'conflict'
  | 'not_ours'
  | 'bad_signature'
  | 'superseded'
  | 'unknown_person'
  | 'format'
  | 'checksum'
  | 'unknown_code'
  | 'rate_limited'
  | 'unknown_entrance'
  /** Only where the caller left the session row to this write (CheckinRequest.sessionId): it is not active. */
  | 'unauthenticated';

export type CheckinResult = { ok: true; duplicate: boolean; record: StoredCheckin } | { ok: false; reason: CheckinFailure };

/**
 * Resolves the payload's code to a person; the front (scan, typed, quick) decides how. A front whose
 * code names the person without the database (a signed token) also offers `claimsOf`: the write path
 * then reads that person with the binding and the colour in its one look-up (same answers, fewer trips).
 */
export type PersonResolver = ((
  payload: CheckinPayload,
) => Promise<{ ok: true; person: ResolvedPerson } | { ok: false; reason: CheckinFailure }>) & {
  claimsOf?: (payload: CheckinPayload) => ParsedToken | undefined;
};

/** The hash of what the client sent: the same client id with a different payload is a conflict (409). */
export function payloadHash(p: CheckinPayload): string {
  const canonical = [
    p.venueId,
    p.method,
    p.code.trim(),
    p.temperature === undefined || p.temperature === null ? '' : String(p.temperature).trim(),
    p.scannedAt,
    p.clockOffsetMs,
    // Only when named: a record queued before entrances existed keeps the hash it was stored with.
    ...(p.entranceId ? [p.entranceId] : []),
  ].join('\n');
  return createHash('sha256').update(canonical).digest('base64url');
}

type PersonFacts = { nameMasked: string; gender: 'M' | 'F'; birthDate: string };
type StoredRow = Pick<
  NonNullable<Awaited<ReturnType<typeof checkinByClientId>>>,
  | 'id'
  | 'clientId'
  | 'venueId'
  | 'method'
  | 'temperatureDeci'
  | 'fever'
  | 'colour'
  | 'redReason'
  | 'effectiveAt'
  | 'late'
  | 'supersedesId'
  | 'supersededById'
  | 'entranceId'
  | 'codeReissued'
  | 'checkerUnbound'
>;

/** The colour in the door's look-up, as statusAt reads it: the latest report valid then, green when none. */
function statusOfFacts(facts: DoorFacts): CodeStatus {
  const s = facts.status;
  if (!s) return { colour: 'green', reason: null, since: null };
  return s.colour === 'red'
    ? { colour: 'red', reason: s.reason as RedReason, since: s.validFrom }
    : { colour: 'green', reason: null, since: s.validFrom };
}

function toStored(row: StoredRow, person: PersonFacts): StoredCheckin {
  return {
    id: row.id,
    clientId: row.clientId,
    venueId: row.venueId,
    method: row.method as CheckinMethod,
    temperature: row.temperatureDeci === null ? null : formatTemperature(row.temperatureDeci),
    fever: row.fever,
    colour: row.colour as 'green' | 'red',
    redReason: row.redReason,
    effectiveAt: row.effectiveAt.toISOString(),
    late: row.late,
    supersedes: row.supersedesId,
    storedSuperseded: row.supersededById !== null,
    entranceId: row.entranceId,
    codeReissued: row.codeReissued,
    checkerUnbound: row.checkerUnbound,
    person: {
      nameMasked: person.nameMasked,
      gender: person.gender,
      ageBand: person.birthDate ? ageBandOn(person.birthDate, row.effectiveAt) : null,
    },
  };
}

type ReadPayload =
  | { ok: false }
  | {
      ok: true;
      hash: string;
      temperature: { deci: number | null; fever: boolean };
      /** Answered only after a stored client id (a resend gets its stored answer whatever else is wrong). */
      failure: CheckinFailure | null;
      when: ReturnType<typeof effectiveTime>;
    };

const uuid = z.string().refine(isUuid);
/**
 * The part of a payload refused outright ('invalid', before any look-up). The temperature and the times
 * are judged after the client id (readPayload): a resend gets its stored answer whatever else is wrong.
 */
export const checkinPayloadShape = z.looseObject({
  clientId: uuid,
  venueId: uuid,
  method: z.enum(['scan', 'typed', 'quick']),
  code: z.string().max(300),
  entranceId: uuid.nullish(),
});

/** What can be decided about a payload without the database. */
function readPayload(payload: CheckinPayload, now: Date): ReadPayload {
  if (!checkinPayloadShape.safeParse(payload).success) return { ok: false };
  const hash = payloadHash(payload);
  let temperature: { deci: number | null; fever: boolean } = { deci: null, fever: false };
  let failure: CheckinFailure | null = null;
  if (payload.method !== 'quick') {
    const t = parseTemperature(payload.temperature);
    if (t.ok) temperature = { deci: t.deci, fever: t.fever };
    else failure = `temperature_${t.reason}`;
  } else if (payload.temperature !== undefined && payload.temperature !== null && payload.temperature !== '') {
    failure = 'invalid';
  }
  const when = effectiveTime(payload.scannedAt, payload.clockOffsetMs, now);
  if (!failure && !when.ok) failure = when.reason;
  return { ok: true, hash, temperature, failure, when };
}

/** The row to insert for an accepted payload. */
function rowValues(
  actor: { accountId: string },
  payload: CheckinPayload,
  read: Extract<ReadPayload, { ok: true }>,
  at: { at: Date; late: boolean },
  person: ResolvedPerson,
  status: CodeStatus,
  now: Date,
) {
  return {
    venueId: payload.venueId,
    clientId: payload.clientId,
    checkerAccountId: actor.accountId,
    personId: person.personId,
    method: payload.method,
    temperatureDeci: read.temperature.deci,
    fever: read.temperature.fever,
    colour: status.colour,
    redReason: status.reason,
    scannedAt: new Date(payload.scannedAt),
    clockOffsetMs: payload.clockOffsetMs,
    effectiveAt: at.at,
    receivedAt: now,
    late: at.late,
    payloadHash: read.hash,
  };
}

/** What the door's write decides with the record under its locks: the entrance and the person's facts then. */
const extrasOf = (payload: CheckinPayload, person: ResolvedPerson, at: Date): DoorWriteExtras => ({
  entranceId: payload.entranceId ?? null,
  gender: person.gender,
  ageBand: ageBandOn(person.birthDate, at),
  codeGeneration: person.codeGeneration,
});

const supersedeWindow = (at: Date) => ({
  beforeFrom: new Date(at.getTime() - SUPERSEDE_WINDOW_MS),
  afterUntil: new Date(at.getTime() + SUPERSEDE_WINDOW_MS),
});

/** The door's look-up answered for a signed code: not a checker here, the code's failure, or the person and colour. */
function judgeFacts(
  facts: DoorFacts,
  claims: ParsedToken,
): { ok: true; person: ResolvedPerson; status: CodeStatus } | { ok: false; reason: CheckinFailure } {
  // The binding first: someone who is not a checker here learns nothing about codes (short-code probing).
  if (!facts.bound) return { ok: false, reason: 'not_checker' };
  if (!claims.ok) return claims;
  // An ended generation is left to checkin_insert, which judges it as of the effective time under the code lock.
  const judged = judgeScannedPerson(claims.claims, facts.person, 'as_of_scan');
  if (!judged.ok) return judged;
  return { ok: true, person: judged.person, status: statusOfFacts(facts) };
}

/**
 * The one write path for check-ins: scans, typed codes, quick check-ins and the offline queue's batches.
 * Its internals: callers use recordCheckins / recordCheckin (lib/checkin/record.ts).
 * The server checks everything again (the client is never trusted): the payload, the effective time,
 * the person, the checker's binding at the effective time; the colour is the one at the effective time.
 * Exactly once by (venue, client id). One short transaction, no shared hot row: the only lock is per
 * person and venue, which decides supersede links (V12) one at a time.
 */
export async function writeCheckin(
  db: Db,
  actor: { accountId: string },
  payload: CheckinPayload,
  resolvePerson: PersonResolver,
  now = new Date(),
): Promise<CheckinResult> {
  const read = readPayload(payload, now);
  if (!read.ok) return { ok: false, reason: 'invalid' };
  const { hash, when } = read;

  if (read.failure || !when.ok) {
    const existing = await checkinByClientId(db, payload.venueId, payload.clientId);
    if (existing) return answerExisting(db, existing, hash, actor);
    return { ok: false, reason: read.failure ?? 'invalid' };
  }
  // One look-up for the client id, the binding at the effective time and, for a signed code, the person
  // and their colour then. The answers are taken in the same order as before.
  const claims = resolvePerson.claimsOf?.(payload);
  const personId = claims?.ok ? claims.claims.personId : null;
  const [facts] = await doorFactsMany(db, [
    { venueId: payload.venueId, clientId: payload.clientId, accountId: actor.accountId, at: when.at, personId },
  ]);
  if (facts.existing) {
    const existing = await checkinByClientId(db, payload.venueId, payload.clientId);
    if (existing) return answerExisting(db, existing, hash, actor);
  }

  let person: ResolvedPerson;
  let status: CodeStatus;
  if (claims) {
    const judged = judgeFacts(facts, claims);
    if (!judged.ok) return judged;
    ({ person, status } = judged);
  } else {
    if (!facts.bound) return { ok: false, reason: 'not_checker' };
    const resolved = await resolvePerson(payload);
    if (!resolved.ok) return resolved;
    person = resolved.person;
    status = await statusAt(db, person.idHash, when.at);
  }

  const values = rowValues(actor, payload, read, when, person, status, now);
  const inserted = await insertCheckinLocked(db, values, supersedeWindow(when.at), extrasOf(payload, person, when.at));
  return answerInserted(db, actor, values, inserted, person, hash);
}

async function answerInserted(
  db: Db,
  actor: { accountId: string },
  values: ReturnType<typeof rowValues>,
  inserted: DoorWriteResult | null,
  person: ResolvedPerson,
  hash: string,
): Promise<CheckinResult> {
  const masked = { nameMasked: person.nameMasked, gender: person.gender, birthDate: person.birthDate };
  if (inserted && 'refused' in inserted) return { ok: false, reason: inserted.refused };
  if (inserted) return { ok: true, duplicate: false, record: toStored({ ...values, ...inserted }, masked) };
  // A concurrent resend of the same record won the insert: answer as for any resend.
  const winner = await checkinByClientId(db, values.venueId, values.clientId);
  return winner ? answerExisting(db, winner, hash, actor) : { ok: false, reason: 'conflict' };
}

/**
 * One record to write and who sent it when (a batch shares actor and time; coalesced singles do not).
 * With `sessionId`, the actor is what the session cookie claims and the session row is checked here, in
 * the group's look-up: a record whose session is not active (revoked, expired, another account's) is
 * answered 'unauthenticated' and nothing of it is written.
 */
export type WriteRequest = { actor: { accountId: string }; payload: CheckinPayload; now: Date; sessionId?: string };

/**
 * Many records — the offline queue's batch of one account, or single check-ins of many checkers that
 * arrived together (recordCheckin, lib/checkin/record.ts) — answered each on its own exactly as writeCheckin answers
 * it, in two round trips for the usual case — signed codes, new client ids: one look-up for all of them
 * and one statement writing all of them (per-person locks, in lock order). The rest — resends, typed or
 * quick codes, anything refused before the look-up — and any record whose group write failed take
 * writeCheckin one by one, after the group.
 */
export async function writeCheckins<R extends WriteRequest>(
  db: Db,
  requests: readonly R[],
  resolverOf: (r: R) => PersonResolver,
): Promise<CheckinResult[]> {
  const results: (CheckinResult | undefined)[] = new Array(requests.length);
  const fast: { i: number; read: Extract<ReadPayload, { ok: true }>; at: { at: Date; late: boolean }; claims: ParsedToken }[] = [];
  requests.forEach(({ payload, now }, i) => {
    const read = readPayload(payload, now);
    if (!read.ok) results[i] = { ok: false, reason: 'invalid' };
    else if (!read.failure && read.when.ok) {
      const claims = resolverOf(requests[i]).claimsOf?.(payload);
      if (claims) fast.push({ i, read, at: read.when, claims });
    }
  });
  const facts = await doorFactsMany(
    db,
    fast.map((f) => {
      const { actor, payload, sessionId } = requests[f.i];
      return {
        accountId: actor.accountId,
        sessionId,
        venueId: payload.venueId,
        clientId: payload.clientId,
        at: f.at.at,
        personId: f.claims.ok ? f.claims.claims.personId : null,
      };
    }),
  );
  // Sessions left to this write and not in the look-up (refused or resolved another way): checked now,
  // before any answer, so a revoked session learns nothing about its payload either.
  const inLookup = new Set(fast.map((f) => f.i));
  const unchecked = requests.flatMap((r, i) => (r.sessionId !== undefined && !inLookup.has(i) ? [i] : []));
  if (unchecked.length > 0) {
    const active = await findActiveSessions(db, [...new Set(unchecked.map((i) => requests[i].sessionId!))], new Date());
    const ok = new Set(active.map((s) => `${s.sessionId}:${s.accountId}`));
    for (const i of unchecked)
      if (!ok.has(`${requests[i].sessionId}:${requests[i].actor.accountId}`)) results[i] = { ok: false, reason: 'unauthenticated' };
  }
  const writes: { i: number; values: ReturnType<typeof rowValues>; person: ResolvedPerson; hash: string; extras: DoorWriteExtras }[] = [];
  fast.forEach((f, k) => {
    if (facts[k].session === false) return void (results[f.i] = { ok: false, reason: 'unauthenticated' });
    if (facts[k].existing) return; // a resend: answered one by one below
    const judged = judgeFacts(facts[k], f.claims);
    const { actor, payload, now } = requests[f.i];
    if (!judged.ok) results[f.i] = judged;
    else
      writes.push({
        i: f.i,
        values: rowValues(actor, payload, f.read, f.at, judged.person, judged.status, now),
        person: judged.person,
        hash: f.read.hash,
        extras: extrasOf(payload, judged.person, f.at.at),
      });
  });
  let inserted: Awaited<ReturnType<typeof insertCheckinsLocked>> | null = null;
  try {
    inserted = await insertCheckinsLocked(
      db,
      writes.map((w) => ({ values: w.values, window: supersedeWindow(w.values.effectiveAt), extras: w.extras })),
    );
  } catch {
    // Nothing of the group was written (one statement): each record takes the single path instead.
  }
  if (inserted) {
    for (const [k, w] of writes.entries())
      if (inserted[k]) results[w.i] = await answerInserted(db, requests[w.i].actor, w.values, inserted[k], w.person, w.hash);
  }
  for (let i = 0; i < requests.length; i++) {
    const r = requests[i];
    results[i] ??= await writeCheckin(db, r.actor, r.payload, resolverOf(r), r.now);
  }
  return results as CheckinResult[];
}

/** A resend: the same payload from the same checker gets the stored answer; anything else is a conflict. */
async function answerExisting(
  db: Db,
  row: NonNullable<Awaited<ReturnType<typeof checkinByClientId>>>,
  hash: string,
  actor: { accountId: string },
): Promise<CheckinResult> {
  if (row.payloadHash !== hash || row.checkerAccountId !== actor.accountId) return { ok: false, reason: 'conflict' };
  // The person may have been erased since (SPEC L2): the record stands, the answer names nobody.
  const person = row.personId ? await personForScan(db, row.personId) : null;
  return {
    ok: true,
    duplicate: true,
    record: toStored(row, {
      nameMasked: person?.nameMasked ?? '',
      gender: (person?.gender ?? 'M') as 'M' | 'F',
      birthDate: person?.birthDate ?? '',
    }),
  };
}
