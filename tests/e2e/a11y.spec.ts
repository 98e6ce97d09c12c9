import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';

/** Every page.tsx must have a case here: the last test fails when a page is added without one. */
const CASES: { file: string; path: string; signedIn: boolean }[] = [
  { file: 'app/(public)/page.tsx', path: '/', signedIn: false },
  { file: 'app/(public)/sign-in/page.tsx', path: '/sign-in', signedIn: false },
  { file: 'app/(resident)/me/page.tsx', path: '/me', signedIn: true },
  { file: 'app/(venue)/venue/page.tsx', path: '/venue', signedIn: true },
  { file: 'app/(checker)/checker/page.tsx', path: '/checker', signedIn: true },
  { file: 'app/(account)/settings/page.tsx', path: '/settings', signedIn: true },
];

async function expectNoSeriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
}

for (const c of CASES) {
  test(`accessibility: ${c.path}`, async ({ page }) => {
    if (c.signedIn) await signIn(page, uniquePhone(), c.path);
    await page.goto(c.path);
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
