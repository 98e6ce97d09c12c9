import { mkdirSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { runDir } from './support/config';
import { statePath } from './support/shared';

// SPEC T1 (#20 section 1): the province official (the shared account, bootstrapped from
// HEALTH_OFFICIAL_PHONES) grants a district official, who sees their region only; revoking them ends their
// open /ops page at once (the `ops` live topic ends and the page reloads into the refusal).

const shots = `${runDir}/screens`;

test('a province official grants 天河区; the district official sees only their region; revocation ends their page', async ({ browser }) => {
  mkdirSync(shots, { recursive: true });
  const provinceCtx = await browser.newContext({ storageState: statePath('official') });
  const districtCtx = await browser.newContext();
  const p = await provinceCtx.newPage();
  const d = await districtCtx.newPage();
  const phone = uniquePhone();

  await p.goto('/ops');
  await expect(p.getByTestId('ops-region')).toHaveText('防疫管理员 · 广东省');
  await p.screenshot({ path: `${shots}/ops-province.png`, fullPage: true });
  await p.getByRole('link', { name: '人员管理' }).click();
  await expect(p.getByRole('heading', { name: '人员管理' })).toBeVisible();

  const grant = p.getByTestId('grant-form');
  await grant.getByLabel('手机号码').fill(phone);
  const below = grant.getByLabel('下级区域（可不选，不选即为本级）');
  await below.first().selectOption({ label: '广州市' });
  await below.nth(1).selectOption({ label: '天河区' });
  // Without a reason: refused, nothing granted.
  await grant.getByRole('button', { name: '授予' }).click();
  await expect(p.getByRole('main').getByRole('alert').first()).toHaveText('请填写事由（至少 2 个字）。');
  await grant.getByLabel('原因（必填）').fill('天河区流调专员');
  await grant.getByRole('button', { name: '授予' }).click();
  await expect(p.getByRole('main').getByRole('alert').first()).toHaveText('已授予。');
  const masked = `${phone.slice(0, 3)}****${phone.slice(7)}`;
  const row = p.getByTestId('official-row').filter({ hasText: masked });
  await expect(row.getByTestId('official-region')).toHaveText('广东省广州市天河区');
  await p.screenshot({ path: `${shots}/ops-officials.png`, fullPage: true });

  // The district official: their region, no one outside it on their list.
  await signIn(d, phone, '/ops');
  await expect(d.getByTestId('ops-region')).toHaveText('防疫管理员 · 广东省广州市天河区');
  await d.screenshot({ path: `${shots}/ops-district.png`, fullPage: true });
  await d.goto('/ops/officials');
  const regions = await d.getByTestId('official-region').allTextContents();
  expect(regions.length).toBeGreaterThan(0);
  for (const region of regions) expect(region.startsWith('广东省广州市天河区')).toBe(true);
  // The grant form only reaches below their own region.
  await expect(d.getByText('广东省广州市天河区（本级）').first()).toBeVisible();
  await d.goto('/ops/corrections');
  await expect(d.getByRole('heading', { name: '身份更正' })).toBeVisible();
  await d.screenshot({ path: `${shots}/ops-corrections.png`, fullPage: true });
  await d.goto('/ops');
  await expect(d.getByTestId('ops-region')).toBeVisible();

  // Revoked by the province official: the district official's open page ends at once.
  await p.reload();
  const again = p.getByTestId('official-row').filter({ hasText: masked });
  await again.getByRole('button', { name: '撤销' }).click();
  await again.getByLabel('原因（必填）').fill('岗位调整');
  await again.getByRole('button', { name: '确认撤销' }).click();
  await expect(p.getByTestId('official-row').filter({ hasText: masked })).toHaveCount(0);
  await expect(d.getByTestId('ops-forbidden')).toBeVisible({ timeout: 15_000 });
  await d.goto('/ops/officials');
  await expect(d.getByTestId('ops-forbidden')).toBeVisible();

  // Their inbox tells them.
  await d.goto('/inbox');
  await expect(d.getByTestId('inbox-item').filter({ hasText: '已被撤销' })).toHaveCount(1);
  await Promise.all([provinceCtx.close(), districtCtx.close()]);
});

test('a passport holder asks for an identity correction from their person page (SPEC L2)', async ({ browser }) => {
  mkdirSync(shots, { recursive: true });
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, uniquePhone(), '/me/register');
  await page.getByLabel('证件类型').selectOption('passport');
  await page.getByLabel(/^姓名$/).fill('SMYTH ANNE');
  await page.getByLabel(/^证件号码$/).fill(`E${String(Date.now()).slice(-7)}`);
  await page.getByLabel('国籍（三位字母代码）').fill('GBR');
  await page.getByRole('radio', { name: '女' }).check();
  await page.getByLabel('出生日期').fill('1990-05-05');
  await page.getByRole('button', { name: '提交' }).click();
  await page.waitForURL(/\/me\?p=/);
  await page.getByRole('link', { name: '身份信息更正' }).click();
  await expect(page.getByTestId('correction-form')).toBeVisible();
  await page.screenshot({ path: `${shots}/me-correction.png`, fullPage: true });
  await page.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByRole('main').getByRole('alert').first()).toHaveText('请说明需要更正的内容。');
  await page.getByLabel('需要更正的内容').fill('姓名拼写应为 SMITH ANNE');
  await page.getByRole('button', { name: '提交申请' }).click();
  // The page now shows the request under review (one pending request per person).
  await expect(page.getByTestId('correction-pending')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('correction-form')).toHaveCount(0);
  await ctx.close();
});
