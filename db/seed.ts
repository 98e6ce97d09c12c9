import { count } from 'drizzle-orm';
import type { Db } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { findOrCreateAccount } from '@/db/queries/accounts';
import { accounts } from '@/db/schema';
import { DEMO_ACCOUNTS } from './seed-accounts';

/** Seeds demo data into an empty database. Returns false (and does nothing) when there is data already. */
export async function seedDemoIfEmpty(db: Db): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [{ n }] = await tx.select({ n: count() }).from(accounts);
    if (n > 0) return false;
    for (const demo of DEMO_ACCOUNTS) {
      const { id } = await findOrCreateAccount(tx, demo.phone);
      await appendAudit(tx, { actorAccountId: null, action: 'account.create', targetType: 'account', targetId: id, details: { seed: true } });
    }
    return true;
  });
}
