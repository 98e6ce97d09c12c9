import 'server-only';
import type { Db } from '@/db';
import { env } from '@/lib/env';
import { resolveScannedText, resolveShortCode, type GenerationRule } from '@/lib/health-code/resolve-code';
import { codeKeysFromEnv, verifyCodeToken } from '@/lib/health-code/token';
import { coalescer } from '@/lib/utils/coalesce';
import { isUuid } from '@/lib/utils/uuid';
import { writeCheckin, writeCheckins } from './record-checkin';
import { explainClosedVenue } from './venue-closed';
import type { CheckinPayload, CheckinResult, PersonResolver } from './record-checkin';

/**
 * The check-in entry point: recordCheckins for many records, recordCheckin for one. Every front — the
 * scanner (single or its offline queue's batch), the quick check-in — comes through here to the one
 * write path (lib/checkin/record-checkin.ts).
 */

/** The signed-in checker, and the client IP their request came from (for the per-IP guessing limit). */
export type CheckinActor = { accountId: string; ip?: string | null };

export type CheckinRequest = {
  actor: CheckinActor;
  payload: CheckinPayload;
  now: Date;
  /**
   * The session the actor's cookie claims, when the caller left the session row to this write (the door's
   * scan): checked in the group's look-up; not active → 'unauthenticated', nothing written.
   */
  sessionId?: string;
  /** How the front names the person (the quick check-in). Default: the door's, a scanned or typed code. */
  resolve?: PersonResolver;
};

/**
 * Scans resolve the signed token; typed entries resolve the short code (misses rate-limited, audited).
 * `rule`: 'current' for what is judged now (the preview); the write passes 'as_of_scan' — an ended code is
 * then judged by checkin_insert as of the record's effective time (lib/health-code/resolve-code.ts).
 */
export function doorResolver(
  db: Db,
  actor: CheckinActor,
  fixedVenueId: string | null,
  now: Date,
  rule: GenerationRule = 'current',
): PersonResolver {
  const resolve: PersonResolver = async (payload) => {
    const venueId = fixedVenueId ?? (isUuid(payload?.venueId) ? payload.venueId : '');
    if (payload.method === 'scan') return resolveScannedText(db, codeKeysFromEnv(), payload.code, rule);
    if (payload.method === 'typed') {
      const e = env();
      const perIp = { perMinute: e.SHORT_CODE_MISSES_PER_IP_PER_MINUTE, secret: e.NEXTAUTH_SECRET };
      const limits = { perMinute: e.SHORT_CODE_LOOKUPS_PER_MINUTE, perIp };
      return resolveShortCode(db, { accountId: actor.accountId, venueId, ip: actor.ip }, payload.code, limits, now, rule);
    }
    return { ok: false, reason: 'invalid' };
  };
  // A scanned token is verified without the database; the write path then looks the person up itself.
  resolve.claimsOf = (payload) => (payload.method === 'scan' ? verifyCodeToken(codeKeysFromEnv(), payload.code) : undefined);
  return resolve;
}

const resolverOf = (db: Db) => (r: CheckinRequest) => r.resolve ?? doorResolver(db, r.actor, null, r.now, 'as_of_scan');

/**
 * Many records (a batch of the offline queue, a family's quick check-in), each answered on its own exactly
 * as alone, written as a group (tests/integration/checkin-batch-group.test.ts). The caller publishes the
 * committed results to the live channel (publishRecorded).
 */
export async function recordCheckins(db: Db, requests: readonly CheckinRequest[]): Promise<CheckinResult[]> {
  return explainClosedVenue(db, requests, await writeCheckins(db, requests, resolverOf(db)));
}

/** Groups of scans that arrive together: as many as a batch; groups at the database at once, per process. */
const GROUP_MAX = 200;
const GROUPS_IN_FLIGHT = 8;
const groupWriters = new WeakMap<Db, (r: CheckinRequest) => Promise<CheckinResult>>();

/**
 * One record. A scan under load is written with the scans that arrive while earlier ones are at the
 * database (one look-up and one statement for the group, each answered exactly as alone —
 * tests/integration/door-writer.test.ts); a quiet door's scan goes at once. Typed short codes
 * (rate-limited per checker) and quick check-ins go alone.
 *
 * `actor.sessionId`: the actor is what the session cookie claims, and the session row is checked in the
 * group's look-up instead of a round trip of its own ('unauthenticated' when it is not active). Scans only.
 */
export async function recordCheckin(
  db: Db,
  actor: CheckinActor & { sessionId?: string },
  payload: CheckinPayload,
  now = new Date(),
): Promise<CheckinResult> {
  const { sessionId, ...who } = actor;
  // A refusal after the venue closed says so (lib/checkin/venue-closed.ts); only refusals are looked at.
  const explained = async (result: CheckinResult) => (await explainClosedVenue(db, [{ actor: who, payload, now }], [result]))[0];
  if (payload?.method !== 'scan') {
    if (sessionId !== undefined) throw new Error('recordCheckin: only scans check the session in the write');
    return explained(
      await writeCheckin(db, who, payload, doorResolver(db, who, isUuid(payload?.venueId) ? payload.venueId : '', now, 'as_of_scan'), now),
    );
  }
  let write = groupWriters.get(db);
  if (!write) {
    write = coalescer(
      async (requests: readonly CheckinRequest[]) =>
        requests.length === 1 && requests[0].sessionId === undefined
          ? [await writeCheckin(db, requests[0].actor, requests[0].payload, resolverOf(db)(requests[0]), requests[0].now)]
          : writeCheckins(db, requests, resolverOf(db)),
      { maxBatch: GROUP_MAX, maxInFlight: GROUPS_IN_FLIGHT },
    );
    groupWriters.set(db, write);
  }
  return explained(await write({ actor: who, payload, now, sessionId }));
}
