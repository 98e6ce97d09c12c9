/**
 * Shared by `npm run bench` and `npm run drill`: a throwaway database on a PostgreSQL server, seeded in
 * bulk (venues, active checkers with valid sessions, residents with valid signed codes), and the app's
 * production build started behind the cluster launcher (scripts/serve.mjs) with a production environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { encode } from 'next-auth/jwt';
import postgres from 'postgres';
import { migrateDatabase } from '@/db/migrate';
import { createOwnedDatabase, ensureRoles } from '@/db/roles';
import { SESSION_MAX_AGE_SECONDS } from '@/lib/auth/sign-in';
import { codeKeysFromSeed, signCodeToken } from '@/lib/health-code/token';
import { listRegionChildren } from '@/lib/regions/divisions';

/** Production secrets for throwaway runs only (never the development defaults, which production refuses). */
export const BENCH_SECRETS = {
  NEXTAUTH_SECRET: 'bench-only-secret-6a1f0c9e2b7d4a8f3e5c1b0d9a7f6e2c',
  CODE_SIGNING_KEY: Buffer.from('bench-only-code-signing-seed-32b').toString('base64'),
  IDENTITY_ENCRYPTION_KEY: Buffer.from('bench-only-identity-encrypt-32by').toString('base64'),
  IDENTITY_HASH_KEY: Buffer.from('bench-only-identity-hash-key-32b').toString('base64'),
  STATUS_IMPORT_API_KEY: 'bench-status-import-key-0123456789abcdef',
};

/** `databaseUrl` is the app role's (venues_app): the server refuses the owner's or a superuser's. */
export function serverEnv(opts: { port: number; databaseUrl: string; poolMax?: number }): Record<string, string> {
  return {
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    PUBLIC_URL: `http://localhost:${opts.port}`,
    ...BENCH_SECRETS,
    // Nothing in the bench signs in or registers people: the webhooks are never called.
    OTP_SENDER: 'webhook',
    OTP_WEBHOOK_URL: 'http://127.0.0.1:9/send',
    IDENTITY_VERIFIER: 'webhook',
    IDENTITY_VERIFIER_URL: 'http://127.0.0.1:9/verify',
    // The app runs behind no proxy here: the launcher (scripts/serve.mjs) stamps each socket's address.
    TRUSTED_PROXY_HOPS: '0',
    DATABASE_URL: opts.databaseUrl,
    DB_POOL_MAX: String(opts.poolMax ?? 10),
    LOG_LEVEL: 'warn',
    BENCH_ROUTES: '1',
  };
}

// ---- database ---------------------------------------------------------------------------------------

/**
 * A fresh database `name` on the server of `adminUrl` (a superuser), set up as production is (SPEC L5):
 * the roles venues_owner and venues_app (created if missing), the database owned by venues_owner and
 * migrated by it (`npm run migrate`'s code). Seed and maintain it with `ownerUrl`; the app gets `appUrl`.
 */
export async function createDatabase(adminUrl: string, name: string): Promise<{ ownerUrl: string; appUrl: string }> {
  await ensureRoles(adminUrl);
  const urls = await createOwnedDatabase(adminUrl, name, { replace: true });
  await migrateDatabase(urls.ownerUrl);
  return urls;
}

export async function dropDatabase(adminUrl: string, name: string) {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
  } finally {
    await admin.end();
  }
}

export type Checker = { accountId: string; venueId: string; cookie: string };
export type Seeded = { venues: string[]; checkers: Checker[]; tokens: string[]; redShare: number };

/** A deterministic uuid from a text key, computed in SQL. */
const bu = (key: string) => `(overlay(overlay(md5(${key}) placing '4' from 13) placing '8' from 17)::uuid)`;

/**
 * Venues with `checkersPerVenue` active checkers each (bound a day ago, with a live session and its
 * cookie, minted exactly as sign-in does), and `persons` residents with signed personal codes; 2% of
 * them red. Bulk SQL, not the app's registration path (which is not what is measured).
 */
