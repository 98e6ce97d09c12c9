import type { Db } from '@/db';
import { recordManyAtDoor, statusForFailure } from './door';
import type { CheckinPayload, CheckinResult, StoredCheckin } from './record-checkin';

/** Records per batch request: a backlog is sent in slices this big. */
export const MAX_BATCH_RECORDS = 200;
/** Bytes per batch request body (a record is ≈ 400 bytes of JSON). */
export const MAX_BATCH_BYTES = MAX_BATCH_RECORDS * 1024;

export type BatchItemAnswer = { clientId: string; status: number; error?: string; duplicate?: boolean; record?: StoredCheckin };
export type BatchAnswer =
  | { ok: true; results: BatchItemAnswer[]; committed: CheckinResult[] }
  | { ok: false; status: number; error: string };

/**
 * The offline queue's sync: many records in one request, each through the one write path and answered
 * on its own (a refused record never blocks the others). `checkerAccountId` is the account the device
 * says took the records: when another account is signed in, nothing is recorded (records stay
 * attributed to the checker who took them).
 */
export async function recordBatchAtDoor(db: Db, actor: { accountId: string; ip?: string }, body: unknown, now = new Date()): Promise<BatchAnswer> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, status: 400, error: 'invalid' };
  const { records, checkerAccountId } = body as { records?: unknown; checkerAccountId?: unknown };
  if (checkerAccountId !== undefined && checkerAccountId !== actor.accountId) return { ok: false, status: 403, error: 'wrong_account' };
  if (!Array.isArray(records) || records.length === 0) return { ok: false, status: 400, error: 'invalid' };
  if (records.length > MAX_BATCH_RECORDS) return { ok: false, status: 413, error: 'too_many_records' };

  const results: BatchItemAnswer[] = [];
  const committed = await recordManyAtDoor(db, actor, records as CheckinPayload[], now);
  committed.forEach((result, i) => {
    const payload = (records as CheckinPayload[])[i];
    const clientId = typeof payload?.clientId === 'string' ? payload.clientId.slice(0, 64) : '';
    results.push(
      result.ok
        ? { clientId, status: result.duplicate ? 200 : 201, duplicate: result.duplicate, record: result.record }
        : { clientId, status: statusForFailure(result.reason), error: result.reason },
    );
  });
  return { ok: true, results, committed };
}
