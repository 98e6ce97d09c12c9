import type { DbOrTx } from '@/db';
import { auditLog } from '@/db/schema';

export type AuditEntry = {
  actorAccountId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
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
    details: entry.details ?? {},
    at: entry.at ?? new Date(),
  });
}
