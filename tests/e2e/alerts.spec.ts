import { mkdirSync } from 'node:fs';
import { expect, test, type Browser } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { browserWithCameraShowing, tokenFor } from './support/camera';
import { runDir, sinkUrl } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { joinAndApprove, registerVenueViaForm } from './support/venues';

// 短信提醒 (issue #18): the admin turns texts on with no quiet hours, a fever is scanned at the door through
// the camera, and the SMS gateway stand-in (otp-sink.mjs) receives ONE digest with the count within seconds.
const FIRST_DECODE_MS = 40_000;
test.describe.configure({ timeout: 150_000 });

type Digests = { requests: number; messages: { template: string; params: Record<string, string | number> }[] };
const digestsOf = async (phone: string): Promise<Digests> => (await fetch(`${sinkUrl}/digests/${phone}`)).json() as Promise<Digests>;

async function residentCode(browser: Browser) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await signIn(page, uniquePhone(), '/me');
  const personId = await registerPersonViaForm(page, '/me/register', newResident({ birthYear: 1979 }));
  await ctx.close();
  return tokenFor(personId);
}

test('alerts on, no quiet hours: a fever at the door reaches the admin’s phone as one digest', async ({ browser, page }) => {
  // The admin registers a venue; a checker joins and is approved.
  const adminPhone = uniquePhone();
  await signIn(page, adminPhone, '/venue');
  const venue = await registerVenueViaForm(page);
  const checkerCtx = await browser.newContext();
  const checker = await checkerCtx.newPage();
  await signIn(checker, uniquePhone(), '/checker');
  await joinAndApprove(checker, page, venue.code, '提醒-测试员');

  // 提醒设置: a bad cap is refused with the zh-CN reason and nothing is saved.
  await page.goto('/venue');
  await page.getByRole('link', { name: '提醒设置' }).click();
  await expect(page).toHaveURL(/\/venue\/alerts$/);
  await expect(page.getByTestId('alerts-phone')).toContainText(`${adminPhone.slice(0, 3)}****${adminPhone.slice(7)}`);
  await expect(page.getByTestId('alerts-phone')).not.toContainText(adminPhone);
  await page.getByLabel('每天最多条数').fill('0');
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByText('每天最多条数须为1至50之间的整数。')).toBeVisible();
  await expect(page.getByLabel('每天最多条数')).toHaveAttribute('aria-invalid', 'true');
  await page.reload();
  await expect(page.getByLabel('每天最多条数')).toHaveValue('20');

  // On (the default), no quiet hours, cap 10.
  await expect(page.getByRole('switch', { name: /短信提醒/ })).toBeChecked();
  await page.getByLabel('不设置').check();
  await page.getByLabel('每天最多条数').fill('10');
  await page.getByRole('button', { name: '保存设置' }).click();
  await expect(page.getByTestId('alerts-saved')).toHaveText('设置已保存');
  await page.reload();
  await expect(page.getByLabel('不设置')).toBeChecked();
  await expect(page.getByLabel('每天最多条数')).toHaveValue('10');

  // A fever through the camera at the door.
  const token = await residentCode(browser);
  const state = await checkerCtx.storageState();
  await checkerCtx.close();
  const cam = await browserWithCameraShowing(token);
  try {
    const ctx = await cam.newContext({
      storageState: state,
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const door = await ctx.newPage();
    await door.goto('/checker');
    await door.getByTestId('venue-choices').getByRole('link').first().click();
    await expect(door.getByTestId('scan-result')).toHaveAttribute('data-colour', 'green', { timeout: FIRST_DECODE_MS });
    await door.getByRole('button', { name: '其他体温（键盘输入）' }).click();
    for (const key of ['3', '8', '.', '6']) await door.getByRole('button', { name: key, exact: true }).click();
    await door.getByRole('button', { name: '发热 38.6°C，确认登记' }).click();
    await expect(door.getByTestId('today-count')).toHaveText('1人次');
  } finally {
    await cam.close();
  }

  // The gateway gets one digest with the count, within seconds; no second one follows.
  await expect.poll(async () => (await digestsOf(adminPhone)).messages.length, { timeout: 15_000 }).toBe(1);
  await page.waitForTimeout(3_000);
  const got = await digestsOf(adminPhone);
  expect(got.messages).toEqual([
    { template: 'SMS_VENUE_DIGEST', params: expect.objectContaining({ venue: venue.name, fevers: 1, reds: 0 }) },
  ]);
  expect(got.requests).toBe(1);

  // The page lists it as sent.
  await page.reload();
  await expect(page.getByTestId('alerts-recent')).toContainText('发热 1 次，红码 0 次');
  await expect(page.getByTestId('alerts-recent')).toContainText('已发送');
  mkdirSync(`${runDir}/screens`, { recursive: true });
  await page.screenshot({ path: `${runDir}/screens/phone-venue-alerts.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.getByLabel('设置时段').check();
  await page.screenshot({ path: `${runDir}/screens/desktop-venue-alerts.png`, fullPage: true });
});
