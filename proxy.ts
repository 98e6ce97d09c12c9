import { randomBytes } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, HSTS, STATIC_SHELLS, staticShellHashes } from '@/lib/auth/security-headers';
import { configuredOrigin, env } from '@/lib/env';

// Run-time security headers (Next 16's proxy, the successor of middleware). It only sets headers: it is
// never the gate (every page, action and handler checks the session itself).
// - A fresh nonce per request in the Content-Security-Policy, also put on the request so that Next
//   renders it onto its inline scripts; static shells (the scanner) get the hashes of theirs instead.
// - HSTS when the public origin (PUBLIC_URL, read at run time, not at build time) is https.
export function proxy(request: NextRequest) {
  const e = env();
  const dev = e.NODE_ENV === 'development';
  const pathname = request.nextUrl.pathname;
  // Development renders every page per request (and .next may hold another build's shell): nonces only.
  const hashes = !dev && (STATIC_SHELLS as readonly string[]).includes(pathname) ? staticShellHashes(pathname) : null;
  const nonce = hashes ? undefined : randomBytes(16).toString('base64');
  const csp = contentSecurityPolicy({ nonce, hashes: hashes ?? undefined, dev });

  const requestHeaders = new Headers(request.headers);
  if (nonce) requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', csp);
  if (!dev && configuredOrigin(e)?.startsWith('https://')) response.headers.set('Strict-Transport-Security', HSTS);
  return response;
}

export const config = {
  // Not the door's hot paths (/api/checkins*: JSON, no scripts), the load test's reference routes, nor
  // the hashed bundles: next.config.js gives those a fixed script-free policy, and the browser already
  // has HSTS from the pages.
  matcher: ['/((?!api/checkins|api/bench/|_next/static|_next/image).*)'],
};
