import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import postgres from 'postgres';
import { signIn, uniquePhone } from './support/auth';
import { e2eDatabase, runDir } from './support/config';
import { recordSeeded } from './support/seeded';

// Issue #16: a failed query's parameters (here a venue's contact phone) reached the server log in clear:
// drizzle's `Failed query: … params: …`, printed by Next. The database refuses one venue registration
// (a check constraint the owner adds for this test's address only), and the server log must show the
// failure without the phone or the name. The run's global teardown (support/log-check.ts) searches the
// whole log for every recorded phone and name as well.
test.skip(!e2eDatabase, 'needs the PostgreSQL server: the owner adds the constraint that makes the insert fail');

test('a failed query is logged without its parameters', async ({ page }) => {
  const owner = postgres(e2eDatabase!.ownerUrl, { max: 1, onnotice: () => {} });
  const probe = `日志探针路${Date.now() % 100000}号`;
  const contactPhone = uniquePhone();
  const name = `探针场所${Date.now() % 100000}`;
  recordSeeded({ phone: contactPhone, name });
  const constraint = `e2e_log_probe_${Date.now()}`;
  await owner.unsafe(`alter table venues add constraint ${constraint} check (address <> '${probe}') not valid`);
  try {
    await signIn(page, uniquePhone(), '/venue');
    await page.goto('/venue/register');
    await page.getByLabel('场所名称').fill(name);
    await page.getByLabel('场所类型').selectOption('retail');
    await page.getByLabel('市', { exact: true }).selectOption('4401');
    await page.getByLabel('区（县）').selectOption('440106');
    const township = page.getByLabel('镇（街道）');
    await expect(township.locator('option')).not.toHaveCount(1);
    await township.selectOption({ index: 1 });
    await page.getByLabel('详细地址').fill(probe);
    await page.getByLabel('联系电话').fill(contactPhone);
    await page.getByRole('button', { name: '提交申报' }).click();
    // The server logs the refused insert (by the constraint's name, which is no personal data).
    const log = () => readFileSync(path.join(runDir, 'server.log'), 'utf8');
    await expect.poll(() => log().includes(constraint), { timeout: 15_000 }).toBe(true);
    const lines = log()
      .split('\n')
      .filter((l) => l.includes(constraint) || l.includes('Failed query'));
    expect(lines.join('\n')).toContain('parameters withheld');
    expect(log()).not.toContain(contactPhone);
    expect(log()).not.toContain(name);
    expect(log()).not.toMatch(/\nparams: /);
  } finally {
    await owner.unsafe(`alter table venues drop constraint if exists ${constraint}`);
    await owner.end();
  }
});
