import 'server-only';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

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
 * the scripts it renders when it finds it in the request's policy) or the hashes of a static shell's
 * scripts. Never 'unsafe-inline'; 'unsafe-eval' only in development (React's dev tooling needs it).
 */
export function contentSecurityPolicy(opts: { nonce?: string; hashes?: readonly string[]; dev?: boolean }): string {
  const sources = ["'self'"];
  if (opts.nonce) sources.push(`'nonce-${opts.nonce}'`);
  for (const h of opts.hashes ?? []) sources.push(`'${h}'`);
  if (opts.dev) sources.push("'unsafe-eval'");
  return [BASE_DIRECTIVES[0], `script-src ${sources.join(' ')}`, ...BASE_DIRECTIVES.slice(1)].join('; ');
}

/** sha256 sources of the inline scripts (those without src) of an HTML document, in order, without repeats. */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(m[1]) || m[2].length === 0) continue;
    hashes.add(`sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}`);
  }
  return [...hashes];
}

/**
 * Pages rendered once at build time (the scanner's offline shell) carry no nonce, so their policy lists
 * the hashes of their inline scripts, read from the build output at the first request.
 */
export const STATIC_SHELLS = ['/checker/scan'] as const;

const shellHashes = new Map<string, string[] | null>();

/** The hashes of a static shell's inline scripts; null when the build has no such HTML (development). */
export function staticShellHashes(pathname: string, distDir = path.join(process.cwd(), '.next')): string[] | null {
  if (!shellHashes.has(pathname)) {
    let hashes: string[] | null;
    try {
      hashes = inlineScriptHashes(readFileSync(path.join(distDir, 'server/app', `${pathname}.html`), 'utf8'));
    } catch {
      hashes = null;
    }
    shellHashes.set(pathname, hashes);
  }
  return shellHashes.get(pathname)!;
}
