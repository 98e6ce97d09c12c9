import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '@/db';

/** A fresh, migrated database for one test file: a copy of the template on the server, or an in-memory PGlite. */
export async function createTestDb(): Promise<DatabaseHandle> {
  const tmpl = inject('dbTemplate');
  if (tmpl.kind === 'pglite') {
    return openDatabase({ kind: 'pglite', loadDataDir: new Blob([readFileSync(tmpl.dumpFile)]) });
  }
  const name = `t_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = postgres(tmpl.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template "${tmpl.template}"`);
  const url = new URL(tmpl.adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 20 });
  return {
    ...handle,
    async close() {
      // postgres.js's end() can wait forever for a connection the server terminated while it was being
      // opened (the fault drill terminates every connection of the app); the database is dropped with
      // (force) right after, so a pool that has not ended within 5 s is left to that.
      await Promise.race([handle.close(), new Promise((r) => setTimeout(r, 5_000).unref())]);
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}
