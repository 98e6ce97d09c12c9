import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '@/db';
import { migrateDatabase } from '@/db/migrate';
import { createOwnedDatabase, ensureRoles } from '@/db/roles';

// Migrate once, then let every test file start from a copy: a template database on the server
// (DATABASE_URL set: a local superuser's URL, used only to create roles and databases), or a dumped
// PGlite data directory loaded into memory. On the server the template belongs to the owner role and is
// migrated by it, with the app role's grants (db/grants.ts), exactly as `npm run migrate` does.
declare module 'vitest' {
  export interface ProvidedContext {
    dbTemplate: { kind: 'postgres'; adminUrl: string; template: string } | { kind: 'pglite'; dumpFile: string };
  }
}

export function serverAdminUrl(url: string, database = 'postgres'): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const host = new URL(url).hostname;
    if (!['localhost', '127.0.0.1', '::1'].includes(host)) throw new Error(`tests refuse a non-local database (${host})`);
    const template = `tmpl_${process.pid}_${Date.now()}`;
    const adminUrl = serverAdminUrl(url);
    await ensureRoles(adminUrl);
    const { ownerUrl } = await createOwnedDatabase(adminUrl, template);
    await migrateDatabase(ownerUrl);
    project.provide('dbTemplate', { kind: 'postgres', adminUrl, template });
    return async () => {
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`drop database if exists "${template}" with (force)`);
      await admin.end();
    };
  }
  const handle = await openDatabase({ kind: 'pglite' });
  const client = (handle.db as unknown as { $client: { dumpDataDir: (c: 'none') => Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  await handle.close();
  const dir = path.resolve('tests/.tmp');
  mkdirSync(dir, { recursive: true });
  const dumpFile = path.join(dir, `pglite-template-${process.pid}.tar`);
  writeFileSync(dumpFile, Buffer.from(await dump.arrayBuffer()));
  project.provide('dbTemplate', { kind: 'pglite', dumpFile });
  return () => rmSync(dumpFile, { force: true });
}
