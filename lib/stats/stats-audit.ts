import 'server-only';
import type { DbOrTx } from '@/db';
import { appendAudit } from '@/db/queries/audit';

/** What an export's audit row says: which CSV, over which days, how many lines under its header. */
export type ExportAudit = { kind: string; from: string | null; to: string | null; day: string | null; rows: number };

/**
 * The audit row of a statistics export (`stats.export`): who took which data of which venue. Written
 * before the file is answered; a refused request never gets here.
 */
export async function auditStatsExport(db: DbOrTx, actor: { accountId: string }, venueId: string, details: ExportAudit, now = new Date()) {
  await appendAudit(db, {
    actorAccountId: actor.accountId,
    action: 'stats.export',
    venueId,
    targetType: 'venue',
    targetId: venueId,
    details,
    at: now,
  });
}
