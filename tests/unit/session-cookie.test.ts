import { encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { sessionIdFromToken } from '@/lib/auth/require-user';
import { env } from '@/lib/env';

// getCurrentUser decrypts next-auth's cookie itself (a key derived once): it must accept exactly what
// next-auth issues with this secret, and nothing else.
describe('session cookie', () => {
  it('reads the session id of a token next-auth encoded with the configured secret', async () => {
    const token = await encode({ token: { sub: 'a', sid: '6f1c2d3e-0000-4000-8000-000000000001' }, secret: env().NEXTAUTH_SECRET });
    expect(await sessionIdFromToken(token)).toBe('6f1c2d3e-0000-4000-8000-000000000001');
  });
  it('refuses another secret, an expired token, a token without sid and garbage', async () => {
    expect(await sessionIdFromToken(await encode({ token: { sid: 'x' }, secret: 'another-secret-another-secret-another' }))).toBeNull();
    expect(await sessionIdFromToken(await encode({ token: { sid: 'x' }, secret: env().NEXTAUTH_SECRET, maxAge: -60 }))).toBeNull();
    expect(await sessionIdFromToken(await encode({ token: { sub: 'a' }, secret: env().NEXTAUTH_SECRET }))).toBeNull();
    expect(await sessionIdFromToken('not.a.jwt')).toBeNull();
  });
});
