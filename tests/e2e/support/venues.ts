import { expect, type Page } from '@playwright/test';

let n = 0;
/** Registers a venue through the form (region picked level by level) and returns its invite code. */
export async function registerVenueViaForm(page: Page, opts: { name?: string; type?: string } = {}) {
  n += 1;
  const name = opts.name ?? `测试场所${Date.now() % 100000}-${n}`;
  await page.goto('/venue/register');
  await page.getByLabel('场所名称').fill(name);
  await page.getByLabel('场所类型').selectOption(opts.type ?? 'retail');
  await page.getByLabel('市', { exact: true }).selectOption('4401');
  await page.getByLabel('区（县）').selectOption('440106');
  const township = page.getByLabel('镇（街道）');
  await expect(township.locator('option')).not.toHaveCount(1);
  await township.selectOption({ index: 1 });
  await page.getByLabel('详细地址').fill('天河路208号');
  await page.getByLabel('联系电话').fill('020-85590000');
  await page.getByRole('button', { name: '提交申报' }).click();
  await page.waitForURL(/\/venue(\?notice=\w+)?$/);
  await expect(page.getByTestId('venue-name')).toHaveText(name);
  const code = (await page.getByTestId('invite-code').innerText()).replace('-', '');
  return { name, code };
}
