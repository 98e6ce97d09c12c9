import 'server-only';
import type { DbOrTx } from '@/db';
import { auditLog } from '@/db/schema';

export type AuditEntry = {
  actorAccountId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  /** The venue concerned, if any (filterable column). */
  venueId?: string | null;
  /** Why (an official's stated reason, a refusal code): a column of its own. */
  reason?: string | null;
  details?: Record<string, unknown>;
  at?: Date;
};

/** Appends an audit row. Pass the caller's transaction so the row commits or rolls back with the change. */
export async function appendAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    actorAccountId: entry.actorAccountId,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    venueId: entry.venueId ?? null,
    reason: entry.reason ?? null,
    details: entry.details ?? {},
    at: entry.at ?? new Date(),
  });
}
