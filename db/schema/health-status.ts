import { sql } from 'drizzle-orm';
import { bigint, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Colour history as the health authority reported it (H1, H7), keyed by the document's keyed hash so a
 * status sent before the person registers applies when they do. The colour at time T is the row with
 * the latest valid_from <= T; no row means green. Append-only: corrections are new rows.
 */
export const statusChanges = pgTable(
  'status_changes',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    idHash: text('id_hash').notNull(),
    colour: text('colour').notNull(),
    reason: text('reason'),
    validFrom: timestamp('valid_from', { withTimezone: true }).notNull(),
    source: text('source').notNull(),
    setByAccountId: uuid('set_by_account_id'),
    importBatchId: text('import_batch_id'),
    note: text('note'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('status_changes_lookup_idx').on(t.idHash, t.validFrom.desc(), t.id.desc()),
    check('status_changes_colour_ck', sql`${t.colour} in ('green','red')`),
    check(
      'status_changes_reason_ck',
      sql`(${t.colour} = 'green' and ${t.reason} is null) or (${t.colour} = 'red' and ${t.reason} in ('confirmed','suspected','close_contact','other_province','centralised_isolation','home_isolation'))`,
    ),
    check('status_changes_source_ck', sql`${t.source} in ('official','import')`),
  ],
);

/** Bulk imports by batch id: resending a batch is answered from here and changes nothing. */
export const statusImportBatches = pgTable('status_import_batches', {
  batchId: text('batch_id').primaryKey(),
  requestHash: text('request_hash').notNull(),
  itemCount: integer('item_count').notNull(),
  applied: integer('applied').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
});
