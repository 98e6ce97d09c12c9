import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { browserWithCameraShowing } from './support/camera';
import { baseURL, runDir, serverEnv } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { joinAndApprove, registerVenueViaForm } from './support/venues';

// Issue #9, in the production build: security headers and cookie flags on every page, the camera and
// the charts under the Content-Security-Policy, and no visitor's name, ID number or phone in anything a
// venue role receives (HTML, RSC payloads, server-action answers, JSON, event streams, CSV).
test.describe.configure({ timeout: 180_000 });

type Seeded = { name: string; idNumber: string; phone: string };

/** One account that is resident (with a child), admin of one venue and checker of another. */
async function everyRole(browser: Browser, page: Page) {
  const phone = uniquePhone();
  await signIn(page, phone, '/');
  const selfId = await registerPersonViaForm(page, '/me/register', newResident({ birthYear: 1981 }));
  const childId = await registerPersonViaForm(page, '/me/family/new', newResident({ birthYear: 2016 }));
  const own = await registerVenueViaForm(page);
  // Another admin's venue, which this account joins as a checker (immediate binding after approval).
  const otherCtx = await browser.newContext();
  const other = await otherCtx.newPage();
  await signIn(other, uniquePhone(), '/venue');
  const theirs = await registerVenueViaForm(other);
  const venueId = await joinAndApprove(page, other, theirs.code, '安全门岗');
  await otherCtx.close();
  return { selfId, childId, inviteCode: own.code, venueId };
}

type Ctx = Awaited<ReturnType<typeof everyRole>>;
/** Every page.tsx, with a path to open it as the all-roles account (or as a guest). */
const PAGES: { file: string; path: string | ((c: Ctx) => string); guest?: boolean }[] = [
  { file: 'app/(public)/page.tsx', path: '/', guest: true },
  { file: 'app/(public)/sign-in/page.tsx', path: '/sign-in', guest: true },
  { file: 'app/(public)/q/[token]/page.tsx', path: '/q/not-a-token', guest: true },
  { file: 'app/(public)/q/v/[ticket]/page.tsx', path: '/q/v/forged-ticket' },
  { file: 'app/(public)/join/page.tsx', path: '/join' },
  { file: 'app/(public)/join/[code]/page.tsx', path: (c) => `/join/${c.inviteCode}` },
  { file: 'app/(resident)/me/page.tsx', path: (c) => `/me?p=${c.selfId}` },
  { file: 'app/(resident)/me/register/page.tsx', path: '/me/register' },
  { file: 'app/(resident)/me/family/page.tsx', path: '/me/family' },
  { file: 'app/(resident)/me/family/new/page.tsx', path: '/me/family/new' },
  { file: 'app/(resident)/me/log/page.tsx', path: (c) => `/me/log?p=${c.selfId}` },
  { file: 'app/(resident)/me/requests/page.tsx', path: '/me/requests' },
  { file: 'app/(resident)/me/guardians/page.tsx', path: '/me/guardians' },
  { file: 'app/(resident)/me/records/page.tsx', path: '/me/records' },
  { file: 'app/(resident)/me/print/[personId]/page.tsx', path: (c) => `/me/print/${c.childId}` },
  { file: 'app/(venue)/venue/page.tsx', path: '/venue' },
  { file: 'app/(venue)/venue/register/page.tsx', path: '/venue/register' },
  { file: 'app/(venue)/venue/edit/page.tsx', path: '/venue/edit' },
  { file: 'app/(venue)/venue/members/page.tsx', path: '/venue/members' },
  { file: 'app/(venue)/venue/entrances/page.tsx', path: '/venue/entrances' },
  { file: 'app/(venue)/venue/poster/page.tsx', path: '/venue/poster' },
  { file: 'app/(venue)/venue/stats/page.tsx', path: '/venue/stats' },
  { file: 'app/(venue)/venue/stats/report/page.tsx', path: '/venue/stats/report' },
  { file: 'app/(venue)/venue/alerts/page.tsx', path: '/venue/alerts' },
  { file: 'app/(venue)/venue/audit/page.tsx', path: '/venue/audit' },
  { file: 'app/(checker)/checker/page.tsx', path: '/checker' },
  { file: 'app/(door)/checker/scan/page.tsx', path: (c) => `/checker/scan?v=${c.venueId}` },
  { file: 'app/(checker)/checker/quick/page.tsx', path: (c) => `/checker/quick?v=${c.venueId}` },
  { file: 'app/(account)/settings/page.tsx', path: '/settings' },
  { file: 'app/(account)/inbox/page.tsx', path: '/inbox' },
  { file: 'app/(account)/settings/phone/page.tsx', path: '/settings/phone' },
  { file: 'app/(account)/settings/delete/page.tsx', path: '/settings/delete' },
  { file: 'app/(account)/account-recovery/[id]/page.tsx', path: '/account-recovery/00000000-0000-4000-8000-000000000000' },
  { file: 'app/(public)/recover/page.tsx', path: '/recover', guest: true },
  { file: 'app/(ops)/ops/page.tsx', path: '/ops' },
  { file: 'app/(ops)/ops/red-codes/page.tsx', path: '/ops/red-codes' },
  { file: 'app/(ops)/ops/audit/page.tsx', path: '/ops/audit' },
  { file: 'app/(ops)/ops/officials/page.tsx', path: '/ops/officials' },
  { file: 'app/(ops)/ops/corrections/page.tsx', path: '/ops/corrections' },
  { file: 'app/(resident)/me/correction/page.tsx', path: (c) => `/me/correction?p=${c.selfId}` },
  { file: 'app/(resident)/me/documents/page.tsx', path: (c) => `/me/documents?p=${c.selfId}` },
  // Not an official: the case is not found (404) — the headers still apply.
  { file: 'app/(ops)/ops/cases/[id]/print/page.tsx', path: '/ops/cases/00000000-0000-4000-8000-000000000000/print' },
  { file: 'app/(ops)/ops/cases/page.tsx', path: '/ops/cases' },
  // A case nobody may see is a 404 (the journey in tracing.spec.ts renders a real one).
  { file: 'app/(ops)/ops/cases/[id]/page.tsx', path: '/ops/cases/00000000-0000-4000-8000-000000000000' },
];

