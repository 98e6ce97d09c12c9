import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { serverEnv } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { registerVenueViaForm, setUpCheckerAtOwnVenue } from './support/venues';

type Ctx = { selfId: string; childId: string; inviteCode: string; venueId: string };
type Case = { file: string; path: string | ((c: Ctx) => string); as: 'guest' | 'user' | 'resident' | 'official' | 'admin' | 'checker' };

/** Every page.tsx must have a case here: the last test fails when a page is added without one. */
const CASES: Case[] = [
  { file: 'app/(public)/page.tsx', path: '/', as: 'guest' },
  { file: 'app/(public)/sign-in/page.tsx', path: '/sign-in', as: 'guest' },
  { file: 'app/(resident)/me/page.tsx', path: (c) => `/me?p=${c.selfId}`, as: 'resident' },
  { file: 'app/(resident)/me/register/page.tsx', path: '/me/register', as: 'user' },
  { file: 'app/(resident)/me/family/page.tsx', path: '/me/family', as: 'resident' },
  { file: 'app/(resident)/me/family/new/page.tsx', path: '/me/family/new', as: 'user' },
  { file: 'app/(resident)/me/log/page.tsx', path: (c) => `/me/log?p=${c.selfId}`, as: 'resident' },
  { file: 'app/(resident)/me/print/[personId]/page.tsx', path: (c) => `/me/print/${c.childId}`, as: 'resident' },
  { file: 'app/(venue)/venue/page.tsx', path: '/venue', as: 'admin' },
  { file: 'app/(venue)/venue/register/page.tsx', path: '/venue/register', as: 'user' },
  { file: 'app/(venue)/venue/edit/page.tsx', path: '/venue/edit', as: 'admin' },
  { file: 'app/(venue)/venue/members/page.tsx', path: '/venue/members', as: 'admin' },
  { file: 'app/(venue)/venue/poster/page.tsx', path: '/venue/poster', as: 'admin' },
  { file: 'app/(venue)/venue/stats/page.tsx', path: '/venue/stats', as: 'admin' },
  { file: 'app/(public)/join/page.tsx', path: '/join', as: 'user' },
  { file: 'app/(public)/join/[code]/page.tsx', path: (c) => `/join/${c.inviteCode}`, as: 'admin' },
  { file: 'app/(checker)/checker/page.tsx', path: '/checker', as: 'user' },
  { file: 'app/(door)/checker/scan/page.tsx', path: (c) => `/checker/scan?v=${c.venueId}`, as: 'checker' },
  { file: 'app/(resident)/me/records/page.tsx', path: '/me/records', as: 'resident' },
  { file: 'app/(checker)/checker/quick/page.tsx', path: (c) => `/checker/quick?v=${c.venueId}`, as: 'checker' },
  { file: 'app/(public)/q/[token]/page.tsx', path: '/q/expired-or-forged', as: 'guest' },
  { file: 'app/(public)/q/v/[ticket]/page.tsx', path: '/q/v/forged-ticket', as: 'user' },
  { file: 'app/(account)/settings/page.tsx', path: '/settings', as: 'user' },
  { file: 'app/(ops)/ops/page.tsx', path: '/ops', as: 'official' },
];

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

async function prepare(page: Page, as: Case['as']): Promise<Ctx> {
  const ctx = { selfId: '', childId: '', inviteCode: '', venueId: '' };
  if (as === 'guest') return ctx;
  if (as === 'official') {
    await expect(async () => signIn(page, serverEnv.HEALTH_OFFICIAL_PHONES, '/ops')).toPass({ timeout: 40_000, intervals: [2_000] });
    return ctx;
  }
  await signIn(page, uniquePhone(), '/');
  if (as === 'admin') ctx.inviteCode = (await registerVenueViaForm(page)).code;
  if (as === 'checker') ctx.venueId = (await setUpCheckerAtOwnVenue(page)).venueId;
  if (as === 'resident') {
    ctx.selfId = await registerPersonViaForm(page, '/me/register', newResident({ birthYear: 1980 }));
    ctx.childId = await registerPersonViaForm(page, '/me/family/new', newResident({ birthYear: 2015 }));
  }
  return ctx;
}

for (const c of CASES) {
  test(`accessibility: ${c.file}`, async ({ page }) => {
    const ctx = await prepare(page, c.as);
    await page.goto(typeof c.path === 'string' ? c.path : c.path(ctx));
    await expect(page.locator('main')).toBeVisible();
    await expectNoSeriousViolations(page);
  });
}

test('every page has an accessibility case', () => {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name === 'page.tsx') found.push(path.relative(process.cwd(), full).split(path.sep).join('/'));
    }
  };
  walk('app');
  expect(found.sort()).toEqual(CASES.map((c) => c.file).sort());
});
