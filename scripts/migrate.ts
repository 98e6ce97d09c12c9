/**
 * `npm run migrate`: brings the database up to date. On a PostgreSQL server it connects as the owner role
 * (MIGRATION_DATABASE_URL), applies db/migrations and then the app role's grants (db/grants.ts, every
 * run). The app server (DATABASE_URL, the app role) never migrates a server and refuses to start on an
 * outdated schema. Without either URL there is nothing to do: the embedded PGlite database has one role
 * and no grants, and the app migrates it when it opens it (opening it here could race a running server
 * for the folder, which only one process may hold).
 */
import { migrateDatabase } from '@/db/migrate';
import { APP_ROLE } from '@/db/role-names';
import { env } from '@/lib/env';

async function main() {
  const e = env();
  if (e.MIGRATION_DATABASE_URL) {
    const u = new URL(e.MIGRATION_DATABASE_URL);
    const { undecided } = await migrateDatabase(e.MIGRATION_DATABASE_URL);
    console.log(`Migrated ${u.host}${u.pathname} as ${decodeURIComponent(u.username)}; grants for ${APP_ROLE} applied.`);
    if (undecided.length > 0) {
      console.warn(`No grant decision in db/grants.ts for: ${undecided.join(', ')} (${APP_ROLE} may only read and append there).`);
    }
  } else if (e.DATABASE_URL) {
    throw new Error(
      'DATABASE_URL is the app\'s role, which cannot migrate: set MIGRATION_DATABASE_URL to the owner role\'s URL (README, "Database roles").',
    );
  } else {
    console.log(
      `Nothing to migrate: the embedded database (${e.PGLITE_DIR}) is migrated by the app when it opens it (one role, no grants).`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
