import 'server-only';
import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '@/db';

/** Whether the server runs autovacuum (start-up warns when it does not). PostgreSQL servers only. */
export async function autovacuumIsOn(db: DbOrTx): Promise<boolean> {
  const [row] = rowsOf<{ autovacuum: string }>(await db.execute(sql`show autovacuum`));
  return row?.autovacuum === 'on';
}
