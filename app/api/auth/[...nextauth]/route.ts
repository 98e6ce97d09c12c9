import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { safeCallbackUrl } from '@/lib/auth/callback-url';
import { authOptions } from '@/lib/auth/options';
import { readJsonBody } from '@/lib/http/read-json';

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built per request so that configuration is read at run time, not during the build.
async function handler(incoming: NextRequest, ctx: Ctx) {
  const req = withSafeCallbackUrl(incoming);
  // NextAuth parses a body it is told is JSON without a guard (an empty or broken one was a 500): it is
  // read first, from a copy, as every JSON body of the app is (lib/http/read-json.ts).
  if (req.method === 'POST' && (req.headers.get('content-type') ?? '').includes('application/json')) {
    const read = await readJsonBody(req.clone(), 16_384);
    if (!read.ok) return Response.json({ error: read.error }, { status: read.status });
  }
  return NextAuth(req as never, ctx as never, authOptions());
}

/**
 * NextAuth answers a `callbackUrl` that is neither a path nor an http(s) URL with a 500
 * (INVALID_CALLBACK_URL_ERROR). It gets the one safe-redirect judgement instead (lib/auth/callback-url.ts):
 * anything that would not stay on this site becomes `/`.
 */
function withSafeCallbackUrl(req: NextRequest): NextRequest {
  const url = new URL(req.url);
  const asked = url.searchParams.get('callbackUrl');
  if (asked === null) return req;
  const safe = safeCallbackUrl(asked, url.origin);
  if (safe === asked) return req;
  url.searchParams.set('callbackUrl', safe);
  // duplex: a POST's body stream is passed on as it is (undici requires saying so).
  const init = { method: req.method, headers: req.headers, body: req.body, signal: req.signal, duplex: 'half' };
  return new NextRequest(url, init as ConstructorParameters<typeof NextRequest>[1]);
}

export { handler as GET, handler as POST };
