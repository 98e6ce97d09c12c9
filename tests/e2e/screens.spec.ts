import { expect, test } from '@playwright/test';
import path from 'node:path';
import { signIn, uniquePhone } from './support/auth';
import { runDir } from './support/config';

// Screenshots for people to look at (phone and desktop, both languages). Not an assertion on pixels.
const shots = path.join(runDir, 'screens');

for (const viewport of [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
]) {
  test(`screens on ${viewport.name}`, async ({ page }) => {
    await page.setViewportSize(viewport);
    for (const lang of ['zh', 'en']) {
      if (lang === 'en') {
        await page.goto('/sign-in');
        await page.getByRole('button', { name: /切换语言/ }).click();
        await expect(page.getByRole('heading', { name: 'Sign in with your phone' })).toBeVisible();
      }
      await page.goto('/sign-in');
      await page.screenshot({ path: `${shots}/${viewport.name}-${lang}-sign-in.png`, fullPage: true });
      await page.goto('/');
      await page.screenshot({ path: `${shots}/${viewport.name}-${lang}-home-guest.png`, fullPage: true });
    }
    await page.context().clearCookies();
    await signIn(page, uniquePhone(), '/');
    for (const p of ['/', '/me', '/settings']) {
      await page.goto(p);
      await page.screenshot({ path: `${shots}/${viewport.name}-signed-in${p.replace(/\//g, '-') || '-home'}.png`, fullPage: true });
    }
  });
}
