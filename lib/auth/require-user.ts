import 'server-only';
import { hkdfSync } from 'node:crypto';
import { jwtDecrypt } from 'jose';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { getDb, type Db } from '@/db';
import { findActiveSessions } from '@/db/queries/accounts';
import { env, usesHttps } from '@/lib/env';
import { coalescer } from '@/lib/utils/coalesce';
import { isUuid } from '@/lib/utils/uuid';

export type CurrentUser = { accountId: string; sessionId: string; phone: string };

/** next-auth's session cookie name (its `useSecureCookies` follows usesHttps in authOptions). */
const sessionCookieName = () => `${usesHttps() ? '__Secure-' : ''}next-auth.session-token`;

const keys = globalThis as { __sessionKey?: { secret: string; key: Uint8Array } };
/**
 * next-auth's JWE key, derived from the secret as next-auth/jwt's decode derives it (HKDF-SHA256, empty
 * salt, its fixed info string) — once per process instead of once per request (it showed in the profile).
 */
function sessionKey(): Uint8Array {
  const secret = env().NEXTAUTH_SECRET;
  if (keys.__sessionKey?.secret !== secret) {
    keys.__sessionKey = { secret, key: new Uint8Array(hkdfSync('sha256', secret, '', 'NextAuth.js Generated Encryption Key', 32)) };
  }
  return keys.__sessionKey.key;
}

/**
 * next-auth's session cookie (a JWT), whose claims are decrypted and checked (expiry included) with the
 * same secret below. Read directly rather than through getServerSession, which on every request also re-encrypted
 * and re-sent the cookie (a sliding expiry) — the CPU profile of the door showed it; and the server-side
 * session row has a fixed expiry from sign-in anyway, so sliding the cookie never lengthened a session.
 */
async function sessionTokenFromCookie(): Promise<string | undefined> {
  const store = await cookies();
  const name = sessionCookieName();
  const token = store.get(name)?.value;
  if (token) return token;
  // next-auth splits a cookie over 4 kB into name.0, name.1, …
  const chunks = store
    .getAll()
    .filter((c) => c.name.startsWith(`${name}.`))
    .sort((a, b) => Number(a.name.slice(name.length + 1)) - Number(b.name.slice(name.length + 1)));
  return chunks.map((c) => c.value).join('') || undefined;
}

/** What the session cookie claims: its session id and account (`sub`), not yet checked against the session row. */
export type SessionClaims = { sessionId: string; accountId: string | null };

/** The claims of a session JWT that next-auth issued with this secret and that has not expired; else null. */
export async function sessionClaimsFromToken(token: string): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtDecrypt(token, sessionKey(), { clockTolerance: 15 });
    if (typeof payload.sid !== 'string') return null;
    return { sessionId: payload.sid, accountId: typeof payload.sub === 'string' && isUuid(payload.sub) ? payload.sub : null };
  } catch {
    return null;
  }
}

/** The `sid` of a session JWT that next-auth issued with this secret and that has not expired; else null. */
export async function sessionIdFromToken(token: string): Promise<string | null> {
  return (await sessionClaimsFromToken(token))?.sessionId ?? null;
}

/**
 * The session cookie's claims, decrypted and checked (expiry included) but NOT checked against the
 * server-side session row: only for a caller that checks that row itself in its own query (the door's
 * grouped write does, in the same round trip as the binding). Everyone else: getCurrentUser. Decrypted
 * once per request (getCurrentUser reads it through here too).
 */
export const sessionClaimsFromCookie = cache(async (): Promise<SessionClaims | null> => {
  const token = await sessionTokenFromCookie();
  return token ? sessionClaimsFromToken(token) : null;
});

const sessionLoaders = new WeakMap<Db, (sid: string) => Promise<CurrentUser | null>>();

/**
 * The server-side session row of `sid`, active now, or null. Requests that arrive together (a busy door)
 * are looked up together, one round trip for the group (lib/utils/coalesce).
 */
function activeSession(db: Db, sid: string): Promise<CurrentUser | null> {
  let load = sessionLoaders.get(db);
  if (!load) {
    load = coalescer(
      async (sids: readonly string[]) => {
        const found = new Map((await findActiveSessions(db, [...new Set(sids)], new Date())).map((r) => [r.sessionId, r]));
        return sids.map((id) => found.get(id) ?? null);
      },
      { maxBatch: 200, maxInFlight: 4 },
    );
    sessionLoaders.set(db, load);
  }
  return load(sid);
}

/**
 * The signed-in user, checked against the server-side session row on every request (a session revoked
 * by "sign out everywhere" stops here). Null when signed out. Cached for one request.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const claims = await sessionClaimsFromCookie();
  if (!claims || !isUuid(claims.sessionId)) return null;
  return activeSession(await getDb(), claims.sessionId);
});

/** For pages and server actions: the user, or a redirect to sign-in that comes back here. */
export async function requireUser(returnTo = '/'): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (user) return user;
  redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
}
