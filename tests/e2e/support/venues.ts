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

/**
 * Makes the page's (signed-in) account an active checker: a new admin (own browser context) registers a
 * venue, the checker asks to join with the QR link, the admin approves. Returns the venue's id and code.
 */
export async function setUpCheckerAtOwnVenue(page: Page, checkerName = '东门-测试员') {
  const browser = page.context().browser()!;
  const adminCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  const { signIn, uniquePhone } = await import('./auth');
  await signIn(admin, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(admin);
  const venueId = await joinAndApprove(page, admin, venue.code, checkerName);
  await adminCtx.close();
  return { ...venue, venueId };
}

/**
 * The signed-in `checker` asks to join the venue of invite `code` with the QR link, as `displayName`; its
 * admin (`admin`, signed in) approves on 成员管理. Leaves the checker on /checker; returns the venue's id.
 */
export async function joinAndApprove(checker: Page, admin: Page, code: string, displayName: string) {
  await checker.goto(`/join/${code}`);
  await checker.getByLabel('您的称呼').fill(displayName);
  await checker.getByRole('button', { name: '申请绑定' }).click();
  await expect(checker.getByTestId('join-done')).toBeVisible();
  await admin.goto('/venue/members');
  await admin.getByTestId(`approve-${displayName}`).click();
  await expect(admin.getByTestId('members-active')).toContainText(displayName);
  await checker.goto('/checker');
  const href = await checker.getByTestId('venue-choices').getByRole('link').first().getAttribute('href');
  return new URL(href!, 'http://x').searchParams.get('v')!;
}
