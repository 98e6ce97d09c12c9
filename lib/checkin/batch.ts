import 'server-only';
import { z } from 'zod';
import { httpStatusOf } from '@/lib/server/reasons';
import type { CheckinPayload, CheckinResult, StoredCheckin } from './record-checkin';

/** Records per batch request: a backlog is sent in slices this big. */
export const MAX_BATCH_RECORDS = 200;
/** Bytes per batch request body (a record is ≈ 400 bytes of JSON). */
export const MAX_BATCH_BYTES = MAX_BATCH_RECORDS * 1024;

/**
 * The offline queue's request: its records (each judged on its own by the write path) and the account the
 * device says took them. Refusals of the whole request, in this order: not an object or no records →
 * 'invalid' (400), another account's records → 'wrong_account' (403), too many → 'too_many_records' (413).
 */
const batchEnvelope = z.looseObject({ records: z.unknown().optional(), checkerAccountId: z.unknown().optional() });
const records = z.array(z.unknown()).min(1);

export type BatchItemAnswer = { clientId: string; status: number; error?: string; duplicate?: boolean; record?: StoredCheckin };
export type BatchAnswer =
  { ok: true; results: BatchItemAnswer[]; committed: CheckinResult[] } | { ok: false; status: number; error: string };

/** The whole request refused, or its records (not yet judged) for recordCheckins. */
export function readBatch(
  body: unknown,
  actor: { accountId: string },
): { ok: true; records: CheckinPayload[] } | { ok: false; error: string } {
  const envelope = batchEnvelope.safeParse(body);
  if (!envelope.success || Array.isArray(body)) return { ok: false, error: 'invalid' };
  const { checkerAccountId } = envelope.data;
  const another = checkerAccountId !== undefined && checkerAccountId !== actor.accountId;
  if (another) return { ok: false, error: 'wrong_account' };
  const list = records.safeParse(envelope.data.records);
  if (!list.success) return { ok: false, error: 'invalid' };
  if (list.data.length > MAX_BATCH_RECORDS) return { ok: false, error: 'too_many_records' };
  return { ok: true, records: list.data as CheckinPayload[] };
}

/** Each record's answer, as the single route would give it (status per record). */
export function batchAnswers(records: CheckinPayload[], results: CheckinResult[]): BatchItemAnswer[] {
  return results.map((result, i) => {
    const payload = records[i];
    const clientId = typeof payload?.clientId === 'string' ? payload.clientId.slice(0, 64) : '';
    if (result.ok) {
      return { clientId, status: result.duplicate ? 200 : 201, duplicate: result.duplicate, record: result.record };
    }
    return { clientId, status: httpStatusOf(result.reason), error: result.reason };
  });
}
