import type { Db } from '@/db';
import { wasActiveCheckerAt } from '@/db/queries/checker-bindings';
import { statusAt } from '@/db/queries/health-status';
import { env } from '@/lib/env';
import { resolveScannedText, resolveShortCode } from '@/lib/health-code/resolve-code';
import { codeKeysFromEnv, verifyCodeToken } from '@/lib/health-code/token';
import { coalescer } from '@/lib/utils/coalesce';
import { isUuid } from '@/lib/utils/uuid';
import { ageBandOn } from './age-band';
import { recordCheckin, recordCheckins, type CheckinPayload, type CheckinRequest, type CheckinResult, type PersonResolver } from './record-checkin';

/** The signed-in checker, and the client IP their request came from (for the per-IP guessing limit). */
type Actor = { accountId: string; ip?: string };

/** Scans resolve the signed token; typed entries resolve the short code (misses rate-limited, audited). */
function doorResolver(db: Db, actor: Actor, fixedVenueId: string | null, now: Date): PersonResolver {
  const resolve: PersonResolver = async (payload) => {
    const venueId = fixedVenueId ?? (isUuid(payload?.venueId) ? payload.venueId : '');
    if (payload.method === 'scan') return resolveScannedText(db, codeKeysFromEnv(), payload.code);
    if (payload.method === 'typed') {
      const e = env();
      const limits = { perMinute: e.SHORT_CODE_LOOKUPS_PER_MINUTE, perIp: { perMinute: e.SHORT_CODE_MISSES_PER_IP_PER_MINUTE, secret: e.NEXTAUTH_SECRET } };
      return resolveShortCode(db, { accountId: actor.accountId, venueId, ip: actor.ip }, payload.code, limits, now);
    }
    return { ok: false, reason: 'invalid' };
  };
  // A scanned token is verified without the database; the write path then looks the person up itself.
  resolve.claimsOf = (payload) => (payload.method === 'scan' ? verifyCodeToken(codeKeysFromEnv(), payload.code) : undefined);
  return resolve;
}

export type DoorPreview =
  | {
      ok: true;
      person: { nameMasked: string; gender: 'M' | 'F'; ageBand: string };
      status: { colour: 'green' | 'red'; reason: string | null };
    }
  | { ok: false; reason: string; retryAfterSeconds?: number };

/**
 * What the checker sees right after a scan, before entering a temperature: masked name, gender, age
 * band and the colour now (V9, V13). Nothing is recorded here.
 */
export async function previewAtDoor(db: Db, actor: Actor, input: { venueId: unknown; code: unknown; method: unknown }, now = new Date()): Promise<DoorPreview> {
  if (!isUuid(input.venueId) || typeof input.code !== 'string' || input.code.length > 300 || (input.method !== 'scan' && input.method !== 'typed')) {
    return { ok: false, reason: 'invalid' };
  }
  if (!(await wasActiveCheckerAt(db, input.venueId, actor.accountId, now))) return { ok: false, reason: 'not_checker' };
  const resolved = await doorResolver(db, actor, input.venueId, now)({ method: input.method, code: input.code } as CheckinPayload);
  if (!resolved.ok) return { ok: false, reason: resolved.reason, retryAfterSeconds: 'retryAfterSeconds' in resolved ? (resolved.retryAfterSeconds as number) : undefined };
  const status = await statusAt(db, resolved.person.idHash, now);
  return {
    ok: true,
    person: { nameMasked: resolved.person.nameMasked, gender: resolved.person.gender, ageBand: ageBandOn(resolved.person.birthDate, now) },
    status: { colour: status.colour, reason: status.reason },
  };
}

/**
 * A scanner's record (online or from the offline queue): the shared write path with the door's resolver.
 * The caller publishes the committed result to the live channel (publishRecorded).
 */
export function recordAtDoor(db: Db, actor: Actor, payload: CheckinPayload, now = new Date()): Promise<CheckinResult> {
  const venueId = isUuid(payload?.venueId) ? payload.venueId : '';
  return recordCheckin(db, actor, payload, doorResolver(db, actor, venueId, now), now);
}

/** HTTP status for a refused record: each reason answered on its own, never a 500. */
export function statusForFailure(reason: string): number {
  if (reason === 'unauthenticated') return 401;
  if (reason === 'not_checker') return 403;
  if (reason === 'conflict') return 409;
  if (reason === 'rate_limited') return 429;
  return 422;
}

/** The offline queue's batch: each record answered as recordAtDoor answers it, written as a group. */
export function recordManyAtDoor(db: Db, actor: Actor, payloads: CheckinPayload[], now = new Date()): Promise<CheckinResult[]> {
  const resolve = doorResolver(db, actor, null, now);
  return recordCheckins(db, payloads.map((payload) => ({ actor, payload, now })), () => resolve);
}

/** Groups of scans that arrive together: as many as a batch; groups at the database at once, per process. */
const GROUP_MAX = 200;
const GROUPS_IN_FLIGHT = 8;
type DoorRequest = CheckinRequest & { actor: Actor };
const groupWriters = new WeakMap<Db, (r: DoorRequest) => Promise<CheckinResult>>();

/**
 * recordAtDoor for the scanner's single check-ins under load: scans that arrive while earlier ones are
 * at the database are written together with recordCheckins (one look-up and one statement for the
 * group, each answered exactly as alone — tests/integration/door-writer.test.ts). A quiet door's scan
 * goes at once. Typed short codes (rate-limited per checker) take recordAtDoor directly.
 *
 * `sessionId`: the actor is what the session cookie claims, and the session row is checked in the
 * group's look-up instead of a round trip of its own ('unauthenticated' when it is not active).
 */
export function recordAtDoorGrouped(db: Db, actor: Actor & { sessionId?: string }, payload: CheckinPayload, now = new Date()): Promise<CheckinResult> {
  const { sessionId, ...who } = actor;
  if (payload?.method !== 'scan') {
    if (sessionId !== undefined) throw new Error('recordAtDoorGrouped: only scans check the session in the write');
    return recordAtDoor(db, who, payload, now);
  }
  let write = groupWriters.get(db);
  if (!write) {
    write = coalescer(
      async (requests: readonly DoorRequest[]) =>
        requests.length === 1 && requests[0].sessionId === undefined
          ? [await recordAtDoor(db, requests[0].actor, requests[0].payload, requests[0].now)]
          : recordCheckins(db, requests, (r) => doorResolver(db, r.actor, null, r.now)),
      { maxBatch: GROUP_MAX, maxInFlight: GROUPS_IN_FLIGHT },
    );
    groupWriters.set(db, write);
  }
  return write({ actor: who, payload, now, sessionId });
}