/** The one page rendered at build time (its policy lists the hashes of its inline scripts, README). */
const STATIC_SHELLS = ['/checker/scan'];

function expectSecurityHeaders(headers: Record<string, string>, where: string) {
  const csp = headers['content-security-policy'] ?? '';
  // Issue #16: no inline scripts by allowance, pages by nonce — except the static scanner shell (README).
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src')) ?? '';
  expect(scriptSrc, `${where}: script-src`).toMatch(/'self'/);
  const shell = where.startsWith('/') && STATIC_SHELLS.includes(new URL(where, baseURL).pathname);
  if (!shell) expect(scriptSrc, `${where}: script-src`).not.toContain("'unsafe-inline'");
  // Served over http here: no HSTS (tests/unit/https-flags.test.ts shows it for an https PUBLIC_URL).
  expect(headers['strict-transport-security'], where).toBe(serverEnv.PUBLIC_URL.startsWith('https://') ? expect.any(String) : undefined);
  for (const directive of [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "connect-src 'self'",
  ]) {
    expect(csp, `${where}: CSP ${directive}`).toContain(directive);
  }
  // Production: no eval (dev mode needs it, the build must not).
  expect(csp, where).not.toContain("'unsafe-eval'");
  expect(headers['x-content-type-options'], where).toBe('nosniff');
  expect(headers['x-frame-options'], where).toBe('DENY');
  expect(headers['referrer-policy'], where).toBe('strict-origin-when-cross-origin');
  expect(headers['permissions-policy'], where).toContain('camera=(self)');
  expect(headers['cross-origin-opener-policy'], where).toBe('same-origin');
  expect(headers['x-powered-by'], where).toBeUndefined();
}

