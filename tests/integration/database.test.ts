import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openDatabase, rowsOf, type DatabaseHandle } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { auditLog } from '@/db/schema';
import { migrateDatabase } from '@/db/migrate';
import { createOwnedDatabase } from '@/db/roles';
import { createTestDb, dropServerDatabase } from '../helpers/test-db';

let h: DatabaseHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h.close();
});

describe('the audit log', () => {
  it('appends inside the caller transaction and rolls back with it', async () => {
    await h.db.transaction(async (tx) => appendAudit(tx, { actorAccountId: null, action: 'test.kept' }));
    await expect(
      h.db.transaction(async (tx) => {
        await appendAudit(tx, { actorAccountId: null, action: 'test.rolled_back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    const actions = (await h.db.select({ a: auditLog.action }).from(auditLog)).map((r) => r.a);
    expect(actions).toContain('test.kept');
    expect(actions).not.toContain('test.rolled_back');
  });

  it('refuses UPDATE and DELETE in the database itself', async () => {
    await appendAudit(h.db, { actorAccountId: null, action: 'test.evidence' });
    await expect(h.db.execute(sql`update audit_log set action = 'tampered'`)).rejects.toThrow();
    await expect(h.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    const actions = (await h.db.select({ a: auditLog.action }).from(auditLog)).map((r) => r.a);
    expect(actions).toContain('test.evidence');
    expect(actions).not.toContain('tampered');
  });
});

describe('migrations', () => {
  it('are recorded, and opening again applies nothing twice', async () => {
    const [{ n }] = rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
    expect(n).toBeGreaterThanOrEqual(2);
  });

  it('several migrations started together on an empty server database do not race', async () => {
    const tmpl = inject('dbTemplate');
    if (tmpl.kind !== 'postgres') return; // one PGlite is one process: nothing to race with
    const name = `race_${process.pid}_${Date.now()}`;
    const { ownerUrl, appUrl } = await createOwnedDatabase(tmpl.adminUrl, name);
    try {
      await Promise.all(Array.from({ length: 4 }, () => migrateDatabase(ownerUrl)));
      const app = await openDatabase({ kind: 'postgres', url: appUrl, poolMax: 1 });
      const [{ n }] = rowsOf<{ n: number }>(await app.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      expect(n).toBeGreaterThanOrEqual(2);
      await app.close();
    } finally {
      await dropServerDatabase(name);
    }
  });

  it('a server database is never migrated by the app: opening an empty or outdated one is refused', async () => {
    const tmpl = inject('dbTemplate');
    if (tmpl.kind !== 'postgres') return; // PGlite is migrated when opened (one role)
    const name = `behind_${process.pid}_${Date.now()}`;
    const { ownerUrl, appUrl } = await createOwnedDatabase(tmpl.adminUrl, name);
    try {
      await expect(openDatabase({ kind: 'postgres', url: appUrl, poolMax: 1 })).rejects.toThrow(/no migrations applied.*npm run migrate/);
      await migrateDatabase(ownerUrl);
      // One migration forgotten: the build is ahead of the database.
      const owner = postgres(ownerUrl, { max: 1, onnotice: () => {} });
      await owner`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`;
      await owner.end();
      await expect(openDatabase({ kind: 'postgres', url: appUrl, poolMax: 1 })).rejects.toThrow(/older than this build.*npm run migrate/);
    } finally {
      await dropServerDatabase(name);
    }
  });
});
