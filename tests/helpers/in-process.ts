// Calling route handlers and server actions in-process, as a given session, against the test database.
// The app's database is the test's own (serveFrom: useDatabase, no mock). The test file mocks three
// framework edges to read from `requestState()` (vi.mock must sit in the test file itself):
//   next/headers → the client IP, and cookies() → next-auth's session
//   cookie for the `sid` of a real auth_sessions row (sessionCookieStore: so the real cookie decryption
//   and the real check in getCurrentUser run, and a revoked session is refused); next/cache → no-op;
//   next-intl/server → message keys.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { useDatabase, type DatabaseHandle, type Db } from '@/db';
import { createAuthSession } from '@/db/queries/accounts';
import { SESSION_MAX_AGE_SECONDS } from '@/lib/auth/sign-in';

export type RequestState = { db?: Db; sid: string | null; ip: string };
const g = globalThis as { __requestState?: RequestState };
export const requestState = (): RequestState => (g.__requestState ??= { sid: null, ip: '10.90.0.1' });

/** Route handlers and actions called from now on use `handle`, the test's own database. */
export function serveFrom(handle: DatabaseHandle) {
  useDatabase(handle);
  requestState().db = handle.db;
}

/**
 * What next/headers cookies() returns for the current request state: next-auth's session cookie (a JWT
 * encoded with the configured secret, as sign-in issues it) naming `requestState().sid`, or no cookie.
 */
export async function sessionCookieStore() {
  const { encode } = await import('next-auth/jwt');
  const { env } = await import('@/lib/env');
  const { sid, db } = requestState();
  const name = 'next-auth.session-token';
  // As sign-in issues it: `sub` is the account, `sid` the session row.
  let sub: string | undefined;
  if (sid && db && /^[0-9a-f-]{36}$/i.test(sid)) {
    const { authSessions } = await import('@/db/schema');
    const { eq } = await import('drizzle-orm');
    sub = (await db.select({ accountId: authSessions.accountId }).from(authSessions).where(eq(authSessions.id, sid)))[0]?.accountId;
  }
  const value = sid ? await encode({ token: { sid, ...(sub ? { sub } : {}) }, secret: env().NEXTAUTH_SECRET }) : null;
  const cookie = value ? { name, value } : undefined;
  return {
    get: (n: string) => (n === name ? cookie : undefined),
    getAll: () => (cookie ? [cookie] : []),
    has: (n: string) => n === name && Boolean(cookie),
    set: () => {},
    delete: () => {},
  };
}

/** A real server-side session row for `accountId` (what the JWT's `sid` would point to). */
export async function newSession(db: Db, accountId: string): Promise<string> {
  return createAuthSession(db, { accountId, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000), userAgent: null });
}

/** Runs `fn` as the session `sid` (null: signed out) from `ip`. */
export async function as<T>(sid: string | null, fn: () => Promise<T>, ip = '10.90.0.1'): Promise<T> {
  const s = requestState();
  s.sid = sid;
  s.ip = ip;
  try {
    return await fn();
  } finally {
    s.sid = null;
  }
}

export type Outcome = { status: number; body: unknown };

/** A route handler's response as status + parsed body (JSON, or text for CSV, PNG size, event-stream start). */
export async function readResponse(res: Response): Promise<Outcome> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('application/json')) return { status: res.status, body: await res.json() };
  if (type.includes('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, body: 'event-stream' };
  }
  const buf = Buffer.from(await res.arrayBuffer());
  return { status: res.status, body: type.startsWith('text/') ? buf.toString('utf8') : `${type} ${buf.length} bytes` };
}

/** A server action's result; a thrown redirect() becomes `{ redirect: url }`. */
export async function runAction(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return await fn();
  } catch (error) {
    const digest = (error as { digest?: unknown })?.digest;
    if (typeof digest === 'string' && digest.startsWith('NEXT_REDIRECT')) return { redirect: digest.split(';')[2] };
    throw error;
  }
}

export function form(values: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) for (const item of Array.isArray(v) ? v : [v]) f.append(k, item);
  return f;
}

/** A JSON POST as Next hands it to a route: with the client's address in X-Forwarded-For (Next fills it in). */
export function jsonRequest(url: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': requestState().ip, ...headers },
    body: JSON.stringify(body),
  });
}

// ---- the doors: every route handler and server action in the source tree ---------------------------

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => /\.(ts|tsx|js|jsx|mjs)$/.test(f) && statSync(f).isFile());
}

/** Metadata files Next.js turns into GET routes (manifest.webmanifest, robots.txt, icons …). */
const METADATA_ROUTE = /(^|\/)(manifest|robots|sitemap|icon\d*|apple-icon\d*|opengraph-image\d*|twitter-image\d*)\.(ts|tsx|js|jsx)$/;

