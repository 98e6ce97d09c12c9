import 'server-only';
import type { DbOrTx } from '@/db';
import { traceCaseEvents } from '@/db/schema';

/**
 * The `exported` row of a case's timeline (SPEC T5): written by the CSV export and the print view in the
 * transaction that read the case, with the audit row.
 */
export async function appendCaseExportedEvent(
  tx: DbOrTx,
  entry: { caseId: string; actorAccountId: string; details: Record<string, unknown>; at: Date },
): Promise<void> {
  await tx.insert(traceCaseEvents).values({
    caseId: entry.caseId,
    kind: 'exported',
    actorAccountId: entry.actorAccountId,
    details: entry.details,
    at: entry.at,
  });
}
