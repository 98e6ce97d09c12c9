// Issue #9: what the e2e server (plain http://localhost) cannot show — served over https in production,
// the session cookies are Secure (with the __Secure- prefix) and every response carries HSTS.
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.NEXTAUTH_URL = 'https://venue.example.gd.cn';
});

describe('served over https', () => {
  it('next-auth uses secure cookies', async () => {
    const { authOptions } = await import('@/lib/auth/options');
    expect(authOptions().useSecureCookies).toBe(true);
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

  it('production sends Strict-Transport-Security on every path', async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const config = createRequire(import.meta.url)('../../next.config.js') as {
      headers: () => Promise<{ source: string; headers: { key: string; value: string }[] }[]>;
    };
    const rules = await config.headers();
    const all = rules.find((r) => r.source === '/:path*')!;
    expect(all.headers).toContainEqual({ key: 'Strict-Transport-Security', value: 'max-age=63072000; includeSubDomains' });
    expect(all.headers.find((h) => h.key === 'Content-Security-Policy')!.value).not.toContain('unsafe-eval');
    vi.unstubAllEnvs();
  });
});