/** `app/api/checkins/route.ts#POST`: every exported HTTP method of every route handler, and metadata routes as GET. */
export function routeHandlerDoors(root = process.cwd()): string[] {
  const doors: string[] = [];
  for (const file of filesUnder(path.join(root, 'app')).filter((f) => METADATA_ROUTE.test(f)))
    doors.push(`${path.relative(root, file)}#GET`);
  for (const file of filesUnder(path.join(root, 'app')).filter((f) => /(^|\/)route\.(ts|tsx|js|jsx)$/.test(f))) {
    const src = readFileSync(file, 'utf8');
    const rel = path.relative(root, file);
    const names = new Set<string>();
    for (const m of src.matchAll(/export\s+(?:async\s+)?(?:function|const|let)\s+([A-Z]+)\b/g)) names.add(m[1]);
    for (const m of src.matchAll(/export\s*\{([^}]*)\}/g))
      for (const part of m[1].split(','))
        names.add(
          part
            .trim()
            .split(/\s+as\s+/)
            .pop()!
            .trim(),
        );
    for (const n of names) if (HTTP_METHODS.includes(n)) doors.push(`${rel}#${n}`);
  }
  return doors.sort();
}

export type ActionScan = { doors: string[]; inline: string[] };

/**
 * `app/(venue)/venue/actions.ts#memberAction`: every export of every 'use server' module under app/, lib/
 * and components/. Inline 'use server' functions (inside a component) are listed apart: the matrix does
 * not support them, so the test refuses them outright.
 */
export function serverActionDoors(root = process.cwd()): ActionScan {
  const doors: string[] = [];
  const inline: string[] = [];
  for (const top of ['app', 'lib', 'components']) {
    let files: string[];
    try {
      files = filesUnder(path.join(root, top));
    } catch {
      continue;
    }
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      if (!/['"]use server['"]/.test(src)) continue;
      const rel = path.relative(root, file);
      const body = src.replace(/^(\s*(\/\/[^\n]*|\/\*[\s\S]*?\*\/))*\s*/, '');
      if (!/^['"]use server['"]/.test(body)) {
        inline.push(rel);
        continue;
      }
      for (const m of src.matchAll(/export\s+(?:async\s+)?(?:function\s*\*?\s*|const\s+|let\s+)(\w+)/g)) doors.push(`${rel}#${m[1]}`);
      for (const m of src.matchAll(/export\s*\{([^}]*)\}/g))
        for (const part of m[1].split(','))
          doors.push(
            `${rel}#${part
              .trim()
              .split(/\s+as\s+/)
              .pop()!
              .trim()}`,
          );
      if (/export\s+default/.test(src)) doors.push(`${rel}#default`);
    }
  }
  return { doors: doors.sort(), inline };
}

/** A door's source file without its extension; a built metadata route maps back to its file (`app/manifest`). */
export function doorStem(file: string): string {
  return file
    .replace(/\.(ts|tsx|js|jsx|mjs)$/, '')
    .replace(/\/(manifest)\.webmanifest\/route$/, '/$1')
    .replace(/\/(robots)\.txt\/route$/, '/$1')
    .replace(/\/(sitemap)\.xml\/route$/, '/$1');
}

/** The route handler files the production build compiled (`app/api/time/route.js`), or null without a build. */
export function builtRouteHandlers(root = process.cwd()): string[] | null {
  let text: string;
  try {
    text = readFileSync(path.join(root, '.next/server/app-paths-manifest.json'), 'utf8');
  } catch {
    return null;
  }
  return Object.entries(JSON.parse(text) as Record<string, string>)
    .filter(([route]) => route.endsWith('/route'))
    .map(([, file]) => file)
    .sort();
}

/**
 * The server actions the production build registered, as `file#export`, from
 * .next/server/server-reference-manifest.json; null when there is no build.
 */
export function builtServerActions(root = process.cwd()): { doors: string[]; withoutNames: number } | null {
  let text: string;
  try {
    text = readFileSync(path.join(root, '.next/server/server-reference-manifest.json'), 'utf8');
  } catch {
    return null;
  }
  const manifest = JSON.parse(text) as Record<string, unknown>;
  const doors = new Set<string>();
  let withoutNames = 0;
  for (const runtime of ['node', 'edge']) {
    const entries = (manifest[runtime] ?? {}) as Record<string, { exportedName?: string; filename?: string }>;
    for (const entry of Object.values(entries)) {
      if (entry.exportedName && entry.filename) doors.add(`${entry.filename.replace(/^\.\//, '')}#${entry.exportedName}`);
      else withoutNames += 1;
    }
  }
  return { doors: [...doors].sort(), withoutNames };
}

// ---- "changes nothing": a hash of every table ------------------------------------------------------

function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Tables a refusal may write to: the audit trail (refused look-ups are audited) and the limit counters. */
export const MAY_CHANGE_ON_REFUSAL = new Set(['audit_log', 'rate_limits']);

/** Row count and a hash of the rows of every table (but `except`), in one query. */
export async function snapshot(db: Db, except: Set<string> = MAY_CHANGE_ON_REFUSAL): Promise<Record<string, string>> {
  const tables = rowsOf<{ t: string }>(
    await db.execute(
      sql`select table_name as t from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
    ),
  )
    .map((r) => r.t)
    .filter((t) => !except.has(t));
  const union = tables
    .map(
      (t) => `select '${t}' as t, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as h from "${t}" x`,
    )
    .join(' union all ');
  return Object.fromEntries(rowsOf<{ t: string; h: string }>(await db.execute(sql.raw(union))).map((r) => [r.t, r.h]));
}
