import path from 'node:path';
import { expect, test } from '@playwright/test';
import { signIn, uniquePhone } from './support/auth';
import { runDir, serverEnv } from './support/config';
import { newResident, registerPersonViaForm } from './support/persons';
import { registerVenueViaForm } from './support/venues';

// Screenshots for people to look at (phone and desktop, both languages). Not an assertion on pixels.
const shots = path.join(runDir, 'screens');

for (const viewport of [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
]) {
  test(`screens on ${viewport.name}`, async ({ page, request }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(viewport);
    const shot = (name: string) => page.screenshot({ path: `${shots}/${viewport.name}-${name}.png`, fullPage: true });
    for (const lang of ['zh', 'en']) {
      if (lang === 'en') {
        await page.goto('/sign-in');
        await page.getByRole('button', { name: /切换语言/ }).click();
        await expect(page.getByRole('heading', { name: 'Sign in with your phone' })).toBeVisible();
      }
      await page.goto('/sign-in');
      await shot(`${lang}-sign-in`);
      await page.goto('/');
      await shot(`${lang}-home-guest`);
    }
    await page.context().clearCookies();
    await signIn(page, uniquePhone(), '/');
    await shot('signed-in-home');
    await page.goto('/me');
    await shot('me-empty');
    await page.goto('/settings');
    await shot('settings');

    // A red self (status sent before registration) and a green child.
    const self = newResident({ birthYear: 1982 });
    await request.post('/api/status-import', {
      headers: { authorization: `Bearer ${serverEnv.STATUS_IMPORT_API_KEY}` },
      data: {
        batchId: `screens-${viewport.name}-${Date.now()}`,
        items: [
          {
            idType: 'cn_resident',
            idNumber: self.idNumber,
            colour: 'red',
            reason: 'close_contact',
            asOf: new Date(Date.now() - 7200_000).toISOString(),
          },
        ],
      },
    });
    await page.goto('/me/register');
    await shot('me-register');
    await registerPersonViaForm(page, '/me/register', self);
    await shot('me-red');
    const childId = await registerPersonViaForm(page, '/me/family/new', newResident({ birthYear: 2016 }));
    await shot('me-green-child');
    await page.goto(`/me/print/${childId}`);
    await shot('me-print');
    await page.goto('/me/family');
    await shot('me-family');
    await page.getByRole('button', { name: /切换语言/ }).click();
    await page.goto('/me');
    await shot('en-me-red');
  });
}

for (const viewport of [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
]) {
  test(`venue screens on ${viewport.name}`, async ({ browser }) => {
    test.setTimeout(120_000);
    const adminCtx = await browser.newContext({ viewport });
    const checkerCtx = await browser.newContext({ viewport });
    const admin = await adminCtx.newPage();
    const checker = await checkerCtx.newPage();
    const shot = (page: typeof admin, name: string) =>
      page.screenshot({ path: `${shots}/${viewport.name}-venue-${name}.png`, fullPage: true });
    await signIn(admin, uniquePhone(), '/venue');
    await shot(admin, 'empty');
    await admin.goto('/venue/register');
    await admin.getByLabel('市', { exact: true }).selectOption('4401');
    await shot(admin, 'register');
    const venue = await registerVenueViaForm(admin);
    await shot(admin, 'overview');
    await signIn(checker, uniquePhone(), `/join/${venue.code}`);
    await shot(checker, 'join');
    await checker.getByLabel('您的称呼').fill('东门-王师傅');
    await checker.getByRole('button', { name: '申请绑定' }).click();
    await expect(checker.getByTestId('join-done')).toBeVisible();
    await checker.goto('/venue');
    await shot(checker, 'checker-list');
    await admin.goto('/venue/members');
    await shot(admin, 'members');
    await admin.goto('/venue/entrances');
    await shot(admin, 'entrances');
    await admin.goto('/venue/poster');
    await shot(admin, 'poster');
    await admin.goto('/venue/edit');
    await shot(admin, 'edit');
    await Promise.all([adminCtx.close(), checkerCtx.close()]);
  });
}
