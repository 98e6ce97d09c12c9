import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import fc from 'fast-check';
import { signIn, uniquePhone } from './support/auth';
import { baseURL } from './support/config';
import { statePath, type SharedRole } from './support/shared';

// Issue #16 "No 500s", through the production launcher (playwright.config.ts runs scripts/serve.mjs):
// every page and route of the built manifest, anonymous and signed in, with hostile path segments, query
// strings and (for routes) bodies, answers below 500 and with the security headers — and the specific
// inputs that gave 500s before answer what they should.
test.describe.configure({ timeout: 300_000 });

const RUNS = Number(process.env.NO_500_RUNS ?? 60);

/** The app's pages and routes as URL templates, from the build (route groups dropped). */
function manifestTemplates(): { template: string; kind: 'page' | 'route' }[] {
  const manifest = JSON.parse(readFileSync(path.resolve('.next/server/app-paths-manifest.json'), 'utf8')) as Record<string, string>;
  return Object.keys(manifest).map((key) => {
    const kind = key.endsWith('/route') ? ('route' as const) : ('page' as const);
    const segments = key
      .replace(/\/(page|route)$/, '')
      .split('/')
      .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith('@'));
    return { template: `/${segments.join('/')}`, kind };
  });
}

/** The Cookie header of a shared account's saved session (tests/e2e/shared.setup.ts). */
function cookieOf(role: SharedRole): string {
  const state = JSON.parse(readFileSync(statePath(role), 'utf8')) as { cookies: { name: string; value: string }[] };
  return state.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

const safeEncode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

const hostileSegment = fc.oneof(
  fc.constantFrom(
    '%ZZ',
    '%E0%A4%A',
    '%',
    '%00',
    '%C0%AF',
    '%ED%A0%80',
    '%2e%2e',
    '%2F',
    '%5C',
    'abc',
    'ABCD-EFGH',
    '00000000-0000-0000-0000-000000000000',
    'x'.repeat(2000),
    '%F0%9F%98%80',
    '%E2%80%AE',
    "'%20or%201=1--",
    '%3Cscript%3E',
    '192',
    '0',
    '-1',
    '1e309',
  ),
  fc.uuid(),
  fc.string({ unit: 'binary', maxLength: 24 }).map(safeEncode),
  fc.string({ maxLength: 24 }).map(safeEncode),
);

const queryKey = fc.oneof(
  fc.constantFrom('day', 'from', 'to', 'fp', 'fs', 'range', 'kind', 'p', 'v', 'callbackUrl', 'notice', 'size', 'code', 'error', 'since'),
  fc.string({ maxLength: 8 }).map(safeEncode),
);
const queryValue = fc.oneof(
  fc.constantFrom(
    '2026-02-31',
    '0999-01-01',
    '9999-12-31',
    '2019-12-31',
    'abc',
    '%ZZ',
    '',
    '-1',
    '1e309',
    'NaN',
    '%00',
    'daily',
    'hourly',
    'fevers',
    'all',
    '/%09/evil.example/',
    '%0A',
    'x'.repeat(3000),
  ),
  fc.date({ min: new Date('0001-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.string({ unit: 'binary', maxLength: 20 }).map(safeEncode),
);
const hostileQuery = fc
  .array(fc.tuple(queryKey, queryValue), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

function fill(template: string, values: string[]): string {
  let i = 0;
  return template.replace(/\[\[?(\.\.\.)?[^\]]+\]\]?/g, (_m, rest) => {
    const v = values[i++ % values.length];
    return rest ? `${v}/${values[(i + 1) % values.length]}` : v;
  });
}

type Body = { body?: Uint8Array | string; type?: string };
const hostileBody: fc.Arbitrary<Body> = fc.record({
  body: fc.oneof(
    fc.constant(undefined),
    fc.constant(''),
    fc.json({ maxDepth: 3 }),
    fc.constantFrom('{"records":[{}]}', '{"items":[null]}', '[]', 'null', '\u0000', '{"a":"\u0000"}', '{'.repeat(200), 'x'.repeat(70_000)),
    fc.uint8Array({ maxLength: 64 }),
  ),
  type: fc.constantFrom(
    undefined,
    'application/json',
    'text/plain',
    'multipart/form-data; boundary=x',
    'application/x-www-form-urlencoded',
    'application/json; charset=latin1',
  ),
});

/** The security headers every answer must carry; the names of those missing. */
function missingSecurityHeaders(h: Headers): string[] {
  const missing: string[] = [];
  if (h.get('x-content-type-options') !== 'nosniff') missing.push('x-content-type-options');
  if (!h.get('content-security-policy')) missing.push('content-security-policy');
  if (!h.get('x-frame-options') && !/frame-ancestors/.test(h.get('content-security-policy') ?? '')) missing.push('x-frame-options');
  return missing;
}

type Answer = { status: number; headers: Headers; text: string };

/** One request with Node's fetch (no redirects followed, streams cut after the headers). */
async function send(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {},
): Promise<Answer> {
  const res = await fetch(`${baseURL}${url}`, {
    method: init.method ?? 'GET',
    headers: init.headers,
    body: init.body as BodyInit | undefined,
    redirect: 'manual',
    signal: AbortSignal.timeout(20_000),
  });
  const streaming = (res.headers.get('content-type') ?? '').includes('text/event-stream');
  const text = streaming ? '' : await res.text().catch(() => '');
  if (streaming) await res.body?.cancel();
  return { status: res.status, headers: res.headers, text };
}

function expectSound(answer: Answer, what: string) {
  expect(answer.status, `${what} → ${answer.status} ${answer.text.slice(0, 200)}`).toBeLessThan(500);
  expect(missingSecurityHeaders(answer.headers), `${what} → ${answer.status}`).toEqual([]);
}

const who: (SharedRole | 'anonymous')[] = ['anonymous', 'admin', 'resident', 'official', 'checker'];

for (const role of who) {
  test(`every page and route of the build, ${role}, hostile paths, queries and bodies: no 500, security headers`, async () => {
    const templates = manifestTemplates();
    expect(templates.length).toBeGreaterThan(10);
    const cookie: Record<string, string> = role === 'anonymous' ? {} : { cookie: cookieOf(role) };
    // Every template once as it is (placeholders filled with something plain), then hostile cases.
    for (const { template } of templates) {
      const url = fill(template, ['abc']);
      expectSound(await send(url, { headers: cookie }), `GET ${url}`);
    }
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...templates),
        fc.array(hostileSegment, { minLength: 1, maxLength: 3 }),
        hostileQuery,
        hostileBody,
        fc.constantFrom('GET', 'POST', 'HEAD'),
        fc.option(fc.stringMatching(/^[0-9a-f]{40,42}$/), { nil: undefined }),
        async ({ template, kind }, segments, query, { body, type }, method, actionId) => {
          const url = `${fill(template, segments)}${query}`;
          const headers: Record<string, string> = { ...cookie, origin: baseURL };
          if (type) headers['content-type'] = type;
          // Pages take POSTs only as server actions: an unknown action id is what a stale page sends.
          if (kind === 'page' && method === 'POST' && actionId) headers['next-action'] = actionId;
          const answer = await send(url, { method, headers, body: method === 'POST' ? body : undefined });
          expectSound(answer, `${method} ${url.slice(0, 300)} (${type ?? 'no type'})`);
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
  });
}

test.describe('the inputs that gave 500s', () => {
  test('malformed % escapes in a path: 400 with the security headers, from the launcher', async () => {
    for (const url of ['/q/%ZZ', '/join/%E0%A4%A', '/me/print/%C0%AF/png', '/%', '/venue/%E0%A4%A?x=1']) {
      const answer = await send(url);
      expect(answer.status, url).toBe(400);
      expect(missingSecurityHeaders(answer.headers), url).toEqual([]);
    }
    // A well-formed escape still reaches the app.
    expect((await send('/join/%E0%A4%A4')).status).toBeLessThan(500);
  });

  test('a server action from another origin: 403 with the security headers; from this origin, never a 500', async () => {
    const cookie = cookieOf('admin');
    const action = { 'next-action': 'a'.repeat(42), 'content-type': 'text/plain;charset=UTF-8', cookie };
    for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example']) {
      const answer = await send('/venue', { method: 'POST', headers: { ...action, origin }, body: '[]' });
      expect(answer.status, origin).toBe(403);
      expect(missingSecurityHeaders(answer.headers)).toEqual([]);
    }
    // A form posted cross-site without JavaScript is refused the same way.
    const form = await send('/venue/register', {
      method: 'POST',
      headers: { cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    });
    expect(form.status).toBe(403);
    const same = await send('/venue', { method: 'POST', headers: { ...action, origin: baseURL }, body: '[]' });
    expect(same.status).toBeLessThan(500);
  });

  test('statistics with days that do not exist, out of range, or a page that is no number: the default view with a notice', async () => {
    const cookie = cookieOf('admin');
    for (const q of ['day=2026-02-31', 'from=0999-01-01', 'to=9999-12-31', 'fp=abc', 'from=2020-01-01&to=2026-12-31', 'range=45']) {
      const page = await send(`/venue/stats?${q}`, { headers: { cookie } });
      expect(page.status, q).toBe(200);
      expect(page.text, q).toContain('data-testid="stats-query-notice"');
    }
    const fine = await send('/venue/stats?range=7', { headers: { cookie } });
    expect(fine.status).toBe(200);
    expect(fine.text).not.toContain('data-testid="stats-query-notice"');
  });

  test('the printable daily report with such days, or more than a week: a message in words, no report', async () => {
    const cookie = cookieOf('admin');
    for (const q of ['day=2026-02-31', 'from=0999-01-01', 'to=9999-12-31', 'from=2026-11-01&to=2026-11-08', 'day=a&day=b']) {
      const page = await send(`/venue/stats/report?${q}`, { headers: { cookie } });
      expect(page.status, q).toBe(200);
      expect(page.text, q).toContain('data-testid="report-error"');
      expect(page.text, q).not.toContain('data-testid="report-page"');
    }
    const fine = await send('/venue/stats/report?from=&to=', { headers: { cookie } });
    expect(fine.text).toContain('data-testid="report-page"');
  });

  test('the statistics export with such days: 400', async () => {
    const cookie = cookieOf('admin');
    for (const q of ['day=2026-02-31', 'from=0999-01-01', 'to=9999-12-31', 'kind=pdf', 'from=2020-01-01&to=2026-12-31']) {
      const kind = q.startsWith('kind=') ? '' : 'kind=daily&';
      const answer = await send(`/venue/stats/export?${kind}${q}`, { headers: { cookie } });
      expect(answer.status, q).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({ error: 'invalid' });
    }
    expect((await send('/venue/stats/export?kind=daily&from=&to=', { headers: { cookie } })).status).toBe(200);
  });

  test('a venue name of invisible characters and an address with a bidi override: refused with words, nothing registered', async ({
    page,
  }) => {
    await signIn(page, uniquePhone(), '/venue/register');
    await page.goto('/venue/register');
    await page.getByLabel('场所名称').fill('\u200B\u200B\u3164');
    await page.getByLabel('场所类型').selectOption('retail');
    await page.getByLabel('市', { exact: true }).selectOption('4401');
    await page.getByLabel('区（县）').selectOption('440106');
    const township = page.getByLabel('镇（街道）');
    await expect(township.locator('option')).not.toHaveCount(1);
    await township.selectOption({ index: 1 });
    await page.getByLabel('详细地址').fill('天河路\u202E802号');
    await page.getByLabel('联系电话').fill('020-85590000');
    await page.getByRole('button', { name: '提交申报' }).click();
    await expect(page.getByText('内容只有空白或看不见的字符，请填写能看到的文字。')).toBeVisible();
    await expect(page.getByText('内容含有控制字符或文字方向控制符，无法保存，请删除后重新输入。')).toBeVisible();
    await expect(page).toHaveURL(/\/venue\/register/);
  });
});
