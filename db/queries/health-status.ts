import 'server-only';
import { and, desc, eq, inArray, lte, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';
import { statusChanges } from '@/db/schema';
import type { CodeStatus, RedReason } from '@/lib/health-code/colours';

/** The colour of a document at a moment: the latest report valid at that time, green when there is none. */
export async function statusAt(db: DbOrTx, idHash: string, at: Date): Promise<CodeStatus> {
  const [row] = await db
    .select({ colour: statusChanges.colour, reason: statusChanges.reason, validFrom: statusChanges.validFrom })
    .from(statusChanges)
    .where(and(eq(statusChanges.idHash, idHash), lte(statusChanges.validFrom, at)))
    .orderBy(desc(statusChanges.validFrom), desc(statusChanges.id))
    .limit(1);
  if (!row) return { colour: 'green', reason: null, since: null };
  return row.colour === 'red'
    ? { colour: 'red', reason: row.reason as RedReason, since: row.validFrom }
    : { colour: 'green', reason: null, since: row.validFrom };
}

/** Current statuses of several documents in one query (family switcher). */
export async function currentStatuses(db: DbOrTx, idHashes: string[], at: Date): Promise<Map<string, CodeStatus>> {
  const result = new Map<string, CodeStatus>();
  if (idHashes.length === 0) return result;
  const rows = await db
    .selectDistinctOn([statusChanges.idHash], {
      idHash: statusChanges.idHash,
      colour: statusChanges.colour,
      reason: statusChanges.reason,
      validFrom: statusChanges.validFrom,
    })
    .from(statusChanges)
    .where(and(inArray(statusChanges.idHash, idHashes), lte(statusChanges.validFrom, at)))
    .orderBy(statusChanges.idHash, desc(statusChanges.validFrom), desc(statusChanges.id));
  for (const h of idHashes) result.set(h, { colour: 'green', reason: null, since: null });
  for (const r of rows) {
    result.set(
      r.idHash,
      r.colour === 'red'
        ? { colour: 'red', reason: r.reason as RedReason, since: r.validFrom }
        : { colour: 'green', reason: null, since: r.validFrom },
    );
  }
  return result;
}

export async function statusHistory(db: DbOrTx, idHash: string) {
  return db
    .select({
      id: statusChanges.id,
      colour: statusChanges.colour,
      reason: statusChanges.reason,
      validFrom: statusChanges.validFrom,
      source: statusChanges.source,
      note: statusChanges.note,
      recordedAt: statusChanges.recordedAt,
    })
    .from(statusChanges)
    .where(eq(statusChanges.idHash, idHash))
    .orderBy(desc(statusChanges.validFrom), desc(statusChanges.id))
    .limit(50);
}

export type NewStatus = {
  idHash: string;
  colour: 'green' | 'red';
  reason: RedReason | null;
  validFrom: Date;
  source: 'official' | 'import';
  setByAccountId?: string | null;
  importBatchId?: string | null;
  note?: string | null;
};

export async function insertStatusChanges(db: DbOrTx, rows: NewStatus[]) {
  if (rows.length === 0) return;
  // Insert in slices: 10,000 items × 9 columns would pass PostgreSQL's 65,535 parameter limit.
  for (let i = 0; i < rows.length; i += 5000) await db.insert(statusChanges).values(rows.slice(i, i + 5000));
}

/** Serialises colour changes of one document (two officials at once get a defined order). */
export async function lockDocumentStatus(tx: DbOrTx, idHash: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${'status:' + idHash}, 0))`);
}

/**
 * Files a document's colour history under a person's key as well (a renewed passport the authority
 * reported on before it was added to the person): the person's colour at any time is then the latest
 * report on any of their documents. The rows stay under the document's own hash too (append-only).
 */
export async function copyStatusHistory(tx: DbOrTx, fromHash: string, toHash: string): Promise<number> {
  const rows = await tx.execute(sql`
    insert into status_changes (id_hash, colour, reason, valid_from, source, set_by_account_id, import_batch_id, note, recorded_at)
    select ${toHash}, colour, reason, valid_from, source, set_by_account_id, import_batch_id, note, recorded_at
      from status_changes where id_hash = ${fromHash}
     order by id
    returning id`);
  return rowsOf(rows).length;
}
