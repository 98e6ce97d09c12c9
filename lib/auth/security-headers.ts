import 'server-only';

// The Content-Security-Policy and HSTS that proxy.ts sends at run time. The other security headers
// (nosniff, frame options, referrer, permissions, COOP) are fixed and stay in next.config.js, which also
// gives the paths the proxy skips (/api/checkins*, /_next/static) a script-free policy.

/** Directives every answer shares; only script-src differs between a per-request page and a static shell. */
export const BASE_DIRECTIVES = [
  "default-src 'self'",
  // Radix and Recharts set style attributes, which a nonce cannot cover; styles cannot run code.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // The camera (getUserMedia) needs no CSP source; its preview plays a MediaStream.
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

export const HSTS = 'max-age=63072000; includeSubDomains';

/**
 * script-src: 'self' for the bundles, and for inline scripts either the request's nonce (Next puts it on
 * the scripts it renders when it finds it in the request's policy); 'unsafe-inline' only for the static scanner shell (STATIC_SHELLS); 'unsafe-eval' only in
 * development (React's dev tooling needs it).
 */
export function contentSecurityPolicy(opts: {
  nonce?: string;
  /** The static scanner shell only: see STATIC_SHELLS. */
  inlineScripts?: boolean;
  dev?: boolean;
}): string {
  const sources = ["'self'"];
  if (opts.inlineScripts) sources.push("'unsafe-inline'");
  if (opts.nonce) sources.push(`'nonce-${opts.nonce}'`);
  if (opts.dev) sources.push("'unsafe-eval'");
  return [BASE_DIRECTIVES[0], `script-src ${sources.join(' ')}`, ...BASE_DIRECTIVES.slice(1)].join('; ');
}

/**
 * Pages rendered once at build time (the scanner's offline shell) carry no nonce. Their policy allows
 * inline scripts: hashes of the build's HTML did not match the shell Next serves (see proxy.ts).
 */
export const STATIC_SHELLS = ['/checker/scan'] as const;
