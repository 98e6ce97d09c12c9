import { expect, test } from '@playwright/test';
import { latestCode, requestCode, signIn, uniquePhone } from './support/auth';

test('signs in with a code, creating the account, and reaches a protected page @smoke', async ({ page }) => {
  const phone = uniquePhone();
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings/);
  await signIn(page, phone, '/settings');
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByTestId('settings-phone')).toHaveText(`${phone.slice(0, 3)}****${phone.slice(7)}`);
  // The production build never shows the code on screen.
  await expect(page.getByTestId('dev-code')).toHaveCount(0);
});

test('an invalid phone number is refused with a message', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('手机号码').fill('12345');
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('请输入正确的11位手机号码（以13–19开头）。');
  await expect(page.getByLabel('手机号码')).toHaveValue('12345');
});

test('a wrong code is refused, and five wrong tries lock the code', async ({ page }) => {
  const phone = uniquePhone();
  await page.goto('/sign-in');
  await requestCode(page, phone);
  const code = await latestCode(phone);
  const wrong = code === '000000' ? '111111' : '000000';
  const codeInput = page.getByLabel('短信验证码');
  const submit = page.getByRole('button', { name: '登录', exact: true });
  await codeInput.fill(wrong);
  await submit.click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('验证码错误，还可尝试4次。');
  for (let i = 0; i < 4; i++) {
    await submit.click();
    await expect(submit).toBeEnabled();
  }
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('验证码错误次数过多，已失效，请重新获取。');
  // Even the right code no longer works.
  await codeInput.fill(code);
  await submit.click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('验证码错误次数过多，已失效，请重新获取。');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('asking again before the resend wait is refused by the server', async ({ page }) => {
  const phone = uniquePhone();
  await page.goto('/sign-in');
  await requestCode(page, phone);
  // The button counts down; a fresh page asking at once meets the server's limit.
  await expect(page.getByRole('button', { name: /秒后可重新获取/ })).toBeDisabled();
  await page.reload();
  await page.getByLabel('手机号码').fill(phone);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('获取验证码过于频繁');
});

test('sign out ends the session on this device', async ({ page }) => {
  await signIn(page, uniquePhone(), '/settings');
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/settings');
  await expect(page).toHaveURL(/\/sign-in/);
});

test('sign out everywhere ends the session of another browser too', async ({ browser }) => {
  const phone = uniquePhone();
  const a = await browser.newContext();
  const b = await browser.newContext();
  const pageA = await a.newPage();
  const pageB = await b.newPage();
  await signIn(pageA, phone, '/settings');
  await expect(async () => {
    await signIn(pageB, phone, '/settings'); // waits out the resend interval
  }).toPass({ timeout: 30_000, intervals: [2_000] });
  await pageB.goto('/settings');
  await expect(pageB.getByTestId('settings-phone')).toBeVisible();

  await pageA.getByRole('button', { name: '退出所有设备' }).click();
  await pageA.getByRole('alertdialog').getByRole('button', { name: '全部退出' }).click();
  await expect(pageA).toHaveURL(/\/sign-in/);

  // B still holds its cookie, but the server-side session is revoked.
  await pageB.goto('/settings');
  await expect(pageB).toHaveURL(/\/sign-in/);
  await a.close();
  await b.close();
});
