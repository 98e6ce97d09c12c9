// @ts-check
const os = require('node:os');
const createNextIntlPlugin = require('next-intl/plugin');

const withNextIntl = createNextIntlPlugin('./lib/i18n/request.ts');
const dev = process.env.NODE_ENV !== 'production';

// The Content-Security-Policy of pages (a nonce per request; hashes for the scanner's static shell) and
// HSTS are sent at run time by proxy.ts, which reads PUBLIC_URL when the server runs — this file is
// evaluated at build time. The fixed headers stay here, for every path; the paths the proxy skips
// (the door's JSON endpoints, the hashed bundles) get a policy that allows no inline script at all.
const fixedHeaders = [
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(self), microphone=(), geolocation=(), payment=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
];
const scriptFreePolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
const PROXY_SKIPS = ['/api/checkins', '/api/checkins/:path*', '/api/bench/:path*', '/_next/static/:path*', '/_next/image'];

/**
 * Development only: the machine's LAN addresses (and PUBLIC_URL's host), so that `next dev -H 0.0.0.0`
 * serves its scripts to a phone on the same network. The camera needs https there (README).
 */
function devOrigins() {
  const hosts = new Set(['localhost', '127.0.0.1']);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') hosts.add(a.address);
  }
  for (const url of [process.env.PUBLIC_URL, process.env.NEXTAUTH_URL]) {
    try {
      if (url) hosts.add(new URL(url).hostname);
    } catch {
      // lib/env.ts reports a malformed URL
    }
  }
  return [...hosts];
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ['@electric-sql/pglite', 'pino'],
  // `next dev` logs every server action call with its arguments (a form's state: an ID number typed
  // nearly right, a phone). Off: nothing personal in logs, in development too (issue #16).
  logging: { serverFunctions: false },
  ...(dev ? { allowedDevOrigins: devOrigins() } : {}),
  async headers() {
    return [
      { source: '/:path*', headers: fixedHeaders },
      ...PROXY_SKIPS.map((source) => ({ source, headers: [{ key: 'Content-Security-Policy', value: scriptFreePolicy }] })),
    ];
  },
};

module.exports = withNextIntl(nextConfig);
