import 'server-only';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { env } from '@/lib/env';
import { DatabaseSetupError, pgErrorCode, redactQueryErrors } from './errors';
import { APP_ROLE } from './role-names';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle; query functions accept either a Db or a Tx. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export type DatabaseHandle = {
  db: Db;
  kind: 'pglite' | 'postgres';
  close: () => Promise<void>;
  /** PostgreSQL NOTIFY (outside any transaction, so only after a commit). */
  notify: (channel: string, payload: string) => Promise<void>;
  /** LISTEN on one connection of this process; PGlite delivers its own NOTIFYs in-process. */
  listen: (channel: string, onMessage: (payload: string) => void) => Promise<void>;
};

export type OpenOptions = { kind: 'postgres'; url: string; poolMax?: number } | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

/** Beside this module, wherever the app runs from (Next's bundles, vitest and tsx all keep the module's own URL). */
export const MIGRATIONS_FOLDER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
// Any fixed 64-bit number, shared by every process that migrates this database.
export const MIGRATION_LOCK_KEY = 7_214_003_117;

/**
 * Opens a database. PGlite (one role, one process) is migrated here; a PostgreSQL server is migrated only
 * by `npm run migrate` as the owner role (db/migrate.ts) and must already be up to date: the app's own
 * role could not create a table, and must not be able to (SPEC L5).
 */
export async function openDatabase(opts: OpenOptions): Promise<DatabaseHandle> {
  const { PgPreparedQuery } = await import('drizzle-orm/pg-core');
  redactQueryErrors(PgPreparedQuery);
  if (opts.kind === 'postgres') {
    const { default: postgres } = await import('postgres');
    const { drizzle } = await import('drizzle-orm/postgres-js');
    const pool = postgres(opts.url, { max: opts.poolMax ?? 10, onnotice: () => {} });
    try {
      const behind = await schemaBehind(pool);
      if (behind) throw new DatabaseSetupError(`${behind}: run \`npm run migrate\` (as the owner role, MIGRATION_DATABASE_URL) first.`);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return {
      db: drizzle(preparedStatements(pool), { schema }) as unknown as Db,
      kind: 'postgres',
      close: () => pool.end(),
      notify: async (channel, payload) => void (await pool.notify(channel, payload)),
      listen: async (channel, onMessage) => void (await pool.listen(channel, onMessage)),
    };
  }

  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  let client;
  if (opts.dataDir) {
    // PGlite creates its folder but not the parents. Only this process may open it (see getDb).
    mkdirSync(path.dirname(path.resolve(opts.dataDir)), { recursive: true });
    client = new PGlite(opts.dataDir);
  } else {
    client = new PGlite({ loadDataDir: opts.loadDataDir });
  }
  await client.waitReady;
  const db = drizzle(yieldingWhileHeld(client), { schema });
  // One PGlite is one process: there is nobody to race with, so no advisory lock is needed.
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db: db as unknown as Db,
    kind: 'pglite',
    close: () => client.close(),
    notify: async (channel, payload) => void (await client.query('select pg_notify($1, $2)', [channel, payload])),
    listen: async (channel, onMessage) => void (await client.listen(channel, onMessage)),
  };
}

/**
 * Why the server's schema is not the one this build expects (undefined when it is): drizzle's journal in
 * the database against the migrations folder. A database ahead of the code (a newer build migrated it
 * during a rolling deploy) is accepted.
 */
async function schemaBehind(pool: import('postgres').Sql): Promise<string | undefined> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const latest = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).at(-1)?.folderMillis ?? 0;
  let applied: number;
  try {
    const [row] = await pool`select coalesce(max(created_at), 0)::text as at from drizzle.__drizzle_migrations`;
    applied = Number(row.at);
  } catch (error) {
    const code = pgErrorCode(error);
    if (code === '42P01' || code === '3F000') return 'The database has no migrations applied';
    if (code === '42501') return `The role cannot read drizzle.__drizzle_migrations (migrate grants it to ${APP_ROLE})`;
    throw error;
  }
  return applied < latest ? 'The database schema is older than this build' : undefined;
}

/**
 * Drizzle runs its unnamed queries with `prepare: false`; postgres.js then sends every query with
 * parameters as two round trips (describe, then execute) and PostgreSQL plans it every time. The CPU
 * profile of the door under load showed this as most of the database time. Named statements, cached
 * per connection by query text, make each query one round trip with a reused plan. (Behind a pooler in
 * transaction mode this needs prepared-statement support, e.g. PgBouncer ≥ 1.21 max_prepared_statements.)
 */
