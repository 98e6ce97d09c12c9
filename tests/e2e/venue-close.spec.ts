import { mkdirSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { runDir } from './support/config';
import { statePath } from './support/shared';
import { joinAndApprove, registerVenueViaForm } from './support/venues';

// SPEC L3 (issue #19): an admin closes the venue by typing its name; its invite code then says the venue
// is closed on the join page, and its checker's scanner says so too. The admin reads the closed venue's
// statistics and reopens it with the same code.
const screens = `${runDir}/screens`;
mkdirSync(screens, { recursive: true });

/** Phone-sized and desktop screenshots of the page as it is now. */
async function shoot(page: Page, name: string) {
  await page.screenshot({ path: `${screens}/phone-${name}.png`, fullPage: true });
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: `${screens}/desktop-${name}.png`, fullPage: true });
  if (size) await page.setViewportSize(size);
}

test('an admin closes the venue; the join page and the checker’s scanner say it is closed; the admin reopens it', async ({ browser }) => {
  test.setTimeout(120_000);
  const adminCtx = await browser.newContext();
  const checkerCtx = await browser.newContext();
  const admin = await adminCtx.newPage();
  const checker = await checkerCtx.newPage();
  await signIn(admin, uniquePhone(), '/venue');
  const venue = await registerVenueViaForm(admin, { name: `关闭旅程场所${Date.now() % 100000}` });

  // A checker binds by the QR link and is approved.
  await signIn(checker, uniquePhone(), '/venue');
  const venueId = await joinAndApprove(checker, admin, venue.code, '东门-关店测');
  await checker.goto(`/checker/scan?v=${venueId}`);
  await expect(checker.getByTestId('scanner-venue')).toHaveText(venue.name);

  // The danger zone: a wrong name is refused with a message, and nothing closes.
  await admin.goto('/venue');
  const zone = admin.getByTestId('close-venue');
  await zone.getByText('关闭场所', { exact: true }).click();
  await expect(zone).toContainText('场所申报码立即失效');
  await zone.getByLabel(`请输入场所名称“${venue.name}”以确认`).fill(`${venue.name}1`);
  await zone.getByRole('button', { name: '确认关闭场所' }).click();
  await expect(zone.getByText('输入的名称与场所名称不一致，场所未关闭。').first()).toBeVisible();
  await expect(admin.getByTestId('venue-name')).toHaveText(venue.name);
  await shoot(admin, 'venue-close-danger-zone');

  await zone.getByLabel(`请输入场所名称“${venue.name}”以确认`).fill(venue.name);
  await zone.getByRole('button', { name: '确认关闭场所' }).click();
  await admin.waitForURL(/\/venue\?notice=closed$/);
  await expect(admin.getByTestId('venue-notice')).toHaveText('场所已关闭。申报码已失效，检测员绑定已全部解除。');
  await expect(admin.getByTestId('venue-name')).toHaveCount(0);
  await expect(admin.getByRole('link', { name: '申报场所' })).toBeVisible();
  const closedList = admin.getByTestId('closed-venues');
  await expect(closedList).toContainText(venue.name);
  await expect(closedList).toContainText('前可重新开放');
  await shoot(admin, 'venue-closed-list');

  // The closed venue's statistics, by id.
  await closedList.getByRole('link', { name: '查看统计' }).click();
  await expect(admin).toHaveURL(new RegExp(`/venue/stats\\?venue=${venueId}`));
  await expect(admin.getByTestId('closed-venue-banner')).toContainText('本场所已于');
  await expect(admin.getByRole('heading', { level: 1 })).toContainText(venue.name);
  await shoot(admin, 'venue-closed-stats');

  // The join page for its code: closed, not "no such code" — for a newcomer and for the former checker.
  const newcomerCtx = await browser.newContext();
  const newcomer = await newcomerCtx.newPage();
  await signIn(newcomer, uniquePhone(), '/venue');
  await newcomer.goto(`/join/${venue.code}`);
  await expect(newcomer.getByTestId('join-error')).toHaveAttribute('data-reason', 'venue_closed');
  await expect(newcomer.getByRole('main').getByRole('alert')).toHaveText('本场所已关闭，申报码已失效，不能再绑定检测员。');
  await shoot(newcomer, 'venue-closed-join');
  await newcomer.goto('/join');
  await newcomer.getByLabel('场所申报码').fill(venue.code);
  await newcomer.getByRole('button', { name: '查找场所' }).click();
  await expect(newcomer.getByText('本场所已关闭，申报码已失效，不能再绑定检测员。')).toBeVisible();

  // The checker's scanner explains, and 我的场所 lists the venue apart as closed; the inbox tells them.
  await checker.goto(`/checker/scan?v=${venueId}`);
  const shell = checker.getByTestId('door-shell');
  await expect(shell).toHaveAttribute('data-phase', 'venue-closed');
  await expect(shell.getByRole('alert')).toContainText('本场所已关闭，您的检测员绑定已随之解除');
  await shoot(checker, 'venue-closed-scanner');
  await checker.goto('/venue');
  await expect(checker.getByTestId('checker-venues')).toHaveCount(0);
  await expect(checker.getByTestId('checker-closed-venues')).toContainText(venue.name);
  await shoot(checker, 'venue-closed-checker');
  await checker.goto('/inbox');
  await expect(checker.locator('[data-kind="venue_closed"]')).toContainText(`“${venue.name}”已关闭，您在该场所的检测员绑定已解除`);
  await shoot(checker, 'venue-closed-inbox');

  // The official's look-up by the printed code still finds it, marked closed (its records stay for officials).
  const officialCtx = await browser.newContext({ storageState: statePath('official') });
  const official = await officialCtx.newPage();
  await official.goto('/ops');
  await official.getByLabel('场所申报码').fill(venue.code);
  await official.getByRole('button', { name: '查找场所' }).click();
  await expect(official.getByTestId('rebind-venue')).toContainText(venue.name);
  await expect(official.getByTestId('rebind-venue-closed')).toContainText('该场所已于');
  await shoot(official, 'venue-closed-ops');
  await officialCtx.close();

  // Reopened within 30 days: the same code works again; the checker must ask again.
  await admin.goto('/venue');
  await admin.getByTestId('reopen-venue').click();
  await expect(admin.getByTestId('venue-name')).toHaveText(venue.name);
  await expect(admin.getByTestId('invite-code')).toHaveText(`${venue.code.slice(0, 4)}-${venue.code.slice(4)}`);
  await newcomer.goto(`/join/${venue.code}`);
  await expect(newcomer.getByTestId('join-venue-name')).toHaveText(venue.name);
  await checker.goto(`/checker/scan?v=${venueId}`);
  await expect(checker.getByTestId('door-shell')).toHaveAttribute('data-phase', 'not-checker');
  await Promise.all([adminCtx.close(), checkerCtx.close(), newcomerCtx.close()]);
});