export async function seed(ownerUrl: string, o: { venues: number; checkersPerVenue: number; persons: number }): Promise<Seeded> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  const township = listRegionChildren('440106')[0]?.code ?? '440106001';
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe(`
        insert into persons (id, id_type, id_hash, id_number_enc, id_number_masked, name_enc, name_masked, gender, birth_date, short_code)
        select ${bu(`'p' || g`)}, 'cn_resident', 'bench-' || g, 'bench', '4401**********' || lpad((g % 10000)::text, 4, '0'),
               'bench', chr(19968 + (g % 2000)) || '*', case when g % 2 = 0 then 'M' else 'F' end,
               date '1940-01-01' + (g * 7919) % 30000, 'B' || lpad(g::text, 9, '0')
          from generate_series(1, ${o.persons}) g`);
      await tx.unsafe(`
        insert into status_changes (id_hash, colour, reason, valid_from, source)
        select 'bench-' || g, 'red', 'close_contact', now() - interval '2 days', 'import' from generate_series(1, ${o.persons}) g where g % 50 = 0`);
      await tx.unsafe(`
        insert into accounts (id, phone)
        select ${bu(`'a' || v`)}, '191' || lpad(v::text, 8, '0') from generate_series(1, ${o.venues}) v
        union all
        select ${bu(`'c' || v || '-' || k`)}, '192' || lpad((v * 100 + k)::text, 8, '0')
          from generate_series(1, ${o.venues}) v cross join generate_series(1, ${o.checkersPerVenue}) k`);
      await tx.unsafe(`
        insert into venues (id, name, type, township_code, address, contact_phone, invite_code, binding_mode, admin_account_id, created_at)
        select ${bu(`'v' || v`)}, '压测场所 ' || v, 'retail', '${township}', '压测路 ' || v || ' 号', '020-' || lpad(v::text, 8, '0'),
               'BV' || lpad(v::text, 6, '0'), 'immediate', ${bu(`'a' || v`)}, now() - interval '2 days'
          from generate_series(1, ${o.venues}) v`);
      await tx.unsafe(
        `insert into venue_entrances (venue_id, is_main) select ${bu(`'v' || v`)}, true from generate_series(1, ${o.venues}) v`,
      );
      await tx.unsafe(`
        insert into checker_bindings (venue_id, account_id, display_name, requested_at, bound_from, approved_by_account_id)
        select ${bu(`'v' || v`)}, ${bu(`'c' || v || '-' || k`)}, '检测员' || k, now() - interval '1 day', now() - interval '1 day', ${bu(`'a' || v`)}
          from generate_series(1, ${o.venues}) v cross join generate_series(1, ${o.checkersPerVenue}) k`);
      await tx.unsafe(`
        insert into auth_sessions (account_id, expires_at, user_agent)
        select account_id, now() + interval '${SESSION_MAX_AGE_SECONDS} seconds', 'bench' from checker_bindings`);
    });
    const rows = await sql<{ accountId: string; venueId: string; sid: string }[]>`
      select b.account_id as "accountId", b.venue_id as "venueId", s.id as sid
        from checker_bindings b join auth_sessions s on s.account_id = b.account_id order by b.venue_id, b.account_id`;
    const checkers: Checker[] = [];
    for (const r of rows) {
      // What next-auth's jwt callback stores for a phone-code sign-in: the account as subject and the session id.
      const jwt = await encode({
        token: { sub: r.accountId, sid: r.sid },
        secret: BENCH_SECRETS.NEXTAUTH_SECRET,
        maxAge: SESSION_MAX_AGE_SECONDS,
      });
      checkers.push({ accountId: r.accountId, venueId: r.venueId, cookie: `next-auth.session-token=${jwt}` });
    }
    const keys = codeKeysFromSeed(BENCH_SECRETS.CODE_SIGNING_KEY);
    const persons = await sql<{ id: string }[]>`select id from persons order by id`;
    const tokens = persons.map((p) => signCodeToken(keys, { personId: p.id, kind: 'personal', generation: 1 }));
    const venues = [...new Set(checkers.map((c) => c.venueId))];
    return { venues, checkers, tokens, redShare: 0.02 };
  } finally {
    await sql.end();
  }
}

/** One check-in exactly as the scanner sends it (signed code, temperature, client id). */
export function scanPayload(venueId: string, token: string, now = Date.now()) {
  const r = Math.random();
  return {
    clientId: randomUUID(),
    venueId,
    method: 'scan' as const,
    code: token,
    temperature: r < 0.01 ? '37.6' : (36 + Math.floor(Math.random() * 10) / 10).toFixed(1),
    scannedAt: now,
    clockOffsetMs: 0,
  };
}

// ---- the app server -------------------------------------------------------------------------------

export type AppServer = { proc: ChildProcess; port: number; pids: () => number[]; stop: () => Promise<void>; log: () => string };

export function assertBuilt() {
  if (!existsSync('.next/BUILD_ID')) throw new Error('No production build: run `npx next build` first (npm run bench does).');
}

/** Starts scripts/serve.mjs (one Next.js process per core) and waits until it answers. */
export async function startApp(o: {
  port: number;
  env: Record<string, string>;
  workers?: number;
  cpuProfDir?: string;
}): Promise<AppServer> {
  assertBuilt();
  let out = '';
  const proc = spawn(process.execPath, ['scripts/serve.mjs'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      // Node's own flags for the app processes (e.g. --max-semi-space-size), as a deployment would set them.
      ...(process.env.APP_NODE_OPTIONS ? { NODE_OPTIONS: process.env.APP_NODE_OPTIONS } : {}),
      ...o.env,
      PORT: String(o.port),
      HOSTNAME: '127.0.0.1',
      WEB_CONCURRENCY: String(o.workers ?? 2),
      ...(o.cpuProfDir ? { CPU_PROF_DIR: o.cpuProfDir } : {}),
    } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d: Buffer) => (out = (out + d).slice(-20_000)));
  proc.stderr!.on('data', (d: Buffer) => (out = (out + d).slice(-20_000)));
  const pids = () => [proc.pid!, ...childPids(proc.pid!)];
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`app server exited:\n${out}`);
    // Every worker must be up: ask until two different processes have answered (or the deadline passes).
    if (await ready(o.port)) break;
    if (Date.now() > deadline) throw new Error(`app server did not start:\n${out}`);
    await sleep(300);
  }
  return {
    proc,
    port: o.port,
    pids,
    log: () => out,
    stop: async () => {
      if (proc.exitCode !== null) return;
      const done = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([done, sleep(15_000)]);
      if (proc.exitCode === null) proc.kill('SIGKILL');
    },
  };
}

async function ready(port: number) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/api/time`, { signal: AbortSignal.timeout(2000) });
    return r.ok;
  } catch {
    return false;
  }
}

export function childPids(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const c of text.split(/\s+/).filter(Boolean)) out.push(Number(c), ...childPids(Number(c)));
    }
  } catch {
    /* gone */
  }
  return out;
}

/** CPU seconds (user + system) of each of these processes so far. */
export function cpuTimes(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(pid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      /* gone */
    }
  }
  return out;
}

/** CPU seconds used between two cpuTimes readings, by processes present in both. */
export function cpuBetween(before: Map<number, number>, after: Map<number, number>): number {
  let s = 0;
  for (const [pid, t] of after) if (before.has(pid)) s += Math.max(0, t - before.get(pid)!);
  return s;
}

export function rssBytes(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kb += Number(m[1]);
    } catch {
      /* gone */
    }
  }
  return kb * 1024;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
