import 'server-only';
import { applyAppGrants } from './grants';
import { MIGRATION_LOCK_KEY, MIGRATIONS_FOLDER } from './index';

/**
 * `npm run migrate` on a PostgreSQL server: the migrations, then the app role's grants (db/grants.ts),
 * over one connection as the owner role, under an advisory lock so two deploys that migrate at once take
 * turns (the second finds nothing left to apply). Returns the tables without a grant decision.
 */
export async function migrateDatabase(ownerUrl: string): Promise<{ undecided: string[] }> {
  const { PgPreparedQuery } = await import('drizzle-orm/pg-core');
  const { redactQueryErrors } = await import('./errors');
  redactQueryErrors(PgPreparedQuery);
  const { default: postgres } = await import('postgres');
  const { drizzle } = await import('drizzle-orm/postgres-js');
  const { migrate } = await import('drizzle-orm/postgres-js/migrator');
  const single = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    await single`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migrate(drizzle(single), { migrationsFolder: MIGRATIONS_FOLDER });
      return { undecided: await applyAppGrants(single) };
    } finally {
      await single`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await single.end();
  }
}
