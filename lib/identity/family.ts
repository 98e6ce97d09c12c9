import 'server-only';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { removeGuardianship } from '@/db/queries/persons';

/** Stops guarding a family member. Only the account's own guardianship row can be removed. */
export async function stopGuarding(db: Db, actor: { accountId: string }, personId: string): Promise<{ ok: boolean }> {
  return db.transaction(async (tx) => {
    const removed = await removeGuardianship(tx, actor.accountId, personId);
    if (removed)
      await appendAudit(tx, { actorAccountId: actor.accountId, action: 'guardianship.remove', targetType: 'person', targetId: personId });
    return { ok: removed };
  });
}
