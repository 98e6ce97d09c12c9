import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { baseURL } from './support/config';
import { sharedFacts, statePath, type SharedFacts, type SharedRole } from './support/shared';

type Ctx = SharedFacts;
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
  { file: 'app/(resident)/me/requests/page.tsx', path: '/me/requests', as: 'resident' },
  { file: 'app/(resident)/me/guardians/page.tsx', path: '/me/guardians', as: 'resident' },
  { file: 'app/(resident)/me/print/[personId]/page.tsx', path: (c) => `/me/print/${c.childId}`, as: 'resident' },
  { file: 'app/(venue)/venue/page.tsx', path: '/venue', as: 'admin' },
  { file: 'app/(venue)/venue/register/page.tsx', path: '/venue/register', as: 'user' },
  { file: 'app/(venue)/venue/edit/page.tsx', path: '/venue/edit', as: 'admin' },
  { file: 'app/(venue)/venue/members/page.tsx', path: '/venue/members', as: 'admin' },
  { file: 'app/(venue)/venue/entrances/page.tsx', path: '/venue/entrances', as: 'admin' },
  { file: 'app/(venue)/venue/poster/page.tsx', path: '/venue/poster', as: 'admin' },
  { file: 'app/(venue)/venue/stats/page.tsx', path: '/venue/stats', as: 'admin' },
  { file: 'app/(venue)/venue/stats/report/page.tsx', path: '/venue/stats/report', as: 'admin' },
  { file: 'app/(venue)/venue/alerts/page.tsx', path: '/venue/alerts', as: 'admin' },
  { file: 'app/(venue)/venue/audit/page.tsx', path: '/venue/audit', as: 'admin' },
  { file: 'app/(public)/join/page.tsx', path: '/join', as: 'user' },
  { file: 'app/(public)/join/[code]/page.tsx', path: (c) => `/join/${c.inviteCode}`, as: 'admin' },
  { file: 'app/(checker)/checker/page.tsx', path: '/checker', as: 'user' },
  { file: 'app/(door)/checker/scan/page.tsx', path: (c) => `/checker/scan?v=${c.venueId}`, as: 'checker' },
  { file: 'app/(resident)/me/records/page.tsx', path: '/me/records', as: 'resident' },
  { file: 'app/(checker)/checker/quick/page.tsx', path: (c) => `/checker/quick?v=${c.venueId}`, as: 'checker' },
  { file: 'app/(public)/q/[token]/page.tsx', path: '/q/expired-or-forged', as: 'guest' },
  { file: 'app/(public)/q/v/[ticket]/page.tsx', path: '/q/v/forged-ticket', as: 'user' },
  { file: 'app/(account)/settings/page.tsx', path: '/settings', as: 'user' },
  { file: 'app/(account)/inbox/page.tsx', path: '/inbox', as: 'user' },
  { file: 'app/(account)/settings/phone/page.tsx', path: '/settings/phone', as: 'user' },
  { file: 'app/(account)/settings/delete/page.tsx', path: '/settings/delete', as: 'resident' },
  { file: 'app/(account)/account-recovery/[id]/page.tsx', path: '/account-recovery/00000000-0000-4000-8000-000000000000', as: 'user' },
  { file: 'app/(public)/recover/page.tsx', path: '/recover', as: 'guest' },
  { file: 'app/(ops)/ops/page.tsx', path: '/ops', as: 'official' },
  { file: 'app/(ops)/ops/red-codes/page.tsx', path: '/ops/red-codes', as: 'official' },
  { file: 'app/(ops)/ops/audit/page.tsx', path: '/ops/audit', as: 'official' },
  { file: 'app/(ops)/ops/officials/page.tsx', path: '/ops/officials', as: 'official' },
  { file: 'app/(ops)/ops/corrections/page.tsx', path: '/ops/corrections', as: 'official' },
  { file: 'app/(resident)/me/correction/page.tsx', path: (c) => `/me/correction?p=${c.selfId}`, as: 'resident' },
  { file: 'app/(resident)/me/documents/page.tsx', path: (c) => `/me/documents?p=${c.selfId}`, as: 'resident' },
  { file: 'app/(ops)/ops/cases/page.tsx', path: '/ops/cases', as: 'official' },
  // A real case page is checked with axe in tracing.spec.ts.
  { file: 'app/(ops)/ops/cases/[id]/page.tsx', path: '/ops/cases/00000000-0000-4000-8000-000000000000', as: 'official' },
  { file: 'app/(ops)/ops/cases/[id]/print/page.tsx', path: '/ops/cases/00000000-0000-4000-8000-000000000000/print', as: 'official' },
];

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

const ROLE_OF: Record<Exclude<Case['as'], 'guest'>, SharedRole> = {
  user: 'user',
  resident: 'resident',
  official: 'official',
  admin: 'admin',
  checker: 'checker',
};

