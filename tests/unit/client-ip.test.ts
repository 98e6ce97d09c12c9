// Issue #16: the per-IP limits (sign-in codes, invite and short-code look-ups) key on an address the
// deployment vouches for. Before, the first X-Forwarded-For entry — written by the client — was used.
import { describe, expect, it } from 'vitest';
import { clientIp } from '@/lib/auth/client-ip';
import { requestSignInCode, type SignInConfig } from '@/lib/auth/sign-in';
import type { Db } from '@/db';
import { resolveShortCode } from '@/lib/health-code/resolve-code';
import { generateShortCode } from '@/lib/health-code/short-code';
import { lookupInviteCode } from '@/lib/venues/checkers';
import http from 'node:http';
import { stampEveryRequest, stampSocketAddress, SOCKET_HEADER } from '@/scripts/socket-address.mjs';

const prod = { NODE_ENV: 'production' } as const;
const h = (init: Record<string, string>) => new Headers(init);

describe('clientIp', () => {
  it('a single-value header set by the proxy; a list or garbage there is no address', () => {
    const e = { ...prod, TRUSTED_PROXY_HEADER: 'x-real-ip' };
    expect(clientIp(h({ 'x-real-ip': '203.0.113.7', 'x-forwarded-for': '1.1.1.1' }), e)).toBe('203.0.113.7');
    expect(clientIp(h({ 'x-real-ip': ' 2001:DB8::1 ' }), e)).toBe('2001:db8::1');
    expect(clientIp(h({ 'x-real-ip': '[2001:db8::1]:4711' }), e)).toBe('2001:db8::1');
    expect(clientIp(h({ 'x-real-ip': '203.0.113.7:4711' }), e)).toBe('203.0.113.7');
    expect(clientIp(h({ 'x-real-ip': '::ffff:203.0.113.7' }), e)).toBe('203.0.113.7');
    expect(clientIp(h({ 'x-real-ip': '1.1.1.1, 203.0.113.7' }), e)).toBeNull();
    expect(clientIp(h({ 'x-real-ip': 'unknown' }), e)).toBeNull();
    expect(clientIp(h({ 'x-forwarded-for': '203.0.113.7' }), e)).toBeNull();
    expect(clientIp({ 'x-real-ip': ['1.1.1.1', '2.2.2.2'] }, e)).toBeNull();
  });

  it('X-Forwarded-For read from the right by the hop count: what the client wrote on the left is ignored', () => {
    const one = { ...prod, TRUSTED_PROXY_HOPS: 1 };
    // The client forged two entries; the one proxy appended the address it saw.
    expect(clientIp(h({ 'x-forwarded-for': '6.6.6.6, 7.7.7.7, 203.0.113.7' }), one)).toBe('203.0.113.7');
    const two = { ...prod, TRUSTED_PROXY_HOPS: 2 };
    // CDN appended the client, the load balancer appended the CDN.
    expect(clientIp(h({ 'x-forwarded-for': '6.6.6.6, 203.0.113.7, 198.51.100.2' }), two)).toBe('203.0.113.7');
    // Fewer entries than proxies: the request did not come through them.
    expect(clientIp(h({ 'x-forwarded-for': '203.0.113.7' }), two)).toBeNull();
    expect(clientIp(h({}), one)).toBeNull();
    expect(clientIp(h({ 'x-forwarded-for': '6.6.6.6, not-an-ip' }), one)).toBeNull();
  });

  it('no proxy: the socket address the launcher wrote, never a copy the client sent', () => {
    const e = { ...prod, TRUSTED_PROXY_HOPS: 0, SERVE_SOCKET_HEADER: SOCKET_HEADER } as const;
    const req = {
      headers: { [SOCKET_HEADER]: '6.6.6.6', 'x-forwarded-for': '7.7.7.7' } as Record<string, string>,
      rawHeaders: ['X-Serve-Socket-Address', '6.6.6.6', 'X-Forwarded-For', '7.7.7.7', 'x-serve-socket-address', '8.8.8.8'],
      socket: { remoteAddress: '::ffff:203.0.113.7' },
    };
    stampSocketAddress(req);
    expect(req.headers[SOCKET_HEADER]).toBe('::ffff:203.0.113.7');
    expect(req.rawHeaders).toEqual(['X-Forwarded-For', '7.7.7.7', SOCKET_HEADER, '::ffff:203.0.113.7']);
    expect(clientIp(req.headers, e)).toBe('203.0.113.7');
    // Without the launcher's marker, hops=0 reads nothing (and production refuses to start: env.test.ts).
    expect(clientIp(req.headers, { ...prod, TRUSTED_PROXY_HOPS: 0 })).toBeNull();
  });

  it('the launcher stamps every request before the handler sees it (a real server, a forged header)', async () => {
    stampEveryRequest();
    expect(process.env.SERVE_SOCKET_HEADER).toBe(SOCKET_HEADER);
    const server = http.createServer((req, res) => res.end(JSON.stringify(req.headers[SOCKET_HEADER])));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { [SOCKET_HEADER]: '6.6.6.6' } });
      expect(await res.json()).toBe('127.0.0.1');
    } finally {
      server.close();
      delete process.env.SERVE_SOCKET_HEADER;
    }
  });

  it('production with nothing configured finds no address; development takes the entry Next filled in', () => {
    expect(clientIp(h({ 'x-forwarded-for': '203.0.113.7' }), prod)).toBeNull();
    expect(clientIp(h({ 'x-forwarded-for': '6.6.6.6, 127.0.0.1' }), { NODE_ENV: 'development' })).toBe('127.0.0.1');
    expect(clientIp(h({ 'x-forwarded-for': 'x'.repeat(100) }), { NODE_ENV: 'test' })).toBeNull();
  });
});

describe('an unknown address is refused, not one shared bucket and not a free pass', () => {
  // Each returns before touching the database: no counter is shared by every unknown client.
  const noDb = new Proxy({}, { get: () => () => Promise.reject(new Error('the database must not be reached')) }) as unknown as Db;

  it('no sign-in code is sent', async () => {
    const cfg = { secret: 's', limits: { codeTtlSeconds: 300, maxAttempts: 5, resendSeconds: 60, dailyPerPhone: 10, hourlyPerIp: 30 } };
    let sent = 0;
    const sender = { revealsCode: false, send: async () => void sent++ };
    expect(await requestSignInCode(noDb, cfg satisfies SignInConfig, sender, { phone: '13812345678', ip: null })).toEqual({
      ok: false,
      reason: 'ip_limit',
    });
    expect(sent).toBe(0);
  });

  it('invite and short-code look-ups answer "rate limited"', async () => {
    const limits = { perAccountPerHour: 20, perIpPerHour: 60, secret: 's' };
    expect(await lookupInviteCode(noDb, { accountId: 'a' }, 'ABCD2345', null, limits)).toMatchObject({ ok: false, reason: 'rate_limited' });
    const perIp = { perMinute: 120, secret: 's' };
    expect(await resolveShortCode(noDb, { accountId: 'a', ip: null }, generateShortCode(), { perMinute: 30, perIp })).toMatchObject({
      ok: false,
      reason: 'rate_limited',
    });
  });
});
