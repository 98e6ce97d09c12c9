// The production route handlers behind a real HTTP server, for tests whose client speaks HTTP (the offline
// queue, the fault drill). Each request becomes a web Request handed to the imported handler — the
// route module itself, not a copy of its logic — and next/headers answers from that request: the test file
// mocks it with `vi.mock('next/headers', () => import('../helpers/route-server').then((m) => m.nextHeaders))`,
// so cookies() reads the request's own Cookie header and the session goes through the real next-auth
// cookie decryption and the real session-row check.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Db } from '@/db';
import { createAuthSession } from '@/db/queries/accounts';
import { SESSION_MAX_AGE_SECONDS } from '@/lib/auth/sign-in';

export type RouteHandler = (req: Request) => Promise<Response>;

const current = new AsyncLocalStorage<Headers>();

/** Cookies of the request being served, in the shape next/headers' cookies() returns. */
function cookieStore(headers: Headers) {
  const all = (headers.get('cookie') ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=');
      return { name: p.slice(0, i), value: decodeURIComponent(p.slice(i + 1)) };
    });
  return {
    get: (name: string) => all.find((c) => c.name === name),
    getAll: () => all,
    has: (name: string) => all.some((c) => c.name === name),
    set: () => {},
    delete: () => {},
  };
}

/** The module the test file's vi.mock('next/headers') returns. */
export const nextHeaders = {
  headers: async () => current.getStore() ?? new Headers(),
  cookies: async () => cookieStore(current.getStore() ?? new Headers()),
};

/** A next-auth session cookie for a new, real session row of `accountId` (as sign-in issues it). */
export async function sessionCookie(db: Db, accountId: string): Promise<string> {
  const { encode } = await import('next-auth/jwt');
  const { env } = await import('@/lib/env');
  const sid = await createAuthSession(db, { accountId, expiresAt: new Date(Date.now() + SESSION_MAX_AGE_SECONDS * 1000), userAgent: null });
  const token = await encode({ token: { sid, sub: accountId }, secret: env().NEXTAUTH_SECRET });
  return `next-auth.session-token=${token}`;
}

/** The incoming request as the web Request a route handler receives (x-forwarded-for as Next sets it). */
export async function toWebRequest(req: IncomingMessage, body: Buffer): Promise<Request> {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  if (!headers.has('x-forwarded-for')) headers.set('x-forwarded-for', req.socket.remoteAddress ?? '127.0.0.1');
  return new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body: req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(body),
  });
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Calls the handler with next/headers answering from this request. */
export function callRoute(handler: RouteHandler, request: Request): Promise<Response> {
  return current.run(request.headers, () => handler(request));
}

export async function writeResponse(res: ServerResponse, response: Response) {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()));
}

/**
 * An app "process" serving `routes` (path → the imported handler): a thrown handler answers 500 as
 * Next.js does. kill() stops it as a crash would — no new connections, open ones cut mid-request.
 */
export function routeServer(routes: Record<string, RouteHandler>) {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => void handle(req, res));
  async function handle(req: IncomingMessage, res: ServerResponse) {
    try {
      const handler = routes[(req.url ?? '').split('?')[0]];
      if (!handler) return res.writeHead(404).end();
      const response = await callRoute(handler, await toWebRequest(req, await readBody(req)));
      await writeResponse(res, response);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}');
      else res.destroy();
    }
  }
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  return {
    listen: (port = 0) => new Promise<number>((r) => server.listen(port, '127.0.0.1', () => r((server.address() as AddressInfo).port))),
    kill: () => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      return closed;
    },
  };
}
