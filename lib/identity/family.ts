import 'server-only';
import { randomUUID } from 'node:crypto';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { guardiansOfPerson, lockPersonLinks, personForConsent, removeGuardianship } from '@/db/queries/persons';
import { noticeGuardianRemoved } from '@/lib/notices/consent';

/**
 * Stops guarding a family member. Only the account's own guardianship row can be removed. The person's
 * own account and the other guardians are told (`guardian_removed`).
 */
export async function stopGuarding(db: Db, actor: { accountId: string }, personId: string, now = new Date()): Promise<{ ok: boolean }> {
  return db.transaction(async (tx) => {
    await lockPersonLinks(tx, personId);
    const removed = await removeGuardianship(tx, actor.accountId, personId);
    if (!removed) return { ok: false };
    const person = (await personForConsent(tx, personId))!;
    const others = (await guardiansOfPerson(tx, personId)).map((g) => g.accountId);
    await noticeGuardianRemoved(
      tx,
      [person.selfAccountId, ...others].filter((a): a is string => Boolean(a)),
      { accountId: actor.accountId, how: 'left', eventId: randomUUID() },
      person,
      now,
    );
    await appendAudit(tx, {
      actorAccountId: actor.accountId,
      action: 'guardianship.remove',
      targetType: 'person',
      targetId: personId,
      at: now,
    });
    return { ok: true };
  });
}
