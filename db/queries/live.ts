import 'server-only';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '@/db';

/**
 * NOTIFY inside the caller's transaction: PostgreSQL (and PGlite) hold it until the transaction commits
 * and drop it if the transaction, or the savepoint it was sent in, rolls back. So a listener hears it only
 * once what it announces is visible, whichever transaction the caller sits in (server actions wrap the
 * services in one of their own).
 */
export async function notifyOnCommit(tx: DbOrTx, channel: string, payload: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${channel}, ${payload})`);
}
