import { expect, test } from '@playwright/test';
import { statePath } from './support/shared';

test('Chinese by default; the switch turns the app to English and is remembered', async ({ page }) => {
  await page.goto('/sign-in');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { name: '手机号码登录' })).toBeVisible();

  await page.getByRole('button', { name: /切换语言/ }).click();
  await expect(page.getByRole('heading', { name: 'Sign in with your phone' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Sign in with your phone' })).toBeVisible();
  await page.getByLabel('Mobile number').fill('123');
  await page.getByRole('button', { name: 'Get code' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toHaveText('Enter a valid 11-digit mainland mobile number (starting 13–19).');

  await page.getByRole('button', { name: /Switch language/ }).click();
  await expect(page.getByRole('heading', { name: '手机号码登录' })).toBeVisible();
});

test.describe(() => {
  test.use({ storageState: statePath('user') });
  test('the signed-in shell shows the three entries in both languages', async ({ page }) => {
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: '主要功能' });
    for (const name of ['我的粤康码', '我的场所', '体温检测']) await expect(nav.getByRole('link', { name })).toBeVisible();
    await nav.getByRole('link', { name: '体温检测' }).click();
    await expect(page).toHaveURL(/\/checker$/);
    await expect(page.getByRole('heading', { name: '选择检测场所' })).toBeVisible();

    await page.getByRole('button', { name: /切换语言/ }).click();
    const navEn = page.getByRole('navigation', { name: 'Main sections' });
    for (const name of ['My Health Code', 'My Venue', 'Temperature Check']) await expect(navEn.getByRole('link', { name })).toBeVisible();
  });
});
