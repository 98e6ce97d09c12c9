import 'server-only';
import type { DbOrTx } from '@/db';
import { notifyOnCommit } from '@/db/queries/live';

// Revocations on the live bus: when a session, a role or a binding is taken away, every live stream that
// depended on it ends at once, on every app server (lib/live/stream.ts), instead of at its next 30 s check.

export const REVOKED_CHANNEL = 'live_revoked';

/** The role a stream is opened in; a revocation naming a role ends only the streams opened in it. */
/** `official`: the ops topic of a health official (SPEC T1: a revoked or moved role ends it at once). */
export type LiveRole = 'admin' | 'checker' | 'official';

/** What the stream's `end` event says when a revocation ended it. */
export type RevokedReason =
  'signed_out' | 'removed' | 'unbound' | 'admin_replaced' | 'became_admin' | 'venue_closed' | 'official_revoked' | 'official_changed';

/**
 * What travels on the channel: ids and a reason, nothing personal. `a` is the account; `s`, `v` and `r`
 * narrow it to one session, one venue, one role (absent: all of the account's).
 */
export type Revocation = { a: string; s?: string; v?: string; r?: LiveRole; why: RevokedReason };

/** What a stream depends on: its account and session, and the venue and role it was opened for (if any). */
export type StreamScope = { accountId: string; sessionId: string; venueId?: string; role?: LiveRole };

/** Whether `revocation` takes away something the stream of `scope` depends on. */
export function revocationEnds(scope: StreamScope, revocation: Revocation): boolean {
  return (
    revocation.a === scope.accountId &&
    (revocation.s === undefined || revocation.s === scope.sessionId) &&
    (revocation.v === undefined || revocation.v === scope.venueId) &&
    (revocation.r === undefined || revocation.r === scope.role)
  );
}

const REASONS = new Set<string>([
  'signed_out',
  'removed',
  'unbound',
  'admin_replaced',
  'became_admin',
  'venue_closed',
  'official_revoked',
  'official_changed',
]);
const optionalString = (v: unknown) => v === undefined || typeof v === 'string';

/** A payload from the channel, or null when it is not a revocation (garbage is ignored, never a crash). */
export function parseRevocation(payload: string): Revocation | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  if (typeof r.a !== 'string' || typeof r.why !== 'string' || !REASONS.has(r.why)) return null;
  if (!optionalString(r.s) || !optionalString(r.v) || (r.r !== undefined && r.r !== 'admin' && r.r !== 'checker' && r.r !== 'official'))
    return null;
  return r as Revocation;
}

/**
 * Announces revocations from inside the transaction that makes them: delivered when that transaction
 * commits, never if it rolls back. Call it once per revoking write, after the write.
 */
export async function announceRevocation(tx: DbOrTx, ...revocations: Revocation[]): Promise<void> {
  for (const revocation of revocations) await notifyOnCommit(tx, REVOKED_CHANNEL, JSON.stringify(revocation));
}