// First paint of every page, each role through its shared account (signed in once by the setup project).
for (const c of CASES) {
  test.describe(() => {
    if (c.as !== 'guest') test.use({ storageState: statePath(ROLE_OF[c.as]) });
    test(`accessibility: ${c.file}`, async ({ page }) => {
      const facts = sharedFacts();
      await page.goto(typeof c.path === 'string' ? c.path : c.path(facts));
      await expect(page.locator('main')).toBeVisible();
      await expectNoSeriousViolations(page);
    });
  });
}

// Where people act: the states a page reaches after a tap, not only its first paint.
test.describe('accessibility where people act', () => {
  test.describe(() => {
    test.use({ storageState: statePath('checker') });
    test('the door: the scan result, then the keypad with a fever warning', async ({ page }) => {
      const facts = sharedFacts();
      await page.goto(`/checker/scan?v=${facts.venueId}`);
      await page.getByLabel('粤康码短码（10位）').fill(facts.selfShortCode);
      await page.getByRole('button', { name: '查询' }).click();
      await expect(page.getByTestId('scan-result')).toHaveAttribute('data-colour', /green|yellow|red/);
      await expectNoSeriousViolations(page);
      await page.getByRole('button', { name: '其他体温（键盘输入）' }).click();
      for (const key of ['3', '8', '.', '2', '删除一位', '4']) await page.getByRole('button', { name: key, exact: true }).click();
      await expect(page.getByTestId('keypad-value')).toHaveText('38.4');
      await expect(page.getByTestId('fever-warning')).toBeVisible();
      await expectNoSeriousViolations(page);
      await page.getByRole('button', { name: '取消（不登记）' }).click();
      await expect(page.getByTestId('scan-result')).toHaveCount(0);
    });
  });

  test('the quick check-in form with the resident’s people listed', async ({ browser }) => {
    const facts = sharedFacts();
    const checkerCtx = await browser.newContext({ storageState: statePath('checker') });
    const checker = await checkerCtx.newPage();
    await checker.goto(`/checker/scan?v=${facts.venueId}`);
    await checker.getByTestId('open-quick').click();
    const link = await checker.getByTestId('quick-link').innerText();
    const residentCtx = await browser.newContext({ storageState: statePath('resident') });
    const resident = await residentCtx.newPage();
    await resident.goto(link);
    await expect(resident.getByRole('checkbox')).toHaveCount(2);
    await expectNoSeriousViolations(resident);
    await checkerCtx.close();
    await residentCtx.close();
  });

  test.describe(() => {
    test.use({ storageState: statePath('admin') });
    test('the dashboard with data, and the remove-checker dialog open', async ({ page, playwright }) => {
      const facts = sharedFacts();
      // A fever recorded by the shared checker, as the scanner sends it.
      const checker = await playwright.request.newContext({ baseURL, storageState: statePath('checker') });
      const res = await checker.post('/api/checkins', {
        data: {
          clientId: randomUUID(),
          venueId: facts.venueId,
          method: 'typed',
          code: facts.selfShortCode,
          temperature: '37.9',
          scannedAt: Date.now(),
          clockOffsetMs: 0,
        },
      });
      expect(res.status()).toBe(201);
      await checker.dispose();
      await page.goto('/venue');
      await expect(page.locator('main')).toBeVisible();
      await expectNoSeriousViolations(page);
      await page.goto('/venue/stats');
      for (const chart of ['hourly', 'daily']) {
        await expect(page.getByTestId(`chart-${chart}`).locator('svg.recharts-surface').first()).toBeVisible({ timeout: 15_000 });
      }
      // A handful of visitors: the gender and age groups are below the threshold and say so, with no empty axes.
      for (const chart of ['gender', 'ages']) await expect(page.getByTestId(`suppressed-${chart}`)).toHaveText('数据较少，暂不显示');
      await expect(page.getByTestId('fever-list')).toContainText('37.9°C');
      await expectNoSeriousViolations(page);
      await page.goto('/venue/members');
      await page.getByTestId(`remove-${facts.checkerName}`).click();
      await expect(page.getByRole('alertdialog')).toBeVisible();
      await expectNoSeriousViolations(page);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('alertdialog')).toHaveCount(0);
      await expect(page.getByTestId('members-active')).toContainText(facts.checkerName);
    });
  });

  test.describe(() => {
    test.use({ storageState: statePath('user') });
    test('the sign-out-everywhere dialog open', async ({ page }) => {
      await page.goto('/settings');
      await page.getByRole('button', { name: '退出所有设备' }).click();
      await expect(page.getByRole('alertdialog')).toBeVisible();
      await expectNoSeriousViolations(page);
      // Cancelled: this shared account's session must outlive the test.
      await page.keyboard.press('Escape');
      await expect(page.getByRole('alertdialog')).toHaveCount(0);
    });
  });
});

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
