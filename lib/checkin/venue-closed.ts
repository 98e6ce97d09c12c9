import 'server-only';
import type { DbOrTx } from '@/db';
import { endedByClosure } from '@/db/queries/checker-bindings';
import { venueById } from '@/db/queries/venues';
import { isUuid } from '@/lib/utils/uuid';
import { effectiveTime } from './effective-time';
import type { CheckinPayload, CheckinResult } from './record-checkin';

/**
 * SPEC L3: when the venue closed, if this account was bound there until the closure (anyone else learns
 * nothing: they hear not_checker as before). Null: the venue is open, or the account is not concerned.
 */
export async function venueClosedFor(db: DbOrTx, venueId: unknown, accountId: string): Promise<Date | null> {
  if (!isUuid(venueId)) return null;
  const venue = await venueById(db, venueId);
  if (!venue?.closedAt) return null;
  return (await endedByClosure(db, venueId, accountId)) ? venue.closedAt : null;
}

/**
 * The door's answers made clear after a closure: a record refused `not_checker` whose effective time is at
 * or after the venue's closure (its checker bound until then) is answered `venue_closed`. Records taken
 * before the closure are not refused at all — the binding held at their effective time — so this only
 * renames refusals; it never lets anything through nor refuses anything more. Looked up only on refusals.
 */
export async function explainClosedVenue(
  db: DbOrTx,
  requests: readonly { actor: { accountId: string }; payload: CheckinPayload; now: Date }[],
  results: CheckinResult[],
): Promise<CheckinResult[]> {
  const out = [...results];
  const seen = new Map<string, Date | null>();
  for (const [i, r] of results.entries()) {
    if (r.ok || r.reason !== 'not_checker') continue;
    const { actor, payload, now } = requests[i];
    const key = `${payload?.venueId}:${actor.accountId}`;
    if (!seen.has(key)) seen.set(key, await venueClosedFor(db, payload?.venueId, actor.accountId));
    const closedAt = seen.get(key);
    const when = effectiveTime(payload?.scannedAt, payload?.clockOffsetMs, now);
    if (closedAt && (!when.ok || when.at >= closedAt)) out[i] = { ok: false, reason: 'venue_closed' };
  }
  return out;
}