function preparedStatements<T extends { unsafe: (...args: never[]) => unknown }>(pool: T): T {
  const unsafe = pool.unsafe.bind(pool) as (query: string, params?: unknown[], options?: { prepare?: boolean }) => unknown;
  const wrapUnsafe = (query: string, params?: unknown[], options?: { prepare?: boolean }) =>
    // Text without parameters may hold several statements (migrations, raw scripts): never prepared.
    unsafe(query, params, params && params.length > 0 ? { ...options, prepare: true } : options);
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') return wrapUnsafe;
      if (prop === 'begin' || prop === 'savepoint') {
        // Transactions and savepoints hand drizzle a fresh client; wrap it the same way.
        const begin = Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const fnIndex = args.findIndex((a) => typeof a === 'function');
          const fn = args[fnIndex] as (tx: T) => unknown;
          const wrapped = [...args];
          wrapped[fnIndex] = (tx: T) => fn(preparedStatements(tx));
          return begin.apply(target, wrapped);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * PGlite runs in this thread and answers through already-settled promises: a long run of queries (the
 * migrations, the demo seed) never lets the event loop reach its I/O, so a request could not even start
 * compiling. While the start-up hold is on, every query first yields a turn; afterwards this costs nothing.
 */
function yieldingWhileHeld<T extends object>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'query' || prop === 'exec') {
        return async (...args: unknown[]) => {
          if (g.__databaseHold) await new Promise((resolve) => setImmediate(resolve));
          return value.apply(target, args);
        };
      }
      if (prop === 'transaction') {
        return (fn: (tx: object) => unknown) => value.call(target, (tx: object) => fn(yieldingWhileHeld(tx)));
      }
      return value.bind(target);
    },
  });
}

const g = globalThis as { __database?: Promise<DatabaseHandle>; __databaseHold?: Promise<unknown> };

/** The process's database, opened once; the start-up hold (below) does not apply. */
function openProcessDatabase(): Promise<DatabaseHandle> {
  if (!g.__database) {
    const e = env();
    g.__database = e.DATABASE_URL
      ? openAppDatabase(e.DATABASE_URL, e.DB_POOL_MAX, Boolean(e.MIGRATION_DATABASE_URL))
      : openDatabase({ kind: 'pglite', dataDir: e.PGLITE_DIR });
    g.__database.catch(() => {
      g.__database = undefined;
    });
  }
  return g.__database;
}

/**
 * The app's PostgreSQL database, refused (SPEC L5) when this process was handed the owner's URL or its
 * role could bend the rules: a superuser, or the owner of anything in the schema (db/roles.ts).
 */
export async function openAppDatabase(url: string, poolMax: number, hasOwnerUrl: boolean): Promise<DatabaseHandle> {
  if (hasOwnerUrl) {
    throw new DatabaseSetupError(
      "MIGRATION_DATABASE_URL is set for the app server: only `npm run migrate` may have the owner role's URL. Remove it from the server's environment.",
    );
  }
  const handle = await openDatabase({ kind: 'postgres', url, poolMax });
  const { appRoleProblems } = await import('./roles');
  const problems = await appRoleProblems(handle.db).catch(async (error) => {
    await handle.close();
    throw error;
  });
  if (problems.length > 0) {
    await handle.close();
    throw new DatabaseSetupError(
      `The app's database role can switch the database's rules off (SPEC L5):\n- ${problems.join('\n- ')}\n` +
        `Connect the app (DATABASE_URL) as a role that owns nothing, e.g. ${APP_ROLE}; see README, "Database roles".`,
    );
  }
  return handle;
}

/**
 * The process's database, opened on first use (never at import time: the build imports modules too).
 * Cached on globalThis because Next can load this module in several bundles of one process.
 */
export function getDatabase(): Promise<DatabaseHandle> {
  const database = openProcessDatabase();
  const hold = g.__databaseHold;
  return hold
    ? hold.then(
        () => database,
        () => database,
      )
    : database;
}

/**
 * Runs `work` on the process's database while every getDatabase() caller waits for it to finish
 * (development start-up: the demo is seeded while the first page compiles, and nobody sees half of it).
 * `work` gets the database through `open`, which does not wait for the hold.
 */
export function holdDatabaseWhile(work: (open: () => Promise<DatabaseHandle>) => Promise<void>): Promise<void> {
  const hold: Promise<void> = work(openProcessDatabase).finally(() => {
    if (g.__databaseHold === hold) g.__databaseHold = undefined;
  });
  hold.catch(() => {});
  g.__databaseHold = hold;
  return hold;
}

/**
 * Makes `handle` the process's database (what getDatabase and getDb return from now on): for code that
 * opened its own — the integration tests run route handlers and server actions against their test database.
 */
export function useDatabase(handle: DatabaseHandle) {
  g.__database = Promise.resolve(handle);
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).db;
}

/** Rows of a raw `db.execute(sql…)`: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
