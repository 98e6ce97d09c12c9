import { randomUUID } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { tokenFor } from './support/camera';
import { runDir, serverEnv } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { sharedFacts, statePath } from './support/shared';

// SPEC T6 (门口红码) and the audit log viewers, in the Chinese UI on a phone: a red-coded resident is scanned
// at a venue; an official of the region sees the record masked, reveals it with a reason, marks it 已核实
// then 已处置; the audit viewer shows the reveal; the venue's admin reads their own audit records.
// The shared official is the province official (HEALTH_OFFICIAL_PHONES), whose region holds the venue.

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${runDir}/screens/phone-${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${runDir}/screens/desktop-${name}.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
}

test('a red code at the door: seen masked, revealed with a reason, verified then handled; the reveal is in the audit log', async ({
  browser,
  request,
}) => {
  // A whole journey with three roles and six screenshots: longer than the default on a shared machine.
  test.setTimeout(150_000);
  const facts = sharedFacts();
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  const person = newResident({ birthYear: 1979 });
  await signIn(resident, uniquePhone(), '/me');
  const personId = await registerPersonViaForm(resident, '/me/register', person);
  await residentCtx.close();

  const status = await request.post('/api/status-import', {
    headers: { authorization: `Bearer ${serverEnv.STATUS_IMPORT_API_KEY}` },
    data: {
      batchId: `red-codes-${randomUUID()}`,
      items: [
        {
          idType: 'cn_resident',
          idNumber: person.idNumber,
          colour: 'red',
          reason: 'close_contact',
          asOf: new Date(Date.now() - 60_000).toISOString(),
        },
      ],
    },
  });
  expect(status.status()).toBe(200);

  // The shared checker scans them at the shared venue.
  const checkerCtx = await browser.newContext({ storageState: statePath('checker') });
  const scanned = await checkerCtx.request.post('/api/checkins', {
    data: {
      clientId: randomUUID(),
      venueId: facts.venueId,
      method: 'scan',
      code: tokenFor(personId),
      temperature: '36.6',
      scannedAt: Date.now(),
      clockOffsetMs: 0,
    },
  });
  expect(scanned.status()).toBe(201);
  await checkerCtx.close();

  const officialCtx = await browser.newContext({ storageState: statePath('official'), viewport: { width: 390, height: 844 } });
  const page = await officialCtx.newPage();
  await page.goto('/ops');
  await page.getByRole('link', { name: '门口红码' }).click();
  await page.waitForURL(/\/ops\/red-codes$/);
  await expect(page.getByRole('heading', { name: '门口红码', level: 1 })).toBeVisible();
  const masked = `${person.name[0]}${'*'.repeat(person.name.length - 1)}`;
  const row = page.getByTestId('red-code-row').filter({ hasText: facts.venueName }).filter({ hasText: masked }).first();
  await expect(row).toContainText('密切接触者');
  await expect(row.getByTestId('red-code-status')).toHaveText(/待核实/);
  await expect(page.getByTestId('red-codes-list')).not.toContainText(person.name);
  await expect(page.locator('body')).not.toContainText(person.idNumber);
  await shot(page, 'ops-red-codes');

  // Revealing needs a reason: too short is refused, then the identity shows inline.
  await row.getByText('查看完整身份').click();
  await row.getByLabel('查看事由').fill('查');
  await row.getByRole('button', { name: '确认查看' }).click();
  await expect(row.getByText('请填写 2 至 200 字的查看事由。')).toBeVisible();
  await row.getByLabel('查看事由').fill('社区核实红码人员行程');
  await row.getByRole('button', { name: '确认查看' }).click();
  const revealed = row.getByTestId('revealed-identity');
  await expect(revealed).toContainText(person.name);
  await expect(revealed).toContainText(person.idNumber);
  await expect(revealed).toContainText('内地居民身份证');

  await row.getByLabel('处置备注').fill('已电话联系本人，社区上门核实');
  await row.getByRole('button', { name: '标记已核实' }).click();
  await expect(row.getByTestId('red-code-status')).toHaveText(/已核实/);
  await row.getByLabel('处置备注').fill('已转运至集中隔离点');
  await row.getByRole('button', { name: '标记已处置' }).click();
  await expect(row.getByTestId('red-code-status')).toHaveText(/已处置/);
  await expect(row).toContainText('已转运至集中隔离点');
  await page
    .getByTestId('red-codes-counts')
    .getByRole('link', { name: /已处置/ })
    .click();
  await expect(page.getByTestId('red-code-row').filter({ hasText: masked }).first()).toBeVisible();

  // The audit viewer: the reveal with its reason, found by the person's document.
  await page.goto('/ops');
  await page.getByRole('link', { name: '审计日志' }).click();
  await page.waitForURL(/\/ops\/audit$/);
  await page.getByLabel('人员证件号码').fill(person.idNumber);
  await page.getByLabel('操作', { exact: true }).selectOption('door_red.reveal');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL(/\/ops\/audit\?/);
  const reveal = page.getByTestId('audit-row').filter({ hasText: '查看红码人员身份' }).first();
  await expect(reveal).toContainText('社区核实红码人员行程');
  await expect(reveal).toContainText(masked);
  await expect(reveal).toContainText(facts.venueName);
  await expect(page.getByTestId('audit-rows')).not.toContainText(person.name);
  await page.goto('/ops/audit');
  await expect(page.getByTestId('audit-row').first()).toBeVisible();
  await shot(page, 'ops-audit');
  await officialCtx.close();

  // The venue's admin: their management actions only, nothing of the visitor.
  const adminCtx = await browser.newContext({ storageState: statePath('admin'), viewport: { width: 390, height: 844 } });
  const admin = await adminCtx.newPage();
  await admin.goto('/venue');
  await admin.getByRole('navigation').getByRole('link', { name: '审计记录' }).click();
  await admin.waitForURL(/\/venue\/audit$/);
  await expect(admin.getByTestId('venue-audit-rows')).toContainText('通过门岗申请');
  await expect(admin.locator('main')).not.toContainText('查看红码人员身份');
  await expect(admin.locator('main')).not.toContainText(masked);
  await shot(admin, 'venue-audit');
  await adminCtx.close();
});

test('a checker opening the venue audit page is sent back to 我的场所', async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: statePath('checker') });
  const page = await ctx.newPage();
  await page.goto('/venue/audit');
  await expect(page).not.toHaveURL(/\/venue\/audit/);
  await ctx.close();
});

test('a signed-in account that is not an official sees the refusal on both pages', async ({ page }) => {
  await signIn(page, uniquePhone(), '/ops/red-codes');
  await expect(page.getByTestId('ops-forbidden')).toBeVisible();
  await page.goto('/ops/audit');
  await expect(page.getByTestId('ops-forbidden')).toBeVisible();
});
