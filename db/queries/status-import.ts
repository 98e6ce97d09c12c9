import 'server-only';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/db';
import { statusImportBatches } from '@/db/schema';

type NewBatch = { batchId: string; requestHash: string; itemCount: number; applied: number; receivedAt: Date };

/**
 * Claims a batch id for an import; false when the id was claimed before. Run it first in the import's
 * transaction: a concurrent resend of the same batch waits on the row, then finds it claimed.
 */
export async function claimImportBatch(tx: DbOrTx, batch: NewBatch): Promise<boolean> {
  const claimed = await tx
    .insert(statusImportBatches)
    .values(batch)
    .onConflictDoNothing()
    .returning({ batchId: statusImportBatches.batchId });
  return claimed.length > 0;
}

/** What an earlier import of this batch id recorded: its content hash and how many statuses it applied. */
export async function importedBatch(tx: DbOrTx, batchId: string) {
  const [row] = await tx
    .select({ requestHash: statusImportBatches.requestHash, applied: statusImportBatches.applied })
    .from(statusImportBatches)
    .where(eq(statusImportBatches.batchId, batchId));
  return row ?? null;
}
