import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { openDatabase, rowsOf, type DatabaseHandle } from '@/db';
import { appendAudit } from '@/db/queries/audit';
import { auditLog } from '@/db/schema';
import { createTestDb } from '../helpers/test-db';

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

  it('several processes starting together on an empty server database do not race', async () => {
    const tmpl = inject('dbTemplate');
    if (tmpl.kind !== 'postgres') return; // one PGlite is one process: nothing to race with
    const name = `race_${process.pid}_${Date.now()}`;
    const admin = postgres(tmpl.adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const url = new URL(tmpl.adminUrl);
    url.pathname = `/${name}`;
    try {
      const handles = await Promise.all(
        Array.from({ length: 4 }, () => openDatabase({ kind: 'postgres', url: url.toString(), poolMax: 1 })),
      );
      const [{ n }] = rowsOf<{ n: number }>(await handles[0].db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`));
      expect(n).toBeGreaterThanOrEqual(2);
      await Promise.all(handles.map((x) => x.close()));
    } finally {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    }
  });
});
