import { randomBytes } from 'node:crypto';
import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, HSTS, STATIC_SHELLS } from '@/lib/auth/security-headers';
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
  // The scanner's shell is prerendered once, so it cannot carry a per-request nonce; hashes of its inline
  // scripts read from .next/server/app did not match what the launcher's Next serves (the flight data is
  // re-rendered into the cache at start-up), so it allows inline scripts — and only it (README, CSP).
  const shell = !dev && (STATIC_SHELLS as readonly string[]).includes(pathname);
  const nonce = shell ? undefined : randomBytes(16).toString('base64');
  const csp = contentSecurityPolicy({ nonce, inlineScripts: shell, dev });

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
