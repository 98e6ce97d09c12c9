// Issue #9: what the e2e server (plain http://localhost) cannot show — served over https in production,
// the session cookies are Secure (with the __Secure- prefix) and every response carries HSTS.
// Issue #16: HSTS follows PUBLIC_URL at run time (next.config.js is evaluated at build time, when the
// README's deployment has not set it yet), and the CSP carries a fresh nonce instead of 'unsafe-inline'.
import { createRequire } from 'node:module';
import path from 'node:path';
import { NextRequest } from 'next/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

async function freshModules(vars: Record<string, string>) {
  vi.resetModules();
  for (const [k, v] of Object.entries(vars)) vi.stubEnv(k, v);
  return { proxy: (await import('@/proxy')).proxy, options: (await import('@/lib/auth/options')).authOptions };
}
const call = (proxy: (r: NextRequest) => Response, url: string) => proxy(new NextRequest(new URL(url, 'http://localhost:3100')));

beforeEach(() => {
  vi.stubEnv('PUBLIC_URL', '');
  vi.stubEnv('NEXTAUTH_URL', '');
});
afterEach(() => vi.unstubAllEnvs());

describe('served over https', () => {
  it('next-auth uses secure cookies', async () => {
    const { options } = await freshModules({ PUBLIC_URL: 'https://venue.example.gd.cn' });
    expect(options().useSecureCookies).toBe(true);
    // The library's cookie table (not in its package exports), as it applies useSecureCookies.
    type Cookie = { name: string; options: Record<string, unknown> };
    const { defaultCookies } = createRequire(import.meta.url)(path.resolve('node_modules/next-auth/core/lib/cookie.js')) as {
      defaultCookies: (secure: boolean) => Record<string, Cookie>;
    };
    const cookies = defaultCookies(true);
    expect(cookies.sessionToken).toMatchObject({
      name: '__Secure-next-auth.session-token',
      options: { httpOnly: true, sameSite: 'lax', path: '/', secure: true },
    });
    expect(cookies.csrfToken).toMatchObject({ name: '__Host-next-auth.csrf-token', options: { httpOnly: true, secure: true } });
  });

  it('production sends Strict-Transport-Security, decided by PUBLIC_URL at run time', async () => {
    const { proxy } = await freshModules({ NODE_ENV: 'production', PUBLIC_URL: 'https://venue.example.gd.cn' });
    for (const url of ['/', '/sign-in', '/venue/stats', '/api/time', '/checker/scan']) {
      expect(call(proxy, url).headers.get('strict-transport-security'), url).toBe('max-age=63072000; includeSubDomains');
    }
    // The deprecated NEXTAUTH_URL still counts, for deployments not yet moved.
    const legacy = await freshModules({ NODE_ENV: 'production', NEXTAUTH_URL: 'https://venue.example.gd.cn' });
    expect(call(legacy.proxy, '/').headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    // Plain http (the e2e server) and development: none.
    const http = await freshModules({ NODE_ENV: 'production', PUBLIC_URL: 'http://localhost:3100' });
    expect(call(http.proxy, '/').headers.get('strict-transport-security')).toBeNull();
    const dev = await freshModules({ NODE_ENV: 'development', PUBLIC_URL: 'https://venue.example.gd.cn' });
    expect(call(dev.proxy, '/').headers.get('strict-transport-security')).toBeNull();
  });

  it('the door and the bundles skip the proxy; next.config.js gives them a policy without inline scripts', async () => {
    const { config } = await import('@/proxy');
    const runs = new RegExp(`^${config.matcher[0]}$`);
    for (const p of ['/', '/sign-in', '/api/time', '/api/live', '/checker/scan', '/_next/data/x']) expect(runs.test(p), p).toBe(true);
    for (const p of ['/api/checkins', '/api/checkins/batch', '/api/checkins/resolve', '/api/bench/floor', '/_next/static/chunks/a.js'])
      expect(runs.test(p), p).toBe(false);
    vi.stubEnv('NODE_ENV', 'production');
    const nextConfig = createRequire(import.meta.url)('../../next.config.js') as {
      headers: () => Promise<{ source: string; headers: { key: string; value: string }[] }[]>;
    };
    const rules = await nextConfig.headers();
    for (const source of ['/api/checkins', '/api/checkins/:path*', '/_next/static/:path*']) {
      const csp = rules.find((r) => r.source === source)?.headers.find((h) => h.key === 'Content-Security-Policy')?.value;
      expect(csp, source).toMatch(/script-src 'self';/);
      expect(csp).not.toMatch(/script-src[^;]*unsafe|unsafe-eval/);
    }
    // Not sent from the build-time config any more (it read NEXTAUTH_URL when the build ran).
    expect(JSON.stringify(rules)).not.toContain('Strict-Transport-Security');
  });
});

describe('Content-Security-Policy', () => {
  it('a fresh nonce per request, in the answer and in the request Next renders from; no unsafe-inline or unsafe-eval', async () => {
    const { proxy } = await freshModules({ NODE_ENV: 'production', PUBLIC_URL: 'http://localhost:3100' });
    const nonces = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = call(proxy, '/venue');
      const csp = res.headers.get('content-security-policy')!;
      const script = csp.split('; ').find((d) => d.startsWith('script-src '))!;
      const nonce = /'nonce-([A-Za-z0-9+/=]{22,})'/.exec(script)![1];
      nonces.add(nonce);
      expect(script).not.toMatch(/unsafe-inline|unsafe-eval/);
      // NextResponse.next({ request }) forwards overridden request headers as x-middleware-request-*.
      expect(res.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
      for (const d of ["default-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'", "form-action 'self'"]) {
        expect(csp).toContain(d);
      }
    }
    expect(nonces.size).toBe(20);
  });

  it('development: a nonce on every page, the scanner too (it is rendered per request there, and .next may hold another build)', async () => {
    const { proxy } = await freshModules({ NODE_ENV: 'development' });
    const csp = call(proxy, '/checker/scan').headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'unsafe-eval';/);
    expect(csp).not.toContain('sha256-');
  });

  it('the scanner’s static shell: inline scripts allowed there only, never a nonce; other pages a nonce', async () => {
    const { proxy } = await freshModules({ NODE_ENV: 'production' });
    const shell = call(proxy, '/checker/scan').headers.get('content-security-policy')!;
    expect(shell).toMatch(/script-src 'self' 'unsafe-inline';/);
    const page = call(proxy, '/venue').headers.get('content-security-policy')!;
    expect(page).toMatch(/script-src 'self' 'nonce-[^']+';/);
    expect(page).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
