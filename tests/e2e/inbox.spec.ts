import { randomUUID } from 'node:crypto';
import { expect, test, type Page, type Request } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { browserWithCameraShowing, tokenFor } from './support/camera';
import { runDir } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { registerVenueViaForm } from './support/venues';

// Issue #18's journey on a phone: the admin is on 我的场所 (not the dashboard) when a checker scans a
// fever at the door through the camera; the bell in the header counts it within seconds, without a reload.
// The inbox shows it masked; 全部标为已读 clears the badge. The dashboard and the bell share ONE stream.

const FIRST_DECODE_MS = 40_000;
test.describe.configure({ timeout: 180_000, retries: 1 });

/** The /api/live requests of a page still open (an EventSource holds its request until the stream ends). */
function liveRequests(page: Page) {
  const open = new Set<Request>();
  let opened = 0;
  page.on('request', (r) => {
    if (!r.url().includes('/api/live')) return;
    open.add(r);
    opened += 1;
  });
  const done = (r: Request) => open.delete(r);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return { open: () => [...open].map((r) => decodeURIComponent(new URL(r.url()).search)), opened: () => opened };
}

const bell = (page: Page) => page.getByTestId('inbox-bell');

test('a fever at the door rings the admin’s bell on another page; one stream per tab; the inbox reads masked', async ({
  browser,
  page,
}) => {
  // A resident with a code.
  const residentCtx = await browser.newContext();
  const resident = await residentCtx.newPage();
  const person = newResident({ birthYear: 1987 });
  await signIn(resident, uniquePhone(), '/me');
  const personId = await registerPersonViaForm(resident, '/me/register', person);
  const shortCode = await resident.getByTestId('short-code').innerText();

  // The admin registers a venue (approval mode); a checker asks to join: the admin's bell counts it.
  await signIn(page, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(page);
  await expect(bell(page)).toHaveAccessibleName('消息通知');
  const checkerCtx = await browser.newContext();
  const checker = await checkerCtx.newPage();
  await signIn(checker, uniquePhone(), '/checker');
  await checker.goto(`/join/${venue.code}`);
  await checker.getByLabel('您的称呼').fill('东门小李');
  await checker.getByRole('button', { name: '申请绑定' }).click();
  await expect(checker.getByTestId('join-done')).toBeVisible();
  // Live: the bell moves on 我的场所 without a reload.
  await expect(bell(page)).toHaveAccessibleName('消息通知，1 条未读', { timeout: 60_000 });
  await page.goto('/venue/members');
  await page.getByTestId('approve-东门小李').click();
  await expect(page.getByTestId('members-active')).toContainText('东门小李');
  // The checker is told too.
  await checker.goto('/checker');
  await expect(bell(checker)).toHaveAccessibleName('消息通知，1 条未读');
  const href = await checker.getByTestId('venue-choices').getByRole('link').first().getAttribute('href');
  const venueId = new URL(href!, 'http://x').searchParams.get('v')!;

  // The admin waits on 我的场所; the checker scans a fever through the camera.
  const live = liveRequests(page);
  await page.goto('/venue');
  await expect(bell(page)).toHaveAttribute('data-unread', '1');
  await expect.poll(() => live.open()).toEqual(['?topics=inbox']);
  const cam = await browserWithCameraShowing(tokenFor(personId));
  const doorCtx = await cam.newContext({
    storageState: await checkerCtx.storageState(),
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const door = await doorCtx.newPage();
  await door.goto(`/checker/scan?v=${venueId}`);
  await expect(door.getByTestId('scan-result')).toHaveAttribute('data-colour', 'green', { timeout: FIRST_DECODE_MS });
  // The scanner has no site header: its own bell, once online, counts the checker's approval.
  await expect(door.getByTestId('inbox-bell')).toHaveAccessibleName('消息通知，1 条未读');
  await door.getByRole('button', { name: '其他体温（键盘输入）' }).click();
  for (const key of ['3', '8', '.', '6']) await door.getByRole('button', { name: key, exact: true }).click();
  await door.getByRole('button', { name: '发热 38.6°C，确认登记' }).click();
  await expect(door.getByTestId('today-count')).toHaveText('1人次');
  await cam.close();

  // Within seconds, no reload: the fever is the second unread notice.
  await expect(bell(page)).toHaveAccessibleName('消息通知，2 条未读', { timeout: 60_000 });
  await expect(page.getByTestId('inbox-badge')).toHaveText('2');
  await page.locator('header').screenshot({ path: `${runDir}/screens/phone-header-bell.png` });

  // The dashboard: its live topic and the bell on ONE stream.
  await page.getByRole('link', { name: '数据统计' }).first().click();
  await page.waitForURL(/\/venue\/stats/);
  await expect(page.getByRole('status').filter({ hasText: '实时更新中' })).toBeVisible({ timeout: 15_000 });
  await expect.poll(() => live.open()).toEqual([`?topics=inbox,admin:${venueId}`]);
  const typed = await checker.request.post('/api/checkins', {
    data: {
      clientId: randomUUID(),
      venueId,
      method: 'typed',
      code: shortCode,
      temperature: '39.1',
      scannedAt: Date.now(),
      clockOffsetMs: 0,
    },
  });
  expect(typed.status()).toBe(201);
  await expect(page.getByTestId('fever-alert')).toContainText('39.1');
  await expect(bell(page)).toHaveAccessibleName('消息通知，3 条未读', { timeout: 60_000 });
  expect(live.open()).toHaveLength(1);

  // The inbox: masked, newest first; opening one marks it read and leads to where to act.
  await page.getByTestId('inbox-bell').click();
  await page.waitForURL(/\/inbox$/);
  await expect(page).toHaveTitle(/消息通知/);
  await expect.poll(() => live.open()).toEqual(['?topics=inbox']);
  const items = page.getByTestId('inbox-item');
  await expect(items).toHaveCount(3);
  const masked = `${person.name[0]}${'*'.repeat(person.name.length - 1)}`;
  await expect(items.nth(0)).toContainText('发热提醒');
  await expect(items.nth(0)).toContainText(`${masked} 体温 39.1℃（东门小李，`);
  await expect(items.nth(1)).toContainText(`${masked} 体温 38.6℃（东门小李，`);
  await expect(items.nth(2)).toContainText('东门小李 申请成为');
  await expect(page.getByTestId('inbox-list')).not.toContainText(person.name);
  await expect(page.getByTestId('inbox-unread-dot')).toHaveCount(3);
  await page.screenshot({ path: `${runDir}/screens/phone-inbox.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${runDir}/screens/desktop-inbox.png`, fullPage: true });
  await page.locator('header').screenshot({ path: `${runDir}/screens/desktop-header-bell.png` });
  await page.setViewportSize({ width: 390, height: 844 });

  await items.nth(2).getByTestId('inbox-open').click();
  await page.waitForURL(/\/venue\/members$/);
  await expect(bell(page)).toHaveAccessibleName('消息通知，2 条未读');
  await page.goto('/inbox');
  await expect(page.getByTestId('inbox-unread-dot')).toHaveCount(2);
  await page.getByTestId('inbox-mark-all').click();
  await expect(page.getByTestId('inbox-badge')).toHaveCount(0);
  await expect(bell(page)).toHaveAccessibleName('消息通知');
  await expect(page.getByTestId('inbox-unread-dot')).toHaveCount(0);
  await expect(page.getByTestId('inbox-mark-all')).toHaveCount(0);

  // Someone with no notices: the empty state.
  await resident.goto('/inbox');
  await expect(resident.getByTestId('inbox-empty')).toContainText('暂无消息');
  await expect(resident.getByTestId('inbox-badge')).toHaveCount(0);
  await resident.setViewportSize({ width: 390, height: 844 });
  await resident.screenshot({ path: `${runDir}/screens/phone-inbox-empty.png`, fullPage: true });
  await resident.setViewportSize({ width: 1280, height: 800 });
  await resident.screenshot({ path: `${runDir}/screens/desktop-inbox-empty.png`, fullPage: true });

  // Signed out: no bell.
  const anonymous = await browser.newContext();
  const guest = await anonymous.newPage();
  await guest.goto('/');
  await expect(guest.getByTestId('inbox-bell')).toHaveCount(0);
  await Promise.all([anonymous.close(), residentCtx.close(), checkerCtx.close()]);
});
