import { z } from 'zod';
import { getCurrentUser, sessionClaimsFromCookie, type CurrentUser, type SessionClaims } from '@/lib/auth/require-user';
import { safeEqual } from '@/lib/auth/keyed-hash';
import { httpStatusOf, httpStatusOfRequest } from '@/lib/server/reasons';
import { readJsonBody } from './read-json';

/**
 * The one shape of every route handler (app/api/**, the PNG and CSV downloads), as lib/server/action.ts is
 * for server actions: who may call (a session, the session cookie's claims, a bearer key, or nobody
 * in particular), the query and the JSON body read and parsed, and every refusal answered as
 * `{ error }` with the status from lib/server/reasons.ts.
 */

type Auth =
  /** A signed-in user whose session row is active now (checked before the handler). */
  | 'session'
  /**
   * Only the session cookie's claims, decrypted and unexpired: the handler's own write checks the session
   * row in its look-up (the door's grouped scan: one round trip less). Anything answered before that
   * write goes through `user()`, which checks the row.
   */
  | 'claims'
  /** A service calling with the configured API key (`Authorization: Bearer …`), no session. */
  | { bearer: () => string }
  /** No caller check: public data or none (say why at the route). */
  | 'none';

type Who<A extends Auth> = A extends 'session'
  ? { user: CurrentUser }
  : A extends 'claims'
    ? { claims: SessionClaims; user: () => Promise<CurrentUser | null> }
    : object;

type Options<A extends Auth, Q extends z.ZodType | undefined> = {
  auth: A;
  /** The query string, as an object of its first values. A mismatch is 400 `invalid`. */
  query?: Q;
  /** Read the JSON body under this byte cap (lib/http/read-json.ts); the service judges its content. */
  body?: { maxBytes: number };
  /** Headers on every answer, refusals included (e.g. no-store). */
  headers?: Record<string, string>;
  /** Off (404, before anything is read) when this says so. */
  enabled?: () => boolean;
};

type Ctx<A extends Auth, Q extends z.ZodType | undefined, P> = Who<A> & {
  req: Request;
  query: Q extends z.ZodType ? z.output<Q> : undefined;
  body: unknown;
  params: P;
};

const REFUSAL = Symbol('refusal');
export type RouteRefusal = { [REFUSAL]: true; error: string; status?: number; extra?: Record<string, unknown> };

/** A refusal from a handler: `{ error, ...extra }` with the status of that reason (or `status`). */
export function refuse(error: string, opts: { status?: number; extra?: Record<string, unknown> } = {}): RouteRefusal {
  return { [REFUSAL]: true, error, status: opts.status, extra: opts.extra };
}

function answer(error: string, status: number, headers: Record<string, string> = {}, extra: Record<string, unknown> = {}) {
  return Response.json({ error, ...extra }, { status, headers });
}

/** The one 401 a session-less caller gets. */
export const unauthenticated = (headers?: Record<string, string>) => answer('unauthenticated', 401, headers);

export function route<A extends Auth, Q extends z.ZodType | undefined = undefined, P = unknown>(
  opts: Options<A, Q>,
  handler: (ctx: Ctx<A, Q, P>) => Promise<Response | RouteRefusal>,
) {
  return async (req: Request, routeCtx?: { params: Promise<P> }): Promise<Response> => {
    const headers = opts.headers;
    if (opts.enabled && !opts.enabled()) return new Response(null, { status: 404 });
    let who: Record<string, unknown> = {};
    if (opts.auth === 'session') {
      const user = await getCurrentUser();
      if (!user) return unauthenticated(headers);
      who = { user };
    } else if (opts.auth === 'claims') {
      const claims = await sessionClaimsFromCookie();
      if (!claims) return unauthenticated(headers);
      who = { claims, user: getCurrentUser };
    } else if (typeof opts.auth === 'object') {
      const auth = req.headers.get('authorization') ?? '';
      const given = auth.startsWith('Bearer ') ? auth.slice(7) : '';
      if (!given || !safeEqual(given, opts.auth.bearer())) {
        return answer('unauthorized', 401, { ...headers, 'www-authenticate': 'Bearer' });
      }
    }

    let query: unknown;
    if (opts.query) {
      const parsed = opts.query.safeParse(Object.fromEntries(new URL(req.url).searchParams));
      if (!parsed.success) return answer('invalid', httpStatusOfRequest('invalid'), headers);
      query = parsed.data;
    }
    let body: unknown;
    if (opts.body) {
      const read = await readJsonBody(req, opts.body.maxBytes);
      if (!read.ok) {
        // Claims only so far: a caller whose session row is not active learns nothing, not even this.
        if (opts.auth === 'claims' && !(await getCurrentUser())) return unauthenticated(headers);
        return answer(read.error, read.status, headers);
      }
      body = read.value;
    }
    const params = (routeCtx ? await routeCtx.params : undefined) as P;
    const out = await handler({ ...who, req, query, body, params } as Ctx<A, Q, P>);
    if (out instanceof Response) return out;
    return answer(out.error, out.status ?? httpStatusOf(out.error), headers, out.extra);
  };
}