/** Every inline script of a page's HTML carries the nonce of its policy (or, in a static shell, one of its hashes). */
function expectScriptsAllowed(html: string, csp: string, where: string) {
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
  const nonce = /'nonce-([^']+)'/.exec(scriptSrc)?.[1];
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\bsrc=/.test(m[1]) && m[2]);
  expect(inline.length, `${where}: inline scripts`).toBeGreaterThan(0);
  for (const [, attrs, body] of inline) {
    if (nonce) expect(attrs, `${where}: an inline script without the nonce`).toContain(`nonce="${nonce}"`);
    else if (scriptSrc.includes("'unsafe-inline'"))
      expect(STATIC_SHELLS, `${where}: 'unsafe-inline' outside the shell`).toContain(new URL(where, baseURL).pathname);
    else {
      const hash = `'sha256-${createHash('sha256').update(body).digest('base64')}'`;
      expect(scriptSrc, `${where}: an inline script not in the hashes`).toContain(hash);
    }
  }
}

test('every page answers with the security headers, and the cookies carry the right flags', async ({ browser, page }) => {
  const ctx = await everyRole(browser, page);
  const guest = await browser.newContext();
  await watchCsp(page.context());
  await watchCsp(guest);
  const guestPage = await guest.newPage();
  const nonces = new Set<string>();
  for (const p of PAGES) {
    const url = typeof p.path === 'string' ? p.path : p.path(ctx);
    const tab = p.guest ? guestPage : page;
    const res = await tab.goto(url);
    expect(res, url).not.toBeNull();
    expect(res!.status(), url).toBeLessThan(500);
    const headers = res!.headers();
    expectSecurityHeaders(headers, url);
    const csp = headers['content-security-policy'];
    const shell = STATIC_SHELLS.includes(new URL(url, baseURL).pathname);
    // Per-request pages: a nonce, new on every request; the static shell: hashes, no nonce.
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    if (shell) expect(csp, url).toContain("'unsafe-inline'");
    else expect(csp, url).not.toContain("script-src 'self' 'unsafe-inline'");
    if (shell) expect(nonce, `${url}: a static shell has no nonce`).toBeUndefined();
    else {
      expect(nonce, `${url}: nonce`).toBeDefined();
      expect(nonces.has(nonce!), `${url}: a nonce used twice`).toBe(false);
      nonces.add(nonce!);
    }
    expectScriptsAllowed(await res!.text(), csp, url);
    // The page hydrated under its policy: nothing was blocked.
    await tab.waitForLoadState('load');
    expect(await violations(tab), url).toEqual([]);
  }
  // The API and the export carry them too.
  for (const url of ['/api/time', '/venue/stats/export?kind=daily', `/api/checkins/summary?venueId=${ctx.venueId}`]) {
    expectSecurityHeaders((await page.request.get(url)).headers(), url);
  }
  await guest.close();

  // Cookies: the session and CSRF cookies are HttpOnly, SameSite=Lax, whole-site; Secure exactly when
  // the site is served over https (NEXTAUTH_URL), which the e2e server is not.
  const secure = serverEnv.PUBLIC_URL.startsWith('https://');
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => /next-auth\.session-token$/.test(c.name));
  expect(session, cookies.map((c) => c.name).join(', ')).toBeDefined();
  for (const c of cookies.filter((c) => /session-token|csrf-token|NEXT_LOCALE|locale/i.test(c.name))) {
    expect(c.httpOnly, c.name).toBe(true);
    expect(c.sameSite, c.name).toBe('Lax');
    expect(c.path, c.name).toBe('/');
    expect(c.secure, c.name).toBe(secure);
  }
  // A session lasts 30 days, no more.
  expect(session!.expires * 1000 - Date.now()).toBeLessThanOrEqual(30 * 24 * 3600 * 1000 + 60_000);
  // The session cookie never reaches page scripts, and neither does the session id (issue #16).
  expect(await page.evaluate(() => document.cookie)).not.toContain('session-token');
  const sessionJson = await page.evaluate(async () => (await fetch('/api/auth/session')).text());
  expect(JSON.parse(sessionJson)).toEqual({ expires: expect.any(String), user: { id: expect.any(String) } });
});

// Issue #16: redirects never leave the site, whatever the callback says, signed in (a 307) or not (the form).
const HOSTILE_CALLBACKS = [
  '/%09/evil.example/',
  '/%0A/evil.example/',
  '/%0D%0A//evil.example',
  '/%5Cevil.example',
  '//evil.example',
  'https://evil.example/',
  '/.//evil.example',
  '/a%0Ab',
];

