import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '@/db';

// Migrate once, then let every test file start from a copy: a template database on the server
// (DATABASE_URL set), or a dumped PGlite data directory loaded into memory.
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
    const admin = postgres(serverAdminUrl(url), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${template}"`);
    const handle = await openDatabase({ kind: 'postgres', url: serverAdminUrl(url, template), poolMax: 1 });
    await handle.close();
    project.provide('dbTemplate', { kind: 'postgres', adminUrl: serverAdminUrl(url), template });
    return async () => {
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
