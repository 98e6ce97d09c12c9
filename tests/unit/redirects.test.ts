// Issue #16: one safe-redirect function for every redirect a user can steer. `callbackUrl=/%09/evil.example/`
// used to pass (browsers drop the tab and go off-site) and `%0A` gave a 500 when signed in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeCallbackUrl, safeRedirectPath } from '@/lib/auth/callback-url';
import { authOptions } from '@/lib/auth/options';
import { PURE_RUNS } from '../helpers/fuzz-runs';

const ORIGIN = 'https://venues.example.cn';

/** Where a browser at ORIGIN goes when it receives `Location: <path>` (the WHATWG parser, as browsers do). */
const lands = (path: string) => new URL(path, ORIGIN);

/** What every answer must be: a path, not protocol-relative, no control characters, landing on ORIGIN. */
function isSafe(out: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (!out.startsWith('/') || out.startsWith('//') || out.startsWith('/\\') || /[\u0000-\u001f\u007f-\u009f]/.test(out)) return false;
  return lands(out).origin === ORIGIN;
}

function assertSafe(input: unknown, out: string) {
  expect(out, JSON.stringify(input)).toMatch(/^\//);
  expect(out.startsWith('//') || out.startsWith('/\\'), JSON.stringify(input)).toBe(false);
  // eslint-disable-next-line no-control-regex
  expect(/[\u0000-\u001f\u007f-\u009f]/.test(out), JSON.stringify(input)).toBe(false);
  expect(lands(out).origin, JSON.stringify(input)).toBe(ORIGIN);
  // The value is a valid header value: a redirect with it cannot throw.
  expect(() => new Headers({ location: out })).not.toThrow();
}

describe('safeRedirectPath', () => {
  it('keeps same-origin paths and same-origin absolute URLs', () => {
    expect(safeRedirectPath('/venue?tab=members#x', ORIGIN)).toBe('/venue?tab=members#x');
    expect(safeRedirectPath(`${ORIGIN}/checker/scan?v=1`, ORIGIN)).toBe('/checker/scan?v=1');
    expect(safeRedirectPath('/me/%E4%B8%AD', ORIGIN)).toBe('/me/%E4%B8%AD');
  });

  it('refuses the reported bypasses and their relatives', () => {
    for (const bad of [
      '/\t/evil.example/', // callbackUrl=/%09/evil.example/ as searchParams decodes it
      '/\n/evil.example/',
      '/\r\n/evil.example',
      '/\\evil.example',
      '/\t\\evil.example',
      '\\/evil.example',
      '//evil.example',
      '///evil.example',
      '/./\\evil.example',
      '/.//evil.example',
      '/%2e//evil.example',
      ' //evil.example',
      '\u0000//evil.example',
      '/\u200b/evil.example',
      'https://evil.example/',
      'https://venues.example.cn.evil.example/',
      'https://venues.example.cn@evil.example/',
      'http://venues.example.cn/', // another scheme is another origin
      'javascript:alert(1)',
      'data:text/html,x',
      'evil.example',
      '',
    ]) {
      const out = safeRedirectPath(bad, ORIGIN);
      expect(lands(out).host, JSON.stringify(bad)).toBe('venues.example.cn');
      assertSafe(bad, out);
    }
    expect(safeRedirectPath('/\t/evil.example/', ORIGIN)).toBe('/');
    expect(safeRedirectPath('/venue\n', ORIGIN)).toBe('/venue');
    expect(safeRedirectPath('/a%0Ab', ORIGIN)).toBe('/a%0Ab');
  });

  it('whatever the string, the result is a path on the same origin (property)', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc
        .array(
          fc.constantFrom(
            '/',
            '\\',
            '\t',
            '\n',
            '\r',
            '\u0000',
            '\u007f',
            '\u0085',
            '\u200b',
            '\u202e',
            ' ',
            '.',
            '..',
            '%09',
            '%2f',
            '%5c',
            ':',
            '@',
            '#',
            '?',
            'evil.example',
            'https:',
            'javascript:',
            'venues.example.cn',
            '%0A',
          ),
          { maxLength: 12 },
        )
        .map((parts) => parts.join('')),
    );
    fc.assert(
      fc.property(hostile, (s) => isSafe(safeRedirectPath(s, ORIGIN)) && isSafe(safeCallbackUrl(s, ORIGIN))),
      { numRuns: PURE_RUNS },
    );
  });

  it('after sign-in, never back to sign-in', () => {
    expect(safeCallbackUrl('/sign-in?callbackUrl=/x', ORIGIN)).toBe('/');
    expect(safeCallbackUrl('/./sign-in', ORIGIN)).toBe('/');
    expect(safeCallbackUrl('/api/auth/signout', ORIGIN)).toBe('/');
    expect(safeCallbackUrl('/sign-in-help', ORIGIN)).toBe('/sign-in-help');
  });
});

describe('next-auth', () => {
  const callbacks = authOptions().callbacks!;

  it('its redirect callback uses the same rule', async () => {
    const redirect = (url: string) => callbacks.redirect!({ url, baseUrl: ORIGIN });
    expect(await redirect('/sign-in')).toBe(`${ORIGIN}/sign-in`);
    expect(await redirect(`${ORIGIN}/venue`)).toBe(`${ORIGIN}/venue`);
    expect(await redirect('/\t/evil.example/')).toBe(`${ORIGIN}/`);
    expect(await redirect('https://evil.example/')).toBe(`${ORIGIN}/`);
  });

  it('/api/auth/session gives page scripts no session id', async () => {
    const token = { sub: '6f1c2d3e-0000-4000-8000-000000000001', sid: '6f1c2d3e-0000-4000-8000-000000000002' };
    const session = await callbacks.session!({ session: { expires: '2030-01-01T00:00:00Z' }, token } as never);
    expect(session).toEqual({ expires: '2030-01-01T00:00:00Z', user: { id: token.sub } });
    expect(JSON.stringify(session)).not.toContain(token.sid);
  });
});