test('sign-in redirects stay on the site, signed in or not, and never answer 500', async ({ browser, page }) => {
  // Signed in: the sign-in page redirects at once.
  await signIn(page, uniquePhone(), '/');
  for (const callback of HOSTILE_CALLBACKS) {
    const res = await page.request.get(`/sign-in?callbackUrl=${callback}`, { maxRedirects: 0 });
    expect(res.status(), callback).toBeLessThan(500);
    const location = res.headers()['location'];
    if (location) expect(new URL(location, baseURL).origin, callback).toBe(baseURL);
  }
  // Anonymous: the form signs in and then goes where the callback says — here, home.
  const ctx = await browser.newContext();
  const guest = await ctx.newPage();
  // (the helper opens /sign-in?callbackUrl=%2F%09%2Fevil.example%2F: the value the server decodes is the same)
  await signIn(guest, uniquePhone(), '/\t/evil.example/');
  await guest.waitForURL((u) => u.origin === baseURL && !u.pathname.startsWith('/sign-in'));
  expect(new URL(guest.url()).origin).toBe(baseURL);
  // next-auth's own callback parameter is held to the same rule.
  const csrf = (await (await guest.request.get('/api/auth/csrf')).json()) as { csrfToken: string };
  const out = await guest.request.post('/api/auth/signout', {
    form: { csrfToken: csrf.csrfToken, callbackUrl: 'https://evil.example/', json: 'true' },
  });
  expect(new URL(((await out.json()) as { url: string }).url).origin).toBe(baseURL);
  // A callbackUrl that is neither a path nor a URL (next-auth answered those with a 500), on its own routes.
  for (const junk of ['%E4%BD%A0%E5%A5%BD', 'evil', 'javascript%3Aalert(1)', '%00']) {
    for (const route of ['/api/auth/signin', '/api/auth/providers', `/api/auth/${randomUUID()}/192`]) {
      const res = await guest.request.get(`${route}?callbackUrl=${junk}`, { maxRedirects: 0 });
      expect(res.status(), `${route} ${junk}`).toBeLessThan(500);
    }
  }
  await ctx.close();
});

