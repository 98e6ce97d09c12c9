import 'server-only';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { insertStatusChanges, type NewStatus } from '@/db/queries/health-status';
import { statusKeysOf } from '@/db/queries/persons';
import { claimImportBatch, importedBatch } from '@/db/queries/status-import';
import { hashIdDocument, type FieldKeys } from '@/lib/identity/field-crypto';
import { isRedReason } from './colours';
import { isCalendarDate } from '@/lib/identity/id-documents';
import { checkDocumentNumber } from './document-ref';

export const MAX_IMPORT_ITEMS = 10_000;
// An explicit offset is required: a time without one would mean different instants on different servers.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

const itemSchema = z.object({
  idType: z.string().max(32),
  idNumber: z.string().max(40),
  nationality: z.string().max(8).nullish(),
  colour: z.string().max(16),
  reason: z.string().max(40).nullish(),
  asOf: z.string().max(40),
});

const batchSchema = z.object({
  batchId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w.:-]+$/),
  items: z.array(z.unknown()).min(1).max(MAX_IMPORT_ITEMS),
});

export type ImportResult =
  | { status: 200; body: { batchId: string; accepted: number; replayed: boolean } }
  | { status: 400; body: { error: 'invalid_batch'; issues: string[] } }
  | { status: 409; body: { error: 'batch_id_reused'; batchId: string } }
  | { status: 422; body: { error: 'invalid_items'; items: { index: number; errors: string[] }[] } };

/**
 * A batch of statuses from the health authority: all or nothing, idempotent by batch id (the same batch
 * again returns the first answer; the same id with other content is a conflict). A status for a document
 * nobody has registered is kept under its keyed hash and applies when the person registers. An item
 * older than the current status is history, not a change: the colour at any time is the report with the
 * latest as-of time up to it, so an older item never overwrites a newer one.
 */
export async function importStatusBatch(db: Db, keys: FieldKeys, body: unknown, now = new Date()): Promise<ImportResult> {
  const envelope = batchSchema.safeParse(body);
  if (!envelope.success)
    return {
      status: 400,
      body: { error: 'invalid_batch', issues: envelope.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`) },
    };
  const { batchId, items } = envelope.data;
  const requestHash = createHash('sha256').update(JSON.stringify(items)).digest('base64url');

  const rows: NewStatus[] = [];
  const invalid: { index: number; errors: string[] }[] = [];
  items.forEach((raw, index) => {
    const parsed = itemSchema.safeParse(raw);
    if (!parsed.success) return void invalid.push({ index, errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) });
    const item = parsed.data;
    const errors: string[] = [];
    const doc = checkDocumentNumber(item);
    if (!doc.ok) errors.push(...Object.entries(doc.errors).map(([f, e]) => `${f}: ${e}`));
    if (item.colour !== 'green' && item.colour !== 'red') errors.push('colour: must be green or red');
    if (item.colour === 'red' && !isRedReason(item.reason)) errors.push('reason: a red status needs one of the known reasons');
    if (item.colour === 'green' && item.reason) errors.push('reason: a green status has no reason');
    const asOf = new Date(item.asOf);
    if (!ISO_INSTANT.test(item.asOf) || !isCalendarDate(item.asOf.slice(0, 10)) || Number.isNaN(asOf.getTime())) {
      errors.push('asOf: must be an ISO 8601 time with a UTC offset, e.g. 2026-05-01T08:00:00+08:00');
    } else if (asOf.getTime() > now.getTime() + 5 * 60_000) errors.push('asOf: is in the future');
    if (errors.length > 0 || !doc.ok) return void invalid.push({ index, errors });
    rows.push({
      idHash: hashIdDocument(keys, doc.doc),
      colour: item.colour as 'green' | 'red',
      reason: item.colour === 'red' ? (item.reason as NewStatus['reason']) : null,
      validFrom: asOf,
      source: 'import',
      importBatchId: batchId,
    });
  });
  if (invalid.length > 0) return { status: 422, body: { error: 'invalid_items', items: invalid.slice(0, 1000) } };

  return db.transaction(async (tx): Promise<ImportResult> => {
    // The batch row is claimed first: a concurrent resend of the same batch waits here, then sees it.
    if (!(await claimImportBatch(tx, { batchId, requestHash, itemCount: rows.length, applied: rows.length, receivedAt: now }))) {
      const existing = (await importedBatch(tx, batchId))!;
      if (existing.requestHash !== requestHash) return { status: 409, body: { error: 'batch_id_reused', batchId } };
      return { status: 200, body: { batchId, accepted: existing.applied, replayed: true } };
    }
    // A document a person holds (a renewed passport too) is filed under the person's key.
    const keys = await statusKeysOf(
      tx,
      rows.map((r) => r.idHash),
    );
    await insertStatusChanges(
      tx,
      rows.map((r) => ({ ...r, idHash: keys.get(r.idHash)! })),
    );
    await appendAudit(tx, {
      actorAccountId: null,
      action: 'status.import',
      targetType: 'status_batch',
      targetId: batchId,
      details: { items: rows.length },
      at: now,
    });
    return { status: 200, body: { batchId, accepted: rows.length, replayed: false } };
  });
}
