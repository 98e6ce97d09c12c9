// The launcher's own answers (scripts/request-guard.mjs, issue #16 "No 500s"): malformed paths and
// cross-origin server actions, judged as Next would judge them. The answers themselves, through the
// running launcher, are in tests/e2e/no-500.spec.ts.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { crossOriginAction, decodablePath, isInternalErrorPage, pageFormPost, securityHeaders } from '../../scripts/request-guard.mjs';

const post = (headers: Record<string, string>, url = '/venue') => ({ method: 'POST', url, headers }) as unknown as IncomingMessage;
const none = () => false;

describe('request guard', () => {
  it('finds the paths whose % escapes do not decode', () => {
    for (const bad of ['/q/%ZZ', '/join/%E0%A4%A', '/%', '/me/%C0%AF', 'http://example.test/q/%ZZ?x=1'])
      expect(decodablePath(bad), bad).toBe(false);
    for (const good of ['/', '/q/abc', '/join/%E0%A4%A4', '/venue/stats?day=%ZZ', '/a%20b', '/%25'])
      expect(decodablePath(good), good).toBe(true);
  });

  it("treats Next's own error shell, asked for by name, as a page that does not exist", () => {
    for (const url of ['/_global-error', '/_global-error/', '/%5Fglobal-error?x=1', '/_global-error/x'])
      expect(isInternalErrorPage(url), url).toBe(true);
    for (const url of ['/', '/_global-errors', '/me/_global-error']) expect(isInternalErrorPage(url), url).toBe(false);
  });

  it('refuses a server action from another origin, as Next would, but not same-origin or origin-less ones', () => {
    const action = { 'next-action': 'abc', host: 'app.test:3000', 'content-type': 'text/plain;charset=UTF-8' };
    expect(crossOriginAction(post({ ...action, origin: 'https://evil.example' }), none)).toBe(true);
    expect(crossOriginAction(post({ ...action, origin: 'null' }), none)).toBe(true);
    expect(crossOriginAction(post({ ...action, origin: 'not a url' }), none)).toBe(true);
    expect(crossOriginAction(post({ ...action, origin: 'http://app.test:3000' }), none)).toBe(false);
    expect(crossOriginAction(post({ ...action }), none)).toBe(false);
    // x-forwarded-host first, as Next reads it.
    expect(crossOriginAction(post({ ...action, 'x-forwarded-host': 'public.test', origin: 'https://public.test' }), none)).toBe(false);
    expect(crossOriginAction(post({ ...action, 'x-forwarded-host': 'public.test', origin: 'http://app.test:3000' }), none)).toBe(true);
    // serverActions.allowedOrigins.
    expect(crossOriginAction(post({ ...action, origin: 'https://ok.example' }), (h: string) => h === 'ok.example')).toBe(false);
    // A form post without JavaScript is an action too, outside the route handlers of /api.
    const form = { host: 'app.test', origin: 'https://evil.example', 'content-type': 'multipart/form-data; boundary=x' };
    expect(crossOriginAction(post(form), none)).toBe(true);
    expect(crossOriginAction(post(form, '/api/auth/signin/credentials'), none)).toBe(false);
    expect(crossOriginAction({ ...post({ ...action, origin: 'https://evil.example' }), method: 'GET' } as IncomingMessage, none)).toBe(
      false,
    );
  });

  it('checks the body of a form posted to a page without JavaScript (Next decodes it), and only that', () => {
    const multipart = { 'content-type': 'multipart/form-data; boundary=x' };
    expect(pageFormPost(post(multipart, '/sign-in'))).toBe(true);
    expect(pageFormPost(post({ ...multipart, 'next-action': 'abc' }, '/sign-in'))).toBe(false);
    expect(pageFormPost(post(multipart, '/api/checkins'))).toBe(false);
    expect(pageFormPost(post({ 'content-type': 'application/json' }, '/sign-in'))).toBe(false);
  });

  it('answers with the compiled security headers of the path, over a strict floor', () => {
    const compiled = [{ regex: /^(?:\/(.*))?$/, headers: [{ key: 'X-Frame-Options', value: 'SAMEORIGIN' }] }];
    const h = securityHeaders(compiled, '/q/%ZZ');
    expect(h['x-frame-options']).toBe('SAMEORIGIN');
    expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(h['x-content-type-options']).toBe('nosniff');
  });
});