/** Starts another production server of this build with changes to the suite's environment. */
function startProduction(port: number, changes: Record<string, string | undefined>) {
  const env: NodeJS.ProcessEnv = { ...process.env, ...serverEnv, PGLITE_DIR: '', ...changes };
  for (const [k, v] of Object.entries(changes)) if (v === undefined) delete env[k];
  // Next's CLI itself (not through npx), so that killing the child stops the server.
  const child = spawn(process.execPath, [path.resolve('node_modules/next/dist/bin/next'), 'start', '-p', String(port)], { env });
  const state = { output: '' };
  const ready = new Promise<void>((resolve) => {
    const read = (d: Buffer) => {
      state.output += d;
      if (/Ready in/.test(state.output)) resolve();
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  void exited.then(() => clearTimeout(timer));
  return { child, state, ready, exited };
}
const sparePort = (n: number) => 3290 + 10 * n + Number(process.env.TEST_PARALLEL_INDEX ?? 0);

test('production refuses to start without a public origin or a way to find the client address', async () => {
  const port = sparePort(0);
  const server = startProduction(port, {
    PUBLIC_URL: undefined,
    NEXTAUTH_URL: undefined,
    TRUSTED_PROXY_HOPS: undefined,
    TRUSTED_PROXY_HEADER: undefined,
  });
  // next start may run instrumentation on the first request only: nudge it once it listens.
  void server.ready.then(() => fetch(`http://localhost:${port}/`).catch(() => {}));
  expect(await server.exited).toBe(1);
  expect(server.state.output).toContain('Refusing to start');
  expect(server.state.output).toContain('PUBLIC_URL must be set');
  expect(server.state.output).toMatch(/TRUSTED_PROXY_HEADER=.*TRUSTED_PROXY_HOPS=/);
});

test('HSTS is decided when the server starts, from PUBLIC_URL, not when the app was built', async () => {
  // The same build, started with an https public origin (behind a TLS proxy, say): every page says HSTS.
  const port = sparePort(1);
  const server = startProduction(port, { PUBLIC_URL: 'https://venues.example.test', PGLITE_DIR: path.join(runDir, 'pglite-https') });
  try {
    await server.ready;
    for (const url of ['/sign-in', '/', '/api/time', '/checker/scan']) {
      const res = await fetch(`http://localhost:${port}${url}`, { redirect: 'manual' });
      expect(res.status, url).toBeLessThan(500);
      expect(res.headers.get('strict-transport-security'), url).toBe('max-age=63072000; includeSubDomains');
    }
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

test('every page has a security-headers case', () => {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === 'page.tsx') found.push(path.relative(process.cwd(), full).split(path.sep).join('/'));
    }
  };
  walk('app');
  expect(found.sort()).toEqual(PAGES.map((c) => c.file).sort());
});

/** Collects Content-Security-Policy violations a page reports, from before its first script runs. */
async function watchCsp(context: BrowserContext) {
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}
const violations = (page: Page) => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

test('the camera scanner and the charts work under the Content-Security-Policy', async ({ browser, page }) => {
  await signIn(page, uniquePhone(), '/venue');
  await registerVenueViaForm(page);
  const state = await page.context().storageState();

  // Charts: the admin's dashboard draws its SVG charts with no violation.
  const adminCtx = await browser.newContext({ storageState: state });
  await watchCsp(adminCtx);
  const admin = await adminCtx.newPage();
  await admin.goto('/venue/stats');
  for (const chart of ['hourly', 'daily']) {
    await expect(admin.getByTestId(`chart-${chart}`).locator('svg.recharts-surface').first()).toBeVisible({ timeout: 20_000 });
  }
  // A new venue has no visitors yet: the gender and age charts say so, with no empty axes.
  for (const chart of ['gender', 'ages']) await expect(admin.getByTestId(`suppressed-${chart}`)).toHaveText('暂无数据');
  expect(await violations(admin)).toEqual([]);
  await adminCtx.close();

  // Camera: the same account checks at a venue; a QR in front of the camera is decoded (this one is
  // not a health code, so the scanner says so) with no violation.
  const otherCtx = await browser.newContext();
  const other = await otherCtx.newPage();
  await signIn(other, uniquePhone(), '/venue');
  const theirs = await registerVenueViaForm(other);
  await page.goto(`/join/${theirs.code}`);
  await page.getByLabel('您的称呼').fill('镜头门岗');
  await page.getByRole('button', { name: '申请绑定' }).click();
  await expect(page.getByTestId('join-done')).toBeVisible();
  await other.goto('/venue/members');
  await other.getByTestId('approve-镜头门岗').click();
  // The approval has landed before its browser goes away.
  await expect(other.getByTestId('approve-镜头门岗')).toHaveCount(0);
  await otherCtx.close();
  await page.goto('/checker');
  const href = await page.getByTestId('venue-choices').getByRole('link').first().getAttribute('href');
  const cam = await browserWithCameraShowing('https://example.com/not-a-health-code');
  const camCtx = await cam.newContext({
    storageState: await page.context().storageState(),
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  await watchCsp(camCtx);
  const door = await camCtx.newPage();
  await door.goto(href!);
  await expect(door.getByTestId('scan-error')).toContainText('这不是粤康码', { timeout: 60_000 });
  expect(await violations(door)).toEqual([]);
  await cam.close();
});

// ---- venue roles never receive a visitor's identity ------------------------------------------------

type Captured = { url: string; type: string; text: string };

/** Records the body of every response the page receives (documents, RSC, actions, JSON, CSV, chunks). */
function capture(page: Page, into: Captured[], pending: Promise<unknown>[]) {
  page.on('response', (res) => {
    const type = res.headers()['content-type'] ?? '';
    if (type.includes('text/event-stream') || /^(image|font|video|audio)\//.test(type)) return;
    pending.push(
      res
        .body()
        .then((b) => into.push({ url: res.url(), type, text: b.toString('utf8') }))
        .catch(() => {}),
    );
  });
}

/** Reads a server-sent event stream as the given browser context while `during` runs, until `done(text)`. */
async function readStream(
  context: BrowserContext,
  url: string,
  done: (text: string) => boolean,
  during: () => Promise<void>,
): Promise<Captured> {
  const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
  const abort = new AbortController();
  const res = await fetch(`${baseURL}${url}`, { headers: { cookie, accept: 'text/event-stream' }, signal: abort.signal });
  expect(res.status, url).toBe(200);
  let text = '';
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk, { stream: true });
    } catch {
      // aborted
    }
  })();
  await during();
  await expect.poll(() => done(text), { message: `${url}: the expected events`, timeout: 15_000 }).toBe(true);
  abort.abort();
  await reading;
  return { url, type: 'text/event-stream', text };
}

function leaks(bodies: Captured[], people: Seeded[]): string[] {
  const found: string[] = [];
  for (const b of bodies) {
    for (const p of people) {
      for (const [what, value] of [
        ['name', p.name],
        ['ID number', p.idNumber],
        ['ID number (17)', p.idNumber.slice(0, 17)],
        ['phone', p.phone],
      ] as const) {
        if (b.text.includes(value)) found.push(`${what} ${value} in ${b.type} ${b.url}`);
      }
    }
  }
  return found;
}

/** Every officials' page (#20), for the scan of what venue roles receive (a case nobody may see: its 404). */
const OPS_PAGES = [
  '/ops',
  '/ops/cases',
  '/ops/cases/00000000-0000-4000-8000-000000000000',
  '/ops/cases/00000000-0000-4000-8000-000000000000/print',
  '/ops/red-codes',
  '/ops/audit',
  '/ops/officials',
  '/ops/corrections',
];

test('venue roles never receive a visitor’s name, ID number or phone in clear, in any response', async ({ browser, page }) => {
  const bodies: Captured[] = [];
  const pending: Promise<unknown>[] = [];

  // Two visitors (one brings a child), each with their phone, name and ID number.
  const visitorCtx = await browser.newContext();
  const visitor = await visitorCtx.newPage();
  const visitorPhone = uniquePhone();
  const adult = newResident({ birthYear: 1979 });
  const child = newResident({ birthYear: 2014 });
  await signIn(visitor, visitorPhone, '/me');
  await registerPersonViaForm(visitor, '/me/register', adult);
  const adultShort = await visitor.getByTestId('short-code').innerText();
  await registerPersonViaForm(visitor, '/me/family/new', child);
  const secondCtx = await browser.newContext();
  const second = await secondCtx.newPage();
  const secondPhone = uniquePhone();
  const feverish = newResident({ birthYear: 1966 });
  await signIn(second, secondPhone, '/me');
  await registerPersonViaForm(second, '/me/register', feverish);
  const feverishShort = await second.getByTestId('short-code').innerText();
  const people: Seeded[] = [
    { ...adult, phone: visitorPhone },
    { ...child, phone: visitorPhone },
    { ...feverish, phone: secondPhone },
  ];

  // The admin (this page) and the checker, both captured from their first request.
  capture(page, bodies, pending);
  await signIn(page, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(page);
  const checkerCtx = await browser.newContext();
  const checker = await checkerCtx.newPage();
  capture(checker, bodies, pending);
  await signIn(checker, uniquePhone(), '/checker');
  const venueId = await joinAndApprove(checker, page, venue.code, '隐私门岗');

  // The checker types the first visitor's short code (preview, then record), while the admin's live
  // stream is read; then a fever through the same form.
  await checker.goto(`/checker/scan?v=${venueId}`);
  const typed = checker.getByLabel('粤康码短码（10位）');
  const adminStream = await readStream(
    page.context(),
    `/api/live?venueId=${venueId}&view=admin`,
    (text) => text.includes('event: fever'),
    async () => {
      await typed.fill(adultShort);
      await checker.getByRole('button', { name: '查询' }).click();
      await expect(checker.getByTestId('scan-result')).toHaveAttribute('data-colour', 'green');
      await checker.getByRole('button', { name: '36.5', exact: true }).click();
      await checker.getByRole('button', { name: '确认登记 36.5°C' }).click();
      await expect(checker.getByTestId('today-count')).toHaveText('1人次');
      await typed.fill(feverishShort);
      await checker.getByRole('button', { name: '查询' }).click();
      await expect(checker.getByTestId('scan-result')).toHaveAttribute('data-colour', 'green');
      await checker.getByRole('button', { name: '其他体温（键盘输入）' }).click();
      for (const key of ['3', '8', '.', '6']) await checker.getByRole('button', { name: key, exact: true }).click();
      await checker.getByRole('button', { name: '发热 38.6°C，确认登记' }).click();
      await expect(checker.getByTestId('today-count')).toHaveText('2人次');
    },
  );
  bodies.push(adminStream);
  expect(adminStream.text).toContain('event: fever');

  // The sunflower code: the first visitor checks in self and child; the checker's stream is read.
  await checker.getByTestId('open-quick').click();
  await expect(checker.getByTestId('sunflower')).toBeVisible();
  const link = await checker.getByTestId('quick-link').innerText();
  // Until a summary counts the quick check-in that stands: the adult's confirmation is counted by the
  // 36.5 the checker measured minutes before (like with like), so only the child's counts.
  const summaryCounts = (text: string) =>
    [...text.matchAll(/event: summary\ndata: (.*)\n/g)].map((m) => (JSON.parse(m[1]) as { count: number }).count);
  const checkerStream = await readStream(
    checkerCtx,
    `/api/live?venueId=${venueId}`,
    (text) => summaryCounts(text).includes(1),
    async () => {
      await visitor.goto(link);
      await visitor.getByRole('checkbox').nth(1).check();
      await visitor.getByRole('button', { name: '确认打卡（2人）' }).click();
      await expect(visitor.getByTestId('quick-done')).toContainText('打卡成功');
      await expect(checker.getByTestId('quick-count')).toHaveText('1');
    },
  );
  bodies.push(checkerStream);
  expect(checkerStream.text).toContain('event: summary');

  // Everything else a venue role opens: pages (full loads and client navigations), the summary, the CSVs.
  await page.goto('/venue/stats');
  await expect(page.getByTestId('fever-list')).toContainText('38.6°C');
  for (const url of [
    '/venue',
    '/venue/members',
    '/venue/entrances',
    '/venue/edit',
    '/venue/poster',
    '/venue/stats/report',
    '/venue/alerts',
    '/venue/audit',
    '/inbox',
    // The officials' pages (#20) as a venue role sees them: the refusal, nothing of any person.
    ...OPS_PAGES,
  ]) {
    await page.goto(url);
    await page.waitForLoadState('load');
  }
  await page.goto('/venue');
  await page
    .getByRole('link', { name: /数据统计/ })
    .first()
    .click();
  await page.waitForURL(/\/venue\/stats/);
  for (const url of ['/checker', `/checker/scan?v=${venueId}`, `/checker/quick?v=${venueId}`, ...OPS_PAGES]) await checker.goto(url);
  for (const [ctx, url] of [
    [checker, `/api/checkins/summary?venueId=${venueId}`],
    [page, '/venue/stats/export?kind=fevers'],
    [page, '/venue/stats/export?kind=daily'],
    [page, '/venue/stats/export?kind=hourly'],
    [page, '/venue/stats/export?kind=checkers'],
    [page, '/venue/stats/export?kind=demographics'],
  ] as const) {
    const res = await ctx.request.get(url);
    expect(res.status(), url).toBe(200);
    bodies.push({ url, type: res.headers()['content-type'] ?? '', text: await res.text() });
  }

  await Promise.all(pending);
  // The capture really saw the kinds of answers it claims to check.
  const kinds = new Set(bodies.map((b) => b.type.split(';')[0]));
  for (const kind of ['text/html', 'text/x-component', 'application/json', 'text/event-stream', 'text/csv'])
    expect([...kinds], kind).toContain(kind);
  expect(bodies.some((b) => b.url.includes('/api/checkins') && b.text.includes('nameMasked'))).toBe(true);
  test.info().annotations.push({ type: 'searched', description: `${bodies.length} responses (${[...kinds].join(', ')})` });
  expect(leaks(bodies, people)).toEqual([]);
  // The check is not blind: the visitor's own page, searched the same way, does show their name.
  await visitor.goto('/me');
  expect(leaks([{ url: '/me', type: 'text/html', text: await visitor.content() }], people).length).toBeGreaterThan(0);
  await Promise.all([visitorCtx.close(), secondCtx.close(), checkerCtx.close()]);
});
