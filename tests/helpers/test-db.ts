import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, rowsOf, type DatabaseHandle, type Db } from '@/db';
import { APP_ROLE, OWNER_ROLE, urlAsRole } from '@/db/role-names';
import { createOwnedDatabase } from '@/db/roles';

/**
 * A fresh, migrated database for one test file: a copy of the template on the server, or an in-memory
 * PGlite. On the server the handle connects as the app's role (venues_app), as the app does: code under
 * test gets exactly the app's privileges. Fixtures that need the owner's rights say so with asOwner().
 */
export async function createTestDb(): Promise<DatabaseHandle> {
  const tmpl = inject('dbTemplate');
  if (tmpl.kind === 'pglite') {
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([readFileSync(tmpl.dumpFile)]) });
  }
  const name = `t_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const { appUrl } = await createOwnedDatabase(tmpl.adminUrl, name, { template: tmpl.template });
  const handle = await openDatabase({ kind: 'postgres', url: appUrl, poolMax: 20 });
  return {
    ...handle,
    async close() {
      // postgres.js's end() can wait forever for a connection the server terminated while it was being
      // opened (the fault drill terminates every connection of the app); the database is dropped with
      // (force) right after, so a pool that has not ended within 5 s is left to that.
      await Promise.race([handle.close(), new Promise((r) => setTimeout(r, 5_000).unref())]);
      await dropServerDatabase(name);
    },
  };
}

/** URLs of a database on the test server: as the app's role and as the owner (tables, schema). */
export function serverDbUrls(name: string): { app: string; owner: string } {
  const tmpl = inject('dbTemplate');
  if (tmpl.kind !== 'postgres') throw new Error('not on a PostgreSQL server');
  return { app: urlAsRole(tmpl.adminUrl, APP_ROLE, name), owner: urlAsRole(tmpl.adminUrl, OWNER_ROLE, name) };
}

/** A copy of the migrated template under `name`, owned by the owner role (the caller drops it: dropServerDatabase). */
export async function createServerDatabase(name: string): Promise<{ app: string; owner: string }> {
  const tmpl = inject('dbTemplate');
  if (tmpl.kind !== 'postgres') throw new Error('not on a PostgreSQL server');
  await createOwnedDatabase(tmpl.adminUrl, name, { template: tmpl.template });
  return serverDbUrls(name);
}

export async function dropServerDatabase(name: string): Promise<void> {
  const tmpl = inject('dbTemplate');
  if (tmpl.kind !== 'postgres') return;
  const admin = postgres(tmpl.adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

/**
 * Runs `work` with the owner's rights on `h`'s database: for fixtures that change the schema, and for
 * tests of what even the owner cannot do (the append-only triggers). PGlite has one role: `h` itself.
 */
export async function asOwner<T>(h: DatabaseHandle, work: (db: Db) => Promise<T>): Promise<T> {
  if (h.kind === 'pglite') return work(h.db);
  const { sql } = await import('drizzle-orm');
  const [{ name }] = rowsOf<{ name: string }>(await h.db.execute(sql`select current_database() as name`));
  const owner = await openDatabase({ kind: 'postgres', url: serverDbUrls(name).owner, poolMax: 1 });
  try {
    return await work(owner.db);
  } finally {
    await owner.close();
  }
}
